"""What-if in a real window: edits from the menu, undo and redo with the keyboard, the
history, the Changes panel's before and after, the canvas marks, sessions, export.

The org is the seven-person workbook of ``tests/test_diff.py`` (Ada; Ben, Di, Flo in
Platform; Cy, Ed in Data; Sam with no team; Apollo = Ben, Di, Ed).
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from gui_helpers import open_and_wait
from PySide6.QtCore import Qt
from test_diff import OLD, PROJECTS_OLD, write_book

from orgmap.scenario import MovePerson


@pytest.fixture
def book(tmp_path):
    return write_book(tmp_path / "q1.xlsx", OLD, PROJECTS_OLD)


@pytest.fixture
def org_window(qtbot, window, book):
    assert open_and_wait(qtbot, window, [book]) == "done"
    window.whatif.quiet = True
    return window


def _edit(qtbot, window, trigger):
    with qtbot.waitSignal(
        window.whatif.shown, timeout=30_000, check_params_cb=lambda k: k == "full"
    ):
        trigger()


def _rows(table):
    return [
        tuple(
            table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())
        )
        for r in range(table.rowCount())
    ]


def test_remove_from_the_menu_then_undo_and_redo_with_the_keyboard(qtbot, org_window, book):
    window, whatif = org_window, org_window.whatif
    before = book.read_bytes()
    edges = list(window.org.graph.edges(keys=True))
    window.select_node("person:5")  # Ed
    assert whatif.actions["remove"].isEnabled()
    _edit(qtbot, window, whatif.actions["remove"].trigger)
    panel = window._changes_panel
    assert panel.summary.text() == "0 joined, 1 left, 0 moved"
    assert dict(window.canvas.overlay().marks) == {"person:5": "left"}
    assert _rows(panel.people)[0][:2] == ("Ed", "left")
    assert "left 1" in panel.legend.text()
    # Ben before: the Leadership-Platform pair (10) + Flo, who works with Ben only (1);
    # without Ed, Di works with Ben only too: 12
    window.select_node("person:2")
    rows = {r[0]: r[1:] for r in _rows(panel.selected)}
    assert rows["Key-person risk"] == ("11", "12", "+1")
    assert "Key-person risk 11 12 +1" in " ".join(window.inspector.toPlainText().split())
    # the original org is untouched; the what-if lives in the scenario
    assert list(window.org.graph.edges(keys=True)) == edges
    assert "person:5" not in whatif.scenario.org.graph

    with qtbot.waitSignal(whatif.shown, timeout=30_000, check_params_cb=lambda k: k == "clear"):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.overlay() is None and panel.title.text() == "No what-if edits"
    assert list(whatif.scenario.org.graph.edges(keys=True)) == edges
    _edit(
        qtbot,
        window,
        lambda: qtbot.keyClick(
            window,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        ),
    )
    assert dict(window.canvas.overlay().marks) == {"person:5": "left"}
    # Edit > History lists the original and the edit
    whatif.history_action.trigger()
    view = whatif.history_view
    assert whatif.history_dock.isVisible()
    texts = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    assert texts == ["Original org", "Remove Ed (5)"]
    assert book.read_bytes() == before  # no source file was touched


def test_a_cycle_is_refused_with_its_reason(qtbot, org_window):
    whatif = org_window.whatif
    with qtbot.waitSignal(whatif.refused) as blocker:
        assert whatif.apply(MovePerson("person:1", "person:5")) is False
    assert "Ed already reports to Ada (Ed -> Cy -> Ada)" in blocker.args[0]
    assert whatif.stack.count() == 0
    assert "reporting cycle" in org_window.statusBar().currentMessage()


def test_moving_a_team_marks_who_moved_and_who_lost_their_last_link(qtbot, org_window):
    from orgmap.scenario import MoveTeam, RemovePerson

    window, whatif = org_window, org_window.whatif
    # Data's head, Cy, goes under Ben; Data joins Ben's department (Eng: unchanged)
    _edit(qtbot, window, lambda: whatif.apply(MoveTeam("team:Data", "person:2")))
    assert whatif.diff.moved == [{"id": "3", "name": "Cy", "manager": ["Ada", "Ben"]}]
    assert dict(window.canvas.overlay().marks) == {"person:3": "moved"}
    # then Ben leaves and nobody takes his reports: Flo worked with Ben only (cut off);
    # Di keeps Ed (Apollo); Cy and Di have no manager now (moved)
    _edit(qtbot, window, lambda: whatif.apply(RemovePerson("person:2", reports_up=False)))
    assert dict(window.canvas.overlay().marks) == {
        "person:2": "left", "person:3": "moved", "person:4": "moved", "person:6": "cut_off",
    }  # fmt: skip
    assert whatif.diff.lost_last_link == [{"id": "6", "name": "Flo"}]
    assert "1 lost their last link (Flo)" in window._changes_panel.summary.text()
    assert whatif.stack.count() == 2


def test_edits_survive_in_the_saved_session(qtbot, org_window, tmp_path, settings):
    window, whatif = org_window, org_window.whatif
    window.select_node("person:5")
    _edit(qtbot, window, whatif.actions["remove"].trigger)
    path = window.save_session(tmp_path / "s.orgmap")
    data = json.loads(path.read_text())
    assert data["edits"] == [{"kind": "remove_person", "person": "person:5", "reports_up": True}]
    assert window.doc.edits == data["edits"]  # the document holds them too

    from gui_helpers import make_window

    again = make_window(qtbot, settings)
    again.whatif.quiet = True
    with qtbot.waitSignal(
        again.whatif.shown, timeout=60_000, check_params_cb=lambda k: k == "full"
    ):
        again.open_session(path)
    assert again.whatif.stack.count() == 1
    assert dict(again.canvas.overlay().marks) == {"person:5": "left"}
    assert "person:5" in again.org.graph  # the original, as the files say


def test_a_scenario_exports_as_a_diff_workbook(qtbot, org_window, tmp_path):
    window, whatif = org_window, org_window.whatif
    window.select_node("person:5")
    _edit(qtbot, window, whatif.actions["remove"].trigger)
    window.chooser.save_answers.append(str(tmp_path / "what-if.xlsx"))
    with qtbot.waitSignal(whatif.exportDone, timeout=30_000):
        whatif.actions["export"].trigger()
    wb = openpyxl.load_workbook(tmp_path / "what-if.xlsx")
    left = list(wb["Left"].iter_rows(min_row=2, values_only=True))
    assert left == [("5", "Ed", "Data", "Eng", "Cy")]
    summary = dict(wb["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["New"] == "what-if: Remove Ed (5)"


def test_a_saved_edit_that_no_longer_fits_is_said_not_dropped(qtbot, window, book, tmp_path):
    from orgmap.gui.state import Session

    # Ada under Ed: Ed reports to Cy who reports to Ada, a cycle
    bad = {"kind": "move_person", "person": "person:1", "manager": "person:5", "join_team": True}
    path = tmp_path / "old.orgmap"
    Session(sources=[str(book)], edits=[bad]).save(path)
    window.whatif.quiet = True
    with qtbot.waitSignal(window.loadFinished, timeout=60_000):
        window.open_session(path)
    assert window.whatif.stack.count() == 0
    message = window.statusBar().currentMessage()
    assert message.startswith("1 saved what-if edits could not be made: cannot move Ada (1)")


def _answer(qtbot, text):
    """Type ``text`` into the next input dialog and press OK (the real dialog)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    def fill():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, fill)
            return
        dialog.setTextValue(text)  # a text field, or the item of a list
        dialog.accept()

    QTimer.singleShot(0, fill)


def test_move_and_project_dialogs_make_the_edit_they_say(qtbot, org_window):
    window, whatif = org_window, org_window.whatif
    window.select_node("person:6")  # Flo
    _answer(qtbot, "cy@x.org")
    _edit(qtbot, window, whatif.actions["move"].trigger)
    assert whatif.scenario.to_dicts() == [
        {"kind": "move_person", "person": "person:6", "manager": "person:3", "join_team": True}
    ]
    _answer(qtbot, "Apollo")
    _edit(qtbot, window, whatif.actions["add_member"].trigger)
    assert whatif.scenario.to_dicts()[-1] == {
        "kind": "add_member", "person": "person:6", "project": "project:Apollo",
        "role": "contributor",
    }  # fmt: skip
    # a name that matches nobody is said, with the closest people, and nothing changes
    _answer(qtbot, "Cyy")
    whatif.actions["move"].trigger()
    assert whatif.stack.count() == 2
    assert "'Cyy': nobody with that id, email or name; closest: Cy" in (
        window.statusBar().currentMessage()
    )


def test_with_a_compute_server_the_slow_metrics_come_from_it(qtbot, window, book, monkeypatch):
    import orgmap.gui.pipeline as pipeline
    from orgmap.scenario import RemovePerson, recompute

    monkeypatch.setattr(pipeline, "SUBPROCESS_BYTES", 0)  # a helper process even for this
    assert open_and_wait(qtbot, window, [book]) == "done"
    assert window.doc.compute.remote
    whatif = window.whatif
    whatif.quiet = True
    assert whatif._remote(None) is not None  # the second pass is asked of the server
    _edit(qtbot, window, lambda: whatif.apply(RemovePerson("person:5")))
    # the helper made the same edit on its own copy: the same numbers as here
    here = recompute(whatif.scenario.org)
    for node, row in here["people"].items():
        assert whatif.metrics["people"][node]["influence"] == row["influence"]
        assert whatif.metrics["people"][node]["brokerage"] == row["brokerage"]
    assert "person:5" not in whatif.metrics["people"]
