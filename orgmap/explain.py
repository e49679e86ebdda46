"""Why each number is what it is: plain-words explanations of one node's metrics.

:func:`explain` returns, for a person, project or team, ``{metric name: [lines]}``:
the people, groups and projects behind each metric of
:func:`orgmap.metrics.compute_all` (who nominates a person, which groups they
connect, who is reached through what, which departments make a project org-wide,
what breaks if someone leaves). The inspector shows these lines on demand; the core
computes them (no Qt here), from the same graph views the metrics use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from orgmap import present
from orgmap.metrics.info import plural
from orgmap.metrics.projects import ORG_WIDE_MIN, ORG_WIDE_SHARE, org_wide_threshold
from orgmap.metrics.roles import (
    BROKER_OVER_MEAN,
    MIN_BROKER_COLLABORATORS,
    MIN_CONNECTOR_COLLABORATORS,
    MIN_SPANNER_GROUPS,
)
from orgmap.metrics.teams import SILO_EI
from orgmap.model import Org
from orgmap.views import (
    collaboration_matrix,
    is_nomination,
    normalize_relations,
    people_index,
    team_links,
)

__all__ = ["explain", "nominators", "TOP"]

#: Names listed per line before "and N more".
TOP = 5


def _names(org: Org, nodes: Iterable[str], limit: int = TOP) -> str:
    nodes = list(nodes)
    shown = ", ".join(org.label(n) for n in nodes[:limit])
    more = len(nodes) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def nominators(org: Org, node: str, relations: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Who looks to ``node`` on the influence graph, by relation, in graph order.

    Keys: ``"reports"``, ``"dotted-line reports"``, ``"mentees"``, ``"project members"``
    (non-lead members of projects the person leads) and one ``"<type> ties"`` per
    nominating tie type (an advice tie ``ego -> alter`` nominates the alter).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> nominators(example_org(), "person:2")
    {'reports': ['person:4', 'person:6'], 'mentees': ['person:4'], 'project members': \
['person:4', 'person:5'], 'advice ties': ['person:5']}
    """
    chosen = normalize_relations(relations)
    g = org.graph
    out: dict[str, list[str]] = {}

    def add(key: str, who: str) -> None:
        if who != node and g.nodes[who].get("kind") == "person":
            bucket = out.setdefault(key, [])
            if who not in bucket:
                bucket.append(who)

    for u, _, data in g.in_edges(node, data=True):
        kind = data.get("kind")
        if kind == "reports_to" and "reports" in chosen:
            add("reports", u)
        elif kind == "dotted_line" and "dotted" in chosen:
            add("dotted-line reports", u)
        elif kind == "tie" and "ties" in chosen and is_nomination(data.get("type")):
            add(f"{data.get('type') or 'tie'} ties", u)
    if "mentors" in chosen:
        for _, v, data in g.out_edges(node, data=True):
            if data.get("kind") == "mentors":
                add("mentees", v)
    if "projects" in chosen:
        for _, project, data in g.out_edges(node, data=True):
            if data.get("kind") == "works_on" and data.get("role") == "lead":
                for member, _, md in g.in_edges(project, data=True):
                    if md.get("kind") == "works_on" and md.get("role") != "lead":
                        add("project members", member)
    order = ["reports", "dotted-line reports", "mentees", "project members"]
    return {k: sorted(out[k], key=lambda n: org.label(n).casefold()) for k in order if k in out} | {
        k: sorted(v, key=lambda n: org.label(n).casefold())
        for k, v in sorted(out.items())
        if k not in order
    }


def _collaborators(org: Org, node: str, chosen: frozenset[str]) -> list[int]:
    people = people_index(org)
    mat = collaboration_matrix(org, chosen)
    i = people.index[node]
    return mat.indices[mat.indptr[i] : mat.indptr[i + 1]].tolist()


def _group_names(org: Org, idx: list[int], what: str) -> Counter:
    people = people_index(org)
    arr = people.team if what == "team" else people.dept
    nodes = people.team_nodes if what == "team" else people.dept_nodes
    return Counter(org.label(nodes[arr[j]]) for j in idx if arr[j] >= 0)


def _person(org: Org, metrics: dict[str, Any], node: str, chosen: frozenset[str]) -> dict:
    people = people_index(org)
    g = org.graph
    values = (metrics.get("people") or {}).get(node) or {}
    everyone = metrics.get("people") or {}
    why: dict[str, list[str]] = {}
    label = org.label(node)

    # org chart
    reports = [u for u, _, k in g.in_edges(node, keys=True) if k == "reports_to"]
    why["direct_reports"] = [f"Reports: {_names(org, reports)}."] if reports else []
    chain, seen, cur = [], {node}, node
    while True:
        up = [v for _, v, k in g.out_edges(cur, keys=True) if k == "reports_to"]
        if not up or up[0] in seen:
            break
        cur = up[0]
        seen.add(cur)
        chain.append(cur)
    why["depth"] = (
        [f"Reporting line to the top: {' > '.join(org.label(n) for n in chain)}."]
        if chain
        else ["No manager in the data: the top of the org."]
    )
    why["org_size"] = (
        [f"{plural(values.get('org_size', 0), 'person')} below {label}, through {len(reports)} "
         f"direct {'report' if len(reports) == 1 else 'reports'}."]
        if reports else []
    )  # fmt: skip

    # influence: who nominates, by relation, most influential nominators first
    noms = nominators(org, node, chosen)
    lines = []
    for relation, who in noms.items():
        ranked = sorted(who, key=lambda n: -(everyone.get(n, {}).get("influence") or 0))
        lines.append(f"Named by {plural(len(who), 'person')} as {relation}: {_names(org, ranked)}.")
    why["influence"] = lines or [
        "Nobody in the data looks to this person (no reports, mentees, project members "
        "or advice ties point here): the base score."
    ]
    score = values.get("influence")
    if score is not None:
        higher = sum(1 for v in everyone.values() if (v.get("influence") or 0) > score + 1e-12)
        level = sum(1 for v in everyone.values() if abs((v.get("influence") or 0) - score) <= 1e-12)
        why["influence_percentile"] = [
            f"{plural(higher, 'person')} score{'s' if higher == 1 else ''} higher and "
            f"{plural(level - 1, 'other')} the same (ties count half)."
        ]

    # brokerage: which groups the collaborators belong to, and how many of them are
    # not tied to each other (the paths that run through this person)
    nbrs = _collaborators(org, node, chosen)
    if nbrs:
        mat = collaboration_matrix(org, chosen)
        sub = mat[nbrs][:, nbrs]
        k = len(nbrs)
        open_pairs = k * (k - 1) // 2 - (sub.nnz // 2)
        what = "team" if people.team_nodes else "department"
        groups = _group_names(org, nbrs, what)
        shown = ", ".join(f"{name} ({n})" for name, n in groups.most_common(6))
        why["brokerage"] = [
            f"{plural(k, 'collaborator')}, in {plural(len(groups), what)}: {shown}.",
            f"{plural(open_pairs, 'pair')} of them {'is' if open_pairs == 1 else 'are'} not "
            f"tied directly, so their shortest paths can run through {label}.",
        ]
        own = people.team[people.index[node]]
        cross = [j for j in nbrs if people.team[j] >= 0 and people.team[j] != own]
        why["teams_reached"] = [
            f"{name}: {_names(org, [people.nodes[j] for j in nbrs if people.team[j] >= 0 and org.label(people.team_nodes[people.team[j]]) == name], 3)}"
            for name, _ in _group_names(org, nbrs, "team").most_common(8)
        ] + ([f"Directly, not within k steps; {plural(len(cross), 'collaborator')} outside the own team."] if people.team_nodes else [])  # fmt: skip
        why["departments_reached"] = [
            f"{name} ({plural(n, 'collaborator')})"
            for name, n in _group_names(org, nbrs, "department").most_common(8)
        ] + ["Direct collaborators only (one step)."]
        second = Counter()
        reached1 = set(nbrs) | {people.index[node]}
        new_by: dict[int, set[int]] = {}
        for j in nbrs:
            far = set(mat.indices[mat.indptr[j] : mat.indptr[j + 1]].tolist()) - reached1
            new_by[j] = far
            second.update(far)
        brought = sorted(nbrs, key=lambda j: -len(new_by[j]))[:TOP]
        why["reach_2"] = [
            f"{plural(k, 'person')} directly and {plural(len(second), 'more person')} "
            "through them (within two steps).",
            "Most reached through: "
            + ", ".join(f"{org.label(people.nodes[j])} ({len(new_by[j])})" for j in brought)
            + ".",
        ]
        teams_total = len(people.team_nodes)
        if teams_total:
            why["org_reach"] = [
                f"{values.get('teams_reached', 0)} of {plural(teams_total, 'team')} reached directly."
            ]
    else:
        why["brokerage"] = ["No collaborators in the data: no path runs through this person."]
        why["reach_2"] = ["No collaborators in the data."]
    if nbrs:
        why["constraint"] = why["effective_size"] = [
            f"{plural(len(nbrs), 'collaborator')} with {plural(sub.nnz // 2, 'tie')} among "
            "them: the more they are tied to each other, the higher the constraint and the "
            "smaller the effective size."
        ]

    # projects and mentoring
    projects = metrics.get("projects") or {}
    mine = [
        (p, d.get("role"))
        for _, p, d in g.out_edges(node, data=True)
        if d.get("kind") == "works_on"
    ]
    cross = [p for p, _ in mine if (projects.get(p) or {}).get("teams_spanned", 0) >= 2]
    led = [p for p, r in mine if r == "lead" and p in cross]
    why["cross_team_projects"] = [
        f"{org.label(p)}: {plural(projects[p].get('teams_spanned', 0), 'team')}" for p in cross
    ]
    why["cross_team_projects_led"] = [
        f"{org.label(p)}: {plural(projects[p].get('teams_spanned', 0), 'team')}"
        + (", org-wide" if projects[p].get("org_wide") else "")
        for p in led
    ]
    mentees = [v for _, v, k in g.out_edges(node, keys=True) if k == "mentors"]
    why["mentees"] = [f"Mentees: {_names(org, mentees)}."] if mentees else []
    grown = [m for m in mentees if any(k == "mentors" for _, _, k in g.out_edges(m, keys=True))]
    why["mentors_grown"] = [f"Mentees who now mentor: {_names(org, grown)}."] if grown else []
    why["mentorship_reach"] = (
        [f"{plural(values.get('mentorship_reach', 0), 'person')} below {label} in the mentoring tree, "
         f"through {plural(len(mentees), 'mentee')}."] if mentees else []
    )  # fmt: skip

    # key-person risk: what breaks
    detail = values.get("key_person_risk_detail") or []
    why["key_person_risk"] = [d["text"] for d in detail] or [
        "Nothing loses its last connection if this person leaves."
    ]
    why["role"] = _role_why(values, nbrs, everyone)
    return why


def _role_why(values: dict, nbrs: list[int], everyone: dict) -> list[str]:
    role = values.get("role")
    k = len(nbrs)
    if role == "central connector":
        return [f"Among the 10% with the most direct collaborators: {k} (at least "
                f"{MIN_CONNECTOR_COLLABORATORS} needed)."]  # fmt: skip
    if role == "information broker":
        mean = float(np.mean([v.get("brokerage") or 0 for v in everyone.values()] or [0]))
        return [f"Among the 10% with the highest brokerage: {present.metric_value('brokerage', values.get('brokerage', 0))}, "
                f"{present.value((values.get('brokerage') or 0) / mean if mean else 0)} times the average "
                f"(at least {BROKER_OVER_MEAN:g}), {k} collaborators (at least "
                f"{MIN_BROKER_COLLABORATORS})."]  # fmt: skip
    if role == "boundary spanner":
        n = values.get("teams_reached") or values.get("departments_reached")
        return [f"Among the 20% reaching the most groups: {n} (at least {MIN_SPANNER_GROUPS})."]
    if role == "formal leader":
        return [f"{plural(values.get('direct_reports', 0), 'direct report')}; no network rule "
                "singles them out, so the org chart decides."]  # fmt: skip
    if role == "peripheral specialist":
        return [f"{plural(k, 'direct collaborator')}: fewer than 80% of people, or at most one."]
    return [f"{plural(k, 'direct collaborator')}; no rule above applies."]


def _project(org: Org, metrics: dict[str, Any], node: str, chosen: frozenset[str]) -> dict:
    g = org.graph
    values = (metrics.get("projects") or {}).get(node) or {}
    members = [
        (u, d.get("role")) for u, _, d in g.in_edges(node, data=True) if d.get("kind") == "works_on"
    ]
    teams, depts = Counter(), Counter()
    for u, _ in members:
        d = g.nodes[u]
        if d.get("team"):
            teams[str(d["team"])] += 1
        if d.get("department"):
            depts[str(d["department"])] += 1
    home = g.nodes[node].get("team")
    why: dict[str, list[str]] = {
        "members": [f"{plural(len(members), 'member')}: {_names(org, [u for u, _ in members])}."],
        "leads": [f"Leads: {_names(org, [u for u, r in members if r == 'lead'])}."],
        "teams_spanned": [f"{t} ({plural(n, 'member')})" for t, n in teams.most_common()]
        + ([f"Home team: {home}."] if home else []),
        "departments_spanned": [f"{x} ({plural(n, 'member')})" for x, n in depts.most_common()],
    }
    total = len(org.departments())
    need = org_wide_threshold(total) if total else 0
    spanned = values.get("departments_spanned", len(depts))
    why["org_wide"] = [
        f"Spans {spanned} of {plural(total, 'department')} ({', '.join(sorted(depts)) or 'none'}); "
        f"org-wide takes {need} (at least {ORG_WIDE_SHARE:.0%} and at least {ORG_WIDE_MIN}, "
        "all of them in smaller orgs)."
    ]
    # team pairs nothing else links (the same test as orgmap.metrics.projects.bridges)
    people = people_index(org)
    links = team_links(org, chosen | {"projects"}).tocsr()
    t_index = {org.label(t): i for i, t in enumerate(people.team_nodes)}
    names = sorted(teams)
    pairs = []
    for x, a in enumerate(names):
        for b in names[x + 1 :]:
            ia, ib = t_index.get(a), t_index.get(b)
            if ia is None or ib is None:
                continue
            if links[ia, ib] <= teams[a] * teams[b] + 1e-9:
                pairs.append(f"{a} - {b}")
    why["bridges"] = (
        [f"Nothing else links {p}." for p in pairs]
        if pairs
        else ["Every pair of its teams is also linked some other way."]
    )
    return why


def _team(org: Org, metrics: dict[str, Any], node: str) -> dict:
    values = (metrics.get("teams") or {}).get(node) or {}
    e, i = values.get("external_ties", 0), values.get("internal_ties", 0)
    ei = values.get("ei_index")
    why = {
        "internal_ties": [f"{plural(i, 'collaboration tie')} between two members."],
        "external_ties": [f"{plural(e, 'collaboration tie')} from a member to someone outside."],
        "ei_index": [
            f"({e} - {i}) / ({e} + {i}) = {present.metric_value('ei_index', ei, 'team')}."
            if ei is not None
            else "No ties."
        ],
        "silo": [
            f"Silo when the E-I index is {SILO_EI} or below (three internal ties per external "
            f"one) or there are no ties; here {present.metric_value('ei_index', ei, 'team') if ei is not None else 'no ties'}."
        ],
        "bridge_people": [b["text"] for b in values.get("bridge_people") or []],
    }
    why["partner_teams"] = why["bridge_people"] or ["No partner teams."]
    return why


def explain(
    org: Org, metrics: dict[str, Any], node: str, relations: Iterable[str] | None = None
) -> dict[str, list[str]]:
    """``{metric name: [lines]}``: why each metric of ``node`` has its value.

    ``metrics`` is the result of :func:`orgmap.metrics.compute_all` over the same
    ``relations``. Metrics with nothing to explain (a zero count) get an empty list.
    An unknown node or kind gives ``{}``.

    Examples
    --------
    >>> from orgmap.metrics import compute_all
    >>> from orgmap.metrics.examples import example_org
    >>> org = example_org()
    >>> why = explain(org, compute_all(org), "person:2")
    >>> why["influence"][0]
    'Named by 2 people as reports: Di, Flo.'
    """
    chosen = normalize_relations(relations)
    if node not in org.graph:
        return {}
    kind = org.graph.nodes[node].get("kind")
    if kind == "person":
        return _person(org, metrics, node, chosen)
    if kind == "project":
        return _project(org, metrics, node, chosen)
    if kind == "team":
        return _team(org, metrics, node)
    return {}
