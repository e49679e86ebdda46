"""The app's "Loop in...": who the selected person can loop in for a target, and through
whom.

A :class:`LoopInController` attaches to the main window (``attach(window)``): it adds
the *Loop in…* action (Tools menu, Ctrl+Shift+L) and a *Loop in* panel beside the
inspector, holding a target field with completion (people's names, ``team:``,
``department:``, ``project:``) and the answer: introduction paths, advocates and, for a
project, who is missing, each with its reasons. The answer is computed by
:func:`orgmap.loop_in.loop_in` off the GUI thread (a :class:`~orgmap.gui.workers.Job`)
over the relations the metrics use, and drawn on the canvas through an overlay.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from PySide6.QtCore import QObject, QStringListModel, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from orgmap.gui.inspector import esc, node_link
from orgmap.gui.workers import Job
from orgmap.loop_in import (
    LoopIn,
    Route,
    TargetError,
    loop_in,
    new_hops,
    overlay,
    resolve_target,
    target_choices,
)
from orgmap.present import plural

__all__ = ["LoopInPanel", "LoopInController", "SHORTCUT", "answer_html"]

SHORTCUT = "Ctrl+Shift+L"


_CSS = """
h4 { margin: 8px 0 2px 0; }
p { margin: 2px 0 6px 0; }
.muted { color: gray; }
.hop { margin-left: 12px; }
"""


def _steps(route: Route) -> str:
    if not route.reachable:
        return "no route"
    return "you" if route.steps == 0 else plural(route.steps, "step")


def _chain(org: Any, route: Route) -> str:
    return " › ".join(esc(org.label(n)) for n in route.nodes)


def answer_html(org: Any, result: LoopIn) -> str:
    """The answer as rich text: every name links to its node (``node:`` links, as in the
    inspector), every text from the spreadsheet escaped; a hop's reason is shown the
    first time a route takes it (:func:`orgmap.loop_in.new_hops`)."""
    said: set[tuple[str, str]] = set()
    parts: list[str] = [f"<p>{esc(n)}</p>" for n in result.notes]

    def entry(node: str, head: str, route: Route, reasons: bool = True) -> None:
        lines = [f"<b>{node_link(org, node)}</b> — {head}"]
        if route.reachable and route.steps:
            lines.append(f'<span class="muted">{_chain(org, route)}</span>')
        if reasons:
            for _, fresh in new_hops([route], said):
                lines += [f'<span class="hop">{esc(h.reason)}</span>' for h in fresh]
        parts.append("<p>" + "<br>".join(lines) + "</p>")

    if result.paths:
        parts.append("<h4>Introduction paths</h4>")
        for r in result.paths:
            entry(r.to, esc(_steps(r)), r)
    if result.advocates:
        parts.append("<h4>Advocates</h4>")
        for a in result.advocates:
            entry(a.node, f"{esc(a.why)} — {esc(_steps(a.route))}", a.route)
    if result.missing_teams or result.stakeholders:
        parts.append("<h4>Who is missing</h4>")
        for m in result.missing_teams:
            parts.append(f"<p><b>{node_link(org, m.team)}</b> — {esc(m.why)}</p>")
        for st in result.stakeholders:
            entry(st.node, f"{esc(st.why)} — {esc(_steps(st.route))}", st.route)
    return "".join(parts)


class LoopInPanel(QWidget):
    """The target field and the answer. ``requested(text)`` when the user asks,
    ``cleared()`` when they clear it, ``nodeActivated(node)`` when they click a name."""

    requested = Signal(str)
    nodeActivated = Signal(str)  # noqa: N815
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loopInPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self.source = QLabel("Select a person, then type who or what to loop in.", self)
        self.source.setObjectName("loopInFrom")
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.source.setWordWrap(True)
        layout.addWidget(self.source)
        row = QHBoxLayout()
        self.field = QLineEdit(self)
        self.field.setObjectName("loopInTarget")
        self.field.setPlaceholderText("a person, team:…, department:…, project:…")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Loop in target")
        self.choices = QStringListModel(self)
        self.completer = QCompleter(self.choices, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.field.setCompleter(self.completer)
        self.go = QPushButton("Show", self)
        self.go.setObjectName("loopInGo")
        row.addWidget(self.field, 1)
        row.addWidget(self.go)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setObjectName("loopInClear")
        self.clear_button.setToolTip("Take the answer off the map")
        row.addWidget(self.clear_button)
        layout.addLayout(row)
        self.message = QLabel(self)
        self.message.setObjectName("loopInMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.answer = QTextBrowser(self)
        self.answer.setObjectName("loopInAnswer")
        self.answer.setOpenLinks(False)
        self.answer.setOpenExternalLinks(False)
        self.answer.document().setDefaultStyleSheet(_CSS)
        layout.addWidget(self.answer, 1)
        self.go.clicked.connect(self._ask)
        self.clear_button.clicked.connect(self.cleared)
        self.field.returnPressed.connect(self._ask)
        self.answer.anchorClicked.connect(self._on_anchor)

    def _ask(self) -> None:
        text = self.field.text().strip()
        if text:
            self.requested.emit(text)

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("node:"):
            self.nodeActivated.emit(unquote(text[len("node:") :]))

    def set_choices(self, choices: list[str]) -> None:
        self.choices.setStringList(choices)

    def set_source(self, text: str) -> None:
        self.source.setText(text)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def clear(self) -> None:
        self.answer.clear()
        self.show_message("")

    def show_result(self, org: Any, result: LoopIn) -> None:
        """List the paths, advocates and who is missing, each route with its reasons."""
        kind = result.target_kind
        what = (
            org.label(result.target) if kind == "person" else f"{kind} {org.label(result.target)}"
        )
        self.set_source(f"{org.label(result.person)} → {what}")
        self.show_message("")
        self.answer.setHtml(answer_html(org, result))

    def text(self) -> str:
        """The answer as plain text (what a screen reader reads)."""
        return self.answer.toPlainText()

    def links(self) -> list[str]:
        """The node keys the answer links to, in page order."""
        return [unquote(m) for m in re.findall(r'href="node:([^"]+)"', self.answer.toHtml())]


def _query(
    org: Any,
    person: str,
    target: str,
    relations: list[str],
    metrics: dict[str, Any],
    progress: Any = None,
    cancel: Any = None,
) -> LoopIn:
    """:func:`loop_in` in the shape a :class:`Job` calls (one query: nothing to report)."""
    return loop_in(org, person, target, relations=relations, metrics=metrics)


class LoopInController(QObject):
    """Adds *Loop in…* to a main window and answers it. ``answered(result)`` after an
    answer is shown; ``failed(message)`` when the question could not be asked."""

    answered = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: Any = None
        self.panel: LoopInPanel | None = None
        self.dock: QDockWidget | None = None
        self.action: QAction | None = None
        self.result: LoopIn | None = None
        self._job: Job | None = None

    def attach(self, window: Any) -> LoopInController:
        """Add the action, its menu entry and the panel to ``window``; returns self."""
        self.window = window
        self.setParent(window)
        self.panel = LoopInPanel(window)
        self.dock = QDockWidget("Loop in", window)
        self.dock.setObjectName("loopInDock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()  # until asked: the first-run page shows no panels
        self.action = QAction("Loop &in…", window)
        self.action.setObjectName("actLoopIn")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip(
            "Who the selected person can loop in for a person, team, department or project"
        )
        self.action.triggered.connect(self.open)
        window.addAction(self.action)
        bar = window.menuBar()
        menu = next(
            (a.menu() for a in bar.actions() if a.menu() and a.text().replace("&", "") == "Tools"),
            None,
        )
        if menu is None:
            help_action = next(
                (a for a in bar.actions() if a.text().replace("&", "") == "Help"), None
            )
            menu = bar.addMenu("&Tools")
            if help_action is not None:  # keep Help last, where people look for it
                bar.insertMenu(help_action, menu)
        menu.addAction(self.action)
        self.panel.requested.connect(self.ask)
        self.panel.cleared.connect(self.clear)
        self.panel.nodeActivated.connect(lambda n: window.select_node(n, center=True))
        window.loaded.connect(self._on_loaded)
        return self

    # -- state of the window -------------------------------------------------------------
    def _person(self) -> str | None:
        org, node = self.window.org, self.window.state.selection
        if org is None or not node or node not in org.graph:
            return None
        return node if org.graph.nodes[node].get("kind") == "person" else None

    def _on_loaded(self) -> None:
        self.result = None
        if self.panel is not None:
            self.panel.clear()
            self.panel.set_choices([])  # filled when next opened: 100k names take a while
        self._show_overlay(None)

    def open(self) -> None:
        """Show the panel and put the cursor in the target field."""
        assert self.panel is not None and self.dock is not None
        self._beside_inspector()
        self.dock.show()
        self.dock.raise_()
        person = self._person()
        if person is None:
            self.panel.set_source("Select a person first: the answer starts from them.")
        else:
            self.panel.set_source(f"From {self.window.org.label(person)}: who or what?")
        if self.window.org is not None and not self.panel.choices.stringList():
            self.panel.set_choices(target_choices(self.window.org))
        self.panel.field.setFocus()
        self.panel.field.selectAll()

    def _beside_inspector(self) -> None:
        """Put the panel in a tab beside the inspector: the answer needs the height. Qt
        tabs a dock only beside a visible one, so this waits for the first use."""
        inspector = self.window.findChild(QDockWidget, "inspectorDock")
        if inspector is None or not inspector.isVisible() or inspector.isFloating():
            return
        if self.dock not in self.window.tabifiedDockWidgets(inspector):
            self.window.tabifyDockWidget(inspector, self.dock)

    # -- asking ------------------------------------------------------------------------
    def ask(self, text: str) -> Job | None:
        """Answer for the selected person and the target ``text``; the job runs off the
        GUI thread (None when the question could not be asked: the panel says why)."""
        assert self.panel is not None
        org = self.window.org
        person = self._person()
        if org is None or person is None:
            return self._fail("Select a person first: the answer starts from them.")
        try:
            target = resolve_target(org, text)
        except TargetError as exc:
            return self._fail(str(exc))
        if self._job is not None and self._job.running:
            self._job.cancel()
        self.panel.show_message(f"Looking for routes from {org.label(person)}…")
        job = Job(
            _query,
            org,
            person,
            target,
            list(self.window.state.relations),
            self.window.metrics,
            label="loop in",
        )
        job.done.connect(lambda result, o=org: self._show(o, result))
        job.failed.connect(lambda exc: self._fail(f"Could not answer: {exc}"))
        self._job = job
        return self.window.jobs.run(job, "loop_in")

    def _fail(self, message: str) -> None:
        assert self.panel is not None
        self.panel.show_message(message)
        self.failed.emit(message)
        return None

    def _show(self, org: Any, result: LoopIn) -> None:
        if org is not self.window.org:
            return  # another org was opened meanwhile
        assert self.panel is not None
        self.result = result
        self.panel.show_result(org, result)
        self._show_overlay(result)
        reached = sum(r.reachable for r in result.paths)
        self.window.statusBar().showMessage(
            f"Loop in: {plural(reached, 'route')}, {plural(len(result.advocates), 'advocate')}"
        )
        self.answered.emit(result)

    def _show_overlay(self, result: LoopIn | None) -> None:
        """Draw the answer on the canvas (None clears it)."""
        org = self.window.org
        shown = overlay(org, result) if result is not None and org is not None else None
        self.window.canvas.set_overlay(shown)
        if shown is not None:
            self._frame(shown.nodes())

    def _frame(self, nodes: set[str], margin: float = 40.0) -> None:
        """Zoom and pan the canvas so every node of the answer is in view."""
        xy = [self.window.positions[n] for n in nodes if n in self.window.positions]
        canvas = self.window.canvas
        if not xy or canvas.width() <= 2 * margin or canvas.height() <= 2 * margin:
            return
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
        zoom = min((canvas.width() - 2 * margin) / span_x, (canvas.height() - 2 * margin) / span_y)
        # never closer than labels need: one person's answer would zoom in absurdly
        zoom = min(zoom, max(canvas.label_scale() * 1.25, 1.0))
        canvas.set_view(zoom, ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2))

    def clear(self) -> None:
        """Take the answer off the canvas and out of the panel."""
        self.result = None
        if self.panel is not None:
            self.panel.clear()
        self._show_overlay(None)
