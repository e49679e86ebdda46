"""The work the window sends to the thread pool: plain functions over the core.

Each takes ``progress`` and ``cancel`` like every long core function, splits the
progress range between its steps, and returns a plain result object. Nothing here
touches a widget, so the same code runs in a worker thread, a test or a script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgmap.gcpause import paused_gc
from orgmap.gui.compute import (
    ComputeError,
    ComputeServer,
    Layout,
    Load,
    LocalCompute,
    Metrics,
    UseOrg,
    layout_for,
    layout_nodes,
    metrics_for,
)
from orgmap.metrics.compute import SLOW_METRICS
from orgmap.model import Cancelled, Org

__all__ = [
    "Loaded",
    "ExplorerRows",
    "SUBPROCESS_BYTES",
    "input_bytes",
    "load_pipeline",
    "layout_nodes",
    "layout_for",
    "metrics_for",
    "build_scene",
    "explorer_rows",
    "search_index",
    "find_node",
    "DEFAULT_SORT",
]

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None


@dataclass(kw_only=True)
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
    rows: ExplorerRows | None = None
    #: The compute server that holds this org (``load_pipeline(keep_helper=True)``):
    #: later metrics and layouts are asked of it, never by reading the files again.
    compute: Any = None


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


def find_node(org: Org, index: dict[str, str], text: str) -> str | None:
    """The node a search text names: a completion of ``index`` (:func:`search_index`), a
    person's id, email or name, else the first completion starting with, then containing,
    the text (case-insensitive)."""
    text = text.strip()
    if not text:
        return None
    if text in index:
        return index[text]
    hits = org.find_person(text)
    if hits:
        return hits[0]
    folded = text.casefold()
    for label, node in index.items():
        if label.casefold().startswith(folded):
            return node
    for label, node in index.items():
        if folded in label.casefold():
            return node
    return None


@dataclass(frozen=True)
class ExplorerRows:
    """What the explorer shows, made off the GUI thread: per tab the node keys and the
    lower-case texts its filter box searches, aligned; the search completions; counts."""

    people: tuple[list[str], list[str]]
    projects: tuple[list[str], list[str]]
    teams: tuple[list[str], list[str]]
    #: True when each tab is already in its first sort order (:data:`DEFAULT_SORT`).
    presorted: bool
    search: dict[str, str]
    counts: dict[str, int]

    def tab(self, key: str) -> tuple[list[str], list[str]]:
        return getattr(self, key)


def explorer_rows(org: Org, metrics: dict[str, Any] | None = None) -> ExplorerRows:
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
    tabs: dict[str, tuple[list[str], list[str]]] = {
        "people": (people, people_text),
        "projects": (projects, project_text),
        "teams": (teams, team_text),
    }
    presorted = bool(metrics)
    if presorted:
        for tab, (key, desc) in DEFAULT_SORT.items():
            table = metrics.get(_SECTION[tab]) or {}
            tabs[tab] = _presort(*tabs[tab], table, key, desc)
    return ExplorerRows(
        people=tabs["people"],
        projects=tabs["projects"],
        teams=tabs["teams"],
        presorted=presorted,
        search=search_index(org),
        counts=org.counts(),
    )


def build_scene(org: Org, positions: dict[str, tuple[float, float]], metrics: dict | None) -> Any:
    """The canvas's Qt-free ``Scene`` for these positions, or None if there is none."""
    from orgmap.gui.canvas_scene import Scene

    return Scene(org, positions, metrics)


def _scaled(progress: Progress, lo: float, hi: float) -> Progress:
    if progress is None:
        return None

    def report(fraction: float, message: str = "") -> None:
        progress(lo + (hi - lo) * max(0.0, min(1.0, fraction)), message)

    return report


def _check(cancel: Cancel) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


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


def _warm(org: Org) -> None:
    """Build the cached views the canvas needs on its first frame and first click here,
    off the GUI thread (about half a second at 20k people)."""
    from orgmap.views import collaboration_matrix, people_index

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
    slow_later: bool | None = None,
) -> Loaded:
    """Read (unless ``org`` is given), compute the metrics, lay out: 40/45/15 % of the bar.

    ``slow_later`` (None: for the large inputs that use a helper process) leaves the slow
    metrics (:data:`orgmap.metrics.compute.SLOW_METRICS`) out, so the map shows sooner;
    ``metrics["summary"]["pending"]`` names them and the window asks for them next.

    The work is asked of a compute server (:mod:`orgmap.gui.compute`): for large inputs
    (``subprocess`` None: above :data:`SUBPROCESS_BYTES`) a helper process that reads
    the files itself, or is handed ``org`` once, and keeps its copy for later requests
    (``keep_helper``: the result's ``compute`` stays running for them); else this
    process. The scene and the explorer rows are built here, off the GUI thread.
    """
    mapping = dict(mapping or {})
    paths = [str(p) for p in paths]
    if subprocess is None:
        subprocess = input_bytes(paths) > SUBPROCESS_BYTES
    if slow_later is None:
        slow_later = subprocess
    compute: LocalCompute | ComputeServer = ComputeServer() if subprocess else LocalCompute()
    ok = False
    try:
        with paused_gc(freeze=True):
            if org is None:
                org = compute.request(
                    Load(tuple(paths), tuple(sorted(mapping.items()))),
                    _scaled(progress, 0.0, 0.4),
                    cancel,
                )
            else:
                compute.request(UseOrg(org), None, cancel)
            _check(cancel)
            metrics: dict[str, Any] = {}
            error = None
            if org.people():
                try:
                    metrics = compute.request(
                        Metrics(
                            tuple(relations) if relations is not None else None,
                            skip=tuple(sorted(SLOW_METRICS)) if slow_later else (),
                        ),
                        _scaled(progress, 0.4, 0.85),
                        cancel,
                    )
                except Cancelled:
                    raise
                except Exception as exc:  # the map is still worth showing without metrics
                    error = (
                        str(exc)
                        if isinstance(exc, ComputeError)
                        else f"{type(exc).__name__}: {exc}"
                    )
            _check(cancel)
            positions = compute.request(Layout(layout), _scaled(progress, 0.85, 0.95), cancel)
            _check(cancel)
            _warm(org)
            scene = build_scene(org, positions, metrics)
            rows = explorer_rows(org, metrics)
        ok = True
    finally:
        if not ok or not keep_helper:
            compute.stop()
    if progress:
        progress(1.0, "ready")
    return Loaded(
        org=org,
        metrics=metrics,
        layout=layout,
        positions=positions,
        sources=paths,
        mapping=mapping,
        metrics_error=error,
        scene=scene,
        rows=rows,
        compute=compute if keep_helper else None,
    )
