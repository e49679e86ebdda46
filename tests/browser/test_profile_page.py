"""The exported profile page, rendered in headless Chromium: picture decoded, nothing
fetched, a page with text, bars and the map (not blank)."""

from __future__ import annotations

import shutil
from pathlib import Path

from orgmap.assets import sample_path
from orgmap.gui.canvas import GraphCanvas
from orgmap.gui.help import export_profile, reach_picture
from orgmap.layout import compute_layout
from orgmap.loader import load
from orgmap.metrics import compute_all

SAMPLE = sample_path("sample")


def test_profile_page_renders_with_its_map(qtbot, browser, tmp_path):
    from PySide6.QtGui import QImage

    org = load([SAMPLE])
    metrics = compute_all(org)
    people = metrics["people"]
    node = max(people, key=lambda n: (people[n]["cross_team_projects_led"], n))
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    picture = reach_picture(canvas, org, compute_layout(org), metrics, node, 2)
    page = export_profile(org, metrics, node, tmp_path / "profile.html", picture)

    context = browser.new_context(viewport={"width": 900, "height": 1200})
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(page.resolve().as_uri())
    natural = tab.evaluate("document.querySelector('img.map').naturalWidth")
    heading = tab.inner_text("h1")
    shot = tmp_path / "profile.png"
    tab.screenshot(path=str(shot), full_page=True)
    context.close()
    assert natural == 900  # the embedded picture decoded
    assert heading == org.label(node)
    assert all(u.startswith(("file:", "data:")) for u in requests)  # nothing fetched
    image = QImage(str(shot))
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 23) for y in range(0, image.height(), 23)
    }
    assert image.height() > 1200 and len(colours) > 20  # text, bars and the map, not blank
    shutil.copy(shot, Path("/tmp") / "orgmap-insight-profile.png")
