"""The window's central page (welcome page, sample banner, canvas) and its docks.

Like :mod:`orgmap.gui.actions`, each ``build_*`` creates the widgets as named
attributes of the window and connects them to its methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from orgmap.gui.canvas import GraphCanvas
from orgmap.gui.explorer import Explorer
from orgmap.gui.inspector import Inspector
from orgmap.gui.issues_panel import IssuesPanel
from orgmap.gui.legend import Legend
from orgmap.gui.welcome import WelcomePage

if TYPE_CHECKING:
    from orgmap.gui.window import MainWindow

__all__ = ["build_central", "build_docks", "add_dock"]


def build_central(win: MainWindow) -> None:
    win.stack = QStackedWidget(win)
    win.welcome = WelcomePage(win)
    win.welcome.openSample.connect(win.open_sample)
    win.welcome.openNamedSample.connect(win.opener.open_named_sample)
    win.welcome.openFiles.connect(win.opener.action_open_dialog)
    win.welcome.openRecent.connect(win.opener.open_recent_entry)
    win.stack.addWidget(win.welcome)

    page = QWidget(win)
    page.setObjectName("canvasPage")
    vbox = QVBoxLayout(page)
    vbox.setContentsMargins(0, 0, 0, 0)
    vbox.setSpacing(0)
    win.banner = QFrame(page)
    win.banner.setObjectName("banner")
    bl = QHBoxLayout(win.banner)
    bl.setContentsMargins(12, 6, 6, 6)
    win.banner_label = QLabel(win.banner)
    win.banner_label.setObjectName("bannerLabel")
    win.banner_label.setTextFormat(Qt.TextFormat.PlainText)
    # wrapped, so a long message never widens the centre and squeezes the docks
    win.banner_label.setWordWrap(True)
    banner_open = QPushButton("Open your data…", win.banner)
    banner_open.clicked.connect(win.opener.action_open_dialog)
    banner_close = QToolButton(win.banner)
    banner_close.setText("✕")
    banner_close.setToolTip("Hide this message")
    banner_close.setAutoRaise(True)
    banner_close.clicked.connect(win.banner.hide)
    bl.addWidget(win.banner_label, 1)
    bl.addWidget(banner_open)
    bl.addWidget(banner_close)
    win.banner.hide()
    vbox.addWidget(win.banner)

    win.canvas = GraphCanvas(page)
    win.canvas.setObjectName("canvas")
    vbox.addWidget(win.canvas, 1)
    win.legend = make_legend(win, win)
    win.stack.addWidget(page)
    win.setCentralWidget(win.stack)

    win.canvas.selectionChanged.connect(win._on_canvas_selection)
    win.canvas.nodeHovered.connect(win._on_hover)


def make_legend(win: MainWindow, parent: QWidget) -> QWidget | None:
    # Fed by the window rather than bound to the canvas: colouring 20k people by
    # team has 2,400 entries, and a widget per entry costs seconds of layout.
    legend = Legend(None, parent=parent)
    legend.setObjectName("legend")
    win.canvas.legendChanged.connect(win._refresh_legend)
    return legend


def build_docks(win: MainWindow) -> None:
    win.explorer = Explorer(win)
    win.explorer.nodeSelected.connect(lambda n: win.select_node(n, center=True))
    win.explorer.tabChanged.connect(win._on_tab_changed)
    win.explorer.filterChanged.connect(win._on_filter_changed)
    win.explorer_dock = add_dock(
        win, "Explorer", "explorerDock", win.explorer, Qt.DockWidgetArea.LeftDockWidgetArea
    )

    win.inspector = Inspector(win)
    win.inspector.nodeActivated.connect(lambda n: win.select_node(n, center=True))
    win.inspector_dock = add_dock(
        win, "Inspector", "inspectorDock", win.inspector, Qt.DockWidgetArea.RightDockWidgetArea
    )

    win.issues = IssuesPanel(win)
    win.issues.issueActivated.connect(win.show_issue)
    win.issues_dock = add_dock(
        win, "Issues", "issuesDock", win.issues, Qt.DockWidgetArea.BottomDockWidgetArea
    )
    win.issues.titleChanged.connect(win.issues_dock.setWindowTitle)
    win.legend_dock = None
    if win.legend is not None:
        win.legend_dock = add_dock(
            win, "Legend", "legendDock", win.legend, Qt.DockWidgetArea.RightDockWidgetArea
        )
        win.splitDockWidget(win.inspector_dock, win.legend_dock, Qt.Orientation.Vertical)
        win.resizeDocks([win.inspector_dock, win.legend_dock], [640, 240], Qt.Orientation.Vertical)
    # the explorer wide enough for a person's name, role, influence and brokerage whole
    win.resizeDocks([win.explorer_dock, win.inspector_dock], [460, 360], Qt.Orientation.Horizontal)
    win.resizeDocks([win.issues_dock], [120], Qt.Orientation.Vertical)


def add_dock(
    win: MainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
) -> QDockWidget:
    dock = QDockWidget(title, win)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    win.addDockWidget(area, dock)
    return dock
