"""Brokerage: betweenness centrality on the collaboration graph.

A person with high betweenness sits on many of the shortest paths between other
people: information between parts of the org tends to pass through them.

Exact up to :data:`EXACT_LIMIT` people (igraph's Brandes algorithm; 1.2 s at 5 000
people here, 5.4 s at 10 000); above that, estimated from shortest paths out of a
fixed-seed random sample of source people (:data:`SAMPLES` of them, or
:data:`SAMPLES_LARGE` above :data:`LARGE`), scaled up. The result says which
method ran.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import collaboration_matrix, normalize_relations, people_index

__all__ = ["EXACT_LIMIT", "SAMPLES", "SAMPLES_LARGE", "LARGE", "betweenness_matrix", "brokerage"]

#: Largest number of people for which betweenness is computed exactly.
EXACT_LIMIT = 5000
#: Source samples for the estimate above EXACT_LIMIT ...
SAMPLES = 512
#: ... and above LARGE people, where each sample costs ten times more.
LARGE = 20000
SAMPLES_LARGE = 256


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
        return betweenness_matrix(mat, choose_samples(mat.shape[0], exact_limit), seed)

    return org.cached(("orgmap.metrics", "betweenness", chosen, exact_limit, seed), compute)


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
