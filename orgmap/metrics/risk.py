"""Key-person risk: what falls apart on the collaboration graph if one person leaves."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import collaboration_matrix, normalize_relations, people_index

__all__ = ["key_person_risk_matrix", "key_person_risk"]


def key_person_risk_matrix(mat: sp.sparray, team: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Team pairs and people that lose their last connection when a node is removed.

    Parameters
    ----------
    mat : sparse array (n, n)
        Symmetric adjacency (non-zero = edge).
    team : numpy.ndarray
        Team index per node, -1 for none.

    Returns
    -------
    (team_pairs, people)
        ``team_pairs[v]``: pairs of distinct teams whose every edge touches ``v``;
        ``people[v]``: neighbours of ``v`` whose only edge is to ``v``.

    References
    ----------
    Cross & Prusak (2002), see :func:`key_person_risk`.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> path = sp.csr_array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])  # A - B - C
    >>> pairs, people = key_person_risk_matrix(path, np.array([0, 0, 1]))
    >>> pairs.tolist(), people.tolist()  # only B links the two teams; A and C hang on B
    ([0, 1, 1], [0, 2, 0])
    """
    n = mat.shape[0]
    upper = sp.triu(mat, k=1).tocoo()
    u, v = upper.row.astype(np.int64), upper.col.astype(np.int64)
    degree = np.zeros(n, dtype=np.int64)
    np.add.at(degree, u, 1)
    np.add.at(degree, v, 1)
    people = np.zeros(n, dtype=np.int64)
    np.add.at(people, u[degree[v] == 1], 1)
    np.add.at(people, v[degree[u] == 1], 1)

    pairs_out = np.zeros(n, dtype=np.int64)
    tu, tv = team[u], team[v]
    cross = (tu >= 0) & (tv >= 0) & (tu != tv)
    if cross.any():
        u, v, tu, tv = u[cross], v[cross], tu[cross], tv[cross]
        nt = int(team.max()) + 1
        pair = np.minimum(tu, tv) * nt + np.maximum(tu, tv)
        pair_ids, pair_idx, edges_per_pair = np.unique(
            pair, return_inverse=True, return_counts=True
        )
        # (pair, person) incidences; a person owns a pair when they touch every edge of it
        inc = np.concatenate([pair_idx * n + u, pair_idx * n + v])
        keys, counts = np.unique(inc, return_counts=True)
        owner_pair, owner = keys // n, keys % n
        owned = counts == edges_per_pair[owner_pair]
        np.add.at(pairs_out, owner[owned], 1)
    return pairs_out, people


def key_person_risk(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """Team pairs, and people, that lose their last connection if this person leaves.

    On the collaboration graph (shared projects, ties, mentoring and reporting
    lines): the number of pairs of teams whose every link runs through the person
    (every collaboration edge between the two teams has the person at one end),
    plus the number of people whose only collaborator is the person. 0 means the
    network does not notice the person leaving; each point is a connection that
    would have to be rebuilt.

    Both parts are counted directly from the edges (no graph is re-run per
    person), so the metric costs one pass over the edges.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (bottlenecks and single points of failure).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> key_person_risk(example_org())["person:1"]  # the only Leadership-Platform and -Data link
    2
    """
    chosen = normalize_relations(relations)

    def compute() -> np.ndarray:
        pairs, people_lost = key_person_risk_matrix(
            collaboration_matrix(org, chosen), people_index(org).team
        )
        return pairs + people_lost

    values = org.cached(("orgmap.metrics", "key_person_risk", chosen), compute)
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))
