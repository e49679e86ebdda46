"""The work the window sends to the thread pool: plain functions over the core.

Each takes ``progress`` and ``cancel`` like every long core function, splits the
progress range between its steps, and returns a plain result object. Nothing here
touches a widget, so the same code runs in a worker thread, a test or a script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgmap.model import Cancelled, Org

__all__ = ["Loaded", "load_pipeline", "layout_nodes", "layout_pipeline", "metrics_for"]

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


def metrics_for(org: Org, progress: Progress = None, cancel: Cancel = None) -> dict[str, Any]:
    from orgmap.metrics import compute_all

    return compute_all(org, progress=progress, cancel=cancel)


def layout_pipeline(
    org: Org, kind: str, progress: Progress = None, cancel: Cancel = None
) -> dict[str, tuple[float, float]]:
    from orgmap.layout import compute_layout

    if not org.people():
        return {}
    return compute_layout(
        org, kind=kind, nodes=layout_nodes(org, kind), progress=progress, cancel=cancel
    )


def load_pipeline(
    paths: Sequence[str],
    mapping: dict[str, str] | None,
    layout: str,
    org: Org | None = None,
    progress: Progress = None,
    cancel: Cancel = None,
) -> Loaded:
    """Read (unless ``org`` is given), compute the metrics, lay out: 50/30/20 % of the bar."""
    mapping = dict(mapping or {})
    if org is None:
        from orgmap.loader import load

        org = load(
            list(paths), mapping=mapping, progress=_scaled(progress, 0.0, 0.5), cancel=cancel
        )
    _check(cancel)
    metrics: dict[str, Any] = {}
    error = None
    if org.people():
        try:
            metrics = metrics_for(org, _scaled(progress, 0.5, 0.8), cancel)
        except Cancelled:
            raise
        except Exception as exc:  # the map is still worth showing without metrics
            error = f"{type(exc).__name__}: {exc}"
    _check(cancel)
    positions = layout_pipeline(org, layout, _scaled(progress, 0.8, 1.0), cancel)
    _check(cancel)
    if progress:
        progress(1.0, "ready")
    return Loaded(org, metrics, layout, positions, [str(p) for p in paths], mapping, error)
