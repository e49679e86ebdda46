"""Reach: how far a person's direct collaboration extends, in people, teams and departments.

``reach_2`` counts people within two steps on the collaboration graph. Teams and
departments reached count the person's own team (department) and those of their
direct collaborators (one step): two steps reach most of a well-connected org, one
step separates the people who work across the org from those who don't.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import collaboration_matrix, normalize_relations, people_index

__all__ = [
    "reach_matrix",
    "reach_2",
    "groups_reached",
    "teams_reached",
    "departments_reached",
    "org_reach",
]

_BLOCK = 4096


def _pattern(mat: sp.sparray) -> sp.csr_array:
    a = sp.csr_array(mat, dtype=np.float64, copy=True)
    a.data[:] = 1.0
    return a


#: Two-step entries the light part of reach_matrix forms per block of rows.
_ENTRIES_PER_BLOCK = 8_000_000


def reach_matrix(mat: sp.sparray, k: int = 2) -> np.ndarray:
    """Number of *other* nodes within ``k`` steps of each node (``k`` = 1 or 2).

    Exact, without forming ``A @ A``, which for one manager of 100 000 (every report
    two steps from every other) is 10^10 entries. Neighbours are split at degree
    ``sqrt(nnz)``: through a light neighbour the two-step nodes are listed (at most
    ``sqrt(nnz)`` each); the heavy ones (at most ``2 sqrt(nnz)`` of them) are unioned
    as boolean masks, once per distinct set of heavy neighbours, which people of one
    team or under one manager share. A node's count is the mask's size plus its
    listed nodes outside the mask.

    References
    ----------
    Borgatti, S. P. (2005). Centrality and network flow. Social Networks 27, 55-71.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> path = sp.csr_array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    >>> reach_matrix(path).tolist()
    [2, 3, 3, 2]
    """
    a = _pattern(mat)
    a.setdiag(0)
    a.eliminate_zeros()
    a.sort_indices()
    n = a.shape[0]
    degree = np.diff(a.indptr).astype(np.int64)
    if k == 1:
        return degree
    if k != 2:
        raise ValueError("reach_matrix supports k = 1 or 2")
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    heavy = degree > max(16, int(np.sqrt(a.nnz)))
    light_rows = (sp.diags_array((~heavy).astype(np.float64)) @ a).tocsr()
    # entries of row i of A @ L + A + I, bounded above: sizes blocks of rows
    expected = a @ np.where(heavy, 0, degree).astype(np.float64) + degree + 1
    hub_rows = (a @ sp.diags_array(heavy.astype(np.float64))).tocsr()
    hub_rows.eliminate_zeros()
    has_hub = np.diff(hub_rows.indptr) > 0
    plain = np.flatnonzero(~has_hub)
    out[plain] = _listed_outside(a, light_rows, plain, expected, None) - 1
    if has_hub.any():
        groups: dict[tuple[int, ...], list[int]] = {}
        hp, hi = hub_rows.indptr, hub_rows.indices
        for i in np.flatnonzero(has_hub).tolist():
            groups.setdefault(tuple(hi[hp[i] : hp[i + 1]].tolist()), []).append(i)
        mask = np.zeros(n, dtype=bool)
        for hubs, members in groups.items():
            # the union of the heavy neighbours' neighbourhoods, built once per set
            union = np.concatenate([a.indices[a.indptr[h] : a.indptr[h + 1]] for h in hubs])
            mask[union] = True
            size = int(np.count_nonzero(mask[np.unique(union)]))
            rows = np.asarray(members, dtype=np.int64)
            out[rows] = size + _listed_outside(a, light_rows, rows, expected, mask) - 1
            mask[union] = False
    return out


def _listed_outside(
    a: sp.csr_array,
    light_rows: sp.csr_array,
    rows: np.ndarray,
    expected: np.ndarray,
    mask: np.ndarray | None,
) -> np.ndarray:
    """Per row of ``rows``: nodes of row ``i`` of ``A @ L + A + I`` outside ``mask``.

    In blocks of about ``_ENTRIES_PER_BLOCK`` entries, so memory stays bounded.
    """
    n = a.shape[0]
    out = np.zeros(len(rows), dtype=np.int64)
    cum = np.cumsum(expected[rows])
    first = 0
    while first < len(rows):
        done = cum[first - 1] if first else 0.0
        last = int(np.searchsorted(cum, done + _ENTRIES_PER_BLOCK, side="right"))
        last = min(max(last, first + 1), len(rows))
        block = rows[first:last]
        ab = a[block]
        eye = sp.csr_array(
            (np.ones(len(block)), (np.arange(len(block)), block)), shape=(len(block), n)
        )
        listed = (ab @ light_rows + ab + eye).tocsr()
        if mask is None:
            out[first:last] = np.diff(listed.indptr)
        else:
            outside = ~mask[listed.indices]
            row_of = np.repeat(np.arange(len(block)), np.diff(listed.indptr))
            out[first:last] = np.bincount(row_of, weights=outside, minlength=len(block))
        first = last
    return out


def reach_2(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """Number of people within two steps on the collaboration graph (the person excluded).

    References
    ----------
    Borgatti, S. P. (2005). Centrality and network flow. Social Networks 27, 55-71
    (k-step reach).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> reach_2(example_org())["person:7"]  # Cy and Flo, then Ada, Ed, Ben, Di
    6
    """
    chosen = normalize_relations(relations)
    values = org.cached(
        ("orgmap.metrics", "reach_2", chosen),
        lambda: reach_matrix(collaboration_matrix(org, chosen), 2),
    )
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))


def groups_reached(mat: sp.sparray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct groups among each node and its neighbours (``group`` -1 = none).

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (boundary spanning).

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> path = sp.csr_array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    >>> groups_reached(path, np.array([0, 1, -1]), 2).tolist()
    [2, 2, 1]
    """
    n = mat.shape[0]
    if n_groups == 0 or n == 0:
        return np.zeros(n, dtype=np.int64)
    a = _pattern(mat) + sp.eye_array(n, format="csr")
    has = group >= 0
    member = sp.csr_array(
        (np.ones(int(has.sum())), (np.flatnonzero(has), group[has])), shape=(n, n_groups)
    )
    hits = (a @ member).tocsr()
    return np.diff(hits.indptr).astype(np.int64)


def _reached(org: Org, relations: Iterable[str] | None, what: str) -> np.ndarray:
    chosen = normalize_relations(relations)

    def compute() -> np.ndarray:
        people = people_index(org)
        mat = collaboration_matrix(org, chosen)
        if what == "team":
            return groups_reached(mat, people.team, len(people.team_nodes))
        return groups_reached(mat, people.dept, len(people.dept_nodes))

    return org.cached(("orgmap.metrics", "reached", what, chosen), compute)


def teams_reached(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """Distinct teams among the person and their direct collaborators.

    People without a team add none; a person with a team and no collaborators
    reaches 1.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (boundary spanning).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> teams_reached(example_org())["person:2"]  # Platform, Leadership, Data
    3
    """
    values = _reached(org, relations, "team")
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))


def departments_reached(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """Distinct departments among the person and their direct collaborators.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (boundary spanning).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> departments_reached(example_org())["person:2"]  # Engineering, Exec
    2
    """
    values = _reached(org, relations, "department")
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))


def org_reach(org: Org, relations: Iterable[str] | None = None) -> dict[str, float]:
    """``teams_reached`` divided by the number of teams in the org (0 to 1).

    0 for everyone when the org has no teams.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (boundary spanning).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> org_reach(example_org())["person:2"]  # all three teams
    1.0
    """
    n_teams = len(people_index(org).team_nodes)
    values = _reached(org, relations, "team")
    shares = values / n_teams if n_teams else np.zeros(len(values))
    return dict(zip(people_index(org).nodes, shares.tolist(), strict=True))
