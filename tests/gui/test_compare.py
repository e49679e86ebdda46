"""Compare in a real window: File > Compare with..., the marks and ghosts on the map,
the Changes panel, and ``orgmap gui NEW --compare OLD --screenshot``.

The two snapshots are the workbooks of ``tests/test_diff.py`` (diff worked out there by
hand): Gia and @Hal joined, Ed left, Flo moved to Data under Cy, Ben renamed, Di's id
and level changed, Sam matched by name only.
"""

from __future__ import annotations

import pytest
from gui_helpers import open_and_wait
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from test_diff import NEW, OLD, PROJECTS_NEW, PROJECTS_OLD, write_book

from orgmap.cli import Env, main


@pytest.fixture
def books(tmp_path):
    return (
        write_book(tmp_path / "q1.xlsx", OLD, PROJECTS_OLD),
        write_book(tmp_path / "q2.xlsx", NEW, PROJECTS_NEW),
    )


def test_compare_with_marks_the_map_and_fills_the_panel(qtbot, window, books):
    old, new = books
    assert open_and_wait(qtbot, window, [new]) == "done"
    window.chooser.open_answers.append([str(old)])
    with qtbot.waitSignal(window.compare.compared, timeout=60_000) as blocker:
        window.compare.action.trigger()  # File > Compare with...
    assert blocker.args[0].startswith("2 joined, 1 left, 1 moved;")
    overlay = window.canvas.overlay()
    assert dict(overlay.marks) == {
        "person:7": "added", "person:9": "added", "person:6": "moved",
        "person:2": "changed", "person:40": "changed", "person:80": "changed",
        "person:5": "left",
    }  # fmt: skip
    # Ed left: a ghost under his old manager Cy, on the new map
    ghost = overlay.ghosts["person:5"]
    cx, cy = window.positions["person:3"]
    assert ghost.label == "Ed" and ghost.y > cy and abs(ghost.x - cx) <= 60
    panel = window._changes_panel
    assert panel.title.text() == "Compared with q1.xlsx"
    assert "joined 2" in panel.legend.text() and "left 1" in panel.legend.text()
    assert panel.change_of("person:6") == "moved"
    assert panel.change_of("person:5") == "left"
    assert panel.change_of("person:40") == "id changed, level changed"
    # the explorer's People tab has the same words in a Change column
    model = window.explorer.models["people"]
    col = model.column_of("change")
    assert model.headerData(col, Qt.Orientation.Horizontal) == "Change"
    assert model.data(model.index(model.row_of("person:6"), col)) == "moved"
    # the inspector's twin: Flo before and after
    window.select_node("person:6")
    assert panel.selected_label.text() == "Selection: Flo"
    rows = {
        panel.selected.item(r, 0).text(): panel.selected.item(r, 1).text()
        for r in range(panel.selected.rowCount())
    }
    assert set(rows) >= {"Reach (2 steps)", "Key-person risk", "Influence"}
    # Cy's reach within two steps: 5 before, 6 after (worked out in test_diff)
    window.select_node("person:3")
    cells = [
        [panel.selected.item(r, c).text() for c in range(4)]
        for r in range(panel.selected.rowCount())
    ]
    assert ["Reach (2 steps)", "5", "6", "+1"] in cells
    # the inspector shows the same before and after, beside Cy's details
    text = " ".join(window.inspector.toPlainText().split())
    assert "Before and after" in text and "Reach (2 steps) 5 6 +1" in text
    window.compare.end_action.trigger()
    assert "Before and after" not in window.inspector.toPlainText()
    assert window.canvas.overlay() is None
    assert window.explorer.models["people"].column_of("change") == -1


def test_a_snapshot_that_cannot_be_read_is_said(qtbot, window, books, tmp_path):
    assert open_and_wait(qtbot, window, [books[1]]) == "done"
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    with qtbot.waitSignal(window.compare.failed, timeout=60_000) as blocker:
        window.compare.compare_with(str(bad))
    assert "broken.xlsx" in blocker.args[0] and "no people could be read" in blocker.args[0]
    assert window.canvas.overlay() is None


def _colours(path) -> set[str]:
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1600, 1000)
    return {image.pixelColor(x, y).name() for x in range(0, 1600, 2) for y in range(0, 1000, 2)}


def test_gui_compare_screenshot_works_without_a_display(qapp, tmp_path, books):
    from orgmap.palette import MARK_COLORS

    old, new = books
    env = Env.capture(cwd=tmp_path)
    status = main(["gui", str(new), "--compare", str(old), "--screenshot", "cmp.png"], env)
    assert status == 0, env.stderr.getvalue()
    assert main(["gui", str(new), "--screenshot", "plain.png"], Env.capture(cwd=tmp_path)) == 0
    # the rings of Ben, Di and Sam ("title or level changed") are on the picture, and
    # that colour is nowhere on the same map without the comparison
    changed = MARK_COLORS["changed"].lower()
    assert changed in _colours(tmp_path / "cmp.png")
    assert changed not in _colours(tmp_path / "plain.png")


def test_gui_compare_with_a_missing_file_fails_naming_it(qapp, tmp_path, books):
    env = Env.capture(cwd=tmp_path)
    status = main(["gui", str(books[1]), "--compare", "gone.xlsx", "--screenshot", "x.png"], env)
    assert status == 1
    assert "gone.xlsx" in env.stderr.getvalue()


def test_a_long_list_of_changes_shows_its_head_and_says_so(qtbot, window, books, monkeypatch):
    import orgmap.gui.compare as compare

    monkeypatch.setattr(compare, "ROW_LIMIT", 3)
    old, new = books
    assert open_and_wait(qtbot, window, [new]) == "done"
    with qtbot.waitSignal(window.compare.compared, timeout=60_000):
        window.compare.compare_with(str(old))
    panel = window._changes_panel
    total = len(panel.changes)
    assert panel.people.rowCount() == 3 and total > 3
    assert panel.people_label.text() == (
        f"Changed people: the first 3 of {total} (the diff workbook has them all)"
    )
    # joined first, then left: the structural changes come before metric-only ones
    assert [panel.people.item(r, 1).text() for r in range(3)] == ["joined", "joined", "left"]
    # the explorer's Change column has them all, not only the rows shown
    model = window.explorer.models["people"]
    col = model.column_of("change")
    assert model.data(model.index(model.row_of("person:40"), col)) == "id changed, level changed"
