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


def reach_matrix(mat: sp.sparray, k: int = 2) -> np.ndarray:
    """Number of *other* nodes within ``k`` steps of each node (``k`` = 1 or 2).

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
    n = a.shape[0]
    if k == 1:
        return np.diff(a.indptr).astype(np.int64)
    if k != 2:
        raise ValueError("reach_matrix supports k = 1 or 2")
    out = np.zeros(n, dtype=np.int64)
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        block = (a[start:stop] @ a + a[start:stop]).tocsr()
        counts = np.diff(block.indptr)
        # the node itself is two steps away through any neighbour; don't count it
        diag = block[np.arange(stop - start), np.arange(start, stop)]
        out[start:stop] = counts - (np.asarray(diag).ravel() != 0)
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
