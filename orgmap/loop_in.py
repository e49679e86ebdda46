"""Who can I loop in? Introduction paths and advocates for a person and a target.

One question, answered from the graph the metrics already use: *who can this person
loop in to help with, or to advocate for, work in that team, department or project,
and through whom do they reach them?* The command line (``orgmap loop-in``), the app
("Loop in...") and the HTML map (``orgmap html --focus REF --to TARGET``) all call
:func:`loop_in`; nothing here knows about Qt.

A target is a person (an id, email or name), ``team:NAME``, ``department:NAME`` or
``project:NAME`` (a bare name that is no person is looked up among the groups).

Introduction paths
    Routes from the person over the collaboration graph
    (:func:`orgmap.views.collaboration_matrix`: people who share a project, a
    mentorship, a reporting or dotted line, or a tie; the same ``relations`` switch
    as the metrics) to the target, or for a group to its most influential members
    (:func:`orgmap.metrics.influence.influence`), listed nearest first.

Path cost rule
    Fewest introductions first: a route of fewer hops always wins. Among routes of
    equally few hops, the one whose links are strongest: each hop costs
    ``1 / strength`` and the route with the smallest sum wins, so one weak link
    counts against a route more than a strong link counts for it. A link's
    strength is the collaboration graph's weight (1 per shared project, mentorship,
    reporting or dotted line, tie), where a tie counts its weight relative to the
    org's median tie weight (between :data:`TIE_MIN` and :data:`TIE_MAX`), and a
    project or tie whose date (:data:`DATE_ATTRIBUTES`) lies more than
    :data:`STALE_DAYS` before the newest such date in the org counts
    :data:`STALE_FACTOR` of its strength (recent links are stronger than old ones;
    without dates nothing changes). Routes that are still equal: the one whose
    last go-between comes first by name (then id), compared from the target back.

Advocates
    The people with the most influence on the target: the sum of the nominations
    (influence graph, :func:`orgmap.views.influence_matrix`) that the target's
    people give them. So a team's managers, the leads of its people's projects,
    their mentors and the advisers they go to rank high, inside or next to the
    group. Ties broken by influence, then name.

Who is missing (project targets)
    The teams the project touches where nobody has a link to a lead other than the
    project itself, and the stakeholders a lead should keep informed (the members'
    managers and the heads of the teams it touches) with no link to any lead.

Examples
--------
>>> from orgmap.metrics.examples import example_org
>>> org = example_org()
>>> result = loop_in(org, "person:6", "person:5")
>>> [org.label(n) for n in result.paths[0].nodes]  # via Ben, whom Ed asks for advice
['Flo', 'Ben', 'Ed']
>>> result.paths[0].hops[-1].reason
'Ed: works on Apollo with Ben; comes to Ben for advice'
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from orgmap.cells import date_key
from orgmap.explain import nominators
from orgmap.model import (
    DEPARTMENT,
    DOTTED_LINE,
    MENTORS,
    PERSON,
    PROJECT,
    RELATIONS,
    REPORTS_TO,
    TEAM,
    TIE,
    WORKS_ON,
    Org,
    UnknownPerson,
    fold,
)
from orgmap.overlay import Overlay
from orgmap.present import plural
from orgmap.views import (
    collaboration_matrix,
    influence_matrix,
    is_nomination,
    large_projects,
    normalize_relations,
    people_index,
)

__all__ = [
    "GROUP_KINDS",
    "TOP",
    "TIE_MIN",
    "TIE_MAX",
    "STALE_DAYS",
    "STALE_FACTOR",
    "DATE_ATTRIBUTES",
    "TargetError",
    "Hop",
    "Route",
    "Advocate",
    "MissingTeam",
    "Stakeholder",
    "LoopIn",
    "resolve_target",
    "target_choices",
    "link_strength",
    "link_reasons",
    "loop_in",
    "new_hops",
    "overlay",
    "as_json",
    "COST_RULE",
]

#: The prefixes a group target takes (``team:Search``), in the order completion lists them.
GROUP_KINDS = (TEAM, DEPARTMENT, PROJECT)
#: Paths and advocates listed by default.
TOP = 5
#: A tie's strength is its weight over the org's median tie weight, kept in this range so
#: one survey's "10" does not outweigh every shared project.
TIE_MIN, TIE_MAX = 0.25, 3.0
#: Links dated more than this many days before the org's newest link date are stale...
STALE_DAYS = 365
#: ...and count this share of their strength.
STALE_FACTOR = 0.5
#: Attributes read as a link's date: on a tie edge, or on a project node (its end, or last
#: activity). The first one that parses as a date wins.
DATE_ATTRIBUTES = (
    "date",
    "last_contact",
    "last_activity",
    "end_date",
    "end",
    "updated",
)

_KIND_WORDS = {PERSON: "person", TEAM: "team", DEPARTMENT: "department", PROJECT: "project"}
#: Relation order in a hop's reason (the first is the hop's ``relation``).
_REASON_ORDER = ("projects", "mentors", "ties", "reports", "dotted")


class TargetError(ValueError):
    """A person or target that names nothing, or several things; ``matches`` are the
    closest candidates, as a user would type them."""

    def __init__(self, message: str, matches: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.matches = list(matches)


# -- results ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Hop:
    """One introduction: the person reached, the relations linking them to the one
    before, and the reason in words (``"Kim Ng: you both work on Search Relaunch"``)."""

    node: str
    relations: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Route:
    """The best route from the person to ``to``; ``nodes`` is empty when there is none."""

    to: str
    nodes: tuple[str, ...] = ()
    hops: tuple[Hop, ...] = ()
    cost: float = float("inf")

    @property
    def reachable(self) -> bool:
        return bool(self.nodes)

    @property
    def steps(self) -> int | None:
        """Introductions needed (1: a direct link), None when unreachable."""
        return len(self.nodes) - 1 if self.nodes else None


@dataclass(frozen=True)
class Advocate:
    """Someone with influence on the target: ``score`` sums the nominations the target's
    people give them; ``why`` says which (``"manager of 3 people in team Search"``)."""

    node: str
    score: float
    why: str
    inside: bool
    route: Route


@dataclass(frozen=True)
class MissingTeam:
    """A team a project touches with no link to any of its leads outside the project."""

    team: str
    members: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Stakeholder:
    """Someone a project's lead should keep informed who has no link to any lead yet."""

    node: str
    why: str
    route: Route


@dataclass(frozen=True)
class LoopIn:
    """The answer to one question: :func:`loop_in` of ``person`` and ``target``."""

    person: str
    target: str
    target_kind: str
    #: The target's people (the target itself for a person), in people order.
    members: tuple[str, ...]
    paths: tuple[Route, ...]
    advocates: tuple[Advocate, ...]
    missing_teams: tuple[MissingTeam, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    notes: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()


# -- resolving what the user typed -------------------------------------------------------
def _groups(org: Org, kind: str) -> dict[str, list[str]]:
    """Folded name -> nodes of one group kind (cached)."""

    def build() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for node in org.nodes_of(kind):
            out.setdefault(fold(org.label(node)), []).append(node)
        return out

    return org.cached(("orgmap.loop_in", "groups", kind), build)


def target_choices(org: Org) -> list[str]:
    """Every target as a user types it: people's names, then ``team:``, ``department:``,
    ``project:`` names (what the app's completion offers), sorted within each kind."""
    people = sorted({org.label(n) for n in org.people()}, key=str.casefold)
    groups = [
        f"{kind}:{org.label(n)}"
        for kind in GROUP_KINDS
        for n in sorted(org.nodes_of(kind), key=lambda n: org.label(n).casefold())
    ]
    return people + groups


def _closest_groups(org: Org, kind: str | None, name: str, n: int = 5) -> list[str]:
    """``kind:Name`` suggestions for a group name that matched nothing (substring hits
    first, then difflib's close matches, as :meth:`Org.closest_people` ranks people)."""
    labels = {
        fold(org.label(node)): f"{k}:{org.label(node)}"
        for k in ([kind] if kind else GROUP_KINDS)
        for node in org.nodes_of(k)
    }
    key = fold(name)
    subs = [f for f in labels if key and key in f]
    hits = difflib.get_close_matches(key, list(labels), n=n * 2, cutoff=0.4)
    seen: list[str] = []
    for f in subs + hits:
        if labels[f] not in seen:
            seen.append(labels[f])
    return seen[:n]


def resolve_target(org: Org, text: str) -> str:
    """The one node ``text`` names: a person (id, email or name, as ``--person`` takes),
    or ``team:``/``department:``/``project:`` + a name (case, accents and punctuation
    ignored). A bare name that is nobody's is looked up among the groups.

    Raises :class:`TargetError` with the closest matches when it names nothing or
    several things.
    """
    text = str(text or "").strip()
    if not text:
        raise TargetError("no target given: a person, team:NAME, department:NAME or project:NAME")
    kind, sep, name = text.partition(":")
    kind = kind.strip().lower()
    if sep and kind in GROUP_KINDS:
        found = _groups(org, kind).get(fold(name), [])
        if len(found) == 1:
            return found[0]
        close = _closest_groups(org, kind, name)
        raise TargetError(
            f"no {kind} named {name.strip()!r}"
            + (f"; closest: {'; '.join(close)}" if close else ""),
            close,
        )
    people = org.find_person(text)
    if people:
        try:
            return org.resolve_person(text)
        except UnknownPerson as exc:  # several people by that name
            raise TargetError(str(exc), exc.suggestions) from None
    groups = [n for k in GROUP_KINDS for n in _groups(org, k).get(fold(text), [])]
    if len(groups) == 1:
        return groups[0]
    if groups:
        labels = [f"{org.graph.nodes[n]['kind']}:{org.label(n)}" for n in groups]
        raise TargetError(f"{text!r} names {len(groups)} groups: {'; '.join(labels)}", labels)
    close = org.closest_people(text, n=3) + _closest_groups(org, None, text, n=3)
    raise TargetError(
        f"{text!r}: no person, team, department or project by that name"
        + (f"; closest: {'; '.join(close)}" if close else ""),
        close,
    )


# -- link strength -------------------------------------------------------------------------
def _date_ordinal(attrs: dict[str, Any]) -> int:
    """The first of :data:`DATE_ATTRIBUTES` that parses as a date, as an ordinal; 0: none."""
    for name in DATE_ATTRIBUTES:
        if attrs.get(name) not in (None, ""):
            key = date_key(attrs[name])
            if key:
                return dt.date.fromisoformat(key).toordinal()
    return 0


def _counted_tie(data: dict[str, Any]) -> bool:
    """A tie edge :func:`orgmap.views.people_index` keeps (a positive, finite weight)."""
    if data.get("kind") != TIE:
        return False
    try:
        weight = float(data.get("weight", 1))
    except (TypeError, ValueError):
        return True  # the people index reads an unusable weight as 1
    return bool(np.isfinite(weight) and weight > 0)


def _tie_dates(org: Org) -> np.ndarray:
    """Per tie of :func:`people_index` (same order), its date ordinal (0: undated)."""
    people = people_index(org)
    src, dst = people.ties[0], people.ties[1]
    out = np.zeros(len(src), dtype=np.int64)
    if not len(src):
        return out
    succ = org.graph._succ  # adjacency without the view layer: one lookup per tie
    seen: dict[tuple[int, int], list[int]] = {}
    for k, (i, j) in enumerate(zip(src.tolist(), dst.tolist(), strict=True)):
        seen.setdefault((i, j), []).append(k)
    for (i, j), ks in seen.items():
        keyed = succ.get(people.nodes[i], {}).get(people.nodes[j], {})
        dates = [_date_ordinal(d) for d in keyed.values() if _counted_tie(d)]
        # several typed ties of one pair: they appear in the same order as the edges
        for k, d in zip(ks, dates, strict=False):
            out[k] = d
    return out


def link_strength(org: Org, relations: Iterable[str] | None = None) -> sp.csr_array:
    """How strong each person-person link is (symmetric, the collaboration graph's
    pattern; cached). See the module docstring's path cost rule."""
    chosen = normalize_relations(relations)
    return org.cached(("orgmap.loop_in", "strength", chosen), lambda: _strength(org, chosen))


def _strength(org: Org, chosen: frozenset[str]) -> sp.csr_array:
    people = people_index(org)
    n = people.n
    mat = collaboration_matrix(org, chosen).astype(np.float64)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    src, dst, weight, _ = people.ties
    tie_dates = _tie_dates(org) if "ties" in chosen and len(src) else np.zeros(0, np.int64)
    project_dates = np.array(
        [_date_ordinal(org.graph.nodes[p]) for p in people.project_nodes], dtype=np.int64
    )
    dated = np.concatenate([tie_dates[tie_dates > 0], project_dates[project_dates > 0]])
    stale_before = int(dated.max()) - STALE_DAYS if len(dated) else None
    if "ties" in chosen and len(src):
        strength = np.clip(weight / float(np.median(weight)), TIE_MIN, TIE_MAX)
        if stale_before is not None:
            strength = np.where(
                (tie_dates > 0) & (tie_dates < stale_before), strength * STALE_FACTOR, strength
            )
        delta = strength - 1.0  # the collaboration graph already counts 1 per tie
        rows += [src, dst]
        cols += [dst, src]
        vals += [delta, delta]
    if "projects" in chosen and stale_before is not None and len(people.member_person):
        stale = (project_dates > 0) & (project_dates < stale_before)
        big = set(large_projects(org))
        stale &= np.array([p not in big for p in people.project_nodes], dtype=bool)
        keep = stale[people.member_project]
        if keep.any():
            old = sp.coo_array(
                (
                    np.ones(int(keep.sum())),
                    (people.member_person[keep], people.member_project[keep]),
                ),
                shape=(n, len(people.project_nodes)),
            ).tocsr()
            old.data[:] = 1.0
            pairs = (old @ old.T).tocoo()
            off = pairs.row != pairs.col
            rows.append(pairs.row[off].astype(np.int64))
            cols.append(pairs.col[off].astype(np.int64))
            vals.append(-(1.0 - STALE_FACTOR) * pairs.data[off])
    if rows:
        adjust = sp.coo_array(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
        ).tocsr()
        # the adjustments sit on links the collaboration graph has, and never take more
        # than a link's own share away, so every link stays (a floor guards rounding)
        mat = (mat + adjust.multiply(mat > 0)).tocsr()
        mat.data = np.maximum(mat.data, 0.05)
    mat.sort_indices()
    return mat


#: Combining marks left by NFKD (accents), dropped from sort keys.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _sort_keys(names: list[str]) -> list[str]:
    """Sort keys for names: lower-cased, accents dropped ("Élise" sorts with "Elise",
    before "Zoë"). One NFKD pass over the joined names runs in C: :func:`fold` name by
    name takes 0.15 s at 100 000 people, most of it stripping spaces a sort can keep."""
    text = "\x00".join(n.replace("\x00", "") for n in names)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text).lower()).split("\x00")


def _alpha_rank(org: Org) -> np.ndarray:
    """Per person index, its place in name (then id) order: the last tie-break (cached).
    Computed once per org, on the first query (0.2 s at 100 000 people)."""

    def build() -> np.ndarray:
        people = people_index(org)
        data = [org.graph._node[n] for n in people.nodes]
        names = np.array(_sort_keys([str(d.get("name") or "") for d in data]), dtype=str)
        ids = np.array([str(d.get("id", "")) for d in data], dtype=str)
        order = np.lexsort((np.arange(people.n), ids, names))
        rank = np.empty(people.n, dtype=np.int64)
        rank[order] = np.arange(people.n)
        return rank

    return org.cached(("orgmap.loop_in", "rank"), build)


def _routes_from(org: Org, source: int, chosen: frozenset[str], wanted: set[int]) -> np.ndarray:
    """Breadth-first layers from ``source``, each person's predecessor on the best route
    by the path cost rule (``-1``: the source or unreached). Stops once every index in
    ``wanted`` is reached.

    Vectorized per layer: the edges leaving one layer into unvisited people are
    gathered from the CSR arrays, and per person the cheapest (then best-ranked)
    predecessor kept, so a query at 100 000 people is a few numpy passes.
    """
    people = people_index(org)
    mat = link_strength(org, chosen)
    indptr, indices = mat.indptr, mat.indices
    penalty = 1.0 / mat.data
    rank = _alpha_rank(org)
    n = people.n
    visited = np.zeros(n, dtype=bool)
    cost = np.full(n, np.inf)
    pred = np.full(n, -1, dtype=np.int64)
    visited[source] = True
    cost[source] = 0.0
    frontier = np.array([source], dtype=np.int64)
    left = set(wanted) - {source}
    while len(frontier) and left:
        starts, ends = indptr[frontier], indptr[frontier + 1]
        counts = ends - starts
        total = int(counts.sum())
        if not total:
            break
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
        idx = np.arange(total, dtype=np.int64) + offsets
        src = np.repeat(frontier, counts)
        dst = indices[idx].astype(np.int64)
        fresh = ~visited[dst]
        src, dst, idx = src[fresh], dst[fresh], idx[fresh]
        if not len(dst):
            break
        # rounded so sums of the same penalties in another order compare equal
        through = np.round(cost[src] + penalty[idx], 9)
        order = np.lexsort((rank[src], through, dst))
        dst, src, through = dst[order], src[order], through[order]
        first = np.ones(len(dst), dtype=bool)
        first[1:] = dst[1:] != dst[:-1]
        reached, via, best = dst[first], src[first], through[first]
        visited[reached] = True
        pred[reached] = via
        cost[reached] = best
        left.difference_update(reached.tolist())
        frontier = reached
    return pred


# -- reasons in words ---------------------------------------------------------------------
def _names(org: Org, nodes: list[str], limit: int = 2) -> str:
    shown = [org.label(n) for n in nodes[:limit]]
    more = len(nodes) - limit
    if more > 0:
        return f"{', '.join(shown)} and {more} more"
    return " and ".join(shown) if len(shown) <= 2 else ", ".join(shown)


def link_reasons(
    org: Org,
    a: str,
    b: str,
    relations: Iterable[str] | None = None,
    you: bool = False,
    skip_project: str | None = None,
) -> list[tuple[str, str]]:
    """What links person ``a`` to person ``b``, as ``(relation, words about b)`` pairs in
    :data:`_REASON_ORDER` (``[("projects", "works on Apollo with Di")]``); ``you``
    words it for ``a`` reading it (``"you both work on Apollo"``). Empty when they are
    not linked over ``relations``; ``skip_project`` leaves one shared project out."""
    chosen = normalize_relations(relations)
    g = org.graph
    an = "you" if you else org.label(a)
    poss = "your" if you else f"{org.label(a)}'s"
    found: dict[str, list[str]] = {}

    def say(relation: str, words: str) -> None:
        if relation in chosen:
            found.setdefault(relation, []).append(words)

    def projects_of(node: str) -> set[str]:
        return {p for _, p, d in g.out_edges(node, data=True) if d.get("kind") == WORKS_ON} - {
            skip_project
        }

    shared = sorted(projects_of(a) & projects_of(b), key=lambda p: org.label(p).casefold())
    if shared:
        what = _names(org, shared)
        say("projects", f"you both work on {what}" if you else f"works on {what} with {an}")
    for u, v, forward in ((a, b, True), (b, a, False)):
        for data in g.get_edge_data(u, v, default={}).values():
            kind = data.get("kind")
            if kind == REPORTS_TO:  # u reports to v
                say("reports", f"{poss} manager" if forward else f"reports to {an}")
            elif kind == DOTTED_LINE:
                say(
                    "dotted",
                    f"{poss} dotted-line manager" if forward else f"dotted-line report of {an}",
                )
            elif kind == MENTORS:  # u mentors v
                say("mentors", f"{poss} mentee" if forward else f"{poss} mentor")
            elif kind == TIE:
                tie_type = str(data.get("type") or "tie")
                if not is_nomination(tie_type) or tie_type == "tie":
                    say("ties", f"{tie_type} tie with {an}")
                elif forward:
                    verb = "go" if you else "goes"
                    say("ties", f"{an} {verb} to them for {tie_type}")
                else:
                    say("ties", f"comes to {an} for {tie_type}")
    # a mutual tie named from both sides is said once
    return [(r, words) for r in _REASON_ORDER for words in dict.fromkeys(found.get(r, []))]


def _route(org: Org, pred: np.ndarray, source: int, to: str, chosen: frozenset[str]) -> Route:
    people = people_index(org)
    j = people.index[to]
    if j == source:
        return Route(to=to, nodes=(to,), cost=0.0)
    if pred[j] < 0:
        return Route(to=to)
    chain = [j]
    while chain[-1] != source:
        chain.append(int(pred[chain[-1]]))
    chain.reverse()
    nodes = tuple(people.nodes[i] for i in chain)
    strength = link_strength(org, chosen)
    hops = []
    cost = 0.0
    for k in range(1, len(nodes)):
        a, b = nodes[k - 1], nodes[k]
        reasons = link_reasons(org, a, b, chosen, you=k == 1)
        rels = tuple(dict.fromkeys(r for r, _ in reasons))
        text = "; ".join(words for _, words in reasons) or "linked"
        hops.append(Hop(node=b, relations=rels, reason=f"{org.label(b)}: {text}"))
        cost += 1.0 / float(strength[chain[k - 1], chain[k]])
    return Route(to=to, nodes=nodes, hops=tuple(hops), cost=round(cost, 9))


# -- the question ------------------------------------------------------------------------
def _members(org: Org, target: str) -> list[int]:
    """Person indices of the target: the person, a team's or department's people, a
    project's members (leads, contributors and stakeholders)."""
    people = people_index(org)
    kind = org.graph.nodes[target].get("kind")
    if kind == PERSON:
        return [people.index[target]]
    if kind == TEAM:
        return np.flatnonzero(people.team == people.team_nodes.index(target)).tolist()
    if kind == DEPARTMENT:
        return np.flatnonzero(people.dept == people.dept_nodes.index(target)).tolist()
    p = people.project_nodes.index(target)
    return sorted(set(people.member_person[people.member_project == p].tolist()))


def _group_words(org: Org, target: str) -> str:
    kind = org.graph.nodes[target].get("kind")
    return org.label(target) if kind == PERSON else f"{kind} {org.label(target)}"


def _advocate_why(
    org: Org, node: str, inside: set[str], target: str, chosen: frozenset[str]
) -> str:
    """Which of the target's people look to ``node``, in words."""
    single = org.graph.nodes[target].get("kind") == PERSON
    group = _group_words(org, target)

    def who(found: list[str]) -> str:
        if single or len(found) <= 2:  # names while they are few, then a count
            return " and ".join(org.label(f) for f in found)
        return f"{plural(len(found), 'person')} in {group}"

    parts = []
    for relation, found in nominators(org, node, chosen).items():
        found = [f for f in found if f in inside]
        if not found:
            continue
        if relation == "reports":
            parts.append(f"manager of {who(found)}")
        elif relation == "dotted-line reports":
            parts.append(f"dotted-line manager of {who(found)}")
        elif relation == "mentees":
            parts.append(f"mentor of {who(found)}")
        elif relation == "project members":
            led = sorted(
                {
                    p
                    for _, p, d in org.graph.out_edges(node, data=True)
                    if d.get("kind") == WORKS_ON and d.get("role") == "lead"
                    for m in found
                    if org.graph.has_edge(m, p, WORKS_ON)
                },
                key=lambda p: org.label(p).casefold(),
            )
            parts.append(f"leads {_names(org, led)} ({who(found)} on it)")
        else:  # "<type> ties"
            tie_type = relation.removesuffix(" ties")
            parts.append(
                f"{who(found)} {'goes' if len(found) == 1 else 'go'} to them for {tie_type}"
            )
    return "; ".join(parts)


def _team_head(org: Org, team_index: int) -> int | None:
    """Who heads a team: its person with the most reports inside it, else the manager
    most of its people report to (ties: first by name); None without reporting lines."""
    people = people_index(org)
    in_team = people.team == team_index
    src, dst = people.reports
    inside = dst[in_team[src] & in_team[dst]]
    managers = inside if len(inside) else dst[in_team[src]]
    if not len(managers):
        return None
    counts = Counter(managers.tolist())
    rank = _alpha_rank(org)
    return min(counts, key=lambda m: (-counts[m], rank[m]))


def _linked(org: Org, a: str, b: str, chosen: frozenset[str], skip: str | None = None) -> bool:
    return bool(link_reasons(org, a, b, chosen, skip_project=skip))


def _who_is_missing(
    org: Org, project: str, chosen: frozenset[str], members: list[int]
) -> tuple[list[MissingTeam], list[tuple[str, str]], list[str]]:
    people = people_index(org)
    g = org.graph
    leads = [
        u
        for u, _, d in g.in_edges(project, data=True)
        if d.get("kind") == WORKS_ON and d.get("role") == "lead" and u in people.index
    ]
    leads.sort(key=lambda n: _alpha_rank(org)[people.index[n]])
    if not leads:
        return [], [], [f"{org.label(project)} names no lead, so nobody is missing a link to one"]
    lead_words = _names(org, leads)
    strength = link_strength(org, chosen)
    lead_teams = {int(people.team[people.index[x]]) for x in leads}
    touched = sorted(
        {int(people.team[i]) for i in members if people.team[i] >= 0} - lead_teams,
        key=lambda t: org.label(people.team_nodes[t]).casefold(),
    )
    missing: list[MissingTeam] = []
    for t in touched:
        linked = False
        for lead in leads:
            row = people.index[lead]
            nbrs = strength.indices[strength.indptr[row] : strength.indptr[row + 1]]
            for j in nbrs[people.team[nbrs] == t].tolist():
                if _linked(org, lead, people.nodes[j], chosen, skip=project):
                    linked = True
                    break
            if linked:
                break
        if not linked:
            on_it = [people.nodes[i] for i in members if people.team[i] == t]
            missing.append(
                MissingTeam(
                    team=people.team_nodes[t],
                    members=tuple(on_it),
                    why=f"nobody in {org.label(people.team_nodes[t])} has a link to "
                    f"{lead_words} other than {org.label(project)} "
                    f"({_names(org, on_it)} on it)",
                )
            )
    # stakeholders: the members' managers, and the heads of the teams it touches
    wanted: dict[int, list[str]] = {}
    member_set = set(members)
    src, dst = people.reports
    on_project = np.zeros(people.n, dtype=bool)
    on_project[members] = True
    for i, m in zip(src[on_project[src]].tolist(), dst[on_project[src]].tolist(), strict=True):
        wanted.setdefault(m, []).append(f"manager of {org.label(people.nodes[i])}")
    for t in sorted({int(people.team[i]) for i in members if people.team[i] >= 0}):
        head = _team_head(org, t)
        if head is not None:
            wanted.setdefault(head, []).append(f"heads {org.label(people.team_nodes[t])}")
    found: list[tuple[str, str]] = []
    for i in sorted(wanted, key=lambda i: _alpha_rank(org)[i]):
        node = people.nodes[i]
        if i in member_set or node in leads:
            continue  # on the project: the project itself links them to its lead
        if any(_linked(org, lead, node, chosen) for lead in leads):
            continue
        reasons = list(dict.fromkeys(wanted[i]))
        managed = [r.removeprefix("manager of ") for r in reasons if r.startswith("manager of ")]
        words = [r for r in reasons if not r.startswith("manager of ")]
        if managed:
            words.insert(
                0,
                f"manager of {', '.join(managed[:3])}"
                + (f" and {len(managed) - 3} more" if len(managed) > 3 else "")
                + f" (on {org.label(project)})",
            )
        found.append((node, f"{'; '.join(words)}; no link to {lead_words}"))
    return missing, found, []


def _influence(
    org: Org, chosen: frozenset[str], metrics: dict[str, Any] | None, idx: np.ndarray
) -> np.ndarray:
    """Influence of the people at ``idx``: from ``metrics`` when given (looked up for
    those people only: a dict of 100 000 built per query would cost more than the
    query), else computed over ``chosen`` and cached on the org."""
    people = people_index(org)
    table = (metrics or {}).get("people")
    if table:
        return np.fromiter(
            (float(table.get(people.nodes[i], {}).get("influence") or 0.0) for i in idx.tolist()),
            dtype=np.float64,
            count=len(idx),
        )
    from orgmap.metrics.influence import influence

    def compute() -> np.ndarray:
        values = influence(org, chosen)
        return np.array([values[n] for n in people.nodes], dtype=np.float64)

    return org.cached(("orgmap.loop_in", "influence", chosen), compute)[idx]


def _top(idx: np.ndarray, keys: list[np.ndarray], top: int) -> list[int]:
    """The first ``top`` of ``idx`` ordered by ``keys`` (most significant first, each
    ascending): ``np.lexsort`` wants them least significant first."""
    if not len(idx):
        return []
    order = np.lexsort(tuple(reversed(keys)))
    return idx[order[:top]].tolist()


def loop_in(
    org: Org,
    person: str,
    target: str,
    relations: Iterable[str] | None = None,
    top: int = TOP,
    metrics: dict[str, Any] | None = None,
) -> LoopIn:
    """Introduction paths, advocates and (for a project) who is missing, for ``person``
    (a person node) and ``target`` (a node; see :func:`resolve_target`).

    ``metrics`` (from :func:`orgmap.metrics.compute_all`) supplies influence when given;
    otherwise it is computed (and cached on the org) over ``relations``.
    """
    chosen = normalize_relations(relations)
    g = org.graph
    if person not in g or g.nodes[person].get("kind") != PERSON:
        raise TargetError(f"{person!r} is not a person of this org")
    if target not in g or g.nodes[target].get("kind") not in (PERSON, *GROUP_KINDS):
        raise TargetError(f"{target!r} is not a person, team, department or project")
    top = max(1, int(top))
    people = people_index(org)
    kind = g.nodes[target]["kind"]
    source = people.index[person]
    members = _members(org, target)
    rank = _alpha_rank(org)
    notes: list[str] = []
    group = _group_words(org, target)

    # introduction paths: the target, or the group's most influential people but the asker
    if kind == PERSON:
        chosen_people = [people.index[target]]
        if target == person:
            notes.append("that is you: pick someone else, or a team, department or project")
    else:
        if source in members:
            notes.append(f"you are in {group}: its people below are reached from inside")
        if not members:
            notes.append(f"{group} has nobody in it")
        others = np.array([i for i in members if i != source], dtype=np.int64)
        chosen_people = _top(others, [-_influence(org, chosen, metrics, others), rank[others]], top)

    # advocates: who the target's people nominate most, inside the group or next to it
    inside = set(members)
    cand: list[int] = []
    scores = np.zeros(people.n)
    if members:
        mat = influence_matrix(org, chosen)
        scores = np.asarray(mat[np.asarray(members, dtype=np.int64)].sum(axis=0)).ravel()
        scores[source] = 0.0  # the asker is not their own advocate
        if kind == PERSON:
            scores[people.index[target]] = 0.0
        nz = np.flatnonzero(scores > 0)
        cand = _top(
            nz,
            [-np.round(scores[nz], 9), -_influence(org, chosen, metrics, nz), rank[nz]],
            top,
        )

    missing: list[MissingTeam] = []
    stakeholders_raw: list[tuple[str, str]] = []
    if kind == PROJECT:
        missing, stakeholders_raw, more = _who_is_missing(org, target, chosen, members)
        notes.extend(more)

    wanted = set(chosen_people) | set(cand) | {people.index[n] for n, _ in stakeholders_raw}
    pred = _routes_from(org, source, chosen, wanted)

    def route(i: int) -> Route:
        return _route(org, pred, source, people.nodes[i], chosen)

    # the nearest first (a stable sort: equally near people stay in influence order)
    paths = sorted(
        (route(i) for i in chosen_people),
        key=lambda r: (not r.reachable, r.steps or 0, r.cost),
    )
    if kind == PERSON and target != person and not paths[0].reachable:
        notes.append(
            f"no route from {org.label(person)} to {org.label(target)} over "
            f"{', '.join(r for r in RELATIONS if r in chosen) or 'no relations'}"
        )
    inside_nodes = {people.nodes[m] for m in inside}
    advocates = [
        Advocate(
            node=people.nodes[i],
            score=float(scores[i]),
            why=_advocate_why(org, people.nodes[i], inside_nodes, target, chosen),
            inside=i in inside,
            route=route(i),
        )
        for i in cand
    ]
    stakeholders = [
        Stakeholder(node=n, why=why, route=route(people.index[n])) for n, why in stakeholders_raw
    ]
    return LoopIn(
        person=person,
        target=target,
        target_kind=kind,
        members=tuple(people.nodes[i] for i in members),
        paths=tuple(paths),
        advocates=tuple(advocates),
        missing_teams=tuple(missing),
        stakeholders=tuple(stakeholders),
        notes=tuple(notes),
        relations=tuple(r for r in RELATIONS if r in chosen),
    )


def new_hops(
    routes: Iterable[Route], said: set[tuple[str, str]] | None = None
) -> list[tuple[Route, tuple[Hop, ...]]]:
    """Each route with only the hops not said before it: a group's routes share their
    first hops, and repeating them buries the new ones. ``said`` (the ``(from, to)``
    pairs already shown) carries over between calls."""
    said = set() if said is None else said
    out = []
    for route in routes:
        fresh = []
        for before, hop in zip(route.nodes, route.hops, strict=False):
            if (before, hop.node) not in said:
                said.add((before, hop.node))
                fresh.append(hop)
        out.append((route, tuple(fresh)))
    return out


def overlay(org: Org, result: LoopIn) -> Overlay:
    """The answer drawn over the map (canvas and HTML alike): the introduction paths as
    lines, the people they lead to marked ``target``, the go-betweens ``path``, the
    advocates ``advocate``, the stakeholders nobody links to a lead ``missing``; the
    rest fades. One person marked twice keeps the first of those kinds that applies:
    target, advocate, missing, path."""
    marks: dict[str, str] = {}
    paths = tuple(r.nodes for r in result.paths if r.reachable and r.steps)
    for path in paths:
        for node in path:
            marks[node] = "path"
    for s in result.stakeholders:
        marks[s.node] = "missing"
    for a in result.advocates:
        marks[a.node] = "advocate"
    for r in result.paths:
        marks[r.to] = "target"
    kind = result.target_kind
    what = org.label(result.target) if kind == PERSON else f"{kind} {org.label(result.target)}"
    return Overlay(
        title=f"Loop in {what} for {org.label(result.person)}",
        paths=paths,
        marks=marks,
        fade_others=True,
    )


# -- as JSON -------------------------------------------------------------------------------
def _person_json(org: Org, node: str) -> dict[str, Any]:
    data = org.graph.nodes[node]
    return {"id": data.get("id"), "name": data.get("name"), "team": data.get("team")}


def _route_json(org: Org, route: Route) -> dict[str, Any]:
    """``path``: the people from the asker to the end, each after the first with the
    ``relation`` of the hop that reached them (and all its ``relations``, ``reason``)."""
    if not route.reachable:
        return {"hops": None, "path": None, "cost": None}
    path = [{"id": org.graph.nodes[route.nodes[0]].get("id"), "name": org.label(route.nodes[0])}]
    for hop in route.hops:
        path.append(
            {
                "id": org.graph.nodes[hop.node].get("id"),
                "name": org.label(hop.node),
                "relation": hop.relations[0] if hop.relations else None,
                "relations": list(hop.relations),
                "reason": hop.reason,
            }
        )
    return {"hops": route.steps, "path": path, "cost": route.cost}


def as_json(org: Org, result: LoopIn) -> dict[str, Any]:
    """The ``--json`` document: ``person``, ``target``, ``paths``, ``advocates``,
    ``missing`` (``teams``, ``stakeholders``; empty unless a project), ``notes``,
    ``relations`` and the ``cost_rule`` in words."""
    tdata = org.graph.nodes[result.target]
    return {
        "person": _person_json(org, result.person),
        "target": {
            "kind": result.target_kind,
            "name": org.label(result.target),
            "id": tdata.get("id") if result.target_kind == PERSON else None,
            "people": len(result.members),
        },
        "relations": list(result.relations),
        "cost_rule": COST_RULE,
        "paths": [{"to": _person_json(org, r.to), **_route_json(org, r)} for r in result.paths],
        "advocates": [
            {
                **_person_json(org, a.node),
                "score": a.score,
                "why": a.why,
                "inside": a.inside,
                **_route_json(org, a.route),
            }
            for a in result.advocates
        ],
        "missing": {
            "teams": [
                {
                    "name": org.label(m.team),
                    "on_project": [_person_json(org, n) for n in m.members],
                    "why": m.why,
                }
                for m in result.missing_teams
            ],
            "stakeholders": [
                {**_person_json(org, s.node), "why": s.why, **_route_json(org, s.route)}
                for s in result.stakeholders
            ],
        },
        "notes": list(result.notes),
    }


#: The path cost rule in one sentence (``--json`` carries it; the docs repeat it).
COST_RULE = (
    "fewest introductions first; among equally short routes the smallest sum of "
    "1/strength per hop (strength: 1 per shared project, mentorship, reporting or "
    "dotted line, tie, a tie weighted by its weight over the median, stale links "
    f"dated over {STALE_DAYS} days before the newest count {STALE_FACTOR:g}); then "
    "by name of the last go-between"
)
