"""``orgmap html --focus REF --to TARGET`` in a real (headless) Chromium: the loop-in
answer drawn over the focus map, on the hand-built workbook of tests/test_loop_in.py
(Ann reaches Max through Dora, Sam and Sue through Lee; Lee and Dora are advocates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgmap import palette
from orgmap.cli import Env, main
from tests.test_loop_in import write_workbook

pytestmark = pytest.mark.browser


def test_focus_map_draws_the_paths_targets_and_advocates(open_map, tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "org.xlsx")
    env = Env.capture(tmp_path)
    argv = ["html", str(book), "-o", "loop.html", "--focus", "6", "--to", "team:Search"]
    status = main([*argv, "--depth", "1"], env)
    assert status == 0, env.stderr.getvalue()
    mp = open_map(tmp_path / "loop.html")
    state = mp.page.evaluate(
        """() => {
          const o = window.__orgmap, D = o.data;
          const border = (name) => o.nodes.get(D.nodes.label.indexOf(name)).color.border;
          const dim = o.nodes.get().filter((n) => n.color.background === D.dimColor);
          return {
            labels: D.nodes.label.slice().sort(),
            pathEdges: o.edges.get().filter((e) => String(e.id).startsWith("ov")).length,
            sam: border("Sam Sun"), lee: border("Lee Lim"), ann: border("Ann Aho"),
            dimmed: dim.map((n) => D.nodes.label[n.id]),
            box: document.getElementById("overlay-box").innerText,
          };
        }"""
    )
    # one step around Ann is Dora and Lee; the answer adds Max, Sam and Sue, who are
    # further than --depth 1, because the map shows what it draws a path to
    assert state["labels"] == ["Ann Aho", "Dora Diaz", "Lee Lim", "Max Moe", "Sam Sun", "Sue Sato"]
    assert state["pathEdges"] == 6  # three routes of two hops
    assert state["sam"] == palette.MARK_COLORS["target"]
    assert state["lee"] == palette.MARK_COLORS["advocate"]
    assert state["ann"] == palette.MARK_COLORS["path"]
    assert state["dimmed"] == []  # everyone shown is on the answer
    assert "LOOP IN TEAM SEARCH FOR ANN AHO" in state["box"].upper()
    assert not mp.console_errors and not mp.blocked and not mp.dialogs


def test_to_needs_a_focus_and_a_known_target(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "org.xlsx")
    env = Env.capture(tmp_path)
    assert main(["html", str(book), "-o", "x.html", "--to", "team:Search"], env) == 2
    assert "--to needs --focus" in env.stderr.getvalue()
    env = Env.capture(tmp_path)
    argv = ["html", str(book), "-o", "x.html", "--focus", "6", "--to", "team:Serch"]
    assert main(argv, env) == 1
    assert "--to: no team named 'Serch'; closest: team:Search" in env.stderr.getvalue()
    assert not (tmp_path / "x.html").exists()
