"""The diff workbook: a sheet per section of an :class:`orgmap.diff.OrgDiff`.

Written the way the metrics report is (:mod:`orgmap.report`): openpyxl in write-only
mode through the report's sheet writer, every text cell through
:func:`orgmap.safety.safe_cell` (a name like ``=HYPERLINK(...)`` is shown, never
evaluated), saved atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from orgmap.diff import PERSON_METRICS, OrgDiff
from orgmap.metrics.info import metric
from orgmap.report import _discard, _Sheet, save_workbook

__all__ = ["write_diff_report", "SHEETS"]

#: Sheet titles, in order (a sheet is written even when its section is empty, so a
#: reader sees "nothing here" rather than wonder whether it was left out).
SHEETS = (
    "Summary",
    "Joined",
    "Left",
    "Moved",
    "Changed",
    "Matched by name",
    "Reporting lines",
    "Ties",
    "Mentorships",
    "Cross-team projects",
    "People metrics",
    "Teams",
    "Lost last link",
)

_PERSON = ("ID", "Name", "Team", "Department", "Manager")
_PERSON_KEYS = ("id", "name", "team", "department", "manager")


def _table(
    wb: Workbook, title: str, header: Sequence[str], formats: Sequence[str], rows: list[list[Any]]
) -> None:
    sheet = _Sheet(wb, title, header, formats)
    for row in rows:
        sheet.append(row)
    sheet.close()


def _fill(wb: Workbook, diff: OrgDiff, old_label: str, new_label: str) -> None:
    counts = diff.counts()
    summary = [["Old", old_label], ["New", new_label], ["Summary", diff.summary_text()]]
    summary += [[k.replace("_", " ").capitalize(), v] for k, v in counts.items()]
    _table(wb, "Summary", ["What", "Value"], ["text", "int"], summary)
    for title, people in (("Joined", diff.joined), ("Left", diff.left)):
        rows = [[p.get(k) for k in _PERSON_KEYS] for p in people]
        _table(wb, title, _PERSON, ["text"] * 5, rows)
    rows = []
    for m in diff.moved:
        row = [m["id"], m["name"]]
        for key in ("manager", "team", "department"):
            row += m.get(key, [None, None])
        rows.append(row)
    header = ["ID", "Name", "Old manager", "New manager", "Old team", "New team"]
    header += ["Old department", "New department"]
    _table(wb, "Moved", header, ["text"] * 8, rows)
    rows = [[c["new_id"], c["name"], c["field"], c["old"], c["new"]] for c in diff.changed]
    _table(wb, "Changed", ["ID", "Name", "Field", "Old", "New"], ["text"] * 5, rows)
    rows = [[m["old_id"], m["new_id"], m["name"]] for m in diff.matched_by_name]
    _table(wb, "Matched by name", ["Old ID", "New ID", "Name"], ["text"] * 3, rows)
    for title, kind in (
        ("Reporting lines", "reporting_lines"),
        ("Ties", "ties"),
        ("Mentorships", "mentorships"),
    ):
        rows = []
        for change in ("gained", "lost"):
            for e in diff.links.get(kind, {}).get(change, []):
                rows.append([change, e["from"], e["from_id"], e["to"], e["to_id"], e.get("type")])
        header = ["Change", "From", "From ID", "To", "To ID", "Type"]
        _table(wb, title, header, ["text"] * 6, rows)
    rows = [
        [change, p["project"], p["teams"]]
        for change in ("gained", "lost")
        for p in diff.links.get("cross_team_projects", {}).get(change, [])
    ]
    _table(
        wb,
        "Cross-team projects",
        ["Change", "Project", "Teams spanned"],
        ["text", "text", "int"],
        rows,
    )

    header, formats = ["ID", "Name"], ["text", "text"]
    for name in PERSON_METRICS:
        info = metric(name)
        fmt = "fine" if name == "brokerage" else info.fmt
        header += [f"{info.label} before", f"{info.label} after", f"{info.label} change"]
        formats += [fmt] * 3
    rows = []
    for p in diff.people_metrics:
        row = [p["id"], p["name"]]
        for name in PERSON_METRICS:
            v = p.get(name) or {}
            row += [v.get("old"), v.get("new"), v.get("change")]
        rows.append(row)
    _table(wb, "People metrics", header, formats, rows)
    rows = [
        [
            t["team"],
            t["ei_old"],
            t["ei_new"],
            t["ei_change"],
            t["silo_old"],
            t["silo_new"],
            t["present"],
        ]
        for t in diff.teams
    ]
    header = ["Team", "E-I before", "E-I after", "E-I change", "Silo before", "Silo after", "In"]
    _table(wb, "Teams", header, ["text", "float", "float", "float", "text", "text", "text"], rows)
    rows = [[p["id"], p["name"]] for p in diff.lost_last_link]
    _table(wb, "Lost last link", ["ID", "Name"], ["text", "text"], rows)


def write_diff_report(
    diff: OrgDiff, path: Path | str, old_label: str = "old", new_label: str = "new"
) -> Path:
    """Write ``diff`` as an xlsx workbook (sheets :data:`SHEETS`); returns the path."""
    path = Path(path)
    wb = Workbook(write_only=True)
    try:
        _fill(wb, diff, old_label, new_label)
    except BaseException:
        _discard(wb)  # openpyxl's own temporary files, as the metrics report does
        raise
    save_workbook(wb, path)
    return path
