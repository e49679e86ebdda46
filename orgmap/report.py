"""The metrics report workbook: Summary, People, Projects, Teams, Issues, Definitions.

Written with openpyxl in write-only mode (a 100 000-person org streams row by row
instead of building every cell in memory). Every text that came from the input
goes through :func:`orgmap.safety.safe_cell`, so no name or message is ever
evaluated as a formula; the file is saved atomically.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from orgmap.gcpause import paused_gc
from orgmap.metrics.brokerage import describe
from orgmap.metrics.info import METRICS, REFERENCES, MetricInfo, metrics_for, plural
from orgmap.metrics.projects import ORG_WIDE_MIN, ORG_WIDE_SHARE
from orgmap.metrics.roles import GF_ROLES, ROLE_RULES
from orgmap.metrics.teams import SILO_EI
from orgmap.model import Org
from orgmap.safety import atomic_write_bytes, safe_cell

__all__ = ["write_report", "KEY_COLUMNS"]

#: Metrics that get a colour scale (low = white, high = the colour).
KEY_COLUMNS = {
    "person": ("influence", "brokerage", "org_reach", "key_person_risk"),
    "project": ("teams_spanned", "departments_spanned", "bridges"),
    "team": ("ei_index",),
}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
# "fine": small shares such as brokerage, shown with more decimals
_NUMBER_FORMATS = {"int": "0", "float": "0.000", "fine": "0.0000", "percent": "0%"}
_MAX_WIDTH = 60


def _text(value: Any) -> Any:
    """Input text made safe; numbers and None pass through."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return safe_cell(str(value))


class _Sheet:
    """A write-only sheet with a styled header, widths measured on the rows written."""

    def __init__(self, wb: Workbook, title: str, header: Sequence[str], formats: Sequence[str]):
        self.ws = wb.create_sheet(title)
        self.header = list(header)
        self.formats = list(formats)
        # room for the header and its filter button
        self.widths = [max(9, len(h) + 4) for h in header]
        self.rows = 0
        self.ws.freeze_panes = "A2"
        # column widths must be set before the first row in write-only mode, so the
        # rows are buffered in order and written at close
        self._buffer: list[list[Any]] = []

    def append(self, values: Sequence[Any]) -> None:
        self._buffer.append(list(values))
        if self.rows < 500:  # widths from the first rows are good enough
            for i, v in enumerate(values):
                if v is not None:
                    self.widths[i] = max(self.widths[i], min(_MAX_WIDTH, len(_shown(v)) + 2))
        self.rows += 1

    def close(self, color_columns: Iterable[int] = ()) -> None:
        ws = self.ws
        for i, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        last = get_column_letter(max(1, len(self.header)))
        ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        for i in color_columns:
            col = get_column_letter(i + 1)
            if self.rows:
                ws.conditional_formatting.add(
                    f"{col}2:{col}{self.rows + 1}",
                    ColorScaleRule(
                        start_type="min", start_color="FFFFFF", end_type="max", end_color="F8A04B"
                    ),
                )
        head = []
        for h in self.header:
            cell = WriteOnlyCell(ws, value=_text(h))
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            head.append(cell)
        ws.append(head)
        # one styled cell per numeric column, refilled for every row: openpyxl writes a
        # row as soon as it is appended, and building a styled cell per value is what
        # makes large reports slow
        templates: dict[int, Cell] = {}
        for i, fmt in enumerate(self.formats):
            if fmt in _NUMBER_FORMATS:
                templates[i] = _StyledCell(worksheet=ws, column=1, row=1)
                templates[i].number_format = _NUMBER_FORMATS[fmt]
        for values in self._buffer:
            row = []
            for i, v in enumerate(values):
                cell = templates.get(i)
                if cell is not None and isinstance(v, int | float) and not isinstance(v, bool):
                    cell.value = v
                    row.append(cell)
                else:
                    row.append(_text(v))
            ws.append(row)
        self._buffer = []


class _StyledCell(Cell):
    """A write-only cell that is cheap to pass to ``append``.

    openpyxl first tries a passed cell as a value, fails, and formats the failure's
    message with the cell's ``repr`` (its coordinate: a column-letter lookup) before
    taking it as a cell; at 2.5M styled cells that ``repr`` alone was 1.5 CPU s.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "<styled cell>"


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _cell_value(info: MetricInfo, value: Any) -> Any:
    if value is None:
        return None
    if info.fmt == "list":
        if isinstance(value, dict):
            return ", ".join(f"{k} {v}" for k, v in value.items() if v) or "-"
        # named lists (what breaks, bridge people) carry their own sentence
        return "; ".join(str(v["text"]) if isinstance(v, dict) else str(v) for v in value)
    return value


def _attr(org: Org, node: str, key: str) -> Any:
    value = org.graph.nodes[node].get(key)
    return None if value in ("", None) else value


def _summary_sheet(wb: Workbook, org: Org, metrics: dict[str, Any]) -> None:
    ws = wb.create_sheet("Summary")
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 14
    ws.freeze_panes = "A2"
    s = metrics.get("summary", {})
    title = WriteOnlyCell(ws, value="orgmap report")
    title.font = _TITLE_FONT
    ws.append([title])
    ws.append([])

    def row(label: str, value: Any, fmt: str | None = None) -> None:
        name = WriteOnlyCell(ws, value=label)
        name.font = _BOLD
        cell = WriteOnlyCell(ws, value=_text(value))
        if fmt:
            cell.number_format = fmt
        ws.append([name, cell])

    bc = s.get("betweenness", {})
    method = describe(bc) if bc else "not computed"
    rows: list[tuple[str, Any, str | None]] = [
        ("People", s.get("people", 0), "0"),
        ("Teams", s.get("teams", 0), "0"),
        ("Departments", s.get("departments", 0), "0"),
        ("Projects", s.get("projects", 0), "0"),
        ("Projects crossing teams", s.get("cross_team_project_share", 0.0), "0%"),
        ("Org-wide projects", s.get("org_wide_projects", 0), "0"),
        ("Silo teams", s.get("silo_teams", 0), "0"),
        ("Hierarchy depth", s.get("hierarchy_depth", 0), "0"),
        ("Span of control (median)", s.get("span_of_control_median", 0.0), "0.0"),
        ("Span of control (max)", s.get("span_of_control_max", 0), "0"),
        ("Connected parts (collaboration)", s.get("components", 0), "0"),
        ("Brokerage (betweenness)", method, None),
        ("Relations used", ", ".join(s.get("relations", [])), None),
    ]
    for label, value, fmt in rows:
        row(label, value, fmt)
    rows_info = s.get("rows", {})
    if rows_info:
        row(
            "Rows read = imported + rejected + blank",
            f"{rows_info.get('rows_read', 0)} = {rows_info.get('imported', 0)} + "
            f"{rows_info.get('rejected', 0)} + {rows_info.get('blank', 0)}",
        )
    issues = s.get("issues", {})
    if issues:
        row(
            "Issues",
            f"{plural(issues.get('error', 0), 'error')}, "
            f"{plural(issues.get('warning', 0), 'warning')}, "
            f"{plural(issues.get('fatal', 0), 'unreadable file')}",
        )
    anonymized = s.get("anonymized")
    if isinstance(anonymized, dict) and anonymized.get("lines"):
        row("Anonymized", "; ".join(line.strip() for line in anonymized["lines"]))
    people = metrics.get("people", {})
    for metric_name, heading in (
        ("influence", "Most influential"),
        ("brokerage", "Top brokers"),
        ("key_person_risk", "Highest key-person risk"),
    ):
        ranked = sorted(
            (n for n in people if people[n].get(metric_name) is not None),
            key=lambda n, m=metric_name: (-people[n][m], n),
        )[:10]
        if not ranked:
            continue
        ws.append([])
        head = WriteOnlyCell(ws, value=heading)
        head.font = _BOLD
        ws.append([head])
        for node in ranked:
            label = org.label(node) if node in org.graph else node
            team = _attr(org, node, "team") if node in org.graph else None
            value = WriteOnlyCell(ws, value=people[node][metric_name])
            value.number_format = "0.000" if metric_name != "key_person_risk" else "0"
            ws.append([_text(label), _text(team), value])


def _definitions_sheet(wb: Workbook) -> None:
    sheet = _Sheet(
        wb,
        "Definitions",
        ["Metric", "Applies to", "Column", "Meaning", "Source"],
        ["text"] * 5,
    )
    for m in METRICS:
        refs = "; ".join(REFERENCES.get(r.strip(), r.strip()) for r in m.reference.split(";"))
        sheet.append([m.name, m.entity, m.label, m.description, refs])
    notes = [
        (
            "role rules",
            "person",
            "Network role",
            "; ".join(ROLE_RULES) + ".",
            "Cross & Prusak 2002",
        ),
        (
            "org_wide threshold",
            "project",
            "Org-wide",
            f"At least {ORG_WIDE_SHARE:.0%} of the departments and at least {ORG_WIDE_MIN}.",
            "orgmap default",
        ),
        ("silo threshold", "team", "Silo", f"E-I index at or below {SILO_EI}.", "orgmap default"),
    ]
    for name, entity, label, meaning, source in notes:
        sheet.append([name, entity, label, meaning, REFERENCES.get(source, source)])
    sheet.widths[3] = sheet.widths[4] = _MAX_WIDTH
    sheet.close()


@paused_gc()
def write_report(org: Org, metrics: dict[str, Any], path: Path | str) -> Path:
    """Write the metrics of :func:`orgmap.metrics.compute_all` as an xlsx report.

    Sheets: Summary (the org at a glance and the top people), People, Projects,
    Teams (one row each, every metric a column, brokerage roles split into five
    columns), Issues (the import issues) and Definitions (each metric's meaning and
    source). Headers are frozen and filtered, widths fit the content, shares are
    percentages, and the key columns carry a colour scale.

    Returns the path written.
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    try:
        _fill_report(wb, org, metrics)
    except BaseException:
        # openpyxl streams rows into its own temporary files as they are appended: a
        # full disk fails here, before the save
        _discard(wb)
        raise
    save_workbook(wb, path)
    return path


def _fill_report(wb: Workbook, org: Org, metrics: dict[str, Any]) -> None:
    _summary_sheet(wb, org, metrics)

    person_metrics = [m for m in metrics_for("person") if m.name != "brokerage_roles"]
    header = ["ID", "Name", "Title", "Level", "Team", "Department"]
    header += [m.label for m in person_metrics]
    header += [f"Broker: {r}" for r in GF_ROLES]
    formats = ["text"] * 6 + ["fine" if m.name == "brokerage" else m.fmt for m in person_metrics]
    formats += ["int"] * len(GF_ROLES)
    sheet = _Sheet(wb, "People", header, formats)
    people = metrics.get("people", {})
    for node, values in people.items():
        data = org.graph.nodes[node] if node in org.graph else {}
        row: list[Any] = [
            data.get("id"),
            data.get("name"),
            data.get("title"),
            data.get("level"),
            data.get("team"),
            data.get("department"),
        ]
        row += [_cell_value(m, values.get(m.name)) for m in person_metrics]
        roles = values.get("brokerage_roles") or {}
        row += [roles.get(r, 0) for r in GF_ROLES]
        sheet.append(row)
    sheet.close(6 + i for i, m in enumerate(person_metrics) if m.name in KEY_COLUMNS["person"])

    for entity, title, extra in (
        ("project", "Projects", ("Home team",)),
        ("team", "Teams", ("Department",)),
    ):
        infos = metrics_for(entity)  # type: ignore[arg-type]
        sheet = _Sheet(
            wb,
            title,
            ["Name", *extra, *[m.label for m in infos]],
            ["text"] * (1 + len(extra)) + [m.fmt for m in infos],
        )
        for node, values in metrics.get(title.lower(), {}).items():
            data = org.graph.nodes[node] if node in org.graph else {}
            key = "team" if entity == "project" else "department"
            sheet.append(
                [data.get("name", node), data.get(key)]
                + [_cell_value(m, values.get(m.name)) for m in infos]
            )
        sheet.close(2 + i for i, m in enumerate(infos) if m.name in KEY_COLUMNS[entity])

    sheet = _Sheet(
        wb,
        "Issues",
        ["File", "Sheet", "Row", "Column", "Severity", "Code", "Message"],
        ["text", "text", "int", "text", "text", "text", "text"],
    )
    for issue in org.issues:
        sheet.append(
            [
                issue.file,
                issue.sheet,
                issue.row,
                issue.column,
                issue.severity,
                issue.code,
                issue.message,
            ]
        )
    sheet.close()
    _definitions_sheet(wb)


def save_workbook(wb: Workbook, path: Path | str) -> None:
    """Save ``wb`` atomically; on failure leave nothing behind and print nothing.

    The workbook is built in memory first, so a full or read-only disk fails in one
    place (the atomic save), after openpyxl is done. When openpyxl itself fails (its
    own temporary files are full), its write-only sheets still hold open row writers:
    they are closed here, or the interpreter prints "Exception ignored ... I/O
    operation on closed file" for each of them when it collects them.
    """
    buffer = io.BytesIO()
    try:
        wb.save(buffer)
    except BaseException:
        _discard(wb)
        raise
    atomic_write_bytes(path, buffer.getvalue())


def _discard(wb: Workbook) -> None:
    for ws in getattr(wb, "_sheets", []):
        for name in ("_rows",):
            gen = getattr(ws, name, None)
            if gen is not None:
                with contextlib.suppress(Exception):
                    gen.close()
        writer = getattr(ws, "_writer", None)
        xf = getattr(writer, "xf", None)
        if xf is not None:
            with contextlib.suppress(Exception):
                xf.close()
