"""The remaining chain of teams after a key person leaves equals networkx's shortest path."""

from __future__ import annotations

import networkx as nx
import pytest

from orgmap.metrics.risk import _remaining_path


@pytest.mark.parametrize("seed", range(6))
def test_remaining_path_is_a_shortest_path_avoiding_the_cut(seed):
    g = nx.gnp_random_graph(60, 0.06, seed=seed)
    adjacency = {t: sorted(g[t]) for t in g}
    edges = sorted(tuple(sorted(e)) for e in g.edges)
    cut = set(edges[seed::7])
    h = g.copy()
    h.remove_edges_from(cut)
    neighbours = {t: set(us) for t, us in adjacency.items()}
    for (a, b), with_sets in zip(edges[:40] * 2, [False] * 40 + [True] * 40, strict=True):
        if with_sets:
            cut_here = cut | {(a, b)}  # the caller's case: the pair itself is cut
            h_here = h.copy()
            h_here.remove_edges_from([(a, b)])
        else:
            cut_here, h_here = cut, h
        path = _remaining_path(adjacency, a, b, cut_here, neighbours if with_sets else None)
        if nx.has_path(h_here, a, b):
            assert path is not None and path[0] == a and path[-1] == b
            assert len(path) == nx.shortest_path_length(h_here, a, b) + 1
            # every step is a team pair still linked
            assert all(h_here.has_edge(u, v) for u, v in zip(path, path[1:], strict=False))
        else:
            assert path is None


def test_remaining_path_by_hand():
    # A-B cut; A-C-B remains, A-D-E-B is longer; F is linked to A only through the cut
    a, b, c, d, e, f = range(6)
    edges = [(a, b), (a, c), (c, b), (a, d), (d, e), (e, b), (b, f)]
    adjacency: dict[int, list[int]] = {}
    for u, v in edges:
        adjacency.setdefault(u, []).append(v)
        adjacency.setdefault(v, []).append(u)
    adjacency = {t: sorted(us) for t, us in adjacency.items()}
    assert _remaining_path(adjacency, a, b, {(a, b)}) == [a, c, b]
    assert _remaining_path(adjacency, a, f, {(b, f)}) is None
    assert _remaining_path(adjacency, a, b, {(a, b), (1, 2)}) == [a, d, e, b]
    neighbours = {t: set(us) for t, us in adjacency.items()}
    assert _remaining_path(adjacency, a, b, {(a, b)}, neighbours) == [a, c, b]
    assert _remaining_path(adjacency, a, b, {(a, b), (1, 2)}, neighbours) == [a, d, e, b]


@pytest.mark.parametrize("seed", range(6))
def test_remaining_path_when_every_cut_pair_touches_the_start(seed):
    # the caller's case: a person carries pairs of their own team only
    g = nx.gnp_random_graph(80, 0.05, seed=seed)
    adjacency = {t: sorted(g[t]) for t in g}
    start = max(g, key=g.degree)
    around = sorted(g[start])
    cut = {tuple(sorted((start, u))) for u in around[seed % 3 :: 2]}
    h = g.copy()
    h.remove_edges_from(cut)
    for goal in range(80):
        if goal == start:
            continue
        path = _remaining_path(adjacency, start, goal, cut)
        if nx.has_path(h, start, goal):
            assert path is not None and path[0] == start and path[-1] == goal
            assert len(path) == nx.shortest_path_length(h, start, goal) + 1
            assert all(h.has_edge(u, v) for u, v in zip(path, path[1:], strict=False))
        else:
            assert path is None
