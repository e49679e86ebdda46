"""The fast paths (sparse matrices, igraph) give networkx's reference values."""

from __future__ import annotations

import doctest
import importlib
import itertools

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from orgmap.metrics.brokerage import betweenness_matrix, brokerage_scores
from orgmap.metrics.influence import DAMPING, katz_matrix, pagerank_matrix, spectral_radius
from orgmap.metrics.reach import reach_matrix
from orgmap.metrics.roles import gould_fernandez_matrix
from orgmap.metrics.structural_holes import constraint_matrix, effective_size_matrix

SEEDS = [0, 1, 2, 3]


def random_graph(seed: int, n: int = 40, p: float = 0.12, directed: bool = False) -> nx.Graph:
    g = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    for u, v in g.edges:
        g[u][v]["weight"] = float(rng.integers(1, 5))
    return g


def matrix(g: nx.Graph) -> sp.csr_array:
    return nx.to_scipy_sparse_array(g, nodelist=range(len(g)), format="csr")


def as_array(values: dict, n: int) -> np.ndarray:
    return np.array([values[i] for i in range(n)], dtype=float)


@pytest.mark.parametrize("seed", SEEDS)
def test_pagerank_equals_networkx(seed):
    g = random_graph(seed, directed=True)
    ref = nx.pagerank(g, weight="weight", tol=1e-13, max_iter=10000)
    assert pagerank_matrix(matrix(g)) == pytest.approx(as_array(ref, len(g)), abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_katz_equals_networkx(seed):
    g = random_graph(seed, directed=True)
    mat = matrix(g)
    rho = spectral_radius(mat)
    assert rho == pytest.approx(max(abs(np.linalg.eigvals(mat.toarray()))), rel=1e-6)
    ref = nx.katz_centrality(
        g, alpha=DAMPING / (rho * 1.000001), beta=1.0, normalized=False, weight="weight",
        max_iter=100000, tol=1e-13,
    )  # fmt: skip
    expected = as_array(ref, len(g))
    assert katz_matrix(mat) == pytest.approx(expected * len(g) / expected.sum(), rel=1e-7)


@pytest.mark.parametrize("seed", SEEDS)
def test_exact_betweenness_equals_networkx(seed):
    g = random_graph(seed)
    values, info = betweenness_matrix(matrix(g))
    assert info == {"method": "exact", "samples": 0}
    ref = nx.betweenness_centrality(g, normalized=True)
    assert values == pytest.approx(as_array(ref, len(g)), abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_sampled_betweenness_is_networkx_subset_scaled(seed):
    g = random_graph(seed, n=60)
    n, k = len(g), 15
    values, info = betweenness_matrix(matrix(g), samples=k, seed=seed)
    assert info == {"method": "sampled", "samples": k}
    sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    ref = nx.betweenness_centrality_subset(g, sources=sources.tolist(), targets=list(g))
    expected = as_array(ref, n) * (n / k) * 2 / ((n - 1) * (n - 2))
    assert values == pytest.approx(expected, abs=1e-12)


def test_sampled_betweenness_finds_the_same_brokers():
    from orgmap.sample import sample_org
    from orgmap.views import collaboration_matrix

    mat = collaboration_matrix(sample_org(600, seed=3))
    exact, _ = betweenness_matrix(mat)
    sampled, info = betweenness_matrix(mat, samples=150, seed=0)
    assert info == {"method": "sampled", "samples": 150}
    assert np.corrcoef(exact, sampled)[0, 1] > 0.95
    top = set(np.argsort(exact)[-10:].tolist())
    assert len(top & set(np.argsort(sampled)[-20:].tolist())) >= 8


def test_large_orgs_are_estimated_and_say_so_with_the_bound():
    from orgmap.metrics import compute_all
    from orgmap.sample import sample_org

    org = sample_org(1000, seed=1)
    summary = compute_all(org, exact_limit=500)["summary"]
    info = summary["betweenness"]
    assert info["method"] == "sampled" and info["estimator"] == "KADABRA"
    assert info["error_bound"] == 0.01 and info["confidence"] == 0.9
    assert info["samples"] > 100
    assert brokerage_scores(org)[1] == {"method": "exact", "samples": 0}


def test_kadabra_is_within_its_bound_of_networkx_exact():
    # networkx's exact betweenness is the reference; the KADABRA estimate, rescaled from
    # networkit's scale (twice brokerage's), must be within its stated bound everywhere
    from orgmap.metrics.brokerage import ERROR_BOUND, kadabra_matrix

    g = nx.connected_watts_strogatz_graph(800, 4, 0.05, seed=4)
    g.add_edges_from((0, 800 + i) for i in range(20))  # a hub with 20 leaves
    g.add_edges_from([(820, 821), (821, 822)])  # a second, tiny part: the middle brokers 1 pair
    n = len(g)
    ref = as_array(nx.betweenness_centrality(g, normalized=True), n)
    values, info = kadabra_matrix(matrix(g), seed=0)
    assert np.max(np.abs(values - ref)) <= ERROR_BOUND
    # the scale is right (networkit's own is doubled): the top 20 brokers' values
    # agree on average within 10%
    top = np.argsort(-ref)[:20]
    assert values[top].sum() / ref[top].sum() == pytest.approx(1.0, abs=0.1)
    assert values[821] == pytest.approx(ref[821], abs=ERROR_BOUND)
    # the same seed gives the same numbers (single-threaded draws)
    again, _ = kadabra_matrix(matrix(g), seed=0)
    assert np.array_equal(values, again)
    assert info["estimator"] == "KADABRA" and info["samples"] > 0


def test_kadabra_on_a_path_of_four():
    # hand-computed: the inner two each lie on 2 of the 3 pairs of other people
    from orgmap.metrics.brokerage import kadabra_matrix

    path = sp.csr_array(np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]]))
    values, _ = kadabra_matrix(path, seed=0)
    assert values == pytest.approx([0.0, 2 / 3, 2 / 3, 0.0], abs=0.01)


@pytest.mark.parametrize("seed", SEEDS)
def test_constraint_and_effective_size_equal_networkx(seed):
    g = random_graph(seed)
    g.add_node(len(g))  # an isolate: networkx gives NaN, so do the kernels
    n = len(g)
    c, e = constraint_matrix(matrix(g)), effective_size_matrix(matrix(g))
    ref_c = as_array(nx.constraint(g, weight="weight"), n)
    # nodes=... takes networkx's per-node formula; its matrix shortcut for nodes=None
    # (networkx 3.6) disagrees with that formula on weighted graphs by up to 2%
    ref_e = as_array(nx.effective_size(g, nodes=list(g), weight="weight"), n)
    np.testing.assert_allclose(c, ref_c, rtol=1e-10, equal_nan=True)
    np.testing.assert_allclose(e, ref_e, rtol=1e-10, equal_nan=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_reach_equals_networkx(seed):
    g = random_graph(seed)
    n = len(g)
    expected = [len(nx.single_source_shortest_path_length(g, v, cutoff=2)) - 1 for v in range(n)]
    assert reach_matrix(matrix(g)).tolist() == expected
    assert reach_matrix(matrix(g), 1).tolist() == [g.degree(v) for v in range(n)]


def brute_force_gould_fernandez(g: nx.DiGraph, group: list[int]) -> np.ndarray:
    out = np.zeros((len(g), 5), dtype=int)
    for b in g:
        for a, c in itertools.product(g.predecessors(b), g.successors(b)):
            if a == c or g.has_edge(a, c) or min(group[a], group[b], group[c]) < 0:
                continue
            ga, gb, gc = group[a], group[b], group[c]
            if ga == gb == gc:
                k = 0
            elif ga == gc:
                k = 1
            elif gb == gc:
                k = 2
            elif ga == gb:
                k = 3
            else:
                k = 4
            out[b, k] += 1
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_gould_fernandez_equals_brute_force(seed):
    g = random_graph(seed, directed=True, p=0.15)
    rng = np.random.default_rng(seed)
    group = rng.integers(-1, 4, size=len(g)).tolist()
    fast = gould_fernandez_matrix(matrix(g), np.array(group))
    assert fast.tolist() == brute_force_gould_fernandez(g, group).tolist()


MODULES = [
    "orgmap.views",
    "orgmap.metrics.percentile",
    "orgmap.metrics.hierarchy",
    "orgmap.metrics.influence",
    "orgmap.metrics.brokerage",
    "orgmap.metrics.structural_holes",
    "orgmap.metrics.reach",
    "orgmap.metrics.projects",
    "orgmap.metrics.mentorship",
    "orgmap.metrics.risk",
    "orgmap.metrics.roles",
    "orgmap.metrics.teams",
    "orgmap.metrics.compute",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", [m for m in MODULES if m.startswith("orgmap.metrics.")])
def test_every_public_metric_function_documents_a_reference_and_an_example(name):
    import inspect

    module = importlib.import_module(name)
    for attr in getattr(module, "__all__", []):
        obj = getattr(module, attr)
        if inspect.isfunction(obj) and name != "orgmap.metrics.compute":
            doc = inspect.getdoc(obj) or ""
            assert "References" in doc and "Examples" in doc, f"{name}.{attr}"
