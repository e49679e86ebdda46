"""File > Export profile: the one-page HTML (with the reach picture) and the PDF, looked at
in a real Chromium; Help > Metrics lists every metric; the inspector explains on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtGui import QImage

from orgmap.metrics.info import METRICS


def _a_person(window) -> str:
    people = window.metrics["people"]
    return max(people, key=lambda n: (people[n]["cross_team_projects_led"], n))


def test_export_profile_writes_html_with_the_map_and_a_pdf(sample_window, tmp_path):
    w = sample_window
    node = _a_person(w)
    page = w.export_profile(node, tmp_path / "p.html")
    text = Path(page).read_text(encoding="utf-8")
    assert '<img class="map"' in text and "data:image/png;base64," in text
    assert w.org.label(node) in text
    pdf = w.export_profile(node, tmp_path / "p.pdf")
    data = Path(pdf).read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000  # the picture is in it

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 900, "height": 1200})
        requests: list[str] = []
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(Path(page).resolve().as_uri())
        natural = tab.evaluate("document.querySelector('img.map').naturalWidth")
        shot = tmp_path / "profile.png"
        tab.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert natural == 900  # the embedded picture decoded
    assert all(u.startswith(("file:", "data:")) for u in requests)  # nothing fetched
    image = QImage(str(shot))
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 23) for y in range(0, image.height(), 23)
    }
    assert image.height() > 1200 and len(colours) > 20  # text, bars and the map, not blank
    shutil.copy(shot, Path("/tmp") / "orgmap-insight-profile.png")


def test_help_metrics_lists_every_metric(sample_window):
    dialog = sample_window.show_metrics_help()
    text = dialog.browser.toPlainText()
    for m in METRICS:
        assert m.label in text and m.name in text
    assert "formal leader" in text


def test_inspector_explains_a_number_on_demand(sample_window):
    w = sample_window
    node = _a_person(w)
    w.inspector.show_node(w.org, w.metrics, node, (2, 10, 3, 2))
    before = w.inspector.toPlainText()
    assert "Named by" not in before and "why?" in before
    assert "(direct)" in before and "(within 2 steps)" in before
    w.inspector.toggle_why("influence")
    assert "Named by" in w.inspector.toPlainText()
    w.inspector.toggle_why("influence")
    assert "Named by" not in w.inspector.toPlainText()
