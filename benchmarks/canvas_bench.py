"""How fast the graph canvas answers: time from an input event to the next painted frame.

Two tables, for sample orgs (``orgmap.sample``) of 1k, 10k, 30k and 100k people:

``frames``
    The median time to render a whole frame offscreen into a 1600x1000 image, zoomed
    out (fitted), with a manager's 2-step reach lit, and zoomed in on that manager.
``interaction``
    The real event path, as a user drives it: a shown 1600x1000 canvas gets synthetic
    events through ``QApplication.sendEvent`` (a mouse-wheel notch, a drag's first
    move, a click on a person, a search result centred, a layout switch, a team
    filter lit) and the clock runs until the canvas has finished painting the next
    frame (``GraphCanvas.paints`` counts completed paint events). That is the first
    visible change; work done after it (the full redraw after a gesture pauses) is
    timed as "settled".

Run: ``python benchmarks/canvas_bench.py [--sizes 1000,10000,30000,100000] [--repeat 5]``.
Targets (issue 14): the first visible change within 50 ms at 30k and 100 ms at 100k.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent, QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from orgmap.gui.canvas import GraphCanvas  # noqa: E402
from orgmap.gui.canvas_scene import Scene  # noqa: E402
from orgmap.layout import compute_layout  # noqa: E402
from orgmap.sample import sample_org  # noqa: E402
from orgmap.views import lit_set  # noqa: E402

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


# -- the real event path ----------------------------------------------------------------
def until_painted(app: QApplication, canvas: GraphCanvas, send, timeout: float = 10.0) -> float:
    """ms from ``send()`` (which delivers events) until the canvas completed a paint."""
    app.processEvents()
    before = canvas.paints
    t0 = time.perf_counter()
    send()
    while canvas.paints == before and time.perf_counter() - t0 < timeout:
        app.processEvents()
    return (time.perf_counter() - t0) * 1000


def settle(app: QApplication, canvas: GraphCanvas) -> float:
    """ms until no more repaint is pending (a gesture's full redraw, progressive work)."""
    t0 = time.perf_counter()
    deadline = t0 + 5.0
    quiet = None
    while time.perf_counter() < deadline:
        n = canvas.paints
        app.processEvents()
        if canvas.paints == n and not canvas.busy():
            quiet = quiet or time.perf_counter()
            if time.perf_counter() - quiet > 0.01:
                break
        else:
            quiet = None
    return (time.perf_counter() - t0) * 1000


def wheel(canvas: GraphCanvas, delta: int = 120) -> None:
    pos = QPointF(W / 2 + 37, H / 2 - 21)
    event = QWheelEvent(
        pos,
        QPointF(canvas.mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)


def mouse(canvas: GraphCanvas, kind, pos: QPointF, buttons) -> None:
    button = (
        Qt.MouseButton.LeftButton if kind != QMouseEvent.Type.MouseMove else Qt.MouseButton.NoButton
    )
    event = QMouseEvent(
        kind, pos, QPointF(canvas.mapToGlobal(pos.toPoint())), button, buttons,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(canvas, event)


def interactions(
    app: QApplication, canvas: GraphCanvas, org, scenes: dict[str, Scene], repeat: int
) -> dict[str, tuple[float, float]]:
    """(first paint ms, settled ms) per interaction, medians over ``repeat``."""
    left = Qt.MouseButton.LeftButton
    none = Qt.MouseButton.NoButton
    manager = busiest_manager(org)
    team = next(n for n in org.graph if org.graph.nodes[n].get("kind") == "team")
    team_lit = lit_set(org, team)
    out: dict[str, list[tuple[float, float]]] = {}

    def run(name: str, send) -> None:
        first = until_painted(app, canvas, send)
        out.setdefault(name, []).append((first, first + settle(app, canvas)))

    kinds = list(scenes)
    for r in range(repeat):
        canvas.set_groups_drawn(kinds[0] != "orgchart")
        canvas.set_scene(scenes[kinds[0]])
        canvas.select(None)
        canvas.fit()
        settle(app, canvas)
        run("wheel zoom", lambda r=r: wheel(canvas, 120 if r % 2 == 0 else -120))
        run("wheel zoom", lambda: wheel(canvas, 120))
        centre = QPointF(W / 2, H / 2)

        def drag(centre: QPointF = centre) -> None:
            mouse(canvas, QMouseEvent.Type.MouseButtonPress, centre, left)
            mouse(canvas, QMouseEvent.Type.MouseMove, centre + QPointF(40, 25), left)

        run("pan (drag)", drag)
        mouse(canvas, QMouseEvent.Type.MouseButtonRelease, centre + QPointF(40, 25), none)
        settle(app, canvas)
        # A click on a person: zoom in on the manager so people are drawn one by one.
        canvas.center_on(manager)
        settle(app, canvas)
        at = canvas.map_to_screen(manager)

        def click(at: QPointF = at) -> None:
            mouse(canvas, QMouseEvent.Type.MouseButtonPress, at, left)
            mouse(canvas, QMouseEvent.Type.MouseButtonRelease, at, none)

        canvas.select(None)
        settle(app, canvas)
        run("select (click)", click)
        canvas.fit()
        settle(app, canvas)
        run("search result", lambda: canvas.center_on(manager))
        run("filter (team lit)", lambda: canvas.highlight(team_lit, focus=team))
        if len(kinds) > 1:
            run(
                "layout switch",
                lambda: (
                    canvas.set_groups_drawn(kinds[1] != "orgchart"),
                    canvas.set_scene(scenes[kinds[1]]),
                    canvas.fit(),
                ),
            )
    return {
        k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v))
        for k, v in out.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000,100000")
    parser.add_argument("--layouts", default="network,orgchart")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-frames", action="store_true", help="only the interaction table")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    canvas = GraphCanvas()
    canvas.resize(W, H)
    canvas.show()
    app.processEvents()
    table: list[tuple[int, str, float, float]] = []
    for n in (int(x) for x in args.sizes.split(",")):
        org = sample_org(n)
        scenes = {kind: Scene(org, compute_layout(org, kind)) for kind in args.layouts.split(",")}
        if not args.no_frames:
            print(f"{'people':>7} {'layout':>9} {'view':>10} {'ms':>7}  {'nodes':>7} "
                  f"{'edges':>7} {'labels':>6} clustered")  # fmt: skip
            for kind, scene in scenes.items():
                # as the window does: the org chart stays a tree (no outlines, no discs)
                canvas.set_groups_drawn(kind != "orgchart")
                canvas.set_scene(scene)
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
                        f"{drawn['edges']:>7} {drawn['labels']:>6} "
                        f"{'yes' if drawn['clusters'] else 'no'}"
                    )
        for name, (first, settled) in interactions(app, canvas, org, scenes, args.repeat).items():
            table.append((n, name, first, settled))
        sys.stdout.flush()
    print()
    print("interaction: first painted frame after the event (ms), and settled (ms)")
    print(f"{'people':>7}  {'interaction':<18} {'first':>7} {'settled':>8}")
    for n, name, first, settled in table:
        print(f"{n:>7}  {name:<18} {first:7.1f} {settled:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
