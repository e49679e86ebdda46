"""The garbage collector is held off during bulk steps and always comes back (issue 15).

A collector left off would keep every reference cycle for the rest of a long app
session; these tests pin that it is back on, as it was, after each bulk entry point,
when that step fails too, and only when the last of several overlapping steps ends.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from orgmap.gcpause import paused_gc
from orgmap.loader import load
from orgmap.metrics import compute_all
from orgmap.model import Cancelled
from orgmap.sample import sample_org


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_collector_is_off_inside_and_back_on_after() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: still off after the inner block ends
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_back_on_after_a_failing_step() -> None:
    org = sample_org(people=40, seed=1)
    with pytest.raises(Cancelled):
        compute_all(org, cancel=lambda: True)
    assert gc.isenabled()


def test_back_on_after_import_and_metrics(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    org = load([tmp_path / "broken.xlsx"])
    assert org.unreadable and gc.isenabled()
    compute_all(sample_org(people=40, seed=1))
    assert gc.isenabled()


def test_overlapping_steps_in_two_threads() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def long_step() -> None:
        with paused_gc():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the other step ended; this one still runs

    thread = threading.Thread(target=long_step)
    thread.start()
    first_in.wait(5)
    with paused_gc():
        pass
    second_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_a_cycle_made_while_paused_is_freed_afterwards() -> None:
    import weakref

    class Node:
        pass

    with paused_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert ref() is None


def test_the_app_freezes_what_its_load_kept() -> None:
    # the window's loads ask for a freeze: later collections skip the org on screen
    gc.unfreeze()
    with paused_gc(freeze=True):
        with paused_gc():  # a core step inside the app's load
            kept = [{"row": i} for i in range(1000)]
        assert gc.get_freeze_count() == 0  # not before the outermost step ends
    assert gc.get_freeze_count() >= len(kept)
    assert gc.isenabled()
    gc.unfreeze()
