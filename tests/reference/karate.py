"""Reference values for Vertoog's structure measures on Zachary's karate club (networkx).

Run once: python3 tests/reference/karate.py > tests/data/karate/networkx.json
The analysis crate's tests compare its betweenness, constraint, effective size, bridges and
articulation points with this file within 1e-9. Nodes are networkx's 0..33; `weight` is the
edge weight networkx ships with the graph (Zachary's interaction counts).
"""
import json
import networkx as nx

G = nx.karate_club_graph()
nodes = sorted(G.nodes())


def per_node(d):
    return [None if d[v] != d[v] else d[v] for v in nodes]  # NaN (isolates) -> null


out = {
    "networkx": nx.__version__,
    "nodes": len(nodes),
    "edges": [[u, v, G[u][v].get("weight", 1)] for u, v in sorted(G.edges())],
    "betweenness": per_node(nx.betweenness_centrality(G, normalized=True)),
    "constraint": per_node(nx.constraint(G)),
    "effective_size": per_node(nx.effective_size(G)),
    "constraint_weighted": per_node(nx.constraint(G, weight="weight")),
    "effective_size_weighted": per_node(nx.effective_size(G, weight="weight")),
    "average_clustering": nx.average_clustering(G),
    "bridges": sorted([sorted(e) for e in nx.bridges(G)]),
    "articulation_points": sorted(nx.articulation_points(G)),
}
print(json.dumps(out))
