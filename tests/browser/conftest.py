"""Headless Chromium for the HTML map tests.

Debian's ``chromium`` driven by Playwright through ``executable_path``. Every request the
page makes is routed here: the map file itself is allowed, anything else is blocked and
counted. Without Chromium the tests skip, unless ``ORGMAP_REQUIRE_BROWSER=1`` (CI), where
they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("ORGMAP_CHROMIUM"), "/usr/bin/chromium", "chromium"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def _missing(reason: str) -> None:
    if os.environ.get("ORGMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ORGMAP_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    exe = chromium_path()
    if exe is None:
        _missing("Chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class MapPage:
    page: Any
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def node_xy(self, index: int) -> tuple[float, float]:
        """Screen position of node ``index`` (after centring on it)."""
        return tuple(
            self.page.evaluate(
                """(i) => {
                  const o = window.__orgmap;
                  o.network.moveTo({position: o.network.getPosition(i), scale: 1.2});
                  const p = o.network.canvasToDOM(o.network.getPosition(i));
                  const r = document.getElementById("network").getBoundingClientRect();
                  return [p.x + r.left, p.y + r.top];
                }""",
                index,
            )
        )

    def labels(self) -> list[str]:
        return self.page.evaluate("window.__orgmap.data.nodes.label")


@pytest.fixture
def open_map(browser) -> Iterator[Any]:
    contexts = []

    def _open(path: Path, timeout: float = 60_000) -> MapPage:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        mp = MapPage(page)
        target = path.resolve().as_uri()

        def route(r: Any) -> None:
            if r.request.url == target:
                r.continue_()
            else:
                mp.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on(
            "console", lambda m: mp.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: mp.console_errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            mp.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(target)
        page.wait_for_function("window.__orgmapReady !== undefined", timeout=timeout)
        return mp

    yield _open
    for c in contexts:
        c.close()
