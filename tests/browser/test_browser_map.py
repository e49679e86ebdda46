"""The HTML map in a real (headless) Chromium: offline, inert, interactive."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgmap.builder import build_org
from orgmap.html_export import write_html
from orgmap.tables import Table

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SAMPLE_XLSX = REPO / "orgmap" / "samples" / "sample-org.xlsx"

# Each payload would set window.__pwned or open a dialog if it ever ran.
HOSTILE = [
    "</script><script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    "<svg/onload=window.__pwned=3>",
    '=HYPERLINK("http://evil.example/","click")',
    "<iframe src=javascript:alert(4)></iframe>",
    "\u2028<b onmouseover=alert(5)>bold</b>",
]


@pytest.fixture(scope="module")
def sample_map(tmp_path_factory) -> Path:
    from orgmap.loader import load

    out = tmp_path_factory.mktemp("maps") / "sample-map.html"
    write_html(load([SAMPLE_XLSX]), out, data_date="2026-01-01")
    return out


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory) -> Path:
    rows = [["Employee ID", "Name", "Email", "Title", "Team", "Department", "Manager ID"]]
    rows.append(["1", "Boss", "boss@example.com", HOSTILE[1], HOSTILE[2], HOSTILE[3], ""])
    for i, text in enumerate(HOSTILE, start=2):
        rows.append(
            [
                str(i),
                text,
                f"p{i}@example.com",
                HOSTILE[(i + 1) % len(HOSTILE)],
                HOSTILE[i % len(HOSTILE)],
                HOSTILE[(i + 2) % len(HOSTILE)],
                "1",
            ]
        )
    projects = [
        ["Project", "Member", "Role"],
        [HOSTILE[0], "2", "lead"],
        [HOSTILE[0], "3", "member"],
    ]
    org = build_org(
        [
            Table(file="people.xlsx", sheet="People", rows=rows),
            Table(file="people.xlsx", sheet="Projects", rows=projects),
        ]
    )
    out = tmp_path_factory.mktemp("maps") / "hostile.html"
    write_html(org, out, view="full", title=HOSTILE[0])
    return out


def test_sample_map_draws_offline(open_map, sample_map: Path) -> None:
    mp = open_map(sample_map)
    assert mp.blocked == [], f"the page tried to fetch {mp.blocked}"
    assert mp.console_errors == []
    assert len(mp.labels()) == 300
    ready = mp.page.evaluate("window.__orgmapReady")
    assert 0 < ready < 10_000
    assert "2026-01-01" in mp.page.inner_text("#subtitle")
    # the legend and the filters are filled
    assert mp.page.locator("#legend-colors li").count() >= 3
    assert mp.page.locator("#dept option").count() > 2
    assert mp.page.locator("#legend-edges li").count() >= 2
    # the canvas really shows the network: many coloured pixels, in several colours
    painted = mp.page.evaluate(
        """() => {
          const c = document.querySelector("#network canvas");
          const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let ink = 0; const colours = new Set();
          for (let i = 0; i < d.length; i += 16) {
            if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) {
              ink++; colours.add((d[i] >> 4) + "," + (d[i + 1] >> 4) + "," + (d[i + 2] >> 4));
            }
          }
          return [ink, colours.size];
        }"""
    )
    assert painted[0] > 2000 and painted[1] > 8, painted


def test_search_click_and_filter(open_map, sample_map: Path) -> None:
    mp = open_map(sample_map)
    page = mp.page
    labels = mp.labels()
    name = labels[42]
    page.fill("#search", name[:6])
    assert page.locator("#results li").count() >= 1
    page.fill("#search", name)
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert page.inner_text("#details .name") == name
    assert page.evaluate("window.__orgmap.network.getSelectedNodes()") == [labels.index(name)]
    # neighbours are lit, the rest fades
    dim = page.evaluate(
        "window.__orgmap.nodes.get().filter(n => n.color.background === window.__orgmap.data.dimColor).length"
    )
    assert 0 < dim < len(labels)
    # filter by a department: only its people stay
    page.select_option("#dept", index=1)
    page.wait_for_timeout(200)
    shown = page.evaluate("window.__orgmap.nodes.get().filter(n => !n.hidden).length")
    assert 0 < shown < len(labels)
    assert "shown" in page.inner_text("#shown")
    # the team filter offers only that department's teams
    assert 1 < page.locator("#team option").count() < 46
    # hovering shows a tooltip with metrics
    page.select_option("#dept", index=0)
    x, y = mp.node_xy(labels.index(name))
    page.mouse.move(x, y)
    page.wait_for_timeout(400)
    assert page.is_visible("#tooltip")
    assert name in page.inner_text("#tooltip")
    assert mp.console_errors == [] and mp.blocked == []


def test_hostile_names_stay_text(open_map, hostile_map: Path) -> None:
    mp = open_map(hostile_map)
    page = mp.page
    title = page.title()
    assert title == HOSTILE[0]  # the <title> shows the text, escaped
    labels = mp.labels()
    for text in HOSTILE:
        if text not in labels:
            continue
        i = labels.index(text)
        x, y = mp.node_xy(i)
        page.mouse.move(x, y)
        page.wait_for_timeout(150)
        assert page.inner_text("#tooltip .name") == text.replace("\u2028", "\n").strip() or (
            page.evaluate("document.querySelector('#tooltip .name').textContent") == text
        )
        page.mouse.click(x, y)
        page.wait_for_timeout(100)
        assert page.evaluate("document.querySelector('#details .name').textContent") == text
    # search for the script-looking name and pick it
    page.fill("#search", "</script>")
    page.wait_for_timeout(100)
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    # the filters list the hostile team and department names as plain options
    options = page.evaluate(
        "[...document.querySelectorAll('#team option, #dept option')].map(o => o.textContent)"
    )
    assert HOSTILE[2] in options and HOSTILE[3] in options
    # nothing ran, nothing opened, nothing was fetched
    assert page.evaluate("window.__pwned") is None
    assert mp.dialogs == []
    assert page.title() == title
    assert page.locator("img, iframe, svg, b").count() == 0
    assert mp.blocked == []
    assert mp.console_errors == []


def test_physics_toggle_on_small_map(open_map, sample_map: Path) -> None:
    mp = open_map(sample_map)
    page = mp.page
    assert page.is_enabled("#physics")
    before = page.evaluate("window.__orgmap.network.getPosition(0)")
    page.check("#physics")
    page.wait_for_timeout(600)
    after = page.evaluate("window.__orgmap.network.getPosition(0)")
    page.uncheck("#physics")
    assert before != after
    assert mp.console_errors == []


@pytest.mark.parametrize("options", [{"view": "teams"}, {"view": "full", "anonymize": True}])
def test_other_views_draw_cleanly(open_map, tmp_path: Path, options: dict) -> None:
    from orgmap.sample import sample_org

    out = tmp_path / "view.html"
    write_html(sample_org(people=400, seed=2), out, **options)
    mp = open_map(out)
    assert mp.blocked == [] and mp.console_errors == [] and mp.dialogs == []
    labels = mp.labels()
    x, y = mp.node_xy(0)
    mp.page.mouse.click(x, y)
    mp.page.wait_for_timeout(150)
    assert mp.page.evaluate("document.querySelector('#details .name').textContent") == labels[0]
    if options.get("anonymize"):
        people = [lab for lab in labels if lab.startswith("Person ")]
        assert len(people) == 400
    else:
        assert mp.page.locator("#legend-colors li").count() >= 3


_BOXES_ON_SCREEN = """() => {
  const o = window.__orgmap, net = o.network;
  const r = document.getElementById("network").getBoundingClientRect();
  const out = [];
  for (const id of o.nodes.getIds()) {
    const b = net.getBoundingBox(id);  // the node and its name, canvas units
    const a = net.canvasToDOM({x: b.left, y: b.top});
    const z = net.canvasToDOM({x: b.right, y: b.bottom});
    out.push([o.data.nodes.label[id], a.x, a.y, z.x, z.y]);
  }
  return {width: r.width, height: r.height, boxes: out, scale: net.getScale()};
}"""


def _outside(view: dict) -> list:
    return [
        b
        for b in view["boxes"]
        if b[1] < 0 or b[2] < 0 or b[3] > view["width"] or b[4] > view["height"]
    ]


@pytest.mark.parametrize("sample", ["sample-org.xlsx", "dirty-org.xlsx"])
def test_first_view_shows_every_node_and_name(open_map, tmp_path: Path, sample: str) -> None:
    from orgmap.loader import load

    out = tmp_path / "map.html"
    write_html(load([REPO / "orgmap" / "samples" / sample]), out)
    mp = open_map(out)
    view = mp.page.evaluate(_BOXES_ON_SCREEN)
    assert len(view["boxes"]) > 50
    assert _outside(view) == [], _outside(view)[:5]
    # the window growing (as a page settles, or a window made taller) refits rather than
    # zooming in past the sides
    mp.page.set_viewport_size({"width": 1400, "height": 1200})
    mp.page.wait_for_timeout(400)
    view = mp.page.evaluate(_BOXES_ON_SCREEN)
    assert _outside(view) == [], _outside(view)[:5]
    assert mp.console_errors == []


def test_external_people_are_drawn_grey(open_map, tmp_path: Path) -> None:
    from orgmap.loader import load
    from orgmap.palette import MISSING_COLOR

    out = tmp_path / "dirty.html"
    write_html(load([REPO / "orgmap" / "samples" / "dirty-org.xlsx"]), out)
    mp = open_map(out)
    drawn = mp.page.evaluate(
        """() => window.__orgmap.nodes.get()
             .filter(n => n.label.includes("pat.contractor"))
             .map(n => n.color.background)"""
    )
    assert drawn == [MISSING_COLOR]
    legend = mp.page.inner_text("#legend-colors")
    assert "No department" in legend


def test_small_map_names_are_moderate_and_apart(open_map, tmp_path: Path) -> None:
    from orgmap.loader import load

    out = tmp_path / "focus.html"
    write_html(load([SAMPLE_XLSX]), out, focus="Dmitri Jackson", depth=1)
    mp = open_map(out)
    labels = mp.page.evaluate(
        """() => {
          const o = window.__orgmap, net = o.network, out = [];
          for (const id of o.nodes.getIds()) {
            const n = net.body.nodes[id], s = n.labelModule.size;
            const a = net.canvasToDOM({x: s.left, y: s.top});
            const z = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
            const c = net.canvasToDOM({x: n.x, y: n.y});
            out.push([n.options.label, a.x, a.y, z.x, z.y, c.y]);
          }
          return out;
        }"""
    )
    assert len(labels) == 11
    for name, _x0, y0, _x1, y1, cy in labels:
        # names in a moderate size (one line of 13 px text is ~15-18 px tall), under the node
        assert 9 <= y1 - y0 <= 22, (name, y1 - y0)
        assert y0 > cy, name
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            overlap = min(a[3], b[3]) > max(a[1], b[1]) and min(a[4], b[4]) > max(a[2], b[2])
            assert not overlap, (a[0], b[0])


def test_an_overlay_is_drawn_marked_and_listed(open_map, tmp_path: Path) -> None:
    from orgmap import palette
    from orgmap.loader import load
    from orgmap.overlay import Ghost, Overlay

    org = load([SAMPLE_XLSX])
    people = sorted(org.people())[:3]
    overlay = Overlay(
        title="Loop in",
        paths=(tuple(people),),
        marks={people[-1]: "target", "gone": "left"},
        ghosts={"gone": Ghost("Gone <b>x</b>", 10.0, 10.0)},
    )
    out = tmp_path / "overlay.html"
    write_html(org, out, overlay=overlay)
    mp = open_map(out)
    state = mp.page.evaluate(
        """(ids) => {
          const o = window.__orgmap, D = o.data;
          const idx = ids.map((id) => D.nodes.label.indexOf(id));
          const lit = [], dim = [];
          o.nodes.get().forEach((n) => {
            if (typeof n.id !== "number") return;
            (n.color.background === D.dimColor ? dim : lit).push(n.id);
          });
          return {
            litCount: lit.length, dimCount: dim.length, n: D.nodes.label.length,
            pathEdges: o.edges.get().filter((e) => String(e.id).startsWith("ov")).length,
            ghost: o.nodes.get("ghost0"),
            legend: document.getElementById("legend-marks").textContent,
            boxHidden: document.getElementById("overlay-box").hidden,
            target: o.nodes.get(D.overlay.marks[0][0]).color.border,
          };
        }""",
        [org.label(p) for p in people],
    )
    assert state["pathEdges"] == 2  # three people, two hops
    assert state["litCount"] == 3  # the rest fades
    assert state["dimCount"] == state["n"] - 3 > 0
    assert state["ghost"]["label"] == "Gone <b>x</b>"  # text, never markup
    assert state["target"] == palette.MARK_COLORS["target"]
    assert not state["boxHidden"]
    assert "target" in state["legend"] and "left" in state["legend"]
    assert not mp.console_errors and not mp.blocked
