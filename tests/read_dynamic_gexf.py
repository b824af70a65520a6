"""Reads a dynamic GEXF with networkx and prints what a test checks, as JSON.

Usage: python3 tests/read_dynamic_gexf.py FILE.gexf
Run by tests/cli_dynamics.rs (dynamic_gexf_is_relaxng_valid_and_read_by_networkx).
"""
import json
import sys

import networkx as nx

g = nx.read_gexf(sys.argv[1])
nodes = {}
for n, data in g.nodes(data=True):
    nodes[n] = {
        "spells": [list(s) for s in data.get("spells", [])],
        "lineage": [list(x) for x in data.get("lineage", [])],
        "domain": data.get("domain"),
    }
edges = [
    {"source": u, "target": v, "id": d.get("id"), "spells": [list(s) for s in d.get("spells", [])]}
    for u, v, d in g.edges(data=True)
]
print(json.dumps({"mode": g.graph.get("mode"), "directed": g.is_directed(), "nodes": nodes, "edges": edges}))
