"""The Issues panel: every import issue, filterable, each one showing where it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from orgmap.gui.models import FilterProxy, IssuesModel
from orgmap.issues import Issue
from orgmap.metrics.info import plural

__all__ = ["IssuesPanel", "node_of_row"]


def node_of_row(org: Any, issue: Issue) -> str | None:
    """The node the issue's row became, if it became one."""
    if org is None or issue.row is None:
        return None
    for node, d in org.graph.nodes(data=True):
        if (
            d.get("source_row") == issue.row
            and d.get("source_sheet") == issue.sheet
            and Path(str(d.get("source_file", ""))).name == Path(str(issue.file)).name
        ):
            return node
    return None


class IssuesPanel(QWidget):
    """The table of issues with a filter box, a summary and the chosen issue's place.

    ``issueActivated(issue)`` fires when the user opens one (Enter or double-click).
    """

    issueActivated = Signal(object)  # noqa: N815 - Qt signal naming
    titleChanged = Signal(str)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        row = QHBoxLayout()
        self.filter = QLineEdit(self)
        self.filter.setObjectName("issuesFilter")
        self.filter.setPlaceholderText("Filter issues…")
        self.filter.setClearButtonEnabled(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("issuesSummary")
        row.addWidget(self.summary, 1)
        row.addWidget(self.filter)
        layout.addLayout(row)
        self.model = IssuesModel([])
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        view = self.view = QTableView(self)
        view.setObjectName("issuesView")
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(22)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setStretchLastSection(True)
        view.setAlternatingRowColors(True)
        view.activated.connect(self._on_activated)
        view.doubleClicked.connect(self._on_activated)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.detail = QLabel(self)
        self.detail.setObjectName("issueDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setWordWrap(True)
        layout.addWidget(view, 1)
        layout.addWidget(self.detail)

    def set_issues(self, issues: list[Issue]) -> None:
        self.model = IssuesModel(issues)
        self.proxy.setSourceModel(self.model)
        for c, w in enumerate((70, 160, 110, 50, 110)):
            self.view.setColumnWidth(c, w)
        # Errors first, then warnings, each in sheet and row order.
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self._summarise()

    def _summarise(self) -> None:
        issues = self.model.issues
        counts = {"fatal": 0, "error": 0, "warning": 0, "info": 0}
        for issue in issues:
            counts[issue.severity] = counts.get(issue.severity, 0) + 1
        if not issues:
            self.summary.setText("No import issues: every row was read cleanly.")
        else:
            self.summary.setText(
                f"{plural(counts['fatal'] + counts['error'], 'error')} (rows rejected or files "
                f"unreadable), {plural(counts['warning'], 'warning')} (rows kept), "
                f"{plural(counts['info'], 'note')} (rows kept off the map on purpose, each "
                "saying why). Double-click or press Enter on an issue to see where it is."
            )
        self.titleChanged.emit(f"Issues ({len(issues):,})")

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.issueActivated.emit(self.model.issue(self.proxy.mapToSource(index).row()))

    def show_place(self, issue: Issue) -> str:
        """Show where ``issue`` is (file, sheet, row, column); returns that line."""
        parts = [f"File: {issue.file}"]
        if issue.sheet:
            parts.append(f"Sheet: {issue.sheet}")
        if issue.row is not None:
            parts.append(f"Row: {issue.row}")
        if issue.column:
            parts.append(f"Column: {issue.column}")
        where = "   ".join(parts)
        self.detail.setText(f"{where}\n{issue.severity.capitalize()}: {issue.message}")
        return where
