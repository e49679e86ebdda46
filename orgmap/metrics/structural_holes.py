"""Burt's structural holes: constraint and effective size, on the collaboration graph.

networkx's versions loop in Python over every pair of neighbours (minutes at
100 000 people); these compute the same numbers with sparse matrix products,
restricted to the pairs that are edges, a block of rows at a time so memory stays
bounded. Tests check both against networkx on small graphs.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import collaboration_matrix, normalize_relations, people_index

__all__ = ["constraint_matrix", "effective_size_matrix", "constraint", "effective_size"]

#: Candidate wedges examined per chunk of the triangle listing (bounds its memory).
_WEDGES_PER_CHUNK = 4_000_000


def _pattern(w: sp.sparray) -> sp.csr_array:
    """``w`` as float CSR without stored zeros or a diagonal, indices sorted."""
    w = sp.csr_array(w, dtype=np.float64, copy=True)
    w.setdiag(0)
    w.eliminate_zeros()
    w.sort_indices()
    return w


def triangles(a: sp.csr_array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every triangle of an undirected graph once, as three arrays of node indices.

    The "forward" listing (Schank & Wagner 2005): nodes are ranked by degree, each
    edge points from lower to higher rank, and a triangle is found once, at its
    lowest node, as two out-edges whose ends are joined. A node keeps at most
    ``sqrt(2m)`` out-edges, so the work is ``O(m^1.5)`` however the degrees are
    spread: a manager of 100 000 has no out-edges at all (everyone ranks below),
    where the product ``A @ A`` would make 10^10 pairs.

    References
    ----------
    Schank, T. & Wagner, D. (2005). Finding, counting and listing all triangles in
    large graphs. WEA 2005, LNCS 3503, 606-609.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> k4_minus = sp.csr_array([[0,1,1,1],[1,0,1,0],[1,1,0,1],[1,0,1,0]])  # two triangles
    >>> sorted(tuple(sorted(t)) for t in zip(*[x.tolist() for x in triangles(k4_minus)]))
    [(0, 1, 2), (0, 2, 3)]
    """
    n = a.shape[0]
    coo = sp.coo_array(a)
    row, col = coo.row.astype(np.int64), coo.col.astype(np.int64)
    degree = np.bincount(row, minlength=n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    keep = rank[row] < rank[col]
    up = sp.csr_array(
        (np.ones(int(keep.sum())), (row[keep], col[keep])), shape=(n, n), dtype=np.float64
    )
    up.sum_duplicates()
    up.sort_indices()
    indptr, indices = up.indptr.astype(np.int64), up.indices.astype(np.int64)
    out_degree = np.diff(indptr)
    keys = np.repeat(np.arange(n, dtype=np.int64), out_degree) * n + indices
    wedges = out_degree * out_degree  # ordered pairs of out-edges, the pair with itself too
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    cum = np.cumsum(wedges)
    first = 0
    while first < n:
        # rows [first, last) hold about _WEDGES_PER_CHUNK wedges (one row at least)
        done = int(cum[first - 1]) if first else 0
        last = int(np.searchsorted(cum, done + _WEDGES_PER_CHUNK, side="right"))
        last = min(max(last, first + 1), n)
        k = out_degree[first:last]
        kk = k * k
        total = int(kk.sum())
        if total:
            owner = np.repeat(np.arange(first, last, dtype=np.int64), kk)
            t = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(kk) - kk, kk)
            width = np.repeat(k, kk)
            base = indptr[owner]
            v = indices[base + t // width]
            w = indices[base + t % width]
            ok = rank[v] < rank[w]
            owner, v, w = owner[ok], v[ok], w[ok]
            key = v * n + w
            pos = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = keys[pos] == key
            found.append((owner[hit], v[hit], w[hit]))
        first = last
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return tuple(np.concatenate(part) for part in zip(*found, strict=True))  # type: ignore[return-value]


def _ordered_triangles(a: sp.csr_array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j, q)`` positions in ``a.data`` of the edges i-j, i-q, q-j, for every
    ordered triple of a triangle's corners (six per triangle)."""
    x, y, z = triangles(a)
    n = a.shape[0]
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(a.indptr)) * n + a.indices
    i = np.concatenate([x, x, y, y, z, z])
    j = np.concatenate([y, z, x, z, x, y])
    q = np.concatenate([z, y, z, x, y, x])

    def pos(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return np.searchsorted(keys, u * n + v)

    return pos(i, j), pos(i, q), pos(q, j)


def _row_normalized(w: sp.csr_array) -> tuple[sp.csr_array, np.ndarray]:
    strength = np.asarray(w.sum(axis=1)).ravel()
    inv = np.zeros_like(strength)
    inv[strength > 0] = 1.0 / strength[strength > 0]
    return (sp.diags_array(inv) @ w).tocsr(), strength


def _rows_of(a: sp.csr_array) -> np.ndarray:
    return np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))


def constraint_matrix(w: sp.sparray) -> np.ndarray:
    """Burt's constraint of each node of an undirected weighted graph.

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over neighbours ``j`` (and ``q``) of
    ``i``, with ``p_ij = w_ij / sum_k w_ik``. Same values as
    :func:`networkx.constraint` with ``weight="weight"``; NaN for nodes without
    neighbours (callers substitute). The indirect terms only exist where ``i``,
    ``j`` and ``q`` close a triangle, so they are summed over the graph's triangles
    (:func:`triangles`), not over every two-step path: linear in the edges for a
    star, ``O(m^1.5)`` at worst. Self-loops are ignored.

    References
    ----------
    Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
    Harvard University Press.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> star = sp.csr_array([[0, 1, 1], [1, 0, 0], [1, 0, 0]])
    >>> constraint_matrix(star).tolist()  # the hub is half as constrained
    [0.5, 1.0, 1.0]
    """
    return structural_holes_matrix(w)[0]


def effective_size_matrix(w: sp.sparray) -> np.ndarray:
    """Burt's effective size of each node of an undirected weighted graph.

    ``e_i = sum_j (1 - sum_q p_iq m_jq)`` over neighbours ``j`` of ``i`` (``q`` over
    neighbours of ``i`` too), with ``p_iq = w_iq / sum_k w_ik`` and
    ``m_jq = w_jq / max_k w_jk``: the number of contacts minus their redundancy.
    Same values as :func:`networkx.effective_size` with ``weight="weight"``; NaN
    for nodes without neighbours (callers substitute). The redundancy terms exist
    only on triangles, so they are summed over :func:`triangles`.

    References
    ----------
    Burt (1992); Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy
    measures. Connections 20(1), 35-38.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> triangle = sp.csr_array([[0, 1, 1], [1, 0, 1], [1, 1, 0]])
    >>> effective_size_matrix(triangle).tolist()  # two contacts who know each other
    [1.0, 1.0, 1.0]
    """
    return structural_holes_matrix(w)[1]


def structural_holes_matrix(w: sp.sparray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`constraint_matrix` and :func:`effective_size_matrix` together: both sum
    over the same triangles, the costly part (at 100k people half of each's time),
    so the triangles are listed once."""
    w = _pattern(w)
    p, strength = _row_normalized(w)
    p.sort_indices()
    ij, iq, qj = _ordered_triangles(p)
    rows = _rows_of(p)
    # constraint: (p_ij + sum_q p_iq p_qj)^2 summed over j
    total = p.data.copy()
    np.add.at(total, ij, p.data[iq] * p.data[qj])
    constraint = np.bincount(rows, weights=total * total, minlength=w.shape[0]).astype(float)
    constraint[strength == 0] = np.nan
    # effective size: degree less redundancy_i = sum over triangles (i, j, q) of
    # p_iq * m_jq (m symmetric in pattern)
    rowmax = np.asarray(w.max(axis=1).toarray()).ravel() if w.nnz else np.zeros(w.shape[0])
    inv = np.zeros_like(rowmax)
    inv[rowmax > 0] = 1.0 / rowmax[rowmax > 0]
    m = (sp.diags_array(inv) @ w).tocsr()
    m.sort_indices()
    degree = np.diff(w.indptr).astype(np.float64)
    redundancy = np.bincount(
        rows[iq], weights=p.data[iq] * m.data[_swap(m, qj)], minlength=w.shape[0]
    )
    effective = degree - redundancy
    effective[strength == 0] = np.nan
    return constraint, effective


def _swap(a: sp.csr_array, positions: np.ndarray) -> np.ndarray:
    """Positions in ``a.data`` of the reversed edges (q, j) -> (j, q)."""
    n = a.shape[0]
    rows = _rows_of(a)
    keys = rows.astype(np.int64) * n + a.indices
    return np.searchsorted(keys, a.indices[positions].astype(np.int64) * n + rows[positions])


def _holes(org: Org, chosen: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    return org.cached(
        ("orgmap.metrics", "structural_holes", chosen),
        lambda: structural_holes_matrix(collaboration_matrix(org, chosen)),
    )


def constraint(org: Org, relations: Iterable[str] | None = None) -> dict[str, float | None]:
    """Burt's constraint on the collaboration graph (weighted): how much a person's
    contacts are tied to each other, so that they offer the same information.

    Near 1 (or above, for a single strong contact in a clique): closed, redundant
    network; low: contacts in separate groups, the person spans structural holes.
    People with no collaborators get ``None`` (constraint is undefined without
    contacts).

    References
    ----------
    Burt (1992), see :func:`constraint_matrix`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> c = constraint(example_org())
    >>> round(c["person:2"], 3), round(c["person:7"], 3)
    (0.486, 0.5)
    """
    chosen = normalize_relations(relations)
    values = _holes(org, chosen)[0]
    return {
        node: (None if v != v else v)  # NaN: no contacts
        for node, v in zip(people_index(org).nodes, values.tolist(), strict=True)
    }


def effective_size(org: Org, relations: Iterable[str] | None = None) -> dict[str, float]:
    """Burt's effective size on the collaboration graph (weighted): the number of a
    person's contacts, less how redundant they are with each other.

    People with no collaborators get 0 (no contacts, nothing effective).

    References
    ----------
    Burt (1992); Borgatti (1997), see :func:`effective_size_matrix`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> e = effective_size(example_org())
    >>> round(e["person:7"], 3)  # Gus: a manager and a friend who never meet
    2.0
    """
    chosen = normalize_relations(relations)
    values = _holes(org, chosen)[1]
    return {
        node: (0.0 if v != v else v)  # NaN: no contacts
        for node, v in zip(people_index(org).nodes, values.tolist(), strict=True)
    }
