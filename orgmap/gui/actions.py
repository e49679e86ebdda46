"""The window's actions, menus, toolbar and status bar, built once.

Like a Designer ``setupUi``: each ``build_*`` creates widgets and actions as named
attributes of the window (``win.act_open``, ``win.layout_combo``...) and connects them
to the window's setters; what the widgets then show follows the view state through
:mod:`orgmap.gui.bind`. Every action is in the window too, so its shortcut works even
with the menu bar hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QToolBar,
    QToolButton,
    QWidget,
)

from orgmap.gui.bind import bind_choice, bind_combo, bind_members, bind_menu_choice, bind_spin
from orgmap.gui.help import about, show_shortcuts
from orgmap.gui.jobs import JobRunner
from orgmap.gui.models import metric_infos
from orgmap.gui.state import ALL_EDGE_KINDS, ALL_RELATIONS, COLOR_MODES, LAYOUTS

if TYPE_CHECKING:
    from orgmap.gui.window import MainWindow

__all__ = [
    "build_actions",
    "build_menus",
    "build_toolbar",
    "build_status",
    "bind_state",
    "fill_metric_choices",
]

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


def make_action(
    win,
    text: str,
    slot: Callable[..., Any] | None = None,
    shortcut: QKeySequence | str | QKeySequence.StandardKey | None = None,
    tip: str = "",
    checkable: bool = False,
    name: str = "",
) -> QAction:
    action = QAction(text, win)
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
    win.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


def build_actions(win: MainWindow) -> None:
    A = partial(make_action, win)
    win.act_open = A(
        "&Open…",
        win.opener.action_open_dialog,
        QKeySequence.StandardKey.Open,
        "Open spreadsheets, folders or a saved session",
        name="actOpen",
    )
    win.act_sample = A(
        "Open the &sample organisation", win.open_sample, "Ctrl+Shift+O", name="actSample"
    )
    win.act_save = A(
        "&Save session",
        win.opener.action_save,
        QKeySequence.StandardKey.Save,
        "Save the sources, mapping and view as an .orgmap file",
        name="actSave",
    )
    win.act_save_as = A(
        "Save session &as…", win.opener.action_save_as, "Ctrl+Shift+S", name="actSaveAs"
    )
    win.act_reload = A(
        "&Reload data", win.opener.reload, "F5", "Read the source files again", name="actReload"
    )
    win.act_export_mapping = A(
        "Export column &mapping…",
        win.exports.action_export_mapping,
        None,
        "Save the column mapping as JSON (the file `orgmap --mapping` reads)",
        name="actExportMapping",
    )
    win.act_quit = A("&Quit", win.close, "Ctrl+Q", name="actQuit")
    win.export_actions: dict[str, QAction] = {}
    export_keys = {
        "html": "Ctrl+E",
        "png": "Ctrl+Shift+P",
        "svg": "Ctrl+Shift+G",
        "xlsx": "Ctrl+Shift+X",
        "graphml": "Ctrl+Shift+M",
        "gexf": "Ctrl+Shift+F",
    }
    for kind, (label, _f, _s) in EXPORTS.items():
        win.export_actions[kind] = A(
            label,
            lambda _=False, k=kind: win.exports.action_export(k),
            export_keys[kind],
            name=f"actExport_{kind}",
        )
    win.act_anonymize = A(
        "&Anonymize exports",
        None,
        "Ctrl+Alt+A",
        "Replace names, emails and ids with stable pseudonyms in every export",
        checkable=True,
        name="actAnonymize",
    )
    win.act_anonymize.setChecked(bool(win.settings.value("export/anonymize", False, type=bool)))
    win.act_anonymize.toggled.connect(win.exports.on_anonymize_toggled)
    win.act_find = A(
        "&Find…",
        win.focus_search,
        QKeySequence.StandardKey.Find,
        "Find a person, project or team",
        name="actFind",
    )
    win.act_filter = A("Filter the e&xplorer", win.focus_filter, "Ctrl+L", name="actFilter")
    win.act_clear = A("&Clear selection", lambda: win.select_node(None), "Esc", name="actClear")
    win.act_fit = A("&Fit to window", win.fit, "Ctrl+0", "Show the whole map", name="actFit")
    win.act_zoom_in = A(
        "Zoom &in",
        lambda: win.canvas.zoom_by(1.25),
        QKeySequence.StandardKey.ZoomIn,
        name="actZoomIn",
    )
    win.act_zoom_out = A(
        "Zoom &out",
        lambda: win.canvas.zoom_by(0.8),
        QKeySequence.StandardKey.ZoomOut,
        name="actZoomOut",
    )
    win.act_center = A("&Centre on selection", win.center_selection, "Ctrl+J", name="actCenter")
    win.act_k_up = A("Widen reach (k + 1)", lambda: win.k_spin.stepUp(), "Ctrl+]", name="actKUp")
    win.act_k_down = A(
        "Narrow reach (k − 1)", lambda: win.k_spin.stepDown(), "Ctrl+[", name="actKDown"
    )
    win.layout_group = QActionGroup(win)
    win.layout_actions: dict[str, QAction] = {}
    for i, (key, label) in enumerate(LAYOUTS.items(), start=1):
        act = A(
            label,
            lambda _=False, k=key: win.set_layout(k),
            f"Ctrl+{i}",
            checkable=True,
            name=f"actLayout_{key}",
        )
        win.layout_group.addAction(act)
        win.layout_actions[key] = act
    win.edge_actions: dict[str, QAction] = {}
    for i, kind in enumerate(ALL_EDGE_KINDS, start=1):
        act = A(EDGE_LABELS[kind], None, f"Alt+{i}", checkable=True, name=f"actEdge_{kind}")
        act.toggled.connect(lambda on, k=kind: win._on_edge_toggled(k, on))
        win.edge_actions[kind] = act
    win.relation_actions: dict[str, QAction] = {}
    for kind in ALL_RELATIONS:
        act = A(RELATION_LABELS[kind], None, checkable=True, name=f"actRelation_{kind}")
        act.setStatusTip("Count this relation in influence, brokerage and reach")
        act.toggled.connect(lambda on, k=kind: win._on_relation_toggled(k, on))
        win.relation_actions[kind] = act
    win.act_about = A("&About orgmap", partial(about, win), name="actAbout")
    win.act_help_metrics = A("&Metrics…", win.show_metrics_help, name="actHelpMetrics")
    win.act_export_profile = A(
        "Export &profile…",
        win.exports.action_export_profile,
        "Ctrl+Shift+R",
        "The selected person's impact profile as a one-page HTML or PDF",
        name="actExportProfile",
    )
    win.act_keys = A(
        "&Keyboard shortcuts",
        partial(show_shortcuts, win),
        QKeySequence.StandardKey.HelpContents,
        name="actKeys",
    )


def build_menus(win: MainWindow) -> None:
    bar = win.menuBar()
    m = bar.addMenu("&File")
    m.addAction(win.act_open)
    m.addAction(win.act_sample)
    win.recent_menu = m.addMenu("Open &recent")
    win.recent_menu.setObjectName("recentMenu")
    m.addAction(win.act_reload)
    m.addSeparator()
    m.addAction(win.act_save)
    m.addAction(win.act_save_as)
    m.addAction(win.act_export_mapping)
    m.addSeparator()
    win.export_menu = m.addMenu("&Export")
    for act in win.export_actions.values():
        win.export_menu.addAction(act)
    win.export_menu.addSeparator()
    win.export_menu.addAction(win.act_anonymize)
    m.addAction(win.act_export_profile)
    m.addSeparator()
    m.addAction(win.act_quit)

    m = bar.addMenu("&Edit")
    m.addAction(win.act_find)
    m.addAction(win.act_filter)
    m.addAction(win.act_clear)

    m = bar.addMenu("&View")
    lm = m.addMenu("&Layout")
    for act in win.layout_actions.values():
        lm.addAction(act)
    win.color_menu = m.addMenu("&Colour by")
    win.size_menu = m.addMenu("&Size by")
    em = m.addMenu("&Edges")
    for act in win.edge_actions.values():
        em.addAction(act)
    rm = m.addMenu("&Metrics count")
    rm.setToolTipsVisible(True)
    for act in win.relation_actions.values():
        rm.addAction(act)
    m.addSeparator()
    m.addAction(win.act_k_up)
    m.addAction(win.act_k_down)
    m.addSeparator()
    m.addAction(win.act_fit)
    m.addAction(win.act_zoom_in)
    m.addAction(win.act_zoom_out)
    m.addAction(win.act_center)
    m.addSeparator()
    pm = m.addMenu("&Panels")
    docks = [
        (win.explorer_dock, "Ctrl+Shift+1"),
        (win.inspector_dock, "Ctrl+Shift+2"),
        (win.issues_dock, "Ctrl+Shift+3"),
    ]
    if win.legend_dock is not None:
        docks.append((win.legend_dock, "Ctrl+Shift+4"))
    for dock, key in docks:
        act = dock.toggleViewAction()
        act.setShortcut(QKeySequence(key))
        pm.addAction(act)
        win.addAction(act)

    m = win.help_menu = bar.addMenu("&Help")
    m.addAction(win.act_help_metrics)
    m.addAction(win.act_keys)
    m.addAction(win.act_about)


def build_toolbar(win: MainWindow) -> None:
    tb = QToolBar("Main toolbar", win)
    tb.setObjectName("mainToolbar")
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    win.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
    win.toolbar = tb
    tb.addAction(win.act_open)
    win.export_button = QToolButton(tb)
    win.export_button.setObjectName("exportButton")
    win.export_button.setText("Export")
    win.export_button.setToolTip("Share the map: HTML, images, workbook, graph files")
    win.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    win.export_button.setMenu(win.export_menu)
    tb.addWidget(win.export_button)
    tb.addSeparator()

    def labelled(text: str, widget: QWidget) -> None:
        lab = QLabel(text, tb)
        lab.setObjectName("toolLabel")
        lab.setBuddy(widget)
        tb.addWidget(lab)
        tb.addWidget(widget)

    win.layout_combo = QComboBox(tb)
    win.layout_combo.setObjectName("layoutCombo")
    win.layout_combo.setToolTip("Layout (Ctrl+1, Ctrl+2, Ctrl+3)")
    for key, label in LAYOUTS.items():
        win.layout_combo.addItem(label, key)
    win.layout_combo.activated.connect(lambda i: win.set_layout(win.layout_combo.itemData(i)))
    labelled("&Layout", win.layout_combo)

    win.color_combo = QComboBox(tb)
    win.color_combo.setObjectName("colorCombo")
    win.color_combo.setToolTip("Node colour")
    win.color_combo.activated.connect(lambda i: win.set_color_by(win.color_combo.itemData(i)))
    labelled("&Colour", win.color_combo)

    win.size_combo = QComboBox(tb)
    win.size_combo.setObjectName("sizeCombo")
    win.size_combo.setToolTip("Node size")
    win.size_combo.activated.connect(lambda i: win.set_size_by(win.size_combo.itemData(i)))
    labelled("Si&ze", win.size_combo)
    fill_metric_choices(win)

    win.edges_button = QToolButton(tb)
    win.edges_button.setObjectName("edgesButton")
    win.edges_button.setText("Edges")
    win.edges_button.setToolTip("Which links to draw (Alt+1 … Alt+7)")
    win.edges_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(win.edges_button)
    for act in win.edge_actions.values():
        menu.addAction(act)
    win.edges_button.setMenu(menu)
    tb.addWidget(win.edges_button)

    win.k_spin = QSpinBox(tb)
    win.k_spin.setObjectName("reachSpin")
    win.k_spin.setRange(0, 6)
    win.k_spin.setValue(2)
    win.k_spin.setToolTip("Reach: steps lit up around the selection (Ctrl+[ and Ctrl+])")
    win.k_spin.valueChanged.connect(win.set_reach_depth)
    labelled("&Reach k", win.k_spin)
    tb.addSeparator()
    tb.addAction(win.act_fit)
    tb.addAction(win.act_zoom_out)
    tb.addAction(win.act_zoom_in)
    win.act_fit.setIconText("Fit")
    win.act_zoom_in.setIconText("+")
    win.act_zoom_out.setIconText("−")

    spacer = QWidget(tb)
    spacer.setSizePolicy(
        spacer.sizePolicy().horizontalPolicy().Expanding,
        spacer.sizePolicy().verticalPolicy().Preferred,
    )
    tb.addWidget(spacer)
    win.search_box = QLineEdit(tb)
    win.search_box.setObjectName("searchBox")
    win.search_box.setPlaceholderText("Find person, project, team (Ctrl+F)")
    win.search_box.setClearButtonEnabled(True)
    win.search_box.setMinimumWidth(260)
    win.completer = QCompleter([], win.search_box)
    win.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    win.completer.setFilterMode(Qt.MatchFlag.MatchContains)
    win.completer.setMaxVisibleItems(12)
    win.search_box.setCompleter(win.completer)
    win.completer.activated.connect(win.search)
    win.search_box.returnPressed.connect(lambda: win.search(win.search_box.text()))
    tb.addWidget(win.search_box)


def build_status(win: MainWindow) -> None:
    sb = win.statusBar()
    sb.setObjectName("statusBar")
    win.jobs = JobRunner(sb)
    win.jobs.busyChanged.connect(win.busyChanged)
    win.summary_label = QLabel(sb)
    win.summary_label.setObjectName("summaryLabel")
    sb.addPermanentWidget(win.summary_label)
    # the widgets tests and users reach by name
    win.progress, win.progress_label, win.cancel_button = (
        win.jobs.bar,
        win.jobs.label,
        win.jobs.cancel_button,
    )


def numeric_person_metrics(win: MainWindow) -> list[tuple[str, str]]:
    infos = metric_infos("person")
    if infos:
        return [
            (i.name, i.label) for i in infos if getattr(i, "fmt", "") in ("int", "float", "percent")
        ]
    people = win.metrics.get("people") or {}
    first = next(iter(people.values()), {})
    return [
        (k, k.replace("_", " "))
        for k, v in first.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]


def fill_metric_choices(win: MainWindow) -> None:
    metrics = numeric_person_metrics(win)
    win.color_combo.clear()
    for key, label in COLOR_MODES.items():
        win.color_combo.addItem(label, key)
    if metrics:
        win.color_combo.insertSeparator(win.color_combo.count())
    for key, label in metrics:
        win.color_combo.addItem(label, key)
    win.size_combo.clear()
    win.size_combo.addItem("Same size", None)
    for key, label in metrics:
        win.size_combo.addItem(label, key)
    # Menu twins of the two combos, for keyboard users.
    for menu, combo, setter in (
        (win.color_menu, win.color_combo, win.set_color_by),
        (win.size_menu, win.size_combo, win.set_size_by),
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


def bind_state(win: MainWindow) -> None:
    """Every widget showing a setting follows the state's attribute of that name."""
    s = win.state
    win._bindings = [
        bind_combo(win.layout_combo, s, "layout"),
        bind_choice(win.layout_actions, s, "layout"),
        bind_combo(win.color_combo, s, "color_by"),
        bind_menu_choice(win.color_menu, s, "color_by"),
        bind_combo(win.size_combo, s, "size_by"),
        bind_menu_choice(win.size_menu, s, "size_by"),
        bind_members(win.edge_actions, s, "edge_kinds"),
        bind_members(win.relation_actions, s, "relations"),
        bind_spin(win.k_spin, s, "k"),
    ]
    s.events.explorer_tab.connect(lambda *_: show_explorer_state(win))
    s.events.filter.connect(lambda *_: show_explorer_state(win))


def show_explorer_state(win: MainWindow) -> None:
    blocker = QSignalBlocker(win.explorer)
    try:
        win.explorer.set_current_tab(win.state.explorer_tab)
        if win.explorer.filter_box.text() != win.state.filter:
            win.explorer.set_filter(win.state.filter)
    finally:
        blocker.unblock()
