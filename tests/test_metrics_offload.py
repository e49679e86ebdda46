"""The key-person detail computed in a forked child gives what the parent computes."""

from __future__ import annotations

import os

import pytest

from orgmap.metrics import compute, offload
from orgmap.metrics.compute import compute_all
from orgmap.sample import sample_org

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX-only")


def _no_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    # the test run loads PySide6 for the GUI tests; the fork itself is what is tested
    monkeypatch.setattr(offload, "can_fork", lambda: True)


def test_the_child_computes_and_the_parent_receives(monkeypatch):
    _no_qt(monkeypatch)
    parent = os.getpid()
    result, abandon = offload.in_child(lambda: {"pid": os.getpid(), "items": [1, "two", None]})
    got = result()
    abandon()
    assert got["items"] == [1, "two", None]
    assert got["pid"] != parent  # it really ran elsewhere


def test_a_failing_child_falls_back_to_computing_here(monkeypatch):
    _no_qt(monkeypatch)
    calls = []

    def compute_once():
        calls.append(os.getpid())
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return 42

    parent = os.getpid()
    result, _ = offload.in_child(compute_once)
    assert result() == 42
    assert calls == [parent]  # the child's call happened in the child's copy of the list


def test_abandon_stops_a_running_child_and_leaves_no_file(monkeypatch, tmp_path):
    _no_qt(monkeypatch)
    monkeypatch.setattr(offload.tempfile, "tempdir", str(tmp_path))
    import time

    result, abandon = offload.in_child(lambda: time.sleep(60))
    start = time.perf_counter()
    abandon()
    assert time.perf_counter() - start < 5
    assert list(tmp_path.iterdir()) == []


def test_compute_all_with_the_detail_in_a_child_equals_it_inline(monkeypatch):
    org = sample_org(400, seed=3)
    inline = compute_all(org)
    org.changed()
    _no_qt(monkeypatch)
    monkeypatch.setattr(compute, "OFFLOAD_PEOPLE", (1, 10**9))
    forked_pids = []
    real = offload.in_child

    def spy(fn):
        forked_pids.append(1)
        return real(fn)

    monkeypatch.setattr(offload, "in_child", spy)
    forked = compute_all(org)
    assert forked_pids == [1]
    assert forked["people"] == inline["people"]
    assert list(forked["people"][next(iter(forked["people"]))]) == list(
        inline["people"][next(iter(inline["people"]))]
    )
    detail = [d for v in forked["people"].values() for d in v["key_person_risk_detail"]]
    assert any(d["kind"] == "team_pair" for d in detail)


def test_brokerage_estimated_on_a_thread_equals_it_inline(monkeypatch):
    import threading

    from orgmap.metrics import brokerage

    org = sample_org(400, seed=3)
    inline_org = sample_org(400, seed=3)
    monkeypatch.setattr(compute, "_NEED_BROKERAGE", frozenset())
    inline = compute_all(inline_org, exact_limit=50)
    monkeypatch.undo()
    threads = []
    real = brokerage.estimate

    def watch(mat, seed=0):
        threads.append(threading.current_thread().name)
        return real(mat, seed)

    monkeypatch.setattr(brokerage, "estimate", watch)
    threaded = compute_all(org, exact_limit=50)
    assert threads == ["orgmap-brokerage"]
    assert threaded["summary"]["betweenness"]["estimator"] == "KADABRA"
    for node, row in inline["people"].items():
        assert threaded["people"][node]["brokerage"] == row["brokerage"]
        assert threaded["people"][node]["role"] == row["role"]
    assert list(threaded["people"][node]) == list(row)  # brokerage keeps its place


def _plain(value) -> bool:
    kind = type(value)
    if kind in (int, str, bool, type(None)):
        return True
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(v) for v in value)
    return False  # floats too: these steps are counts, names and sentences


def test_the_steps_taken_as_plain_are_plain():
    # compute_all puts their values in the rows unexamined: a float or numpy value here
    # would reach the JSON and the report unchecked
    from orgmap.metrics.compute import BUILT_PLAIN, metric_steps
    from orgmap.views import normalize_relations

    org = sample_org(600, seed=2)
    seen = set()
    for _section, (name, fn) in metric_steps(org, normalize_relations(None)):
        if name in BUILT_PLAIN:
            values = fn()
            assert values and all(_plain(v) for v in values.values()), name
            seen.add(name)
    assert seen == BUILT_PLAIN


def test_float_values_cleaned_and_equal_ones_shared():
    import math

    table = {n: {} for n in "abcde"}
    values = {"a": 1.5, "b": 3.0 / 2.0, "c": -0.0, "d": math.nan, "e": -math.inf}
    compute._run_step(table, "m", lambda: values, 0.0, None, None)
    assert [table[n]["m"] for n in "ab"] == [1.5, 1.5]
    assert table["a"]["m"] is table["b"]["m"]  # one object for the two
    assert math.copysign(1.0, table["c"]["m"]) == -1.0  # -0.0 stays itself
    assert table["d"]["m"] is None and table["e"]["m"] is None
