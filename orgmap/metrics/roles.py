"""Roles: Gould & Fernandez brokerage positions, and one plain-words network role.

Brokerage roles are counted on the direction information flows, which is the
reverse of the influence graph: influence points from the one who asks (a report,
a mentee, a project member, an advice seeker) to the one asked, so information
and direction flow from the asked to the asker. A broker ``b`` sits on a path
``a -> b -> c`` with no direct ``a -> c``.

Groups are teams; a person without a team counts in their department's group, and
a person with neither is left out of every triad (a role needs all three groups).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from orgmap.metrics.brokerage import brokerage_scores
from orgmap.metrics.percentile import percentile_rank
from orgmap.metrics.reach import _reached
from orgmap.model import Org
from orgmap.views import (
    collaboration_matrix,
    influence_matrix,
    normalize_relations,
    people_index,
)

__all__ = [
    "GF_ROLES",
    "ROLES",
    "ROLE_RULES",
    "LEADER_ROLES",
    "gould_fernandez_matrix",
    "brokerage_roles",
    "role",
]

#: Gould & Fernandez's five roles, in the order of the result arrays.
GF_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")

#: The labels :func:`role` gives, first matching rule first (see :data:`ROLE_RULES`).
ROLES = (
    "central connector",
    "information broker",
    "boundary spanner",
    "formal leader",
    "peripheral specialist",
    "team member",
)
#: The labels that suit someone with people reporting to them (a formal leader never
#: reads "team member" or "peripheral specialist").
LEADER_ROLES = frozenset(ROLES[:4])

#: Absolute minimums beside the percentile cut-offs: on a sparse tie list the top 10%
#: of collaborators can be people with three ties, and the top 10% of brokerage people
#: with a betweenness of 1e-6; a label needs a signal, not only a rank.
MIN_CONNECTOR_COLLABORATORS = 8
#: An information broker's brokerage is at least this many times the org's average
#: (the average betweenness shrinks with the size of the org, so a fixed floor would
#: either say nothing in a 20-person firm or exclude everyone at 100 000).
BROKER_OVER_MEAN = 3.0
#: ... and they have at least this many collaborators, in at least two groups.
MIN_BROKER_COLLABORATORS = 3
MIN_SPANNER_GROUPS = 3

#: The rules behind :func:`role`, in words (shown in the report's Definitions, the
#: metrics table and Help > Metrics).
ROLE_RULES = (
    f"central connector: among the 10% with the most direct collaborators, with at least "
    f"{MIN_CONNECTOR_COLLABORATORS} of them",
    f"information broker: among the 10% with the highest brokerage, at least "
    f"{BROKER_OVER_MEAN:g} times the org's average brokerage, with at least "
    f"{MIN_BROKER_COLLABORATORS} collaborators in two or more groups",
    f"boundary spanner: among the 20% reaching the most teams, and at least "
    f"{MIN_SPANNER_GROUPS} teams (departments when the data has no teams)",
    "formal leader: has direct reports and none of the above (a manager's place is "
    "decided by the org chart, never 'peripheral specialist' or 'team member')",
    "peripheral specialist: fewer collaborators than 80% of people, or at most one",
    "team member: everyone else",
)


def gould_fernandez_matrix(flow: sp.sparray, group: np.ndarray) -> np.ndarray:
    """Gould & Fernandez brokerage counts per node of a directed graph.

    For every path ``a -> b -> c`` with ``a != c`` and no edge ``a -> c``, the broker
    ``b`` scores one of: coordinator (all three in one group), itinerant (``a`` and
    ``c`` in one group, ``b`` outside it), gatekeeper (``b`` in ``c``'s group, ``a``
    outside), representative (``b`` in ``a``'s group, ``c`` outside), liaison (three
    different groups). Paths touching a node of group -1 are skipped.

    Parameters
    ----------
    flow : sparse array (n, n)
        ``flow[a, b] != 0`` for an edge ``a -> b``.
    group : numpy.ndarray
        Group index per node, -1 for none.

    Returns
    -------
    numpy.ndarray, shape (n, 5)
        Counts in :data:`GF_ROLES` order.

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach
    to brokerage in transaction networks. Sociological Methodology 19, 89-126.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> chain = sp.csr_array([[0, 1, 0], [0, 0, 1], [0, 0, 0]])  # a -> b -> c
    >>> gould_fernandez_matrix(chain, np.array([0, 0, 1]))[1].tolist()  # b represents a's group
    [0, 0, 0, 1, 0]
    """
    n = flow.shape[0]
    out = np.zeros((n, 5), dtype=np.int64)
    f = sp.csr_array(flow, dtype=np.float64)
    f.setdiag(0)
    f.eliminate_zeros()
    if f.nnz == 0:
        return out
    coo = f.tocoo()
    a_all, b_all = coo.row.astype(np.int64), coo.col.astype(np.int64)
    ok = (group[a_all] >= 0) & (group[b_all] >= 0)
    a_all, b_all = a_all[ok], b_all[ok]
    indptr, indices = f.indptr.astype(np.int64), f.indices.astype(np.int64)
    edge_keys = np.sort(coo.row.astype(np.int64) * n + coo.col.astype(np.int64))
    outdeg = np.diff(indptr)
    chunk = 1 << 20
    # two-paths are enumerated in chunks of first edges so memory stays bounded
    start = 0
    while start < len(a_all):
        a_e, b_e = a_all[start : start + chunk], b_all[start : start + chunk]
        start += chunk
        lens = outdeg[b_e]
        total = int(lens.sum())
        if total == 0:
            continue
        a = np.repeat(a_e, lens)
        b = np.repeat(b_e, lens)
        offsets = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
        c = indices[np.repeat(indptr[b_e], lens) + offsets]
        keep = (a != c) & (group[c] >= 0)
        a, b, c = a[keep], b[keep], c[keep]
        keys = a * n + c
        pos = np.searchsorted(edge_keys, keys)
        pos[pos >= len(edge_keys)] = 0
        direct = edge_keys[pos] == keys
        a, b, c = a[~direct], b[~direct], c[~direct]
        ga, gb, gc = group[a], group[b], group[c]
        kind = np.full(len(a), 4)  # liaison unless one of the others
        kind[(ga == gb) & (gb == gc)] = 0
        kind[(ga == gc) & (ga != gb)] = 1
        kind[(gb == gc) & (ga != gb)] = 2
        kind[(ga == gb) & (gb != gc)] = 3
        np.add.at(out, (b, kind), 1)
    return out


def _groups(org: Org) -> np.ndarray:
    people = people_index(org)
    n_teams = len(people.team_nodes)
    # departments get group numbers after the teams so the two never collide
    return np.where(
        people.team >= 0, people.team, np.where(people.dept >= 0, n_teams + people.dept, -1)
    )


def brokerage_roles(org: Org, relations: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """Gould & Fernandez brokerage role counts per person, groups = teams.

    Counted on the information flow (the influence graph reversed, see the module
    docstring). Each person gets ``{"coordinator": .., "itinerant": ..,
    "gatekeeper": .., "representative": .., "liaison": ..}``: the number of
    two-step flows the person brokers in each position.

    References
    ----------
    Gould & Fernandez (1989), see :func:`gould_fernandez_matrix`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> brokerage_roles(example_org(), relations=["reports"])["person:2"]
    {'coordinator': 0, 'itinerant': 0, 'gatekeeper': 2, 'representative': 0, 'liaison': 0}
    """
    chosen = normalize_relations(relations)

    def compute() -> np.ndarray:
        flow = influence_matrix(org, chosen).T.tocsr()
        return gould_fernandez_matrix(flow, _groups(org))

    counts = org.cached(("orgmap.metrics", "gould_fernandez", chosen), compute)
    # people with the same counts share one dict (read it, don't change it): most have
    # none at all, and a dict each is 230 MB at a million people
    shared: dict[tuple[int, ...], dict[str, int]] = {}
    out: dict[str, dict[str, int]] = {}
    for node, row in zip(people_index(org).nodes, counts.tolist(), strict=True):
        key = tuple(row)
        same = shared.get(key)
        if same is None:
            same = shared[key] = dict(zip(GF_ROLES, row, strict=True))
        out[node] = same
    return out


def role_labels(
    degree: np.ndarray,
    brokerage: np.ndarray,
    teams: np.ndarray,
    reports: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> list[str]:
    """Apply :data:`ROLE_RULES` to per-person arrays; the first matching rule wins.

    ``degree``: direct collaborators; ``brokerage``: betweenness; ``teams``: teams (or
    departments) reached; ``reports``: direct reports (none when omitted); ``groups``:
    distinct groups among the collaborators (``teams`` when omitted). Percentiles are
    mid-rank (ties count half), so "the 10% with the most" never takes in a crowd of
    people tied at the same count.

    Examples
    --------
    >>> import numpy as np
    >>> role_labels(
    ...     np.array([9, 1, 3, 3, 2, 2, 2, 2, 2, 2]),
    ...     np.array([0.1, 0, 0.5, 0, 0, 0, 0, 0, 0, 0]),
    ...     np.array([2, 1, 2, 4, 1, 1, 1, 1, 1, 1]),
    ...     reports=np.array([0, 0, 0, 0, 2, 0, 0, 0, 0, 0]),
    ... )[:6]
    ['central connector', 'peripheral specialist', 'information broker', 'boundary spanner', 'formal leader', 'team member']
    """
    n = len(degree)
    degree = np.asarray(degree, dtype=np.float64)
    brokerage = np.asarray(brokerage, dtype=np.float64)
    teams = np.asarray(teams)
    reports = np.zeros(n, dtype=np.int64) if reports is None else np.asarray(reports)
    groups = teams if groups is None else np.asarray(groups)
    deg_rank = percentile_rank(degree)
    bro_rank = percentile_rank(brokerage)
    team_rank = percentile_rank(teams)
    mean_bro = float(brokerage.mean()) if n else 0.0
    connector = (deg_rank >= 0.9) & (degree >= MIN_CONNECTOR_COLLABORATORS)
    broker = (
        (bro_rank >= 0.9)
        & (brokerage > 0)
        & (brokerage >= BROKER_OVER_MEAN * mean_bro)
        & (degree >= MIN_BROKER_COLLABORATORS)
        & (groups >= 2)
    )
    spanner = (team_rank >= 0.8) & (teams >= MIN_SPANNER_GROUPS)
    labels = []
    for i in range(n):
        if connector[i]:
            labels.append(ROLES[0])
        elif broker[i]:
            labels.append(ROLES[1])
        elif spanner[i]:
            labels.append(ROLES[2])
        elif reports[i] > 0:
            labels.append(ROLES[3])
        elif deg_rank[i] < 0.2 or degree[i] <= 1:
            labels.append(ROLES[4])
        else:
            labels.append(ROLES[5])
    return labels


def role(org: Org, relations: Iterable[str] | None = None) -> dict[str, str]:
    """One label a reader understands for each person's place in the network.

    After Cross & Prusak's roles in informal networks: *central connector* (links
    many people directly), *information broker* (links otherwise separate groups:
    high brokerage), *boundary spanner* (works with many teams), *peripheral
    specialist* (few ties; often an expert others call on rarely), and *team
    member* for everyone else. The rules (:data:`ROLE_RULES`) compare each person
    with the whole org, on the collaboration graph: the number of direct
    collaborators, brokerage, and teams reached; the first that matches wins. Each
    percentile cut-off has an absolute minimum beside it (a label needs a signal,
    not only a rank on a sparse tie list). Formal leaders are decided explicitly:
    someone with direct reports whom the network rules do not single out is a
    *formal leader*, never a "team member" or "peripheral specialist" (the reporting
    line is on the org chart even when few ties are in the data). When the data has
    no teams (departments only, as in Krackhardt's data), the boundary-spanner rule
    counts departments reached instead, the groups :func:`brokerage_roles` uses too.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> role(example_org())["person:3"]  # Cy leads Data (2 reports), singled out by no rule
    'formal leader'
    """
    chosen = normalize_relations(relations)
    mat = collaboration_matrix(org, chosen)
    degree = np.diff(mat.indptr)
    values, _ = brokerage_scores(org, chosen)
    # without teams every teams-reached count is 0 and nobody could span boundaries;
    # departments are then the groups, as in brokerage_roles
    groups = "team" if len(people_index(org).team_nodes) else "department"
    teams = _reached(org, chosen, groups)
    people = people_index(org)
    reports = np.bincount(people.reports[1], minlength=people.n)
    return dict(
        zip(
            people.nodes,
            role_labels(degree, values, teams, reports=reports),
            strict=True,
        )
    )
