"""Projects: who works on them, which teams and departments they span, which they alone connect.

A project *spans* the teams (departments) of its members -- leads, contributors
and stakeholders alike -- plus its home team (and that team's department) when the
tracker names one. A project spanning two or more teams is *cross-team*.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from orgmap.model import PART_OF, Org, team_key
from orgmap.views import normalize_relations, people_index, team_links

__all__ = [
    "ORG_WIDE_SHARE",
    "ORG_WIDE_MIN",
    "members",
    "leads",
    "teams_spanned",
    "departments_spanned",
    "org_wide",
    "bridges",
    "cross_team_projects",
    "cross_team_projects_led",
]

#: A project is org-wide when it spans at least this share of the org's departments ...
ORG_WIDE_SHARE = 0.25
#: ... and at least this many of them (or all of them, in an org with fewer).
ORG_WIDE_MIN = 3


@dataclass
class _Projects:
    nodes: list[str]
    members: list[set[int]]  # person indices
    leads: list[set[int]]
    teams: list[set[int]]  # team indices, home team included
    member_teams: list[dict[int, int]]  # team index -> members of that team
    depts: list[set[int]]


def table(org: Org) -> _Projects:
    """Per-project members, leads, teams and departments (cached)."""
    return org.cached(("orgmap.metrics", "projects"), lambda: _table(org))


def _table(org: Org) -> _Projects:
    people = people_index(org)
    team_index = {t: i for i, t in enumerate(people.team_nodes)}
    dept_index = {d: i for i, d in enumerate(people.dept_nodes)}
    team_dept: dict[int, int] = {}
    for t in people.team_nodes:
        for _, d, kind in org.graph.out_edges(t, data="kind"):
            if kind == PART_OF and d in dept_index:
                team_dept.setdefault(team_index[t], dept_index[d])
    np_ = len(people.project_nodes)
    members: list[set[int]] = [set() for _ in range(np_)]
    leads: list[set[int]] = [set() for _ in range(np_)]
    for i, p, lead in zip(
        people.member_person.tolist(),
        people.member_project.tolist(),
        people.member_lead.tolist(),
        strict=True,
    ):
        members[p].add(i)
        if lead:
            leads[p].add(i)
    teams: list[set[int]] = []
    member_teams: list[dict[int, int]] = []
    depts: list[set[int]] = []
    team, dept = people.team, people.dept
    for p, node in enumerate(people.project_nodes):
        counts: dict[int, int] = {}
        ds: set[int] = set()
        for i in members[p]:
            if team[i] >= 0:
                counts[int(team[i])] = counts.get(int(team[i]), 0) + 1
            if dept[i] >= 0:
                ds.add(int(dept[i]))
        ts = set(counts)
        home = org.graph.nodes[node].get("team")
        if home and team_key(str(home)) in team_index:
            h = team_index[team_key(str(home))]
            ts.add(h)
            if h in team_dept:
                ds.add(team_dept[h])
        teams.append(ts)
        member_teams.append(counts)
        depts.append(ds)
    return _Projects(people.project_nodes, members, leads, teams, member_teams, depts)


def members(org: Org) -> dict[str, int]:
    """Number of distinct people on each project, whatever their role.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> members(example_org())["project:Zeus"]
    3
    """
    t = table(org)
    return {node: len(m) for node, m in zip(t.nodes, t.members, strict=True)}


def leads(org: Org) -> dict[str, int]:
    """Number of leads of each project (0 when the tracker names none).

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> leads(example_org())["project:Apollo"]
    1
    """
    t = table(org)
    return {node: len(m) for node, m in zip(t.nodes, t.leads, strict=True)}


def teams_spanned(org: Org) -> dict[str, int]:
    """Number of distinct teams among a project's members and its home team.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> teams_spanned(example_org())["project:Apollo"]  # Platform and Data
    2
    """
    t = table(org)
    return {node: len(s) for node, s in zip(t.nodes, t.teams, strict=True)}


def departments_spanned(org: Org) -> dict[str, int]:
    """Number of distinct departments among a project's members and its home team's.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> departments_spanned(example_org())["project:Apollo"]
    1
    """
    t = table(org)
    return {node: len(s) for node, s in zip(t.nodes, t.depts, strict=True)}


def org_wide_threshold(
    total: int, share: float = ORG_WIDE_SHARE, minimum: int = ORG_WIDE_MIN
) -> int:
    """How many units a project must span to be org-wide among ``total``."""
    return min(total, max(minimum, math.ceil(share * total)))


def org_wide(
    org: Org, share: float = ORG_WIDE_SHARE, minimum: int = ORG_WIDE_MIN
) -> dict[str, bool]:
    """Whether a project spans enough of the org to call it org-wide.

    True when it spans at least ``max(minimum, ceil(share * D))`` of the org's ``D``
    departments (all of them when ``D`` is smaller than ``minimum``), and at least
    two. Defaults: a quarter of the departments and no fewer than 3. An org with
    fewer than two departments is judged the same way on teams.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> org_wide(example_org())["project:Apollo"]  # 1 of 2 departments
    False
    """
    t = table(org)
    people = people_index(org)
    n_dept, n_team = len(people.dept_nodes), len(people.team_nodes)
    if n_dept >= 2:
        need, spans = org_wide_threshold(n_dept, share, minimum), t.depts
    else:
        need, spans = org_wide_threshold(n_team, share, minimum), t.teams
    need = max(need, 2)
    return {node: len(s) >= need for node, s in zip(t.nodes, spans, strict=True)}


def bridges(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """Team pairs this project alone connects.

    A pair of teams that both have members on the project counts when nothing else
    links them on the team graph (:func:`orgmap.views.team_links`: no other shared
    project, no mentorship or tie between their people). Such a project is the
    only bridge between the two teams.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> bridges(example_org())["project:Apollo"]  # Ed's advice tie also links Data and Platform
    0
    >>> bridges(example_org(), relations=["projects"])["project:Apollo"]
    1
    """
    t = table(org)
    chosen = normalize_relations(relations) | {"projects"}
    links = team_links(org, chosen).tocoo()
    nt = max(1, len(people_index(org).team_nodes))
    keys = links.row.astype(np.int64) * nt + links.col.astype(np.int64)
    order = np.argsort(keys)
    keys, weights = keys[order], links.data[order]
    owner: list[int] = []
    pair_keys: list[int] = []
    own_weight: list[float] = []
    for p, counts in enumerate(t.member_teams):
        ts = sorted(counts)
        for x, a in enumerate(ts):
            for b in ts[x + 1 :]:
                owner.append(p)
                pair_keys.append(a * nt + b)
                own_weight.append(counts[a] * counts[b])
    alone = np.zeros(len(t.nodes), dtype=np.int64)
    if owner:
        wanted = np.asarray(pair_keys, dtype=np.int64)
        pos = np.minimum(np.searchsorted(keys, wanted), max(0, len(keys) - 1))
        total = np.where(keys[pos] == wanted, weights[pos], 0.0) if len(keys) else 0.0
        # the pair's whole link weight is this project's own: nothing else links them
        only = total <= np.asarray(own_weight) + 1e-9
        np.add.at(alone, np.asarray(owner)[only], 1)
    return dict(zip(t.nodes, alone.tolist(), strict=True))


def _cross_counts(org: Org, led: bool) -> np.ndarray:
    t = table(org)
    people = people_index(org)
    counts = np.zeros(people.n, dtype=np.int64)
    for p, ts in enumerate(t.teams):
        if len(ts) >= 2:
            for i in t.leads[p] if led else t.members[p]:
                counts[i] += 1
    return counts


def cross_team_projects(org: Org) -> dict[str, int]:
    """Number of cross-team projects (spanning two or more teams) a person works on.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> cross_team_projects(example_org())["person:5"]  # Apollo
    1
    """
    return dict(zip(people_index(org).nodes, _cross_counts(org, False).tolist(), strict=True))


def cross_team_projects_led(org: Org) -> dict[str, int]:
    """Number of cross-team projects a person leads.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (work that spans boundaries).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> cross_team_projects_led(example_org())["person:2"]  # Apollo
    1
    """
    return dict(zip(people_index(org).nodes, _cross_counts(org, True).tolist(), strict=True))
