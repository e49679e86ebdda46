"""Opening and saving: files through the import dialog, samples, recent entries and
``.orgmap`` sessions; every load runs in the background and ends in the window's
``_on_loaded`` (or a clear message)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgmap.assets import DEFAULT_SAMPLE, sample_path
from orgmap.gui.pipeline import load_pipeline
from orgmap.gui.state import SESSION_SUFFIX, Session, SessionError
from orgmap.gui.workers import Job

if TYPE_CHECKING:
    from orgmap.gui.window import MainWindow

__all__ = ["Opener"]


class Opener:
    """How data gets into the window, and sessions out of it."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win

    def open_files(
        self, paths: list[str] | list[Path], mapping: dict[str, str] | None = None, org: Any = None
    ) -> None:
        """Load ``paths`` (with ``mapping``) in the background and show them when done."""
        paths = [str(Path(p).expanduser().resolve()) for p in paths]
        if not paths:
            return
        self.win._stop_helper()
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
        job.done.connect(self.win._on_loaded)
        job.failed.connect(lambda exc, n=names: self._on_load_failed(n, exc))
        job.cancelled.connect(self._on_load_cancelled)
        self.win.jobs.run(job, "load")

    def reload(self) -> None:
        if self.win.sources:
            self.win._pending_view = self.win.view_state()
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
        self.win.statusBar().showMessage("Cancelled; the map shows what was loaded before.", 6000)
        self.win.loadFinished.emit("cancelled")

    def _on_load_failed(self, names: str, exc: BaseException) -> None:
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
