"""The main window: canvas, explorer, inspector, issues, toolbar and status bar.

The window owns one :class:`~orgmap.gui.state.ViewState` and keeps it in step with the
widgets; a saved session is that state plus the sources and mapping. Loading, metrics
and layout run as :class:`~orgmap.gui.workers.Job` objects on the thread pool; the org
on screen is replaced only when a load finishes, so Cancel, or a file that cannot be
read, leaves what was loaded before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from orgmap.assets import DEFAULT_SAMPLE
from orgmap.assets import sample_path as bundled_sample_path
from orgmap.gui.actions import (
    bind_state,
    build_actions,
    build_menus,
    build_status,
    build_toolbar,
    numeric_person_metrics,
    show_explorer_state,
)
from orgmap.gui.document import OrgDocument
from orgmap.gui.exports import Exports
from orgmap.gui.files import FileChooser
from orgmap.gui.issues_panel import node_of_row
from orgmap.gui.opening import Opener
from orgmap.gui.panels import build_central, build_docks
from orgmap.gui.pipeline import find_node, search_index
from orgmap.gui.recent import RecentFiles
from orgmap.gui.state import (
    ALL_EDGE_KINDS,
    ALL_RELATIONS,
    COLOR_MODES,
    LAYOUTS,
    SESSION_SUFFIX,
    Session,
    ViewState,
)
from orgmap.gui.workers import Job
from orgmap.views import lit_set

__all__ = ["MainWindow", "sample_path"]

ORGANIZATION = "orgmap"
APPLICATION = "orgmap"
#: The legend lists at most this many colours (the rest are summed up in one line).
LEGEND_LIMIT = 40


def sample_path(name: str = DEFAULT_SAMPLE) -> Path:
    """A bundled sample (package data): the synthetic workbook unless ``name`` says."""
    return bundled_sample_path(name)


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
        #: What is shown and everything computed from it; this window displays it.
        self.doc = OrgDocument()
        self.session_path: Path | None = None
        self.last_error: str | None = None
        self.error_box: QMessageBox | None = None
        self.import_dialog: Any = None
        self._pending_view: ViewState | None = None
        self._bindings: list[Callable[[], None]] = []
        self._search_index: dict[str, str] = {}

        self.setAcceptDrops(True)
        self.exports = Exports(self)
        self.opener = Opener(self)
        build_central(self)
        build_docks(self)
        build_actions(self)
        build_menus(self)
        build_toolbar(self)
        build_status(self)
        bind_state(self)
        self._restore_window()
        self.recent_files = RecentFiles(
            self.settings, self.recent_menu, self.opener.open_recent_entry, self.welcome.set_recent
        )
        self._update_enabled()
        # <scenario>: Compare and What-if add their menus, docks and shortcuts
        from orgmap.gui.compare import CompareController
        from orgmap.gui.scenario import WhatIfController

        self.compare, self.whatif = (
            CompareController().attach(self),
            WhatIfController().attach(self),
        )
        from orgmap.gui.loop_in import LoopInController  # loopin

        self.loop_in = LoopInController().attach(self)  # loopin
        # the features' menus come before Help, which stays last
        bar = self.menuBar()
        bar.removeAction(self.help_menu.menuAction())
        bar.addAction(self.help_menu.menuAction())

    # -- the document, as the window's attributes ---------------------------------------
    @property
    def state(self) -> ViewState:
        return self.doc.state

    @property
    def org(self) -> Any:
        return self.doc.org

    @property
    def metrics(self) -> dict[str, Any]:
        return self.doc.metrics

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        return self.doc.positions

    @property
    def sources(self) -> list[str]:
        return self.doc.sources

    @property
    def mapping(self) -> dict[str, str]:
        return self.doc.mapping

    # ================================================================== state <-> widgets
    def _apply_state_to_widgets(self) -> None:
        """Show the state again everywhere (after the combos' items were refilled)."""
        for refresh in self._bindings:
            refresh()
        show_explorer_state(self)

    def _apply_state_to_canvas(self) -> None:
        s = self.state
        if self.org is None:
            return
        known = set(COLOR_MODES) | {k for k, _ in numeric_person_metrics(self)}
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
        if self.org is None:
            return
        cached = self.doc.layout_cached(kind)
        if cached is not None:
            self._show_positions(kind, *cached)
            return
        job = Job(
            self.doc.layout_work(kind, self.metrics), label=f"laying out ({LAYOUTS[kind].lower()})"
        )
        org = self.org
        job.done.connect(lambda result, o=org, k=kind: self._on_layout_done(o, k, *result))
        job.failed.connect(
            lambda exc: self.show_error("Layout failed", f"{type(exc).__name__}: {exc}")
        )
        self.jobs.run(job, "layout")

    def _on_layout_done(self, org: Any, kind: str, positions: dict, scene: Any = None) -> None:
        if org is not self.org:
            return
        self.doc.store_layout(kind, positions, scene)
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
        self.doc.shown_layout = kind
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
        if self.org is not None:
            self.canvas.set_color_by(mode)
            self._refresh_legend()

    def set_size_by(self, metric: str | None) -> None:
        self.state.size_by = metric or None
        if self.org is not None:
            self.canvas.set_size_by(self.state.size_by)
            self._refresh_legend()

    def set_edge_kinds(self, kinds: set[str] | list[str]) -> None:
        self.state.edge_kinds = [k for k in ALL_EDGE_KINDS if k in set(kinds)]
        if self.org is not None:
            self.canvas.set_edge_kinds(set(self.state.edge_kinds))

    def _on_edge_toggled(self, kind: str, on: bool) -> None:
        kinds = set(self.state.edge_kinds)
        kinds.add(kind) if on else kinds.discard(kind)
        self.set_edge_kinds(kinds)

    def _on_relation_toggled(self, kind: str, on: bool) -> None:
        chosen = set(self.state.relations)
        chosen.add(kind) if on else chosen.discard(kind)
        if not chosen:  # nothing counted would leave every metric empty
            self._apply_state_to_widgets()  # the action shows checked again
            return
        self.set_relations(chosen)

    def set_relations(self, relations: set[str] | list[str]) -> Job | None:
        """Count only these relations in the metrics: recomputed in the background by the
        document's compute server (instant when this set was computed before)."""
        self.state.relations = [r for r in ALL_RELATIONS if r in set(relations)]
        self.canvas.set_relations(self.state.relations)
        if self.org is None:
            return None
        org, chosen = self.org, list(self.state.relations)
        cached = self.doc.metrics_cached(chosen)
        if cached is not None:
            self._on_metrics(org, chosen, cached)
            return None
        job = Job(self.doc.metrics_work(chosen), label="computing metrics")
        job.done.connect(lambda m, o=org, r=chosen: self._on_metrics(o, r, m))
        job.failed.connect(
            lambda exc: self.show_error("Metrics failed", f"{type(exc).__name__}: {exc}")
        )
        self.jobs.run(job)
        return job

    def _on_metrics(self, org: Any, relations: list[str], metrics: dict[str, Any]) -> None:
        if org is not self.org:
            return
        self.doc.store_metrics(relations, metrics)
        if relations != self.state.relations:
            return
        blocker = QSignalBlocker(self.explorer)
        try:
            # the rows' order was sorted by the old metrics: let the explorer sort again
            rows = replace(self.doc.rows, presorted=False) if self.doc.rows else None
            self.explorer.set_org(org, metrics, rows)
            self.explorer.set_current_tab(self.state.explorer_tab)
            self.explorer.set_filter(self.state.filter)
        finally:
            blocker.unblock()
        self.canvas.set_metrics(metrics)
        if self.state.selection:
            self._after_selection(self.state.selection)
        self.metricsChanged.emit()
        self.fetch_pending_metrics()

    def fetch_pending_metrics(self) -> Job | None:
        """Compute the metrics left pending (a big org's brokerage and roles come after
        the map) in the background; shown as they arrive."""
        org, chosen = self.org, list(self.state.relations)
        work = self.doc.pending_work(chosen) if org is not None else None
        if work is None:
            return None
        job = Job(work, label="computing brokerage and roles")
        job.done.connect(lambda m, o=org, r=chosen: self._on_metrics(o, r, m))
        job.failed.connect(
            lambda exc: self.show_error("Metrics failed", f"{type(exc).__name__}: {exc}")
        )
        return self.jobs.run(job, "pending")

    def set_reach_depth(self, k: int) -> None:
        self.state.k = int(k)
        self.canvas.set_reach_depth(int(k))
        if self.state.selection:
            self._after_selection(self.state.selection)

    def _on_tab_changed(self, key: str) -> None:
        self.state.explorer_tab = key

    def _on_filter_changed(self, text: str) -> None:
        self.state.filter = text

    # ================================================================== selection
    def select_node(self, node: str | None, center: bool = False) -> None:
        """Select a node (or clear with None) everywhere: canvas, explorer, inspector."""
        if node and (self.org is None or not self.org.graph.has_node(node)):
            return
        self._select(node, center)

    def _select(self, node: str | None, center: bool) -> None:
        self.state.selection = node or None
        self.canvas.select(node or None)  # its selectionChanged finds the state already set
        self._after_selection(node or None)
        if center and node and node in self.positions:
            self.canvas.center_on(node)

    def _on_canvas_selection(self, node: str) -> None:
        node = node or None
        if node == self.state.selection:
            return  # the window selected it
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
        return find_node(self.org, self._search_index, text) if self.org is not None else None

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
    @property
    def busy(self) -> bool:
        return self.jobs.busy

    def cancel(self) -> None:
        """Stop the running work; what is shown stays as it was."""
        self.jobs.cancel()

    def _update_summary(self) -> None:
        if self.org is None:
            self.summary_label.setText("")
            return
        c = self.doc.rows.counts if self.doc.rows else self.org.counts()
        self.summary_label.setText(
            f"{c['people']:,} people · {c['teams']:,} teams · {c['departments']:,} departments · "
            f"{c['projects']:,} projects"
        )

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
        for act in self.export_actions.values():
            act.setEnabled(has)

    # ================================================================== issues
    def show_issue(self, issue: Any) -> None:
        """Show where an issue is (file, sheet, row, column) and select the row's node."""
        self.statusBar().showMessage(self.issues.show_place(issue), 8000)
        node = node_of_row(self.org, issue)
        if node:
            self.select_node(node, center=True)

    # ================================================================== sessions
    def view_state(self) -> ViewState:
        """The current view as a Qt-free state object (what a session saves)."""
        view = ViewState.from_dict(self.state.to_dict())
        view.zoom, view.center = self._canvas_view()
        return view

    def _canvas_view(self) -> tuple[float, tuple[float, float]]:
        zoom, center = self.canvas.view_state()
        return float(zoom), (float(center[0]), float(center[1]))

    def _set_canvas_view(self, zoom: float, center: tuple[float, float]) -> None:
        self.canvas.set_view(zoom, center)

    def session(self) -> Session:
        session = self.doc.session()
        session.view = self.view_state()
        return session

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.opener.open_paths(paths)

    # ================================================================== opening
    def open_files(
        self, paths: list[str] | list[Path], mapping: dict[str, str] | None = None, org: Any = None
    ) -> None:
        """Load ``paths`` (with ``mapping``) in the background and show them when done."""
        self.opener.open_files(paths, mapping, org)

    def open_paths(self, paths: list[str]) -> None:
        self.opener.open_paths(paths)

    def open_sample(self) -> None:
        self.opener.open_sample()

    def open_session(self, path: str | Path) -> None:
        self.opener.open_session(path)

    def save_session(self, path: str | Path) -> Path:
        return self.opener.save_session(path)

    # ================================================================== recent files
    def recent(self) -> list[dict[str, Any]]:
        return self.recent_files.entries()

    # ================================================================== export
    @property
    def anonymize_exports(self) -> bool:
        return self.exports.anonymize_exports

    def export(self, kind: str, path: str | Path) -> Job | None:
        return self.exports.export(kind, path)

    def export_profile(self, node: str, path: str | Path) -> Path | None:
        return self.exports.export_profile(node, path)

    def export_mapping(self, path: str | Path) -> Path:
        return self.exports.export_mapping(path)

    def show_metrics_help(self) -> QWidget:
        """Help > Metrics: every metric with its definition and source (non-blocking)."""
        from orgmap.gui.help import MetricsDialog

        dialog = MetricsDialog(self)
        dialog.show()
        self.metrics_dialog = dialog
        return dialog

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
        for job in self.jobs.running():
            job.cancel()
        self.opener.stop_background_layouts()
        self.save_window_settings()
        from orgmap.gui.workers import wait_for_jobs

        wait_for_jobs(5000)
        self.doc.close()
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
