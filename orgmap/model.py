"""The org graph: one ``networkx.MultiDiGraph`` and the names it uses.

Node keys are strings prefixed by kind so a person ``7`` and a team ``7`` never
collide: ``person:7``, ``team:Platform``, ``department:R&D``, ``project:Apollo``.
Every node has ``kind`` and ``name``; people also have ``id`` (the normalised source
id), and where they came from (``source_file``, ``source_sheet``, ``source_row``).

Edges are keyed by their kind (``G.has_edge(u, v, key="reports_to")``); ties are
keyed ``tie:<type>`` so an advice tie and a friendship tie between the same pair
are two edges.

=============  ===================  ==========================================
edge kind      direction            attributes
=============  ===================  ==========================================
reports_to     person -> manager
dotted_line    person -> manager
member_of      person -> team
part_of        team -> department
works_on       person -> project    ``role``: lead | contributor | stakeholder
mentors        mentor -> mentee
tie            person -> person     ``type`` (advice, friendship, ...), ``weight``
=============  ===================  ==========================================

Person node attributes: ``id, name, email, title, level, team, department,
location, start_date, external`` (a project member or tie end that is not in the
people data) plus any unmapped source column, lower-cased (``age``, ``tenure``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from orgmap.issues import Issue

__all__ = [
    "PERSON",
    "TEAM",
    "DEPARTMENT",
    "PROJECT",
    "EDGE_KINDS",
    "RELATIONS",
    "Org",
    "SheetSummary",
    "person_key",
    "team_key",
    "department_key",
    "project_key",
    "Cancelled",
    "unique_name",
]

PERSON, TEAM, DEPARTMENT, PROJECT = "person", "team", "department", "project"
REPORTS_TO, DOTTED_LINE, MEMBER_OF, PART_OF = "reports_to", "dotted_line", "member_of", "part_of"
WORKS_ON, MENTORS, TIE = "works_on", "mentors", "tie"
EDGE_KINDS = (REPORTS_TO, DOTTED_LINE, MEMBER_OF, PART_OF, WORKS_ON, MENTORS, TIE)
#: The relation names ``--relations`` takes, each switching part of the influence graph.
RELATIONS = ("reports", "dotted", "mentors", "projects", "ties")


def person_key(pid: str) -> str:
    return f"person:{pid}"


def team_key(name: str) -> str:
    return f"team:{name}"


def department_key(name: str) -> str:
    return f"department:{name}"


def project_key(name: str) -> str:
    return f"project:{name}"


class Cancelled(Exception):  # noqa: N818 - the name says what happened
    """Raised by long work when its cancel flag is set."""


_NOT_ALNUM_ASCII = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and everything but letters and digits."""
    text = str(text)
    if text.isascii():  # fast path: most headers, ids and names
        return _NOT_ALNUM_ASCII.sub("", text.lower())
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch)).lower()


def unique_name(base: str, taken: set[str], template: str = "{base} ({n})") -> str:
    """``base``, or the first of ``template`` with n = 2, 3, ... not in ``taken``; the
    name returned is added to ``taken``.

    >>> taken = {"Ada"}
    >>> unique_name("Ada", taken), unique_name("Ada", taken)
    ('Ada (2)', 'Ada (3)')
    """
    name, n = base, 2
    while name in taken:
        name, n = template.format(base=base, n=n), n + 1
    taken.add(name)
    return name


@dataclass
class SheetSummary:
    """What happened to one file's sheet.

    ``rows_read = imported + rejected + blank + skipped``; skipped rows are kept off the
    map on purpose (a sheet that is not a table, terminated people, earlier snapshots)
    and each is covered by an info issue.
    """

    file: str
    sheet: str
    kind: str | None
    header_row: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # column header -> field
    rows_read: int = 0
    imported: int = 0
    rejected: int = 0
    blank: int = 0
    #: Imported ties rows whose weight is 0: a matrix written long says "no tie" there.
    zero_weight: int = 0
    skipped: int = 0
    #: Tracker rows whose (person, initiative) pair was already read: merged, not warned.
    merged: int = 0
    #: Per header cell: the field it became and the evidence (``ColumnGuess.to_dict``).
    columns: list[dict[str, Any]] = field(default_factory=list)
    #: Decisions about the whole table, in words (a second header row, snapshots...).
    notes: list[str] = field(default_factory=list)
    #: Snapshot dates of a dated table (one row per person per date), oldest first.
    snapshots: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "kind": self.kind,
            "header_row": self.header_row,
            "mapping": dict(self.mapping),
            "rows_read": self.rows_read,
            "imported": self.imported,
            "rejected": self.rejected,
            "blank": self.blank,
            "skipped": self.skipped,
            "zero_weight": self.zero_weight,
            "columns": [dict(c) for c in self.columns],
            "notes": list(self.notes),
            "snapshots": list(self.snapshots),
        }


class UnknownPerson(LookupError):
    """A reference that names nobody, or several people; ``suggestions`` to show."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


@dataclass
class Org:
    """An organization: the graph, the import issues and the per-sheet summary."""

    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    issues: list[Issue] = field(default_factory=list)
    sheets: list[SheetSummary] = field(default_factory=list)
    #: Files that could not be read at all (their issue is in ``issues``).
    unreadable: list[str] = field(default_factory=list)
    #: The paths this org was loaded from.
    sources: list[str] = field(default_factory=list)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    _lookup: dict[str, dict[str, list[str]]] | None = field(default=None, repr=False)

    # -- nodes -------------------------------------------------------------------
    def nodes_of(self, kind: str) -> list[str]:
        return [n for n, k in self.graph.nodes(data="kind") if k == kind]

    def people(self) -> list[str]:
        return self.nodes_of(PERSON)

    def teams(self) -> list[str]:
        return self.nodes_of(TEAM)

    def departments(self) -> list[str]:
        return self.nodes_of(DEPARTMENT)

    def projects(self) -> list[str]:
        return self.nodes_of(PROJECT)

    def edges_of(self, kind: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for u, v, data in self.graph.edges(data=True):
            if data.get("kind") == kind:
                yield u, v, data

    # -- derived views, cached ----------------------------------------------------
    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Return ``compute()`` memoised under ``key`` until :meth:`changed` is called."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def has_cached(self, key: Any) -> bool:
        """Whether :meth:`cached` holds ``key`` (so it would compute nothing)."""
        return key in self._cache

    def changed(self) -> None:
        """Call after editing ``graph``: drops every cached view and the lookup."""
        self._cache.clear()
        self._lookup = None

    def department_of(self, team: str) -> str | None:
        """The department node a team belongs to, or None: the one place this is decided.

        Its ``part_of`` edge (the first by name if a sheet gave several), else the team's
        own ``department`` attribute, else the department most of its members give.
        """
        return self.cached(
            ("orgmap.model", "departments_of_teams"), self._departments_of_teams
        ).get(team)

    def _departments_of_teams(self) -> dict[str, str | None]:
        graph = self.graph
        result: dict[str, str | None] = {}
        for team in self.teams():
            parts = sorted(
                v for _, v, k in graph.out_edges(team, keys=True) if k == PART_OF and v in graph
            )
            if parts:
                result[team] = parts[0]
                continue
            dept = graph.nodes[team].get("department")
            if dept in (None, ""):
                counts: dict[str, int] = {}
                for p, _, k in graph.in_edges(team, keys=True):
                    if k == MEMBER_OF:
                        d = graph.nodes[p].get("department")
                        if d not in (None, ""):
                            counts[str(d)] = counts.get(str(d), 0) + 1
                dept = max(sorted(counts), key=counts.__getitem__) if counts else None
            key = department_key(str(dept)) if dept not in (None, "") else None
            result[team] = key if key in graph else None
        return result

    # -- finding people -------------------------------------------------------------
    def _index(self) -> dict[str, dict[str, list[str]]]:
        if self._lookup is None:
            by_id: dict[str, list[str]] = {}
            by_email: dict[str, list[str]] = {}
            by_name: dict[str, list[str]] = {}
            for node in self.people():
                data = self.graph.nodes[node]
                by_id.setdefault(str(data.get("id", "")).strip().lower(), []).append(node)
                if data.get("email"):
                    by_email.setdefault(str(data["email"]).strip().lower(), []).append(node)
                if data.get("name"):
                    by_name.setdefault(fold(data["name"]), []).append(node)
            self._lookup = {"id": by_id, "email": by_email, "name": by_name}
        return self._lookup

    def find_person(self, ref: str) -> list[str]:
        """People matching ``ref`` by id, else email, else full name ("Last, First" too)."""
        index = self._index()
        text = str(ref).strip()
        for kind, key in (("id", text.lower()), ("email", text.lower())):
            if key in index[kind]:
                return list(index[kind][key])
        if "," in text:
            last, _, first = text.partition(",")
            swapped = fold(f"{first} {last}")
            if swapped in index["name"]:
                return list(index["name"][swapped])
        return list(index["name"].get(fold(text), []))

    def resolve_person(self, ref: str, what: str = "") -> str:
        """The one person ``ref`` names (id, email or name), else :class:`UnknownPerson`
        whose message lists the people it matches or the closest names.

        ``what`` names the option in the message (``--person``, ``--focus``).
        """
        label = f"{what} {ref!r}" if what else repr(ref)
        found = self.find_person(ref)
        if len(found) == 1:
            return found[0]
        if found:
            names = [
                f"{self.label(n)} ({self.graph.nodes[n].get('id', '')})" for n in sorted(found)
            ]
            raise UnknownPerson(
                f"{label} matches {len(found)} people: {'; '.join(names[:10])}; "
                "use the id or the email",
                names,
            )
        close = self.closest_people(ref)
        hint = f"; closest: {'; '.join(close)}" if close else "; no similar names either"
        raise UnknownPerson(f"{label}: nobody with that id, email or name{hint}", close)

    def closest_people(self, ref: str, n: int = 5) -> list[str]:
        """Human-readable suggestions (``name (id)``) for a reference that matched nobody."""
        labels = {}
        for node in self.people():
            data = self.graph.nodes[node]
            labels[f"{data.get('name', '')} ({data.get('id', '')})"] = node
            if data.get("email"):
                labels[f"{data['email']} ({data.get('id', '')})"] = node
        folded = {fold(label): label for label in labels}
        hits = difflib.get_close_matches(fold(ref), list(folded), n=n * 2, cutoff=0.4)
        subs = [f for f in folded if fold(ref) and fold(ref) in f]
        seen: list[str] = []
        for f in subs + hits:
            label = folded[f]
            if label not in seen:
                seen.append(label)
        return seen[:n]

    def label(self, node: str) -> str:
        data = self.graph.nodes[node]
        return str(data.get("name") or data.get("id") or node)

    # -- summary ---------------------------------------------------------------------
    def _edge_tallies(self) -> tuple[dict[str, int], dict[str, int]]:
        """Edges per kind and ties per type, in one pass over the edges (cached: at
        100k people a pass is a second, and the summary asks for both)."""

        def tally() -> tuple[dict[str, int], dict[str, int]]:
            kinds: dict[str, int] = {}
            types: dict[str, int] = {}
            for _, _, data in self.graph.edges(data=True):
                kind = data.get("kind")
                kinds[kind] = kinds.get(kind, 0) + 1
                if kind == TIE:
                    t = str(data.get("type") or "tie")
                    types[t] = types.get(t, 0) + 1
            return kinds, dict(sorted(types.items()))

        return self.cached(("orgmap.model", "edge_tallies"), tally)

    def counts(self) -> dict[str, int]:
        kinds = self._edge_tallies()[0]
        external = sum(1 for n in self.people() if self.graph.nodes[n].get("external"))
        return {
            "people": len(self.people()),
            "external_people": external,
            "teams": len(self.teams()),
            "departments": len(self.departments()),
            "projects": len(self.projects()),
            "reporting_lines": kinds.get(REPORTS_TO, 0),
            "dotted_lines": kinds.get(DOTTED_LINE, 0),
            "memberships": kinds.get(WORKS_ON, 0),
            "mentorships": kinds.get(MENTORS, 0),
            "ties": kinds.get(TIE, 0),
        }

    def ties_by_type(self) -> dict[str, int]:
        """Tie counts per type (``{"advice": 190, "friendship": 102}`` for Krackhardt)."""
        return dict(self._edge_tallies()[1])

    def summary(self) -> dict[str, Any]:
        """The import summary: counts, and the row reconciliation per file and sheet."""
        totals = {"rows_read": 0, "imported": 0, "rejected": 0, "blank": 0, "skipped": 0}
        for s in self.sheets:
            for k in totals:
                totals[k] += getattr(s, k)
        severities = {"fatal": 0, "error": 0, "warning": 0, "info": 0}
        for issue in self.issues:
            severities[issue.severity] = severities.get(issue.severity, 0) + 1
        return {
            **self.counts(),
            "rows": totals,
            "ties_by_type": self.ties_by_type(),
            "issues": severities,
            "unreadable_files": list(self.unreadable),
            "sheets": [s.to_dict() for s in self.sheets],
        }
