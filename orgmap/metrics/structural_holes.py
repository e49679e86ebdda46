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

_BLOCK = 4096


def _masked_rowsums(x: sp.csr_array, y: sp.csr_array, f) -> np.ndarray:
    """``f(x_block, z_block)`` summed per row, where ``z = x @ y`` over a row block."""
    n = x.shape[0]
    out = np.zeros(n)
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        xb = x[start:stop]
        zb = (xb @ y).tocsr()
        out[start:stop] = f(xb, zb)
    return out


def _row_normalized(w: sp.csr_array) -> tuple[sp.csr_array, np.ndarray]:
    strength = np.asarray(w.sum(axis=1)).ravel()
    inv = np.zeros_like(strength)
    inv[strength > 0] = 1.0 / strength[strength > 0]
    return (sp.diags_array(inv) @ w).tocsr(), strength


def constraint_matrix(w: sp.sparray) -> np.ndarray:
    """Burt's constraint of each node of an undirected weighted graph.

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over neighbours ``j`` (and ``q``) of
    ``i``, with ``p_ij = w_ij / sum_k w_ik``. Same values as
    :func:`networkx.constraint` with ``weight="weight"``; NaN for nodes without
    neighbours (callers substitute).

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
    w = sp.csr_array(w, dtype=np.float64)
    p, strength = _row_normalized(w)

    def block(pb: sp.csr_array, zb: sp.csr_array) -> np.ndarray:
        zm = zb.multiply(pb != 0)  # indirect p only where j is a neighbour
        total = (pb + zm).tocsr()
        return np.asarray(total.multiply(total).sum(axis=1)).ravel()

    out = _masked_rowsums(p, p, block)
    out[strength == 0] = np.nan
    return out


def effective_size_matrix(w: sp.sparray) -> np.ndarray:
    """Burt's effective size of each node of an undirected weighted graph.

    ``e_i = sum_j (1 - sum_q p_iq m_jq)`` over neighbours ``j`` of ``i`` (``q`` over
    neighbours of ``i`` too), with ``p_iq = w_iq / sum_k w_ik`` and
    ``m_jq = w_jq / max_k w_jk``: the number of contacts minus their redundancy.
    Same values as :func:`networkx.effective_size` with ``weight="weight"``; NaN
    for nodes without neighbours (callers substitute).

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
    w = sp.csr_array(w, dtype=np.float64)
    p, strength = _row_normalized(w)
    rowmax = np.asarray(w.max(axis=1).toarray()).ravel() if w.nnz else np.zeros(w.shape[0])
    inv = np.zeros_like(rowmax)
    inv[rowmax > 0] = 1.0 / rowmax[rowmax > 0]
    m = (sp.diags_array(inv) @ w).tocsr()
    a = w.copy()
    a.data[:] = 1.0
    degree = np.diff(a.indptr).astype(np.float64)
    # redundancy_i = sum_q p_iq * (A @ M)_iq
    rows = np.zeros(w.shape[0])
    for start in range(0, w.shape[0], _BLOCK):
        stop = min(w.shape[0], start + _BLOCK)
        zb = (a[start:stop] @ m).tocsr()
        rows[start:stop] = np.asarray(p[start:stop].multiply(zb).sum(axis=1)).ravel()
    out = degree - rows
    out[strength == 0] = np.nan
    return out


def _collab(org: Org, relations: Iterable[str] | None) -> sp.csr_array:
    return collaboration_matrix(org, normalize_relations(relations))


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
    values = org.cached(
        ("orgmap.metrics", "constraint", chosen), lambda: constraint_matrix(_collab(org, chosen))
    )
    return {
        node: (None if np.isnan(v) else float(v))
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
    values = org.cached(
        ("orgmap.metrics", "effective_size", chosen),
        lambda: effective_size_matrix(_collab(org, chosen)),
    )
    return {
        node: (0.0 if np.isnan(v) else float(v))
        for node, v in zip(people_index(org).nodes, values.tolist(), strict=True)
    }
