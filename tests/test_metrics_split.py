"""compute_all(only=, skip=) and merge(): the cheap metrics first, the slow ones later."""

from __future__ import annotations

import pytest

from orgmap.metrics import compute_all
from orgmap.metrics.compute import SLOW_METRICS, merge
from orgmap.metrics.examples import example_org


@pytest.fixture(scope="module")
def full():
    return compute_all(example_org())


def test_skip_slow_leaves_them_pending_and_the_rest_equal(full):
    cheap = compute_all(example_org(), skip=SLOW_METRICS)
    assert cheap["summary"]["pending"] == sorted(SLOW_METRICS)
    assert "betweenness" not in cheap["summary"]
    for section in ("people", "projects", "teams"):
        assert set(cheap[section]) == set(full[section])
        for node, values in cheap[section].items():
            assert not set(values) & SLOW_METRICS
            assert values == {k: v for k, v in full[section][node].items() if k not in SLOW_METRICS}


def test_merge_of_the_slow_part_gives_the_full_result(full):
    org = example_org()
    result = compute_all(org, skip=SLOW_METRICS)
    slow = compute_all(org, only=SLOW_METRICS)
    assert set(slow["people"]["person:2"]) == SLOW_METRICS & set(full["people"]["person:2"])
    merge(result, slow)
    assert result["summary"]["pending"] == []
    assert result["people"] == full["people"]
    assert result["projects"] == full["projects"] and result["teams"] == full["teams"]
    assert result["summary"]["betweenness"] == {"method": "exact", "samples": 0}


def test_full_run_has_nothing_pending(full):
    assert full["summary"]["pending"] == []


def test_only_steps_run_and_progress_names_each(full):
    seen = []
    out = compute_all(example_org(), only={"brokerage"}, progress=lambda f, m: seen.append(m))
    # Ben (person:2) links the CEO, Platform and Data: the top broker, as in full
    assert out["people"]["person:2"] == {"brokerage": full["people"]["person:2"]["brokerage"]}
    assert seen[0] == "brokerage" and seen[-1] == "done"
    assert "influence" in out["summary"]["pending"]


def test_metric_names_of_a_section():
    from orgmap.metrics.compute import metric_names

    teams = metric_names("teams")
    assert teams[0] == "size" and "silo" in teams and "brokerage" not in teams
    out = compute_all(example_org(), only=teams)
    assert all(values == {} for values in out["people"].values())
    assert all(set(values) == set(teams) for values in out["teams"].values())


def test_html_teams_view_computes_team_metrics_only(tmp_path, monkeypatch):
    # the teams map needs no person metric: brokerage must not run for it
    from orgmap.cli import Env, main
    from orgmap.metrics import brokerage

    calls = []
    real = brokerage.brokerage_scores
    monkeypatch.setattr(
        brokerage, "brokerage_scores", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    sample = (
        __import__("pathlib").Path(__file__).resolve().parents[1] / "orgmap/samples/sample-org.xlsx"
    )
    env = Env.capture(cwd=tmp_path)
    assert main(["html", str(sample), "--view", "teams", "-o", "m.html"], env) == 0, (
        env.stderr.getvalue()
    )
    assert calls == []
    assert (tmp_path / "m.html").stat().st_size > 10_000
    env = Env.capture(cwd=tmp_path)
    assert main(["html", str(sample), "-o", "p.html"], env) == 0
    assert calls  # the people view shows brokerage in its tooltips
