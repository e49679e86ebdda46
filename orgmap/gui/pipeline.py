"""The work the window sends to the thread pool: plain functions over the core.

Each takes ``progress`` and ``cancel`` like every long core function, splits the
progress range between its steps, and returns a plain result object. Nothing here
touches a widget, so the same code runs in a worker thread, a test or a script.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgmap.model import Cancelled, Org

_gc_lock = threading.Lock()
_gc_holders = 0


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic garbage collection while a load allocates.

    A full (generation 2) collection walks every object in the process; with a
    20k-person org that takes 100-250 ms holding the GIL, stalling the window whichever
    thread triggered it. At the end everything allocated is frozen (skipped by later
    collections) and :func:`tidy_memory` collects once, when the window chooses.
    """
    global _gc_holders
    with _gc_lock:
        _gc_holders += 1
        if _gc_holders == 1:
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0:
                gc.freeze()
                gc.enable()


def tidy_memory() -> None:
    """Collect now (an org that was replaced goes), then freeze what survives."""
    with _gc_lock:
        if _gc_holders:
            return
        gc.unfreeze()
        gc.collect()
        gc.freeze()


__all__ = [
    "Loaded",
    "SUBPROCESS_BYTES",
    "input_bytes",
    "load_pipeline",
    "layout_nodes",
    "layout_pipeline",
    "metrics_for",
    "build_scene",
    "explorer_rows",
    "search_index",
    "DEFAULT_SORT",
    "layout_scene",
    "gc_paused",
    "tidy_memory",
    "Helper",
]

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None


@dataclass
class Loaded:
    """An org ready to show: the org, its metrics and positions for one layout."""

    org: Org
    metrics: dict[str, Any]
    layout: str
    positions: dict[str, tuple[float, float]]
    sources: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    metrics_error: str | None = None
    #: The canvas's arrays (``orgmap.gui.canvas_scene.Scene``), built off the GUI thread.
    scene: Any = None
    #: The explorer's rows (:func:`explorer_rows`), built off the GUI thread.
    rows: dict[str, Any] | None = None
    #: The helper process of a large load, still computing the other layouts.
    helper: Any = None


_PERSON_TEXT = ("name", "id", "email", "title", "level", "team", "department", "location")
#: Each explorer tab's first sort: (metric, descending). The Projects view leads with the
#: projects that span the most teams; the Teams view with the most inward-looking teams.
DEFAULT_SORT: dict[str, tuple[str, bool]] = {
    "people": ("influence_percentile", True),
    "projects": ("teams_spanned", True),
    "teams": ("ei_index", False),
}
_SECTION = {"people": "people", "projects": "projects", "teams": "teams"}


def _presort(nodes: list[str], texts: list[str], table: dict, key: str, desc: bool) -> tuple:
    """Stable sort by a metric, blanks last, as the explorer's own sort orders rows."""
    import math

    def value(i: int) -> float | None:
        v = (table.get(nodes[i]) or {}).get(key)
        if isinstance(v, bool):
            return float(v)
        if isinstance(v, (int, float)) and math.isfinite(v):
            return float(v)
        return None

    keys = [value(i) for i in range(len(nodes))]
    present = [i for i, k in enumerate(keys) if k is not None]
    missing = [i for i, k in enumerate(keys) if k is None]
    present.sort(key=keys.__getitem__, reverse=desc)
    order = present + missing
    return [nodes[i] for i in order], [texts[i] for i in order]


def search_index(org: Org) -> dict[str, str]:
    """Search-box completions (``Name — Title``, ``Project (project)``...) -> node."""
    g = org.graph
    index: dict[str, str] = {}
    for node in org.people():
        d = g.nodes[node]
        label = org.label(node)
        if d.get("title"):
            label += f" — {d['title']}"
        if label in index:
            label += f" ({d.get('id')})"
        index[label] = node
    for kind, nodes in (
        ("project", org.projects()),
        ("team", org.teams()),
        ("department", org.departments()),
    ):
        for node in nodes:
            index[f"{org.label(node)} ({kind})"] = node
    return index


def explorer_rows(org: Org, metrics: dict[str, Any] | None = None) -> dict[str, Any]:
    """Per explorer tab: node keys and the lower-case text the filter box searches,
    aligned, in the tab's first sort order (:data:`DEFAULT_SORT`) when ``metrics`` are
    given, else by name; plus ``"presorted"``, the search completions and the counts.
    A few seconds of work at 100k people, all off the GUI thread."""
    g = org.graph

    def label(node: str) -> str:
        return org.label(node)

    def dept_of(team: str) -> str:
        dept = org.department_of(team)
        return org.label(dept) if dept else ""

    people = sorted(org.people(), key=lambda n: label(n).casefold())
    people_text = [
        " ".join(str(g.nodes[n].get(k) or "") for k in _PERSON_TEXT).casefold() for n in people
    ]
    projects = sorted(org.projects(), key=lambda n: label(n).casefold())
    project_text = [f"{label(n)} {g.nodes[n].get('team') or ''}".casefold() for n in projects]
    teams = sorted(org.teams(), key=lambda n: label(n).casefold())
    team_text = [f"{label(n)} {dept_of(n)}".casefold() for n in teams]
    rows: dict[str, Any] = {
        "people": (people, people_text),
        "projects": (projects, project_text),
        "teams": (teams, team_text),
    }
    presorted = bool(metrics)
    if presorted:
        for tab, (key, desc) in DEFAULT_SORT.items():
            table = metrics.get(_SECTION[tab]) or {}
            rows[tab] = _presort(*rows[tab], table, key, desc)
    rows["presorted"] = presorted
    rows["search"] = search_index(org)
    rows["counts"] = org.counts()
    return rows


def build_scene(org: Org, positions: dict[str, tuple[float, float]], metrics: dict | None) -> Any:
    """The canvas's Qt-free ``Scene`` for these positions, or None if there is none."""
    try:
        from orgmap.gui.canvas_scene import Scene
    except ImportError:
        return None
    return Scene(org, positions, metrics)


def layout_scene(
    org: Org,
    kind: str,
    metrics: dict | None = None,
    progress: Progress = None,
    cancel: Cancel = None,
) -> tuple[dict[str, tuple[float, float]], Any]:
    """A layout and the canvas scene for it (a layout switch, all off the GUI thread)."""
    with gc_paused():
        positions = layout_pipeline(org, kind, _scaled(progress, 0.0, 0.8), cancel)
        _check(cancel)
        return positions, build_scene(org, positions, metrics)


def _scaled(progress: Progress, lo: float, hi: float) -> Progress:
    if progress is None:
        return None

    def report(fraction: float, message: str = "") -> None:
        progress(lo + (hi - lo) * max(0.0, min(1.0, fraction)), message)

    return report


def _check(cancel: Cancel) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def layout_nodes(org: Org, kind: str) -> list[str]:
    """The nodes each layout places: people always; team discs in the teams layout,
    project hubs in the network layout (they pull their members together there)."""
    nodes = org.people()
    if kind == "teams":
        nodes += org.teams()
    elif kind == "network":
        nodes += org.projects()
    return nodes


def metrics_for(
    org: Org,
    progress: Progress = None,
    cancel: Cancel = None,
    relations: Sequence[str] | None = None,
) -> dict[str, Any]:
    """All metrics; ``relations`` None (or all five) counts every relation."""
    from orgmap.metrics import compute_all

    chosen = None if relations is None or len(set(relations)) >= 5 else list(relations)
    return compute_all(org, relations=chosen, progress=progress, cancel=cancel)


def layout_pipeline(
    org: Org, kind: str, progress: Progress = None, cancel: Cancel = None
) -> dict[str, tuple[float, float]]:
    from orgmap.layout import compute_layout

    if not org.people():
        return {}
    return compute_layout(
        org, kind=kind, nodes=layout_nodes(org, kind), progress=progress, cancel=cancel
    )


#: Inputs above this many bytes (about a thousand people) get their metrics and layout
#: computed in a separate process: igraph's betweenness and a few other compiled
#: routines hold Python's GIL for up to a second at 20k people, which would freeze
#: the window however the threads are arranged. Below it, the spawn cost (about a
#: second of imports) would be slower than the work itself.
SUBPROCESS_BYTES = 100_000
_CHUNK = 1000


def input_bytes(paths: Sequence[str]) -> int:
    """Total size of the input files (folders walked); unreadable paths count 0."""
    import os

    total = 0
    for p in paths:
        try:
            if os.path.isdir(p):
                for root, _dirs, files in os.walk(p):
                    total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
            else:
                total += os.path.getsize(p)
        except OSError:
            continue
    return total


def _remote(
    paths: list[str],
    mapping: dict[str, str],
    layout: str,
    send_org: bool,
    out: Any,
    stop: Any,
    relations: list[str] | None = None,
) -> None:
    """Runs in the helper process: load, metrics, layout. Everything is sent back in
    small pieces, each unpickled in the GUI process in a few milliseconds (one big
    pickle would hold the GIL there for the whole unpickling)."""
    import os
    import time

    from orgmap.loader import load

    # The window's process comes first on a busy machine: this is background work.
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(5)
    last = [0.0]

    def progress(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] > 0.1:
            last[0] = now
            out.put(("progress", float(fraction), str(message)))

    try:
        org = load(paths, mapping=mapping, progress=_scaled(progress, 0.0, 0.4), cancel=stop.is_set)
        out.put(("count", len(org.people())))
        metrics: dict[str, Any] = {}
        error = None
        if org.people():
            try:
                metrics = metrics_for(org, _scaled(progress, 0.4, 0.85), stop.is_set, relations)
            except Cancelled:
                raise
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
        positions = layout_pipeline(org, layout, _scaled(progress, 0.85, 0.95), stop.is_set)
        if send_org:
            g = org.graph
            out.put(
                (
                    "org",
                    dict(g.graph),
                    list(org.issues),
                    list(org.sheets),
                    list(org.unreadable),
                    list(getattr(org, "sources", paths)),
                )
            )
            nodes = list(g.nodes(data=True))
            for i in range(0, len(nodes), _CHUNK * 2):
                out.put(("nodes", nodes[i : i + _CHUNK * 2]))
            edges = list(g.edges(keys=True, data=True))
            for i in range(0, len(edges), _CHUNK * 4):
                out.put(("edges", edges[i : i + _CHUNK * 4]))
        items = list(positions.items())
        for i in range(0, len(items), _CHUNK * 5):
            out.put(("positions", dict(items[i : i + _CHUNK * 5])))
        for key, value in metrics.items():
            if isinstance(value, dict) and key in ("people", "projects", "teams"):
                entries = list(value.items())
                out.put(("section", key))
                for i in range(0, len(entries), _CHUNK):
                    out.put(("metrics", key, dict(entries[i : i + _CHUNK])))
            else:
                out.put(("metric", key, value))
        out.put(("done", error))
        # While the user looks at the map, lay it out the other ways too, so switching
        # layout later is instant (these run GIL-holding numpy code for up to 0.3 s at
        # 20k people: in this process they cannot stall the window).
        from orgmap.gui.state import LAYOUTS

        for other in LAYOUTS:
            if other == layout or stop.is_set():
                continue
            extra = layout_pipeline(org, other, None, stop.is_set)
            items = list(extra.items())
            for i in range(0, len(items), _CHUNK * 5):
                out.put(("layout", other, dict(items[i : i + _CHUNK * 5])))
            out.put(("layout_done", other))
        out.put(("all_done",))
    except Cancelled:
        out.put(("cancelled",))
    except BaseException as exc:  # reported to the window, never a traceback
        out.put(("error", f"{type(exc).__name__}: {exc}"))


def _receive(
    proc: Any, queue: Any, progress: Progress, cancel: Cancel
) -> tuple[Org | None, dict[str, Any], dict[str, tuple[float, float]], str | None, int | None]:
    import queue as queue_mod

    org: Org | None = None
    metrics: dict[str, Any] = {}
    positions: dict[str, tuple[float, float]] = {}
    count = None
    while True:
        _check(cancel)
        try:
            msg = queue.get(timeout=0.05)
        except queue_mod.Empty:
            if not proc.is_alive():
                try:
                    msg = queue.get(timeout=0.5)
                except queue_mod.Empty:
                    raise RuntimeError(
                        f"the metrics process stopped unexpectedly (exit code {proc.exitcode})"
                    ) from None
            else:
                continue
        tag = msg[0]
        if tag == "progress" and progress:
            progress(msg[1], msg[2])
        elif tag == "count":
            count = msg[1]
        elif tag == "org":
            org = Org(issues=msg[2], sheets=msg[3], unreadable=msg[4])
            org.graph.graph.update(msg[1])
            org.sources = msg[5]
        elif tag == "nodes":
            org.graph.add_nodes_from(msg[1])
        elif tag == "edges":
            org.graph.add_edges_from(msg[1])
        elif tag == "positions":
            positions.update(msg[1])
        elif tag == "section":
            metrics[msg[1]] = {}
        elif tag == "metrics":
            metrics[msg[1]].update(msg[2])
        elif tag == "metric":
            metrics[msg[1]] = msg[2]
        elif tag == "done":
            return org, metrics, positions, msg[1], count
        elif tag == "cancelled":
            raise Cancelled()
        elif tag == "error":
            raise RuntimeError(msg[1])


def _warm(org: Org) -> None:
    """Build the cached views the canvas needs on its first frame and first click here,
    off the GUI thread (about half a second at 20k people)."""
    try:
        from orgmap.views import collaboration_matrix, people_index
    except ImportError:
        return
    if org.people():
        people_index(org)
        collaboration_matrix(org)


def load_pipeline(
    paths: Sequence[str],
    mapping: dict[str, str] | None,
    layout: str,
    org: Org | None = None,
    progress: Progress = None,
    cancel: Cancel = None,
    subprocess: bool | None = None,
    relations: Sequence[str] | None = None,
    keep_helper: bool = False,
) -> Loaded:
    """Read (unless ``org`` is given), compute the metrics, lay out.

    Large inputs (``subprocess`` None: above :data:`SUBPROCESS_BYTES`) are read, measured
    and laid out in a helper process which sends the org back in pieces, so the GUI
    process never runs a long call that holds the GIL.
    """
    with gc_paused():
        loaded = _load_pipeline(
            paths, mapping, layout, org, progress, cancel, subprocess, relations
        )
    if loaded.helper is not None and not keep_helper:
        loaded.helper.stop()
        loaded.helper = None
    return loaded


def _load_pipeline(
    paths: Sequence[str],
    mapping: dict[str, str] | None,
    layout: str,
    org: Org | None,
    progress: Progress,
    cancel: Cancel,
    subprocess: bool | None,
    relations: Sequence[str] | None = None,
) -> Loaded:
    relations = list(relations) if relations is not None else None
    mapping = dict(mapping or {})
    paths = [str(p) for p in paths]
    if subprocess is None:
        subprocess = input_bytes(paths) > SUBPROCESS_BYTES
    if not subprocess:
        return _load_here(paths, mapping, layout, org, progress, cancel, relations)

    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    stop = ctx.Event()
    proc = ctx.Process(
        target=_remote,
        args=(paths, mapping, layout, org is None, queue, stop, relations),
        daemon=True,
        name="orgmap-metrics",
    )
    proc.start()
    helper = Helper(proc, queue, stop)
    ok = False
    try:
        sent, metrics, positions, error, count = _receive(proc, queue, progress, cancel)
        org = org if org is not None else sent
        ok = True
    finally:
        if not ok:
            helper.stop()
    if org is None or count != len(org.people()) or any(n not in org.graph for n in positions):
        # The helper read something else (a file changed in between): do it here.
        helper.stop()
        return _load_here(paths, mapping, layout, org, progress, cancel, relations)
    _warm(org)
    scene = build_scene(org, positions, metrics)
    rows = explorer_rows(org, metrics)
    if progress:
        progress(1.0, "ready")
    loaded = Loaded(org, metrics, layout, positions, paths, mapping, error, scene, rows)
    loaded.helper = helper
    return loaded


class Helper:
    """The helper process of a large load, still laying the org out the other ways.

    :meth:`other_layouts` (run it as a job) collects them; :meth:`stop` ends the process.
    """

    def __init__(self, proc: Any, queue: Any, stop: Any) -> None:
        self.proc = proc
        self.queue = queue
        self._stop = stop

    def stop(self) -> None:
        self._stop.set()
        self.proc.join(timeout=0.5)
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join(timeout=5)
        self.queue.close()

    def other_layouts(
        self,
        org: Org,
        metrics: dict[str, Any] | None,
        progress: Progress = None,
        cancel: Cancel = None,
    ) -> dict[str, tuple[dict[str, tuple[float, float]], Any]]:
        """``{layout: (positions, scene)}`` for the layouts the helper computes after the
        load; stops the helper when done, cancelled or failed."""
        import queue as queue_mod

        found: dict[str, tuple[dict[str, tuple[float, float]], Any]] = {}
        pending: dict[str, dict[str, tuple[float, float]]] = {}
        try:
            with gc_paused():
                while True:
                    _check(cancel)
                    try:
                        msg = self.queue.get(timeout=0.05)
                    except queue_mod.Empty:
                        if not self.proc.is_alive():
                            return found
                        continue
                    tag = msg[0]
                    if tag == "layout":
                        pending.setdefault(msg[1], {}).update(msg[2])
                    elif tag == "layout_done":
                        positions = pending.pop(msg[1], {})
                        if all(n in org.graph for n in positions):
                            found[msg[1]] = (positions, build_scene(org, positions, metrics))
                    elif tag in ("all_done", "cancelled", "error"):
                        return found
        finally:
            self.stop()


def _load_here(
    paths: list[str],
    mapping: dict[str, str],
    layout: str,
    org: Org | None,
    progress: Progress,
    cancel: Cancel,
    relations: Sequence[str] | None = None,
) -> Loaded:
    """Read (unless ``org`` is given), compute the metrics, lay out: 50/30/20 % of the bar."""
    if org is None:
        from orgmap.loader import load

        org = load(paths, mapping=mapping, progress=_scaled(progress, 0.0, 0.5), cancel=cancel)
    _check(cancel)
    metrics: dict[str, Any] = {}
    error = None
    if org.people():
        try:
            metrics = metrics_for(org, _scaled(progress, 0.5, 0.8), cancel, relations)
        except Cancelled:
            raise
        except Exception as exc:  # the map is still worth showing without metrics
            error = f"{type(exc).__name__}: {exc}"
    _check(cancel)
    positions = layout_pipeline(org, layout, _scaled(progress, 0.8, 1.0), cancel)
    _check(cancel)
    _warm(org)
    scene = build_scene(org, positions, metrics)
    rows = explorer_rows(org, metrics)
    if progress:
        progress(1.0, "ready")
    return Loaded(org, metrics, layout, positions, paths, mapping, error, scene, rows)
