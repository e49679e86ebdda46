"""Compare: the map against another snapshot, and the panel What-if shares.

File > Compare with... loads a second snapshot in the background (the window's org is
NEW, the file chosen is OLD), diffs them with :func:`orgmap.diff.diff_orgs` and shows
the diff: the canvas marks who joined, moved, or lost their last link, and ghosts the
people who left near where they were (under their old manager); the Changes panel
lists every changed person with before, after and change, and the selection's
metrics before and after. ``orgmap gui NEW --compare OLD`` does the same at start.

:class:`ChangesPanel` is the one view of a diff: What-if (:mod:`orgmap.gui.scenario`)
shows its edits in the same panel.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from orgmap.diff import OrgDiff, diff_orgs, diff_overlay
from orgmap.gui.workers import Job
from orgmap.metrics.info import metric
from orgmap.overlay import Overlay
from orgmap.present import metric_value

__all__ = ["ChangesPanel", "CompareController", "controller_of", "changes_panel", "Comparison"]

#: Metrics the panel shows for a selected person / team, before and after.
PERSON_ROWS = (
    "reach_2",
    "teams_reached",
    "org_reach",
    "key_person_risk",
    "influence",
    "brokerage",
    "direct_reports",
    "org_size",
)
TEAM_ROWS = ("size", "internal_ties", "external_ties", "ei_index", "silo")
#: The numeric change columns of the changed-people table.
CHANGE_COLUMNS = ("reach_2", "influence", "brokerage", "key_person_risk")


class Comparison:
    """A diff with both sides' metrics, and which node is which on either side.

    ``sides(node)`` gives ``(before node or None, after node or None)`` for a node of
    the map (the window's org, or a ghost's key); ``before``/``after`` are
    ``compute_all``-shaped dicts (``after`` may be partial while a what-if computes).
    """

    def __init__(
        self,
        title: str,
        diff: OrgDiff,
        before: dict[str, Any],
        after: dict[str, Any],
        sides: Callable[[str], tuple[str | None, str | None]],
        labels: Callable[[str], str],
        on_map: Callable[[str, str], str] | None = None,
    ) -> None:
        self.title, self.diff = title, diff
        self.before, self.after = before, after
        self.sides, self.labels = sides, labels
        #: ``on_map(node, side)``: the map's key of a node of the old or new org.
        self.on_map = on_map or (lambda node, side: node)

    def values(self, node: str, section: str) -> tuple[dict[str, Any] | None, dict | None]:
        b, a = self.sides(node)
        before = (self.before.get(section) or {}).get(b) if b else None
        after = (self.after.get(section) or {}).get(a) if a else None
        return before, after


def _shown(name: str, value: Any, entity: str = "person") -> str:
    return metric_value(name, value, entity)


def _change(name: str, before: Any, after: Any, entity: str = "person") -> str:
    """``+3``, ``-0.12``, ``=``; a flag that flipped as ``no -> yes``."""
    if isinstance(before, bool) or isinstance(after, bool):
        if before == after:
            return "="
        return f"{_shown(name, before, entity)} -> {_shown(name, after, entity)}"
    if isinstance(before, int | float) and isinstance(after, int | float):
        delta = after - before
        if delta == 0:
            return "="
        return ("+" if delta > 0 else "-") + metric_value(name, abs(delta), entity)
    return ""


#: Rows of the changed-people table (a 100 000-person diff changes everyone's
#: influence a little; a table of them all would take the GUI thread seconds).
ROW_LIMIT = 2000


def change_words(comparison: Comparison) -> dict[str, tuple[str, dict[str, Any] | None]]:
    """Every changed person on the map: node -> (what changed in words, metric row).

    Joined, left, moved, changed and cut-off people first, in that order; then those
    whose only change is a metric, the largest key-person risk and reach changes first.
    """
    diff = comparison.diff
    nodes = diff.nodes
    what: dict[str, list[str]] = {}
    for n in nodes.get("joined", []):
        what.setdefault(comparison.on_map(n, "new"), []).append("joined")
    for n in nodes.get("left", []):
        what.setdefault(comparison.on_map(n, "old"), []).append("left")
    for n in nodes.get("moved", []):
        what.setdefault(comparison.on_map(n, "new"), []).append("moved")
    for n, c in zip(nodes.get("changed", []), diff.changed, strict=False):
        what.setdefault(comparison.on_map(n, "new"), []).append(f"{c['field']} changed")
    for n in nodes.get("lost_last_link", []):
        what.setdefault(comparison.on_map(n, "new"), []).append("lost last link")
    rows = {
        comparison.on_map(n, "new"): p
        for n, p in zip(nodes.get("people_metrics", []), diff.people_metrics, strict=False)
    }

    def size(node: str) -> tuple[float, float]:
        row = rows[node]
        return tuple(  # type: ignore[return-value]
            -abs(((row.get(m) or {}).get("change")) or 0) for m in ("key_person_risk", "reach_2")
        )

    only_metrics = sorted((n for n in rows if n not in what), key=size)
    out = {n: (_words(words, rows.get(n)), rows.get(n)) for n, words in what.items()}
    out.update((n, (_words([], rows[n]), rows[n])) for n in only_metrics)
    return out


def _words(words: list[str], metrics: dict[str, Any] | None) -> str:
    """ "moved", "joined"...; for a person only their metrics changed, the whole-number
    ones ("reach +5, key-person risk -10"); influence and brokerage shift a little for
    everyone, so they are left to their columns."""
    if words:
        return ", ".join(dict.fromkeys(words))
    parts = []
    for name in ("reach_2", "key_person_risk"):
        change = ((metrics or {}).get(name) or {}).get("change")
        if change:
            parts.append(f"{metric(name).label.lower()} {_change(name, 0, change)}")
    return ", ".join(parts)


class _NumberItem(QTableWidgetItem):
    """Sorts by its number, not its text."""

    def __init__(self, text: str, number: float | None) -> None:
        super().__init__(text)
        self.number = number

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.number, getattr(other, "number", None)
        if a is None or b is None:
            return b is not None and a is None
        return a < b


class ChangesPanel(QWidget):
    """The diff in words and tables: the summary, the selection before and after, and
    every changed person (double-click or Enter selects them on the map)."""

    nodeActivated = Signal(str)  # noqa: N815

    def __init__(self, main: Any) -> None:
        super().__init__(main)
        #: the main window (the dock may float: this widget's window() may not be it)
        self.main = main
        self.setObjectName("changesPanel")
        layout = QHBoxLayout(self)
        self.title = QLabel("No comparison")
        self.title.setObjectName("changesTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel("File > Compare with... or a What-if edit shows its changes here.")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.selected = QTableWidget(0, 4)
        self.selected.setObjectName("changesSelected")
        self.selected.setHorizontalHeaderLabels(["Metric", "Before", "After", "Change"])
        self.people = QTableWidget(0, 2 + len(CHANGE_COLUMNS))
        self.people.setObjectName("changesPeople")
        headers = ["Name", "Change"] + [f"{metric(m).label} change" for m in CHANGE_COLUMNS]
        self.people.setHorizontalHeaderLabels(headers)
        for table in (self.selected, self.people):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.people.setSortingEnabled(True)
        self.people.itemActivated.connect(self._activated)
        self.people.itemDoubleClicked.connect(self._activated)
        self.selected_label = QLabel("Selection")
        self.legend = QLabel("")
        self.legend.setObjectName("changesLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        left = QVBoxLayout()
        for w in (self.title, self.summary, self.legend, self.status, self.selected_label):
            left.addWidget(w)
        left.addWidget(self.selected, 1)
        right = QVBoxLayout()
        self.people_label = QLabel("Changed people (double-click to select)")
        right.addWidget(self.people_label)
        right.addWidget(self.people, 1)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.comparison: Comparison | None = None
        #: node -> the Change words, for every changed person (the table shows the first)
        self.changes: dict[str, str] = {}

    # -- filling ----------------------------------------------------------------------
    def clear(self, message: str = "No comparison") -> None:
        self.comparison = None
        self.title.setText(message)
        self.summary.setText("")
        self.status.setText("")
        self.legend.setText("")
        self.selected.setRowCount(0)
        self.people.setRowCount(0)
        self.changes = {}
        self.main.inspector.set_changes("", None)

    def set_comparison(
        self, comparison: Comparison, status: str = "", overlay: Overlay | None = None
    ) -> None:
        self.comparison = comparison
        diff = comparison.diff
        self.title.setText(comparison.title)
        self.summary.setText(diff.summary_text())
        self.status.setText(status)
        self.set_legend(overlay)
        self._fill_people(comparison)

    def set_legend(self, overlay: Overlay | None) -> None:
        """What the map marks, in its colours, with counts."""
        entries = overlay.legend() if overlay is not None else []
        self.legend.setText(
            " &nbsp; ".join(
                f"<span style='color:{html.escape(color)}'>&#9679;</span> "
                f"{html.escape(label)} {count:,}"
                for label, color, count in entries
            )
        )

    def _fill_people(self, comparison: Comparison) -> None:
        changes = change_words(comparison)
        self.changes = {node: text for node, (text, _row) in changes.items()}
        shown = list(changes.items())[:ROW_LIMIT]
        more = len(changes) - len(shown)
        self.people_label.setText(
            "Changed people (double-click to select)"
            if more <= 0
            else f"Changed people: the first {len(shown):,} of {len(changes):,} "
            "(the diff workbook has them all)"
        )
        table = self.people
        table.setSortingEnabled(False)
        table.setRowCount(len(shown))
        for r, (node, (text, row)) in enumerate(shown):
            name = QTableWidgetItem(comparison.labels(node))
            name.setData(Qt.ItemDataRole.UserRole, node)
            table.setItem(r, 0, name)
            table.setItem(r, 1, QTableWidgetItem(text))
            for c, m in enumerate(CHANGE_COLUMNS, start=2):
                v = (row or {}).get(m)
                delta = v.get("change") if v else None
                table.setItem(
                    r, c, _NumberItem("" if delta is None else _change(m, 0, delta), delta)
                )
        # keep the order (joined, left, moved... first) until a header is clicked
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)

    def show_node(self, node: str | None) -> None:
        """The selection's metrics before and after (a person's or a team's)."""
        comparison = self.comparison
        self.selected.setRowCount(0)
        if comparison is None or not node:
            self.selected_label.setText("Selection")
            self.main.inspector.set_changes("", None)
            return
        kind = node.partition(":")[0]
        if kind not in ("person", "team"):
            self.selected_label.setText("Selection: before and after show for people and teams")
            self.main.inspector.set_changes("", None)
            return
        section, names = ("people", PERSON_ROWS) if kind == "person" else ("teams", TEAM_ROWS)
        before, after = comparison.values(node, section)
        b_side, a_side = comparison.sides(node)
        where = "" if b_side and a_side else (" (joined)" if a_side else " (left)")
        self.selected_label.setText(f"Selection: {comparison.labels(node)}{where}")
        entity = "person" if kind == "person" else "team"
        rows = []
        for name in names:
            b = (before or {}).get(name)
            a = (after or {}).get(name)
            pending = bool(a_side) and after is not None and name not in after
            rows.append(
                (
                    metric(name, entity).label,
                    _shown(name, b, entity),
                    "computing..." if pending else _shown(name, a, entity),
                    "" if pending else _change(name, b, a, entity),
                )
            )
        self.selected.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.selected.setItem(r, c, QTableWidgetItem(text))
        # the inspector shows the same, beside the node's details
        self.main.inspector.set_changes(f"Before and after{where}", rows)

    def change_of(self, node: str) -> str:
        """The Change column's text for a node ("moved", "joined", ...), '' if none."""
        return self.changes.get(node, "")

    def _activated(self, item: QTableWidgetItem) -> None:
        node = self.people.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        if node:
            self.nodeActivated.emit(str(node))


def changes_panel(window: Any) -> ChangesPanel:
    """The window's one Changes panel (a dock, made on first use)."""
    panel = getattr(window, "_changes_panel", None)
    if panel is not None:
        return panel
    panel = ChangesPanel(window)
    dock = QDockWidget("Changes", window)
    dock.setObjectName("changesDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(window.issues_dock, dock)  # wide tables want the bottom
    dock.hide()
    window._changes_panel = panel  # noqa: SLF001 - the window holds its panels
    window._changes_dock = dock  # noqa: SLF001

    def select(node: str) -> None:
        if window.org is not None and node in window.org.graph:
            window.select_node(node, center=True)
        else:  # someone who left: not on the map, but their before still shows
            panel.show_node(node)

    panel.nodeActivated.connect(select)
    window.canvas.selectionChanged.connect(lambda node: panel.show_node(node or None))
    return panel


def set_change_column(window: Any, panel: ChangesPanel | None) -> None:
    """The explorer's People tab gains a Change column (the panel's words: joined,
    moved, ...), or loses it with ``None``. The explorer's models are rebuilt on every
    load, which drops the column with the comparison it belonged to."""
    from orgmap.gui.models import Column

    model = window.explorer.models.get("people")
    if model is None:
        return
    changes = panel.changes if panel is not None else {}
    model.beginResetModel()
    model.columns = [c for c in model.columns if c.key != "change"]
    if panel is not None:
        column = Column("change", "Change", lambda n: changes.get(n, ""), tooltip="what changed")
        model.columns.insert(1, column)
    model.endResetModel()


def show_panel(window: Any) -> ChangesPanel:
    panel = changes_panel(window)
    window._changes_dock.show()  # noqa: SLF001
    window._changes_dock.raise_()  # noqa: SLF001
    return panel


# -- Compare ------------------------------------------------------------------------------
def _compare_work(
    path: str,
    new: Any,
    new_metrics: dict[str, Any],
    relations: Any,
    progress: Any = None,
    cancel: Any = None,
) -> tuple[Any, dict[str, Any], OrgDiff]:
    """Load OLD, compute its metrics, diff against the shown org (on the worker thread)."""
    from orgmap.loader import load
    from orgmap.metrics import compute_all

    def part(lo: float, hi: float) -> Any:
        if progress is None:
            return None
        return lambda f, msg="": progress(lo + (hi - lo) * f, msg)

    old = load([path], progress=part(0.0, 0.4), cancel=cancel)
    if not old.people():
        raise ValueError(f"{Path(path).name}: no people could be read")
    old_metrics = compute_all(old, relations, progress=part(0.4, 0.95), cancel=cancel)
    diff = diff_orgs(old, new, relations, old_metrics=old_metrics, new_metrics=new_metrics)
    return old, old_metrics, diff


class CompareController(QObject):
    """File > Compare with..., the comparison shown, and its end."""

    #: ``compared(summary text)`` once a comparison is shown; ``failed(message)``.
    compared = Signal(str)
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.window: Any = None
        self.old: Any = None
        self.old_metrics: dict[str, Any] = {}
        self.diff: OrgDiff | None = None
        self.path: str | None = None
        self.job: Job | None = None

    def attach(self, window: Any) -> CompareController:
        self.window = window
        window._compare = self  # noqa: SLF001 - found by controller_of
        self.action = QAction("Compare &with...", window)
        self.action.setObjectName("actionCompare")
        self.action.setStatusTip("Compare the map with another snapshot of the org")
        self.action.triggered.connect(self.choose)
        self.end_action = QAction("End &comparison", window)
        self.end_action.setObjectName("actionEndCompare")
        self.end_action.setEnabled(False)
        self.end_action.triggered.connect(self.end)
        menu = _menu(window, "&File")
        first = menu.actions()[1] if len(menu.actions()) > 1 else None
        menu.insertAction(first, self.action)
        menu.insertAction(first, self.end_action)
        window.loaded.connect(self._on_loaded)
        return self

    def choose(self) -> None:
        if self.window.org is None:
            return
        paths = self.window.chooser.open_paths(self.window)
        if paths:
            self.compare_with(paths[0])

    def compare_with(self, path: str) -> Job | None:
        """Load ``path`` as OLD in the background and show its diff with the map."""
        window = self.window
        if window.org is None:
            return None
        if self.job is not None and self.job.running:
            self.job.cancel()
        self.path = str(path)
        relations = sorted(window.state.relations)
        job = Job(
            _compare_work,
            self.path,
            window.org,
            window.metrics,
            relations,
            label=f"Comparing with {Path(path).name}",
        )
        job.done.connect(lambda result, j=job: self._shown(j, result))
        job.failed.connect(lambda exc: self._failed(exc))
        self.job = job
        window.statusBar().showMessage(f"Comparing with {Path(path).name}...")
        return window.jobs.run(job, "compare")

    def _failed(self, exc: BaseException) -> None:
        message = f"Cannot compare with {Path(self.path or '').name}: {exc}"
        self.window.statusBar().showMessage(message)
        self.failed.emit(message)

    def _shown(self, job: Job, result: tuple[Any, dict[str, Any], OrgDiff]) -> None:
        if job is not self.job:
            return  # a later comparison replaced this one
        window = self.window
        self.old, self.old_metrics, self.diff = result
        diff = self.diff
        name = Path(self.path or "").name
        back = {n: o for o, n in diff.matches.items()}
        old, new = self.old, window.org

        def sides(node: str) -> tuple[str | None, str | None]:
            if node in new.graph:
                kind = new.graph.nodes[node].get("kind")
                if kind == "person":
                    return back.get(node), node
                return (node if node in old.graph else None), node
            return (node if node in old.graph else None), None

        def labels(node: str) -> str:
            return new.label(node) if node in new.graph else old.label(node)

        comparison = Comparison(
            f"Compared with {name}", diff, self.old_metrics, window.metrics, sides, labels
        )
        overlay = diff_overlay(diff, old, new, window.positions, f"Compared with {name}")
        panel = show_panel(window)
        panel.set_comparison(comparison, overlay=overlay)
        set_change_column(window, panel)
        panel.show_node(window.state.selection)
        window.canvas.set_overlay(overlay)
        self.end_action.setEnabled(True)
        window.statusBar().showMessage(f"Compared with {name}: {diff.summary_text()}")
        self.compared.emit(diff.summary_text())

    def end(self) -> None:
        self.diff = None
        self.old = None
        self.end_action.setEnabled(False)
        if self.window is not None:
            self.window.canvas.set_overlay(None)
            changes_panel(self.window).clear()
            set_change_column(self.window, None)

    def _on_loaded(self) -> None:
        if self.diff is not None:
            self.end()  # another org: the comparison was of the one before


def _menu(window: Any, title: str) -> Any:
    """The window's menu titled ``title`` (made when missing)."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text() == title:
            return action.menu()
    return window.menuBar().addMenu(title)


def controller_of(window: Any) -> CompareController | None:
    return getattr(window, "_compare", None)
