"""Opening and saving: files through the import dialog, samples, recent entries and
``.orgmap`` sessions. Every load runs in the background and ends in :meth:`Opener.on_loaded`
(the document takes the result and the window shows it) or in a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, QTimer

from orgmap.assets import DEFAULT_SAMPLE, sample_path
from orgmap.gcpause import tidy
from orgmap.gui.actions import fill_metric_choices
from orgmap.gui.pipeline import Loaded, load_pipeline
from orgmap.gui.state import LAYOUTS, SESSION_SUFFIX, Session, SessionError
from orgmap.gui.workers import Job

if TYPE_CHECKING:
    from orgmap.gui.window import MainWindow

__all__ = ["Opener"]


class Opener:
    """How data gets into the window, and sessions out of it."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win
        self._layouts_job: Job | None = None

    def open_files(
        self, paths: list[str] | list[Path], mapping: dict[str, str] | None = None, org: Any = None
    ) -> None:
        """Load ``paths`` (with ``mapping``) in the background and show them when done."""
        paths = [str(Path(p).expanduser().resolve()) for p in paths]
        if not paths:
            return
        self.stop_background_layouts()
        layout = self.win._pending_view.layout if self.win._pending_view else self.win.state.layout
        relations = (self.win._pending_view or self.win.state).relations
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
        job.done.connect(self.on_loaded)
        job.failed.connect(lambda exc, n=names: self._on_load_failed(n, exc))
        job.cancelled.connect(self._on_load_cancelled)
        self.win.jobs.run(job, "load")

    def reload(self) -> None:
        if self.win.sources:
            self.win._pending_view = self.win.view_state()
            self.win.doc.pending_edits = list(self.win.doc.edits)  # a reload keeps the what-if
            self.open_files(self.win.sources, self.win.mapping)

    def open_sample(self) -> None:
        self.open_named_sample(DEFAULT_SAMPLE)

    def open_named_sample(self, name: str) -> None:
        """Open one of the bundled samples (``orgmap sample --list`` names them)."""
        path = sample_path(name)
        if not path.exists():
            self.win.show_error("Sample not found", f"The bundled sample is missing: {path}")
            return
        self.open_files([str(path)])

    def _on_load_cancelled(self) -> None:
        self.win._pending_view = None
        self.win.doc.pending_edits = []
        self.win.statusBar().showMessage("Cancelled; the map shows what was loaded before.", 6000)
        self.win.loadFinished.emit("cancelled")

    def _on_load_failed(self, names: str, exc: BaseException) -> None:
        self.win.doc.pending_edits = []
        self.win._pending_view = None
        self.win.show_error(
            "Could not open the data", f"Could not open {names}:\n{type(exc).__name__}: {exc}"
        )
        self.win.loadFinished.emit("failed")

    def action_open_dialog(self) -> None:
        paths = self.win.chooser.open_paths(self.win)
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

        if self.win.import_dialog is not None:
            self.win.import_dialog.close()
        dialog = ImportDialog([str(p) for p in paths], mapping, self.win)
        dialog.accepted.connect(lambda d=dialog: self._import_accepted(d))
        self.win.import_dialog = dialog
        dialog.open()
        return dialog

    def _import_accepted(self, dialog: Any) -> None:
        self.win._pending_view = None
        self.win.session_path = None
        self.open_files(dialog.paths, dialog.mapping(), org=dialog.org_if_current())

    def open_recent_entry(self, entry: dict[str, Any]) -> None:
        if entry.get("session"):
            self.open_session(entry["session"])
            return
        missing = [p for p in entry.get("sources", []) if not Path(p).exists()]
        if missing:
            self.win.show_error("File not found", "These files are gone:\n" + "\n".join(missing))
            return
        self.win.session_path = None
        self.open_files(entry["sources"], entry.get("mapping") or {})

    def save_session(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() != SESSION_SUFFIX:
            path = path.with_name(path.name + SESSION_SUFFIX)
        self.win.session().save(path)
        self.win.session_path = path
        self.win.recent_files.add(self.win.sources, self.win.mapping, self.win.session_path)
        self.win._update_title()
        self.win.statusBar().showMessage(f"Saved {path}", 5000)
        return path

    def open_session(self, path: str | Path) -> None:
        try:
            session = Session.load(path)
        except SessionError as exc:
            self.win.show_error("Could not open the session", str(exc))
            return
        missing = [p for p in session.sources if not Path(p).exists()]
        if missing:
            self.win.show_error(
                "Session sources missing", "These files are gone:\n" + "\n".join(missing)
            )
            if len(missing) == len(session.sources):
                return
        self.win.session_path = Path(path)
        self.win._pending_view = session.view
        self.win.doc.pending_edits = list(session.edits)
        self.open_files([p for p in session.sources if p not in missing], session.mapping)

    def action_save(self) -> None:
        if self.win.session_path is not None:
            self.save_session(self.win.session_path)
        else:
            self.action_save_as()

    def action_save_as(self) -> None:
        if self.win.org is None:
            return
        stem = Path(self.win.sources[0]).stem if self.win.sources else "org"
        path = self.win.chooser.save_path(
            self.win, "Save session", "orgmap session (*.orgmap)", stem + SESSION_SUFFIX
        )
        if path:
            try:
                self.save_session(path)
            except OSError as exc:
                self.win.show_error("Could not save", f"{path}: {exc.strerror or exc}")

    def on_loaded(self, result: Loaded) -> None:
        self.win.workDone.emit()
        org = result.org
        unreadable = [i for i in org.issues if i.severity == "fatal"]
        if unreadable:
            lines = "\n".join(f"• {i.file}: {i.message}" for i in unreadable)
            self.win.show_error(
                "Some files could not be read",
                f"{len(unreadable)} file(s) could not be read:\n{lines}",
            )
        if not org.people() and (self.win.org is not None or unreadable):
            if result.compute is not None:
                result.compute.stop()
            # Nothing usable came in: keep what was shown before.
            if not unreadable:
                self.win.show_error(
                    "No people found", "No table in these files was recognised as people data."
                )
            self.win._pending_view = None
            self.win.loadFinished.emit("kept")
            return
        replaced = self.win.org is not None
        pending, self.win._pending_view = self.win._pending_view, None
        if pending is not None:
            self.win.state.assign(pending)
        else:
            self.win.state.selection = None
        self.win.state.layout = result.layout
        # the metrics were computed over the relations the state names now
        self.win.doc.adopt(result)
        if (
            pending is None
            and self.win.state.color_by == "team"
            and not org.teams()
            and org.departments()
        ):
            # Data with departments but no teams (an HR extract, Krackhardt's survey):
            # colouring by team would paint everyone the same grey.
            self.win.state.color_by = "department"
        fill_metric_choices(self.win)
        blocker = QSignalBlocker(self.win.explorer)
        try:
            self.win.explorer.set_org(org, self.win.metrics, result.rows)
        finally:
            blocker.unblock()
        self.win.issues.set_issues(org.issues)
        self.win._build_search_index(result.rows.search if result.rows else None)
        self.win._set_canvas_graph(self.win.positions, result.scene)
        self.win._apply_state_to_widgets()
        self.win._apply_state_to_canvas()
        self.win._leave_welcome()
        self.win.stack.setCurrentIndex(1)
        self.win.canvas.fit()
        sel = self.win.state.selection
        if sel and org.graph.has_node(sel):
            self.win._select(sel, center=False)
        else:
            self.win.state.selection = None
            self.win._after_selection(None)
        if pending is not None:
            self.win._set_canvas_view(pending.zoom, pending.center)
        self.win._update_summary()
        self.win.recent_files.add(self.win.sources, self.win.mapping, self.win.session_path)
        self.win._update_title()
        is_sample = len(self.win.sources) == 1 and Path(self.win.sources[0]) == sample_path()
        is_real_sample = len(self.win.sources) == 1 and Path(self.win.sources[0]) == sample_path(
            "krackhardt"
        )
        if is_sample:
            self.win.banner_label.setText(
                "You are exploring a synthetic sample organisation. Open your own spreadsheets "
                "with Ctrl+O or drop them on this window."
            )
        elif is_real_sample:
            self.win.banner_label.setText(
                "You are exploring real data: Krackhardt's 21 high-tech managers (Social "
                "Networks, 1987), who reports to, asks advice of and is friends with whom. "
                "Open your own spreadsheets with Ctrl+O."
            )
        is_sample = is_sample or is_real_sample
        self.win.banner.setVisible(is_sample)
        if result.metrics_error:
            self.win.statusBar().showMessage(f"Metrics unavailable: {result.metrics_error}", 10000)
        self.win._update_enabled()
        if self.win.doc.compute.remote:
            self._collect_other_layouts(org)
        if replaced:
            # The org shown before is garbage now (frozen, so no collection would see
            # it): one collection once the new map is up.
            QTimer.singleShot(1500, tidy)
        self.win.loadFinished.emit("done")
        self.win.loaded.emit()
        self.win.fetch_pending_metrics()

    def _collect_other_layouts(self, org: Any) -> None:
        """Lay a large org out the other ways in the background, one request at a time
        to its compute server, so switching layout later is instant. No progress bar:
        nothing waits for this."""
        kinds = self.win.doc.missing_layouts(LAYOUTS)
        if not kinds:
            self.win.otherLayoutsReady.emit(sorted(set(LAYOUTS) - {self.win.state.layout}))
            return
        job = Job(self.win.doc.layout_work(kinds[0], self.win.metrics), label="")
        job.done.connect(lambda res, o=org, k=kinds[0]: self._on_other_layout(o, k, *res))
        self._layouts_job = job
        job.start()

    def _on_other_layout(self, org: Any, kind: str, positions: dict, scene: Any) -> None:
        if org is not self.win.org:
            return
        if self.win.doc.layout_cached(kind) is None:
            self.win.doc.store_layout(kind, positions, scene)
        self._collect_other_layouts(org)

    def stop_background_layouts(self) -> None:
        if self._layouts_job is not None and self._layouts_job.running:
            self._layouts_job.cancel()
        self._layouts_job = None
