"""The pipeline an analyst would write in Python for what `vertoog analyse` computes at its
core (bench/README.md): the signed discourse network w of docs/method.md §2
with numpy, communities on it, and on the tie network betweenness, bridges and articulation
points.

    python pipeline.py BUNDLE_DIR OUT.json [--engine networkx|igraph] [--seed N]

- networkx (class S): `louvain_communities` (seeded), `betweenness_centrality`, `bridges`,
  `articulation_points`;
- igraph (class M and L): python-igraph's `community_multilevel` (Louvain, the fastest
  modularity method an analyst would pick in igraph; Python's `random` seeded, which igraph
  uses), igraph's `betweenness`, `bridges`, `articulation_points`;
- leiden (optional): python-igraph + leidenalg (`find_partition` with modularity, seeded), the
  reference of the first rounds (about 3x slower than multilevel on these maps).

Both community libraries maximise modularity on non-negative weights, so communities are found
on the positive part w+ = max(w, 0), as an analyst without a signed method would do.
Writes {"membership": {actor: community}, "seconds": {stage: s}} to OUT.json; the driver
(`bench/compare`) times the whole process and computes NMI against planted.csv.
"""

import argparse
import csv
import json
import os
import sys
import time


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("out")
    ap.add_argument("--engine", choices=["networkx", "igraph", "leiden"], default="networkx")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    seconds = {}
    t0 = time.perf_counter()

    import numpy as np

    if args.engine == "networkx":
        import networkx as nx
    else:
        import random

        import igraph as ig

        random.seed(args.seed)
        if args.engine == "leiden":
            import leidenalg as la
    seconds["imports"] = time.perf_counter() - t0

    # --- read the bundle; p(a,n) = the most recent stance (undated oldest, then stance id).
    t = time.perf_counter()
    actors = sorted(r["id"] for r in read_csv(os.path.join(args.bundle, "actors.csv")))
    narratives = sorted(r["id"] for r in read_csv(os.path.join(args.bundle, "narratives.csv")))
    ai = {a: i for i, a in enumerate(actors)}
    ni = {n: i for i, n in enumerate(narratives)}
    latest = {}
    for r in read_csv(os.path.join(args.bundle, "stances.csv")):
        a, n = ai.get(r["actor"]), ni.get(r["narrative"])
        if a is None or n is None:
            continue
        key = (r.get("date") or "", r["id"])
        cur = latest.get((a, n))
        if cur is None or key > cur[0]:
            latest[(a, n)] = (key, int(r["position"]))
    ties = read_csv(os.path.join(args.bundle, "ties.csv"))
    seconds["read"] = time.perf_counter() - t

    # --- signed discourse network with numpy:
    # w(a,b) = sum_{n in S} p(a,n) p(b,n) / 4 / |U|, S = N(a) & N(b), U = N(a) | N(b).
    t = time.perf_counter()
    A, N = len(actors), len(narratives)
    P = np.zeros((A, N), dtype=np.float64)
    H = np.zeros((A, N), dtype=np.float64)  # has a position
    for (a, n), (_, p) in latest.items():
        P[a, n] = p
        H[a, n] = 1.0
    dot = P @ P.T
    shared = H @ H.T
    count = H.sum(axis=1)
    union = count[:, None] + count[None, :] - shared
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(shared > 0, dot / 4.0 / union, 0.0)
    np.fill_diagonal(w, 0.0)
    iu, ju = np.nonzero(np.triu(w > 0, k=1))
    wpos = w[iu, ju]
    seconds["discourse_network"] = time.perf_counter() - t

    # --- communities on w+ (every actor is a node).
    t = time.perf_counter()
    if args.engine == "networkx":
        G = nx.Graph()
        G.add_nodes_from(range(A))
        G.add_weighted_edges_from(zip(iu.tolist(), ju.tolist(), wpos.tolist()))
        comms = nx.community.louvain_communities(G, weight="weight", seed=args.seed)
        label = {}
        for c, members in enumerate(comms):
            for v in members:
                label[v] = c
    else:
        G = ig.Graph(n=A, edges=np.column_stack([iu, ju]).tolist())
        G.es["weight"] = wpos.tolist()
        if args.engine == "leiden":
            part = la.find_partition(
                G, la.ModularityVertexPartition, weights="weight", seed=args.seed
            )
        else:
            part = G.community_multilevel(weights="weight")
        label = {v: c for v, c in enumerate(part.membership)}
    seconds["communities"] = time.perf_counter() - t

    # --- structural graph: every non-conflict tie, parallel ties merged by maximum weight.
    t = time.perf_counter()
    best = {}
    for r in ties:
        if r.get("kind") == "conflict":
            continue
        a, b = ai.get(r["source"]), ai.get(r["target"])
        if a is None or b is None or a == b:
            continue
        k = (min(a, b), max(a, b))
        wt = float(r.get("weight") or 1.0)
        if wt > best.get(k, 0.0):
            best[k] = wt
    if args.engine == "networkx":
        S = nx.Graph()
        S.add_nodes_from(range(A))
        S.add_weighted_edges_from((a, b, x) for (a, b), x in best.items())
        bc = nx.betweenness_centrality(S, normalized=True)
        bridges = list(nx.bridges(S))
        aps = list(nx.articulation_points(S))
    else:
        S = ig.Graph(n=A, edges=list(best.keys()))
        S.es["weight"] = list(best.values())
        raw = S.betweenness(directed=False)
        scale = 2.0 / ((A - 1) * (A - 2)) if A > 2 else 0.0
        bc = {v: x * scale for v, x in enumerate(raw)}
        bridges = [S.es[e].tuple for e in S.bridges()]
        aps = S.articulation_points()
    seconds["structure"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - t0

    out = {
        "membership": {actors[v]: c for v, c in label.items()},
        "communities": len(set(label.values())),
        "bridges": len(bridges),
        "articulation_points": len(aps),
        "max_betweenness": max(bc.values()) if bc else 0.0,
        "seconds": seconds,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    sys.exit(main())
