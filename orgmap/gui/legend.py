"""The canvas legend: a swatch and a label per colour of the current colouring; an
entry whose colour is ``""`` is a heading (a department over its teams, "Marked")."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

__all__ = ["Legend"]


class _Swatch(QWidget):
    def __init__(self, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color = QColor(color)
        self.setFixedSize(QSize(14, 14))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(self.palette().color(self.foregroundRole()))
        p.setBrush(self.color)
        p.drawEllipse(1, 1, 12, 12)
        p.end()


class Legend(QWidget):
    """Shows ``canvas.legend_entries()``; follows the canvas when bound to it.

    Labels are plain text (team names come from spreadsheets and are never rendered as
    rich text). ``entries()`` returns what is shown, for tests and the HTML export.
    """

    def __init__(self, canvas=None, parent: QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        self._entries: list[tuple[str, str]] = []
        self._title = QLabel(title)
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._body = QWidget()
        self._rows = QVBoxLayout(self._body)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self._rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._title)
        layout.addWidget(scroll, 1)
        self._canvas = None
        if canvas is not None:
            self.bind(canvas)

    def bind(self, canvas) -> None:
        """Follow ``canvas`` (a ``GraphCanvas``): refresh on its ``legendChanged``."""
        if self._canvas is not None:
            self._canvas.legendChanged.disconnect(self.refresh)
        self._canvas = canvas
        canvas.legendChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if self._canvas is None:
            return
        self.set_entries(self._canvas.legend_entries(), title=self._canvas.color_label())

    def set_entries(self, entries: list[tuple[str, str]], title: str | None = None) -> None:
        if title is not None:
            self._title.setText(title)
        self._entries = list(entries)
        while self._rows.count() > 1:
            item = self._rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for i, (label, color) in enumerate(self._entries):
            if not color:
                # a heading (a department over its teams, "Marked")
                head = QLabel(label)
                head.setTextFormat(Qt.TextFormat.PlainText)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                head.setContentsMargins(0, 4, 0, 0)
                self._rows.insertWidget(i, head)
                continue
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            h.setSpacing(6)
            h.addWidget(_Swatch(color))
            text = QLabel(label)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setToolTip("")
            h.addWidget(text, 1)
            self._rows.insertWidget(i, row)

    def entries(self) -> list[tuple[str, str]]:
        return list(self._entries)

    def title(self) -> str:
        return self._title.text()
