"""The map's window actions, in one controller the window attaches (``attach(window)``).

- File > Export picture… (PNG at 2x, SVG, PDF) and File > Print…
  (:mod:`orgmap.gui.picture` composes the page);
- View > Reset layout: every node the user dragged goes back to the layout's place;
- per layout: team outlines off in the org chart (its structure is the tree), and the
  nodes dragged in that layout pinned again when it is shown (and kept in the session,
  ``ViewState.moved_positions``);
- panels that behave: docks never narrower than their content reads (the Inspector
  wrapping per character), and a toolbar whose search box fits at 1024 px.

It relies on the window surface that stays stable through the window's split:
``canvas``, ``org``, ``positions``, ``state``, ``sources``, ``layoutApplied``,
``menuBar()``, ``statusBar()``.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QFileDialog, QLineEdit, QMenu

from orgmap.gui.frozen import FrozenColumn, freeze_first_column
from orgmap.gui.picture import FORMATS, print_picture, write_picture

__all__ = ["MapController", "attach"]


def _menu(window: Any, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and action.menu() is not None:
            return action.menu()
    return None


class MapController:
    """See the module docstring; ``attach(window)`` wires it up and returns it."""

    def __init__(self) -> None:
        self.window: Any = None
        self.act_picture: QAction | None = None
        self.act_print: QAction | None = None
        self.act_reset: QAction | None = None
        #: Layout positions of the nodes moved, per layout (to undo the window's copy).
        self._original: dict[str, dict[str, tuple[float, float]]] = {}

    def attach(self, window: Any) -> MapController:
        self.window = window
        self.act_picture = QAction("Export &picture…", window)
        self.act_picture.setObjectName("actExportPicture")
        self.act_picture.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.act_picture.setStatusTip("The map with a title, legend and caption: PNG, SVG or PDF")
        self.act_picture.triggered.connect(self.export_dialog)
        self.act_print = QAction("&Print…", window)
        self.act_print.setObjectName("actPrint")
        self.act_print.setShortcut(QKeySequence.StandardKey.Print)
        self.act_print.triggered.connect(self.print_dialog)
        self.act_reset = QAction("&Reset layout", window)
        self.act_reset.setObjectName("actResetLayout")
        self.act_reset.setStatusTip("Put every node you moved back where the layout placed it")
        self.act_reset.triggered.connect(self.reset_layout)
        file_menu = _menu(window, "File")
        if file_menu is not None:
            last = file_menu.actions()[-1] if file_menu.actions() else None  # Quit
            file_menu.insertAction(last, self.act_picture)
            file_menu.insertAction(last, self.act_print)
            file_menu.insertSeparator(last)
        else:
            window.addAction(self.act_picture)
            window.addAction(self.act_print)
        view_menu = _menu(window, "View")
        (view_menu or window).addAction(self.act_reset)
        self.fit_panels(window)
        window.canvas.nodeMoved.connect(self.on_moved)
        window.layoutApplied.connect(self.on_layout)
        if hasattr(window, "loadFinished"):  # a load shows its first layout without it
            window.loadFinished.connect(self.on_loaded)
        return self

    def on_loaded(self, status: str) -> None:
        if status == "done" and self.window.org is not None:
            self.on_layout(self._layout())

    frozen: list[FrozenColumn] = []
    #: Narrowest a dock's content may get (px), by dock object name.
    DOCK_MIN = {"explorerDock": 240, "inspectorDock": 240, "legendDock": 170}

    def fit_panels(self, window: Any) -> None:
        for dock in window.findChildren(QDockWidget):
            width = self.DOCK_MIN.get(dock.objectName())
            if width and dock.widget() is not None:
                dock.widget().setMinimumWidth(width)
        # The toolbar's combos take their longest entry's width ("Influence
        # percentile") and push the search box into the overflow menu at 1024 px:
        # they show 12 characters and open wide; the search box starts narrower.
        widths = {"layoutCombo": 96, "colorCombo": 118, "sizeCombo": 108}
        for combo in window.findChildren(QComboBox):
            if combo.objectName() in widths:
                combo.setMaximumWidth(widths[combo.objectName()])
                combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        for edit in window.findChildren(QLineEdit):
            if edit.objectName() == "searchBox":
                edit.setMinimumWidth(140)
                edit.setMaximumWidth(220)
        # The Explorer's tables keep their Name column while the metrics scroll by.
        views = getattr(getattr(window, "explorer", None), "views", {}) or {}
        self.frozen = [freeze_first_column(view) for view in views.values()]

    # -- layouts and moved nodes --------------------------------------------------------
    def _layout(self) -> str:
        return str(self.window.state.layout)

    def on_layout(self, kind: str) -> None:
        canvas = self.window.canvas
        # The org chart's structure is its tree; team hulls across its rows are noise.
        canvas.set_groups_drawn(kind != "orgchart")
        moved = self.window.state.moved_positions.get(kind) or {}
        canvas.set_moved_positions(moved)
        self._sync_positions(kind, moved)

    def on_moved(self, node: str, x: float, y: float) -> None:
        kind = self._layout()
        self.window.state.moved_positions.setdefault(kind, {})[node] = (x, y)
        self._sync_positions(kind, {node: (x, y)})
        self.window.statusBar().showMessage(
            f"Moved {self.window.org.label(node)}; View > Reset layout puts it back", 4000
        )

    def _sync_positions(self, kind: str, moved: dict[str, tuple[float, float]]) -> None:
        """The window's positions (what the HTML export and sessions use) follow."""
        positions = self.window.positions
        original = self._original.setdefault(kind, {})
        for node, xy in moved.items():
            if node in positions:
                original.setdefault(node, positions[node])
                positions[node] = xy

    def reset_layout(self) -> None:
        kind = self._layout()
        self.window.state.moved_positions.pop(kind, None)
        positions = self.window.positions
        for node, xy in self._original.pop(kind, {}).items():
            if node in positions:
                positions[node] = xy
        self.window.canvas.reset_layout()
        self.window.statusBar().showMessage("Layout reset", 3000)

    # -- pictures -------------------------------------------------------------------------
    def title(self) -> str:
        sources = getattr(self.window, "sources", None) or []
        return ", ".join(Path(p).stem for p in sources) or "Org map"

    def caption(self) -> str:
        """What is shown, of which data: people, teams, nodes drawn, data date."""
        window = self.window
        org = window.org
        counts = org.counts() if org is not None else {}
        dates = []
        for p in getattr(window, "sources", None) or []:
            try:
                dates.append(_dt.date.fromtimestamp(Path(p).stat().st_mtime))
            except OSError:
                continue
        when = (
            f"data as of {max(dates).isoformat()}"
            if dates
            else f"made {_dt.date.today().isoformat()}"
        )
        shown = len(window.canvas.nodes())
        selection = window.canvas.selected()
        focus = f" · selected: {org.label(selection)}" if selection and org is not None else ""
        return (
            f"{when} · {counts.get('people', 0):,} people in {counts.get('teams', 0):,} teams"
            f" · {shown:,} nodes drawn{focus} · made with orgmap"
        )

    def export_dialog(self) -> None:
        window = self.window
        if window.org is None:
            return
        sources = getattr(window, "sources", None) or []
        stem = Path(sources[0]).stem if sources else "org"
        path, chosen = QFileDialog.getSaveFileName(
            window, "Export picture", stem + "-map.png", ";;".join(FORMATS.values())
        )
        if not path:
            return
        if Path(path).suffix.lower() not in FORMATS:
            path += next((s for s, f in FORMATS.items() if f == chosen), ".png")
        self.export(path)

    def export(self, path: str | Path) -> Path | None:
        """Write the picture to ``path``; a failure is shown, never raised."""
        window = self.window
        try:
            out = write_picture(window.canvas, path, title=self.title(), caption=self.caption())
        except (OSError, ValueError) as exc:
            if hasattr(window, "show_error"):
                window.show_error("Export failed", f"Could not write {path}:\n{exc}")
            return None
        window.statusBar().showMessage(f"Picture written to {out}", 5000)
        return out

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        window = self.window
        if window.org is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, window)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        print_picture(window.canvas, printer, title=self.title(), caption=self.caption())


def attach(window: Any) -> MapController:
    """Add the map's actions to ``window`` (see the module docstring)."""
    return MapController().attach(window)
