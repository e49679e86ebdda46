"""Everything that leaves the app: HTML map, pictures, workbook, graph files, profile,
column mapping; with *Anonymize exports*, as pseudonyms.

One :class:`Exports` per window; it reads what the window shows (its document, canvas
and view state) and writes off the GUI thread where it can.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from orgmap.gui.actions import EXPORTS
from orgmap.gui.workers import Job

if TYPE_CHECKING:
    from orgmap.gui.window import MainWindow

__all__ = ["Exports"]


class Exports:
    """The window's exports (File > Export, Export profile, Export column mapping)."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win
        #: What the last anonymized export generalised (its summary).
        self.last_anonymization: Any = None

    def export_mapping(self, path: str | Path) -> Path:
        """Write the column mapping as the JSON ``--mapping`` reads."""
        from orgmap.safety import atomic_write_text

        target = Path(path)
        atomic_write_text(
            target, json.dumps(dict(self.win.mapping), indent=2, sort_keys=True) + "\n"
        )
        return target

    def action_export_mapping(self) -> None:
        stem = Path(self.win.sources[0]).stem if self.win.sources else "org"
        path = self.win.chooser.save_path(
            self.win, "Export column mapping", "JSON (*.json)", stem + "-mapping.json"
        )
        if path:
            try:
                self.export_mapping(path)
            except OSError as exc:
                self.win.show_error("Could not save", f"{path}: {exc.strerror or exc}")

    def action_export(self, kind: str) -> None:
        if self.win.org is None:
            return
        label, file_filter, suffix = EXPORTS[kind]
        stem = Path(self.win.sources[0]).stem if self.win.sources else "org"
        path = self.win.chooser.save_path(self.win, label.rstrip("…"), file_filter, stem + suffix)
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.export(kind, path)

    def action_export_profile(self) -> None:
        node = self.win.state.selection
        if (
            self.win.org is None
            or not node
            or self.win.org.graph.nodes[node].get("kind") != "person"
        ):
            self.win.statusBar().showMessage("Select a person to export their profile", 6000)
            return
        stem = f"profile-{self.win.org.graph.nodes[node].get('id') or 'person'}"
        path = self.win.chooser.save_path(
            self.win, "Export profile", "HTML page (*.html);;PDF document (*.pdf)", stem + ".html"
        )
        if path:
            if not path.lower().endswith((".html", ".pdf")):
                path += ".html"
            self.export_profile(node, path)

    def export_profile(self, node: str, path: str | Path) -> Path | None:
        """Write ``node``'s impact profile (HTML or PDF by suffix) with their reach on the
        map; emits ``exported("profile", path)``."""
        from orgmap.gui.help import export_profile, reach_picture

        if self.win.org is None or not self.win.metrics.get("people"):
            return None
        org, metrics, positions = self.win.org, self.win.metrics, dict(self.win.positions)
        try:
            if self.anonymize_exports:  # the profile leaves the app: pseudonyms, like any export
                org, metrics, positions, mapping = self._anonymized()
                node = mapping.get(node, node)
            picture = reach_picture(
                self.win.canvas, org, positions, metrics, node, self.win.state.k
            )
            out = export_profile(org, metrics, node, path, picture)
        except OSError as exc:
            self.win.show_error(
                "Export failed", f"Could not write {path}:\n{type(exc).__name__}: {exc}"
            )
            return None
        self.exported("profile", str(out))
        return out

    @property
    def anonymize_exports(self) -> bool:
        return self.win.act_anonymize.isChecked()

    def export_salt(self) -> str:
        """This installation's secret salt: pseudonyms are stable between exports made
        here, and nobody without the salt can recompute who is who."""
        salt = str(self.win.settings.value("export/salt", "") or "")
        if not salt:
            import secrets

            salt = secrets.token_hex(16)
            self.win.settings.setValue("export/salt", salt)
        return salt

    def on_anonymize_toggled(self, on: bool) -> None:
        self.win.settings.setValue("export/anonymize", bool(on))
        self.win.statusBar().showMessage(
            "Exports now use pseudonyms for names, emails and ids"
            if on
            else "Exports show real names",
            5000,
        )

    def _anonymized(self) -> tuple[Any, dict[str, Any], dict[str, tuple[float, float]], dict]:
        from orgmap.anonymize import prepare

        anon = prepare(
            self.win.org,
            self.win.metrics,
            self.export_salt(),
            self.export_min_group(),
            self.win.positions,
        )
        self.last_anonymization = anon.summary
        return anon.org, anon.metrics or {}, anon.positions or {}, anon.mapping

    def export_min_group(self) -> int:
        """k of anonymized exports: every combination of title, level, team, location
        and start date shown is shared by at least this many people."""
        from orgmap.anonymize import DEFAULT_MIN_GROUP

        k = self.win.settings.value("export/min_group", DEFAULT_MIN_GROUP, type=int)
        return max(1, int(k or DEFAULT_MIN_GROUP))

    def _anonymized_canvas(self) -> QWidget:
        """An offscreen twin of the canvas showing pseudonyms, same view and settings."""
        anon, metrics, positions, mapping = self._anonymized()
        twin = type(self.win.canvas)()
        twin.resize(self.win.canvas.size())
        twin.set_graph(anon, positions, metrics)
        twin.set_color_by(self.win.state.color_by)
        twin.set_size_by(self.win.state.size_by)
        twin.set_edge_kinds(set(self.win.state.edge_kinds))
        twin.set_reach_depth(self.win.state.k)
        if self.win.state.selection:
            twin.select(mapping.get(self.win.state.selection))
        zoom, center = self.win._canvas_view()
        twin.set_view(zoom, center)
        return twin

    def export(self, kind: str, path: str | Path) -> Job | None:
        """Write the current org or view as ``kind`` to ``path``; emits ``exported`` when done.

        PNG and SVG draw the canvas now (on the GUI thread, as painting must); the others
        run on the thread pool. With *Anonymize exports* on, every format carries
        pseudonyms instead of names, emails and ids. Returns the job, if any.
        """
        path = str(path)
        org, metrics = self.win.org, self.win.metrics
        if org is None:
            return None
        state = self.win.view_state()  # a copy: the work runs on another thread
        anonymize = self.anonymize_exports
        try:
            if kind in ("png", "svg"):
                canvas = self._anonymized_canvas() if anonymize else self.win.canvas
                try:
                    canvas.to_png(path) if kind == "png" else canvas.to_svg(path)
                finally:
                    if canvas is not self.win.canvas:
                        canvas.deleteLater()
                self.exported(kind, path)
                return None
        except Exception as exc:
            self.win.show_error(
                "Export failed", f"Could not write {path}:\n{type(exc).__name__}: {exc}"
            )
            return None
        positions = dict(self.win.positions)
        title = ", ".join(Path(p).stem for p in self.win.sources) or "orgmap"
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
                    # as the canvas shows it: its colours, sizes and chosen relations
                    color_by=state.color_by,
                    size_by=state.size_by,
                    relations=state.relations,
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
        job.done.connect(lambda p, k=kind: self.exported(k, p))
        job.failed.connect(
            lambda exc, p=path: self.win.show_error(
                "Export failed", f"Could not write {p}:\n{type(exc).__name__}: {exc}"
            )
        )
        self.win.jobs.run(job)
        return job

    def exported(self, kind: str, path: str) -> None:
        note = ""
        if self.anonymize_exports and self.last_anonymization is not None:
            note = f" ({self.last_anonymization.lines()[0]})"
        self.win.statusBar().showMessage(f"Exported {path}{note}", 10000)
        self.win.exported.emit(kind, path)
