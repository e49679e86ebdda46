"""What-if in the app: edits on a copy of the org, with undo, redo and a history.

Remove a person, move a person or a whole team under another manager, add or remove a
project member: from the What-if menu or the context menu of the map and the explorer,
on the selection. Each edit is an :class:`orgmap.scenario.Edit` applied to the
controller's :class:`~orgmap.scenario.Scenario` (the window's org is never changed and
no file is read), pushed on a ``QUndoStack`` (Ctrl+Z, Ctrl+Shift+Z, Edit > History).

After each edit or undo the metrics are recomputed in the background
(:class:`orgmap.gui.workers.Job`, on a :meth:`~orgmap.scenario.Scenario.snapshot` so
the GUI thread may go on editing): first :data:`~orgmap.scenario.FAST_METRICS` and the
diff (shown at once: the Changes panel's before, after and change, the canvas marks of
who left, moved or lost their last link), then the rest (influence, brokerage...),
which fill in the panel when they land. A newer edit cancels older work.

The edits are kept in the document (``OrgDocument.edits``), so they are saved in the
``.orgmap`` session (``Session.edits``) and made again when it is opened or reloaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMessageBox, QUndoView

from orgmap.diff import OrgDiff, diff_orgs, diff_overlay
from orgmap.gui.compare import (
    Comparison,
    _menu,
    changes_panel,
    set_change_column,
    show_panel,
)
from orgmap.gui.workers import Job
from orgmap.model import UnknownPerson
from orgmap.scenario import (
    FAST_METRICS,
    AddMember,
    Edit,
    MovePerson,
    MoveTeam,
    RemoveMember,
    RemovePerson,
    Scenario,
    ScenarioError,
    edit_from_dict,
    recompute,
)

__all__ = ["WhatIfController", "controller_of"]


def _export_work(
    base: Any,
    base_metrics: dict[str, Any],
    snapshot: Any,
    touched: set[str],
    relations: Any,
    metrics: dict[str, Any] | None,
    path: str,
    label: str,
    progress: Any = None,
    cancel: Any = None,
) -> str:
    from orgmap.diff_report import write_diff_report

    diff = diff_orgs(
        base, snapshot, relations, old_metrics=base_metrics, new_metrics=metrics, only=touched
    )
    write_diff_report(diff, path, "original", label)
    return path


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


def _fast_work(
    base: Any,
    base_metrics: dict[str, Any],
    snapshot: Any,
    touched: set[str],
    relations: Any,
    progress: Any = None,
    cancel: Any = None,
) -> tuple[dict[str, Any], OrgDiff]:
    metrics = recompute(snapshot, relations, FAST_METRICS, progress=progress, cancel=cancel)
    metrics["partial"] = True
    diff = diff_orgs(
        base, snapshot, relations, old_metrics=base_metrics, new_metrics=metrics, only=touched
    )
    return metrics, diff


def _rest_work(
    base: Any,
    base_metrics: dict[str, Any],
    snapshot: Any,
    touched: set[str],
    relations: Any,
    fast: dict[str, Any],
    remote: Any = None,
    progress: Any = None,
    cancel: Any = None,
) -> tuple[dict[str, Any], OrgDiff]:
    # the fast ones are done: only the others; asked of the document's compute server
    # when it has one (the helper process keeps its own copy of the org and makes the
    # same edits there), so the slow metrics never hold the window's interpreter
    if remote is not None:
        rest = remote(progress, cancel)
    else:
        rest = recompute(snapshot, relations, skip=FAST_METRICS, progress=progress, cancel=cancel)
    metrics: dict[str, Any] = {}
    for section in ("people", "projects", "teams"):
        metrics[section] = {
            node: {**fast[section].get(node, {}), **row} for node, row in rest[section].items()
        }
    diff = diff_orgs(
        base, snapshot, relations, old_metrics=base_metrics, new_metrics=metrics, only=touched
    )
    return metrics, diff


class _EditCommand(QUndoCommand):
    """One edit on the undo stack: redo applies it to the scenario, undo takes it back."""

    def __init__(self, controller: WhatIfController, edit: Edit, text: str) -> None:
        super().__init__(text)
        self.controller, self.edit = controller, edit

    def redo(self) -> None:
        self.controller.scenario.apply(self.edit)
        self.controller.changed()

    def undo(self) -> None:
        self.controller.scenario.undo()
        self.controller.changed()


class WhatIfController(QObject):
    """The What-if menu, the undo stack, the recompute and what it shows."""

    #: After an edit's first results are shown (``fast``) and after all of them.
    shown = Signal(str)  # "fast" | "full" | "clear"
    refused = Signal(str)
    exportDone = Signal(str)  # noqa: N815

    def __init__(self) -> None:
        super().__init__()
        self.window: Any = None
        self.scenario: Scenario | None = None
        self.stack: QUndoStack | None = None
        self.metrics: dict[str, Any] = {}
        self.diff: OrgDiff | None = None
        self.job: Job | None = None
        self._generation = 0
        self.quiet = False  # no message boxes (tests, screenshots)
        self._exports: list[Job] = []

    # -- wiring ---------------------------------------------------------------------------
    def attach(self, window: Any) -> WhatIfController:
        self.window = window
        window._whatif = self  # noqa: SLF001 - found by controller_of
        self.stack = QUndoStack(window)
        undo = self.stack.createUndoAction(window, "&Undo")
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        undo.setObjectName("actionUndo")
        redo = self.stack.createRedoAction(window, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.setObjectName("actionRedo")
        self.history_view = QUndoView(self.stack)
        self.history_view.setEmptyLabel("Original org")
        self.history_dock = QDockWidget("History", window)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setWidget(self.history_view)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()
        history = QAction("&History", window)
        history.setObjectName("actionHistory")
        history.setShortcut(QKeySequence("Ctrl+H"))
        history.triggered.connect(self.show_history)
        edit_menu = _menu(window, "&Edit")
        first = edit_menu.actions()[0] if edit_menu.actions() else None
        for action in (undo, redo, history):
            edit_menu.insertAction(first, action)
        if first is not None:
            edit_menu.insertSeparator(first)
        self.undo_action, self.redo_action, self.history_action = undo, redo, history

        menu = _menu(window, "&What-if")
        self.actions: dict[str, QAction] = {}
        for key, text, slot, shortcut in (
            ("remove", "&Remove selected person", self.ask_remove, "Shift+Del"),
            ("move", "&Move selected person under...", self.ask_move, "Ctrl+M"),
            ("move_team", "Move selected &team under...", self.ask_move_team, "Ctrl+Shift+M"),
            ("add_member", "&Add selected person to project...", self.ask_add_member, ""),
            ("remove_member", "Take selected person &off project...", self.ask_remove_member, ""),
        ):
            action = QAction(text, window)
            action.setObjectName(f"actionWhatIf_{key}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[key] = action
        menu.addSeparator()
        export = QAction("&Export what-if diff...", window)
        export.setObjectName("actionWhatIfExport")
        export.triggered.connect(self.ask_export)
        reset = QAction("&Discard what-if edits", window)
        reset.setObjectName("actionWhatIfReset")
        reset.triggered.connect(self.reset)
        menu.addAction(export)
        menu.addAction(reset)
        self.actions["export"], self.actions["reset"] = export, reset
        # the same actions on the map's and the explorer's context menu, on the selection
        for widget in (window.canvas, window.explorer):
            for key in ("remove", "move", "move_team", "add_member", "remove_member"):
                widget.addAction(self.actions[key])
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        window.loaded.connect(self._on_loaded)
        window.metricsChanged.connect(self._on_metrics)
        self._update_enabled()
        window.canvas.selectionChanged.connect(lambda _node: self._update_enabled())
        return self

    def show_history(self) -> None:
        self.history_dock.show()
        self.history_dock.raise_()

    def _update_enabled(self) -> None:
        org, node = self.window.org, self.window.state.selection
        kind = None
        if org is not None and node and node in org.graph:
            kind = org.graph.nodes[node].get("kind")
        for key in ("remove", "move", "add_member", "remove_member"):
            self.actions[key].setEnabled(kind == "person")
        self.actions["move_team"].setEnabled(kind in ("person", "team"))
        has_edits = bool(self.stack is not None and self.stack.count())
        self.actions["export"].setEnabled(has_edits)
        self.actions["reset"].setEnabled(has_edits)

    # -- the org changed under us --------------------------------------------------------
    def _on_loaded(self) -> None:
        """A new org: a new scenario, the old edits gone (or the session's, re-applied)."""
        self._cancel()
        window = self.window
        self.stack.clear()
        # made on the first edit: a 100 000-person copy is not free, and most opens
        # never ask a what-if
        self.scenario = None
        self.metrics, self.diff = {}, None
        # a session's (or a reload's) edits, which the document holds for us to make again
        pending, window.doc.edits = list(window.doc.edits), []
        refused: list[str] = []
        for data in pending:
            try:
                edit = edit_from_dict(data)
            except ScenarioError as exc:
                refused.append(str(exc))
                continue
            if not self.apply(edit, quiet=True):
                refused.append(window.statusBar().currentMessage())
        if refused:
            self._say(f"{len(refused)} saved what-if edits could not be made: {refused[0]}")
        self._update_enabled()

    def _on_metrics(self) -> None:
        if self.scenario is not None and self.scenario.steps:
            self.changed()  # other relations: recompute against the new original metrics

    # -- edits ----------------------------------------------------------------------------
    def apply(self, edit: Edit, quiet: bool | None = None) -> bool:
        """Check ``edit`` and push it (which applies it); False, with the reason said,
        when it cannot be made."""
        if self.scenario is None:
            if self.window.org is None:
                return False
            self.scenario = Scenario(self.window.org)
        try:
            edit.check(self.scenario.org)
            text = edit.describe(self.scenario.org)
        except ScenarioError as exc:
            self._say(str(exc), quiet)
            self.refused.emit(str(exc))
            return False
        self.stack.push(_EditCommand(self, edit, text))
        self._update_enabled()
        return True

    def _current(self) -> Any:
        """The org as the edits so far left it (the window's before the first)."""
        return self.scenario.org if self.scenario is not None else self.window.org

    def edits(self) -> list[dict[str, Any]]:
        """The applied edits' plain-dict form, for the saved session."""
        return self.scenario.to_dicts() if self.scenario is not None else []

    def reset(self) -> None:
        while self.stack.canUndo():
            self.stack.undo()
        self.stack.clear()
        self._update_enabled()

    def _selected(self, kind: str) -> str | None:
        node = self.window.state.selection
        org = self.window.org
        if not node or org is None or node not in org.graph:
            return None
        if kind == "team" and org.graph.nodes[node].get("kind") == "person":
            team = org.graph.nodes[node].get("team")
            return f"team:{team}" if team and f"team:{team}" in org.graph else None
        return node if org.graph.nodes[node].get("kind") == kind else None

    def _ask_person(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self.window, title, prompt)
        if not ok or not text.strip():
            return None
        try:
            return self._current().resolve_person(text)
        except UnknownPerson as exc:
            self._say(str(exc))
            return None

    def ask_remove(self) -> None:
        node = self._selected("person")
        if node:
            self.apply(RemovePerson(node))

    def ask_move(self) -> None:
        node = self._selected("person")
        if node:
            manager = self._ask_person(
                "Move under", f"New manager of {self.window.org.label(node)} (id, email or name):"
            )
            if manager:
                self.apply(MovePerson(node, manager))

    def ask_move_team(self) -> None:
        team = self._selected("team")
        if team:
            manager = self._ask_person(
                "Move team under",
                f"Manager for team {self.window.org.label(team)} (id, email or name):",
            )
            if manager:
                self.apply(MoveTeam(team, manager))

    def _projects(self, node: str, member: bool) -> list[str]:
        org = self._current()
        mine = {v for v, keys in org.graph._succ.get(node, {}).items() if "works_on" in keys}
        return sorted(
            (p for p in org.projects() if (p in mine) == member),
            key=lambda p: org.label(p).casefold(),
        )

    def _ask_project(self, node: str, member: bool, title: str) -> str | None:
        projects = self._projects(node, member)
        if not projects:
            self._say("No project to choose from.")
            return None
        labels = [self._current().label(p) for p in projects]
        choice, ok = QInputDialog.getItem(self.window, title, "Project:", labels, 0, False)
        return projects[labels.index(choice)] if ok and choice in labels else None

    def ask_add_member(self) -> None:
        node = self._selected("person")
        if node:
            project = self._ask_project(node, False, "Add to project")
            if project:
                self.apply(AddMember(node, project))

    def ask_remove_member(self) -> None:
        node = self._selected("person")
        if node:
            project = self._ask_project(node, True, "Take off project")
            if project:
                self.apply(RemoveMember(node, project))

    def ask_export(self) -> None:
        path = self.window.chooser.save_path(
            self.window, "Export what-if diff", "Workbook (*.xlsx)", "what-if-diff.xlsx"
        )
        if path:
            self.export(path)

    def export(self, path: str | Path) -> Job | None:
        """Write the scenario as a diff workbook against the original, in the
        background (``exportDone(path)`` when written)."""
        if self.scenario is None or not self.scenario.steps:
            return None
        window = self.window
        steps = "; ".join(s.text for s in self.scenario.steps)
        job = Job(
            _export_work,
            window.org,
            window.metrics,
            self.scenario.snapshot(),
            self.scenario.touched,
            self._relations(),
            self.metrics or None,
            str(path),
            f"what-if: {steps}",
            label="Exporting the what-if diff",
        )
        job.done.connect(lambda written: self.exportDone.emit(str(written)))
        job.failed.connect(lambda exc: self._say(f"Cannot write {path}: {_reason(exc)}"))
        self._exports.append(job)
        job.finished.connect(lambda: self._exports.remove(job))
        # through the window's jobs: shown in the status bar, cancelled when it closes
        self.window.jobs.run(job)
        return job

    def _remote(self, relations: Any) -> Any:
        """The compute server's what-if request for the rest of the metrics, or None
        when the org is computed in this process."""
        doc = self.window.doc
        if not doc.compute.remote:
            return None
        return doc.whatif_work(self.edits(), relations, skip=FAST_METRICS)

    def _relations(self) -> list[str] | None:
        return sorted(self.window.state.relations)

    # -- recompute ------------------------------------------------------------------------
    def _cancel(self) -> None:
        self._generation += 1
        if self.job is not None and self.job.running:
            self.job.cancel()
        self.job = None

    def changed(self) -> None:
        """The scenario changed (an edit, an undo): recompute, fast part first."""
        self._cancel()
        self._update_enabled()
        window = self.window
        window.doc.edits = self.edits()  # the document keeps them: sessions save them
        scenario = self.scenario
        if scenario is None or not scenario.steps:
            self.metrics, self.diff = {}, None
            window.canvas.set_overlay(None)
            changes_panel(window).clear("No what-if edits")
            set_change_column(window, None)
            self.shown.emit("clear")
            return
        generation = self._generation
        snapshot, touched = scenario.snapshot(), scenario.touched
        args = (window.org, window.metrics, snapshot, touched, self._relations())
        job = Job(_fast_work, *args, label="What-if")
        job.done.connect(lambda result: self._fast_done(generation, args, result))
        job.failed.connect(lambda exc: self._say(f"What-if failed: {exc}"))
        self.job = job
        window.statusBar().showMessage("What-if: recomputing...")
        window.jobs.run(job, "whatif")

    def _fast_done(self, generation: int, args: tuple, result: tuple) -> None:
        if generation != self._generation:
            return
        self.metrics, self.diff = result
        self._show("computing influence, brokerage and roles...")
        self.shown.emit("fast")
        job = Job(_rest_work, *args, self.metrics, self._remote(args[4]), label="What-if")
        job.done.connect(lambda res: self._rest_done(generation, res))
        job.failed.connect(lambda exc: self._say(f"What-if failed: {exc}"))
        self.job = job
        self.window.jobs.run(job, "whatif")

    def _rest_done(self, generation: int, result: tuple) -> None:
        if generation != self._generation:
            return
        self.metrics, self.diff = result
        self.job = None
        self._show("")
        self.shown.emit("full")

    def _show(self, status: str) -> None:
        window, diff = self.window, self.diff
        base = window.org
        steps = self.scenario.steps
        title = f"What-if: {len(steps)} edit{'s' if len(steps) != 1 else ''} ({steps[-1].text})"
        after_org = self.scenario.org

        def sides(node: str) -> tuple[str | None, str | None]:
            # the same key on both sides; a removed person has no "after"
            after = self.metrics.get("people", {}), self.metrics.get("teams", {})
            return (node if node in base.graph else None), (
                node if node in after[0] or node in after[1] else None
            )

        def labels(node: str) -> str:
            return base.label(node) if node in base.graph else after_org.label(node)

        comparison = Comparison(title, diff, window.metrics, self.metrics, sides, labels)
        overlay = diff_overlay(diff, base, after_org, window.positions, title, on_map="old")
        panel = show_panel(window)
        panel.set_comparison(comparison, status, overlay)
        set_change_column(window, panel)
        panel.show_node(window.state.selection)
        window.canvas.set_overlay(overlay)
        window.statusBar().showMessage(f"{title}: {diff.summary_text()}")

    def _say(self, message: str, quiet: bool | None = None) -> None:
        self.window.statusBar().showMessage(message)
        if not (self.quiet if quiet is None else quiet):
            QMessageBox.information(self.window, "What-if", message)


def controller_of(window: Any) -> WhatIfController | None:
    return getattr(window, "_whatif", None)
