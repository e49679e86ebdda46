"""The compute server: one long-lived process per open document, asked typed requests.

igraph's betweenness and a few other compiled routines hold Python's GIL for up to a
second at 20k people, which would freeze the window however its threads are arranged.
So a large org lives twice: in the window's process, to draw it, and in one helper
process that does the heavy work on its own copy. The helper *receives the org once*
(it reads the files itself, :class:`Load`, or is handed the org the import dialog
built, :class:`UseOrg`) and then answers :class:`Metrics` and :class:`Layout`
requests on that copy: nothing ever re-reads the files to recompute.

Requests are frozen dataclasses; replies come back through one queue as
``(tag, request_id, ...)`` tuples read by one receive loop (:meth:`ComputeServer._pump`)
that routes progress, parts and the final result to the caller waiting for that request.
Results come in small pieces so that no single unpickling holds the window's GIL for
long. :class:`LocalCompute` answers the same requests in-process for small orgs, where
a process's start-up (about a second of imports) would cost more than the work.

Qt-free: the window runs ``request`` in a :class:`orgmap.gui.workers.Job`.
"""

from __future__ import annotations

import contextlib
import itertools
import queue as queue_mod
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgmap.model import Cancelled, Org

__all__ = [
    "Load",
    "UseOrg",
    "Metrics",
    "WhatIf",
    "Layout",
    "Request",
    "ComputeError",
    "LocalCompute",
    "ComputeServer",
]

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None

#: Items per message when a result is sent in pieces: each piece is unpickled in one
#: call that holds the window's GIL, so pieces stay small (a few milliseconds each).
_CHUNK = 1000


@dataclass(frozen=True)
class Load:
    """Read ``sources`` with the column ``mapping``; the reply is the :class:`Org`."""

    sources: tuple[str, ...]
    mapping: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class UseOrg:
    """Work on this org from now on (sent once, in pieces); the reply is its head count."""

    org: Org = field(repr=False)


@dataclass(frozen=True)
class Metrics:
    """The metrics over ``relations`` (None: all of them), all or ``only`` some of them,
    less ``skip`` (see :data:`orgmap.metrics.compute.SLOW_METRICS`); the reply is the
    metrics dict, its ``summary["pending"]`` naming what was left out."""

    relations: tuple[str, ...] | None = None
    only: tuple[str, ...] | None = None
    skip: tuple[str, ...] = ()


@dataclass(frozen=True)
class WhatIf:
    """The metrics of the held org with these what-if edits made (``orgmap.scenario``
    edits in their plain-dict form, oldest first), on the helper's own copy: the held org
    stays as it was. ``only``/``skip`` as :class:`Metrics`; the reply has the metrics
    sections (``people``, ``projects``, ``teams``), no summary. Successive requests that
    extend or shorten the list apply or undo just the difference."""

    edits: tuple[dict[str, Any], ...]
    relations: tuple[str, ...] | None = None
    only: tuple[str, ...] | None = None
    skip: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    """Positions for layout ``kind``; the reply is ``{node: (x, y)}``."""

    kind: str


Request = Load | UseOrg | Metrics | WhatIf | Layout


class ComputeError(RuntimeError):
    """A request failed in the helper; the message says why, in words."""


# -- the work, the same wherever it runs --------------------------------------------------
def metrics_for(
    org: Org,
    progress: Progress = None,
    cancel: Cancel = None,
    relations: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    skip: Sequence[str] = (),
) -> dict[str, Any]:
    """The metrics; ``relations`` None (or all five) counts every relation."""
    from orgmap.metrics import compute_all

    chosen = None if relations is None or len(set(relations)) >= 5 else list(relations)
    return compute_all(
        org, relations=chosen, progress=progress, cancel=cancel, only=only, skip=skip
    )


def layout_nodes(org: Org, kind: str) -> list[str]:
    """The nodes each layout places: people always; team discs in the teams layout,
    project hubs in the network layout (they pull their members together there)."""
    nodes = org.people()
    if kind == "teams":
        nodes += org.teams()
    elif kind == "network":
        nodes += org.projects()
    return nodes


def layout_for(
    org: Org, kind: str, progress: Progress = None, cancel: Cancel = None
) -> dict[str, tuple[float, float]]:
    from orgmap.layout import compute_layout

    if not org.people():
        return {}
    return compute_layout(
        org, kind=kind, nodes=layout_nodes(org, kind), progress=progress, cancel=cancel
    )


class _Scenarios:
    """The what-if copy of the held org, kept between requests so a new edit costs one
    edit, not a copy of the org and every edit again."""

    def __init__(self) -> None:
        self.base: Org | None = None
        self.scenario: Any = None

    def org_with(self, base: Org, edits: Sequence[dict[str, Any]]) -> Org:
        from orgmap.scenario import Scenario, edit_from_dict

        if self.scenario is None or self.base is not base:
            self.base, self.scenario = base, Scenario(base)
        done = self.scenario.to_dicts()
        same = 0
        while same < min(len(done), len(edits)) and done[same] == dict(edits[same]):
            same += 1
        for _ in range(len(done) - same):
            self.scenario.undo()
        for data in edits[same:]:
            self.scenario.apply(edit_from_dict(dict(data)))
        return self.scenario.org


_SCENARIOS = _Scenarios()


def _answer(org: Org | None, request: Request, progress: Progress, cancel: Cancel) -> Any:
    """What a request returns, computed on ``org`` (Load and UseOrg set the org)."""
    if isinstance(request, Load):
        from orgmap.loader import load

        return load(
            list(request.sources), mapping=dict(request.mapping), progress=progress, cancel=cancel
        )
    if org is None:
        raise ComputeError("no org loaded yet")
    if isinstance(request, Metrics):
        return metrics_for(org, progress, cancel, request.relations, request.only, request.skip)
    if isinstance(request, WhatIf):
        from orgmap.scenario import recompute

        edited = _SCENARIOS.org_with(org, request.edits)
        return recompute(edited, request.relations, request.only, request.skip, progress, cancel)
    if isinstance(request, Layout):
        return layout_for(org, request.kind, progress, cancel)
    raise ComputeError(f"unknown request {type(request).__name__}")


class LocalCompute:
    """Answers requests in this process (small orgs): same interface as the server."""

    remote = False

    def __init__(self) -> None:
        self.org: Org | None = None
        self._lock = threading.Lock()

    def request(self, request: Request, progress: Progress = None, cancel: Cancel = None) -> Any:
        with self._lock:
            if isinstance(request, UseOrg):
                self.org = request.org
                return len(request.org.people())
            result = _answer(self.org, request, progress, cancel)
            if isinstance(request, Load):
                self.org = result
            return result

    def stop(self) -> None:
        self.org = None


# -- the helper process -------------------------------------------------------------------
def org_pieces(org: Org) -> Iterator[tuple[str, Any]]:
    """An org as small picklable pieces: its head, then nodes and edges in chunks."""
    g = org.graph
    head = (
        dict(g.graph),
        list(org.issues),
        list(org.sheets),
        list(org.unreadable),
        list(org.sources),
    )
    yield "org", head
    nodes = list(g.nodes(data=True))
    for i in range(0, len(nodes), _CHUNK):
        yield "nodes", nodes[i : i + _CHUNK]
    edges = list(g.edges(keys=True, data=True))
    for i in range(0, len(edges), _CHUNK * 2):
        yield "edges", edges[i : i + _CHUNK * 2]


def org_from_pieces(pieces: Iterable[tuple[str, Any]]) -> Org | None:
    """The org :func:`org_pieces` cut up."""
    org: Org | None = None
    for kind, data in pieces:
        if kind == "org":
            org = Org(issues=data[1], sheets=data[2], unreadable=data[3], sources=data[4])
            org.graph.graph.update(data[0])
        elif kind == "nodes" and org is not None:
            org.graph.add_nodes_from(data)
        elif kind == "edges" and org is not None:
            org.graph.add_edges_from(data)
    return org


def _send_result(out: Any, rid: int, request: Request, result: Any) -> None:
    if isinstance(request, Load):
        for kind, data in org_pieces(result):
            out.put(("part", rid, kind, data))
    elif isinstance(request, (Metrics, WhatIf)):
        for key, value in result.items():
            if isinstance(value, dict) and key in ("people", "projects", "teams"):
                entries = list(value.items())
                out.put(("part", rid, "section", key))
                for i in range(0, len(entries), _CHUNK // 4):
                    out.put(("part", rid, "entries", (key, dict(entries[i : i + _CHUNK // 4]))))
            else:
                out.put(("part", rid, "value", (key, value)))
    elif isinstance(request, Layout):
        items = list(result.items())
        for i in range(0, len(items), _CHUNK * 5):
            out.put(("part", rid, "positions", dict(items[i : i + _CHUNK * 5])))
    else:
        out.put(("part", rid, "value", ("result", result)))


def _throttled(out: Any, rid: int) -> Callable[[float, str], None]:
    """A progress callback sending at most ten messages a second (and the last one)."""
    last = [0.0]

    def progress(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] > 0.1 or fraction >= 1.0:
            last[0] = now
            out.put(("progress", rid, float(fraction), str(message)))

    return progress


def _serve(inbox: Any, out: Any, cancel_event: Any) -> None:
    """The helper's loop: one request at a time, on the one org it holds."""
    import os

    # The window's process comes first on a busy machine: this is background work.
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(5)
    org: Org | None = None
    incoming: list[tuple[str, Any]] = []
    while True:
        msg = inbox.get()
        tag = msg[0]
        if tag == "stop":
            return
        if tag in ("org", "nodes", "edges"):  # an org handed over in pieces, then "use_org"
            incoming.append((tag, msg[1]))
            continue
        rid = msg[1]
        request: Request | None = msg[2] if tag == "request" else None  # None: "use_org"
        cancel_event.clear()
        progress = _throttled(out, rid)
        try:
            if request is None:
                org, incoming = org_from_pieces(incoming), []
                result: Any = len(org.people()) if org is not None else 0
                out.put(("part", rid, "value", ("result", result)))
            else:
                result = _answer(org, request, progress, cancel_event.is_set)
                if isinstance(request, Load):
                    org = result
                _send_result(out, rid, request, result)
            out.put(("done", rid))
        except Cancelled:
            out.put(("cancelled", rid))
        except BaseException as exc:  # reported to the window in words, never a traceback
            out.put(("failed", rid, f"{type(exc).__name__}: {exc}"))


@dataclass
class _Pending:
    request: Request
    progress: Progress
    parts: list[tuple[str, Any]] = field(default_factory=list)
    outcome: str | None = None
    message: str = ""
    event: threading.Event = field(default_factory=threading.Event)


def _assemble(request: Request, parts: list[tuple[str, Any]]) -> Any:
    """The reply to ``request`` from the pieces it came in."""
    if isinstance(request, Load):
        return org_from_pieces(parts)
    if isinstance(request, (Metrics, WhatIf)):
        metrics: dict[str, Any] = {}
        for kind, data in parts:
            if kind == "section":
                metrics[data] = {}
            elif kind == "entries":
                metrics[data[0]].update(data[1])
            elif kind == "value":
                metrics[data[0]] = data[1]
        return metrics
    if isinstance(request, Layout):
        positions: dict[str, tuple[float, float]] = {}
        for _kind, data in parts:
            positions.update(data)
        return positions
    return dict(data for _kind, data in parts).get("result")


class ComputeServer:
    """A helper process holding one org, and the client that asks it things.

    ``request`` blocks the calling thread (run it in a worker) until the reply is
    complete; ``cancel()`` returning True stops the helper's current work. Requests from
    several threads queue up and are answered in turn.
    """

    remote = True

    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self._inbox = ctx.Queue()
        self._out = ctx.Queue()
        self._cancel = ctx.Event()
        self._proc = ctx.Process(
            target=_serve,
            args=(self._inbox, self._out, self._cancel),
            daemon=True,
            name="orgmap-compute",
        )
        self._proc.start()
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._order = threading.Lock()  # one request in the helper at a time
        self._stopped = threading.Event()
        self._pump_thread = threading.Thread(
            target=self._pump, name="orgmap-compute-receive", daemon=True
        )
        self._pump_thread.start()

    # -- the one receive loop --------------------------------------------------------------
    def _pump(self) -> None:
        while not self._stopped.is_set():
            try:
                msg = self._out.get(timeout=0.1)
            except queue_mod.Empty:
                if not self._proc.is_alive():
                    self._fail_all(
                        f"the compute process stopped unexpectedly (exit code {self._proc.exitcode})"
                    )
                    return
                continue
            except (EOFError, OSError, ValueError):
                return
            tag, rid = msg[0], msg[1]
            pending = self._pending.get(rid)
            if pending is None:
                continue
            if tag == "progress":
                if pending.progress is not None:
                    pending.progress(msg[2], msg[3])
            elif tag == "part":
                pending.parts.append((msg[2], msg[3]))
            else:
                pending.outcome = tag
                pending.message = msg[2] if tag == "failed" else ""
                pending.event.set()

    def _fail_all(self, message: str) -> None:
        for pending in list(self._pending.values()):
            pending.outcome, pending.message = "failed", message
            pending.event.set()

    # -- asking ----------------------------------------------------------------------------
    def request(self, request: Request, progress: Progress = None, cancel: Cancel = None) -> Any:
        if self._stopped.is_set() or not self._proc.is_alive():
            raise ComputeError("the compute process is not running")
        with self._order:
            rid = next(self._ids)
            pending = _Pending(request, progress)
            self._pending[rid] = pending
            try:
                if isinstance(request, UseOrg):
                    self._send_org(request.org)
                    self._inbox.put(("use_org", rid))
                else:
                    self._inbox.put(("request", rid, request))
                while not pending.event.wait(0.05):
                    if cancel is not None and cancel():
                        self._cancel.set()
                pending.event.wait()
            finally:
                self._pending.pop(rid, None)
        if pending.outcome == "cancelled":
            raise Cancelled()
        if pending.outcome == "failed":
            raise ComputeError(pending.message)
        return _assemble(request, pending.parts)

    def _send_org(self, org: Org) -> None:
        for kind, data in org_pieces(org):
            self._inbox.put((kind, data))

    def stop(self) -> None:
        """End the helper (its current work is cancelled)."""
        if self._stopped.is_set():
            return
        self._cancel.set()
        self._stopped.set()
        with contextlib.suppress(Exception):
            self._inbox.put(("stop",))
        self._proc.join(timeout=1.0)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
        self._fail_all("the compute process was stopped")
        for q in (self._inbox, self._out):
            with contextlib.suppress(Exception):
                q.close()

    @property
    def alive(self) -> bool:
        return not self._stopped.is_set() and self._proc.is_alive()
