"""Brokerage: betweenness centrality on the collaboration graph.

A person with high betweenness sits on many of the shortest paths between other
people: information between parts of the org tends to pass through them.

Exact up to :data:`EXACT_LIMIT` people (igraph's Brandes algorithm; 1.2 s at 5 000
people here, 5.4 s at 10 000). Above that, estimated with KADABRA (Borassi & Natale
2019, networkit's ``KadabraBetweenness``): it samples shortest paths between random
pairs until, with probability at least :data:`CONFIDENCE`, every person's value is
within :data:`ERROR_BOUND` of the exact one. It was chosen by measurement
(``benchmarks/brokerage_bench.py``, README there): at 10 000 people it is the fastest
estimator that keeps at least 90 of the exact top 100 brokers; igraph's sampled Brandes
needs 2 048 source people (4x the time) for that.

networkit's KADABRA scores are on another scale (twice brokerage's; see
:func:`kadabra_matrix`), rescaled here. Single-threaded with a fixed seed, so the same file gives the same numbers. Without networkit the estimate
falls back to igraph's sampled Brandes (:data:`SAMPLES` source people). The result
says which method ran and its bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import collaboration_matrix, normalize_relations, people_index

__all__ = [
    "EXACT_LIMIT",
    "ERROR_BOUND",
    "CONFIDENCE",
    "SAMPLES",
    "SAMPLES_LARGE",
    "LARGE",
    "betweenness_matrix",
    "kadabra_matrix",
    "brokerage",
]

#: Largest number of people for which betweenness is computed exactly.
EXACT_LIMIT = 5000
#: Source samples for the estimate above EXACT_LIMIT ...
SAMPLES = 512
#: ... and above LARGE people, where each sample costs ten times more.
LARGE = 20000
SAMPLES_LARGE = 256
#: KADABRA's absolute error bound on a normalized value (0 to 1) ...
ERROR_BOUND = 0.01
#: ... holding for every person at once with this probability.
CONFIDENCE = 0.9


def _igraph(mat: sp.sparray):
    import igraph as ig

    upper = sp.triu(mat, k=1).tocoo()
    edges = np.column_stack([upper.row, upper.col]).astype(np.int64)
    return ig.Graph(n=mat.shape[0], edges=edges.tolist())


def betweenness_matrix(
    mat: sp.sparray, samples: int | None = None, seed: int = 0
) -> tuple[np.ndarray, dict[str, object]]:
    """Normalized betweenness of an undirected, unweighted graph given as a sparse matrix.

    Parameters
    ----------
    mat : sparse array, shape (n, n)
        Symmetric; any non-zero entry is an edge (weights are ignored: a path is as
        short as its number of hand-offs).
    samples : int, optional
        ``None`` for the exact value; otherwise the number of source nodes drawn with
        ``numpy.random.default_rng(seed)``. The estimate scales the paths from those
        sources by ``n / samples`` (unbiased; Brandes & Pich 2007).
    seed : int

    Returns
    -------
    (values, info)
        ``values`` as :func:`networkx.betweenness_centrality` with ``normalized=True``
        (0 when ``n < 3``); ``info`` is ``{"method": "exact"|"sampled", "samples": k}``
        (``samples`` 0 when exact).

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of
    Mathematical Sociology 25(2), 163-177. Brandes, U. & Pich, C. (2007). Centrality
    estimation in large networks. Int. J. Bifurcation and Chaos 17(7), 2303-2318.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> path = sp.csr_array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])  # 0 - 1 - 2
    >>> betweenness_matrix(path)[0].tolist()
    [0.0, 1.0, 0.0]
    """
    n = mat.shape[0]
    if n < 3:
        return np.zeros(n), {"method": "exact", "samples": 0}
    graph = _igraph(mat)
    if samples is None or samples >= n:
        raw = np.asarray(graph.betweenness(directed=False), dtype=np.float64)
        info: dict[str, object] = {"method": "exact", "samples": 0}
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=samples, replace=False))
        # igraph's subset betweenness halves undirected paths like networkx's subset
        # version: the sum over (source in S, any target) / 2, an estimate of the
        # exact value times samples / n
        raw = np.asarray(
            graph.betweenness(directed=False, sources=sources.tolist()), dtype=np.float64
        )
        raw *= n / samples
        info = {"method": "sampled", "samples": int(samples)}
    values = raw * 2.0 / ((n - 1) * (n - 2))
    return np.where(np.isfinite(values), values, 0.0), info


def kadabra_matrix(
    mat: sp.sparray,
    error_bound: float = ERROR_BOUND,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> tuple[np.ndarray, dict[str, object]]:
    """Normalized betweenness as :func:`betweenness_matrix`, estimated with KADABRA.

    Every value is within ``error_bound`` of the exact one with probability at least
    ``confidence``. ``info`` is ``{"method": "sampled", "samples": paths sampled,
    "estimator": "KADABRA", "error_bound": ..., "confidence": ...}``.

    networkit's KADABRA scores count ordered pairs over ``n (n - 1) / 2``: twice the
    share of unordered pairs (measured: a path of four people scores 2/3 for its
    inner two, and a 2 500-person graph's top brokers score 1.94-2.11 times their exact
    values). Rescaled to brokerage's ``(n - 1)(n - 2) / 2`` pairs of *other* people,
    KADABRA's bound ``eps`` becomes ``eps * n / (2 (n - 2))``, at most ``eps`` (n >= 4).

    References
    ----------
    Borassi, M. & Natale, E. (2019). KADABRA is an ADaptive Algorithm for Betweenness
    via Random Approximation. ACM Journal of Experimental Algorithmics 24, 1.2.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> path = sp.csr_array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    >>> values, info = kadabra_matrix(path)  # exact: 0, 2/3, 2/3, 0
    >>> [round(v, 1) for v in values.tolist()], info["estimator"]
    ([0.0, 0.7, 0.7, 0.0], 'KADABRA')
    """
    import networkit as nk

    n = mat.shape[0]
    if n < 4:
        return betweenness_matrix(mat)
    upper = sp.triu(mat, k=1).tocoo()
    # networkit reads the index arrays as intp; scipy hands int32 for small graphs
    rows, cols = upper.row.astype(np.intp), upper.col.astype(np.intp)
    graph = nk.GraphFromCoo((np.ones(upper.nnz), (rows, cols)), n=n, directed=False)
    # networkit's thread pool is process-wide: one thread keeps the seed's sequence
    # (two threads interleave their draws and the values differ run to run)
    threads = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(1)
    try:
        nk.engineering.setSeed(seed, False)
        algo = nk.centrality.KadabraBetweenness(graph, error_bound, 1.0 - confidence)
        algo.run()
    finally:
        nk.setNumberOfThreads(threads)
    values = np.asarray(algo.scores(), dtype=np.float64) * (n / (2.0 * (n - 2)))
    info: dict[str, object] = {
        "method": "sampled",
        "samples": int(algo.getNumberOfIterations()),
        "estimator": "KADABRA",
        "error_bound": error_bound,
        "confidence": confidence,
    }
    return np.where(np.isfinite(values), values, 0.0), info


def estimate(mat: sp.sparray, seed: int = 0) -> tuple[np.ndarray, dict[str, object]]:
    """The estimate brokerage uses above the exact limit: KADABRA, or igraph's sampled
    Brandes where networkit is not installed."""
    try:
        import networkit  # noqa: F401
    except ImportError:
        values, info = betweenness_matrix(mat, choose_samples(mat.shape[0], 0), seed)
        return values, {**info, "estimator": "sampled Brandes (igraph)"}
    return kadabra_matrix(mat, seed=seed)


def describe(info: dict[str, object]) -> str:
    """One phrase saying how brokerage was computed, for the report and the terminal."""
    if info.get("method") == "exact":
        return "exact (Brandes)"
    if info.get("estimator") == "KADABRA":
        return (
            f"estimated (KADABRA, {info.get('samples', 0):,} sampled paths): every value "
            f"within {info.get('error_bound')} of the exact one with probability "
            f"{float(info.get('confidence', 0)):.0%}"  # type: ignore[arg-type]
        )
    return f"estimated from {info.get('samples', 0):,} sampled source people (seed fixed)"


def choose_samples(n: int, exact_limit: int = EXACT_LIMIT) -> int | None:
    """``None`` (exact) up to ``exact_limit`` people, else the sample size used."""
    if n <= exact_limit:
        return None
    return SAMPLES if n <= LARGE else SAMPLES_LARGE


def brokerage_scores(
    org: Org, relations: Iterable[str] | None = None, exact_limit: int = EXACT_LIMIT, seed: int = 0
) -> tuple[np.ndarray, dict[str, object]]:
    """Array form of :func:`brokerage` plus the method info (cached)."""
    chosen = normalize_relations(relations)

    def compute() -> tuple[np.ndarray, dict[str, object]]:
        mat = collaboration_matrix(org, chosen)
        if mat.shape[0] <= exact_limit:
            return betweenness_matrix(mat, None, seed)
        return estimate(mat, seed)

    return org.cached(_scores_key(chosen, exact_limit, seed), compute)


def _scores_key(chosen: frozenset[str], exact_limit: int, seed: int) -> tuple:
    return ("orgmap.metrics", "betweenness", chosen, exact_limit, seed)


def scores_in_background(
    org: Org, relations: Iterable[str] | None = None, exact_limit: int = EXACT_LIMIT, seed: int = 0
) -> Callable[[], None]:
    """Start :func:`brokerage_scores`' estimate on another thread; the returned function
    waits for it and caches the result, so the next :func:`brokerage_scores` is instant.

    networkit's KADABRA runs in C++ without Python's lock, so the other metrics go on
    meanwhile on the second core (at 100k people it takes 3-5 s of about 12). Exact
    betweenness (igraph, which keeps the lock) and a result already cached run
    nothing here. Call it from the thread that owns ``org``: the collaboration graph is
    built here, before the thread starts, which then touches only that matrix.
    """
    chosen = normalize_relations(relations)
    key = _scores_key(chosen, exact_limit, seed)
    mat = collaboration_matrix(org, chosen)
    if org.has_cached(key) or mat.shape[0] <= exact_limit:
        return lambda: None
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = estimate(mat, seed)
        except BaseException as exc:  # re-raised on the owner's thread by wait()
            box["error"] = exc

    thread = threading.Thread(target=run, name="orgmap-brokerage", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if "error" in box:
            raise box["error"]
        org.cached(key, lambda: box["result"])

    return wait


def brokerage(
    org: Org, relations: Iterable[str] | None = None, exact_limit: int = EXACT_LIMIT, seed: int = 0
) -> dict[str, float]:
    """Betweenness centrality of each person on the collaboration graph (0 to 1).

    The share of shortest paths between pairs of other people that pass through
    the person, normalized by the number of such pairs; 0 in orgs of fewer than
    three people. Exact up to ``exact_limit`` people, else estimated from a fixed
    sample (see the module docstring); ``compute_all``'s summary says which.

    References
    ----------
    Brandes (2001), see :func:`betweenness_matrix`; Freeman, L. C. (1977). A set of
    measures of centrality based on betweenness. Sociometry 40, 35-41.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> b = brokerage(example_org())
    >>> max(b, key=b.get)  # Ben links the CEO, Platform and Data
    'person:2'
    """
    values, _ = brokerage_scores(org, relations, exact_limit, seed)
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))
