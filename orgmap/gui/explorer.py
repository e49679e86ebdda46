"""The explorer dock: People, Projects and Teams as sortable, filterable tables.

Selecting a row emits :attr:`Explorer.nodeSelected`; :meth:`Explorer.show_node` selects
a node's row without emitting (the window calls it when the canvas selection changes,
so the two never ping-pong).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from orgmap.gui.models import (
    NODE_ROLE,
    EntityModel,
    FilterProxy,
    people_model,
    projects_model,
    teams_model,
)
from orgmap.gui.pipeline import DEFAULT_SORT, ExplorerRows

__all__ = ["Explorer", "TABS"]

#: Tab key -> (label, node kind, default sort column key, descending?)
TABS: dict[str, tuple[str, str, str, bool]] = {
    "people": ("People", "person", *DEFAULT_SORT["people"]),
    "projects": ("Projects", "project", *DEFAULT_SORT["projects"]),
    "teams": ("Teams", "team", *DEFAULT_SORT["teams"]),
}
_KIND_TAB = {kind: key for key, (_, kind, _, _) in TABS.items()}
_NOUNS = {
    "people": ("person", "people"),
    "projects": ("project", "projects"),
    "teams": ("team", "teams"),
}


class Explorer(QWidget):
    """Filter box over three tabs of tables; one row per person, project, team."""

    nodeSelected = Signal(str)  # noqa: N815 - Qt signal naming
    tabChanged = Signal(str)  # noqa: N815
    filterChanged = Signal(str)  # noqa: N815

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("explorer")
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("explorerFilter")
        self.filter_box.setPlaceholderText("Filter by name, title, team, department…")
        self.filter_box.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("explorerCount")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.views: dict[str, QTableView] = {}
        self.proxies: dict[str, FilterProxy] = {}
        self.models: dict[str, EntityModel | None] = {key: None for key in TABS}
        for key, (label, _kind, _sort, _desc) in TABS.items():
            view = QTableView(self)
            view.setObjectName(f"explorer_{key}")
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSortingEnabled(True)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)
            view.verticalHeader().hide()
            view.verticalHeader().setDefaultSectionSize(22)
            view.horizontalHeader().setHighlightSections(False)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.horizontalHeader().setStretchLastSection(False)
            proxy = FilterProxy(self)
            view.setModel(proxy)
            view.selectionModel().currentRowChanged.connect(
                lambda current, _prev, k=key: self._on_current(k, current)
            )
            view.clicked.connect(lambda index, k=key: self._on_current(k, index, force=True))
            self.views[key] = view
            self.proxies[key] = proxy
            self.tabs.addTab(view, label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.count_label)
        self._quiet = False
        # Filtering 100k rows on each key press would lag typing; wait for a pause.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(120)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_box.textChanged.connect(self._on_filter_typed)
        self.tabs.currentChanged.connect(self._on_tab)

    # -- data -------------------------------------------------------------------------
    def set_org(
        self, org: Any, metrics: dict[str, Any] | None, rows: ExplorerRows | None = None
    ) -> None:
        """Show ``org``; ``rows`` (``pipeline.explorer_rows``) saves the GUI thread the
        sorting and the filter texts."""
        metrics = metrics or {}
        builders = {"people": people_model, "projects": projects_model, "teams": teams_model}
        for key, build in builders.items():
            model = (
                build(org, metrics, rows.tab(key) if rows else None) if org is not None else None
            )
            self.models[key] = model
            proxy = self.proxies[key]
            proxy.setSourceModel(model)
            view = self.views[key]
            _label, _kind, sort_key, desc = TABS[key]
            column = model.column_of(sort_key) if model is not None else -1
            order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
            if column < 0:
                column, order = 0, Qt.SortOrder.AscendingOrder
            header = view.horizontalHeader()
            if rows and rows.presorted and model is not None and column >= 0:
                # Already in this order (sorted off the GUI thread): only show the arrow.
                header.blockSignals(True)
                header.setSortIndicator(column, order)
                header.blockSignals(False)
            elif header.sortIndicatorSection() == column and header.sortIndicatorOrder() == order:
                proxy.sort(column, order)  # the indicator will not announce a change
            else:
                header.setSortIndicator(column, order)  # sorts once, through the view
            self._size_columns(view, model)
        self._apply_filter()

    def _size_columns(self, view: QTableView, model: EntityModel | None) -> None:
        if model is None:
            return
        header = view.horizontalHeader()
        metrics = view.fontMetrics()
        for i, col in enumerate(model.columns):
            # Sizing from the header and a sample of rows: resizeColumnsToContents
            # would format every cell of a 100k-row table.
            sample = [model.data(model.index(r, i)) or "" for r in range(min(40, model.rowCount()))]
            widest = max([metrics.horizontalAdvance(str(s)) for s in sample] + [0])
            label_w = metrics.horizontalAdvance(col.label) + 24
            limit = 220 if i == 0 or not col.numeric else 130
            header.resizeSection(i, max(48, min(limit, max(widest + 16, label_w))))

    # -- filter -----------------------------------------------------------------------
    def _on_filter_typed(self, _text: str) -> None:
        self._filter_timer.start()

    def set_filter(self, text: str) -> None:
        """Set the filter text and apply it now (used by sessions and tests)."""
        self.filter_box.blockSignals(True)
        self.filter_box.setText(text)
        self.filter_box.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        text = self.filter_box.text()
        for proxy in self.proxies.values():
            proxy.set_text(text)
        self._update_count()
        self.filterChanged.emit(text)

    def _update_count(self) -> None:
        key = self.current_tab()
        model = self.models.get(key)
        if model is None:
            self.count_label.setText("")
            return
        shown, total = self.proxies[key].rowCount(), model.rowCount()
        one, many = _NOUNS[key]
        noun = one if total == 1 else many
        if shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun}")

    # -- tabs -------------------------------------------------------------------------
    def current_tab(self) -> str:
        return list(TABS)[max(0, self.tabs.currentIndex())]

    def set_current_tab(self, key: str) -> None:
        if key in TABS:
            self.tabs.setCurrentIndex(list(TABS).index(key))

    def _on_tab(self, _index: int) -> None:
        self._update_count()
        self.tabChanged.emit(self.current_tab())

    def visible_nodes(self, key: str | None = None) -> list[str]:
        """Node keys of the rows shown in a tab, in display order."""
        key = key or self.current_tab()
        proxy = self.proxies[key]
        return [proxy.index(r, 0).data(NODE_ROLE) for r in range(proxy.rowCount())]

    # -- selection --------------------------------------------------------------------
    def _on_current(self, key: str, index: QModelIndex, force: bool = False) -> None:
        if self._quiet or not index.isValid():
            return
        node = index.data(NODE_ROLE)
        if node:
            self.nodeSelected.emit(node)

    def select_row(self, key: str, row: int) -> None:
        """Select the ``row``-th visible row of a tab, as a click would."""
        view = self.views[key]
        self.set_current_tab(key)
        index = view.model().index(row, 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def show_node(self, node: str | None, kind: str | None) -> None:
        """Select ``node``'s row in its tab without emitting ``nodeSelected``."""
        self._quiet = True
        try:
            for key, view in self.views.items():
                model = self.models.get(key)
                sel = view.selectionModel()
                if model is None or not node or _KIND_TAB.get(kind or "") != key:
                    sel.clearSelection()
                    continue
                row = model.row_of(node)
                if row < 0:
                    sel.clearSelection()
                    continue
                index = self.proxies[key].mapFromSource(model.index(row, 0))
                if not index.isValid():  # filtered out
                    sel.clearSelection()
                    continue
                sel.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                view.scrollTo(index)
        finally:
            self._quiet = False
