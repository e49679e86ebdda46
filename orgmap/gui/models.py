"""Qt table models for the explorer (people, projects, teams) and the issues panel.

The models are read-only views of an ``Org`` and its metrics dict. Cells are formatted
on demand, so a 100k-person org costs one list of node keys, not 100k x 30 strings.
Sorting uses :data:`SORT_ROLE` (numbers sort as numbers, blanks last); filtering uses
one precomputed lower-case text per row, which keeps typing in the filter box instant.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from orgmap import present

__all__ = [
    "NODE_ROLE",
    "SORT_ROLE",
    "Column",
    "EntityModel",
    "FilterProxy",
    "IssuesModel",
    "metric_infos",
    "plain_tooltip",
    "people_model",
    "projects_model",
    "teams_model",
]

#: The row's node key (``person:7``).
NODE_ROLE = Qt.ItemDataRole.UserRole + 1
#: A value that sorts right: numbers as numbers, text folded, blanks last.
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def plain_tooltip(text: str | None) -> str | None:
    """``text`` as a tooltip that shows it literally, never as markup.

    Qt draws a tooltip as rich text whenever ``Qt.mightBeRichText`` guesses so (a cell
    holding ``<b>x</b>`` or ``<img src=x>`` would be drawn bold, or as an image). Such
    text is escaped and wrapped in a paragraph that keeps its line breaks; anything else
    is returned as it is (Qt shows it as plain text). Every tooltip built from data goes
    through here.
    """
    # QtGui's Qt namespace holds mightBeRichText; QtCore's does not
    if not text or not QtGui.Qt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def metric_infos(entity: str) -> list[Any]:
    """The ``MetricInfo`` rows of one entity (:data:`orgmap.metrics.METRICS`)."""
    from orgmap.metrics import METRICS

    return [m for m in METRICS if m.entity == entity]


#: What a cell of a metric still being computed shows.
PENDING_TEXT = "pending…"


def pending_metrics(metrics: dict[str, Any] | None) -> set[str]:
    """Metrics not computed yet (the slow ones of a big org arrive later)."""
    return set(((metrics or {}).get("summary") or {}).get("pending") or ())


def sort_key(value: Any) -> Any:
    """Numbers sort as numbers, collections by size, text case-folded; None sorts last."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        return float(sum(v for v in value.values() if isinstance(v, (int, float))))
    if isinstance(value, (list, tuple, set)):
        return float(len(value))
    return str(value).casefold()


@dataclass
class Column:
    key: str
    label: str
    getter: Callable[[str], Any]
    fmt: str = ""
    tooltip: str = ""
    numeric: bool = False
    #: Still being computed: every cell says so.
    pending: bool = False


class EntityModel(QAbstractTableModel):
    """Rows are node keys; columns are attributes then metrics."""

    def __init__(
        self,
        nodes: list[str],
        columns: list[Column],
        search_text: Callable[[str], str] | list[str],
        entity: str,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.entity = entity
        self.nodes = list(nodes)
        self.columns = columns
        self._row_of = {n: i for i, n in enumerate(self.nodes)}
        if callable(search_text):
            self.search_text = [search_text(n).casefold() for n in self.nodes]
        else:  # precomputed off the GUI thread, aligned with ``nodes``
            self.search_text = list(search_text)

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.nodes)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.columns)

    def row_of(self, node: str) -> int:
        return self._row_of.get(node, -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python on precomputed keys: letting the proxy sort would call
        ``data()`` a million times for 20k rows (seconds of frozen window)."""
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        get = self.columns[column].getter
        keys = []
        for node in self.nodes:
            k = sort_key(get(node))
            # Mixed columns (numbers and text) still sort: numbers first, then text.
            keys.append(
                None if k is None else ((0, k, "") if isinstance(k, float) else (1, 0.0, k))
            )
        known = [i for i, k in enumerate(keys) if k is not None]
        missing = [i for i, k in enumerate(keys) if k is None]
        known.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        new_order = known + missing  # blanks last either way
        old_to_new = {old: new for new, old in enumerate(new_order)}
        self.nodes = [self.nodes[i] for i in new_order]
        self.search_text = [self.search_text[i] for i in new_order]
        self._row_of = {n: i for i, n in enumerate(self.nodes)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(old_to_new[i.row()], i.column()) for i in old]
        )
        self.layoutChanged.emit()

    def column_of(self, key: str) -> int:
        for i, col in enumerate(self.columns):
            if col.key == key:
                return i
        return -1

    def value(self, row: int, column: int) -> Any:
        return self.columns[column].getter(self.nodes[row])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        node = self.nodes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return PENDING_TEXT if col.pending else present.value(col.getter(node), col.fmt)
        if role == NODE_ROLE:
            return node
        if role == SORT_ROLE:
            key = sort_key(col.getter(node))
            # QVariant cannot compare None with numbers: blanks become -inf / "".
            if key is None:
                return float("-inf") if col.numeric else ""
            return key
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = present.value(col.getter(node), col.fmt)
            return plain_tooltip(text) if len(text) > 20 else None
        return None

    def headerData(  # noqa: N802 - Qt name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(col.tooltip or col.label)
        return None


class FilterProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`; keeps rows whose text contains every typed word."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Entity tables sort themselves (fast); the proxy keeps their order."""
        source = self.sourceModel()
        if isinstance(source, EntityModel):
            source.sort(column, order)
        else:
            super().sort(column, order)

    def set_text(self, text: str) -> None:
        words = text.casefold().split()
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10 deprecates invalidateFilter
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802 - Qt name
        if not self._words:
            return True
        model = self.sourceModel()
        texts = getattr(model, "search_text", None)
        haystack = texts[row] if texts is not None else ""
        return all(word in haystack for word in self._words)


# -- building the three explorer models ------------------------------------------------
def _attr(org: Any, key: str) -> Callable[[str], Any]:
    nodes = org.graph.nodes

    def get(node: str) -> Any:
        value = nodes[node].get(key)
        return None if value == "" else value

    return get


def _metric(metrics: dict[str, Any], section: str, name: str) -> Callable[[str], Any]:
    table = metrics.get(section) or {}

    def get(node: str) -> Any:
        return (table.get(node) or {}).get(name)

    return get


#: Column headers short enough for a narrow explorer (the full label is the tooltip).
SHORT_LABELS = {
    "influence_percentile": "Influence",
    "influence": "Influence score",
    "role": "Role",
    "reach_2": "Reach 2",
    "teams_reached": "Teams",
    "departments_reached": "Depts",
    "cross_team_projects": "X-team projects",
    "cross_team_projects_led": "X-team led",
    "teams_spanned": "Teams",
    "departments_spanned": "Depts",
    "ei_index": "E-I",
    "internal_ties": "Internal",
    "external_ties": "External",
}


def _metric_columns(metrics: dict[str, Any], section: str, entity: str) -> list[Column]:
    pending = pending_metrics(metrics)
    return [
        Column(
            info.name,
            SHORT_LABELS.get(info.name, info.label),
            _metric(metrics, section, info.name),
            fmt=info.fmt,
            tooltip=f"{info.label}: {info.description} (source: {info.reference})"
            + (" Still being computed." if info.name in pending else ""),
            numeric=info.fmt in ("int", "float", "percent"),
            pending=info.name in pending,
        )
        for info in metric_infos(entity)
    ]


def _featured(columns: list[Column], keys: tuple[str, ...]) -> tuple[list[Column], list[Column]]:
    """Split metric columns into the ones named in ``keys`` (in that order) and the rest."""
    by_key = {c.key: c for c in columns}
    first = [by_key[k] for k in keys if k in by_key]
    return first, [c for c in columns if c.key not in keys]


#: The columns a reader looks at first, right after the name.
PEOPLE_FIRST = ("role", "influence_percentile", "brokerage", "reach_2", "teams_reached")
PROJECTS_FIRST = ("teams_spanned", "departments_spanned", "org_wide", "members", "leads")
TEAMS_FIRST = ("silo", "ei_index", "size")


def people_model(org: Any, metrics: dict[str, Any], rows: Any = None) -> EntityModel:
    g = org.graph
    first, rest = _featured(_metric_columns(metrics, "people", "person"), PEOPLE_FIRST)
    columns = [
        Column("name", "Name", lambda n: org.label(n)),
        *first,
        Column("title", "Title", _attr(org, "title")),
        Column("team", "Team", _attr(org, "team")),
        Column("department", "Department", _attr(org, "department")),
        Column("level", "Level", _attr(org, "level")),
        Column("id", "ID", _attr(org, "id")),
        *rest,
    ]

    def text(node: str) -> str:
        d = g.nodes[node]
        return " ".join(
            str(d.get(k) or "")
            for k in ("name", "id", "email", "title", "level", "team", "department", "location")
        )

    if rows is not None:
        return EntityModel(rows[0], columns, rows[1], "person")
    return EntityModel(
        sorted(org.people(), key=lambda n: org.label(n).casefold()), columns, text, "person"
    )


def projects_model(org: Any, metrics: dict[str, Any], rows: Any = None) -> EntityModel:
    first, rest = _featured(_metric_columns(metrics, "projects", "project"), PROJECTS_FIRST)
    columns = [
        Column("name", "Project", lambda n: org.label(n)),
        *first,
        Column("team", "Home team", _attr(org, "team")),
        *rest,
    ]
    if rows is not None:
        return EntityModel(rows[0], columns, rows[1], "project")
    return EntityModel(
        sorted(org.projects(), key=lambda n: org.label(n).casefold()),
        columns,
        lambda n: f"{org.label(n)} {org.graph.nodes[n].get('team') or ''}",
        "project",
    )


def teams_model(org: Any, metrics: dict[str, Any], rows: Any = None) -> EntityModel:

    def department(node: str) -> Any:
        dept = org.department_of(node)
        return org.label(dept) if dept else None

    first, rest = _featured(_metric_columns(metrics, "teams", "team"), TEAMS_FIRST)
    columns = [
        Column("name", "Team", lambda n: org.label(n)),
        *first,
        Column("department", "Department", department),
        *rest,
    ]
    if rows is not None:
        return EntityModel(rows[0], columns, rows[1], "team")
    return EntityModel(
        sorted(org.teams(), key=lambda n: org.label(n).casefold()),
        columns,
        lambda n: f"{org.label(n)} {department(n) or ''}",
        "team",
    )


# -- issues ----------------------------------------------------------------------------
_SEVERITY_ORDER = {"fatal": 0, "error": 1, "warning": 2, "info": 3}
_SEVERITY_COLORS = {"fatal": "#c62828", "error": "#d84315", "warning": "#b8860b", "info": "#546e7a"}


class IssuesModel(QAbstractTableModel):
    """The import issues: severity, where (file, sheet, row, column) and why."""

    HEADERS = ("Severity", "File", "Sheet", "Row", "Column", "Message")

    def __init__(self, issues: list[Any] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.issues = sorted(
            issues or [],
            key=lambda i: (
                _SEVERITY_ORDER.get(i.severity, 3),
                str(i.file),
                str(i.sheet or ""),
                i.row if i.row is not None else -1,
            ),
        )
        self.search_text = [str(i).casefold() for i in self.issues]

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.issues)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.HEADERS)

    def issue(self, row: int) -> Any:
        return self.issues[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        issue = self.issues[index.row()]
        values = (
            issue.severity,
            issue.file,
            issue.sheet or "",
            issue.row if issue.row is not None else "",
            issue.column or "",
            issue.message,
        )
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(values[col])
        if role == SORT_ROLE:
            if col == 0:
                return _SEVERITY_ORDER.get(issue.severity, 3)
            if col == 3:
                return issue.row if issue.row is not None else -1
            return str(values[col]).casefold()
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return QBrush(QColor(_SEVERITY_COLORS.get(issue.severity, "#666666")))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(str(issue))
        return None

    def headerData(  # noqa: N802 - Qt name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None
