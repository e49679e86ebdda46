"""HTML map benchmark: export seconds, file size, and time until headless Chromium has
drawn the network, for 1k, 5k and 20k people (people view, forced past the size limit).

Run: ``python benchmarks/html_bench.py [--sizes 1000,5000,20000] [--repeat 3]``.
Targets: a 5k-person map exports in <= 1 s, is <= 5 MB and is drawn in <= 3 s.

"export" is :func:`orgmap.html_export.write_html` with the metrics already computed (as
the app has them); the metrics and layout columns show what the command line adds.
"drawn" is the page's own hook (``window.__orgmapReady``, set on vis-network's first
``afterDrawing``), measured from navigation start; median of ``--repeat`` loads.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layout_bench import synthetic_org  # noqa: E402

from orgmap.html_export import write_html  # noqa: E402
from orgmap.layout import compute_layout  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def draw_times(path: Path, repeat: int, browser) -> tuple[float, float, int]:
    """Median ms until the map is drawn, median ms of one full redraw (what each pan or
    zoom frame costs), and requests that tried to leave the file."""
    times = []
    redraws = []
    blocked = 0
    uri = path.resolve().as_uri()
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()

        def route(r, _request=None):
            nonlocal blocked
            if r.request.url == uri:
                r.continue_()
            else:
                blocked += 1
                r.abort()

        context.route("**/*", route)
        page.goto(uri)
        page.wait_for_function("window.__orgmapReady !== undefined", timeout=120_000)
        times.append(page.evaluate("window.__orgmapReady"))
        redraws.append(
            page.evaluate(
                """() => { const n = window.__orgmap.network; const t = [];
                for (let i = 0; i < 5; i++) { const a = performance.now(); n.redraw();
                t.push(performance.now() - a); } t.sort((a, b) => a - b); return t[2]; }"""
            )
        )
        context.close()
    return statistics.median(times), statistics.median(redraws), blocked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    from orgmap.metrics import compute_all

    browser = pw = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    print(
        f"{'people':>7} {'nodes':>6} {'links':>6} {'metrics s':>9} {'layout s':>8} "
        f"{'export s':>8} {'size MB':>8} {'drawn s':>8} {'redraw ms':>9} {'requests':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            org = synthetic_org(people=n, seed=0)
            t0 = time.perf_counter()
            metrics = compute_all(org)
            t_metrics = time.perf_counter() - t0
            t0 = time.perf_counter()
            positions = compute_layout(org, "network")
            t_layout = time.perf_counter() - t0
            out = Path(tmp) / f"map-{n}.html"
            exports = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                result = write_html(org, out, metrics=metrics, positions=positions, force=True)
                exports.append(time.perf_counter() - t0)
            drawn, redraw, blocked = (float("nan"), float("nan"), 0)
            if browser is not None:
                ms, redraw, blocked = draw_times(out, args.repeat, browser)
                drawn = ms / 1000
            print(
                f"{n:>7} {result.nodes:>6} {result.edges:>6} {t_metrics:>9.2f} {t_layout:>8.2f} "
                f"{statistics.median(exports):>8.2f} {result.bytes / 1e6:>8.2f} {drawn:>8.2f} "
                f"{redraw:>9.0f} {blocked:>8}",
                flush=True,
            )
    if browser is not None:
        browser.close()
        pw.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
