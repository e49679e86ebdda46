"""The interactive HTML map: one self-contained file, safe to share.

:func:`write_html` here; :mod:`.view` chooses what the map shows (nodes, edges,
positions, sizes), :mod:`.payload` turns it into the JSON the page reads (colourings,
tooltips, marks, overlay, what a click lights), :mod:`.page` fills the template.

:mod:`.page` is the only module that touches pyvis. We take the vis-network build pyvis ships and inline
it ourselves rather than use pyvis's page, because that page links Bootstrap from a CDN
in every mode (``cdn_resources="local"`` even loads vis.js from the web), and
``Network.add_node`` is quadratic (7-55 s for 12.7k nodes here, against 0.07 s for
building the lists directly). pyvis never sees the org graph at all, so it cannot rewrite
it (its ``from_nx`` turns ``weight`` into ``width`` in place).

Safety:

- No request: the vis-network script, our own script and style are inline; a Content
  Security Policy allows only those two scripts (by hash) and blocks every connection.
- No execution: all data travels as one JSON block whose ``<``, ``>``, ``&``, U+2028 and
  U+2029 are escaped, and the page puts every text into the DOM with ``textContent``
  (tooltips are our own elements; vis-network would render a string ``title`` as HTML in
  some versions) or draws it on the canvas.
- Atomic: the file is written beside the target and renamed over it.

Positions come from :mod:`orgmap.layout`, colours and sizes from :mod:`orgmap.palette`,
the same as the desktop canvas.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgmap.gcpause import paused_gc
from orgmap.html_export.page import HtmlExportError, UnknownFocus, json_for_script, render_html
from orgmap.html_export.payload import (
    PHYSICS_LIMIT,
    SIZE_BY_DEFAULT,
    _canvas_look,
    _lit_payload,
    _marks_payload,
    _overlay_payload,
    _payload,
)
from orgmap.html_export.view import PEOPLE_VIEW_LIMIT, _build_view
from orgmap.marks import map_marks
from orgmap.model import Org, UnknownPerson
from orgmap.overlay import Overlay
from orgmap.safety import clean_text

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None

__all__ = [
    "VIEWS",
    "PEOPLE_VIEW_LIMIT",
    "PHYSICS_LIMIT",
    "HtmlExportError",
    "UnknownFocus",
    "HtmlResult",
    "write_html",
    "render_html",
    "json_for_script",
]

VIEWS = ("people", "teams", "full")


@dataclass
class HtmlResult:
    """What :func:`write_html` wrote."""

    path: Path
    view: str
    nodes: int
    edges: int
    bytes: int
    seconds: float
    #: Set when the view was changed (people -> teams past :data:`PEOPLE_VIEW_LIMIT`).
    message: str | None = None
    #: With ``anonymize``: what was generalised (:class:`orgmap.anonymize.Generalisation`).
    anonymized: Any = None


# -- safe embedding ------------------------------------------------------------------------
def _resolve_focus(org: Org, focus: str) -> str:
    try:
        return org.resolve_person(focus, "--focus")
    except UnknownPerson as exc:
        raise UnknownFocus(str(exc), exc.suggestions) from None


def _part(progress: Progress, lo: float, hi: float) -> Progress:
    """A progress callback reporting into ``[lo, hi]`` of the whole."""
    if progress is None:
        return None
    return lambda f, msg="": progress(lo + (hi - lo) * max(0.0, min(1.0, f)), msg)


# -- the entry point ---------------------------------------------------------------------------
@paused_gc()
def write_html(
    org: Org,
    path: Path | str,
    *,
    view: str = "people",
    focus: str | None = None,
    depth: int = 2,
    anonymize: bool = False,
    salt: str = "",
    min_group: int = 5,
    metrics: dict | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
    force: bool = False,
    title: str | None = None,
    layout: str = "network",
    seed: int = 0,
    data_date: str | None = None,
    overlay: Overlay | None = None,
    relations: Iterable[str] | None = None,
    color_by: str | None = None,
    size_by: str | None = SIZE_BY_DEFAULT,
    progress: Progress = None,
    cancel: Cancel = None,
) -> HtmlResult:
    """Write the interactive map of ``org`` to ``path`` (one self-contained HTML file).

    Parameters
    ----------
    org : Org
        The organization (never modified).
    path : path-like
        The file to write; written atomically, nothing is left behind on failure.
    view : {"people", "teams", "full"}
        People with reporting, dotted-line, mentorship, tie and shared-project links;
        teams sized by headcount and joined by cross-team links; or people plus project
        nodes. Past :data:`PEOPLE_VIEW_LIMIT` people ``people`` becomes ``teams`` (the
        result's ``message`` says so) unless ``force``.
    focus, depth : str, int
        Show only the people within ``depth`` steps of ``focus`` (an id, email or name).
        An unknown or ambiguous reference raises :class:`UnknownFocus` listing the
        closest names, before anything is written.
    anonymize, salt, min_group : bool, str, int
        Replace every name, email and id by a stable pseudonym and generalise title,
        level, team, location and start date until every combination shown is shared by
        ``min_group`` people (:mod:`orgmap.anonymize`; the result's ``anonymized`` says
        what was generalised).
    metrics : dict, optional
        :func:`orgmap.metrics.compute_all`'s result for ``org``; computed when omitted.
    positions : dict, optional
        ``{node: (x, y)}`` from the canvas, so the file shows the same picture; nodes not
        in it are laid out with ``layout``.
    title, data_date : str, optional
        The page title and the data's date shown under it.
    overlay : Overlay, optional
        Paths, marks and ghosts drawn over the map (:mod:`orgmap.overlay`), as the
        canvas draws them; its nodes are kept in a ``focus`` view.
    relations : iterable of str, optional
        The relations a click's reach walks and bridges are counted over (the
        metrics' switch); all of them by default. A click lights what
        :func:`orgmap.views.lit_set` says, as on the canvas.

    Returns
    -------
    HtmlResult
    """
    t0 = time.perf_counter()
    if view not in VIEWS:
        raise HtmlExportError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    if depth < 0:
        raise HtmlExportError("--depth must be 0 or more")
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise HtmlExportError(f"cannot write {target}: folder {parent} does not exist")
    if target.is_dir():
        raise HtmlExportError(f"cannot write {target}: it is a folder")

    focus_node = _resolve_focus(org, focus) if focus else None
    anonymized = None
    if anonymize:
        from orgmap.anonymize import prepare

        anonymized = prepare(org, metrics, salt, min_group, positions)
        org, metrics, positions = anonymized.org, anonymized.metrics, anonymized.positions
        if focus_node is not None:
            focus_node = anonymized.mapping[focus_node]
    if metrics is None:
        from orgmap.metrics import compute_all

        metrics = compute_all(org, progress=_part(progress, 0.0, 0.6), cancel=cancel)
    if cancel is not None and cancel():
        from orgmap.model import Cancelled

        raise Cancelled("html export cancelled")

    if overlay is not None and anonymized is not None:
        from orgmap.anonymize import rekey_overlay

        overlay = rekey_overlay(overlay, anonymized.mapping)
    v = _build_view(
        org,
        view,
        focus_node,
        depth,
        positions,
        layout,
        seed,
        force,
        _part(progress, 0.6, 0.9),
        cancel,
        metrics,
        frozenset(overlay.nodes()) if overlay is not None else frozenset(),
    )
    counts = org.counts()
    when = data_date or _dt.date.today().isoformat()
    date_label = f"data as of {when}" if data_date else f"made {when}"
    if title is None:
        title = "Org map" + (" (anonymized)" if anonymize else "")
        if focus_node is not None:
            title += f": {org.label(focus_node)} and {depth}-step neighbourhood"
    # --title (or a focus person's label) is text from outside the data's own cleaning
    title = clean_text(title)
    subtitle = (
        f"{date_label} · {counts['people']:,} people · {counts['teams']:,} teams · "
        f"{counts['projects']:,} projects · showing {len(v.nodes):,} "
        f"{'teams' if v.view == 'teams' else 'nodes'}"
    )
    payload = _payload(
        org, v, metrics, title, subtitle, focus_node, layout if positions is None else "network"
    )
    _canvas_look(payload, org, v.nodes, metrics, color_by, size_by)
    payload["mapMarks"] = _marks_payload(map_marks(org, metrics, relations), v.nodes)
    if v.view != "teams":
        payload["lit"] = _lit_payload(org, v.nodes, relations)
    if overlay is not None:
        payload["overlay"] = _overlay_payload(overlay, v.nodes)
    page = render_html(payload, title)
    # a lone surrogate (text decoded badly upstream) cannot be UTF-8: it becomes "?"
    data = page.encode("utf-8", errors="replace")
    from orgmap.safety import atomic_write_bytes

    try:
        atomic_write_bytes(target, data)
        if progress is not None:
            progress(1.0, "written")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise HtmlExportError(f"cannot write {target}: {reason}") from exc
    return HtmlResult(
        path=target,
        view=v.view,
        nodes=len(v.nodes),
        edges=len(payload["edges"]["from"]),
        bytes=len(data),
        seconds=time.perf_counter() - t0,
        message=v.message,
        anonymized=anonymized.summary if anonymized is not None else None,
    )
