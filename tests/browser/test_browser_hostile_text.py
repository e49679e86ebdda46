"""Maps whose data holds template placeholders and control characters still draw.

A person named ``{data}`` (and ``{js}``), a title ``{data}``, and names and teams holding
control characters: the page opens in a real Chromium, the map draws every person, and
the title and labels show the literal text (control characters as U+FFFD).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orgmap.cli import Env, main

pytestmark = pytest.mark.browser


def write_people(path: Path) -> Path:
    rows = [
        "Employee ID,Name,Team,Manager ID",
        "1,{data},Core,",
        "2,{js},Core,1",
        "3,Bo\x01ss,Pl\x0bat,1",
        "4,{title} {vis} {css} {csp},Pl\x0bat,1",
    ]
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def placeholder_map(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    src = write_people(folder / "people.csv")
    env = Env.capture(cwd=folder)
    status = main(["html", str(src), "-o", "map.html", "--title", "{data}"], env)
    assert status == 0, env.stderr.getvalue()
    return folder / "map.html"


def test_placeholders_in_names_and_title_stay_text_and_the_map_draws(open_map, placeholder_map):
    mp = open_map(placeholder_map)
    page = mp.page
    assert mp.console_errors == [] and mp.blocked == [] and mp.dialogs == []
    assert page.title() == "{data}"
    assert page.inner_text("#title") == "{data}"
    labels = mp.labels()
    assert sorted(labels) == sorted(["{data}", "{js}", "Bo\ufffdss", "{title} {vis} {css} {csp}"])
    # the network really drew: its nodes are placed and painted on the canvas
    positions = page.evaluate("Object.keys(window.__orgmap.network.getPositions()).length")
    assert positions == 4
    ink = page.evaluate(
        """() => {
          const c = document.querySelector("#network canvas");
          const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let ink = 0;
          for (let i = 0; i < d.length; i += 16)
            if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) ink++;
          return ink;
        }"""
    )
    assert ink > 200, ink
    # a search for the literal placeholder finds the person
    page.fill("#search", "{data}")
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert page.inner_text("#details .name") == "{data}"
    # the team with a control character shows cleaned in the filter
    teams = page.locator("#team option").all_inner_texts()
    assert any("Pl\ufffdat" in t for t in teams), teams
