"""*Loop in…* in the real window, offscreen, on a real workbook whose answers are worked
out by hand (see tests/test_loop_in.py: Ann reaches Sam through Lee, Infra Ops then
Search Relaunch; Lee and Max are Search's advocates)."""

from __future__ import annotations

import pytest
from gui_helpers import open_and_wait
from PySide6.QtCore import Qt, QUrl

from tests.test_loop_in import write_workbook


@pytest.fixture
def org_window(qtbot, window, tmp_path):
    assert open_and_wait(qtbot, window, [str(write_workbook(tmp_path / "org.xlsx"))]) == "done"
    return window


def ask(qtbot, window, text: str):
    ctl = window.loop_in
    ctl.action.trigger()
    assert ctl.dock.isVisible()
    field = ctl.panel.field
    field.clear()
    qtbot.keyClicks(field, text)
    with qtbot.waitSignal(ctl.answered, timeout=20_000) as blocker:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    return blocker.args[0]


def test_loop_in_from_the_menu_lists_paths_and_advocates_with_reasons(qtbot, org_window):
    w = org_window
    menu_texts = [a.text() for a in w.menuBar().actions()]
    assert "&Tools" in menu_texts and menu_texts[-1] == "&Help"
    # reachable by keyboard, with a shortcut no other action of the window takes
    keys = [a.shortcut().toString() for a in w.actions()]
    assert w.loop_in.action in w.actions() and keys.count("Ctrl+Shift+L") == 1
    w.select_node("person:6")  # Ann Aho
    result = ask(qtbot, w, "team:Search")
    lines = w.loop_in.panel.text().splitlines()
    assert lines[0] == "Introduction paths"
    # Sam and Sue through Lee (Infra Ops, then Search Relaunch); the shared first hop
    # is explained once, under the first route that takes it
    i = lines.index("Sam Sun — 2 steps")
    assert lines[i + 1 : i + 4] == [
        "Ann Aho › Lee Lim › Sam Sun",
        "Lee Lim: you both work on Infra Ops",
        "Sam Sun: works on Search Relaunch with Lee Lim",
    ]
    j = lines.index("Sue Sato — 2 steps")
    assert lines[j + 1 : j + 3] == [
        "Ann Aho › Lee Lim › Sue Sato",
        "Sue Sato: works on Search Relaunch with Lee Lim",
    ]
    assert lines.count("Lee Lim: you both work on Infra Ops") == 1
    assert "Advocates" in lines
    assert "Max Moe — manager of Sam Sun and Sue Sato — 2 steps" in lines
    assert w.loop_in.panel.source.text() == "Ann Aho → team Search"
    assert result.target == "team:Search"
    assert "Loop in: 3 routes, 3 advocates" in w.statusBar().currentMessage()


def test_completion_offers_people_and_groups(qtbot, org_window):
    w = org_window
    w.select_node("person:6")
    w.loop_in.action.trigger()
    choices = w.loop_in.panel.choices.stringList()
    assert {"Ann Aho", "team:Search", "department:Eng", "project:Search Relaunch"} <= set(choices)
    completer = w.loop_in.panel.completer
    completer.setCompletionPrefix("relau")  # contains, any case
    found = [completer.completionModel().index(i, 0).data() for i in range(3)]
    assert "project:Search Relaunch" in found


def test_activating_a_person_in_the_answer_selects_them(qtbot, org_window):
    w = org_window
    w.select_node("person:6")
    ask(qtbot, w, "Sam Sun")
    panel = w.loop_in.panel
    # the answer links Sam (the route's end) first, then the advocates
    assert panel.links()[0] == "person:3"
    panel.answer.anchorClicked.emit(QUrl("node:person%3A5"))  # Lee Lim, the go-between
    assert w.state.selection == "person:5"


def test_unknown_target_or_no_person_says_why(qtbot, org_window):
    w = org_window
    ctl = w.loop_in
    w.select_node(None)
    ctl.action.trigger()
    with qtbot.waitSignal(ctl.failed, timeout=5_000) as blocker:
        ctl.panel.field.setText("team:Search")
        qtbot.keyClick(ctl.panel.field, Qt.Key.Key_Return)
    assert blocker.args[0].startswith("Select a person first")
    w.select_node("person:6")
    with qtbot.waitSignal(ctl.failed, timeout=5_000) as blocker:
        ctl.panel.field.setText("team:Serch")
        qtbot.keyClick(ctl.panel.field, Qt.Key.Key_Return)
    assert blocker.args[0].startswith("no team named 'Serch'; closest: team:Search")
    assert ctl.panel.message.isVisible() and "team:Search" in ctl.panel.message.text()


def test_the_answer_is_drawn_on_the_canvas_and_cleared(qtbot, org_window):
    w = org_window
    w.select_node("person:6")  # Ann Aho
    ask(qtbot, w, "team:Search")
    shown = w.canvas.overlay()
    assert shown is not None and shown.fade_others
    # Max through Dora; Sam and Sue through Lee (see the module docstring)
    assert set(shown.paths) == {
        ("person:6", "person:1", "person:2"),
        ("person:6", "person:5", "person:3"),
        ("person:6", "person:5", "person:4"),
    }
    assert dict(shown.marks) == {
        "person:2": "target",  # Max, also an advocate: the target mark wins
        "person:3": "target",
        "person:4": "target",
        "person:5": "advocate",  # Lee, a go-between too
        "person:1": "advocate",  # Dora
        "person:6": "path",  # Ann herself, where every path starts
    }
    w.loop_in.panel.clear_button.click()
    assert w.canvas.overlay() is None and w.loop_in.panel.text() == ""
