"""Influence: status over the influence graph's nominations (Katz; PageRank on request).

An edge of the influence graph points from the influenced to the one who
influences them (:mod:`orgmap.views`), so status flows to the people others look
to, and to the people *those* people look to. See :func:`influence` for why Katz
status is the default and PageRank the alternative.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from orgmap.metrics.percentile import percentile_rank
from orgmap.model import Org
from orgmap.views import influence_matrix, normalize_relations, people_index

__all__ = [
    "DAMPING",
    "METHODS",
    "spectral_radius",
    "katz_matrix",
    "pagerank_matrix",
    "influence",
    "influence_percentile",
]


def pagerank_matrix(
    mat: sp.sparray, alpha: float = 0.85, tol: float = 1e-12, max_iter: int = 1000
) -> np.ndarray:
    """PageRank of a weighted directed graph given as a sparse matrix ``mat[i, j]``.

    Same model as :func:`networkx.pagerank` (uniform teleport, dangling nodes spread
    their rank uniformly), iterated to a tighter tolerance and never raising: after
    ``max_iter`` iterations the last vector is returned.

    Parameters
    ----------
    mat : sparse array, shape (n, n)
        Non-negative edge weights, row = source.
    alpha : float
        Damping factor.

    Returns
    -------
    numpy.ndarray
        Scores summing to 1 (empty for an empty graph).

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
    engine. Computer Networks and ISDN Systems 30, 107-117.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> m = sp.csr_array([[0, 1, 0], [0, 0, 1], [0, 1, 0]])  # 0 -> 1 <-> 2
    >>> pagerank_matrix(m).round(3).tolist()
    [0.05, 0.486, 0.464]
    """
    n = mat.shape[0]
    if n == 0:
        return np.zeros(0)
    mat = sp.csr_array(mat, dtype=np.float64)
    out = np.asarray(mat.sum(axis=1)).ravel()
    dangling = out == 0
    inv = np.zeros(n)
    inv[~dangling] = 1.0 / out[~dangling]
    # transition matrix transposed once, so each step is one sparse mat-vec
    trans = (sp.diags_array(inv) @ mat).T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (trans @ last + last[dangling].sum() / n) + (1.0 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return x / x.sum()


#: Attenuation of Katz status relative to the largest possible (1 / spectral radius).
#: Half-way, not 0.85: close to 1 / rho, Katz status tends to the leading eigenvector,
#: which in an org concentrates on whichever small cycle of mutual nominations (two
#: people leading each other's projects) has the largest root; in the bundled sample
#: that lifted a marketing manager named by 8 people above everyone named by more.
DAMPING = 0.5
#: ``"katz"`` (default) or ``"pagerank"``; see :func:`influence`.
METHODS = ("katz", "pagerank")


def spectral_radius(mat: sp.sparray, iterations: int = 300) -> float:
    """Largest eigenvalue of a non-negative sparse matrix (its Perron root), by power
    iteration on ``mat + I`` (the shift avoids oscillating on periodic graphs).

    References
    ----------
    Perron-Frobenius; von Mises power iteration (Golub & Van Loan, Matrix Computations).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> round(float(spectral_radius(sp.csr_array([[0, 1], [1, 0]]))), 6)
    1.0
    """
    n = mat.shape[0]
    if n == 0 or mat.nnz == 0:
        return 0.0
    m = sp.csr_array(mat, dtype=np.float64)
    x = np.full(n, 1.0 / n)
    growth = 1.0
    for _ in range(iterations):
        y = m.T @ x + x
        norm = y.sum()
        last, growth = growth, norm / x.sum()
        x = y / norm
        if abs(growth - last) < 1e-12 * growth:
            break
    return max(0.0, growth - 1.0)


def katz_matrix(
    mat: sp.sparray, damping: float = DAMPING, tol: float = 1e-12, max_iter: int = 2000
) -> np.ndarray:
    """Katz status of each node of a weighted directed graph, scaled to mean 1.

    ``x_j = 1 + a * sum_i mat[i, j] * x_i``: every nomination ``i -> j`` passes on
    ``a`` times the nominator's own status, in full however many others ``i``
    nominates. The attenuation ``a`` is ``damping / rho`` (``rho`` the spectral
    radius; ``damping`` alone when ``rho < 1``, as in an org chart without cycles).

    References
    ----------
    Katz, L. (1953). A new status index derived from sociometric analysis.
    Psychometrika 18(1), 39-43.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> m = sp.csr_array([[0, 1, 0], [0, 0, 1], [0, 0, 0]])  # 0 -> 1 -> 2
    >>> katz_matrix(m).round(3).tolist()  # 1, 1 + .5, 1 + .5 * 1.5; then mean 1
    [0.706, 1.059, 1.235]
    """
    n = mat.shape[0]
    if n == 0:
        return np.zeros(0)
    m = sp.csr_array(mat, dtype=np.float64)
    rho = spectral_radius(m)
    a = damping / max(rho * 1.000001, 1.0)
    trans = m.T.tocsr()
    for _ in range(20):
        x = np.ones(n)
        converged = False
        for _ in range(max_iter):
            last = x
            x = 1.0 + a * (trans @ last)
            if not np.isfinite(x).all():
                break
            if np.abs(x - last).sum() < tol * x.sum():
                converged = True
                break
        if converged:
            return x * (n / x.sum())
        # the power iteration underestimated rho (slow convergence): damp harder
        a /= 2.0
    return np.ones(n)


def _scores(org: Org, relations: Iterable[str] | None, method: str = "katz") -> np.ndarray:
    chosen = normalize_relations(relations)
    if method not in METHODS:
        raise ValueError(f"unknown influence method {method!r}; known: {', '.join(METHODS)}")

    def compute() -> np.ndarray:
        mat = influence_matrix(org, chosen)
        if method == "pagerank":
            return pagerank_matrix(mat) * people_index(org).n
        return katz_matrix(mat)

    return org.cached(("orgmap.metrics", "influence", method, chosen), compute)


def influence(
    org: Org, relations: Iterable[str] | None = None, method: str = "katz"
) -> dict[str, float]:
    """How sought-after a person is, through the influence graph's nominations.

    By default Katz status (:func:`katz_matrix`): a nomination passes on a damped
    share of the nominator's own status, in full, so people who are sought by many,
    and by people who are themselves sought, score highest. ``method="pagerank"``
    gives PageRank instead (:func:`pagerank_matrix`), which splits each nominator's
    vote among everyone they nominate. Both are scaled so the average person
    scores 1 (3 = three times the average).

    Why Katz by default: PageRank's vote splitting rewards being named by someone
    who names few others. In Krackhardt's high-tech managers, manager 2 is sought
    for advice by 18 of the other 20 and names only three advisers, one of them 21;
    PageRank then ranks 21 (sought by 15) above 2 at every damping factor, while
    Katz status ranks 2 first, as the "most sought-after rank highest" intent of
    the metric asks.

    Parameters
    ----------
    org : Org
    relations : iterable of str, optional
        Relation kinds of the influence graph (:data:`orgmap.model.RELATIONS`);
        all by default.
    method : {"katz", "pagerank"}

    Returns
    -------
    dict
        ``{person node: score}``; everyone scores 1 when nobody nominates anyone.

    References
    ----------
    Katz (1953), see :func:`katz_matrix`; Brin & Page (1998), see
    :func:`pagerank_matrix`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> scores = influence(example_org())
    >>> sorted(scores, key=scores.get, reverse=True)[:2]  # Ben, sought 3 ways; the CEO
    ['person:2', 'person:1']
    """
    values = _scores(org, relations, method)
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))


def influence_percentile(
    org: Org, relations: Iterable[str] | None = None, method: str = "katz"
) -> dict[str, float]:
    """Each person's :func:`influence` as a percentile rank in the whole org (0 to 1).

    The share of other people with lower influence, ties counted half
    (:func:`orgmap.metrics.percentile.percentile_rank`); 1.0 in a one-person org.

    References
    ----------
    Katz (1953) and Brin & Page (1998), see :func:`influence`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> influence_percentile(example_org())["person:1"]  # the CEO, below Ben only
    0.8333333333333334
    """
    ranks = percentile_rank(_scores(org, relations, method))
    return dict(zip(people_index(org).nodes, ranks.tolist(), strict=True))
