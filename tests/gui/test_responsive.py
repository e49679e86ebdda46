"""The window never freezes: a 20k-person import runs while the event loop keeps turning,
and Cancel leaves the org that was shown before."""

import time

import pytest
from gui_helpers import SAMPLE
from PySide6.QtCore import Qt, QTimer

PEOPLE = 20_000


@pytest.fixture(scope="session")
def big_xlsx(tmp_path_factory):
    from orgmap.sample import generate, write_xlsx

    path = tmp_path_factory.mktemp("big") / "org-20k.xlsx"
    write_xlsx(generate(PEOPLE, seed=1), path)
    return path


def test_event_loop_keeps_turning_during_a_20k_import(qtbot, sample_window, big_xlsx):
    w = sample_window
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    work_done: list[float] = []
    w.workDone.connect(lambda: work_done.append(time.monotonic()))
    timer.start()
    start = time.monotonic()
    with qtbot.waitSignal(w.loadFinished, timeout=180_000) as finished:
        w.open_files([big_xlsx])
    timer.stop()
    assert finished.args == ["done"]
    end = work_done[0]
    assert end - start > 1.0, "the import was long enough to measure"
    during = [start] + [t for t in ticks if start <= t <= end] + [end]
    gaps = [b - a for a, b in zip(during, during[1:], strict=False)]
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    at = during[worst] - start
    assert max(gaps) <= 0.100, f"the event loop stalled for {max(gaps) * 1000:.0f} ms at {at:.2f} s"
    assert len(w.org.people()) >= PEOPLE
    assert w.metrics["people"]
    assert set(w.positions) >= set(w.org.people())


def test_cancel_keeps_the_previous_org(qtbot, sample_window, big_xlsx):
    w = sample_window
    before, before_sources = w.org, list(w.sources)
    rows = w.explorer.models["people"].rowCount()
    w.open_files([big_xlsx])
    assert w.busy
    assert w.cancel_button.isVisible() and w.progress.isVisible()
    qtbot.wait(700)  # well into the work
    with qtbot.waitSignal(w.loadFinished, timeout=20_000) as finished:
        qtbot.mouseClick(w.cancel_button, Qt.MouseButton.LeftButton)
    assert finished.args == ["cancelled"]
    qtbot.waitUntil(lambda: not w.busy, timeout=10_000)
    assert w.org is before
    assert w.sources == before_sources == [str(SAMPLE)]
    assert w.explorer.models["people"].rowCount() == rows
    assert set(w.canvas.nodes()) >= set(before.people())
    assert not w.cancel_button.isVisible()
    assert "Cancelled" in w.statusBar().currentMessage()


def test_other_layouts_of_a_large_org_arrive_in_the_background(qtbot, window, big_xlsx):
    w = window
    with qtbot.waitSignal(w.otherLayoutsReady, timeout=180_000) as ready:
        w.open_files([big_xlsx])
    assert ready.args == [["network", "teams"]]
    start = time.monotonic()
    with qtbot.waitSignal(w.layoutApplied, timeout=5_000):
        w.set_layout("network")
    assert time.monotonic() - start < 1.0  # already computed: no worker needed
    assert not w.busy
    assert set(w.positions) >= set(w.org.people())
