"""Opening data: the import dialog, drag and drop, recent files, broken files."""

import openpyxl
from gui_helpers import SAMPLE, open_and_wait
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from orgmap.gui.import_dialog import NOT_MAPPED


def write_people(path, boss_header="Chief"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "People"
    ws.append(["Employee ID", "Full Name", boss_header, "Team", "Department"])
    ws.append([1, "Ada Lovelace", None, "Core", "R&D"])
    ws.append([2, "Grace Hopper", 1, "Core", "R&D"])
    ws.append([3, "Alan Turing", 1, "Platform", "R&D"])
    ws.append([4, "Edsger Dijkstra", 3, "Platform", "R&D"])
    ws.append([5, "Barbara Liskov", 77, "Platform", "R&D"])
    wb.save(path)
    return path


def open_dialog(qtbot, window, paths):
    window.chooser.open_answers.append([str(p) for p in paths])
    window.act_open.trigger()
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.result_read is not None, timeout=20_000)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=20_000)
    return dialog


def test_changing_a_column_mapping_before_import(qtbot, window, tmp_path):
    path = write_people(tmp_path / "staff.xlsx")
    dialog = open_dialog(qtbot, window, [path])
    assert dialog.kind(0) == "people"
    assert dialog.columns() == ["Employee ID", "Full Name", "Chief", "Team", "Department"]
    assert dialog.field_of("Full Name") == "name"
    assert dialog.field_of("Chief") == NOT_MAPPED
    assert "0 reporting lines" in dialog.summary_label.text()
    assert dialog.preview.item(2, 1).text() == "Ada Lovelace"  # the preview shows the data
    # how each column was read: exact names, guesses marked, evidence on hover
    assert dialog.how_read("Employee ID") == "exact name"
    assert dialog.preview.item(1, 0).text() == "exact name"
    assert dialog.how_read("Full Name").startswith("guess")
    assert "qualifiers set aside" in dialog.preview.item(1, 1).toolTip()
    assert dialog.how_read("Chief") == "not used"
    # the user picks "manager" in the chooser above the Chief column
    with qtbot.waitSignal(dialog.validated, timeout=20_000):
        dialog.combo("Chief").setCurrentText("manager")
    assert dialog.mapping() == {"People.Chief": "manager"}
    assert dialog.field_of("Chief") == "manager"
    assert "3 reporting lines" in dialog.summary_label.text()
    # the unknown manager 77 is listed before importing
    messages = [i.message for i in dialog.issues.model.issues]
    assert any("77" in m for m in messages)
    with qtbot.waitSignal(window.loadFinished, timeout=60_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert done.args == ["done"]
    assert window.mapping == {"People.Chief": "manager"}
    assert len(list(window.org.edges_of("reports_to"))) == 3
    assert window.issues.model.rowCount() == len(window.org.issues) >= 1


def test_ignoring_a_column_and_going_back_to_detection(qtbot, window, tmp_path):
    path = write_people(tmp_path / "staff.xlsx", boss_header="Manager ID")
    dialog = open_dialog(qtbot, window, [path])
    assert dialog.field_of("Manager ID") == "manager"
    assert "3 reporting lines" in dialog.summary_label.text()
    with qtbot.waitSignal(dialog.validated, timeout=20_000):
        dialog.combo("Manager ID").setCurrentText("ignore")
    assert dialog.mapping() == {"People.Manager ID": "ignore"}
    assert "0 reporting lines" in dialog.summary_label.text()
    with qtbot.waitSignal(dialog.validated, timeout=20_000):
        dialog.combo("Manager ID").setCurrentText(NOT_MAPPED)
    assert dialog.mapping() == {}
    assert "3 reporting lines" in dialog.summary_label.text()
    dialog.reject()


def test_cancel_in_the_dialog_keeps_the_current_org(qtbot, sample_window, tmp_path):
    before = sample_window.org
    dialog = open_dialog(qtbot, sample_window, [write_people(tmp_path / "x.xlsx")])
    dialog.reject()
    qtbot.wait(100)
    assert sample_window.org is before


def broken_file(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook" * 10)
    return path


def test_broken_file_names_file_and_reason_and_keeps_the_org(qtbot, sample_window, tmp_path):
    w = sample_window
    before = w.org
    assert open_and_wait(qtbot, w, [broken_file(tmp_path)]) == "kept"
    assert w.org is before
    box = w.error_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "broken.xlsx" in box.text()
    assert "broken.xlsx" in w.last_error
    reason = next(i.message for i in _fatal_issues(tmp_path))
    assert reason in box.text()
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)
    assert w.isVisible()


def _fatal_issues(tmp_path):
    from orgmap.loader import load

    return [i for i in load([tmp_path / "broken.xlsx"]).issues if i.severity == "fatal"]


def test_broken_file_among_good_ones_loads_the_good(qtbot, window, tmp_path):
    good = write_people(tmp_path / "staff.xlsx", boss_header="Manager ID")
    assert open_and_wait(qtbot, window, [good, broken_file(tmp_path)]) == "done"
    assert len(window.org.people()) == 5
    assert "broken.xlsx" in window.last_error
    window.error_box.close()


def test_import_dialog_lists_unreadable_files(qtbot, window, tmp_path):
    good = write_people(tmp_path / "staff.xlsx")
    dialog = open_dialog(qtbot, window, [good, broken_file(tmp_path)])
    names = dialog.table_names()
    assert any("broken.xlsx: cannot be read" in n for n in names)
    assert "broken.xlsx" in dialog.heading.text()
    dialog.reject()


def test_drag_and_drop_opens_the_import_dialog(qtbot, window, tmp_path):
    path = write_people(tmp_path / "dropped.xlsx")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    dialog = window.import_dialog
    assert dialog is not None and dialog.paths == [str(path)]
    dialog.reject()


def test_recent_files_persist_and_reopen(qtbot, window, settings, tmp_path):
    assert open_and_wait(qtbot, window, [SAMPLE]) == "done"
    path = write_people(tmp_path / "staff.xlsx", boss_header="Manager ID")
    assert open_and_wait(qtbot, window, [path]) == "done"
    recent = window.recent()
    assert [e["sources"] for e in recent[:2]] == [[str(path)], [str(SAMPLE)]]
    labels = [a.text() for a in window.recent_menu.actions()]
    assert any("staff.xlsx" in t for t in labels)
    # another window with the same settings sees them; its recent menu reopens the sample
    from gui_helpers import make_window

    other = make_window(qtbot, settings)
    assert [e["sources"] for e in other.recent()[:2]] == [[str(path)], [str(SAMPLE)]]
    sample_action = next(a for a in other.recent_menu.actions() if "sample-org.xlsx" in a.text())
    with qtbot.waitSignal(other.loadFinished, timeout=60_000):
        sample_action.trigger()
    assert other.sources == [str(SAMPLE)]


def test_a_corrected_mapping_is_remembered_for_the_same_shape(qtbot, window, tmp_path):
    first = write_people(tmp_path / "staff-june.xlsx")
    dialog = open_dialog(qtbot, window, [first])
    with qtbot.waitSignal(dialog.validated, timeout=20_000):
        dialog.combo("Chief").setCurrentText("manager")
    with qtbot.waitSignal(window.loadFinished, timeout=60_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    # next month's export, another file name, the same header: no clicks needed
    second = write_people(tmp_path / "staff-july.xlsx")
    dialog = open_dialog(qtbot, window, [second])
    assert dialog.field_of("Chief") == "manager"
    assert dialog.how_read("Chief") == "remembered"
    assert "corrected before" in dialog.heading.text()
    assert "staff-july.xlsx" in dialog.heading.text()
    assert dialog.forget_button.isVisible()
    assert "3 reporting lines" in dialog.summary_label.text()
    # and it can be forgotten: back to detection, and not applied again
    with qtbot.waitSignal(dialog.validated, timeout=20_000):
        qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    assert dialog.field_of("Chief") == NOT_MAPPED and not dialog.forget_button.isVisible()
    dialog.reject()
    dialog = open_dialog(qtbot, window, [second])
    assert dialog.field_of("Chief") == NOT_MAPPED
    dialog.reject()


def test_export_mapping_writes_what_the_cli_reads(qtbot, window, tmp_path):
    import json

    from orgmap.cli import Env, main

    path = write_people(tmp_path / "staff.xlsx")
    dialog = open_dialog(qtbot, window, [path])
    with qtbot.waitSignal(dialog.validated, timeout=20_000):
        dialog.combo("Chief").setCurrentText("manager")
    with qtbot.waitSignal(window.loadFinished, timeout=60_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    out = window.export_mapping(tmp_path / "mapping.json")
    assert json.loads(out.read_text()) == {"People.Chief": "manager"}
    env = Env.capture()
    status = main(["validate", str(path), "--mapping", str(out), "--json"], env)
    assert status == 0  # manager 77 unknown is a warning, no row rejected
    summary = json.loads(env.stdout.getvalue())["summary"]
    assert summary["reporting_lines"] == 3
