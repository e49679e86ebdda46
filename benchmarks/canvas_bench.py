"""How fast the graph canvas paints: median frame time, zoomed out and zoomed in.

Renders ``GraphCanvas`` offscreen into a 1600x1000 image (the same paint code the
window runs), for sample orgs of 1k, 10k and 100k people laid out as an org chart and as
a network. "zoomed out" is the whole org fitted to the frame (team clusters once people
would be under 3 px apart), "zoomed in" is the view centred on a manager at 1.5 px per
layout unit (labels on), "selected" is zoomed out with a person's 2-step reach lit.

Run: ``python benchmarks/canvas_bench.py [--sizes 1000,10000,100000] [--repeat 7]``.
Targets (issue 4): <= 16 ms at 1k, <= 50 ms at 10k; 100k usable.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from orgmap.gui.canvas import GraphCanvas  # noqa: E402
from orgmap.layout import compute_layout  # noqa: E402
from orgmap.sample import sample_org  # noqa: E402

W, H = 1600, 1000


def frame_ms(canvas: GraphCanvas, repeat: int) -> tuple[float, dict[str, int]]:
    times = []
    canvas.render_image(W, H)  # warm the sprite atlas and caches
    for _ in range(repeat):
        t = time.perf_counter()
        canvas.render_image(W, H)
        times.append((time.perf_counter() - t) * 1000)
    drawn = {
        "nodes": canvas.drawn_node_count,
        "edges": canvas.drawn_edge_count,
        "labels": canvas.drawn_label_count,
        "clusters": int(canvas.cluster_mode),
    }
    return statistics.median(times), drawn


def busiest_manager(org) -> str:
    counts: dict[str, int] = {}
    for _, v, kind in org.graph.edges(data="kind"):
        if kind == "reports_to":
            counts[v] = counts.get(v, 0) + 1
    ranked = sorted(counts, key=counts.get, reverse=True)
    return ranked[min(len(ranked) - 1, 10)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--layouts", default="orgchart,network")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    canvas = GraphCanvas()
    canvas.resize(W, H)
    rows = []
    header = f"{'people':>7} {'layout':>9} {'view':>10} {'ms':>7}  {'nodes':>7} {'edges':>7} {'labels':>6} clustered"
    print(header)
    print("-" * len(header))
    for n in (int(x) for x in args.sizes.split(",")):
        org = sample_org(n)
        for kind in args.layouts.split(","):
            positions = compute_layout(org, kind)
            t = time.perf_counter()
            canvas.set_graph(org, positions)
            setup = (time.perf_counter() - t) * 1000
            manager = busiest_manager(org)
            views = []
            canvas.select(None)
            canvas.fit()
            views.append(("zoomed out", *frame_ms(canvas, args.repeat)))
            canvas.select(manager)
            views.append(("selected", *frame_ms(canvas, args.repeat)))
            canvas.select(None)
            canvas.set_view(1.5, canvas.view_state()[1])
            canvas.center_on(manager, zoom_in=False)
            views.append(("zoomed in", *frame_ms(canvas, args.repeat)))
            for view, ms, drawn in views:
                print(
                    f"{n:>7} {kind:>9} {view:>10} {ms:7.1f}  {drawn['nodes']:>7} "
                    f"{drawn['edges']:>7} {drawn['labels']:>6} {'yes' if drawn['clusters'] else 'no'}"
                )
                rows.append((n, kind, view, ms))
            print(f"{n:>7} {kind:>9} {'set_graph':>10} {setup:7.1f}")
            sys.stdout.flush()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
