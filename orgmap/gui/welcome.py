"""The first screen: what orgmap does, the bundled samples, open files, recent files."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["WelcomePage"]


class WelcomePage(QWidget):
    """Signals: ``openSample()`` (the synthetic org), ``openNamedSample(name)`` (another
    bundled sample: Krackhardt's real managers), ``openFiles()``, ``openRecent(entry)``."""

    openSample = Signal()  # noqa: N815
    openNamedSample = Signal(str)  # noqa: N815
    openFiles = Signal()  # noqa: N815
    openRecent = Signal(object)  # noqa: N815

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        card = QFrame(self)
        card.setObjectName("welcomeCard")
        card.setMaximumWidth(640)
        title = QLabel("orgmap", card)
        title.setObjectName("welcomeTitle")
        from orgmap.gui.style import app_icon

        logo = QLabel(card)
        logo.setObjectName("welcomeLogo")
        logo.setPixmap(app_icon().pixmap(48, 48))
        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        title_row.addWidget(logo)
        title_row.addWidget(title)
        title_row.addStretch(1)
        tagline = QLabel(
            "See who actually connects your organisation: who people go to, which projects "
            "span teams, which teams are islands, and each person's reach. Open the "
            "spreadsheets you already have: an HR org-chart export, a project tracker, a "
            "mentorship list. Nothing leaves this computer.",
            card,
        )
        tagline.setObjectName("welcomeText")
        tagline.setWordWrap(True)
        self.sample_button = QPushButton("Explore the sample organisation", card)
        self.sample_button.setObjectName("sampleButton")
        self.sample_button.setDefault(True)
        self.sample_button.setToolTip("A synthetic 300-person company (Ctrl+Shift+O)")
        self.sample_button.clicked.connect(self.openSample)
        from orgmap.assets import get_sample

        real = get_sample("krackhardt")
        self.real_button = QPushButton("Try real data: Krackhardt's 21 managers (1987)", card)
        self.real_button.setObjectName("realSampleButton")
        self.real_button.setToolTip(
            "Who reports to, asks advice of and is friends with whom among the managers of a "
            "high-tech firm, as surveyed by D. Krackhardt (Social Networks 9, 1987)"
        )
        self.real_button.clicked.connect(lambda: self.openNamedSample.emit(real.name))
        self.open_button = QPushButton("Open spreadsheets…", card)
        self.open_button.setObjectName("openButton")
        self.open_button.setToolTip("Workbooks, CSV files, folders or a saved session (Ctrl+O)")
        self.open_button.clicked.connect(self.openFiles)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        # on a row of its own: three buttons in one row cut their labels short
        real_row = QHBoxLayout()
        real_row.addWidget(self.real_button)
        real_row.addStretch(1)
        drop = QLabel("…or drop files and folders anywhere on this window.", card)
        drop.setObjectName("welcomeHint")
        self.recent_label = QLabel("Recent", card)
        self.recent_label.setObjectName("welcomeSection")
        self.recent_list = QListWidget(card)
        self.recent_list.setObjectName("recentList")
        self.recent_list.setMaximumHeight(180)
        self.recent_list.itemActivated.connect(self._on_recent)
        self.recent_list.itemClicked.connect(self._on_recent)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(36, 32, 36, 32)
        layout.setSpacing(14)
        layout.addLayout(title_row)
        layout.addWidget(tagline)
        layout.addLayout(buttons)
        layout.addLayout(real_row)
        layout.addWidget(drop)
        layout.addSpacing(8)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.set_recent([])

    def set_recent(self, entries: list[tuple[str, Any]]) -> None:
        self.recent_list.clear()
        for label, entry in entries:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip("\n".join(entry.get("sources", [])) if isinstance(entry, dict) else "")
            self.recent_list.addItem(item)
        self.recent_label.setVisible(bool(entries))
        self.recent_list.setVisible(bool(entries))

    def _on_recent(self, item: QListWidgetItem) -> None:
        self.openRecent.emit(item.data(Qt.ItemDataRole.UserRole))
