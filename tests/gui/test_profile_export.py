"""File > Export profile: the one-page HTML (with the reach picture) and the PDF (the page
is looked at in Chromium in tests/browser/test_profile_page.py); Help > Metrics lists every
metric; the inspector explains on demand."""

from __future__ import annotations

from pathlib import Path

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
