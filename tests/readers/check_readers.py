#!/usr/bin/env python3
"""Reads Vertoog's GraphML and GEXF exports with networkx and python-igraph and checks that
nothing is lost: every node, every edge, each edge's tie id and direction (tie_source -> tie_target, `directed`).

Usage: check_readers.py EXPECT.json
EXPECT.json: {"graphml": PATH, "gexf": PATH, "nodes": N,
              "edges": [{"tie_id", "source", "target", "directed"}],
              "bipartite": PATH or null (a two-mode network GraphML),
              "bipartite_rows": N, "bipartite_columns": N}
Exit 0: all good; 1: a check failed (the reason on stderr); 77: networkx or igraph missing.
"""
import json
import sys

try:
    import networkx as nx
    import igraph as ig
except ImportError as e:  # the Rust test decides whether this is a failure (CI) or a skip
    print(f"missing reader: {e}", file=sys.stderr)
    sys.exit(77)

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def as_bool(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    return str(v).lower() == "true"


exp = json.load(open(sys.argv[1]))
want = {e["tie_id"]: e for e in exp["edges"]}

# networkx: GraphML and GEXF.
for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
    try:
        g = reader(exp[fmt])
    except Exception as e:  # noqa: BLE001 - any reader error is a failure
        failures.append(f"networkx cannot read the {fmt}: {e}")
        continue
    check(g.number_of_nodes() == exp["nodes"], f"networkx {fmt}: {g.number_of_nodes()} nodes")
    check(g.number_of_edges() == len(want), f"networkx {fmt}: {g.number_of_edges()} edges")
    for u, v, d in g.edges(data=True):
        tid = d.get("tie_id")
        e = want.get(tid)
        if e is None:
            failures.append(f"networkx {fmt}: edge {u}-{v} without a known tie_id ({tid!r})")
            continue
        check({u, v} == {e["source"], e["target"]}, f"networkx {fmt}: {tid} joins {u}-{v}")
        check("directed" in d, f"networkx {fmt}: {tid} has no directed attribute")
        check(as_bool(d.get("directed")) == e["directed"], f"networkx {fmt}: {tid} directed={d.get('directed')!r}")
        check(isinstance(d.get("directed"), bool), f"networkx {fmt}: {tid} directed is {type(d.get('directed')).__name__}, not bool")
        check((d.get("tie_source"), d.get("tie_target")) == (e["source"], e["target"]), f"networkx {fmt}: {tid} order {d.get('tie_source')}->{d.get('tie_target')}")
        check("bridge" in d, f"networkx {fmt}: {tid} has no bridge value (no default)")

# python-igraph: an undirected graph orders each edge's ends by vertex index; the tie's own
# order is in tie_source -> tie_target.
g = ig.Graph.Read_GraphML(exp["graphml"])
check(g.vcount() == exp["nodes"], f"igraph: {g.vcount()} nodes")
check(g.ecount() == len(want), f"igraph: {g.ecount()} edges")
names = g.vs["id"]
for edge in g.es:
    tid = edge["tie_id"]
    e = want.get(tid)
    if e is None:
        failures.append(f"igraph: edge without a known tie_id ({tid!r})")
        continue
    s, t = names[edge.source], names[edge.target]
    check({s, t} == {e["source"], e["target"]}, f"igraph: {tid} joins {s}-{t}")
    check((edge["tie_source"], edge["tie_target"]) == (e["source"], e["target"]), f"igraph: {tid} is {edge['tie_source']}->{edge['tie_target']}, want {e['source']}->{e['target']}")
    check(as_bool(edge["directed"]) == e["directed"], f"igraph: {tid} directed={edge['directed']!r}")

# Two-mode network: igraph's bipartite projection needs the boolean `type`.
if exp.get("bipartite"):
    b = ig.Graph.Read_GraphML(exp["bipartite"])
    types = [as_bool(t) for t in b.vs["type"]]
    check(types.count(False) == exp["bipartite_rows"], f"bipartite: {types.count(False)} rows")
    check(types.count(True) == exp["bipartite_columns"], f"bipartite: {types.count(True)} columns")
    try:
        p1, p2 = b.bipartite_projection(types=types)
        check(p1.vcount() == exp["bipartite_rows"], f"projection: {p1.vcount()} actors")
    except Exception as e:  # noqa: BLE001
        failures.append(f"bipartite_projection failed: {e}")
    check(all(v is not None for v in b.vs["variable"]), "bipartite: variable missing")
    check(all(v is not None for v in b.vs["frequency"]), "bipartite: frequency missing")
    nb = nx.read_graphml(exp["bipartite"])
    check(all(isinstance(d.get("type"), bool) for _, d in nb.nodes(data=True)), "networkx: type is not boolean")

if failures:
    print("\n".join(failures[:50]), file=sys.stderr)
    sys.exit(1)
print("readers ok")
