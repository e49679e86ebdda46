"""One open org and everything computed from it: the window only displays a document.

An :class:`OrgDocument` owns

- the org, where it came from (sources, column mapping) and its import issues;
- the metrics per relation set (switching relations back is instant);
- the positions and canvas scenes per layout;
- the view state (:class:`orgmap.gui.state.ViewState`, observable: widgets bind to
  its attributes by name through ``state.events``);
- the scenario edits of a What-if, in order;
- the compute server that holds a copy of the org (:mod:`orgmap.gui.compute`): every
  recomputation after a change of relations, layout or edits is a request to it, never a
  re-read of the files. :meth:`metrics_work` and :meth:`layout_work` are that request,
  as a function the window runs in a worker.

Qt-free, like the state and the compute server (an import contract checks it), so a
document can be built, changed and tested without a display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from orgmap.gui.compute import Layout, LocalCompute, Metrics, WhatIf
from orgmap.gui.state import ALL_RELATIONS, Session, ViewState
from orgmap.metrics.compute import SLOW_METRICS, merge
from orgmap.model import Org

__all__ = ["OrgDocument", "relations_key"]

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None


def relations_key(relations: Iterable[str] | None) -> tuple[str, ...]:
    """The relation set in its one canonical order (all five when None)."""
    chosen = set(ALL_RELATIONS if relations is None else relations)
    return tuple(r for r in ALL_RELATIONS if r in chosen)


class OrgDocument:
    """The org shown, what is computed from it, and how it is viewed."""

    def __init__(self) -> None:
        self.org: Org | None = None
        self.sources: list[str] = []
        self.mapping: dict[str, str] = {}
        self.state = ViewState()
        self.rows: Any = None  # orgmap.gui.pipeline.ExplorerRows
        self.metrics_error: str | None = None
        #: Scenario edits (What-if), oldest first, as plain dicts.
        self.edits: list[dict[str, Any]] = []
        #: Edits a session (or a reload) brings, made again once its org is adopted.
        self.pending_edits: list[dict[str, Any]] = []
        self.compute: Any = LocalCompute()
        self._metrics: dict[tuple[str, ...], dict[str, Any]] = {}
        self._positions: dict[str, dict[str, tuple[float, float]]] = {}
        self._scenes: dict[str, Any] = {}
        #: The layout whose positions the canvas shows (the state's layout may be
        #: newer while its positions are being computed).
        self.shown_layout: str | None = None

    # -- the org -------------------------------------------------------------------------
    def adopt(self, loaded: Any) -> None:
        """Show what a load produced (an ``orgmap.gui.pipeline.Loaded``): the org, its
        metrics for the current relations, one layout and the server that holds it."""
        self.close()
        self.org = loaded.org
        self.sources = list(loaded.sources)
        self.mapping = dict(loaded.mapping)
        self.rows = loaded.rows
        self.metrics_error = loaded.metrics_error
        self.edits, self.pending_edits = list(self.pending_edits), []
        self._metrics = {relations_key(self.state.relations): loaded.metrics or {}}
        self._positions = {loaded.layout: loaded.positions}
        self._scenes = {loaded.layout: loaded.scene}
        self.shown_layout = loaded.layout
        if loaded.compute is not None:
            self.compute = loaded.compute
        else:
            self.compute = LocalCompute()
            self.compute.org = loaded.org

    def close(self) -> None:
        """Stop the compute server and forget the org."""
        self.compute.stop()
        self.org = None
        self._metrics.clear()
        self._positions.clear()
        self._scenes.clear()
        self.shown_layout = None

    # -- metrics per relation set ---------------------------------------------------------
    @property
    def metrics(self) -> dict[str, Any]:
        """The metrics over the relations the state names ({} until computed)."""
        return self._metrics.get(relations_key(self.state.relations), {})

    def metrics_cached(self, relations: Iterable[str] | None) -> dict[str, Any] | None:
        return self._metrics.get(relations_key(relations))

    def store_metrics(self, relations: Iterable[str] | None, metrics: dict[str, Any]) -> None:
        self._metrics[relations_key(relations)] = metrics

    def metrics_work(
        self, relations: Iterable[str] | None, *, slow_later: bool | None = None
    ) -> Callable[..., dict[str, Any]]:
        """The recomputation of the metrics over ``relations``, as ``fn(progress, cancel)``.

        ``slow_later`` (None: when the org is large enough to live in a helper process)
        leaves the slow metrics pending; :meth:`pending_work` computes them.
        """
        key = relations_key(relations)
        later = self.compute.remote if slow_later is None else slow_later
        request = Metrics(
            None if len(key) == len(ALL_RELATIONS) else key,
            skip=tuple(sorted(SLOW_METRICS)) if later else (),
        )
        return self._ask(request)

    def pending_work(self, relations: Iterable[str] | None) -> Callable[..., dict[str, Any]] | None:
        """The metrics still pending over ``relations``, as ``fn(progress, cancel)``
        returning them merged into the stored metrics; None when nothing is pending."""
        key = relations_key(relations)
        stored = self._metrics.get(key)
        pending = tuple((stored or {}).get("summary", {}).get("pending") or ())
        if not pending:
            return None
        ask = self._ask(Metrics(None if len(key) == len(ALL_RELATIONS) else key, only=pending))

        def work(progress: Progress = None, cancel: Cancel = None) -> dict[str, Any]:
            part = ask(progress, cancel)
            # a new dict: what the widgets hold stays as it was until they are handed this
            merged = {k: dict(v) if isinstance(v, dict) else v for k, v in stored.items()}
            for section in ("people", "projects", "teams"):
                merged[section] = {n: dict(vals) for n, vals in stored.get(section, {}).items()}
            return merge(merged, part)

        return work

    def whatif_work(
        self,
        edits: Iterable[dict[str, Any]],
        relations: Iterable[str] | None,
        *,
        only: Iterable[str] | None = None,
        skip: Iterable[str] = (),
    ) -> Callable[..., dict[str, Any]]:
        """A What-if's metrics (the org with ``edits`` made), computed by the compute
        server on its own copy, as ``fn(progress, cancel)``: for a big org, the slow
        metrics of each edit run in the helper process, never in the window's."""
        key = relations_key(relations)
        return self._ask(
            WhatIf(
                tuple(dict(e) for e in edits),
                None if len(key) == len(ALL_RELATIONS) else key,
                only=tuple(only) if only is not None else None,
                skip=tuple(skip),
            )
        )

    def _ask(self, request: Metrics | WhatIf) -> Callable[..., dict[str, Any]]:
        compute = self.compute

        def work(progress: Progress = None, cancel: Cancel = None) -> dict[str, Any]:
            return compute.request(request, progress, cancel)

        return work

    # -- layouts ---------------------------------------------------------------------------
    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """The positions the canvas shows."""
        return self._positions.get(self.shown_layout or "", {})

    def layout_cached(self, kind: str) -> tuple[dict[str, tuple[float, float]], Any] | None:
        if kind not in self._positions:
            return None
        return self._positions[kind], self._scenes.get(kind)

    def store_layout(
        self, kind: str, positions: dict[str, tuple[float, float]], scene: Any
    ) -> None:
        self._positions[kind] = positions
        self._scenes[kind] = scene

    def missing_layouts(self, kinds: Iterable[str]) -> list[str]:
        return [k for k in kinds if k not in self._positions]

    def layout_work(self, kind: str, metrics: dict[str, Any] | None = None) -> Callable[..., Any]:
        """A layout and its canvas scene, as ``fn(progress, cancel)`` -> (positions, scene)."""
        from orgmap.gcpause import paused_gc
        from orgmap.gui.pipeline import build_scene

        compute, org = self.compute, self.org

        def work(progress: Progress = None, cancel: Cancel = None) -> tuple[dict, Any]:
            with paused_gc(freeze=True):
                positions = compute.request(Layout(kind), progress, cancel)
                return positions, build_scene(org, positions, metrics)

        return work

    # -- sessions --------------------------------------------------------------------------
    def session(self) -> Session:
        view = ViewState.from_dict(self.state.to_dict())
        return Session(
            sources=list(self.sources),
            mapping=dict(self.mapping),
            view=view,
            edits=[dict(e) for e in self.edits],
        )

    def is_sample(self, path: Path) -> bool:
        return len(self.sources) == 1 and Path(self.sources[0]) == path
