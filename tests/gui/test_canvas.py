"""The graph canvas, driven as a user would: click, zoom, drag, colour, export."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import xml.etree.ElementTree as ET  # noqa: E402  (parsing our own SVG output)

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QColor, QHelpEvent, QImage, QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

from orgmap import palette  # noqa: E402
from orgmap.gui.canvas import GraphCanvas  # noqa: E402
from orgmap.gui.legend import Legend  # noqa: E402
from orgmap.model import Org  # noqa: E402

HOSTILE = "<b>Eve</b> & <script>alert(1)</script>"


def small_org() -> Org:
    """Seven people in four teams, one project, a mentorship and an advice tie."""
    g = nx.MultiDiGraph()
    people = [
        ("1", "Ada", "Exec", "Leadership", None, "CEO"),
        ("2", "Ben", "Platform", "Engineering", "1", "Eng Manager"),
        ("3", "Cy", "Data", "Engineering", "1", "Data Lead"),
        ("4", "Di", "Platform", "Engineering", "2", "Engineer"),
        ("5", "Ed", "Data", "Engineering", "3", "Data Scientist"),
        ("6", "Flo", "Platform", "Engineering", "2", "Engineer"),
        ("7", HOSTILE, "Sales <i>", "R&D", "1", "Seller"),
    ]
    for pid, name, team, dept, _, title in people:
        g.add_node(
            f"person:{pid}",
            kind="person",
            id=pid,
            name=name,
            team=team,
            department=dept,
            title=title,
            source_file="org.xlsx",
            source_sheet="People",
            source_row=int(pid) + 1,
        )
        g.add_node(f"team:{team}", kind="team", name=team)
        g.add_node(f"department:{dept}", kind="department", name=dept)
        g.add_edge(f"person:{pid}", f"team:{team}", key="member_of", kind="member_of")
        g.add_edge(f"team:{team}", f"department:{dept}", key="part_of", kind="part_of")
    for pid, _, _, _, manager, _ in people:
        if manager:
            g.add_edge(f"person:{pid}", f"person:{manager}", key="reports_to", kind="reports_to")
    g.add_node("project:Apollo", kind="project", name="Apollo")
    for pid, role in (("2", "lead"), ("4", "contributor"), ("5", "contributor")):
        g.add_edge(f"person:{pid}", "project:Apollo", key="works_on", kind="works_on", role=role)
    g.add_edge("person:1", "person:2", key="mentors", kind="mentors")
    g.add_edge("person:5", "person:2", key="tie:advice", kind="tie", type="advice", weight=3)
    return Org(graph=g)


POSITIONS = {
    "person:1": (0.0, 0.0),
    "person:2": (-100.0, 100.0),
    "person:3": (0.0, 100.0),
    "person:7": (100.0, 100.0),
    "person:4": (-130.0, 200.0),
    "person:6": (-70.0, 200.0),
    "person:5": (0.0, 200.0),
}

METRICS = {
    "people": {
        f"person:{i}": {
            "influence": i / 10,
            "influence_percentile": i / 10,
            "reach_2": i,
            "role": "broker" if i % 2 else "specialist",
        }
        for i in range(1, 8)
    }
}


@pytest.fixture
def canvas(qtbot):
    c = GraphCanvas()
    qtbot.addWidget(c)
    c.resize(800, 600)
    c.show()
    qtbot.waitExposed(c)
    c.set_graph(small_org(), POSITIONS)
    return c


def tooltip_at(c: GraphCanvas, pos: QPoint) -> str:
    """What the tooltip shows when the mouse rests at ``pos``."""
    QApplication.sendEvent(c, QHelpEvent(QEvent.Type.ToolTip, pos, c.mapToGlobal(pos)))
    return QToolTip.text()


def grab(c: GraphCanvas) -> QImage:
    return c.render_image(c.width(), c.height())


def test_clicking_a_person_lights_up_their_reach(canvas, qtbot):
    target = canvas.map_to_screen("person:4").toPoint()
    changes: list[str] = []
    canvas.selectionChanged.connect(changes.append)
    with qtbot.waitSignal(canvas.nodeClicked) as clicked:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=target)
    assert clicked.args == ["person:4"]
    assert changes == ["person:4"]
    assert canvas.selected() == "person:4"
    # Di: her manager Ben and Apollo partner Ed in one step; then Ben's manager Ada,
    # his report Flo and Ed's manager Cy. Eve (Sales) is three steps away.
    two = {f"person:{i}" for i in (4, 2, 5, 1, 6, 3)}
    assert canvas.highlighted() == two

    canvas.set_reach_depth(1)
    assert canvas.highlighted() == {"person:4", "person:2", "person:5"}

    # Counting reporting lines only, Di reaches Ben alone in one step
    canvas.set_relations(["reports"])
    assert canvas.highlighted() == {"person:4", "person:2"}
    canvas.set_relations(None)

    # Clicking empty space clears the selection.
    with qtbot.waitSignal(canvas.selectionChanged) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert blocker.args == [""]
    assert canvas.selected() is None
    assert canvas.highlighted() == set()


def test_the_rest_fades_when_a_person_is_selected(canvas):
    before = grab(canvas)
    canvas.select("person:4")
    after = grab(canvas)
    lit, faded = "person:2", "person:7"  # Ben is Di's manager; Eve is 3 steps away
    assert lit in canvas.highlighted() and faded not in canvas.highlighted()

    def colour(img: QImage, node: str) -> QColor:
        return img.pixelColor(canvas.map_to_screen(node).toPoint())

    assert colour(after, lit) == colour(before, lit)
    # Faded: much closer to the white background than before.
    assert colour(after, faded).lightness() > colour(before, faded).lightness() + 60


def test_an_overlay_draws_its_marks_paths_and_ghosts(canvas):
    from orgmap.overlay import Ghost, Overlay

    before = grab(canvas)
    overlay = Overlay(
        title="loop in",
        paths=(("person:4", "person:2", "person:1"),),
        marks={"person:1": "target", "gone": "left"},
        ghosts={"gone": Ghost("Gone", 100.0, 200.0)},
    )
    canvas.set_overlay(overlay)
    after = grab(canvas)
    # the path's nodes stay lit, the rest fades
    faded = canvas.map_to_screen("person:7").toPoint()
    assert after.pixelColor(faded).lightness() > before.pixelColor(faded).lightness() + 60
    # the target's ring, in the target colour, just outside Ada's disc
    ada = canvas.map_to_screen("person:1")
    r = next(
        d
        for d in range(3, 40)
        if after.pixelColor(int(ada.x()) + d, int(ada.y())) == before.pixelColor(0, 0)
    )
    ring = [after.pixelColor(int(ada.x()) + d, int(ada.y())) for d in range(r, r + 10)]
    target = QColor(palette.MARK_COLORS["target"])
    assert any(abs(c.red() - target.red()) + abs(c.green() - target.green()) < 60 for c in ring)
    # the ghost is drawn where "gone" used to be (empty before)
    # (world 100, 200 is right of Ed at 0, 200; Eve at 100, 100 is above it)
    eve, ed = canvas.map_to_screen("person:7"), canvas.map_to_screen("person:5")
    spot = QPoint(int(eve.x()), int(ed.y()))
    bg = before.pixelColor(0, 0)
    assert before.pixelColor(spot) == bg
    assert after.pixelColor(spot) != bg
    canvas.set_overlay(None)
    assert grab(canvas) == before


def test_highlight_lights_exactly_a_set(canvas):
    canvas.select("person:1")
    canvas.highlight({"person:2", "person:4", "nobody"})
    assert canvas.highlighted() == {"person:2", "person:4"}
    assert canvas.selected() is None
    canvas.highlight(None)
    assert canvas.highlighted() == set()


def test_colour_by_changes_the_legend(canvas, qtbot):
    legend = Legend(canvas)
    qtbot.addWidget(legend)
    teams = [label for label, _ in canvas.legend_entries()]
    assert teams == ["Data", "Exec", "Platform", "Sales <i>"]
    assert legend.entries() == canvas.legend_entries()
    colors = palette.category_colors(["Data", "Exec", "Platform", "Sales <i>"])
    assert dict(canvas.legend_entries())["Platform"] == colors["Platform"]

    with qtbot.waitSignal(canvas.legendChanged):
        canvas.set_color_by("department")
    assert [label for label, _ in legend.entries()] == ["Engineering", "Leadership", "R&D"]
    assert legend.title() == "Department"

    canvas.set_metrics(METRICS)
    canvas.set_color_by("influence")
    labels = [label for label, _ in legend.entries()]
    assert labels[0] == "0.1" and labels[-1] == "0.7"
    assert legend.title() == "Influence"
    canvas.set_color_by("influence_percentile")
    assert [label for label, _ in legend.entries()] == ["10%", "25%", "40%", "55%", "70%"]
    canvas.set_color_by("influence")
    hexes = [c for _, c in legend.entries()]
    assert hexes[0] == palette.metric_color(0.1, 0.1, 0.7)

    canvas.set_color_by("role")
    assert [label for label, _ in legend.entries()] == ["broker", "specialist"]
    # A colour mode the data does not have falls back to teams.
    canvas.set_color_by("no_such_metric")
    assert canvas.color_by() == "team"


def test_colour_follows_the_legend_on_screen(canvas):
    canvas.set_color_by("team")
    colors = dict(canvas.legend_entries())
    canvas.zoom_by(3, canvas.map_to_screen("person:3"))
    img = grab(canvas)
    pixel = img.pixelColor(canvas.map_to_screen("person:3").toPoint())
    assert pixel.name().lower() == colors["Data"].lower()


def test_size_by_makes_nodes_bigger(canvas):
    canvas.set_metrics(METRICS)
    canvas.set_color_by("kind")
    canvas.set_size_by("reach_2")
    assert canvas.size_by() == "reach_2"
    img = grab(canvas)
    bg = img.pixelColor(0, 0)

    def width(node: str) -> int:
        p = canvas.map_to_screen(node).toPoint()
        n = 0
        while img.pixelColor(p.x() + n, p.y()) != bg and n < 200:
            n += 1
        return n

    assert width("person:7") > width("person:1") + 3


def test_edge_kinds_switch_what_is_drawn(canvas):
    grab(canvas)
    # 6 reporting lines, 1 mentorship, 1 tie, collaboration on Apollo (3 pairs).
    assert canvas.available_edge_kinds() == ["works_on", "reports_to", "mentors", "tie"]
    assert canvas.drawn_edge_count == 6 + 1 + 1 + 3
    canvas.set_edge_kinds({"reports_to"})
    grab(canvas)
    assert canvas.drawn_edge_count == 6
    canvas.set_edge_kinds(set())
    before = grab(canvas)
    assert canvas.drawn_edge_count == 0
    canvas.set_edge_kinds({"tie", "mentors"})
    after = grab(canvas)
    assert canvas.drawn_edge_count == 2
    assert before != after


def test_edges_over_the_budget_keep_the_shortest(canvas):
    canvas.edge_budget = 4
    canvas.faded_edge_budget = 0
    grab(canvas)
    assert canvas.drawn_edge_count == 4
    assert canvas.culled_edge_count == 11 - 4
    # Lit edges are never culled; Eve's reporting line (not lit) is.
    canvas.select("person:4")
    grab(canvas)
    assert (canvas.drawn_edge_count, canvas.culled_edge_count) == (10, 1)


def test_project_nodes_draw_membership_edges(canvas):
    positions = dict(POSITIONS, **{"project:Apollo": (-60.0, 280.0)})
    canvas.set_graph(canvas.org(), positions)
    canvas.set_edge_kinds({"works_on"})
    grab(canvas)
    assert canvas.drawn_edge_count == 3  # Ben, Di, Ed -> Apollo
    canvas.select("project:Apollo")
    assert canvas.highlighted() == {"project:Apollo", "person:2", "person:4", "person:5"}


def test_fit_shows_every_node(canvas):
    canvas.zoom_by(8)
    canvas.pan_by(500, -300)
    outside = [
        n for n in canvas.nodes() if not canvas.rect().contains(canvas.map_to_screen(n).toPoint())
    ]
    assert outside  # zoomed in and panned away: some people are off screen
    canvas.fit()
    for node in canvas.nodes():
        assert canvas.rect().contains(canvas.map_to_screen(node).toPoint()), node


def test_wheel_zooms_around_the_cursor_and_drag_pans(canvas, qtbot):
    anchor = canvas.map_to_screen("person:6")
    zoom0 = canvas.view_state()[0]
    event = QWheelEvent(
        anchor,
        canvas.mapToGlobal(anchor),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    with qtbot.waitSignal(canvas.viewChanged):
        QApplication.sendEvent(canvas, event)
    assert canvas.view_state()[0] > zoom0 * 1.3
    after = canvas.map_to_screen("person:6")
    assert abs(after.x() - anchor.x()) < 0.5 and abs(after.y() - anchor.y()) < 0.5

    start = canvas.map_to_screen("person:1")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 300))
    qtbot.mouseMove(canvas, QPoint(430, 320))
    qtbot.mouseMove(canvas, QPoint(460, 340))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(460, 340))
    moved = canvas.map_to_screen("person:1")
    assert (moved.x() - start.x(), moved.y() - start.y()) == pytest.approx((60, 40), abs=0.5)
    assert canvas.selected() is None  # a drag is not a click


def test_hovering_reuses_the_last_frame(canvas, qtbot):
    canvas.repaint()
    frames = canvas.frames_rendered
    with qtbot.waitSignal(canvas.nodeHovered):
        qtbot.mouseMove(canvas, canvas.map_to_screen("person:3").toPoint())
    canvas.repaint()
    assert canvas.frames_rendered == frames
    canvas.select("person:3")
    canvas.repaint()
    assert canvas.frames_rendered == frames + 1


def test_a_slow_view_moves_the_last_frame_while_dragging(canvas, qtbot):
    canvas.slow_frame_ms = 0.0  # treat every frame as slow, as at 100k people
    canvas.repaint()
    canvas.select("person:1")
    frames = canvas.frames_rendered
    canvas.repaint()
    assert canvas.frames_rendered == frames + 1  # repaint() does paint here
    frames += 1
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 300))
    for x in range(410, 500, 10):
        qtbot.mouseMove(canvas, QPoint(x, 300))
        canvas.repaint()
    assert canvas.frames_rendered == frames  # the old frame, moved
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(490, 300))
    qtbot.waitUntil(lambda: canvas.frames_rendered > frames, timeout=2000)
    # The redrawn frame shows the moved view.
    p = canvas.map_to_screen("person:3").toPoint()
    assert grab(canvas).pixelColor(p) != grab(canvas).pixelColor(QPoint(1, 1))


def test_labels_appear_only_when_zoomed_in(canvas):
    canvas.set_view(0.05, (0.0, 100.0))
    grab(canvas)
    assert canvas.drawn_label_count == 0
    canvas.set_view(2.0, (0.0, 100.0))
    grab(canvas)
    assert canvas.drawn_label_count >= 4


def test_center_on_brings_a_node_to_the_middle(canvas):
    canvas.center_on("person:6")
    p = canvas.map_to_screen("person:6")
    assert (p.x(), p.y()) == (canvas.width() / 2, canvas.height() / 2)
    grab(canvas)
    assert canvas.drawn_label_count >= 1


def test_tooltip_escapes_text_from_the_data(canvas, qtbot):
    canvas.set_metrics(METRICS)
    text = canvas.tooltip_text("person:7")
    assert "<script>" not in text and "<b>Eve" not in text
    assert "&lt;script&gt;" in text and "&lt;b&gt;Eve&lt;/b&gt; &amp;" in text
    assert "Sales &lt;i&gt;" in text
    # Metric names and formats from the metric table: labels, percentages.
    assert "Influence: 0.7" in text and "Influence percentile: 70%" in text
    assert tooltip_at(canvas, canvas.map_to_screen("person:7").toPoint()) == text
    with qtbot.waitSignal(canvas.nodeHovered) as blocker:
        qtbot.mouseMove(canvas, canvas.map_to_screen("person:7").toPoint())
    assert blocker.args == ["person:7"]


def test_render_image_is_the_requested_size_and_not_blank(canvas):
    img = canvas.render_image(1200, 700)
    assert (img.width(), img.height()) == (1200, 700)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(700, img.bytesPerLine())
    assert len(np.unique(arr[:, : 1200 * 4].reshape(-1, 4), axis=0)) > 20
    # Same aspect as the widget: the same picture, scaled.
    canvas.zoom_by(1.5)
    img = canvas.render_image(1200, 900)
    bg = img.pixelColor(0, 0)
    for node in canvas.nodes():
        p = canvas.map_to_screen(node)
        assert img.pixelColor(int(p.x() * 1.5), int(p.y() * 1.5)) != bg, node


def test_png_and_svg_files_read_back(canvas, tmp_path):
    canvas.select("person:7")
    png, svg = tmp_path / "view.png", tmp_path / "view.svg"
    canvas.to_png(png, 1000, 640)
    canvas.to_svg(svg)
    img = QImage(str(png))
    assert (img.width(), img.height()) == (1000, 640)
    root = ET.parse(svg).getroot()  # well-formed XML although a name holds <script>
    assert root.tag.endswith("svg")
    text = svg.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;b&gt;Eve" in text  # the selected person's label, escaped
    assert set(tmp_path.iterdir()) == {png, svg}  # no temporary files left behind


def big_org(people: int, teams: int, seed: int = 0) -> tuple[Org, dict]:
    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    pos = {}
    centres = rng.random((teams, 2)) * 4000
    for i in range(people):
        t = i % teams
        g.add_node(
            f"person:{i}", kind="person", id=str(i), name=f"P{i}", team=f"T{t}", department="D"
        )
        x, y = centres[t] + rng.normal(0, 60, 2)
        pos[f"person:{i}"] = (float(x), float(y))
        if i >= teams:
            g.add_edge(f"person:{i}", f"person:{i - teams}", key="reports_to", kind="reports_to")
    return Org(graph=g), pos


def test_zoomed_out_large_org_draws_team_clusters(qtbot):
    org, pos = big_org(3000, 30)
    c = GraphCanvas()
    qtbot.addWidget(c)
    c.resize(800, 600)
    c.set_graph(org, pos)
    c.set_view(0.02, (2000.0, 2000.0))
    grab(c)
    assert c.cluster_mode
    assert c.drawn_node_count == 30
    # Selecting still lights people individually on top of the clusters.
    c.select("person:100")
    grab(c)
    assert c.drawn_node_count == 30 + len(c.highlighted())
    c.select(None)
    c.set_view(2.0, pos["person:0"])
    grab(c)
    assert not c.cluster_mode
    assert 0 < c.drawn_node_count < 3000
    assert c.drawn_label_count > 0


def test_clicking_a_team_disc_zooms_into_the_team(qtbot):
    org, pos = big_org(3000, 30)
    c = GraphCanvas()
    qtbot.addWidget(c)
    c.resize(800, 600)
    c.show()
    qtbot.waitExposed(c)
    c.set_graph(org, pos)
    c.set_view(0.02, (2000.0, 2000.0))
    grab(c)
    assert c.cluster_mode
    # Team T7's disc sits at its members' centroid.
    members = [n for n in c.nodes() if org.graph.nodes[n]["team"] == "T7"]
    cx = float(np.mean([pos[n][0] for n in members]))
    cy = float(np.mean([pos[n][1] for n in members]))
    w, h = c.width(), c.height()
    target = QPoint(round((cx - 2000) * 0.02 + w / 2), round((cy - 2000) * 0.02 + h / 2))
    assert "<b>T7</b>" in tooltip_at(c, target) and "100 people" in QToolTip.text()
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=target)
    zoom, centre = c.view_state()
    assert zoom > 0.02 * 3
    assert centre == pytest.approx((cx, cy))
    assert c.selected() is None


def test_keyboard_zooms_fits_and_clears(canvas, qtbot):
    canvas.select("person:2")
    zoom = canvas.view_state()[0]
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.view_state()[0] == pytest.approx(zoom * 1.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.view_state()[0] < zoom
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.view_state()[0] == pytest.approx(zoom)
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.selected() is None and canvas.highlighted() == set()


def test_view_state_round_trips(canvas):
    canvas.set_view(1.75, (-40.0, 120.0))
    assert canvas.view_state() == (1.75, (-40.0, 120.0))
    p = canvas.map_to_screen("person:6")  # world (-70, 200)
    assert (p.x(), p.y()) == pytest.approx((400 + (-70 + 40) * 1.75, 300 + (200 - 120) * 1.75))
    # A new graph for the same org keeps the view when asked (a re-layout).
    canvas.set_graph(canvas.org(), POSITIONS, fit=False)
    assert canvas.view_state() == (1.75, (-40.0, 120.0))


def test_missing_metric_values_are_grey_and_listed(canvas):
    metrics = {"people": {"person:1": {"brokerage": 0.5}, "person:2": {"brokerage": 0.0}}}
    canvas.set_metrics(metrics)
    canvas.set_color_by("brokerage")
    entries = canvas.legend_entries()
    assert entries[-1] == ("(no value)", palette.MISSING_COLOR)
    canvas.set_view(3.0, POSITIONS["person:5"])
    img = grab(canvas)
    pixel = img.pixelColor(canvas.map_to_screen("person:5").toPoint())
    assert pixel.name().lower() == palette.MISSING_COLOR.lower()


def test_legend_shows_names_as_plain_text(canvas, qtbot):
    from PySide6.QtWidgets import QLabel

    legend = Legend(canvas)
    qtbot.addWidget(legend)
    labels = {lab.text(): lab for lab in legend.findChildren(QLabel)}
    assert "Sales <i>" in labels
    assert labels["Sales <i>"].textFormat() == Qt.TextFormat.PlainText


def test_empty_and_odd_inputs_do_not_break_the_canvas(qtbot):
    c = GraphCanvas()
    qtbot.addWidget(c)
    c.resize(400, 300)
    img = c.render_image(200, 100)  # nothing set yet
    assert (img.width(), img.height()) == (200, 100)
    c.set_graph(Org(), {})
    c.fit()
    c.zoom_by(2)
    assert c.legend_entries() == [] and c.node_at(QPoint(200, 150)) is None
    c.select("person:1")
    assert c.selected() is None
    grab(c)
    # One person with no team, a non-finite coordinate, and a position for a node the
    # graph does not have.
    org = Org()
    org.graph.add_node("person:1", kind="person", id="1", name="Solo")
    c.set_graph(org, {"person:1": (float("nan"), 5.0), "person:ghost": (1.0, 1.0)})
    assert c.nodes() == ["person:1"]
    assert c.legend_entries() == [("(no team)", palette.MISSING_COLOR)]
    c.select("person:1")
    assert c.highlighted() == {"person:1"}
    grab(c)
    assert c.drawn_node_count == 1


def test_png_at_twice_the_pixels_shows_the_same_picture(canvas, tmp_path):
    canvas.set_color_by("team")
    colors = dict(canvas.legend_entries())
    canvas.to_png(tmp_path / "x2.png", scale=2)
    img = QImage(str(tmp_path / "x2.png"))
    assert (img.width(), img.height()) == (canvas.width() * 2, canvas.height() * 2)
    for node, team in (("person:3", "Data"), ("person:2", "Platform")):
        p = canvas.map_to_screen(node)
        pixel = img.pixelColor(round(p.x() * 2), round(p.y() * 2))
        assert pixel.name().lower() == colors[team].lower()


def test_a_scene_built_off_the_gui_thread_can_be_shown(canvas):
    import threading

    from orgmap.gui.canvas_scene import Scene

    built: list[Scene] = []
    org = small_org()
    worker = threading.Thread(target=lambda: built.append(Scene(org, POSITIONS, METRICS)))
    worker.start()
    worker.join(10)
    canvas.set_scene(built[0])
    canvas.set_color_by("influence")
    assert canvas.org() is org and len(canvas.legend_entries()) == 5
    grab(canvas)
    assert canvas.drawn_node_count == 7
