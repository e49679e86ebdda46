"""File > Export picture and File > Print: a picture fit for a slide, from the real window."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage


def _file_actions(window) -> dict[str, object]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


def _has_color(img: QImage, hex_color: str, box: tuple[int, int, int, int]) -> bool:
    want = QColor(hex_color)
    x0, y0, x1, y1 = box
    for x in range(x0, x1, 2):
        for y in range(y0, y1, 2):
            c = img.pixelColor(x, y)
            if (
                abs(c.red() - want.red())
                + abs(c.green() - want.green())
                + abs(c.blue() - want.blue())
                < 20
            ):
                return True
    return False


def test_the_file_menu_offers_picture_and_print(sample_window):
    actions = _file_actions(sample_window)
    assert "actExportPicture" in actions and "actPrint" in actions
    assert actions["actPrint"].shortcut().toString() == "Ctrl+P"


def test_png_picture_has_title_map_legend_and_caption_at_twice_the_pixels(
    sample_window, tmp_path: Path
):
    out = sample_window.picture.export(tmp_path / "map.png")
    assert out == tmp_path / "map.png"
    img = QImage(str(out))
    assert (img.width(), img.height()) == (3200, 2000)  # 1600 x 1000 at 2x
    white = QColor("#ffffff")

    def inked(x0: int, y0: int, x1: int, y1: int) -> int:
        return sum(
            img.pixelColor(x, y) != white for x in range(x0, x1, 3) for y in range(y0, y1, 3)
        )

    assert inked(40, 24, 600, 90) > 50  # the title, top left
    assert inked(40, 2000 - 60, 1600, 2000 - 20) > 50  # the caption under the map
    assert inked(200, 200, 2600, 1800) > 2000  # the map
    # every legend swatch colour (the first few) is painted in the legend column
    entries = [(label, c) for label, c in sample_window.canvas.legend_entries() if c][:5]
    assert entries
    for _, color in entries:
        assert _has_color(img, color, (2 * 1330, 2 * 64, 2 * 1360, 2 * 960)), color
    caption = sample_window.picture.caption()
    people = sample_window.org.counts()["people"]
    assert f"{people:,} people" in caption and "data as of" in caption


def test_svg_and_pdf_pictures_read_back(sample_window, tmp_path: Path):
    svg = sample_window.picture.export(tmp_path / "map.svg")
    root = ET.parse(svg).getroot()
    text = " ".join(t.strip() for t in root.itertext() if t.strip())
    assert sample_window.picture.title() in text
    assert "people in" in text  # the caption
    pdf = sample_window.picture.export(tmp_path / "map.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000
    # a wrong suffix is a clear message, nothing written
    assert sample_window.picture.export(tmp_path / "map.bmp") is None
    assert not (tmp_path / "map.bmp").exists()


def test_print_to_a_pdf_file(sample_window, tmp_path: Path):
    from PySide6.QtPrintSupport import QPrinter

    from orgmap.gui.picture import print_picture

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pic = sample_window.picture
    print_picture(sample_window.canvas, printer, title=pic.title(), caption=pic.caption())
    data = (tmp_path / "printed.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000


def test_outlines_follow_the_layout(qtbot, sample_window):
    canvas = sample_window.canvas
    with qtbot.waitSignal(sample_window.layoutApplied, timeout=60_000):
        sample_window.set_layout("teams")
    assert canvas.groups_drawn()
    canvas.render_image(800, 600)
    assert canvas.drawn_outline_count > 0
    with qtbot.waitSignal(sample_window.layoutApplied, timeout=60_000):
        sample_window.set_layout("orgchart")
    assert not canvas.groups_drawn()
    canvas.render_image(800, 600)
    assert canvas.drawn_outline_count == 0


def test_a_moved_node_is_kept_in_the_session_and_reset_undoes_it(
    qtbot, sample_window, settings, tmp_path: Path
):
    from gui_helpers import make_window
    from PySide6.QtCore import QPoint, Qt

    win = sample_window
    canvas = win.canvas
    person = sorted(win.org.people())[5]
    canvas.center_on(person)
    qtbot.wait(50)
    start = canvas.map_to_screen(person).toPoint()
    end = start + QPoint(120, 80)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, start + QPoint(40, 30))
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    layout = win.state.layout
    moved = win.state.moved_positions[layout][person]
    assert win.positions[person] == moved  # the HTML export and sessions see it too
    original = canvas.moved_positions()
    assert original == {person: moved}
    path = win.save_session(tmp_path / "moved.orgmap")

    other = make_window(qtbot, settings)
    with qtbot.waitSignal(other.loadFinished, timeout=60_000):
        other.open_session(path)
    assert other.state.moved_positions[layout][person] == pytest.approx(moved)
    assert other.canvas.moved_positions() == {person: pytest.approx(moved)}
    assert other.positions[person] == pytest.approx(moved)
    # View > Reset layout: back where the layout put it, and forgotten
    actions = {a.objectName(): a for a in other.findChildren(type(other.picture.act_reset))}
    actions["actResetLayout"].trigger()
    assert other.canvas.moved_positions() == {}
    assert layout not in other.state.moved_positions
    assert other.positions[person] != pytest.approx(moved)
    other.close()


def test_panels_behave_at_1024_by_700(qtbot, sample_window):
    from PySide6.QtWidgets import QDockWidget, QLineEdit

    win = sample_window
    win.resize(1024, 700)
    search = win.findChild(QLineEdit, "searchBox")
    # the search box is on the toolbar, not hidden in its overflow menu (the toolbar
    # lays itself out again after the resize, on a loaded machine a moment later)
    qtbot.waitUntil(search.isVisible, timeout=5000)
    assert search.mapTo(win, search.rect().topRight()).x() <= 1024
    docks = {d.objectName(): d for d in win.findChildren(QDockWidget)}
    assert docks["inspectorDock"].widget().minimumWidth() >= 240
    assert docks["explorerDock"].widget().minimumWidth() >= 240
    # widening the Explorer never squeezes the Inspector below its minimum
    win.resizeDocks([docks["explorerDock"]], [900], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    assert docks["inspectorDock"].width() >= 240


def test_the_people_table_keeps_its_name_column_in_view(qtbot, sample_window):
    view = sample_window.explorer.views["people"]
    frozen = view.findChild(type(view), "explorer_people_frozen")
    assert frozen is not None and frozen.isVisible()
    model = view.model()
    assert model.columnCount() > 3
    # scrolled far right: the table's first visible column is a metric, yet the Name
    # column is still drawn at the left edge, row for row with the table
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    view.verticalScrollBar().setValue(20)
    qtbot.wait(50)
    assert view.columnAt(view.columnWidth(0) + 5) != 0
    assert frozen.geometry().left() <= view.frameWidth() + 1
    assert frozen.width() == view.columnWidth(0)
    row_frozen = frozen.rowAt(5)
    assert row_frozen == view.rowAt(5) and row_frozen >= 20
    name = model.index(row_frozen, 0).data()
    assert frozen.indexAt(frozen.visualRect(model.index(row_frozen, 0)).center()).data() == name
    # a click on a name selects that person, as a click on the table does
    with qtbot.waitSignal(sample_window.explorer.nodeSelected, timeout=5000):
        qtbot.mouseClick(
            frozen.viewport(),
            Qt.MouseButton.LeftButton,
            pos=frozen.visualRect(model.index(row_frozen, 0)).center(),
        )
    assert view.currentIndex().row() == row_frozen
