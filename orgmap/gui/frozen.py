"""A table's first column kept in view while the others scroll (the People table's Name).

Qt's "frozen column" pattern: a second ``QTableView`` over the left edge of the table,
on the same model and selection model, showing only column 0, its vertical scrolling
tied to the table's. Clicks and sorting on it act on the table.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

__all__ = ["FrozenColumn", "freeze_first_column"]


class FrozenColumn(QObject):
    """Keeps column 0 of ``view`` on screen; see the module docstring."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        frozen = QTableView(view)
        frozen.setObjectName(f"{view.objectName()}_frozen")
        self.frozen = frozen
        frozen.setModel(view.model())
        frozen.setSelectionModel(view.selectionModel())
        frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        frozen.verticalHeader().hide()
        frozen.verticalHeader().setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        frozen.setSelectionBehavior(view.selectionBehavior())
        frozen.setSelectionMode(view.selectionMode())
        frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        frozen.setAlternatingRowColors(view.alternatingRowColors())
        frozen.setWordWrap(False)
        frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        frozen.setFrameShape(QTableView.Shape.NoFrame)
        frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        frozen.horizontalHeader().setSortIndicatorShown(True)
        frozen.horizontalHeader().setHighlightSections(False)
        view.viewport().stackUnder(frozen)
        # scrolling together, both ways
        frozen.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        view.verticalScrollBar().valueChanged.connect(frozen.verticalScrollBar().setValue)
        frozen.clicked.connect(view.clicked.emit)
        frozen.horizontalHeader().sectionClicked.connect(self._sort_by_name)
        header = view.horizontalHeader()
        header.sectionResized.connect(self._on_resized)
        header.sortIndicatorChanged.connect(self._mirror_sort)
        model = view.model()
        model.modelReset.connect(self._columns)
        model.layoutChanged.connect(self._columns)
        model.columnsInserted.connect(self._columns)
        view.installEventFilter(self)
        self._columns()

    def _columns(self, *_args: object) -> None:
        model = self.view.model()
        for c in range(model.columnCount() if model is not None else 0):
            self.frozen.setColumnHidden(c, c != 0)
        if model is not None and model.columnCount():
            self.frozen.setColumnWidth(0, self.view.columnWidth(0))
        self._place()

    def _on_resized(self, logical: int, _old: int, new: int) -> None:
        if logical == 0:
            self.frozen.setColumnWidth(0, new)
            self._place()

    def _sort_by_name(self, _section: int) -> None:
        header = self.view.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        order = (
            Qt.SortOrder.DescendingOrder
            if header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == ascending
            else ascending
        )
        header.setSortIndicator(0, order)  # the table sorts, the overlay follows

    def _mirror_sort(self, section: int, order: Qt.SortOrder) -> None:
        fh = self.frozen.horizontalHeader()
        fh.setSortIndicatorShown(section == 0)
        if section == 0:
            fh.setSortIndicator(0, order)

    def _place(self) -> None:
        view = self.view
        frame = view.frameWidth()
        self.frozen.setGeometry(
            view.verticalHeader().width() + frame,
            frame,
            view.columnWidth(0),
            view.viewport().height() + view.horizontalHeader().height(),
        )
        self.frozen.setVisible(view.model() is not None and view.model().columnCount() > 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False


def freeze_first_column(view: QTableView) -> FrozenColumn:
    """Keep ``view``'s first column on screen while it scrolls sideways."""
    return FrozenColumn(view)
