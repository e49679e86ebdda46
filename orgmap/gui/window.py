"""The main window: canvas, explorer, inspector, issues, toolbar and status bar.

The window owns one :class:`~orgmap.gui.state.ViewState` and keeps it in step with the
widgets; a saved session is that state plus the sources and mapping. Loading, metrics
and layout run as :class:`~orgmap.gui.workers.Job` objects on the thread pool; the org
on screen is replaced only when a load finishes, so Cancel, or a file that cannot be
read, leaves what was loaded before.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import orgmap
from orgmap.assets import DEFAULT_SAMPLE
from orgmap.assets import sample_path as bundled_sample_path
from orgmap.gui.canvas import GraphCanvas
from orgmap.gui.explorer import Explorer
from orgmap.gui.inspector import Inspector
from orgmap.gui.models import FilterProxy, IssuesModel, metric_infos
from orgmap.gui.pipeline import Loaded, layout_scene, load_pipeline
from orgmap.gui.state import (
    ALL_EDGE_KINDS,
    ALL_RELATIONS,
    COLOR_MODES,
    LAYOUTS,
    SESSION_SUFFIX,
    Session,
    SessionError,
    ViewState,
)
from orgmap.gui.welcome import WelcomePage
from orgmap.gui.workers import Job
from orgmap.views import lit_set

__all__ = ["MainWindow", "FileChooser", "sample_path", "EXPORTS"]

ORGANIZATION = "orgmap"
APPLICATION = "orgmap"
MAX_RECENT = 10
#: The legend lists at most this many colours (the rest are summed up in one line).
LEGEND_LIMIT = 40

EDGE_LABELS = {
    "reports_to": "Reporting lines",
    "dotted_line": "Dotted lines",
    "member_of": "Team membership",
    "part_of": "Team → department",
    "works_on": "Project work",
    "mentors": "Mentorship",
    "tie": "Ties (advice, friendship…)",
}
RELATION_LABELS = {
    "reports": "Reporting lines",
    "dotted": "Dotted-line managers",
    "mentors": "Mentorship",
    "projects": "Project leads",
    "ties": "Advice and other ties",
}
#: Export kind -> (menu label, file filter, suffix).
EXPORTS: dict[str, tuple[str, str, str]] = {
    "html": ("Interactive HTML…", "HTML page (*.html)", ".html"),
    "png": ("Image of the view (PNG)…", "PNG image (*.png)", ".png"),
    "svg": ("Vector image of the view (SVG)…", "SVG image (*.svg)", ".svg"),
    "xlsx": ("Metrics workbook (xlsx)…", "Excel workbook (*.xlsx)", ".xlsx"),
    "graphml": ("GraphML (Gephi, Cytoscape, yEd)…", "GraphML (*.graphml)", ".graphml"),
    "gexf": ("GEXF (Gephi)…", "GEXF (*.gexf)", ".gexf"),
}
DATA_FILTER = (
    "Spreadsheets and sessions (*.xlsx *.xlsm *.csv *.tsv *.txt *.orgmap);;"
    "Workbooks (*.xlsx *.xlsm);;Tables (*.csv *.tsv *.txt);;orgmap sessions (*.orgmap);;All files (*)"
)


def sample_path(name: str = DEFAULT_SAMPLE) -> Path:
    """A bundled sample (package data): the synthetic workbook unless ``name`` says."""
    return bundled_sample_path(name)


def _module_available(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class FileChooser:
    """Asks the user for paths. Tests put an object with the same methods in its place."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def _dir(self) -> str:
        return str(self.settings.value("last_dir", str(Path.home())))

    def open_paths(self, parent: QWidget) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, "Open data", self._dir(), DATA_FILTER)
        if paths:
            self.settings.setValue("last_dir", str(Path(paths[0]).parent))
        return paths

    def save_path(
        self, parent: QWidget, title: str, file_filter: str, suggested: str
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            parent, title, str(Path(self._dir()) / suggested), file_filter
        )
        if path:
            self.settings.setValue("last_dir", str(Path(path).parent))
        return path or None


class MainWindow(QMainWindow):
    """The orgmap window. Signals: ``loaded()`` after an org is shown, ``busyChanged(bool)``,
    ``exported(kind, path)``, ``errorShown(text)``."""

    loaded = Signal()
    #: The background work of a load finished; the window is about to show its result.
    workDone = Signal()  # noqa: N815
    loadFinished = Signal(str)  # noqa: N815 - "done" | "cancelled" | "failed" | "kept"
    busyChanged = Signal(bool)  # noqa: N815
    exported = Signal(str, str)
    errorShown = Signal(str)  # noqa: N815
    layoutApplied = Signal(str)  # noqa: N815
    metricsChanged = Signal()  # noqa: N815
    #: The other layouts of a large org arrived from the helper process (their names).
    otherLayoutsReady = Signal(list)  # noqa: N815

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("orgmap")
        self.settings = settings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )
        self.chooser: Any = FileChooser(self.settings)
        self.state = ViewState()
        self.org: Any = None
        self.metrics: dict[str, Any] = {}
        self.positions: dict[str, tuple[float, float]] = {}
        self._positions_by_layout: dict[str, dict[str, tuple[float, float]]] = {}
        self._scenes_by_layout: dict[str, Any] = {}
        self._rows: dict[str, Any] | None = None
        self._helper_job: Job | None = None
        self.sources: list[str] = []
        self.mapping: dict[str, str] = {}
        self.session_path: Path | None = None
        self.last_error: str | None = None
        self.error_box: QMessageBox | None = None
        self.import_dialog: Any = None
        self._job: Job | None = None
        self._layout_job: Job | None = None
        self._export_jobs: list[Job] = []
        self._pending_view: ViewState | None = None
        self._syncing = False
        self._search_index: dict[str, str] = {}

        self.setAcceptDrops(True)
        self._build_central()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status()
        from orgmap.gui import map_actions  # map

        self.picture = map_actions.attach(self)  # map: picture, print, outlines, moved nodes
        self._restore_window()
        self._refresh_recent()
        self._apply_state_to_widgets()
        self._update_enabled()

    # ================================================================== building
    def _build_central(self) -> None:
        self.stack = QStackedWidget(self)
        self.welcome = WelcomePage(self)
        self.welcome.openSample.connect(self.open_sample)
        self.welcome.openNamedSample.connect(self.open_named_sample)
        self.welcome.openFiles.connect(self.action_open_dialog)
        self.welcome.openRecent.connect(self._open_recent_entry)
        self.stack.addWidget(self.welcome)

        page = QWidget(self)
        page.setObjectName("canvasPage")
        vbox = QVBoxLayout(page)
        vbox.setContentsMargins(0, 0, 0, 0)
        vbox.setSpacing(0)
        self.banner = QFrame(page)
        self.banner.setObjectName("banner")
        bl = QHBoxLayout(self.banner)
        bl.setContentsMargins(12, 6, 6, 6)
        self.banner_label = QLabel(self.banner)
        self.banner_label.setObjectName("bannerLabel")
        self.banner_label.setTextFormat(Qt.TextFormat.PlainText)
        # wrapped, so a long message never widens the centre and squeezes the docks
        self.banner_label.setWordWrap(True)
        banner_open = QPushButton("Open your data…", self.banner)
        banner_open.clicked.connect(self.action_open_dialog)
        banner_close = QToolButton(self.banner)
        banner_close.setText("✕")
        banner_close.setToolTip("Hide this message")
        banner_close.setAutoRaise(True)
        banner_close.clicked.connect(self.banner.hide)
        bl.addWidget(self.banner_label, 1)
        bl.addWidget(banner_open)
        bl.addWidget(banner_close)
        self.banner.hide()
        vbox.addWidget(self.banner)

        self.canvas = GraphCanvas(page)
        self.canvas.setObjectName("canvas")
        vbox.addWidget(self.canvas, 1)
        self.legend = self._make_legend(self)
        self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.canvas.selectionChanged.connect(self._on_canvas_selection)
        self.canvas.nodeHovered.connect(self._on_hover)

    def _make_legend(self, parent: QWidget) -> QWidget | None:
        try:
            from orgmap.gui.legend import Legend
        except ImportError:
            return None
        # Fed by the window rather than bound to the canvas: colouring 20k people by
        # team has 2,400 entries, and a widget per entry costs seconds of layout.
        legend = Legend(None, parent=parent)
        legend.setObjectName("legend")
        self.canvas.legendChanged.connect(self._refresh_legend)
        return legend

    def _build_docks(self) -> None:
        self.explorer = Explorer(self)
        self.explorer.nodeSelected.connect(lambda n: self.select_node(n, center=True))
        self.explorer.tabChanged.connect(self._on_tab_changed)
        self.explorer.filterChanged.connect(self._on_filter_changed)
        self.explorer_dock = self._dock(
            "Explorer", "explorerDock", self.explorer, Qt.DockWidgetArea.LeftDockWidgetArea
        )

        self.inspector = Inspector(self)
        self.inspector.nodeActivated.connect(lambda n: self.select_node(n, center=True))
        self.inspector_dock = self._dock(
            "Inspector", "inspectorDock", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )

        issues = QWidget(self)
        il = QVBoxLayout(issues)
        il.setContentsMargins(6, 4, 6, 4)
        il.setSpacing(4)
        row = QHBoxLayout()
        self.issues_filter = QLineEdit(issues)
        self.issues_filter.setObjectName("issuesFilter")
        self.issues_filter.setPlaceholderText("Filter issues…")
        self.issues_filter.setClearButtonEnabled(True)
        self.issues_summary = QLabel(issues)
        self.issues_summary.setObjectName("issuesSummary")
        row.addWidget(self.issues_summary, 1)
        row.addWidget(self.issues_filter)
        il.addLayout(row)
        self.issues_model = IssuesModel([])
        self.issues_proxy = FilterProxy(self)
        self.issues_proxy.setSourceModel(self.issues_model)
        self.issues_view = QTableView(issues)
        self.issues_view.setObjectName("issuesView")
        self.issues_view.setModel(self.issues_proxy)
        self.issues_view.setSortingEnabled(True)
        self.issues_view.verticalHeader().hide()
        self.issues_view.verticalHeader().setDefaultSectionSize(22)
        self.issues_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issues_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issues_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issues_view.horizontalHeader().setStretchLastSection(True)
        self.issues_view.setAlternatingRowColors(True)
        self.issues_view.activated.connect(self._on_issue_activated)
        self.issues_view.doubleClicked.connect(self._on_issue_activated)
        self.issues_filter.textChanged.connect(self.issues_proxy.set_text)
        self.issue_detail = QLabel(issues)
        self.issue_detail.setObjectName("issueDetail")
        self.issue_detail.setTextFormat(Qt.TextFormat.PlainText)
        self.issue_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.issue_detail.setWordWrap(True)
        il.addWidget(self.issues_view, 1)
        il.addWidget(self.issue_detail)
        self.issues_dock = self._dock(
            "Issues", "issuesDock", issues, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.legend_dock = None
        if self.legend is not None:
            self.legend_dock = self._dock(
                "Legend", "legendDock", self.legend, Qt.DockWidgetArea.RightDockWidgetArea
            )
            self.splitDockWidget(self.inspector_dock, self.legend_dock, Qt.Orientation.Vertical)
            self.resizeDocks(
                [self.inspector_dock, self.legend_dock], [640, 240], Qt.Orientation.Vertical
            )
        self.resizeDocks(
            [self.explorer_dock, self.inspector_dock], [430, 360], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.issues_dock], [120], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _action(
        self,
        text: str,
        slot: Callable[..., Any] | None = None,
        shortcut: QKeySequence | str | QKeySequence.StandardKey | None = None,
        tip: str = "",
        checkable: bool = False,
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        A = self._action
        self.act_open = A(
            "&Open…",
            self.action_open_dialog,
            QKeySequence.StandardKey.Open,
            "Open spreadsheets, folders or a saved session",
            name="actOpen",
        )
        self.act_sample = A(
            "Open the &sample organisation", self.open_sample, "Ctrl+Shift+O", name="actSample"
        )
        self.act_save = A(
            "&Save session",
            self.action_save,
            QKeySequence.StandardKey.Save,
            "Save the sources, mapping and view as an .orgmap file",
            name="actSave",
        )
        self.act_save_as = A(
            "Save session &as…", self.action_save_as, "Ctrl+Shift+S", name="actSaveAs"
        )
        self.act_reload = A(
            "&Reload data", self.reload, "F5", "Read the source files again", name="actReload"
        )
        self.act_export_mapping = A(
            "Export column &mapping…",
            self.action_export_mapping,
            None,
            "Save the column mapping as JSON (the file `orgmap --mapping` reads)",
            name="actExportMapping",
        )
        self.act_quit = A("&Quit", self.close, "Ctrl+Q", name="actQuit")
        self.export_actions: dict[str, QAction] = {}
        export_keys = {
            "html": "Ctrl+E",
            "png": "Ctrl+Shift+P",
            "svg": "Ctrl+Shift+G",
            "xlsx": "Ctrl+Shift+X",
            "graphml": "Ctrl+Shift+M",
            "gexf": "Ctrl+Shift+F",
        }
        for kind, (label, _f, _s) in EXPORTS.items():
            self.export_actions[kind] = A(
                label,
                lambda _=False, k=kind: self.action_export(k),
                export_keys[kind],
                name=f"actExport_{kind}",
            )
        if not _module_available("orgmap.html_export"):
            self.export_actions["html"].setText("Interactive HTML (not available in this build)")
        self.act_anonymize = A(
            "&Anonymize exports",
            None,
            "Ctrl+Alt+A",
            "Replace names, emails and ids with stable pseudonyms in every export",
            checkable=True,
            name="actAnonymize",
        )
        self.act_anonymize.setChecked(
            bool(self.settings.value("export/anonymize", False, type=bool))
        )
        self.act_anonymize.toggled.connect(self._on_anonymize_toggled)
        self.act_find = A(
            "&Find…",
            self.focus_search,
            QKeySequence.StandardKey.Find,
            "Find a person, project or team",
            name="actFind",
        )
        self.act_filter = A("Filter the e&xplorer", self.focus_filter, "Ctrl+L", name="actFilter")
        self.act_clear = A(
            "&Clear selection", lambda: self.select_node(None), "Esc", name="actClear"
        )
        self.act_fit = A("&Fit to window", self.fit, "Ctrl+0", "Show the whole map", name="actFit")
        self.act_zoom_in = A(
            "Zoom &in",
            lambda: self.canvas.zoom_by(1.25),
            QKeySequence.StandardKey.ZoomIn,
            name="actZoomIn",
        )
        self.act_zoom_out = A(
            "Zoom &out",
            lambda: self.canvas.zoom_by(0.8),
            QKeySequence.StandardKey.ZoomOut,
            name="actZoomOut",
        )
        self.act_center = A(
            "&Centre on selection", self.center_selection, "Ctrl+J", name="actCenter"
        )
        self.act_k_up = A(
            "Widen reach (k + 1)", lambda: self.k_spin.stepUp(), "Ctrl+]", name="actKUp"
        )
        self.act_k_down = A(
            "Narrow reach (k − 1)", lambda: self.k_spin.stepDown(), "Ctrl+[", name="actKDown"
        )
        self.layout_group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for i, (key, label) in enumerate(LAYOUTS.items(), start=1):
            act = A(
                label,
                lambda _=False, k=key: self.set_layout(k),
                f"Ctrl+{i}",
                checkable=True,
                name=f"actLayout_{key}",
            )
            self.layout_group.addAction(act)
            self.layout_actions[key] = act
        self.edge_actions: dict[str, QAction] = {}
        for i, kind in enumerate(ALL_EDGE_KINDS, start=1):
            act = A(EDGE_LABELS[kind], None, f"Alt+{i}", checkable=True, name=f"actEdge_{kind}")
            act.toggled.connect(lambda on, k=kind: self._on_edge_toggled(k, on))
            self.edge_actions[kind] = act
        self.relation_actions: dict[str, QAction] = {}
        for kind in ALL_RELATIONS:
            act = A(RELATION_LABELS[kind], None, checkable=True, name=f"actRelation_{kind}")
            act.setStatusTip("Count this relation in influence, brokerage and reach")
            act.toggled.connect(lambda on, k=kind: self._on_relation_toggled(k, on))
            self.relation_actions[kind] = act
        self.act_about = A("&About orgmap", self.about, name="actAbout")
        self.act_help_metrics = A("&Metrics…", self.show_metrics_help, name="actHelpMetrics")
        self.act_export_profile = A(
            "Export &profile…",
            self.action_export_profile,
            "Ctrl+Shift+R",
            "The selected person's impact profile as a one-page HTML or PDF",
            name="actExportProfile",
        )
        self.act_keys = A(
            "&Keyboard shortcuts",
            self.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
            name="actKeys",
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        m.addAction(self.act_open)
        m.addAction(self.act_sample)
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        m.addAction(self.act_reload)
        m.addSeparator()
        m.addAction(self.act_save)
        m.addAction(self.act_save_as)
        m.addAction(self.act_export_mapping)
        m.addSeparator()
        self.export_menu = m.addMenu("&Export")
        for act in self.export_actions.values():
            self.export_menu.addAction(act)
        self.export_menu.addSeparator()
        self.export_menu.addAction(self.act_anonymize)
        m.addAction(self.act_export_profile)
        m.addSeparator()
        m.addAction(self.act_quit)

        m = bar.addMenu("&Edit")
        m.addAction(self.act_find)
        m.addAction(self.act_filter)
        m.addAction(self.act_clear)

        m = bar.addMenu("&View")
        lm = m.addMenu("&Layout")
        for act in self.layout_actions.values():
            lm.addAction(act)
        self.color_menu = m.addMenu("&Colour by")
        self.size_menu = m.addMenu("&Size by")
        em = m.addMenu("&Edges")
        for act in self.edge_actions.values():
            em.addAction(act)
        rm = m.addMenu("&Metrics count")
        rm.setToolTipsVisible(True)
        for act in self.relation_actions.values():
            rm.addAction(act)
        m.addSeparator()
        m.addAction(self.act_k_up)
        m.addAction(self.act_k_down)
        m.addSeparator()
        m.addAction(self.act_fit)
        m.addAction(self.act_zoom_in)
        m.addAction(self.act_zoom_out)
        m.addAction(self.act_center)
        m.addSeparator()
        pm = m.addMenu("&Panels")
        docks = [
            (self.explorer_dock, "Ctrl+Shift+1"),
            (self.inspector_dock, "Ctrl+Shift+2"),
            (self.issues_dock, "Ctrl+Shift+3"),
        ]
        if self.legend_dock is not None:
            docks.append((self.legend_dock, "Ctrl+Shift+4"))
        for dock, key in docks:
            act = dock.toggleViewAction()
            act.setShortcut(QKeySequence(key))
            pm.addAction(act)
            self.addAction(act)

        m = bar.addMenu("&Help")
        m.addAction(self.act_help_metrics)
        m.addAction(self.act_keys)
        m.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main toolbar", self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb
        tb.addAction(self.act_open)
        self.export_button = QToolButton(tb)
        self.export_button.setObjectName("exportButton")
        self.export_button.setText("Export")
        self.export_button.setToolTip("Share the map: HTML, images, workbook, graph files")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setMenu(self.export_menu)
        tb.addWidget(self.export_button)
        tb.addSeparator()

        def labelled(text: str, widget: QWidget) -> None:
            lab = QLabel(text, tb)
            lab.setObjectName("toolLabel")
            lab.setBuddy(widget)
            tb.addWidget(lab)
            tb.addWidget(widget)

        self.layout_combo = QComboBox(tb)
        self.layout_combo.setObjectName("layoutCombo")
        self.layout_combo.setToolTip("Layout (Ctrl+1, Ctrl+2, Ctrl+3)")
        for key, label in LAYOUTS.items():
            self.layout_combo.addItem(label, key)
        self.layout_combo.activated.connect(
            lambda i: self.set_layout(self.layout_combo.itemData(i))
        )
        labelled("&Layout", self.layout_combo)

        self.color_combo = QComboBox(tb)
        self.color_combo.setObjectName("colorCombo")
        self.color_combo.setToolTip("Node colour")
        self.color_combo.activated.connect(
            lambda i: self.set_color_by(self.color_combo.itemData(i))
        )
        labelled("&Colour", self.color_combo)

        self.size_combo = QComboBox(tb)
        self.size_combo.setObjectName("sizeCombo")
        self.size_combo.setToolTip("Node size")
        self.size_combo.activated.connect(lambda i: self.set_size_by(self.size_combo.itemData(i)))
        labelled("Si&ze", self.size_combo)
        self._fill_metric_choices()

        self.edges_button = QToolButton(tb)
        self.edges_button.setObjectName("edgesButton")
        self.edges_button.setText("Edges")
        self.edges_button.setToolTip("Which links to draw (Alt+1 … Alt+7)")
        self.edges_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.edges_button)
        for act in self.edge_actions.values():
            menu.addAction(act)
        self.edges_button.setMenu(menu)
        tb.addWidget(self.edges_button)

        self.k_spin = QSpinBox(tb)
        self.k_spin.setObjectName("reachSpin")
        self.k_spin.setRange(0, 6)
        self.k_spin.setValue(2)
        self.k_spin.setToolTip("Reach: steps lit up around the selection (Ctrl+[ and Ctrl+])")
        self.k_spin.valueChanged.connect(self.set_reach_depth)
        labelled("&Reach k", self.k_spin)
        tb.addSeparator()
        tb.addAction(self.act_fit)
        tb.addAction(self.act_zoom_out)
        tb.addAction(self.act_zoom_in)
        self.act_fit.setIconText("Fit")
        self.act_zoom_in.setIconText("+")
        self.act_zoom_out.setIconText("−")

        spacer = QWidget(tb)
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding,
            spacer.sizePolicy().verticalPolicy().Preferred,
        )
        tb.addWidget(spacer)
        self.search_box = QLineEdit(tb)
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Find person, project, team (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(260)
        self.completer = QCompleter([], self.search_box)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.search_box.setCompleter(self.completer)
        self.completer.activated.connect(self.search)
        self.search_box.returnPressed.connect(lambda: self.search(self.search_box.text()))
        tb.addWidget(self.search_box)

    def _build_status(self) -> None:
        sb = self.statusBar()
        sb.setObjectName("statusBar")
        self.summary_label = QLabel(sb)
        self.summary_label.setObjectName("summaryLabel")
        self.progress = QProgressBar(sb)
        self.progress.setObjectName("progressBar")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress_label = QLabel(sb)
        self.progress_label.setObjectName("progressLabel")
        # progress messages name input files and sheets: never read them as markup
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QPushButton("Cancel", sb)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip(
            "Stop this work and keep what is shown (Esc in the status bar)"
        )
        self.cancel_button.clicked.connect(self.cancel)
        sb.addPermanentWidget(self.progress_label)
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)
        sb.addPermanentWidget(self.summary_label)
        self._set_busy(False)

    # ================================================================== state <-> widgets
    def _numeric_person_metrics(self) -> list[tuple[str, str]]:
        infos = metric_infos("person")
        if infos:
            return [
                (i.name, i.label)
                for i in infos
                if getattr(i, "fmt", "") in ("int", "float", "percent")
            ]
        people = self.metrics.get("people") or {}
        first = next(iter(people.values()), {})
        return [
            (k, k.replace("_", " "))
            for k, v in first.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)
        ]

    def _fill_metric_choices(self) -> None:
        metrics = self._numeric_person_metrics()
        self.color_combo.clear()
        for key, label in COLOR_MODES.items():
            self.color_combo.addItem(label, key)
        if metrics:
            self.color_combo.insertSeparator(self.color_combo.count())
        for key, label in metrics:
            self.color_combo.addItem(label, key)
        self.size_combo.clear()
        self.size_combo.addItem("Same size", None)
        for key, label in metrics:
            self.size_combo.addItem(label, key)
        # Menu twins of the two combos, for keyboard users.
        for menu, combo, setter in (
            (self.color_menu, self.color_combo, self.set_color_by),
            (self.size_menu, self.size_combo, self.set_size_by),
        ):
            menu.clear()
            group = QActionGroup(menu)
            for i in range(combo.count()):
                text = combo.itemText(i)
                if not text:
                    menu.addSeparator()
                    continue
                act = menu.addAction(text)
                act.setCheckable(True)
                value = combo.itemData(i)
                act.setData(value)
                group.addAction(act)
                act.triggered.connect(lambda _=False, v=value, s=setter: s(v))

    def _apply_state_to_widgets(self) -> None:
        s = self.state
        self._syncing = True
        try:
            self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(s.layout)))
            if s.layout in self.layout_actions:
                self.layout_actions[s.layout].setChecked(True)
            i = self.color_combo.findData(s.color_by)
            self.color_combo.setCurrentIndex(max(0, i))
            i = self.size_combo.findData(s.size_by) if s.size_by else 0
            self.size_combo.setCurrentIndex(max(0, i))
            for menu, value in ((self.color_menu, s.color_by), (self.size_menu, s.size_by)):
                for act in menu.actions():
                    if act.isCheckable():
                        act.setChecked(act.data() == value)
            for kind, act in self.edge_actions.items():
                act.setChecked(kind in s.edge_kinds)
            for kind, act in self.relation_actions.items():
                act.setChecked(kind in s.relations)
            self.k_spin.setValue(s.k)
            self.explorer.set_current_tab(s.explorer_tab)
            if self.explorer.filter_box.text() != s.filter:
                self.explorer.set_filter(s.filter)
        finally:
            self._syncing = False

    def _apply_state_to_canvas(self) -> None:
        s = self.state
        if self.org is None:
            return
        known = set(COLOR_MODES) | {k for k, _ in self._numeric_person_metrics()}
        if s.color_by not in known:
            s.color_by = "team"
        if s.size_by and s.size_by not in known:
            s.size_by = None
        # Each colour or size change recolours every node (half a second at 100k): only
        # ask for what differs from what the canvas already shows.
        if self.canvas.color_by() != s.color_by:
            self.canvas.set_color_by(s.color_by)
        if self.canvas.size_by() != s.size_by:
            self.canvas.set_size_by(s.size_by)
        self.canvas.set_edge_kinds(set(s.edge_kinds))
        self.canvas.set_relations(s.relations)
        self.canvas.set_reach_depth(s.k)
        self._refresh_legend()

    def _refresh_legend(self) -> None:
        legend = self.legend
        if legend is None:
            return
        entries = list(self.canvas.legend_entries())
        if len(entries) > LEGEND_LIMIT:
            more = len(entries) - (LEGEND_LIMIT - 1)
            entries = entries[: LEGEND_LIMIT - 1] + [(f"… and {more:,} more", "#9e9e9e")]
        legend.set_entries(entries, title=self.canvas.color_label())

    # ================================================================== settings setters
    def set_layout(self, kind: str) -> None:
        if kind not in LAYOUTS:
            return
        self.state.layout = kind
        self._apply_state_to_widgets()
        if self.org is None:
            return
        cached = self._positions_by_layout.get(kind)
        if cached is not None:
            self._show_positions(kind, cached, self._scenes_by_layout.get(kind))
            return
        if self._layout_job is not None and self._layout_job.running:
            self._layout_job.cancel()
        job = Job(
            layout_scene,
            self.org,
            kind,
            self.metrics,
            label=f"laying out ({LAYOUTS[kind].lower()})",
        )
        org = self.org
        job.done.connect(lambda result, o=org, k=kind: self._on_layout_done(o, k, *result))
        job.failed.connect(
            lambda exc: self.show_error("Layout failed", f"{type(exc).__name__}: {exc}")
        )
        self._layout_job = job
        self._run_job(job)

    def _on_layout_done(self, org: Any, kind: str, positions: dict, scene: Any = None) -> None:
        if org is not self.org:
            return
        self._positions_by_layout[kind] = positions
        self._scenes_by_layout[kind] = scene
        if self.state.layout == kind:
            self._show_positions(kind, positions, scene)

    def _set_canvas_graph(self, positions: dict, scene: Any = None) -> None:
        """Hand the canvas a scene built off the GUI thread when there is one."""
        if scene is not None:
            self.canvas.set_scene(scene)
            if scene.metrics is not self.metrics:  # metrics recomputed since
                self.canvas.set_metrics(self.metrics)
        else:
            self.canvas.set_graph(self.org, positions, self.metrics)

    def _show_positions(self, kind: str, positions: dict, scene: Any = None) -> None:
        self.positions = positions
        selection = self.state.selection
        self._set_canvas_graph(positions, scene)
        self._apply_state_to_canvas()
        self.canvas.fit()
        if selection and self.org.graph.has_node(selection):
            self._select(selection, center=False)
        self.layoutApplied.emit(kind)

    def set_color_by(self, mode: str) -> None:
        if not mode:
            return
        self.state.color_by = mode
        self._apply_state_to_widgets()
        if self.org is not None:
            self.canvas.set_color_by(mode)
            self._refresh_legend()

    def set_size_by(self, metric: str | None) -> None:
        self.state.size_by = metric or None
        self._apply_state_to_widgets()
        if self.org is not None:
            self.canvas.set_size_by(self.state.size_by)
            self._refresh_legend()

    def set_edge_kinds(self, kinds: set[str] | list[str]) -> None:
        self.state.edge_kinds = [k for k in ALL_EDGE_KINDS if k in set(kinds)]
        self._apply_state_to_widgets()
        if self.org is not None:
            self.canvas.set_edge_kinds(set(self.state.edge_kinds))

    def _on_edge_toggled(self, kind: str, on: bool) -> None:
        if self._syncing:
            return
        kinds = set(self.state.edge_kinds)
        kinds.add(kind) if on else kinds.discard(kind)
        self.set_edge_kinds(kinds)

    def _on_relation_toggled(self, kind: str, on: bool) -> None:
        if self._syncing:
            return
        chosen = set(self.state.relations)
        chosen.add(kind) if on else chosen.discard(kind)
        if not chosen:  # nothing counted would leave every metric empty
            self._syncing = True
            self.relation_actions[kind].setChecked(True)
            self._syncing = False
            return
        self.set_relations(chosen)

    def set_relations(self, relations: set[str] | list[str]) -> Job | None:
        """Count only these relations in the metrics; recomputes them in the background."""
        self.state.relations = [r for r in ALL_RELATIONS if r in set(relations)]
        self._apply_state_to_widgets()
        self.canvas.set_relations(self.state.relations)
        if self.org is None:
            return None
        from orgmap.gui.pipeline import SUBPROCESS_BYTES, input_bytes, load_pipeline, metrics_for

        org, chosen = self.org, list(self.state.relations)
        if self.sources and input_bytes(self.sources) > SUBPROCESS_BYTES:
            # A large org: the helper process recomputes (betweenness would hold the GIL
            # for a second here); it re-reads the sources, this org is kept as it is.
            job = Job(
                load_pipeline,
                list(self.sources),
                dict(self.mapping),
                self.state.layout,
                org,
                relations=chosen,
                label="computing metrics",
            )
            job.done.connect(lambda res, o=org, r=chosen: self._on_metrics(o, r, res.metrics))
        else:
            job = Job(metrics_for, org, relations=chosen, label="computing metrics")
            job.done.connect(lambda m, o=org, r=chosen: self._on_metrics(o, r, m))
        job.failed.connect(
            lambda exc: self.show_error("Metrics failed", f"{type(exc).__name__}: {exc}")
        )
        self._export_jobs.append(job)
        self._run_job(job)
        return job

    def _on_metrics(self, org: Any, relations: list[str], metrics: dict[str, Any]) -> None:
        if org is not self.org or relations != self.state.relations:
            return
        self.metrics = metrics
        self._syncing = True
        try:
            # the rows' order was sorted by the old metrics: let the explorer sort again
            rows = dict(self._rows, presorted=False) if self._rows else None
            self.explorer.set_org(org, metrics, rows)
            self.explorer.set_current_tab(self.state.explorer_tab)
            self.explorer.set_filter(self.state.filter)
        finally:
            self._syncing = False
        self.canvas.set_metrics(metrics)
        if self.state.selection:
            self._after_selection(self.state.selection)
        self.metricsChanged.emit()

    def set_reach_depth(self, k: int) -> None:
        if self._syncing:
            return
        self.state.k = int(k)
        if self.k_spin.value() != k:
            self._syncing = True
            self.k_spin.setValue(k)
            self._syncing = False
        self.canvas.set_reach_depth(int(k))
        if self.state.selection:
            self._after_selection(self.state.selection)

    def _on_tab_changed(self, key: str) -> None:
        if not self._syncing:
            self.state.explorer_tab = key

    def _on_filter_changed(self, text: str) -> None:
        if not self._syncing:
            self.state.filter = text

    # ================================================================== selection
    def select_node(self, node: str | None, center: bool = False) -> None:
        """Select a node (or clear with None) everywhere: canvas, explorer, inspector."""
        if node and (self.org is None or not self.org.graph.has_node(node)):
            return
        self._select(node, center)

    def _select(self, node: str | None, center: bool) -> None:
        self.state.selection = node or None
        self._syncing = True
        try:
            self.canvas.select(node or None)
        finally:
            self._syncing = False
        self._after_selection(node or None)
        if center and node and node in self.positions:
            self.canvas.center_on(node)

    def _on_canvas_selection(self, node: str) -> None:
        if self._syncing:
            return
        node = node or None
        self.state.selection = node
        self._after_selection(node)

    def _after_selection(self, node: str | None) -> None:
        org = self.org
        kind = org.graph.nodes[node].get("kind") if org is not None and node else None
        reach = self._reach_summary(node) if kind == "person" else None
        self.inspector.show_node(org, self.metrics, node, reach)
        self.explorer.show_node(node, kind)
        if node is None or org is None:
            self.statusBar().clearMessage()
            return
        if kind in ("project", "team", "department"):
            lit = lit_set(org, node)
            self.canvas.highlight(lit, focus=node)
            people = sum(1 for n in lit if org.graph.nodes[n].get("kind") == "person")
            self.statusBar().showMessage(f"{org.label(node)}: {people:,} people lit up")
        elif reach is not None:
            k, people, teams, depts = reach
            where = (
                f", in {teams:,} team{'s' if teams != 1 else ''}"
                if teams
                else f", in {depts:,} department{'s' if depts != 1 else ''}"
                if depts
                else ""
            )
            self.statusBar().showMessage(
                f"{org.label(node)}: {people:,} people within {k} step{'s' if k != 1 else ''}{where}"
            )

    def _reach_summary(self, node: str) -> tuple[int, int, int, int] | None:
        """(k, people, teams, departments) within k steps of a person, themselves excluded."""
        found = lit_set(self.org, node, self.state.k, self.state.relations) - {node}
        nodes = self.org.graph.nodes
        teams = {nodes[p].get("team") for p in found} - {None, ""}
        depts = {nodes[p].get("department") for p in found} - {None, ""}
        return self.state.k, len(found), len(teams), len(depts)

    def center_selection(self) -> None:
        if self.state.selection and self.state.selection in self.positions:
            self.canvas.center_on(self.state.selection)

    def fit(self) -> None:
        self.canvas.fit()

    def _on_hover(self, node: str) -> None:
        if node and self.org is not None and self.org.graph.has_node(node):
            d = self.org.graph.nodes[node]
            bits = [self.org.label(node)] + [str(d[k]) for k in ("title", "team") if d.get(k)]
            self.statusBar().showMessage(" · ".join(bits), 3000)

    # ================================================================== search
    def _build_search_index(self, index: dict[str, str] | None = None) -> None:
        from orgmap.gui.pipeline import search_index

        if index is None:
            index = search_index(self.org) if self.org is not None else {}
        self._search_index = index
        self.completer.model().setStringList(sorted(index, key=str.casefold))

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def focus_filter(self) -> None:
        self.explorer_dock.show()
        self.explorer.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.explorer.filter_box.selectAll()

    def find(self, text: str) -> str | None:
        """The node a search text names: a completion, an id/email/name, or the best match."""
        text = text.strip()
        if not text or self.org is None:
            return None
        if text in self._search_index:
            return self._search_index[text]
        hits = self.org.find_person(text)
        if hits:
            return hits[0]
        folded = text.casefold()
        for label, node in self._search_index.items():
            if label.casefold().startswith(folded):
                return node
        for label, node in self._search_index.items():
            if folded in label.casefold():
                return node
        return None

    def search(self, text: str) -> str | None:
        """Find ``text``, select it and centre the view on it; returns the node or None."""
        node = self.find(text)
        if node is None:
            if text.strip():
                self.statusBar().showMessage(f"Nothing matches “{text.strip()}”", 4000)
            return None
        self.select_node(node, center=True)
        return node

    # ================================================================== loading
    def _run_job(self, job: Job) -> None:
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_job_finished)
        self._set_busy(True, job.label)
        job.start()

    def _running_jobs(self) -> list[Job]:
        return [
            j
            for j in (self._job, self._layout_job, *self._export_jobs)
            if j is not None and j.running
        ]

    @property
    def busy(self) -> bool:
        return bool(self._running_jobs())

    def _on_job_finished(self) -> None:
        self._export_jobs = [j for j in self._export_jobs if j.running]
        running = self._running_jobs()
        self._set_busy(bool(running), running[0].label if running else "")

    def _set_busy(self, busy: bool, label: str = "") -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress_label.setVisible(busy)
        if busy:
            self.progress_label.setText(label.capitalize() + "…" if label else "Working…")
            self.progress.setValue(0)
        self.busyChanged.emit(busy)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        if message:
            self.progress_label.setText(message[:60])

    def cancel(self) -> None:
        """Stop the running work; what is shown stays as it was."""
        for job in self._running_jobs():
            job.cancel()
        self.progress_label.setText("Cancelling…")

    def open_files(
        self, paths: list[str] | list[Path], mapping: dict[str, str] | None = None, org: Any = None
    ) -> None:
        """Load ``paths`` (with ``mapping``) in the background and show them when done."""
        paths = [str(Path(p).expanduser().resolve()) for p in paths]
        if not paths:
            return
        if self._job is not None and self._job.running:
            self._job.cancel()  # the newest request wins
        self._stop_helper()
        layout = self._pending_view.layout if self._pending_view else self.state.layout
        relations = (self._pending_view or self.state).relations
        names = ", ".join(Path(p).name for p in paths)
        job = Job(
            load_pipeline,
            paths,
            dict(mapping or {}),
            layout,
            org,
            relations=list(relations),
            keep_helper=True,
            label=f"opening {names}",
        )
        job.done.connect(self._on_loaded)
        job.failed.connect(lambda exc, n=names: self._on_load_failed(n, exc))
        job.cancelled.connect(self._on_load_cancelled)
        self._job = job
        self._run_job(job)

    def reload(self) -> None:
        if self.sources:
            self._pending_view = self.view_state()
            self.open_files(self.sources, self.mapping)

    def open_sample(self) -> None:
        self.open_named_sample(DEFAULT_SAMPLE)

    def open_named_sample(self, name: str) -> None:
        """Open one of the bundled samples (``orgmap sample --list`` names them)."""
        path = sample_path(name)
        if not path.exists():
            self.show_error("Sample not found", f"The bundled sample is missing: {path}")
            return
        self.open_files([str(path)])

    def _on_load_cancelled(self) -> None:
        self._pending_view = None
        self.statusBar().showMessage("Cancelled; the map shows what was loaded before.", 6000)
        self.loadFinished.emit("cancelled")

    def _on_load_failed(self, names: str, exc: BaseException) -> None:
        self._pending_view = None
        self.show_error(
            "Could not open the data", f"Could not open {names}:\n{type(exc).__name__}: {exc}"
        )
        self.loadFinished.emit("failed")

    def _on_loaded(self, result: Loaded) -> None:
        self.workDone.emit()
        org = result.org
        unreadable = [i for i in org.issues if i.severity == "fatal"]
        if unreadable:
            lines = "\n".join(f"• {i.file}: {i.message}" for i in unreadable)
            self.show_error(
                "Some files could not be read",
                f"{len(unreadable)} file(s) could not be read:\n{lines}",
            )
        if not org.people() and (self.org is not None or unreadable):
            if result.helper is not None:
                result.helper.stop()
            # Nothing usable came in: keep what was shown before.
            if not unreadable:
                self.show_error(
                    "No people found", "No table in these files was recognised as people data."
                )
            self._pending_view = None
            self.loadFinished.emit("kept")
            return
        replaced = self.org is not None
        self.org = org
        self.metrics = result.metrics or {}
        self.sources = result.sources
        self.mapping = result.mapping
        self._positions_by_layout = {result.layout: result.positions}
        self._scenes_by_layout = {result.layout: result.scene}
        self.positions = result.positions
        pending, self._pending_view = self._pending_view, None
        view = pending or self.state
        if pending is None:
            view.selection = None
        self.state = view
        self.state.layout = result.layout
        if pending is None and view.color_by == "team" and not org.teams() and org.departments():
            # Data with departments but no teams (an HR extract, Krackhardt's survey):
            # colouring by team would paint everyone the same grey.
            view.color_by = "department"
        self._fill_metric_choices()
        self._rows = result.rows
        self._syncing = True
        try:
            self.explorer.set_org(org, self.metrics, result.rows)
        finally:
            self._syncing = False
        self.issues_model = IssuesModel(org.issues)
        self.issues_proxy.setSourceModel(self.issues_model)
        for c, w in enumerate((70, 160, 110, 50, 110)):
            self.issues_view.setColumnWidth(c, w)
        # Errors first, then warnings, each in sheet and row order.
        self.issues_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self._update_issue_summary()
        self._build_search_index((result.rows or {}).get("search"))
        self._set_canvas_graph(self.positions, result.scene)
        self._apply_state_to_widgets()
        self._apply_state_to_canvas()
        self._leave_welcome()
        self.stack.setCurrentIndex(1)
        self.canvas.fit()
        sel = self.state.selection
        if sel and org.graph.has_node(sel):
            self._select(sel, center=False)
        else:
            self.state.selection = None
            self._after_selection(None)
        if pending is not None:
            self._set_canvas_view(pending.zoom, pending.center)
        self._update_summary()
        self._add_recent(self.sources, self.mapping)
        self._update_title()
        is_sample = len(self.sources) == 1 and Path(self.sources[0]) == sample_path()
        is_real_sample = len(self.sources) == 1 and Path(self.sources[0]) == sample_path(
            "krackhardt"
        )
        if is_sample:
            self.banner_label.setText(
                "You are exploring a synthetic sample organisation. Open your own spreadsheets "
                "with Ctrl+O or drop them on this window."
            )
        elif is_real_sample:
            self.banner_label.setText(
                "You are exploring real data: Krackhardt's 21 high-tech managers (Social "
                "Networks, 1987), who reports to, asks advice of and is friends with whom. "
                "Open your own spreadsheets with Ctrl+O."
            )
        is_sample = is_sample or is_real_sample
        self.banner.setVisible(is_sample)
        if result.metrics_error:
            self.statusBar().showMessage(f"Metrics unavailable: {result.metrics_error}", 10000)
        self._update_enabled()
        if result.helper is not None:
            self._collect_other_layouts(org, result.helper)
        from orgmap.gui.pipeline import tidy_memory

        if replaced:
            # The org shown before is garbage now (frozen, so no collection would see
            # it): one collection once the new map is up.
            QTimer.singleShot(1500, tidy_memory)
        self.loadFinished.emit("done")
        self.loaded.emit()

    def _collect_other_layouts(self, org: Any, helper: Any) -> None:
        """Receive, in the background, the layouts the helper process goes on computing;
        switching to them is then instant. No progress bar: nothing waits for this."""
        job = Job(helper.other_layouts, org, self.metrics, label="")
        job.done.connect(lambda found, o=org: self._on_other_layouts(o, found))
        self._helper_job = job
        job.start()

    def _on_other_layouts(self, org: Any, found: dict[str, tuple[dict, Any]]) -> None:
        if org is not self.org:
            return
        for kind, (positions, scene) in found.items():
            if kind not in self._positions_by_layout:
                self._positions_by_layout[kind] = positions
                self._scenes_by_layout[kind] = scene
        self.otherLayoutsReady.emit(sorted(found))

    def _stop_helper(self) -> None:
        if self._helper_job is not None and self._helper_job.running:
            self._helper_job.cancel()
        self._helper_job = None

    def _update_summary(self) -> None:
        if self.org is None:
            self.summary_label.setText("")
            return
        c = (self._rows or {}).get("counts") or self.org.counts()
        self.summary_label.setText(
            f"{c['people']:,} people · {c['teams']:,} teams · {c['departments']:,} departments · "
            f"{c['projects']:,} projects"
        )

    def _update_issue_summary(self) -> None:
        counts = {"fatal": 0, "error": 0, "warning": 0, "info": 0}
        for issue in self.issues_model.issues:
            counts[issue.severity] = counts.get(issue.severity, 0) + 1
        errors = counts["fatal"] + counts["error"]
        if not self.issues_model.issues:
            self.issues_summary.setText("No import issues: every row was read cleanly.")
        else:
            self.issues_summary.setText(
                f"{errors:,} error{'s' if errors != 1 else ''} (rows rejected or files unreadable), "
                f"{counts['warning']:,} warning{'s' if counts['warning'] != 1 else ''} (rows kept), "
                f"{counts['info']:,} note{'s' if counts['info'] != 1 else ''} (rows kept off the "
                "map on purpose, each saying why). "
                "Double-click or press Enter on an issue to see where it is."
            )
        self.issues_dock.setWindowTitle(f"Issues ({len(self.issues_model.issues):,})")

    def _update_title(self) -> None:
        names = ", ".join(Path(p).name for p in self.sources) or "no data"
        if self.session_path:
            names = f"{self.session_path.name} — {names}"
        self.setWindowTitle(f"{names} — orgmap")

    def _update_enabled(self) -> None:
        has = self.org is not None
        for act in (
            self.act_save,
            self.act_save_as,
            self.act_reload,
            self.act_fit,
            self.act_zoom_in,
            self.act_zoom_out,
            self.act_center,
            self.act_find,
        ):
            act.setEnabled(has)
        self.export_menu.setEnabled(has)
        self.export_button.setEnabled(has)
        html_ok = _module_available("orgmap.html_export")
        for kind, act in self.export_actions.items():
            act.setEnabled(has and (kind != "html" or html_ok))

    # ================================================================== issues
    def _on_issue_activated(self, index: Any) -> None:
        if not index.isValid():
            return
        issue = self.issues_model.issue(self.issues_proxy.mapToSource(index).row())
        self.show_issue(issue)

    def show_issue(self, issue: Any) -> None:
        """Show where an issue is (file, sheet, row, column) and select the row's node."""
        parts = [f"File: {issue.file}"]
        if issue.sheet:
            parts.append(f"Sheet: {issue.sheet}")
        if issue.row is not None:
            parts.append(f"Row: {issue.row}")
        if issue.column:
            parts.append(f"Column: {issue.column}")
        where = "   ".join(parts)
        self.issue_detail.setText(f"{where}\n{issue.severity.capitalize()}: {issue.message}")
        self.statusBar().showMessage(where, 8000)
        node = self._node_from_row(issue)
        if node:
            self.select_node(node, center=True)

    def _node_from_row(self, issue: Any) -> str | None:
        if self.org is None or issue.row is None:
            return None
        for node, d in self.org.graph.nodes(data=True):
            if (
                d.get("source_row") == issue.row
                and d.get("source_sheet") == issue.sheet
                and Path(str(d.get("source_file", ""))).name == Path(str(issue.file)).name
            ):
                return node
        return None

    # ================================================================== opening dialogs
    def action_open_dialog(self) -> None:
        paths = self.chooser.open_paths(self)
        if paths:
            self.open_paths(paths)

    def open_paths(self, paths: list[str]) -> None:
        """What Open and drag-and-drop do: a session opens directly, data goes through the
        import dialog."""
        sessions = [p for p in paths if str(p).lower().endswith(SESSION_SUFFIX)]
        if sessions:
            self.open_session(sessions[0])
            return
        self.show_import_dialog(paths)

    def show_import_dialog(self, paths: list[str], mapping: dict[str, str] | None = None) -> Any:
        from orgmap.gui.import_dialog import ImportDialog

        if self.import_dialog is not None:
            self.import_dialog.close()
        dialog = ImportDialog([str(p) for p in paths], mapping, self)
        dialog.accepted.connect(lambda d=dialog: self._import_accepted(d))
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _import_accepted(self, dialog: Any) -> None:
        self._pending_view = None
        self.session_path = None
        self.open_files(dialog.paths, dialog.mapping(), org=dialog.org_if_current())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # ================================================================== recent files
    def recent(self) -> list[dict[str, Any]]:
        raw = self.settings.value("recent", "[]")
        try:
            entries = json.loads(raw if isinstance(raw, str) else "[]")
        except json.JSONDecodeError:
            return []
        return [e for e in entries if isinstance(e, dict) and isinstance(e.get("sources"), list)]

    def _add_recent(
        self, sources: list[str], mapping: dict[str, str], session: str | None = None
    ) -> None:
        entry = {"sources": list(sources), "mapping": dict(mapping)}
        if self.session_path:
            entry = {
                "session": str(self.session_path),
                "sources": list(sources),
                "mapping": dict(mapping),
            }
        entries = [
            e
            for e in self.recent()
            if e.get("sources") != entry["sources"] or e.get("session") != entry.get("session")
        ]
        entries.insert(0, entry)
        self.settings.setValue("recent", json.dumps(entries[:MAX_RECENT]))
        self.settings.sync()
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        entries = self.recent()
        for i, entry in enumerate(entries):
            label = self._recent_label(entry)
            act = self.recent_menu.addAction(f"&{i + 1}  {label}" if i < 9 else label)
            act.setData(i)
            act.triggered.connect(lambda _=False, e=entry: self._open_recent_entry(e))
        if not entries:
            act = self.recent_menu.addAction("No recent files")
            act.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear the list", self._clear_recent)
        self.welcome.set_recent([(self._recent_label(e), e) for e in entries])

    @staticmethod
    def _recent_label(entry: dict[str, Any]) -> str:
        if entry.get("session"):
            return Path(entry["session"]).name
        return ", ".join(Path(p).name for p in entry.get("sources", [])) or "?"

    def _clear_recent(self) -> None:
        self.settings.setValue("recent", "[]")
        self._refresh_recent()

    def _open_recent_entry(self, entry: dict[str, Any]) -> None:
        if entry.get("session"):
            self.open_session(entry["session"])
            return
        missing = [p for p in entry.get("sources", []) if not Path(p).exists()]
        if missing:
            self.show_error("File not found", "These files are gone:\n" + "\n".join(missing))
            return
        self.session_path = None
        self.open_files(entry["sources"], entry.get("mapping") or {})

    # ================================================================== sessions
    def view_state(self) -> ViewState:
        """The current view as a Qt-free state object (what a session saves)."""
        zoom, center = self._canvas_view()
        s = self.state
        return ViewState(
            layout=s.layout,
            color_by=s.color_by,
            size_by=s.size_by,
            edge_kinds=list(s.edge_kinds),
            k=s.k,
            selection=s.selection,
            relations=list(s.relations),
            zoom=zoom,
            center=center,
            explorer_tab=self.explorer.current_tab(),
            filter=self.explorer.filter_box.text(),
            moved_positions={k: dict(v) for k, v in s.moved_positions.items()},  # map
        )

    def _canvas_view(self) -> tuple[float, tuple[float, float]]:
        zoom, center = self.canvas.view_state()
        return float(zoom), (float(center[0]), float(center[1]))

    def _set_canvas_view(self, zoom: float, center: tuple[float, float]) -> None:
        self.canvas.set_view(zoom, center)

    def session(self) -> Session:
        return Session(
            sources=list(self.sources), mapping=dict(self.mapping), view=self.view_state()
        )

    def save_session(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() != SESSION_SUFFIX:
            path = path.with_name(path.name + SESSION_SUFFIX)
        self.session().save(path)
        self.session_path = path
        self._add_recent(self.sources, self.mapping)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return path

    def open_session(self, path: str | Path) -> None:
        try:
            session = Session.load(path)
        except SessionError as exc:
            self.show_error("Could not open the session", str(exc))
            return
        missing = [p for p in session.sources if not Path(p).exists()]
        if missing:
            self.show_error(
                "Session sources missing", "These files are gone:\n" + "\n".join(missing)
            )
            if len(missing) == len(session.sources):
                return
        self.session_path = Path(path)
        self._pending_view = session.view
        self.open_files([p for p in session.sources if p not in missing], session.mapping)

    def action_save(self) -> None:
        if self.session_path is not None:
            self.save_session(self.session_path)
        else:
            self.action_save_as()

    def action_save_as(self) -> None:
        if self.org is None:
            return
        stem = Path(self.sources[0]).stem if self.sources else "org"
        path = self.chooser.save_path(
            self, "Save session", "orgmap session (*.orgmap)", stem + SESSION_SUFFIX
        )
        if path:
            try:
                self.save_session(path)
            except OSError as exc:
                self.show_error("Could not save", f"{path}: {exc.strerror or exc}")

    def export_mapping(self, path: str | Path) -> Path:
        """Write the column mapping as the JSON ``--mapping`` reads."""
        from orgmap.safety import atomic_write_text

        target = Path(path)
        atomic_write_text(target, json.dumps(dict(self.mapping), indent=2, sort_keys=True) + "\n")
        return target

    def action_export_mapping(self) -> None:
        stem = Path(self.sources[0]).stem if self.sources else "org"
        path = self.chooser.save_path(
            self, "Export column mapping", "JSON (*.json)", stem + "-mapping.json"
        )
        if path:
            try:
                self.export_mapping(path)
            except OSError as exc:
                self.show_error("Could not save", f"{path}: {exc.strerror or exc}")

    # ================================================================== export
    def action_export(self, kind: str) -> None:
        if self.org is None:
            return
        label, file_filter, suffix = EXPORTS[kind]
        stem = Path(self.sources[0]).stem if self.sources else "org"
        path = self.chooser.save_path(self, label.rstrip("…"), file_filter, stem + suffix)
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.export(kind, path)

    def show_metrics_help(self) -> QWidget:
        """Help > Metrics: every metric with its definition and source (non-blocking)."""
        from orgmap.gui.help import MetricsDialog

        dialog = MetricsDialog(self)
        dialog.show()
        self.metrics_dialog = dialog
        return dialog

    def action_export_profile(self) -> None:
        node = self.state.selection
        if self.org is None or not node or self.org.graph.nodes[node].get("kind") != "person":
            self.statusBar().showMessage("Select a person to export their profile", 6000)
            return
        stem = f"profile-{self.org.graph.nodes[node].get('id') or 'person'}"
        path = self.chooser.save_path(
            self, "Export profile", "HTML page (*.html);;PDF document (*.pdf)", stem + ".html"
        )
        if path:
            if not path.lower().endswith((".html", ".pdf")):
                path += ".html"
            self.export_profile(node, path)

    def export_profile(self, node: str, path: str | Path) -> Path | None:
        """Write ``node``'s impact profile (HTML or PDF by suffix) with their reach on the
        map; emits ``exported("profile", path)``."""
        from orgmap.gui.help import export_profile, reach_picture

        if self.org is None or not self.metrics.get("people"):
            return None
        org, metrics, positions = self.org, self.metrics, dict(self.positions)
        try:
            if self.anonymize_exports:  # the profile leaves the app: pseudonyms, like any export
                org, metrics, positions, mapping = self._anonymized()
                node = mapping.get(node, node)
            picture = reach_picture(self.canvas, org, positions, metrics, node, self.state.k)
            out = export_profile(org, metrics, node, path, picture)
        except OSError as exc:
            self.show_error(
                "Export failed", f"Could not write {path}:\n{type(exc).__name__}: {exc}"
            )
            return None
        self._exported("profile", str(out))
        return out

    @property
    def anonymize_exports(self) -> bool:
        return self.act_anonymize.isChecked()

    def export_salt(self) -> str:
        """This installation's secret salt: pseudonyms are stable between exports made
        here, and nobody without the salt can recompute who is who."""
        salt = str(self.settings.value("export/salt", "") or "")
        if not salt:
            import secrets

            salt = secrets.token_hex(16)
            self.settings.setValue("export/salt", salt)
        return salt

    def _on_anonymize_toggled(self, on: bool) -> None:
        self.settings.setValue("export/anonymize", bool(on))
        self.statusBar().showMessage(
            "Exports now use pseudonyms for names, emails and ids"
            if on
            else "Exports show real names",
            5000,
        )

    def _anonymized(self) -> tuple[Any, dict[str, Any], dict[str, tuple[float, float]], dict]:
        from orgmap.anonymize import prepare

        anon = prepare(
            self.org, self.metrics, self.export_salt(), self.export_min_group(), self.positions
        )
        self.last_anonymization = anon.summary
        return anon.org, anon.metrics or {}, anon.positions or {}, anon.mapping

    def export_min_group(self) -> int:
        """k of anonymized exports: every combination of title, level, team, location
        and start date shown is shared by at least this many people."""
        from orgmap.anonymize import DEFAULT_MIN_GROUP

        k = self.settings.value("export/min_group", DEFAULT_MIN_GROUP, type=int)
        return max(1, int(k or DEFAULT_MIN_GROUP))

    def _anonymized_canvas(self) -> QWidget:
        """An offscreen twin of the canvas showing pseudonyms, same view and settings."""
        anon, metrics, positions, mapping = self._anonymized()
        twin = type(self.canvas)()
        twin.resize(self.canvas.size())
        twin.set_graph(anon, positions, metrics)
        twin.set_color_by(self.state.color_by)
        twin.set_size_by(self.state.size_by)
        twin.set_edge_kinds(set(self.state.edge_kinds))
        twin.set_reach_depth(self.state.k)
        if self.state.selection:
            twin.select(mapping.get(self.state.selection))
        zoom, center = self._canvas_view()
        twin.set_view(zoom, center)
        return twin

    def export(self, kind: str, path: str | Path) -> Job | None:
        """Write the current org or view as ``kind`` to ``path``; emits ``exported`` when done.

        PNG and SVG draw the canvas now (on the GUI thread, as painting must); the others
        run on the thread pool. With *Anonymize exports* on, every format carries
        pseudonyms instead of names, emails and ids. Returns the job, if any.
        """
        path = str(path)
        org, metrics = self.org, self.metrics
        if org is None:
            return None
        anonymize = self.anonymize_exports
        try:
            if kind in ("png", "svg"):
                canvas = self._anonymized_canvas() if anonymize else self.canvas
                try:
                    canvas.to_png(path) if kind == "png" else canvas.to_svg(path)
                finally:
                    if canvas is not self.canvas:
                        canvas.deleteLater()
                self._exported(kind, path)
                return None
        except Exception as exc:
            self.show_error(
                "Export failed", f"Could not write {path}:\n{type(exc).__name__}: {exc}"
            )
            return None
        positions = dict(self.positions)
        title = ", ".join(Path(p).stem for p in self.sources) or "orgmap"
        if anonymize:
            title = "orgmap (anonymized)"
        salt, k = (self.export_salt(), self.export_min_group()) if anonymize else ("", 0)

        def work(progress: Any = None, cancel: Any = None) -> str:
            nonlocal org, metrics, positions
            if anonymize:
                # every format gets the same pseudonymised, generalised copy, made here
                # off the GUI thread (seconds at 100k people)
                from orgmap.anonymize import prepare

                anon = prepare(org, metrics, salt, k, positions)
                org, metrics, positions = anon.org, anon.metrics or {}, anon.positions or {}
                self.last_anonymization = anon.summary
            if kind == "html":
                from orgmap.html_export import write_html

                write_html(
                    org,
                    path,
                    view="people",
                    metrics=metrics,
                    positions=positions,
                    force=True,
                    title=f"{title}: orgmap" if not anonymize else title,
                )
            elif kind == "xlsx":
                from orgmap.report import write_report

                write_report(org, metrics, path)
            elif kind in ("graphml", "gexf"):
                from orgmap.export import export_graph

                export_graph(org, path, metrics=metrics)
            else:
                raise ValueError(f"unknown export {kind!r}")
            return path

        job = Job(work, label=f"exporting {Path(path).name}")
        job.done.connect(lambda p, k=kind: self._exported(k, p))
        job.failed.connect(
            lambda exc, p=path: self.show_error(
                "Export failed", f"Could not write {p}:\n{type(exc).__name__}: {exc}"
            )
        )
        self._export_jobs.append(job)
        self._run_job(job)
        return job

    def _exported(self, kind: str, path: str) -> None:
        note = ""
        if self.anonymize_exports and getattr(self, "last_anonymization", None) is not None:
            note = f" ({self.last_anonymization.lines()[0]})"
        self.statusBar().showMessage(f"Exported {path}{note}", 10000)
        self.exported.emit(kind, path)

    # ================================================================== messages
    def show_error(self, title: str, text: str) -> QMessageBox:
        """A non-blocking warning dialog (plain text: file names are never markup)."""
        self.last_error = text
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.error_box = box
        self.errorShown.emit(text)
        return box

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About orgmap",
            f"<b>orgmap {html.escape(getattr(orgmap, '__version__', ''))}</b><p>Map how influence "
            "flows through an organization, from the spreadsheets it already has.</p>"
            "<p>Everything stays on this computer: orgmap never uses the network.</p>",
        )

    def show_shortcuts(self) -> None:
        rows = []
        seen = set()
        for act in self.actions():
            key = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            text = act.text().replace("&", "")
            if key and text and (text, key) not in seen:
                seen.add((text, key))
                rows.append(
                    f"<tr><td><b>{html.escape(key)}</b></td><td>{html.escape(text)}</td></tr>"
                )
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText("<table cellpadding='3'>" + "".join(rows) + "</table>")
        box.open()

    # ================================================================== window state
    def _restore_window(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        # The welcome page stands alone: empty panels around it say nothing. They come
        # back, as the user left them, with the first org.
        self._dock_state = self.saveState()
        for dock in self._docks():
            dock.hide()
        self._welcome_mode = True

    def _docks(self) -> list[QDockWidget]:
        return [
            d
            for d in (self.explorer_dock, self.inspector_dock, self.issues_dock, self.legend_dock)
            if d
        ]

    def _leave_welcome(self) -> None:
        if self._welcome_mode:
            self._welcome_mode = False
            self.restoreState(self._dock_state)

    def save_window_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        # On the welcome page the panels are hidden only for show: keep their saved state.
        state = self._dock_state if self._welcome_mode else self.saveState()
        self.settings.setValue("window/state", state)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        for job in self._running_jobs():
            job.cancel()
        self._stop_helper()
        self.save_window_settings()
        from orgmap.gui.workers import wait_for_jobs

        wait_for_jobs(5000)
        super().closeEvent(event)

    def first_run(self) -> bool:
        return not bool(self.settings.value("first_run_done", False, type=bool))

    def start(self, files: list[str] | None = None) -> None:
        """What the app does on launch: open ``files``; on the very first run, the sample."""
        if files:
            sessions = [f for f in files if str(f).lower().endswith(SESSION_SUFFIX)]
            if sessions:
                self.open_session(sessions[0])
            else:
                self.open_files(files)
        elif self.first_run() and sample_path().exists():
            self.open_sample()
        self.settings.setValue("first_run_done", True)
        QTimer.singleShot(0, self._update_enabled)
