"""What-if: edits on a copy of an org, each one undoable, and the diff they make.

A :class:`Scenario` holds the original org untouched and a working copy. An edit
(:class:`RemovePerson`, :class:`MovePerson`, :class:`MoveTeam`, :class:`AddMember`,
:class:`RemoveMember`) changes the copy's graph; :meth:`Scenario.undo` puts back the
very dictionaries the graph had before, so after undoing every edit the copy is the
original again, node order and edge order included, and every metric computed on it
is the original's to the last bit (metrics are sums over the graph's edges in their
order; an undo that merely re-added the same edges would reorder them).

How the copy stays cheap: the working graph starts as a shallow copy (new top-level
dicts, the original's adjacency inside), and an edit copies only the adjacency of the
nodes it touches before changing them (copy on write). A 100 000-person org is copied
in milliseconds, not the seconds ``graph.copy()`` takes.

Edits never read a file: a what-if org exists in memory only. Each edit has a plain
dict form (:meth:`Edit.to_dict`, :func:`edit_from_dict`) for the saved session.

>>> from orgmap.metrics.examples import example_org
>>> s = Scenario(example_org())
>>> step = s.apply(RemovePerson("person:3"))
>>> "person:3" in s.org.graph, "person:3" in s.base.graph
(False, True)
>>> _ = s.undo()
>>> "person:3" in s.org.graph
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from orgmap.model import (
    MEMBER_OF,
    PART_OF,
    PERSON,
    PROJECT,
    REPORTS_TO,
    TEAM,
    WORKS_ON,
    Cancelled,
    Org,
    department_key,
)
from orgmap.nxgraph import GraphPatch, clear_cache, shallow_copy

__all__ = [
    "ScenarioError",
    "Edit",
    "RemovePerson",
    "MovePerson",
    "MoveTeam",
    "AddMember",
    "RemoveMember",
    "Step",
    "Scenario",
    "copy_org",
    "edit_from_dict",
    "what_if",
    "FAST_METRICS",
    "recompute",
]

#: Metrics a what-if shows first: each one pass over the collaboration graph's edges
#: (or the org chart), so an edit is shown at once; the rest (influence, brokerage,
#: structural holes, roles, the named risk detail) follow in a second pass.
FAST_METRICS = frozenset(
    {
        "direct_reports",
        "org_size",
        "depth",
        "reach_2",
        "teams_reached",
        "departments_reached",
        "org_reach",
        "cross_team_projects",
        "cross_team_projects_led",
        "mentees",
        "mentorship_reach",
        "mentors_grown",
        "key_person_risk",
        "members",
        "leads",
        "teams_spanned",
        "departments_spanned",
        "org_wide",
        "size",
        "internal_ties",
        "external_ties",
        "ei_index",
        "silo",
    }
)


class ScenarioError(ValueError):
    """An edit that cannot be made (unknown person, a reporting cycle...), in words."""


def _who(org: Org, node: str) -> str:
    data = org.graph.nodes[node]
    pid = data.get("id")
    name = org.label(node)
    return f"{name} ({pid})" if pid not in (None, "", name) else name


def _need(org: Org, node: str, kind: str) -> None:
    data = org.graph.nodes.get(node)
    if data is None or data.get("kind") != kind:
        raise ScenarioError(f"no {kind} {node.partition(':')[2] or node!r} in this org")


def _managers(org: Org, node: str) -> list[str]:
    return [v for v, keys in org.graph._succ[node].items() if REPORTS_TO in keys]


def _team_of(org: Org, node: str) -> str | None:
    return next((v for v, keys in org.graph._succ[node].items() if MEMBER_OF in keys), None)


def _chain_up(org: Org, start: str) -> list[str]:
    """``start`` and everyone above it along the reporting lines (cycle-safe)."""
    chain, seen, node = [start], {start}, start
    while True:
        ups = _managers(org, node)
        if not ups or ups[0] in seen:
            return chain
        node = ups[0]
        seen.add(node)
        chain.append(node)


def _refuse_cycle(org: Org, person: str, manager: str) -> None:
    """Raise when ``person`` reporting to ``manager`` closes a reporting loop."""
    if person == manager:
        raise ScenarioError(f"{_who(org, person)} cannot report to themselves")
    chain = _chain_up(org, manager)
    if person in chain:
        path = " -> ".join(org.label(n) for n in chain[: chain.index(person) + 1])
        raise ScenarioError(
            f"cannot move {_who(org, person)} under {_who(org, manager)}: "
            f"{org.label(manager)} already reports to {org.label(person)} ({path}), "
            "so the move would make a reporting cycle"
        )


# -- edits ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """One what-if change; subclasses name what they change in ``kind``."""

    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}

    def describe(self, org: Org) -> str:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def touched(self, org: Org) -> set[str]:  # pragma: no cover
        raise NotImplementedError

    def check(self, org: Org) -> None:  # pragma: no cover
        raise NotImplementedError

    def change(self, org: Org) -> None:  # pragma: no cover
        raise NotImplementedError

    reorders: ClassVar[bool] = False


def _neighbours(org: Org, node: str) -> set[str]:
    return {node, *org.graph._succ[node], *org.graph._pred[node]}


@dataclass(frozen=True)
class RemovePerson(Edit):
    """The person leaves: every link of theirs goes; their reports move up to their
    manager (as an org chart does), unless ``reports_up`` is False."""

    person: str
    reports_up: bool = True
    kind: ClassVar[str] = "remove_person"
    reorders: ClassVar[bool] = True

    def describe(self, org: Org) -> str:
        return f"Remove {_who(org, self.person)}"

    def check(self, org: Org) -> None:
        _need(org, self.person, PERSON)

    def touched(self, org: Org) -> set[str]:
        return _neighbours(org, self.person)

    def change(self, org: Org) -> None:
        g = org.graph
        ups = _managers(org, self.person)
        reports = [u for u, keys in g._pred[self.person].items() if REPORTS_TO in keys]
        g.remove_node(self.person)
        if self.reports_up and ups:
            for r in reports:
                if r != ups[0] and not g.has_edge(r, ups[0], key=REPORTS_TO):
                    g.add_edge(r, ups[0], key=REPORTS_TO, kind=REPORTS_TO, what_if=True)


def _set_team(org: Org, person: str, team: str | None, department: str | None) -> None:
    """Move ``person``'s membership to ``team`` (a team node) and set their attributes."""
    g = org.graph
    old = _team_of(org, person)
    if old is not None and old != team:
        g.remove_edge(person, old, key=MEMBER_OF)
    if team is not None and old != team:
        g.add_edge(person, team, key=MEMBER_OF, kind=MEMBER_OF, what_if=True)
    data = g._node[person]
    data["team"] = g._node[team].get("name") if team is not None else None
    if department is not None:
        data["department"] = department


@dataclass(frozen=True)
class MovePerson(Edit):
    """The person reports to ``manager``; with ``join_team`` they also join the
    manager's team (and department), as a move under a new manager usually means."""

    person: str
    manager: str
    join_team: bool = True
    kind: ClassVar[str] = "move_person"

    def describe(self, org: Org) -> str:
        return f"Move {_who(org, self.person)} under {_who(org, self.manager)}"

    def check(self, org: Org) -> None:
        _need(org, self.person, PERSON)
        _need(org, self.manager, PERSON)
        _refuse_cycle(org, self.person, self.manager)

    def touched(self, org: Org) -> set[str]:
        nodes = {self.person, self.manager, *_managers(org, self.person)}
        for n in (self.person, self.manager):
            team = _team_of(org, n)
            if team is not None:
                nodes.add(team)
        return nodes

    def change(self, org: Org) -> None:
        g = org.graph
        for old in _managers(org, self.person):
            g.remove_edge(self.person, old, key=REPORTS_TO)
        g.add_edge(self.person, self.manager, key=REPORTS_TO, kind=REPORTS_TO, what_if=True)
        if self.join_team:
            team = _team_of(org, self.manager)
            if team is not None:
                _set_team(org, self.person, team, g._node[self.manager].get("department"))


def _team_members(org: Org, team: str) -> list[str]:
    return [u for u, keys in org.graph._pred[team].items() if MEMBER_OF in keys]


def _team_heads(org: Org, team: str) -> list[str]:
    """Members whose manager is outside the team (or who have none): the team's top."""
    members = set(_team_members(org, team))
    return [m for m in _team_members(org, team) if not set(_managers(org, m)) & members]


@dataclass(frozen=True)
class MoveTeam(Edit):
    """The whole team goes under ``manager``: its heads report to them, and the team
    joins the manager's department."""

    team: str
    manager: str
    kind: ClassVar[str] = "move_team"

    def describe(self, org: Org) -> str:
        return f"Move team {org.label(self.team)} under {_who(org, self.manager)}"

    def check(self, org: Org) -> None:
        _need(org, self.team, TEAM)
        _need(org, self.manager, PERSON)
        members = _team_members(org, self.team)
        if self.manager in members:
            raise ScenarioError(
                f"cannot move team {org.label(self.team)} under {_who(org, self.manager)}, "
                "who is in it: the move would make a reporting cycle"
            )
        for head in _team_heads(org, self.team):
            _refuse_cycle(org, head, self.manager)

    def _department(self, org: Org) -> str | None:
        return org.graph._node[self.manager].get("department")

    def touched(self, org: Org) -> set[str]:
        g = org.graph
        nodes = {self.team, self.manager}
        for head in _team_heads(org, self.team):
            nodes |= {head, *_managers(org, head)}
        dept = self._department(org)
        if dept and g._node[self.team].get("department") != dept:
            nodes |= set(_team_members(org, self.team))  # their department changes
            nodes |= {v for v, keys in g._succ[self.team].items() if PART_OF in keys}
            if department_key(dept) in g:
                nodes.add(department_key(dept))
        return nodes

    def change(self, org: Org) -> None:
        g = org.graph
        for head in _team_heads(org, self.team):
            for old in _managers(org, head):
                g.remove_edge(head, old, key=REPORTS_TO)
            g.add_edge(head, self.manager, key=REPORTS_TO, kind=REPORTS_TO, what_if=True)
        dept = self._department(org)
        if dept and g._node[self.team].get("department") != dept and department_key(dept) in g:
            for old in [v for v, keys in g._succ[self.team].items() if PART_OF in keys]:
                g.remove_edge(self.team, old, key=PART_OF)
            g.add_edge(self.team, department_key(dept), key=PART_OF, kind=PART_OF, what_if=True)
            g._node[self.team]["department"] = dept
            for m in _team_members(org, self.team):
                g._node[m]["department"] = dept


@dataclass(frozen=True)
class AddMember(Edit):
    """The person joins the project with ``role`` (lead, contributor or stakeholder)."""

    person: str
    project: str
    role: str = "contributor"
    kind: ClassVar[str] = "add_member"

    def describe(self, org: Org) -> str:
        return f"Add {_who(org, self.person)} to {org.label(self.project)} ({self.role})"

    def check(self, org: Org) -> None:
        _need(org, self.person, PERSON)
        _need(org, self.project, PROJECT)
        if self.role not in ("lead", "contributor", "stakeholder"):
            raise ScenarioError(f"role {self.role!r}: choose lead, contributor or stakeholder")
        if org.graph.has_edge(self.person, self.project, key=WORKS_ON):
            raise ScenarioError(
                f"{_who(org, self.person)} already works on {org.label(self.project)}"
            )

    def touched(self, org: Org) -> set[str]:
        return {self.person, self.project}

    def change(self, org: Org) -> None:
        org.graph.add_edge(
            self.person, self.project, key=WORKS_ON, kind=WORKS_ON, role=self.role, what_if=True
        )


@dataclass(frozen=True)
class RemoveMember(Edit):
    """The person leaves the project (and stays in the org)."""

    person: str
    project: str
    kind: ClassVar[str] = "remove_member"

    def describe(self, org: Org) -> str:
        return f"Take {_who(org, self.person)} off {org.label(self.project)}"

    def check(self, org: Org) -> None:
        _need(org, self.person, PERSON)
        _need(org, self.project, PROJECT)
        if not org.graph.has_edge(self.person, self.project, key=WORKS_ON):
            raise ScenarioError(
                f"{_who(org, self.person)} does not work on {org.label(self.project)}"
            )

    def touched(self, org: Org) -> set[str]:
        return {self.person, self.project}

    def change(self, org: Org) -> None:
        org.graph.remove_edge(self.person, self.project, key=WORKS_ON)


_EDITS: dict[str, type[Edit]] = {
    cls.kind: cls for cls in (RemovePerson, MovePerson, MoveTeam, AddMember, RemoveMember)
}


def edit_from_dict(data: dict[str, Any]) -> Edit:
    """The edit of :meth:`Edit.to_dict` (as a saved session holds it)."""
    if not isinstance(data, dict) or data.get("kind") not in _EDITS:
        known = ", ".join(_EDITS)
        raise ScenarioError(f"not a what-if edit: {data!r} (kinds: {known})")
    cls = _EDITS[data["kind"]]
    fields = {k: v for k, v in data.items() if k != "kind"}
    try:
        return cls(**fields)
    except TypeError as exc:
        raise ScenarioError(f"what-if edit {data!r}: {exc}") from exc


# -- the scenario ---------------------------------------------------------------------
def copy_org(org: Org, share_attrs: bool = False) -> Org:
    """A copy of ``org`` whose graph can be edited through a :class:`Scenario`.

    New node-attribute dicts and top-level adjacency dicts; the inner adjacency is
    shared with ``org`` until an edit copies it (see :class:`orgmap.nxgraph.GraphPatch`), so edit it only
    through :meth:`Scenario.apply`. With ``share_attrs`` the attribute dicts are shared
    too: a frozen view (:meth:`Scenario.snapshot`), not a copy to edit.
    """
    h = shallow_copy(org.graph, share_attrs)
    return Org(
        graph=h,
        issues=list(org.issues),
        sheets=list(org.sheets),
        unreadable=list(org.unreadable),
        sources=list(org.sources),
    )


@dataclass
class Step:
    """An applied edit, its words, and the way back."""

    edit: Edit
    text: str
    patch: GraphPatch = field(repr=False)


class Scenario:
    """The original org, an edited copy, and the edits made, in order.

    ``apply`` and ``undo`` change :attr:`org` in place (and drop its cached views);
    :attr:`base` is never changed.
    """

    def __init__(self, base: Org, edits: Sequence[Edit | dict[str, Any]] = ()) -> None:
        self.base = base
        self.org = copy_org(base)
        self.steps: list[Step] = []
        for edit in edits:
            self.apply(edit if isinstance(edit, Edit) else edit_from_dict(edit))

    @property
    def edits(self) -> list[Edit]:
        return [s.edit for s in self.steps]

    def to_dicts(self) -> list[dict[str, Any]]:
        """The edits' plain-dict form, as a saved session keeps them."""
        return [s.edit.to_dict() for s in self.steps]

    def apply(self, edit: Edit) -> Step:
        """Make ``edit`` on the copy; :class:`ScenarioError` (and no change) when it
        cannot be made."""
        org = self.org
        edit.check(org)
        text = edit.describe(org)
        patch = GraphPatch(org.graph, edit.touched(org), edit.reorders)
        try:
            edit.change(org)
        except Exception:
            patch.revert()
            org.changed()
            raise
        clear_cache(org.graph)
        org.changed()
        step = Step(edit, text, patch)
        self.steps.append(step)
        return step

    def undo(self) -> Step:
        """Take back the last edit; the graph is exactly what it was before it."""
        if not self.steps:
            raise ScenarioError("nothing to undo")
        step = self.steps.pop()
        step.patch.revert()
        self.org.changed()
        return step

    def diff(self, relations: Iterable[str] | None = None, **metrics: Any) -> Any:
        """The :class:`orgmap.diff.OrgDiff` of the original and the edited org."""
        from orgmap.diff import diff_orgs

        return diff_orgs(self.base, self.org, relations=relations, only=self.touched, **metrics)

    def snapshot(self) -> Org:
        """The edited org as it is now, for work on another thread.

        Edits copy every dict before changing it and undo puts the old ones back, so a
        dict the snapshot holds is never changed again: later edits do not show through,
        and building the snapshot costs three dict copies, not a graph copy.
        """
        return copy_org(self.org, share_attrs=True)

    @property
    def touched(self) -> set[str]:
        """Every node an edit so far touched: nothing else differs from the original."""
        return {u for step in self.steps for u in step.patch.saved}


def what_if(
    org: Org, edits: Iterable[Edit | dict[str, Any]], relations: Iterable[str] | None = None
):
    """Apply ``edits`` to a copy of ``org``: ``(edited org, diff against org)``.

    ``org`` itself is not changed.
    """
    scenario = Scenario(org, list(edits))
    return scenario.org, scenario.diff(relations)


def recompute(
    org: Org,
    relations: Iterable[str] | None = None,
    names: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    progress: Callable[[float, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """The metrics named (all when None, less ``skip``) on ``org``, in :func:`compute_all`'s shape
    (``{"people": {node: {metric: v}}, "projects": ..., "teams": ...}``), without the
    summary.

    A what-if shows :data:`FAST_METRICS` first, then the rest. ``cancel()`` is checked
    between metrics (:class:`~orgmap.model.Cancelled`); ``progress(fraction, name)``.
    """
    from orgmap.metrics.compute import _clean, metric_steps
    from orgmap.views import normalize_relations, people_index

    chosen = normalize_relations(relations)
    wanted = None if names is None else set(names)
    skipped = set(skip)
    people = people_index(org)
    out: dict[str, Any] = {
        "people": {n: {} for n in people.nodes},
        "projects": {n: {} for n in people.project_nodes},
        "teams": {n: {} for n in people.team_nodes},
    }
    steps = [
        (section, (name, fn))
        for section, (name, fn) in metric_steps(org, chosen)
        if (wanted is None or name in wanted) and name not in skipped
    ]
    for i, (section, (name, fn)) in enumerate(steps):
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress(i / max(1, len(steps)), name.replace("_", " "))
        table = out[section]
        plain = (int, str, bool, type(None))
        for node, value in fn().items():
            if node in table:
                # most values are already plain (as compute_all says); clean the rest
                table[node][name] = value if type(value) in plain else _clean(value)
    return out
