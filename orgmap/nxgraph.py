"""The one place orgmap writes networkx's private graph dicts.

A ``MultiDiGraph`` keeps its nodes in ``_node`` and its adjacency in ``_succ``/``_pred``
(one key dict shared by ``_succ[u][v]`` and ``_pred[v][u]``). Three things are much
faster written there directly than through the public API, for the networkx versions
of :data:`FAST_GRAPH_NETWORKX` (pyproject pins the same range; ``tests/test_nxgraph.py``
and ``tests/test_builder.py`` check the structure):

- :func:`fast_graph` builds a graph from node and edge dicts (a tenth of the time of
  ``add_edges_from`` at 250k edges); outside the range it takes the public API;
- :func:`shallow_copy` copies a graph sharing the inner adjacency (a What-if's copy of a
  100k-person org in milliseconds);
- :class:`GraphPatch` makes that sharing copy-on-write for the nodes an edit touches,
  and puts the originals back exactly on undo.

Everything else in orgmap reads and writes graphs through networkx's public API (or
reads these dicts, never writes them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

__all__ = [
    "FAST_GRAPH_NETWORKX",
    "networkx_version",
    "fast_graph",
    "public_graph",
    "shallow_copy",
    "GraphPatch",
    "clear_cache",
]


def clear_cache(graph: nx.Graph) -> None:
    """Drop networkx's cached views (``nodes``, ``edges``...) after a direct write."""
    nx._clear_cache(graph)


def shallow_copy(graph: nx.MultiDiGraph, share_attrs: bool = False) -> nx.MultiDiGraph:
    """A graph with new top-level dicts and the same inner adjacency as ``graph``
    (edit it only through :class:`GraphPatch`); node attribute dicts are copied unless
    ``share_attrs`` (a frozen view, never edited)."""
    h = nx.MultiDiGraph()
    h.graph.update(graph.graph)
    if share_attrs:
        h._node.update(graph._node)
    else:
        h._node.update((n, dict(a)) for n, a in graph._node.items())
    h._succ.update(graph._succ)
    h._pred.update(graph._pred)
    return h


#: networkx versions whose MultiDiGraph stores its adjacency as :func:`fast_graph`
#: writes it (checked for 3.4 to 3.6 by ``tests/test_builder.py``; pyproject pins the
#: same range). Any other version is built through networkx's public API.
FAST_GRAPH_NETWORKX = ((3, 4), (3, 7))


def networkx_version() -> tuple[int, int]:
    major, minor = (int("".join(c for c in p if c.isdigit()) or 0) for p in
                    nx.__version__.split(".")[:2])  # fmt: skip
    return major, minor


def fast_graph(
    nodes: dict[str, dict[str, Any]], edges: dict[tuple[str, str, str], dict[str, Any]]
) -> nx.MultiDiGraph:
    """A MultiDiGraph of ``nodes`` and ``edges``: the one place orgmap writes networkx's
    private adjacency dicts.

    ``add_edges_from`` spends over 2 s on 250k edges at 100k people, most of it in
    per-edge bookkeeping we do not need (every key is unique, every node exists); this
    writes the same structure networkx's own ``add_edge`` writes (``_node``, and one
    key dict shared by ``_succ[u][v]`` and ``_pred[v][u]``), in a tenth of the time, for
    the networkx versions of :data:`FAST_GRAPH_NETWORKX`; any other version takes the
    public ``add_nodes_from``/``add_edges_from``. ``tests/test_builder.py`` checks both
    paths build the same graph.
    """
    lo, hi = FAST_GRAPH_NETWORKX
    if not lo <= networkx_version() < hi:
        return public_graph(nodes, edges)
    graph = nx.MultiDiGraph()
    node_store, succ, pred = graph._node, graph._succ, graph._pred
    # Updated in place: networkx's _adj is the same dict object as _succ.
    node_store.update(nodes)
    succ.update({node: {} for node in nodes})
    pred.update({node: {} for node in nodes})
    for (u, v, key), data in edges.items():
        out = succ[u]
        keydict = out.get(v)
        if keydict is None:
            # the first edge between u and v: one new key dict, shared by both sides
            out[v] = pred[v][u] = {key: data}
        else:
            keydict[key] = data
    clear_cache(graph)  # cached views (nodes, edges) must be rebuilt
    return graph


def public_graph(
    nodes: dict[str, dict[str, Any]], edges: dict[tuple[str, str, str], dict[str, Any]]
) -> nx.MultiDiGraph:
    """The same graph through networkx's public API (slower; any version)."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from((u, v, key, data) for (u, v, key), data in edges.items())
    return graph


class GraphPatch:
    """Copy-on-write of the nodes an edit touches, and the exact way back.

    Before an edit changes the graph, every touched node's attribute dict and adjacency
    dicts are replaced by copies (edges between two touched nodes share one copied
    key dict, as networkx requires); the originals are kept, unchanged, for
    :meth:`revert`. Edges to untouched nodes keep their original key dict, which the
    edit never changes (it may only change edges between touched nodes).
    """

    def __init__(self, graph: nx.MultiDiGraph, touched: Iterable[str], reorders: bool) -> None:
        self.graph = graph
        g = graph
        nodes = set(touched)
        self.saved = {u: (g._node.get(u), g._succ.get(u), g._pred.get(u)) for u in nodes}
        # removing a node and adding it back moves it to the end of every dict
        self.order = list(g._node) if reorders else None
        shared: dict[tuple[str, str], dict] = {}
        for u in nodes:
            if u not in g._node:
                continue
            g._node[u] = dict(g._node[u])
            succ, pred = {}, {}
            for v, keys in g._succ[u].items():
                succ[v] = shared.setdefault((u, v), dict(keys)) if v in nodes else keys
            for v, keys in g._pred[u].items():
                pred[v] = shared.setdefault((v, u), dict(keys)) if v in nodes else keys
            g._succ[u], g._pred[u] = succ, pred

    def revert(self) -> None:
        g = self.graph
        for u, (attrs, succ, pred) in self.saved.items():
            if attrs is None:  # a node the edit made
                g._node.pop(u, None)
                g._succ.pop(u, None)
                g._pred.pop(u, None)
            else:
                g._node[u], g._succ[u], g._pred[u] = attrs, succ, pred
        if self.order is not None:
            for table in (g._node, g._succ, g._pred):
                items = [(k, table[k]) for k in self.order]
                table.clear()
                table.update(items)
        clear_cache(g)
