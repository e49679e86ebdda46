"""Every metric of SPEC section 4 in one call, as plain dicts."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from scipy.sparse.csgraph import connected_components

from orgmap.gcpause import paused_gc
from orgmap.metrics import (
    brokerage,
    hierarchy,
    influence,
    mentorship,
    offload,
    projects,
    reach,
    risk,
    roles,
    structural_holes,
    teams,
)
from orgmap.metrics.brokerage import EXACT_LIMIT
from orgmap.model import Cancelled, Org
from orgmap.views import (
    CLIQUE_LIMIT,
    collaboration_matrix,
    large_projects,
    normalize_relations,
    people_index,
)

__all__ = ["compute_all", "summary", "metric_steps", "metric_names", "SLOW_METRICS", "merge"]

Progress = Callable[[float, str], None]

#: The metrics that take most of :func:`compute_all`'s time on a big org (measured at
#: 100k people, CPU seconds of 12 on a quiet machine: brokerage 3.1, key-person risk
#: detail 3.9, brokerage roles 0.2; ``role`` needs brokerage). The app can show the map
#: and every other metric first with ``compute_all(org, skip=SLOW_METRICS)``, mark these
#: pending, then add them with ``merge(result, compute_all(org, only=SLOW_METRICS))``.
SLOW_METRICS: frozenset[str] = frozenset(
    {"brokerage", "role", "brokerage_roles", "key_person_risk_detail"}
)


def summary(org: Org, relations: Iterable[str] | None = None) -> dict[str, Any]:
    """The org at a glance: counts, cross-team share, hierarchy, components.

    Keys (besides the import summary of :meth:`orgmap.model.Org.summary`):
    ``cross_team_project_share`` (projects spanning two or more teams / all
    projects, 0 without projects), ``org_wide_projects``, ``silo_teams``,
    ``hierarchy_depth``, ``span_of_control_median`` and ``span_of_control_max``
    (over people with reports; 0 when nobody has any), ``components`` (connected
    parts of the collaboration graph, a lone person counting as one), ``relations``,
    ``large_projects`` (projects of more than ``clique_limit`` members, which the
    collaboration graph joins as a star around their hub, not as every pair of
    members: see :func:`orgmap.views.collaboration_matrix`).
    """
    chosen = normalize_relations(relations)
    people = people_index(org)
    spans = projects.teams_spanned(org)
    n_projects = len(spans)
    cross = sum(1 for v in spans.values() if v >= 2)
    span = hierarchy.span_of_control(org)
    mat = collaboration_matrix(org, chosen)
    components = int(connected_components(mat, directed=False)[0]) if people.n else 0
    out = dict(org.summary())
    out.update(
        {
            "people": people.n,
            "teams": len(people.team_nodes),
            "departments": len(people.dept_nodes),
            "projects": n_projects,
            "cross_team_projects": cross,
            "cross_team_project_share": cross / n_projects if n_projects else 0.0,
            "org_wide_projects": sum(projects.org_wide(org).values()),
            "silo_teams": sum(teams.silo(org, chosen).values()),
            "hierarchy_depth": hierarchy.hierarchy_depth(org),
            "span_of_control_median": span["median"],
            "span_of_control_max": span["max"],
            "components": components,
            "large_projects": len(large_projects(org)),
            "clique_limit": CLIQUE_LIMIT,
            "relations": [
                r for r in ("reports", "dotted", "mentors", "projects", "ties") if r in chosen
            ],
        }
    )
    return out


def metric_steps(
    org: Org, chosen: frozenset[str], exact_limit: int = EXACT_LIMIT, seed: int = 0
) -> list[tuple[str, tuple[str, Callable[[], dict[str, Any]]]]]:
    """Every metric as ``(section, (name, compute))`` in the order :func:`compute_all`
    runs them (the benchmark times them one by one)."""
    person_steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("direct_reports", lambda: hierarchy.direct_reports(org)),
        ("org_size", lambda: hierarchy.org_size(org)),
        ("depth", lambda: hierarchy.depth(org)),
        ("influence", lambda: influence.influence(org, chosen)),
        ("influence_percentile", lambda: influence.influence_percentile(org, chosen)),
        ("brokerage", lambda: brokerage.brokerage(org, chosen, exact_limit, seed)),
        ("constraint", lambda: structural_holes.constraint(org, chosen)),
        ("effective_size", lambda: structural_holes.effective_size(org, chosen)),
        ("reach_2", lambda: reach.reach_2(org, chosen)),
        ("teams_reached", lambda: reach.teams_reached(org, chosen)),
        ("departments_reached", lambda: reach.departments_reached(org, chosen)),
        ("org_reach", lambda: reach.org_reach(org, chosen)),
        ("cross_team_projects", lambda: projects.cross_team_projects(org)),
        ("cross_team_projects_led", lambda: projects.cross_team_projects_led(org)),
        ("mentees", lambda: mentorship.mentees(org)),
        ("mentorship_reach", lambda: mentorship.mentorship_reach(org)),
        ("mentors_grown", lambda: mentorship.mentors_grown(org)),
        ("key_person_risk", lambda: risk.key_person_risk(org, chosen)),
        ("key_person_risk_detail", lambda: risk.key_person_risk_detail(org, chosen)),
        ("brokerage_roles", lambda: roles.brokerage_roles(org, chosen)),
        ("role", lambda: roles.role(org, chosen)),
    ]
    project_steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("members", lambda: projects.members(org)),
        ("leads", lambda: projects.leads(org)),
        ("teams_spanned", lambda: projects.teams_spanned(org)),
        ("departments_spanned", lambda: projects.departments_spanned(org)),
        ("org_wide", lambda: projects.org_wide(org)),
        ("bridges", lambda: projects.bridges(org, chosen)),
    ]
    team_steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("size", lambda: teams.size(org)),
        ("internal_ties", lambda: teams.internal_ties(org, chosen)),
        ("external_ties", lambda: teams.external_ties(org, chosen)),
        ("ei_index", lambda: teams.ei_index(org, chosen)),
        ("silo", lambda: teams.silo(org, chosen)),
        ("partner_teams", lambda: teams.partner_teams(org, chosen)),
        ("bridge_people", lambda: teams.bridge_people(org, chosen)),
    ]
    steps = [("people", s) for s in person_steps]
    steps += [("projects", s) for s in project_steps] + [("teams", s) for s in team_steps]
    return steps


def metric_names(section: str) -> list[str]:
    """The metric names of one section (``"people"``, ``"projects"`` or ``"teams"``), in
    :func:`compute_all`'s order: what ``only=`` takes to compute just that section."""
    # the steps are lambdas: listing them computes nothing, so no org is needed
    return [name for sec, (name, _) in metric_steps(None, frozenset()) if sec == section]  # type: ignore[arg-type]


@paused_gc()
def compute_all(
    org: Org,
    relations: Iterable[str] | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    exact_limit: int = EXACT_LIMIT,
    seed: int = 0,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
) -> dict[str, Any]:
    """All person, project and team metrics (or those asked for), and the org summary.

    Parameters
    ----------
    org : Org
    relations : iterable of str, optional
        Relation kinds (:data:`orgmap.model.RELATIONS`) the influence and
        collaboration graphs use; all by default. The org chart metrics and the
        mentorship metrics always use their own edges.
    progress : callable, optional
        ``progress(fraction, message)`` after each step.
    cancel : callable, optional
        Checked between steps; when it returns True, :class:`orgmap.model.Cancelled`
        is raised.
    exact_limit : int
        Largest org (people) with exact betweenness; sampled above.
    seed : int
        Seed of the betweenness sample.
    only, skip : iterable of str, optional
        Metric names (person, project or team: ``metric_steps``' names) to compute, or
        to leave out; every metric by default. The result has the same shape, each
        node's dict holding just the metrics computed; ``summary["pending"]`` lists
        the ones left out (none when all ran), and ``summary["betweenness"]`` is there
        once brokerage ran. See :data:`SLOW_METRICS` and :func:`merge`.

    Returns
    -------
    dict
        ``{"summary": {...}, "people": {node: {metric: value}}, "projects": {...},
        "teams": {...}}``. Every value is an int, float, bool, str, None, list or
        dict of those; never NaN or infinite. ``summary["betweenness"]`` is
        ``{"method": "exact"|"sampled", "samples": k}``.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> result = compute_all(example_org())
    >>> result["people"]["person:2"]["direct_reports"], result["summary"]["betweenness"]
    (2, {'method': 'exact', 'samples': 0})
    """
    chosen = normalize_relations(relations)
    people = people_index(org)
    steps = metric_steps(org, chosen, exact_limit, seed)
    wanted = None if only is None else set(only)
    left_out = set(skip)
    pending = sorted(
        {name for _, (name, _) in steps if (wanted is not None and name not in wanted)}
        | {name for _, (name, _) in steps if name in left_out}
    )
    steps = [s for s in steps if s[1][0] not in pending]
    # rough share of the work per step, so the progress bar moves evenly
    heavy = {"brokerage": 8.0, "constraint": 2.0, "effective_size": 2.0, "reach_2": 2.0}
    weights = [heavy.get(name, 0.3) for _, (name, _) in steps] + [0.5]

    result: dict[str, Any] = {
        "summary": {},
        "people": {node: {} for node in people.nodes},
        "projects": {node: {} for node in people.project_nodes},
        "teams": {node: {} for node in people.team_nodes},
    }
    names = {name for _, (name, _) in steps}
    detail_later = None
    if (
        "key_person_risk_detail" in names
        and OFFLOAD_PEOPLE[0] <= people.n <= OFFLOAD_PEOPLE[1]
        and offload.can_fork()
    ):
        # the key-person detail is pure Python: a forked child computes it on the
        # second core (the fork comes first: it must copy a process with one thread)
        collaboration_matrix(org, chosen)  # built once, before the fork, for both
        if "bridge_people" in names:  # it reads the same carriers of each team pair
            risk.team_pair_carriers(org, chosen)
        key = risk.detail_cache_key(chosen)
        if not org.has_cached(key):
            result_of, abandon = offload.in_child(lambda: risk.key_person_risk_detail(org, chosen))
            detail_later = (key, result_of, abandon)
    try:
        return _compute_steps(
            org, chosen, steps, weights, result, pending, detail_later, progress, cancel,
            exact_limit, seed,
        )  # fmt: skip
    finally:
        if detail_later is not None:
            detail_later[2]()  # a child still running (cancel, error) is stopped


def _compute_steps(
    org: Org,
    chosen: frozenset[str],
    steps: list[tuple[str, tuple[str, Callable[[], dict[str, Any]]]]],
    weights: list[float],
    result: dict[str, Any],
    pending: list[str],
    detail_later: tuple[Any, Callable[[], Any], Callable[[], None]] | None,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
    exact_limit: int,
    seed: int,
) -> dict[str, Any]:
    total = sum(weights)
    done = 0.0
    wait_for_brokerage = None
    if any(name in _NEED_BROKERAGE for _, (name, _) in steps):
        # brokerage's estimate runs on the second core while the rest are computed;
        # its steps run last, a placeholder keeping their place in each row
        wait_for_brokerage = brokerage.scores_in_background(org, chosen, exact_limit, seed)
    deferred = []
    deferred_detail = []
    for step, weight in zip(steps, weights, strict=False):
        section, (name, fn) = step
        if detail_later is not None and name == "key_person_risk_detail":
            for row in result[section].values():
                row[name] = None
            key, result_of, _ = detail_later
            fetch = lambda key=key, result_of=result_of: org.cached(key, result_of)  # noqa: E731
            deferred_detail.append(((section, (name, fetch)), weight))
            continue
        if wait_for_brokerage is not None and name in _NEED_BROKERAGE:
            for row in result[section].values():
                row[name] = None
            deferred.append((step, weight))
            continue
        _run_step(result[section], name, fn, done / total, progress, cancel)
        done += weight
    if deferred and wait_for_brokerage is not None:
        if progress is not None:
            progress(done / total, "brokerage")
        wait_for_brokerage()
    for (section, (name, fn)), weight in deferred + deferred_detail:
        _run_step(result[section], name, fn, done / total, progress, cancel)
        done += weight
    if cancel is not None and cancel():
        raise Cancelled()
    if progress is not None:
        progress(done / total, "summary")
    result["summary"] = {**summary(org, chosen), "pending": pending}
    if "brokerage" not in pending:
        info = brokerage.brokerage_scores(org, chosen, exact_limit, seed)[1]
        result["summary"]["betweenness"] = dict(info)
    if progress is not None:
        progress(1.0, "done")
    return result


def _run_step(
    table: dict[str, dict[str, Any]],
    name: str,
    fn: Callable[[], dict[str, Any]],
    fraction: float,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> None:
    """Compute one metric and put its values, cleaned, in each node's row."""
    if cancel is not None and cancel():
        raise Cancelled()
    if progress is not None:
        progress(fraction, name.replace("_", " "))
    values = fn()
    if name in BUILT_PLAIN:
        for node, value in values.items():
            table[node][name] = value
        return
    plain = _PLAIN
    # equal floats share one object: many people have the same value (1.0, a leaf's
    # constraint; 0.0, no brokerage), and each float is 24 bytes, 150 MB at a million
    # people. 0.0 and -0.0 are equal but print apart: negative zeros are left alone.
    same: dict[float, float] = {}
    for node, value in values.items():
        # most values are already plain; only floats and containers need a look
        if type(value) in plain:
            table[node][name] = value
        elif type(value) is float:
            if value != value or value in _INFINITE:
                table[node][name] = None
            elif value == 0.0 and math.copysign(1.0, value) < 0:
                table[node][name] = value
            else:
                table[node][name] = same.setdefault(value, value)
        else:
            table[node][name] = _clean(value)


def merge(into: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Add ``part`` (a :func:`compute_all` result for the same org, usually of the
    pending metrics) to ``into``, in place; ``into``'s pending list shrinks to what
    neither computed. Returns ``into``."""
    for section in ("people", "projects", "teams"):
        table = into[section]
        for node, values in part[section].items():
            table.setdefault(node, {}).update(values)
    still = set(part["summary"].get("pending", []))
    s = into["summary"]
    s["pending"] = [name for name in s.get("pending", []) if name in still]
    if "betweenness" in part["summary"]:
        s["betweenness"] = part["summary"]["betweenness"]
    return into


_PLAIN = frozenset({int, str, bool, type(None)})
_INFINITE = (math.inf, -math.inf)

#: People counts between which :func:`compute_all` computes the key-person detail in a
#: forked child (:mod:`orgmap.metrics.offload`): below, it takes under a second; above,
#: the child's copy-on-write copy of the org it reads would cost too much memory.
OFFLOAD_PEOPLE = (20_000, 300_000)

#: Steps that read brokerage's scores (``role`` classifies on them).
_NEED_BROKERAGE = frozenset({"brokerage", "role"})

#: Steps whose values are built from str, int, None and lists and dicts of those, never
#: a float or a numpy value (a test checks): the key-person detail is 100k lists of
#: dicts at 100k people, brokerage roles 100k dicts, 2-3 s to walk for nothing.
BUILT_PLAIN = frozenset(
    {"key_person_risk_detail", "brokerage_roles", "partner_teams", "bridge_people"}
)


def _clean(value: Any) -> Any:
    """Plain Python values, with any non-finite float as None (never NaN in output)."""
    # exact types first, leaves inline: the per-person lists of dicts (key-person risk
    # detail) are millions of values at 100k people, nearly all plain already
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict:
        return {k: v if type(v) in _PLAIN else _clean(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN else _clean(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
