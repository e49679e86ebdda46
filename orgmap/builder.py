"""The one pure row-builder: tables of raw cells in, one validated org graph out.

Every reader hands :class:`~orgmap.tables.Table` objects to :func:`build_org`, so a CSV,
a workbook sheet and a test's list of dicts pass the same detection and validation.
Every data row ends in the graph or in ``org.issues``; per sheet,
``rows_read == imported + rejected + blank``.

Order of work: classify each table by its header (:func:`detect`), read all people
first (so references can be resolved whichever file they come from), then reporting
lines, projects, mentorships and ties.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from orgmap.cells import (
    as_number,
    as_text,
    attr_name,
    date_key,
    extra_value,
    is_blank,
    normalize_id,
    row_spans,
    spans_text,
)
from orgmap.detect import (
    FIELDS,
    KINDS,
    LIST_FIELDS,
    TableSpec,
    detect,
    employment_inactive,
    is_placeholder,
    mapping_matches,
)
from orgmap.gcpause import paused_gc
from orgmap.issues import ERROR, INFO, WARNING, Issue
from orgmap.model import (
    DEPARTMENT,
    DOTTED_LINE,
    MEMBER_OF,
    MENTORS,
    PART_OF,
    PERSON,
    PROJECT,
    REPORTS_TO,
    TEAM,
    TIE,
    WORKS_ON,
    Cancelled,
    Org,
    SheetSummary,
    department_key,
    fold,
    person_key,
    project_key,
    team_key,
    unique_name,
)
from orgmap.nxgraph import fast_graph
from orgmap.safety import clean_text, has_control
from orgmap.tables import Table

__all__ = ["FIELDS", "KINDS", "TableSpec", "detect", "build_org", "normalize_id"]

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None

PEOPLE, PROJECTS, MENTORSHIP, TIES = "people", "projects", "mentorship", "ties"

_ROLE_WORDS = {
    "lead": ("lead", "owner", "dri", "techlead", "projectlead", "leader", "pm", "manager"),
    "contributor": ("contributor", "member", "engineer", "developer", "designer", "ic", "dev"),
    "stakeholder": ("stakeholder", "sponsor", "reviewer", "advisor", "adviser", "consulted"),
}
_ROLE_INDEX = {w: role for role, words in _ROLE_WORDS.items() for w in words}
_ROLE_RANK = {"lead": 3, "contributor": 2, "stakeholder": 1}

_FORMAL_TIE_TYPES = {
    "reportsto": REPORTS_TO, "reports": REPORTS_TO, "manager": REPORTS_TO,
    "reporting": REPORTS_TO, "reportingline": REPORTS_TO, "reportingto": REPORTS_TO,
    "dottedline": DOTTED_LINE, "dotted": DOTTED_LINE, "matrix": DOTTED_LINE,
    "mentor": MENTORS, "mentoring": MENTORS, "mentorship": MENTORS, "mentors": MENTORS,
}  # fmt: skip

# A people row's reference column -> (what it is called, what happens when it names
# nobody, the code and message when it names the row's own person).
_RELATED = {
    "manager": ("manager", "person kept at the top of the hierarchy", "self_manager",
                "person is their own manager; ignored"),
    "dotted_line": ("dotted-line manager", "dropped", "self_manager",
                    "person is their own dotted-line manager; ignored"),
    "mentor": ("mentor", "not added", "self_mentorship", "person mentors themselves; ignored"),
}  # fmt: skip
#: A people row's text fields kept on the person (when filled), and its references.
_PERSON_TEXT = ("email", "title", "level", "team", "department", "location", "start_date")
_PERSON_REFS = ("manager", "dotted_line", "mentor")
_LIST_SPLIT = re.compile(r"[,;\n\r]+")
_SEMI_SPLIT = re.compile(r"[;\n\r]+")
_RESERVED_ATTRS = frozenset(FIELDS) | {
    "kind", "external", "source_file", "source_sheet", "source_row",
}  # fmt: skip


# -- building ----------------------------------------------------------------------------
#: The cells of a row no longer needed (a people row once its person is made), and the
#: extras of a row that is no people row: never written.
_NO_CELLS: dict[str, Any] = {}


def _column_placeholders(rows: list[list[Any]], cols: list[int]) -> dict[int, set[str]]:
    """``{column: the cells in it that is_placeholder reads as empty}``, for the columns
    holding any: one test per distinct value instead of one per cell."""
    out: dict[int, set[str]] = {}
    for i in cols:
        try:
            distinct = set(map(itemgetter(i), rows))
        except (IndexError, TypeError):  # a short row, or a cell that cannot be hashed
            distinct = {r[i] for r in rows if i < len(r) and type(r[i]) is str}
        found = set(filter(is_placeholder, distinct))
        if found:
            out[i] = found
    return out


def _has_controls(rows: list[list[Any]], chunk: int = 4096) -> bool:
    """Whether any text cell of ``rows`` holds a control character (joined a few
    thousand rows at a time: one C scan instead of a call per cell)."""
    for at in range(0, len(rows), chunk):
        if has_control("".join([c for r in rows[at : at + chunk] for c in r if type(c) is str])):
            return True
    return False


@dataclass
class _Row:
    table: Table
    sheet: SheetSummary
    spec: TableSpec
    number: int  # spreadsheet row number
    values: dict[str, Any]
    extras: dict[str, Any]


class _Builder:
    def __init__(self, progress: Progress, cancel: Cancel) -> None:
        self.org = Org()
        self.progress = progress
        self.cancel = cancel
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.by_id: dict[str, str] = {}
        self.by_email: dict[str, list[str]] = {}
        # built on the first lookup by name: most exports reference people by id
        self._by_name: dict[str, list[str]] | None = None
        self.have_people_table = False
        self._ticks = 0
        #: The snapshot date to show in dated tables (None: the latest).
        self.at: str | None = None
        #: Inactive people by lowercase id or email: (row, status), for clearer messages.
        self.inactive: dict[str, tuple[int, str]] = {}
        self.zero_rows: dict[int, list[int]] = {}
        self._epic_names: dict[int, dict[str, str]] = {}

    # issues and row accounting
    def issue(
        self, row: _Row | None, severity: str, code: str, message: str, column: str | None = None
    ) -> None:
        if row is None:
            return
        col = None
        if column is not None:
            col = next(
                (row.spec.headers[i] for i, f in row.spec.columns.items() if f == column), column
            )
        self.org.issues.append(
            Issue(row.table.file, row.table.sheet, row.number, col, severity, code, message)  # type: ignore[arg-type]
        )

    def reject(self, row: _Row, code: str, message: str, column: str | None = None) -> None:
        self.issue(row, ERROR, code, message, column)
        row.sheet.rejected += 1

    def accept(self, row: _Row) -> None:
        row.sheet.imported += 1

    def tick(self) -> None:
        self._ticks += 1
        if self._ticks % 2000 == 0 and self.cancel is not None and self.cancel():
            raise Cancelled()

    # -- reading rows
    def rows_of(self, table: Table, spec: TableSpec, sheet: SheetSummary) -> Iterable[_Row]:
        assert spec.header_index is not None
        width = len(spec.headers)
        mapped = [(i, f) for i, f in spec.columns.items() if f not in LIST_FIELDS]
        listed = [(i, f) for i, f in spec.columns.items() if f in LIST_FIELDS]
        extra_cols = [
            i
            for i in range(width)
            if i not in spec.columns and i not in spec.ignored and spec.headers[i]
        ]
        # an unmapped column never overwrites a field orgmap sets itself ("Team" twice),
        # nor another column of the same name (two "Full Name" columns: full_name_2)
        extra_names: dict[int, str] = {}
        used: set[str] = set()
        for i in extra_cols:
            name = attr_name(spec.headers[i])
            if name in _RESERVED_ATTRS:
                name = f"column_{name}"
            extra_names[i] = unique_name(name, used, "{base}_{n}")
        status_col = spec.field_column("status") if spec.kind == PEOPLE else None
        earlier = self.snapshot_plan(table, spec, sheet)
        start = spec.header_index + 1
        body = table.rows[start:]
        # Per-sheet plans, so the loop below does no per-cell call in the common case: a
        # row is copied into its dict by one itemgetter, and only the placeholders
        # ("N/A", "-") actually present in a column are looked for (is_placeholder runs
        # once per distinct value, not once per cell: 1.26M calls at 100k people).
        placeholders = _column_placeholders(body, [i for i, _f in mapped])
        fields = [f for _i, f in mapped]
        fast_ok = bool(mapped) and len(set(fields)) == len(fields)
        take = itemgetter(*[i for i, _f in mapped]) if mapped else None
        need = max((i for i, _f in mapped), default=-1) + 1
        fixes = [(f, placeholders[i]) for i, f in mapped if i in placeholders]
        # Control characters are looked for in the whole sheet at once (no real export
        # holds any): then no row needs the per-cell test of clean_controls.
        controls = _has_controls(body)
        people = spec.kind == PEOPLE
        decimal_comma = table.decimal_comma
        first = table.first_row + start
        for offset, raw in enumerate(body):
            self.tick()
            number = first + offset
            sheet.rows_read += 1
            if is_blank(raw):
                sheet.blank += 1
                continue
            if earlier and (start + offset) in earlier:
                sheet.skipped += 1  # an earlier snapshot: said once per sheet
                continue
            cleaned = self.clean_controls(raw, table, spec, number) if controls else raw
            n = len(raw)
            if fast_ok and n >= need and cleaned is raw:
                got = take(raw)  # type: ignore[misc]
                values = dict(zip(fields, got if len(fields) > 1 else (got,), strict=True))
                for f, ph in fixes:
                    cell = values[f]
                    if type(cell) is str and cell in ph:
                        values[f] = None
            else:
                # a short row, or one whose cells were cleaned: cell by cell
                raw = cleaned
                values = {}
                for i, f in mapped:
                    if i < n:
                        cell = raw[i]
                        values[f] = None if is_placeholder(cell) else cell
            for i, f in listed:
                if i < n and not is_placeholder(raw[i]):
                    values.setdefault(f, []).append(raw[i])
            row = _Row(table, sheet, spec, number, values, {} if people else _NO_CELLS)
            if status_col is not None and status_col < n:
                status = raw[status_col]
                if employment_inactive(status):
                    self.skip_inactive(row, status)
                    continue
            if people:
                extras = row.extras
                for i in extra_cols:
                    if i < n and raw[i] is not None and raw[i] != "":
                        extras[extra_names[i]] = extra_value(raw[i], decimal_comma)
            yield row

    def skip_inactive(self, row: _Row, status: Any) -> None:
        """A terminated or inactive person stays off the map, listed with their row."""
        v = row.values
        who = as_text(v.get("name")) or " ".join(
            p for p in (as_text(v.get("first_name")), as_text(v.get("last_name"))) if p
        )
        pid = normalize_id(v.get("id"))
        label = f"{who} ({pid})" if who and pid else who or pid or "this person"
        for key in (pid, as_text(v.get("email"))):
            if key:
                self.inactive[key.lower()] = (row.number, str(as_text(status)))
        row.sheet.skipped += 1
        self.issue(
            row,
            INFO,
            "inactive_person",
            f"{label} has status {as_text(status)!r}: kept off the map",
            "status",
        )

    def snapshot_plan(self, table: Table, spec: TableSpec, sheet: SheetSummary) -> set[int]:
        """Row indices of earlier snapshots in a dated table (one row per person per date).

        The map shows the latest snapshot (or the one at ``self.at``); the dates found are
        kept on the sheet so ``diff`` can load another one.
        """
        date_col = spec.field_column("snapshot_date")
        key_col = next(
            (spec.field_column(f) for f in ("id", "email", "name", "source")
             if spec.field_column(f) is not None),
            None,
        )  # fmt: skip
        if date_col is None or key_col is None or spec.header_index is None:
            return set()
        by_date: dict[str, list[int]] = {}
        keys_at: dict[str, set[str]] = {}
        start = spec.header_index + 1
        for r in range(start, len(table.rows)):
            raw = table.rows[r]
            if date_col >= len(raw) or is_blank(raw):
                continue
            date = date_key(raw[date_col])
            if date is None:
                continue
            by_date.setdefault(date, []).append(r)
            if key_col < len(raw):
                keys_at.setdefault(date, set()).add(str(normalize_id(raw[key_col])).lower())
        if len(by_date) < 2:
            sheet.snapshots = sorted(by_date)
            return set()
        dates = sorted(by_date)
        total = sum(len(k) for k in keys_at.values())
        everyone = set().union(*keys_at.values())
        if total == len(everyone):
            return set()  # every person once: an effective date per person, not snapshots
        chosen = dates[-1]
        if self.at is not None:
            upto = [d for d in dates if d <= self.at]
            chosen = upto[-1] if upto else dates[0]
        sheet.snapshots = dates
        if len(keys_at.get(dates[-1], ())) >= 0.8 * len(everyone):
            # whole snapshots (a weekly person query): the org as of the chosen date
            skip = {r for d in dates if d != chosen for r in by_date[d]}
        else:
            # effective-dated changes (Viva's organizational data upload): each person's
            # latest row on or before the chosen date
            latest: dict[str, tuple[str, int]] = {}
            for d in dates:
                if d > chosen:
                    continue
                for r in by_date[d]:
                    raw = table.rows[r]
                    key = str(normalize_id(raw[key_col]) if key_col < len(raw) else r).lower()
                    latest[key] = (d, r)
            keep = {r for _d, r in latest.values()}
            skip = {r for rows in by_date.values() for r in rows if r not in keep}
        spans = row_spans(table.first_row + r for r in skip)
        self.org.issues.append(
            Issue(
                table.file,
                table.sheet,
                spans[0][0] if spans else None,
                spec.headers[date_col],
                INFO,
                "earlier_snapshots",
                f"{len(dates)} snapshots ({dates[0]} to {dates[-1]}); the map shows {chosen}; "
                f"{spans_text(spans)} ({len(skip)}) are kept as other snapshots (for diff)",
                spans,
            )
        )
        sheet.notes.append(f"dated table: {len(dates)} snapshots, showing {chosen}")
        return skip

    def clean_controls(
        self, raw: list[Any], table: Table, spec: TableSpec, number: int
    ) -> list[Any]:
        """The row with control characters replaced (orgmap.safety), one warning per cell."""
        if not any(type(c) is str and has_control(c) for c in raw):
            return raw
        cleaned = list(raw)
        for i, cell in enumerate(raw):
            if type(cell) is str and has_control(cell):
                cleaned[i] = clean_text(cell)
                column = spec.headers[i] if i < len(spec.headers) else f"column {i + 1}"
                self.org.issues.append(
                    Issue(
                        table.file,
                        table.sheet,
                        number,
                        clean_text(str(column)),
                        WARNING,
                        "control_character",
                        f"control characters in {cleaned[i][:60]!r} were replaced "
                        "(no output can hold them)",
                    )
                )
        return cleaned

    # -- people
    def add_person_row(self, row: _Row) -> None:
        v = row.values
        pid = normalize_id(v.get("id"))
        name = as_text(v.get("name"))
        if name is None and (v.get("first_name") or v.get("last_name")):
            name = " ".join(
                p for p in (as_text(v.get("first_name")), as_text(v.get("last_name"))) if p
            )
        email = as_text(v.get("email"))
        if pid is None and name is None:
            what = "email only" if email else "no id, no name"
            self.reject(row, "missing_id", f"person has neither id nor name ({what})", "id")
            return
        if pid is None:
            pid = email or name
        if pid.lower() in self.by_id:
            first = self.nodes[self.by_id[pid.lower()]]
            self.reject(
                row,
                "duplicate_id",
                f"duplicate person id {pid!r} (first seen at {first['source_file']}:"
                f"{first['source_sheet']}:{first['source_row']}, that one kept)",
                "id",
            )
            return
        node = person_key(pid)
        attrs: dict[str, Any] = {
            "kind": PERSON,
            "id": pid,
            "name": name or pid,
            "external": False,
            "source_file": row.table.file,
            "source_sheet": row.table.sheet,
            "source_row": row.number,
        }
        for key, value in row.extras.items():
            attrs.setdefault(key, value)
        for f in _PERSON_TEXT:
            value = v.get(f)
            if value is not None and (value := as_text(value)) is not None:
                attrs[f] = value
        self.register_person(node, attrs)
        row_refs = {}
        for f in _PERSON_REFS:
            ref = v.get(f)
            if ref is not None and ref != "":
                row_refs[f] = ref
        self.pending_managers.append((row, node, row_refs))
        self.accept(row)
        # The row is kept (for its issues: file, sheet, row) until the managers are
        # linked; its cells are not: dropped now, 100k dicts of them are not held
        # through every later step.
        row.values = row.extras = _NO_CELLS

    def register_person(self, node: str, attrs: dict[str, Any]) -> None:
        self.nodes[node] = attrs
        self.by_id[attrs["id"].lower()] = node
        if attrs.get("email"):
            self.by_email.setdefault(attrs["email"].lower(), []).append(node)
        if self._by_name is not None and attrs.get("name"):
            self._by_name.setdefault(fold(attrs["name"]), []).append(node)

    def by_name(self) -> dict[str, list[str]]:
        if self._by_name is None:
            self._by_name = {}
            for node, attrs in self.nodes.items():
                if attrs.get("kind") == PERSON and attrs.get("name"):
                    self._by_name.setdefault(fold(attrs["name"]), []).append(node)
        return self._by_name

    def resolve(self, ref: Any) -> tuple[str | None, str]:
        """A person node for a reference by id, else email, else unique full name."""
        text = normalize_id(ref)
        if text is None:
            return None, "empty"
        node = self.by_id.get(text.lower())
        if node is not None:
            return node, "id"
        hits = self.by_email.get(text.lower())
        if not hits:
            hits = self.by_name().get(fold(text))
            if not hits and "," in text:
                last, _, first = text.partition(",")
                hits = self.by_name().get(fold(f"{first} {last}"))
        if not hits:
            return None, "unknown"
        if len(hits) > 1:
            return None, "ambiguous"
        return hits[0], "ok"

    def _ref_problem(self, ref: Any, how: str) -> str:
        text = normalize_id(ref)
        if how == "ambiguous":
            hits = self.by_email.get(str(text).lower()) or self.by_name().get(fold(str(text)), [])
            ids = ", ".join(self.nodes[h]["id"] for h in hits[:5])
            return f"{text!r} matches several people (ids {ids})"
        gone = self.inactive.get(str(text).lower())
        if gone is not None:
            return f"{text!r} is a person kept off the map (status {gone[1]!r}, row {gone[0]})"
        return f"{text!r} matches no person by id, email or name"

    def add_edge(self, u: str, v: str, key: str, **attrs: Any) -> bool:
        if (u, v, key) in self.edges:
            return False
        self.edges[(u, v, key)] = attrs
        return True

    def _related(self, row: _Row, node: str, ref: Any, column: str) -> str | None:
        """The person a manager, dotted-line or mentor reference names, else None with the
        issue said (unknown, ambiguous, or the row's own person)."""
        label, consequence, self_code, self_text = _RELATED[column]
        target, how = self.resolve(ref)
        if target is None:
            problem = self._ref_problem(ref, how)
            self.issue(row, WARNING, f"{how}_{column}", f"{label} {problem}; {consequence}", column)
            return None
        if target == node:
            self.issue(row, WARNING, self_code, self_text, column)
            return None
        return target

    def link_managers(self) -> None:
        for row, node, refs in self.pending_managers:
            self.tick()
            if "manager" in refs:
                target = self._related(row, node, refs["manager"], "manager")
                if target is not None:
                    self.add_edge(node, target, REPORTS_TO, kind=REPORTS_TO)
                    self.manager_of[node] = (target, row)
            if "dotted_line" in refs:  # most people have none: no split of ""
                for ref in _SEMI_SPLIT.split(str(as_text(refs["dotted_line"]) or "")):
                    if ref.strip():
                        target = self._related(row, node, ref, "dotted_line")
                        if target is not None:
                            self.add_edge(node, target, DOTTED_LINE, kind=DOTTED_LINE)
            if "mentor" in refs:
                # a people table's mentor column: this row's person is the mentee
                mentor = self._related(row, node, refs["mentor"], "mentor")
                if mentor is not None:
                    self.add_edge(mentor, node, MENTORS, kind=MENTORS)

    def break_cycles(self) -> None:
        """Reporting lines must form a forest: each cycle is broken at one edge."""
        state: dict[str, int] = {}  # 1 on the current path, 2 done
        for start in list(self.manager_of):
            if start in state:
                continue
            path: list[str] = []
            node: str | None = start
            while node is not None and node not in state:
                state[node] = 1
                path.append(node)
                node = self.manager_of.get(node, (None, None))[0]
            if node is not None and state.get(node) == 1:
                cycle = path[path.index(node) :]
                # break at the person whose row came last: the most likely typo
                breaker = max(cycle, key=lambda n: (self.manager_of[n][1].number, n))
                target, row = self.manager_of.pop(breaker)
                del self.edges[(breaker, target, REPORTS_TO)]
                names = " -> ".join(
                    f"{self.nodes[n]['name']} ({self.nodes[n]['id']})" for n in cycle + [cycle[0]]
                )
                self.issue(
                    row,
                    WARNING,
                    "reporting_cycle",
                    f"reporting cycle {names}; broken by dropping "
                    f"{self.nodes[breaker]['id']}'s manager",
                    "manager",
                )
            for n in path:
                state[n] = 2

    def add_teams(self) -> None:
        team_depts: dict[str, dict[str, int]] = {}
        nodes, edges = self.nodes, self.edges
        # One pass over every person; the edge is written here rather than through
        # add_edge (a call and a kwargs dict per person, a tenth of the build at 100k).
        team_keys: dict[str, str] = {}
        for node, attrs in list(nodes.items()):
            if attrs.get("kind") != PERSON:
                continue
            team, dept = attrs.get("team"), attrs.get("department")
            if team:
                tkey = team_keys.get(team)
                if tkey is None:
                    tkey = team_keys[team] = team_key(team)
                    if tkey not in nodes:
                        nodes[tkey] = {"kind": TEAM, "name": team}
                key = (node, tkey, MEMBER_OF)
                if key not in edges:
                    edges[key] = {"kind": MEMBER_OF}
                if dept:
                    counts = team_depts.get(tkey)
                    if counts is None:
                        counts = team_depts[tkey] = {}
                    counts[dept] = counts.get(dept, 0) + 1
            if dept:
                dkey = department_key(dept)
                if dkey not in nodes:
                    nodes[dkey] = {"kind": DEPARTMENT, "name": dept}
        for tkey, counts in team_depts.items():
            dept = max(sorted(counts), key=lambda d: counts[d])
            self.nodes[tkey]["department"] = dept
            self.add_edge(tkey, department_key(dept), PART_OF, kind=PART_OF)

    def external_person(self, ref: Any, row: _Row) -> str:
        text = normalize_id(ref) or "?"
        node = person_key(text)
        if node not in self.nodes:
            attrs = {
                "kind": PERSON,
                "id": text,
                "name": text,
                "external": True,
                "source_file": row.table.file,
                "source_sheet": row.table.sheet,
                "source_row": row.number,
            }
            if "@" in text:
                attrs["email"] = text
            self.register_person(node, attrs)
        return node

    # -- projects
    def add_project_row(self, row: _Row) -> None:
        v = row.values
        name = as_text(v.get("project"))
        if name is not None and row.spec.parent_names is not None:
            names = self.epic_names(row.table, row.spec)
            epic = names.get(fold(name))
            if epic is None:
                self.issue(
                    row, INFO, "epic_not_in_export",
                    f"epic {name!r} is not in this export: the initiative is named by its key",
                    "project",
                )  # fmt: skip
            else:
                name = epic
        if name is None:
            if row.spec.tracker:
                # a tracker's issue outside any epic or project: normal, and not an initiative
                row.sheet.skipped += 1
                self.issue(
                    row, INFO, "no_initiative",
                    "no epic, parent or project on this row: not part of an initiative, "
                    "kept off the map", "project",
                )  # fmt: skip
                return
            self.reject(row, "missing_project", "row names no project", "project")
            return
        pkey = project_key(name)
        project = self.nodes.get(pkey)
        if project is None:
            project = {
                "kind": PROJECT,
                "name": name,
                "source_file": row.table.file,
                "source_sheet": row.table.sheet,
                "source_row": row.number,
            }
            self.nodes[pkey] = project
        if as_text(v.get("team")) and not project.get("team"):
            project["team"] = as_text(v.get("team"))
        when = date_key(v.get("date"))
        if when is not None and when > project.get("last_activity", ""):
            project["last_activity"] = when  # the project's latest activity

        role_text = as_text(v.get("role"))
        role = "contributor"
        if role_text is not None:
            role = _ROLE_INDEX.get(fold(role_text)) or _ROLE_INDEX.get(
                fold(role_text.split()[-1]), ""
            )
            if not role:
                self.issue(
                    row,
                    WARNING,
                    "unknown_role",
                    f"unknown role {role_text!r}; taken as contributor",
                    "role",
                )
                role = "contributor"
        wanted: list[tuple[Any, str, str]] = []  # (ref, role, column)
        if v.get("member") not in (None, ""):
            wanted.append((v["member"], role, "member"))
        for column, list_role in (("members", role), ("stakeholder", "stakeholder")):
            for cell in v.get(column) or ():
                for ref in _LIST_SPLIT.split(str(as_text(cell) or "")):
                    if ref.strip():
                        wanted.append((ref, list_role, column))
        if v.get("lead") not in (None, ""):
            for ref in _SEMI_SPLIT.split(str(as_text(v["lead"]))):
                if ref.strip():
                    wanted.append((ref, "lead", "lead"))
        if not wanted and row.spec.tracker:
            row.sheet.skipped += 1
            self.issue(
                row, INFO, "no_person",
                f"no assignee or other person on this row of {name!r}: kept off the map",
            )  # fmt: skip
            return
        if not wanted:
            if not self.project_seen_member.get(pkey):
                self.issue(
                    row, WARNING, "empty_project", f"project {name!r} has no members on this row"
                )
            self.accept(row)
            return
        added = 0
        for ref, member_role, column in wanted:
            person, how = self.resolve(ref)
            if person is None and how == "unknown":
                person = self.external_person(ref, row)
                self.issue(
                    row,
                    WARNING,
                    "external_member",
                    f"project member {normalize_id(ref)!r} is not in the people data; "
                    "kept as an external person",
                    column,
                )
            elif person is None:
                self.issue(
                    row,
                    WARNING if len(wanted) > 1 else ERROR,
                    "ambiguous_member",
                    f"project member {self._ref_problem(ref, how)}; not added",
                    column,
                )
                continue
            key = (person, pkey, WORKS_ON)
            existing = self.edges.get(key)
            if existing is not None:
                if row.spec.tracker:
                    row.sheet.merged += 1  # one person on many issues of an epic: normal
                else:
                    self.issue(
                        row,
                        WARNING,
                        "duplicate_membership",
                        f"{self.nodes[person]['name']} is already on {name!r}; merged",
                        column,
                    )
                if _ROLE_RANK[member_role] > _ROLE_RANK[existing["role"]]:
                    existing["role"] = member_role
            else:
                self.edges[key] = {"kind": WORKS_ON, "role": member_role}
            added += 1
        if added:
            self.project_seen_member[pkey] = True
            self.accept(row)
        else:
            row.sheet.rejected += 1

    def add_project_list_row(self, row: _Row) -> None:
        """A ``Projects`` cell listing several (Asana): the row joins each; counted once."""
        names = [
            n.strip() for n in _LIST_SPLIT.split(str(as_text(row.values.get("project")) or ""))
        ]
        names = [n for n in names if n] or [None]
        sheet = row.sheet
        before = (sheet.imported, sheet.rejected, sheet.skipped)
        for name in names:
            self.add_project_row(_Row(row.table, sheet, row.spec, row.number,
                                      {**row.values, "project": name}, row.extras))  # fmt: skip
        imported = sheet.imported > before[0]
        rejected = sheet.rejected > before[1]
        sheet.imported, sheet.rejected, sheet.skipped = before
        if imported:
            sheet.imported += 1
        elif rejected:
            sheet.rejected += 1
        else:
            sheet.skipped += 1

    def epic_names(self, table: Table, spec: TableSpec) -> dict[str, str]:
        """Issue key -> epic name, from the epics' own rows (read once per table)."""
        cache = self._epic_names
        names = cache.get(id(table))
        if names is None:
            assert spec.parent_names is not None and spec.header_index is not None
            key_col, name_col = spec.parent_names
            names = {}
            for raw in table.rows[spec.header_index + 1 :]:
                if max(key_col, name_col) < len(raw):
                    key, epic = as_text(raw[key_col]), as_text(raw[name_col])
                    if key and epic:
                        names[fold(key)] = epic
            cache[id(table)] = names
        return names

    # -- mentorship
    def add_mentorship(self, row: _Row, mentor_ref: Any, mentee_ref: Any) -> None:
        ends = []
        for ref, column, role in (
            (mentor_ref, "mentor", "mentor"),
            (mentee_ref, "mentee", "mentee"),
        ):
            if ref in (None, ""):
                self.reject(row, f"missing_{role}", f"row names no {role}", column)
                return
            node, how = self.resolve(ref)
            if node is None:
                self.reject(row, f"{how}_{role}", f"{role} {self._ref_problem(ref, how)}", column)
                return
            ends.append(node)
        mentor, mentee = ends
        if mentor == mentee:
            self.issue(
                row, WARNING, "self_mentorship", "person mentors themselves; ignored", "mentee"
            )
        elif not self.add_edge(mentor, mentee, MENTORS, kind=MENTORS):
            self.issue(row, WARNING, "duplicate_mentorship", "mentorship listed twice; merged")
        self.accept(row)

    # -- ties
    def add_tie_row(self, row: _Row, default_type: str) -> None:
        v = row.values
        weight = 1.0
        if "weight" in row.spec.columns.values():
            weight_num = as_number(v.get("weight"), row.table.decimal_comma)
            if weight_num is None:
                if v.get("weight") in (None, ""):
                    weight_num = 1.0
                else:
                    self.reject(
                        row, "bad_weight", f"weight {v.get('weight')!r} is not a number", "weight"
                    )
                    return
            weight = weight_num
        type_text = as_text(v.get("type")) or default_type
        formal = _FORMAL_TIE_TYPES.get(fold(type_text))
        if weight == 0:
            # a zero in a matrix written long: no tie (said once per sheet)
            row.sheet.zero_weight += 1
            row.sheet.skipped += 1
            self.zero_rows.setdefault(id(row.sheet), []).append(row.number)
            return
        ends = []
        for ref, column in ((v.get("source"), "source"), (v.get("target"), "target")):
            if ref in (None, ""):
                self.reject(row, "missing_tie_end", f"row names no {column}", column)
                return
            node, how = self.resolve(ref)
            if node is None and how == "unknown" and not self.have_people_table:
                node = self.implicit_person(ref, row)
            if node is None:
                self.reject(
                    row, f"{how}_tie_end", f"{column} {self._ref_problem(ref, how)}", column
                )
                return
            ends.append(node)
        src, dst = ends
        if src == dst:
            self.issue(row, WARNING, "self_tie", "tie from a person to themselves; ignored")
            self.accept(row)
            return
        if formal == REPORTS_TO:
            if src in self.manager_of and self.manager_of[src][0] != dst:
                self.issue(
                    row,
                    WARNING,
                    "second_manager",
                    f"{self.nodes[src]['id']} already reports to "
                    f"{self.nodes[self.manager_of[src][0]]['id']}; this line is dropped",
                )
            elif self.add_edge(src, dst, REPORTS_TO, kind=REPORTS_TO):
                self.manager_of[src] = (dst, row)
        elif formal == DOTTED_LINE:
            self.add_edge(src, dst, DOTTED_LINE, kind=DOTTED_LINE)
        elif formal == MENTORS:
            self.add_edge(src, dst, MENTORS, kind=MENTORS)
        else:
            tie_type = type_text.strip().lower()
            key = (src, dst, f"{TIE}:{tie_type}")
            when = date_key(v.get("date"))
            if key in self.edges:
                self.edges[key]["weight"] += weight
                self.issue(row, WARNING, "duplicate_tie", "tie listed twice; weights added")
            else:
                self.edges[key] = {"kind": TIE, "type": tie_type, "weight": weight}
            if when is not None and when > self.edges[key].get("date", ""):
                self.edges[key]["date"] = when  # the tie's latest date
        self.accept(row)

    def implicit_person(self, ref: Any, row: _Row) -> str:
        """With no people table at all, tie ends are the people (named by their id)."""
        text = normalize_id(ref) or "?"
        node = person_key(text)
        if node not in self.nodes:
            self.register_person(
                node,
                {
                    "kind": PERSON,
                    "id": text,
                    "name": text,
                    "external": False,
                    "source_file": row.table.file,
                    "source_sheet": row.table.sheet,
                    "source_row": row.number,
                },
            )
        return node

    # -- the whole run
    def run(self, tables: list[Table], mapping: Mapping[str, str] | None) -> Org:
        self.pending_managers: list[tuple[_Row, str, dict[str, Any]]] = []
        self.manager_of: dict[str, tuple[str, _Row]] = {}
        self.project_seen_member: dict[str, bool] = {}
        specs: list[tuple[Table, TableSpec, SheetSummary]] = []
        for key, fieldname in (mapping or {}).items():
            if not mapping_matches(key, tables):
                # a typo in a sheet or column name must not pass silently
                sheets = ", ".join(sorted({t.sheet for t in tables})) or "none"
                self.org.issues.append(
                    Issue(
                        "--map",
                        None,
                        None,
                        key,
                        WARNING,
                        "unused_mapping",
                        f"{key}={fieldname} names no column of any sheet read "
                        f"(sheets: {sheets}); write it as SHEET.COLUMN",
                    )
                )
        for table in tables:
            spec = detect(table, mapping)
            sheet = SheetSummary(
                file=table.file,
                sheet=table.sheet,
                kind=spec.kind,
                header_row=spec.header_row,
                mapping=spec.mapping_by_header() if spec.kind else {},
                columns=[g.to_dict() for g in spec.guesses],
                notes=list(spec.notes),
            )
            self.org.sheets.append(sheet)
            if spec.kind is None:
                self.unrecognised(table, spec, sheet)
                continue
            self.repeated_headers(table, spec)
            # rows read are the rows below the header; titles above it are not data
            specs.append((table, spec, sheet))
        self.have_people_table = any(s.kind == PEOPLE for _, s, _ in specs)
        self.people_specs = [item for item in specs if item[1].kind == PEOPLE]
        order = {PEOPLE: 0, PROJECTS: 1, MENTORSHIP: 2, TIES: 3}
        specs.sort(key=lambda item: order[item[1].kind or PEOPLE])
        total = sum(max(0, len(t.rows) - (s.header_index or 0)) for t, s, _ in specs) or 1
        done = 0
        people_done = False
        for table, spec, sheet in specs:
            if spec.kind != PEOPLE and not people_done:
                self.finish_people()
                people_done = True
            if self.progress:
                self.progress(done / total, f"{table.file} {table.sheet}")
            # a tie's type defaults to the sheet's (or CSV file's) name: Advice.csv -> advice
            default_type = re.sub(r"[_\-]+", " ", table.sheet).strip().lower() or "tie"
            if spec.alternates:
                self.choose_reference_columns(table, spec, sheet)
            for row in self.rows_of(table, spec, sheet):
                if spec.kind == PEOPLE:
                    self.add_person_row(row)
                elif spec.kind == PROJECTS and spec.project_list:
                    self.add_project_list_row(row)
                elif spec.kind == PROJECTS:
                    self.add_project_row(row)
                elif spec.kind == MENTORSHIP:
                    self.add_mentorship(row, row.values.get("mentor"), row.values.get("mentee"))
                else:
                    self.add_tie_row(row, default_type)
            done += len(table.rows)
            self.sheet_notes(table, spec, sheet)
        if not people_done:
            self.finish_people()
        self.break_cycles()
        return self.finish()

    def sheet_notes(self, table: Table, spec: TableSpec, sheet: SheetSummary) -> None:
        if sheet.zero_weight:
            spans = row_spans(self.zero_rows.pop(id(sheet), []))
            self.org.issues.append(
                Issue(
                    table.file,
                    table.sheet,
                    spans[0][0] if spans else None,
                    spec.headers[spec.field_column("weight") or 0],
                    INFO,
                    "zero_weight",
                    f"{sheet.zero_weight} {'row has' if sheet.zero_weight == 1 else 'rows have'}"
                    f" weight 0, so no tie there: {spans_text(spans)}",
                    spans,
                )
            )
        if sheet.merged:
            sheet.notes.append(
                f"{sheet.merged} repeated (person, initiative) pairs across issue rows merged "
                "into one membership each"
            )

    def finish_people(self) -> None:
        for table, spec, sheet in self.people_specs:
            if spec.alternates:
                before = dict(spec.columns)
                self._choose_columns(table, spec, sheet)
                if spec.columns != before:
                    self._reread_refs(table, spec)
        self.link_managers()
        self.add_teams()

    def _choose_list_columns(
        self,
        spec: TableSpec,
        sheet: SheetSummary,
        sample: list[list[Any]],
        fieldname: str,
        alternates: list[int],
    ) -> None:
        """Watchers beside Watchers Id: read the group of columns the people data knows."""
        current = [i for i, f in spec.columns.items() if f == fieldname]

        def hit_rate(cols: list[int]) -> float:
            vals = []
            for r in sample:
                for c in cols:
                    if c < len(r) and r[c] not in (None, "") and not is_placeholder(r[c]):
                        vals.extend(x for x in _LIST_SPLIT.split(str(r[c])) if x.strip())
            if not vals:
                return 0.0
            return sum(1 for v in vals if self.resolve(v)[0] is not None) / len(vals)

        mine, theirs = hit_rate(current), hit_rate(alternates)
        if theirs > mine:
            for i in current:
                del spec.columns[i]
            for i in alternates:
                spec.columns[i] = fieldname
            sheet.mapping = spec.mapping_by_header()
            sheet.notes.append(
                f"{fieldname}: '{spec.headers[alternates[0]]}' used ({theirs:.0%} found among "
                f"the people), not '{spec.headers[current[0]]}' ({mine:.0%})"
            )
            chosen = {spec.headers[i] for i in alternates}
            for entry in sheet.columns:
                if entry["header"] in chosen:
                    entry["field"] = fieldname
                elif entry["field"] == fieldname:
                    entry["field"] = None

    def _reread_refs(self, table: Table, spec: TableSpec) -> None:
        """After a reference column changed, take the pending references from it."""
        cols = {f: spec.field_column(f) for f in ("manager", "dotted_line", "mentor")}
        for _row, _node, refs in self.pending_managers:
            if _row.table is not table:
                continue
            raw = table.rows[_row.number - table.first_row]
            for f, col in cols.items():
                refs.pop(f, None)
                if col is not None and col < len(raw):
                    value = raw[col]
                    if value not in (None, "") and not is_placeholder(value):
                        refs[f] = value

    def unrecognised(self, table: Table, spec: TableSpec, sheet: SheetSummary) -> None:
        """A sheet that is no table of people, projects, mentorships or ties is skipped.

        Notes, summaries and pivots are expected beside the data: the skip is info, with
        the reason, and its rows are counted as skipped so the summary still reconciles.
        A sheet that looks like data (a header and rows) but could not be read is a
        warning: the user may want to map its columns.
        """
        data_rows = [i for i, r in enumerate(table.rows) if not is_blank(r)]
        sheet.rows_read = len(table.rows)
        sheet.blank = len(table.rows) - len(data_rows)
        sheet.skipped = len(data_rows)
        if not data_rows:
            return
        first, last = table.first_row + data_rows[0], table.first_row + data_rows[-1]
        rows = f"rows {first}-{last}" if first != last else f"row {first}"
        if spec.tabular:
            severity, what = WARNING, "a table orgmap could not read"
            hint = "; map its columns to import it"
        else:
            severity, what, hint = INFO, "not a table (notes, a summary or a pivot)", ""
        self.org.issues.append(
            Issue(
                table.file,
                table.sheet,
                first,
                None,
                severity,
                "sheet_skipped",
                f"sheet skipped, {what}: {spec.reason or 'no header found'}; {rows} "
                f"({len(data_rows)} {'row' if len(data_rows) == 1 else 'rows'}) not imported{hint}",
            )
        )

    def repeated_headers(self, table: Table, spec: TableSpec) -> None:
        """Say what became of a header that appears more than once (nothing dropped)."""
        seen: dict[str, list[int]] = {}
        for i, h in enumerate(spec.headers):
            if h and not h.startswith("column "):
                seen.setdefault(fold(h), []).append(i)
        for cols in seen.values():
            if len(cols) < 2:
                continue
            header = spec.headers[cols[0]]
            letters = ", ".join(spec.guesses[i].column_letter for i in cols)
            fields = [spec.columns.get(i) for i in cols]
            if all(f in LIST_FIELDS for f in fields) and len(set(fields)) == 1:
                what = f"all read as {fields[0]}"
            else:
                parts = []
                for i, f in zip(cols, fields, strict=True):
                    letter = spec.guesses[i].column_letter
                    parts.append(f"{letter} as {f}" if f else f"{letter} kept as an attribute")
                what = ", ".join(parts)
            self.org.issues.append(
                Issue(
                    table.file,
                    table.sheet,
                    spec.header_row,
                    header,
                    INFO,
                    "repeated_header",
                    f"header {header!r} appears {len(cols)} times (columns {letters}): {what}",
                )
            )

    def choose_reference_columns(self, table: Table, spec: TableSpec, sheet: SheetSummary) -> None:
        """Between two columns naming one person (Assignee, Assignee Id), keep the one
        whose values are found among the people; the header's choice on a tie."""
        if spec.kind == PEOPLE or spec.header_index is None:
            return  # people tables are decided in finish_people, once everyone is read
        self._choose_columns(table, spec, sheet)

    def _choose_columns(self, table: Table, spec: TableSpec, sheet: SheetSummary) -> None:
        assert spec.header_index is not None
        start = spec.header_index + 1
        sample = [r for r in table.rows[start : start + 300] if not is_blank(r)]
        for fieldname, alternates in spec.alternates.items():
            if fieldname in LIST_FIELDS:
                self._choose_list_columns(spec, sheet, sample, fieldname, alternates)
                continue
            current = spec.field_column(fieldname)
            if current is None:
                continue

            def hit_rate(col: int) -> float:
                vals = [r[col] for r in sample if col < len(r) and not is_placeholder(r[col])]
                vals = [v for v in vals if v is not None and v != ""]
                if not vals:
                    return 0.0
                return sum(1 for v in vals if self.resolve(v)[0] is not None) / len(vals)

            rates = {c: hit_rate(c) for c in [current, *alternates]}
            best = max(rates, key=lambda c: (rates[c], c == current))
            if best != current:
                del spec.columns[current]
                spec.columns[best] = fieldname
                h_best, h_cur = spec.headers[best], spec.headers[current]
                sheet.notes.append(
                    f"{fieldname}: '{h_best}' used ({rates[best]:.0%} found among the people), "
                    f"not '{h_cur}' ({rates[current]:.0%})"
                )
                sheet.mapping = spec.mapping_by_header()
                for entry in sheet.columns:
                    if entry["header"] == h_best:
                        entry["field"] = fieldname
                        entry["evidence"] += f"; content: {rates[best]:.0%} found among the people"
                    elif entry["header"] == h_cur:
                        entry["field"] = None
                        entry["evidence"] = (
                            f"reads as {fieldname}, but only {rates[current]:.0%} of its values "
                            f"are found among the people ('{h_best}': {rates[best]:.0%})"
                        )

    def finish(self) -> Org:
        # issues read top to bottom, sheet by sheet, as the user will fix them
        order = {(s.file, s.sheet): i for i, s in enumerate(self.org.sheets)}
        self.org.issues.sort(key=lambda i: (order.get((i.file, i.sheet), -1), i.row or 0))
        self.org.graph = fast_graph(self.nodes, self.edges)
        self.org.changed()
        if self.progress:
            self.progress(1.0, "built")
        return self.org


@paused_gc()
def build_org(
    tables: Iterable[Table],
    mapping: Mapping[str, str] | None = None,
    progress: Progress = None,
    cancel: Cancel = None,
    at: str | None = None,
) -> Org:
    """Build one validated org from tables of raw cells.

    Parameters
    ----------
    tables : iterable of Table
        Every sheet of every file given; people may be referenced across files.
    mapping : dict, optional
        ``{"SHEET.COLUMN": field}`` overrides for column detection.
    progress, cancel : callable, optional
        ``progress(fraction, message)``; ``cancel()`` returning True raises
        :class:`~orgmap.model.Cancelled`.
    at : str, optional
        ``YYYY-MM-DD``: in dated tables (one row per person per date), show the latest
        snapshot on or before this date instead of the latest.

    Examples
    --------
    >>> from orgmap.tables import Table
    >>> org = build_org([Table.from_dicts([{"ID": 1, "Name": "Ada"}, {"ID": 2, "Name": "Bo", "Manager": 1}])])
    >>> org.counts()["reporting_lines"]
    1
    """
    # paused_gc: the builder allocates a few dicts per row and frees none of them; the
    # cyclic collector would rescan them all again and again (a third of the time)
    builder = _Builder(progress, cancel)
    builder.at = at
    return builder.run(list(tables), mapping)
