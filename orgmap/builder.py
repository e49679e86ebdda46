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

import datetime as _dt
import gc
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from orgmap.issues import ERROR, WARNING, Issue
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
)
from orgmap.safety import clean_text, has_control
from orgmap.tables import Table

__all__ = ["FIELDS", "KINDS", "TableSpec", "detect", "build_org", "normalize_id"]

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None

PEOPLE, PROJECTS, MENTORSHIP, TIES = "people", "projects", "mentorship", "ties"
KINDS = (PEOPLE, PROJECTS, MENTORSHIP, TIES)

# Header synonyms, folded (lower case, letters and digits only; "#" reads as "no").
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "employeeid",
        "workerid",
        "employeeno",
        "empno",
        "empid",
        "personid",
        "staffid",
        "employeenumber",
        "employeeidnumber",
        "personnelnumber",
        "badge",
        "badgeid",
        "userid",
    ),
    "name": (
        "name",
        "fullname",
        "employeename",
        "worker",
        "workername",
        "preferredname",
        "displayname",
        "personname",
        "legalname",
        "employeefullname",
    ),
    "first_name": ("firstname", "givenname", "forename", "preferredfirstname"),
    "last_name": ("lastname", "surname", "familyname"),
    "email": ("email", "workemail", "emailaddress", "mail", "businessemail", "corporateemail"),
    "manager": (
        "manager",
        "managerid",
        "manageremail",
        "managername",
        "reportsto",
        "supervisor",
        "supervisorid",
        "supervisoremail",
        "linemanager",
        "linemanagerid",
        "directmanager",
        "managerempno",
        "reportstoid",
    ),
    "dotted_line": (
        "dottedline",
        "dottedlinemanager",
        "dottedlinemanagers",
        "matrixmanager",
        "functionalmanager",
        "secondarymanager",
        "dottedlinemanagerid",
        "dottedlineto",
    ),
    "title": ("title", "jobtitle", "businesstitle", "position", "positiontitle", "jobname"),
    "level": ("level", "grade", "band", "joblevel", "careerlevel", "jobgrade", "paygrade"),
    "team": ("team", "squad", "group", "teamname", "workgroup", "pod"),
    "department": (
        "department",
        "dept",
        "division",
        "org",
        "organization",
        "organisation",
        "costcenter",
        "costcentre",
        "orgunit",
        "function",
        "departmentname",
    ),
    "location": ("location", "office", "site", "city", "worklocation"),
    "start_date": ("startdate", "hiredate", "datehired", "joindate", "joiningdate", "startedon"),
    "project": ("project", "projectname", "initiative", "epic", "program", "programme"),
    "member": (
        "member",
        "person",
        "employee",
        "assignee",
        "contributor",
        "memberid",
        "memberemail",
        "membername",
    ),
    "members": ("members", "contributors", "teammembers", "assignees", "people", "participants"),
    "role": ("role", "projectrole", "memberrole"),
    "lead": ("lead", "owner", "projectlead", "projectowner", "dri", "techlead", "leads"),
    "mentor": ("mentor", "coach", "buddy", "mentorid", "mentoremail", "mentorname"),
    "mentee": ("mentee", "protege", "menteeid", "menteeemail", "menteename", "coachee"),
    "source": ("from", "ego", "source", "sourceid", "fromid", "respondent", "sender"),
    "target": ("to", "alter", "target", "targetid", "toid", "nominee", "receiver"),
    "weight": ("weight", "count", "edge", "tie", "value", "strength", "frequency"),
    "type": ("type", "tietype", "relation", "relationship", "relationtype"),
}
FIELDS: frozenset[str] = frozenset(_SYNONYMS)
_HEADER_INDEX = {syn: fieldname for fieldname, syns in _SYNONYMS.items() for syn in syns}

# In a projects table a person column names the member, whatever it is called.
_PROJECT_PERSON_FIELDS = {"id": "member", "name": "member", "email": "member"}

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

_LIST_SPLIT = re.compile(r"[,;\n\r]+")
_SEMI_SPLIT = re.compile(r"[;\n\r]+")
_INT_FLOAT = re.compile(r"^[+-]?\d+\.0*$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_HEADER_SCAN_ROWS = 20
_RESERVED_ATTRS = frozenset(FIELDS) | {
    "kind", "external", "source_file", "source_sheet", "source_row",
}  # fmt: skip


def _fold_header(text: Any) -> str:
    return fold(str(text).replace("#", "no")) if text is not None else ""


def header_field(text: Any) -> str | None:
    """The field a header cell names, or None."""
    key = _fold_header(text)
    if not key:
        return None
    return _HEADER_INDEX.get(key)


# -- cell normalisation ------------------------------------------------------------------
def normalize_id(value: Any) -> str | None:
    """``1001``, ``1001.0`` and ``" 1001 "`` are one id."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    if not text:
        return None
    if _INT_FLOAT.match(text):
        text = text.split(".")[0].lstrip("+")
    return text


def _text(value: Any) -> str | None:
    if type(value) is str:  # the common case, first
        value = value.strip()
        return value or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _number(value: Any, decimal_comma: bool) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value == value and abs(value) != float("inf") else None
    text = str(value).strip()
    if decimal_comma and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    if _NUMBER.match(text):
        return float(text)
    return None


def _extra_value(value: Any, decimal_comma: bool) -> Any:
    """Unmapped columns keep their values; numbers become numbers (decimal commas too)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    num = _number(value, decimal_comma)
    if num is not None:
        return int(num) if num.is_integer() and "." not in str(value) else num
    return _text(value)


def _is_blank(row: list[Any]) -> bool:
    for cell in row:  # returns at the first filled cell, usually the first
        if cell is None or (type(cell) is str and not cell.strip()):
            continue
        return False
    return True


def _attr_name(header: Any) -> str:
    name = re.sub(r"[^0-9a-zA-Z]+", "_", str(header).strip()).strip("_").lower()
    return name or "column"


# -- detection ----------------------------------------------------------------------------
@dataclass
class TableSpec:
    """How a table is read: its kind, where its header is, and which column is which field."""

    kind: str | None
    header_index: int | None  # index into table.rows
    header_row: int | None  # as the spreadsheet shows it
    headers: list[str] = field(default_factory=list)
    columns: dict[int, str] = field(default_factory=dict)  # column index -> field
    #: Columns the user mapped to ``ignore``: not read at all.
    ignored: set[int] = field(default_factory=set)
    preview: list[list[Any]] = field(default_factory=list)

    def mapping_by_header(self) -> dict[str, str]:
        return {self.headers[i]: f for i, f in sorted(self.columns.items())}


def _overrides_for(table: Table, mapping: Mapping[str, str] | None) -> dict[str, str]:
    """The ``SHEET.COLUMN=field`` entries that apply to this table, keyed by folded column."""
    if not mapping:
        return {}
    sheet_keys = {fold(table.sheet), fold(table.file), fold(table.file.rsplit(".", 1)[0]), ""}
    result: dict[str, str] = {}
    for key, fieldname in mapping.items():
        parts = key.split(".")
        for cut in range(len(parts) - 1, -1, -1):
            sheet, column = ".".join(parts[:cut]), ".".join(parts[cut:])
            if sheet == "*" or fold(sheet) in sheet_keys:
                result[_fold_header(column)] = fieldname
                break
    return result


def _mapping_matches(key: str, tables: list[Table]) -> bool:
    """Whether ``SHEET.COLUMN`` names a column in the first rows of some table."""
    parts = key.split(".")
    for table in tables:
        sheet_keys = {fold(table.sheet), fold(table.file), fold(table.file.rsplit(".", 1)[0]), ""}
        cells = {_fold_header(c) for row in table.rows[:_HEADER_SCAN_ROWS] for c in row if c}
        for cut in range(len(parts) - 1, -1, -1):
            sheet, column = ".".join(parts[:cut]), ".".join(parts[cut:])
            if (sheet == "*" or fold(sheet) in sheet_keys) and _fold_header(column) in cells:
                return True
    return False


def _row_fields(row: list[Any], overrides: Mapping[str, str]) -> dict[int, str]:
    """Column index -> field for one candidate header row (``ignore`` kept as a field)."""
    columns: dict[int, str] = {}
    for i, cell in enumerate(row):
        if cell is None:
            continue
        key = _fold_header(cell)
        if key in overrides:
            columns[i] = overrides[key]
            continue
        fieldname = _HEADER_INDEX.get(key)
        if fieldname is not None and fieldname not in columns.values():
            columns[i] = fieldname
    return columns


def _classify(fields: set[str]) -> str | None:
    if "project" in fields:
        return PROJECTS
    if "mentor" in fields and "mentee" in fields:
        return MENTORSHIP
    if "source" in fields and "target" in fields:
        return TIES
    if {"id", "name", "email"} & fields or {"first_name", "last_name"} <= fields:
        return PEOPLE
    return None


def detect(table: Table, mapping: Mapping[str, str] | None = None) -> TableSpec:
    """Find a table's header row (within the first 20 rows) and classify it.

    The header is the first row with the most recognised column names; ``mapping``
    (``{"SHEET.COLUMN": field}``, field ``ignore`` to drop a column) overrides detection.
    """
    overrides = _overrides_for(table, mapping)
    best: tuple[int, int, dict[int, str]] | None = None
    for index, row in enumerate(table.rows[:_HEADER_SCAN_ROWS]):
        columns = _row_fields(row, overrides)
        kind = _classify(set(columns.values()))
        score = len(columns) + (10 if kind else 0)
        if columns and (best is None or score > best[1]):
            best = (index, score, columns)
    if best is None:
        return TableSpec(kind=None, header_index=None, header_row=None)
    index, _, columns = best
    ignored = {i for i, f in columns.items() if f == "ignore"}
    columns = {i: f for i, f in columns.items() if f != "ignore"}
    kind = _classify(set(columns.values()))
    if kind == PROJECTS:
        # a person column in a project table names the member
        taken = set(columns.values())
        for i, f in list(columns.items()):
            if f in _PROJECT_PERSON_FIELDS and "member" not in taken and "members" not in taken:
                columns[i] = "member"
                taken.add("member")
    headers = [_text(c) or f"column {i + 1}" for i, c in enumerate(table.rows[index])]
    return TableSpec(
        kind=kind,
        header_index=index,
        header_row=table.first_row + index,
        headers=headers,
        columns=columns,
        ignored=ignored,
        preview=[list(r) for r in table.rows[index + 1 : index + 11]],
    )


# -- building ----------------------------------------------------------------------------
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
        mapped = spec.columns
        extra_cols = [
            i for i in range(width) if i not in mapped and i not in spec.ignored and spec.headers[i]
        ]
        # an unmapped column never overwrites a field orgmap sets itself ("Team" twice)
        extra_names = {
            i: (f"column_{name}" if name in _RESERVED_ATTRS else name)
            for i in extra_cols
            for name in [_attr_name(spec.headers[i])]
        }
        start = spec.header_index + 1
        for offset, raw in enumerate(table.rows[start:]):
            self.tick()
            number = table.first_row + start + offset
            sheet.rows_read += 1
            if _is_blank(raw):
                sheet.blank += 1
                continue
            raw = self.clean_controls(raw, table, spec, number)
            values = {f: raw[i] for i, f in mapped.items() if i < len(raw)}
            extras = {}
            if spec.kind == PEOPLE:
                for i in extra_cols:
                    if i < len(raw) and raw[i] is not None and raw[i] != "":
                        extras[extra_names[i]] = _extra_value(raw[i], table.decimal_comma)
            yield _Row(table, sheet, spec, number, values, extras)

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
        name = _text(v.get("name"))
        if name is None and (v.get("first_name") or v.get("last_name")):
            name = " ".join(p for p in (_text(v.get("first_name")), _text(v.get("last_name"))) if p)
        email = _text(v.get("email"))
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
        for f in ("email", "title", "level", "team", "department", "location", "start_date"):
            value = _text(v.get(f))
            if value is not None:
                attrs[f] = value
        self.register_person(node, attrs)
        row_refs = {}
        if v.get("manager") not in (None, ""):
            row_refs["manager"] = v["manager"]
        if v.get("dotted_line") not in (None, ""):
            row_refs["dotted_line"] = v["dotted_line"]
        self.pending_managers.append((row, node, row_refs))
        self.accept(row)

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
        return f"{text!r} matches no person by id, email or name"

    def add_edge(self, u: str, v: str, key: str, **attrs: Any) -> bool:
        if (u, v, key) in self.edges:
            return False
        self.edges[(u, v, key)] = attrs
        return True

    def link_managers(self) -> None:
        for row, node, refs in self.pending_managers:
            self.tick()
            if "manager" in refs:
                target, how = self.resolve(refs["manager"])
                if target is None:
                    self.issue(
                        row,
                        WARNING,
                        f"{how}_manager",
                        f"manager {self._ref_problem(refs['manager'], how)}; "
                        "person kept at the top of the hierarchy",
                        "manager",
                    )
                elif target == node:
                    self.issue(
                        row,
                        WARNING,
                        "self_manager",
                        "person is their own manager; ignored",
                        "manager",
                    )
                else:
                    self.add_edge(node, target, REPORTS_TO, kind=REPORTS_TO)
                    self.manager_of[node] = (target, row)
            if "dotted_line" in refs:
                for ref in _SEMI_SPLIT.split(str(_text(refs["dotted_line"]) or "")):
                    if not ref.strip():
                        continue
                    target, how = self.resolve(ref)
                    if target is None:
                        self.issue(
                            row,
                            WARNING,
                            f"{how}_dotted_line",
                            f"dotted-line manager {self._ref_problem(ref, how)}; dropped",
                            "dotted_line",
                        )
                    elif target == node:
                        self.issue(
                            row,
                            WARNING,
                            "self_manager",
                            "person is their own dotted-line manager; ignored",
                            "dotted_line",
                        )
                    else:
                        self.add_edge(node, target, DOTTED_LINE, kind=DOTTED_LINE)

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
        for node, attrs in list(self.nodes.items()):
            if attrs.get("kind") != PERSON:
                continue
            team, dept = attrs.get("team"), attrs.get("department")
            if team:
                tkey = team_key(team)
                if tkey not in self.nodes:
                    self.nodes[tkey] = {"kind": TEAM, "name": team}
                self.add_edge(node, tkey, MEMBER_OF, kind=MEMBER_OF)
                if dept:
                    counts = team_depts.setdefault(tkey, {})
                    counts[dept] = counts.get(dept, 0) + 1
            if dept:
                dkey = department_key(dept)
                if dkey not in self.nodes:
                    self.nodes[dkey] = {"kind": DEPARTMENT, "name": dept}
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
        name = _text(v.get("project"))
        if name is None:
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
        if _text(v.get("team")) and not project.get("team"):
            project["team"] = _text(v.get("team"))

        role_text = _text(v.get("role"))
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
        if v.get("members") not in (None, ""):
            for ref in _LIST_SPLIT.split(str(v["members"])):
                if ref.strip():
                    wanted.append((ref, role, "members"))
        if v.get("lead") not in (None, ""):
            for ref in _SEMI_SPLIT.split(str(_text(v["lead"]))):
                if ref.strip():
                    wanted.append((ref, "lead", "lead"))
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
            weight_num = _number(v.get("weight"), row.table.decimal_comma)
            if weight_num is None:
                if v.get("weight") in (None, ""):
                    weight_num = 1.0
                else:
                    self.reject(
                        row, "bad_weight", f"weight {v.get('weight')!r} is not a number", "weight"
                    )
                    return
            weight = weight_num
        type_text = _text(v.get("type")) or default_type
        formal = _FORMAL_TIE_TYPES.get(fold(type_text))
        if weight == 0:
            row.sheet.zero_weight += 1  # a zero in a matrix written long: no tie
            self.accept(row)
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
            if key in self.edges:
                self.edges[key]["weight"] += weight
                self.issue(row, WARNING, "duplicate_tie", "tie listed twice; weights added")
            else:
                self.edges[key] = {"kind": TIE, "type": tie_type, "weight": weight}
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
            if not _mapping_matches(key, tables):
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
            )
            self.org.sheets.append(sheet)
            if spec.kind is None:
                self.unrecognised(table, sheet)
                continue
            # rows read are the rows below the header; titles above it are not data
            specs.append((table, spec, sheet))
        self.have_people_table = any(s.kind == PEOPLE for _, s, _ in specs)
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
            for row in self.rows_of(table, spec, sheet):
                if spec.kind == PEOPLE:
                    self.add_person_row(row)
                elif spec.kind == PROJECTS:
                    self.add_project_row(row)
                elif spec.kind == MENTORSHIP:
                    self.add_mentorship(row, row.values.get("mentor"), row.values.get("mentee"))
                else:
                    self.add_tie_row(row, default_type)
            done += len(table.rows)
        if not people_done:
            self.finish_people()
        self.break_cycles()
        return self.finish()

    def finish_people(self) -> None:
        self.link_managers()
        self.add_teams()

    def unrecognised(self, table: Table, sheet: SheetSummary) -> None:
        data_rows = [i for i, r in enumerate(table.rows) if not _is_blank(r)]
        sheet.rows_read = len(table.rows)
        sheet.blank = len(table.rows) - len(data_rows)
        sheet.rejected = len(data_rows)
        if not data_rows:
            return
        first, last = table.first_row + data_rows[0], table.first_row + data_rows[-1]
        self.org.issues.append(
            Issue(
                table.file,
                table.sheet,
                first,
                None,
                ERROR,
                "unrecognised_sheet",
                f"no known header in the first {_HEADER_SCAN_ROWS} rows, so rows {first}-{last}"
                f" ({len(data_rows)} rows) were not imported; map its columns with"
                f" --map '{table.sheet}.COLUMN=field'",
            )
        )

    def finish(self) -> Org:
        # issues read top to bottom, sheet by sheet, as the user will fix them
        order = {(s.file, s.sheet): i for i, s in enumerate(self.org.sheets)}
        self.org.issues.sort(key=lambda i: (order.get((i.file, i.sheet), -1), i.row or 0))
        self.org.graph = _fast_graph(self.nodes, self.edges)
        self.org.changed()
        if self.progress:
            self.progress(1.0, "built")
        return self.org


def _fast_graph(
    nodes: dict[str, dict[str, Any]], edges: dict[tuple[str, str, str], dict[str, Any]]
) -> nx.MultiDiGraph:
    """A MultiDiGraph filled through its adjacency dicts.

    ``add_edges_from`` spends over 2 s on 250k edges at 100k people, most of it in
    per-edge bookkeeping we do not need (every key is unique, every node exists); this
    writes the same structure networkx's own ``add_edge`` writes, in a tenth of the time.
    ``tests/test_builder.py`` checks the result equals the one ``add_edges_from`` builds.
    """
    graph = nx.MultiDiGraph()
    node_store, succ, pred = graph._node, graph._succ, graph._pred
    for node, attrs in nodes.items():
        node_store[node] = attrs
        succ[node] = {}
        pred[node] = {}
    for (u, v, key), data in edges.items():
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = {}
            pred[v][u] = keydict
        keydict[key] = data
    nx._clear_cache(graph)
    return graph


def build_org(
    tables: Iterable[Table],
    mapping: Mapping[str, str] | None = None,
    progress: Progress = None,
    cancel: Cancel = None,
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

    Examples
    --------
    >>> from orgmap.tables import Table
    >>> org = build_org([Table.from_dicts([{"ID": 1, "Name": "Ada"}, {"ID": 2, "Name": "Bo", "Manager": 1}])])
    >>> org.counts()["reporting_lines"]
    1
    """
    # The builder allocates a few dicts per row and frees none of them: the cyclic
    # collector would rescan them all again and again (a third of the time at 100k).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Builder(progress, cancel).run(list(tables), mapping)
    finally:
        if gc_was_enabled:
            gc.enable()
