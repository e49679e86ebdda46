"""The graph canvas: a QWidget that paints the org with QPainter, fast enough for 100k.

Why not QGraphicsScene: 100k QGraphicsItems take seconds to create and hundreds of MB.
Instead every node and edge lives in numpy arrays (:mod:`orgmap.gui.canvas_scene`, built
once per graph) and each frame:

- culls nodes and edges to the visible rectangle with vectorised masks over positions
  and precomputed edge boxes (hit-testing uses an x-sorted index and ``searchsorted``);
- draws all nodes as pre-rendered anti-aliased sprites in ONE ``drawPixmapFragments``
  call whose fragment array is a numpy buffer (~0.3 us a node); vector shapes only for
  nodes wider than the sprites and for SVG;
- draws each edge kind in one ``drawLines`` call on a ``QPolygonF`` filled from numpy,
  in opaque pre-blended colours (Qt blends translucent lines ~5x slower), at most
  ``edge_budget`` of them (the shortest: long lines across a zoomed-out view are noise);
- when people would be under ``CLUSTER_PX`` apart, draws one disc per team at its
  centroid sized by headcount (per department when teams are too many or too small),
  with group-to-group links weighted by the edges they stand for (level of detail);
- labels only where there is room (greedy overlap culling), the lit set's first.

The last frame is cached: hovering repaints only a ring, and during a drag or wheel
gesture on a slow (large) view the cached frame is moved until the gesture pauses.

Colours and sizes come from :mod:`orgmap.palette`, the same as the HTML export.
The view is a scale and the world point at the widget centre; ``render_image`` keeps
both, so an export shows what the user sees.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import shiboken6
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from orgmap import palette, present
from orgmap.gui.canvas_scene import Clusters, Scene
from orgmap.model import Org
from orgmap.overlay import Overlay
from orgmap.safety import atomic_path
from orgmap.views import lit_set

__all__ = ["GraphCanvas"]

#: People closer than this on screen (px) are drawn as team clusters instead.
CLUSTER_PX = 3.0
#: ... but only when at least this many people are in view (small orgs never cluster).
CLUSTER_MIN_PEOPLE = 1500
#: Past this many teams, the farthest zoom shows department discs.
MAX_CLUSTERS = 3000
#: At most this many group-to-group links per frame (the strongest).
MAX_CLUSTER_EDGES = 2500
#: Labels appear when people are at least this far apart on screen (px).
LABEL_PX = 16.0
#: From this spacing (px) on, the most connected people in view are labelled.
LANDMARK_PX = 6.0
LANDMARKS = 40
#: At most this many labels per frame (after overlap culling).
MAX_LABELS = 400
#: Largest node drawn as a sprite: radius in quarter pixels (60 px).
MAX_SPRITE_DQ = 240
#: Directed kinds that get arrowheads when zoomed in (all directed kinds when lit).
ARROW_KINDS = frozenset({"mentors", "tie", "dotted_line"})
MAX_ARROWS = 3000
#: At most this many edges per frame (the shortest), and this many faded ones.
EDGE_BUDGET = 8_000
FADED_EDGE_BUDGET = 3_000
#: Edges are anti-aliased while their total on-screen length (px, L1) stays below this.
AA_EDGE_PIXELS = 60_000
#: How much faded nodes and edges blend into the background (0 = not at all).
FADE = 0.84
MIN_SCALE, MAX_SCALE = 1e-5, 40.0
#: Smallest node radius on screen (px), so a zoomed-out person is still a visible dot.
MIN_RADIUS_PX = 2.0
_EDGE_ALPHA = {"reports_to": 0.8, "dotted_line": 0.7, "mentors": 0.6, "tie": 0.6, "works_on": 0.35}


def _polygon(points: np.ndarray) -> QPolygonF:
    """A QPolygonF filled from an ``(n, 2)`` float array without a Python loop."""
    n = len(points)
    poly = QPolygonF()
    poly.resize(n)
    if n:
        buf = shiboken6.VoidPtr(poly.data(), n * 16, True)
        np.frombuffer(buf, dtype=np.float64).reshape(n, 2)[:] = points
    return poly


def _shape_path(painter: QPainter, shape: int, x: float, y: float, r: float) -> None:
    if shape == 0:
        painter.drawEllipse(QPointF(x, y), r, r)
    elif shape == 1:  # project: rounded square
        painter.drawRoundedRect(
            QRectF(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8), r * 0.3, r * 0.3
        )
    elif shape == 2:  # team: hexagon
        pts = [
            QPointF(x + r * math.cos(a), y + r * math.sin(a))
            for a in np.linspace(0, 2 * math.pi, 7)[:-1]
        ]
        painter.drawPolygon(QPolygonF(pts))
    else:  # department: diamond
        painter.drawPolygon(
            QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)])
        )


def _arrowheads(seg: np.ndarray, tip_r: np.ndarray, size: float) -> np.ndarray:
    """Two short strokes per segment, a "V" pointing at its target's rim."""
    a, b = seg[:, 0], seg[:, 1]
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])
    ok = length > tip_r + size * 2.5  # no arrow on edges shorter than the arrow
    d = d[ok] / length[ok, None]
    n = np.column_stack([-d[:, 1], d[:, 0]])
    p = b[ok] - d * (tip_r[ok, None] + 1.5)
    back = p - d * size
    out = np.empty((len(p), 4, 2))
    out[:, 0] = p
    out[:, 1] = back + n * size * 0.55
    out[:, 2] = p
    out[:, 3] = back - n * size * 0.55
    return out.reshape(-1, 2)


class _Atlas:
    """Pre-rendered node sprites, one per (colour, diameter, shape, outline) in use."""

    WIDTH = 1024

    def __init__(self) -> None:
        self.pixmap: QPixmap | None = None
        self.slots: dict[tuple[str, int, int, str], tuple[float, float, float]] = {}
        #: Device pixels per logical pixel the sprites are rendered at (HiDPI, 2x PNG).
        self.dpr = 1.0

    def ensure(self, specs: list[tuple[str, int, int, str]], dpr: float = 1.0) -> None:
        if self.pixmap is not None and dpr == self.dpr and all(s in self.slots for s in specs):
            return
        # Keep the sprites of recent frames while the atlas is small (zooming back and
        # forth reuses them); start afresh when it has grown.
        small = len(self.slots) < 400 and dpr == self.dpr
        wanted = list(dict.fromkeys(list(self.slots) + specs)) if small else specs
        self.dpr = dpr
        # Shelf packing: sprites in rows, each row as tall as its tallest sprite.
        slots: dict[tuple[str, int, int, str], tuple[float, float, float]] = {}
        x = y = row_h = 0
        placed = []
        for spec in sorted(wanted, key=lambda s: -s[1]):
            side = int(math.ceil((spec[1] / 2 + 4) * dpr))
            if x + side > self.WIDTH:
                x, y, row_h = 0, y + row_h, 0
            placed.append((spec, x, y, side))
            slots[spec] = (x, y, side)
            x += side
            row_h = max(row_h, side)
        image = QImage(self.WIDTH, max(1, y + row_h), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for (color, dq, shape, outline), sx, sy, side in placed:
            r = dq / 4 * dpr
            if outline:
                p.setPen(QPen(QColor(outline), dpr))
            else:
                p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(color))
            _shape_path(p, shape, sx + side / 2, sy + side / 2, r)
        p.end()
        self.pixmap = QPixmap.fromImage(image)
        self.slots = slots


class GraphCanvas(QWidget):
    """The org graph, zoomable and clickable. See the module docstring for how it draws.

    Signals: ``nodeClicked(node)``, ``nodeHovered(node or "")``,
    ``selectionChanged(node or "")``, ``viewChanged()``, ``legendChanged()``.
    """

    nodeClicked = Signal(str)
    nodeHovered = Signal(str)
    selectionChanged = Signal(str)
    viewChanged = Signal()
    legendChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Organization map")
        self.setAccessibleDescription(
            "Zoom with the wheel or + and -, pan by dragging or with the arrow keys, "
            "0 fits the view, Escape clears the selection."
        )
        self._scene: Scene | None = None
        self._scale = 1.0
        self._cx = 0.0
        self._cy = 0.0
        # Until the user zooms or pans, the view follows the widget's size (fit).
        self._auto_fit = True
        self._color_by = "team"
        self._size_by: str | None = None
        self._edge_kinds: set[str] | None = None  # None: every kind present
        self._k = 2
        self._relations: frozenset[str] | None = None
        self._selected: str | None = None
        self._lit: set[str] = set()
        self._lit_mask: np.ndarray | None = None
        self._hover: str | None = None
        self._press: QPointF | None = None
        self._press_view: tuple[float, float] = (0.0, 0.0)
        self._dragging = False
        self._atlas = _Atlas()
        # The last full frame, reused while only the hover ring changes, and shown
        # moved/scaled while a drag or wheel is in progress on a slow (big) org.
        self._version = 0
        self._label_widths: dict[int, tuple[str, float]] = {}
        self._cache: QImage | None = None
        self._cache_key: tuple | None = None
        self._cache_view = (1.0, 0.0, 0.0)
        self._frame_ms = 0.0
        self._interacting = False
        #: A full frame slower than this (ms) is not redrawn at mouse speed during a
        #: drag or wheel gesture: the last one is moved, and redrawn when it pauses.
        self.slow_frame_ms = 30.0
        #: At most this many edges per frame (the shortest), and this many faded ones.
        self.edge_budget = EDGE_BUDGET
        self.faded_edge_budget = FADED_EDGE_BUDGET
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(120)
        self._settle.timeout.connect(self._end_interaction)
        #: What the last frame drew (for tests, benchmarks and the status bar).
        self.drawn_edge_count = 0
        self.drawn_node_count = 0
        self.drawn_label_count = 0
        self.cluster_mode = False
        #: Full frames painted on screen (hover and gestures reuse the last one).
        self.frames_rendered = 0
        #: Edges in view left out by the per-frame budget (longest first).
        self.culled_edge_count = 0
        self._level: Clusters | None = None
        self._arrows = False
        self._frame_dpr = 1.0
        self._overlay: Overlay | None = None

    def _changed(self) -> None:
        """Something drawn changed (not just the view or the hover): repaint fully."""
        self._version += 1
        self.update()

    # == data =========================================================================
    def set_graph(
        self,
        org: Org,
        positions: dict[str, tuple[float, float]],
        metrics: dict | None = None,
        *,
        fit: bool = True,
    ) -> None:
        """Show ``org`` at ``positions`` (nodes without a position are not drawn).

        Colour, size, edge kinds and reach depth are kept; the selection is kept when the
        node is still shown. ``fit=False`` keeps the current view (a re-layout).
        """
        self.set_scene(Scene(org, positions, metrics), fit=fit)

    def set_scene(self, scene: Scene, *, fit: bool = True) -> None:
        """Like :meth:`set_graph` with a prepared ``Scene(org, positions, metrics)``.

        ``Scene`` is Qt-free: build it in the layout worker so a 100k org does not
        hold the GUI thread for the second its arrays take.
        """
        self._scene = scene
        self._label_widths.clear()
        self._apply_color_size()
        if self._selected not in self._scene.index:
            self._selected = None
        self._lit = {n for n in self._lit if n in self._scene.index}
        if self._selected:
            self._lit = self._lit_of(self._selected) & set(self._scene.index)
        self._update_lit_mask()
        self._atlas = _Atlas()
        if fit:
            self.fit()
        self.legendChanged.emit()
        self._changed()

    def set_metrics(self, metrics: dict | None) -> None:
        """New metrics for the same org and positions (colour and size follow)."""
        if self._scene is None:
            return
        self._scene.metrics = metrics or {}
        self._apply_color_size()
        self.legendChanged.emit()
        self._changed()

    def _apply_color_size(self) -> None:
        scene = self._scene
        assert scene is not None
        mode = self._color_by
        if mode not in ("team", "department", "kind") and mode not in scene.metric_names():
            mode = "team"
        scene.set_color_by(mode)
        size = self._size_by if self._size_by in scene.metric_names() else None
        scene.set_size_by(size)

    def org(self) -> Org | None:
        return self._scene.org if self._scene else None

    def nodes(self) -> list[str]:
        """Every node drawn (has a position)."""
        return list(self._scene.nodes) if self._scene else []

    # == appearance ====================================================================
    def set_color_by(self, mode: str) -> None:
        """``"team" | "department" | "kind"`` or a person metric name."""
        self._color_by = mode
        if self._scene is not None:
            self._apply_color_size()
            self.legendChanged.emit()
        self._changed()

    def color_by(self) -> str:
        return self._scene.mode if self._scene else self._color_by

    def color_label(self) -> str:
        """What the colours mean, for a legend title ("Team", "Influence percentile")."""
        mode = self.color_by()
        return (
            mode.capitalize()
            if mode in ("team", "department", "kind")
            else present.metric_label(mode)
        )

    def set_size_by(self, metric: str | None) -> None:
        """Size people by a metric (area grows with the value), or ``None`` for equal."""
        self._size_by = metric or None
        if self._scene is not None:
            self._apply_color_size()
        self._changed()

    def size_by(self) -> str | None:
        return self._scene.size_by if self._scene else self._size_by

    def legend_entries(self) -> list[tuple[str, str]]:
        """``[(label, "#rrggbb"), ...]`` for the current colouring."""
        return list(self._scene.legend) if self._scene else []

    def metric_names(self) -> list[str]:
        """Person metrics available to colour or size by."""
        return self._scene.metric_names() if self._scene else []

    def set_edge_kinds(self, kinds: set[str] | frozenset[str] | list[str] | None) -> None:
        """Edge kinds drawn (``reports_to``, ``dotted_line``, ``mentors``, ``tie``,
        ``works_on``, ``member_of``, ``part_of``); ``None`` draws every kind.

        ``works_on`` draws person -> project edges when project nodes are shown, else
        person - person collaboration through shared projects.
        """
        self._edge_kinds = None if kinds is None else set(kinds)
        self._changed()

    def edge_kinds(self) -> set[str]:
        """The edge kinds drawn now (among those present)."""
        available = set(self.available_edge_kinds())
        return available if self._edge_kinds is None else available & self._edge_kinds

    def available_edge_kinds(self) -> list[str]:
        """Edge kinds present in the current graph, in drawing order."""
        return self._scene.edge_kinds() if self._scene else []

    # == selection =====================================================================
    def set_reach_depth(self, k: int) -> None:
        """Steps of reach lit on selection (default 2)."""
        self._k = max(0, int(k))
        if self._selected and self._scene:
            self._lit = self._lit_of(self._selected) & set(self._scene.index)
            self._update_lit_mask()
            self._changed()

    def reach_depth(self) -> int:
        return self._k

    def set_relations(self, relations: Iterable[str] | None) -> None:
        """The relations a person's reach walks (the metrics' switch); None means all."""
        self._relations = None if relations is None else frozenset(relations)
        if self._selected and self._scene:
            self._lit = self._lit_of(self._selected)
            self._update_lit_mask()
            self._changed()

    def _lit_of(self, node: str) -> set[str]:
        assert self._scene is not None
        return lit_set(self._scene.org, node, self._k, self._relations) & set(self._scene.index)

    def select(self, node: str | None) -> None:
        """Select ``node`` (or nothing) and light up its reach; the rest fades."""
        if node is not None and (self._scene is None or node not in self._scene.index):
            node = None
        changed = node != self._selected
        self._selected = node
        if node is None:
            self._lit = set()
        else:
            assert self._scene is not None
            self._lit = self._lit_of(node) & set(self._scene.index)
            self._lit.add(node)
        self._update_lit_mask()
        self._changed()
        if changed:
            self.selectionChanged.emit(node or "")

    def selected(self) -> str | None:
        return self._selected

    def highlight(self, nodes: set[str] | None, focus: str | None = None) -> None:
        """Light up exactly ``nodes`` (a project's members, a team); ``None`` or empty
        clears. The node selection is replaced by ``focus`` (ringed) without a signal."""
        known = set(self._scene.index) if self._scene else set()
        self._lit = set(nodes or ()) & known
        self._selected = focus if focus in known else None
        self._update_lit_mask()
        self._changed()

    def highlighted(self) -> set[str]:
        """The set currently lit."""
        return set(self._lit)

    def _update_lit_mask(self) -> None:
        scene = self._scene
        lit = set(self._lit)
        if self._overlay is not None and self._overlay.fade_others:
            # an overlay shows its own nodes; a selection adds to them
            lit |= self._overlay.nodes()
        if scene is None or not lit:
            self._lit_mask = None
            return
        mask = np.zeros(len(scene.nodes), dtype=bool)
        mask[[scene.index[n] for n in lit if n in scene.index]] = True
        self._lit_mask = mask

    # == overlay =======================================================================
    def set_overlay(self, overlay: Overlay | None) -> None:
        """Draw ``overlay`` (paths, marked nodes, ghosts) over the map; None removes it."""
        self._overlay = overlay
        self._update_lit_mask()
        self._changed()

    def overlay(self) -> Overlay | None:
        return self._overlay

    # == view ==========================================================================
    def _size(self) -> tuple[int, int]:
        return max(1, self.width()), max(1, self.height())

    def fit(self) -> None:
        """Zoom and pan so every node is in view."""
        self._auto_fit = True
        self._fit_to(*self._size())
        self._changed()
        self.viewChanged.emit()

    def _fit_to(self, w: int, h: int) -> None:
        if self._scene is None:
            return
        x0, y0, x1, y1 = self._scene.bounds()
        margin = 24
        bw, bh = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
        s = min((w - 2 * margin) / bw, (h - 2 * margin) / bh)
        self._scale = float(np.clip(s, MIN_SCALE, MAX_SCALE))
        self._cx, self._cy = (x0 + x1) / 2, (y0 + y1) / 2

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the point under ``anchor`` (widget px) fixed."""
        w, h = self._size()
        ax, ay = (anchor.x(), anchor.y()) if anchor is not None else (w / 2, h / 2)
        wx, wy = self._to_world(ax, ay)
        self._scale = float(np.clip(self._scale * factor, MIN_SCALE, MAX_SCALE))
        self._cx = wx - (ax - w / 2) / self._scale
        self._cy = wy - (ay - h / 2) / self._scale
        self._auto_fit = False
        self._changed()
        self.viewChanged.emit()

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by ``(dx, dy)`` screen pixels (content follows the mouse)."""
        self._cx -= dx / self._scale
        self._cy -= dy / self._scale
        self._auto_fit = False
        self._changed()
        self.viewChanged.emit()

    def center_on(self, node: str, zoom_in: bool = True) -> None:
        """Put ``node`` at the centre; with ``zoom_in`` also zoom until labels show."""
        if self._scene is None or node not in self._scene.index:
            return
        x, y = self._scene.xy[self._scene.index[node]]
        self._cx, self._cy = float(x), float(y)
        if zoom_in:
            self._scale = min(MAX_SCALE, max(self._scale, self.label_scale() * 1.25, 1.0))
        self._auto_fit = False
        self._changed()
        self.viewChanged.emit()

    def label_scale(self) -> float:
        """The zoom from which person labels appear."""
        spacing = self._scene.spacing if self._scene else 30.0
        return min(MAX_SCALE, LABEL_PX / spacing)

    def view_state(self) -> tuple[float, tuple[float, float]]:
        """``(zoom, (cx, cy))``: zoom in px per layout unit, the world point at the centre."""
        return self._scale, (self._cx, self._cy)

    def set_view(self, zoom: float, center: tuple[float, float]) -> None:
        self._scale = float(np.clip(zoom, MIN_SCALE, MAX_SCALE))
        self._cx, self._cy = float(center[0]), float(center[1])
        self._auto_fit = False
        self._changed()
        self.viewChanged.emit()

    def _to_world(self, x: float, y: float) -> tuple[float, float]:
        w, h = self._size()
        return self._cx + (x - w / 2) / self._scale, self._cy + (y - h / 2) / self._scale

    def map_to_screen(self, node: str) -> QPointF:
        """Where ``node`` is drawn, in widget pixels."""
        assert self._scene is not None
        w, h = self._size()
        x, y = self._scene.xy[self._scene.index[node]]
        return QPointF((x - self._cx) * self._scale + w / 2, (y - self._cy) * self._scale + h / 2)

    def node_at(self, pos: QPointF) -> str | None:
        """The node under widget point ``pos`` (a few px of slack), or None."""
        if self._scene is None:
            return None
        wx, wy = self._to_world(pos.x(), pos.y())
        i = self._scene.nearest(wx, wy, 5.0 / self._scale)
        if i is None:
            return None
        # Clustered people are not drawn one by one: only lit ones can be hit.
        hidden = self._lit_mask is None or not self._lit_mask[i]
        if hidden and self._scene.is_person[i] and self.view_level() is not None:
            return None
        return self._scene.nodes[i]

    def view_level(self) -> Clusters | None:
        """The groups (teams or departments) drawn as discs in the widget's current
        view, or None when people are drawn one by one."""
        scene = self._scene
        if scene is None:
            return None
        w, h = self._size()
        s = self._scale
        x0, x1 = self._cx - w / 2 / s, self._cx + w / 2 / s
        y0, y1 = self._cy - h / 2 / s, self._cy + h / 2 / s
        xy = scene.xy
        inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        n_people = int(np.count_nonzero(inside & scene.is_person))
        return self._choose_level(scene, s, w, h, n_people)

    def _cluster_at(self, pos: QPointF) -> int | None:
        level = self.view_level()
        if level is None or not len(level):
            return None
        wx, wy = self._to_world(pos.x(), pos.y())
        d = np.hypot(level.xy[:, 0] - wx, level.xy[:, 1] - wy)
        r = np.maximum(self._cluster_radii(level, self._scale), 4.0) / self._scale
        inside = np.flatnonzero(d <= r)
        return int(inside[np.argmin(d[inside])]) if len(inside) else None

    # == tooltip =======================================================================
    def tooltip_text(self, node: str) -> str:
        """Rich-text tooltip for ``node``; every text from the data is escaped."""
        if self._scene is None or node not in self._scene.org.graph:
            return ""
        org = self._scene.org
        parts = [f"<b>{html.escape(org.label(node))}</b>"]
        for label, value in self._scene.tooltip_fields(node):
            parts.append(f"{html.escape(label)}: {html.escape(value)}")
        return "<br/>".join(parts)

    def cluster_tooltip_text(self, group: int) -> str:
        """Tooltip of a team or department disc (zoomed far out); escaped."""
        level = self.view_level()
        if level is None or not 0 <= group < len(level):
            return ""
        name = level.names[group] or f"(no {level.name})"
        count = int(level.count[group])
        return (
            f"<b>{html.escape(name)}</b><br/>{html.escape(level.name.capitalize())}: "
            f"{count:,} {'person' if count == 1 else 'people'}<br/><i>click to zoom in</i>"
        )

    # == export ========================================================================
    def _export_view(self, w: int, h: int) -> tuple[float, float, float]:
        if self._auto_fit and self._scene is not None:
            x0, y0, x1, y1 = self._scene.bounds()
            s = min((w - 48) / max(x1 - x0, 1e-6), (h - 48) / max(y1 - y0, 1e-6))
            return float(np.clip(s, MIN_SCALE, MAX_SCALE)), (x0 + x1) / 2, (y0 + y1) / 2
        ww, wh = self._size()
        # Same centre; the same world region fits the new size.
        return self._scale * min(w / ww, h / wh), self._cx, self._cy

    def render_image(self, width: int, height: int, scale: float = 1.0) -> QImage:
        """The current view drawn into a ``width`` x ``height`` image; ``scale=2`` gives
        twice the pixels (same picture, sharper: for slides and print)."""
        image = QImage(
            max(1, round(width * scale)),
            max(1, round(height * scale)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(scale)
        painter = QPainter(image)
        try:
            self._paint(painter, width, height, *self._export_view(width, height), dpr=scale)
        finally:
            painter.end()
        return image

    def to_png(
        self,
        path: str | Path,
        width: int | None = None,
        height: int | None = None,
        scale: float = 1.0,
    ) -> None:
        """Write the view as PNG (atomically); default size: the widget's, times ``scale``."""
        w, h = (width or self.width()), (height or self.height())
        image = self.render_image(w, h, scale)
        with atomic_path(path) as tmp:
            if not image.save(str(tmp), "PNG"):
                raise OSError(f"could not write {path}")

    def to_svg(self, path: str | Path, width: int | None = None, height: int | None = None) -> None:
        """Write the view as SVG (vector shapes, atomically)."""
        from PySide6.QtSvg import QSvgGenerator

        w, h = (width or self.width()), (height or self.height())
        with atomic_path(path) as tmp:
            gen = QSvgGenerator()
            gen.setFileName(str(tmp))
            gen.setSize(QSize(w, h))
            gen.setViewBox(QRect(0, 0, w, h))
            gen.setTitle("orgmap")
            painter = QPainter(gen)
            try:
                self._paint(painter, w, h, *self._export_view(w, h), vector=True)
            finally:
                painter.end()

    # == events ========================================================================
    def _interact(self) -> None:
        """A drag or wheel step: frames may reuse the last image until it settles."""
        self._interacting = True
        self._settle.start()

    def _end_interaction(self) -> None:
        self._interacting = False
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        w, h = self._size()
        bg, fg = self._colors()
        dpr = self.devicePixelRatioF()
        key = (w, h, dpr, self._scale, self._cx, self._cy, self._version, bg.rgba(), fg.rgba())
        painter = QPainter(self)
        try:
            if self._cache is not None and self._cache_key != key:
                same_content = self._cache_key is not None and self._cache_key[6:] == key[6:]
                if self._interacting and same_content and self._frame_ms > self.slow_frame_ms:
                    # Too slow to redraw at mouse speed: move the last frame now, draw
                    # properly once the gesture pauses.
                    self._paint_moved(painter, w, h, bg)
                    return
                self._cache = None
            if self._cache is None or self._cache_key != key:
                t0 = time.perf_counter()
                image = QImage(
                    max(1, round(w * dpr)),
                    max(1, round(h * dpr)),
                    QImage.Format.Format_ARGB32_Premultiplied,
                )
                image.setDevicePixelRatio(dpr)
                p = QPainter(image)
                try:
                    self._paint(p, w, h, self._scale, self._cx, self._cy, dpr=dpr)
                finally:
                    p.end()
                self._frame_ms = (time.perf_counter() - t0) * 1000
                self.frames_rendered += 1
                self._cache, self._cache_key = image, key
                self._cache_view = (self._scale, self._cx, self._cy)
            painter.drawImage(0, 0, self._cache)
            self._paint_hover(painter, w, h, fg)
        finally:
            painter.end()

    def _paint_moved(self, painter: QPainter, w: int, h: int, bg: QColor) -> None:
        s0, cx0, cy0 = self._cache_view
        f = self._scale / s0
        painter.fillRect(QRectF(0, 0, w, h), bg)
        # The old frame's centre (world cx0, cy0) lands here in the new view.
        x = (cx0 - self._cx) * self._scale + w / 2
        y = (cy0 - self._cy) * self._scale + h / 2
        painter.translate(x, y)
        painter.scale(f, f)
        painter.translate(-w / 2, -h / 2)
        painter.drawImage(0, 0, self._cache)

    def _paint_hover(self, painter: QPainter, w: int, h: int, fg: QColor) -> None:
        scene = self._scene
        if scene is None or self._hover is None or self._hover not in scene.index:
            return
        i = scene.index[self._hover]
        x = (scene.xy[i, 0] - self._cx) * self._scale + w / 2
        y = (scene.xy[i, 1] - self._cy) * self._scale + h / 2
        r = max(float(scene.diameter[i]) * self._scale / 2, MIN_RADIUS_PX, 3.0) + 3.0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(fg, 1.5))
        painter.drawEllipse(QPointF(x, y), r, r)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        if self._auto_fit:
            self._fit_to(*self._size())
        super().resizeEvent(event)
        self.viewChanged.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self._interact()
            self.zoom_by(1.0015**delta, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_view = (self._cx, self._cy)
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            dx, dy = pos.x() - self._press.x(), pos.y() - self._press.y()
            if self._dragging or abs(dx) + abs(dy) > 4:
                self._dragging = True
                self._interact()
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self._cx = self._press_view[0] - dx / self._scale
                self._cy = self._press_view[1] - dy / self._scale
                self._auto_fit = False
                self.update()
                self.viewChanged.emit()
            return
        node = self.node_at(pos)
        if node != self._hover:
            self._hover = node
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if node else Qt.CursorShape.ArrowCursor
            )
            self.nodeHovered.emit(node or "")
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        was_drag = self._dragging
        self._press = None
        self._dragging = False
        self.unsetCursor()
        if was_drag:
            return
        pos = event.position()
        node = self.node_at(pos)
        if node is not None:
            self.nodeClicked.emit(node)
            self.select(node)
            return
        level = self.view_level()
        if level is not None:
            c = self._cluster_at(pos)
            if c is not None:
                # Clicking a team disc zooms into the team.
                cx, cy = level.xy[c]
                self._cx, self._cy = float(cx), float(cy)
                self._scale = max(self._scale * 4, self.label_scale() * 0.6)
                self._auto_fit = False
                self.update()
                self.viewChanged.emit()
                return
        self.select(None)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        if self._hover is not None:
            self._hover = None
            self.nodeHovered.emit("")
            self.update()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = QPointF(event.pos())
            node = self.node_at(pos)
            group = self._cluster_at(pos) if node is None else None
            if node:
                QToolTip.showText(event.globalPos(), self.tooltip_text(node), self)
            elif group is not None:
                QToolTip.showText(event.globalPos(), self.cluster_tooltip_text(group), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        w, h = self._size()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.fit()
        elif key == Qt.Key.Key_Left:
            self.pan_by(w * 0.1, 0)
        elif key == Qt.Key.Key_Right:
            self.pan_by(-w * 0.1, 0)
        elif key == Qt.Key.Key_Up:
            self.pan_by(0, h * 0.1)
        elif key == Qt.Key.Key_Down:
            self.pan_by(0, -h * 0.1)
        elif key == Qt.Key.Key_Escape:
            self.select(None)
        else:
            super().keyPressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 650)

    # == painting ======================================================================
    def _colors(self) -> tuple[QColor, QColor]:
        pal = self.palette()
        return pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)

    def _paint(
        self,
        painter: QPainter,
        w: int,
        h: int,
        s: float,
        cx: float,
        cy: float,
        vector: bool = False,
        dpr: float = 1.0,
    ) -> None:
        self._frame_dpr = dpr
        bg, fg = self._colors()
        painter.fillRect(QRectF(0, 0, w, h), bg)
        scene = self._scene
        self.drawn_edge_count = self.drawn_node_count = self.drawn_label_count = 0
        self.culled_edge_count = 0
        if scene is None or not scene.nodes:
            return
        bg_hex = bg.name()
        ox, oy = w / 2 - cx * s, h / 2 - cy * s
        self._frame_size = (w, h)
        self._frame_origin = (ox, oy)
        self._frame_scale = s
        sxy = scene.xy * s + (ox, oy)
        # Nodes never shrink below a dot; in a sparse view they keep some body.
        min_r = float(np.clip(0.3 * scene.spacing * s, MIN_RADIUS_PX, 4.0))
        rad = np.maximum(scene.diameter * (s / 2), min_r)
        pad = rad + 2
        visible = (
            (sxy[:, 0] >= -pad)
            & (sxy[:, 0] <= w + pad)
            & (sxy[:, 1] >= -pad)
            & (sxy[:, 1] <= h + pad)
        )
        lit = self._lit_mask
        n_people = int(np.count_nonzero(visible & scene.is_person))
        level = self._choose_level(scene, s, w, h, n_people)
        self._level = level
        self.cluster_mode = cluster = level is not None
        kinds = self.edge_kinds()
        edge_pass = self._edges_on_screen(scene, sxy, rad, w, h, kinds, cluster)
        # Arrowheads once there is room to see them (who mentors whom, who asks whom).
        self._arrows = scene.spacing * s >= LABEL_PX

        if level is not None:
            self._draw_cluster_edges(
                painter, scene, level, s, ox, oy, w, h, kinds, lit is not None, bg_hex, fg
            )
            self._draw_clusters(painter, level, s, ox, oy, w, h, lit is not None, bg_hex, fg)
            if lit is not None:
                on = visible & lit
                self._draw_edges(painter, edge_pass, True, bg_hex, vector)
                self._draw_nodes(painter, scene, sxy, rad, on, False, bg_hex, vector)
        else:
            if lit is None:
                self._draw_edges(painter, edge_pass, None, bg_hex, vector)
                self._draw_nodes(painter, scene, sxy, rad, visible, False, bg_hex, vector)
            else:
                self._draw_edges(painter, edge_pass, False, bg_hex, vector)
                self._draw_nodes(painter, scene, sxy, rad, visible & ~lit, True, bg_hex, vector)
                self._draw_edges(painter, edge_pass, True, bg_hex, vector)
                self._draw_nodes(painter, scene, sxy, rad, visible & lit, False, bg_hex, vector)
        if self._overlay is not None:
            self._draw_overlay(painter, scene, sxy, rad, s, ox, oy, fg)
        self._draw_rings(painter, scene, sxy, rad, fg)
        self._draw_labels(painter, scene, sxy, rad, visible, s, cluster, bg, fg)

    def _choose_level(
        self, scene: Scene, s: float, w: int, h: int, n_people: int
    ) -> Clusters | None:
        """Team discs when people would be under ``CLUSTER_PX`` apart, department discs
        when even the team discs would be specks or too many."""
        if n_people < CLUSTER_MIN_PEOPLE or scene.spacing * s >= CLUSTER_PX:
            return None
        teams, departments = scene.levels
        if len(teams) < 2:
            return None
        r = teams.radius * s
        if len(departments) >= 2 and (len(teams) > MAX_CLUSTERS or float(np.median(r)) < 2.5):
            return departments
        return teams

    @staticmethod
    def _cluster_radii(level: Clusters, s: float) -> np.ndarray:
        """Disc radii in px: true to area when zoomed in enough, else by headcount on a
        screen scale (a department of 30k people should not be a 40 px speck)."""
        r = level.radius * s
        if level.name == "department" and len(level):
            share = np.sqrt(level.count / max(1, int(level.count.max())))
            return np.maximum(r, 5.0 + 40.0 * share)
        return np.maximum(r, 2.5)

    # -- edges -----------------------------------------------------------------------
    def _edges_on_screen(
        self,
        scene: Scene,
        sxy: np.ndarray,
        rad: np.ndarray,
        w: int,
        h: int,
        kinds: set[str],
        cluster: bool,
    ) -> list[tuple[str, np.ndarray, np.ndarray | None, np.ndarray]]:
        """Per kind: the visible segments ``(m, 2, 2)``, which are lit, and the radius
        of each target node (where an arrowhead stops)."""
        out = []
        s, (ox, oy) = self._frame_scale, self._frame_origin
        x0, x1 = -ox / s, (w - ox) / s
        y0, y1 = -oy / s, (h - oy) / s
        min_len = 0.75 / s
        lit = self._lit_mask
        for kind in scene.edge_kinds():
            if kind not in kinds:
                continue
            e, box = scene.edges[kind], scene.edge_box[kind]
            if cluster:
                if lit is None:
                    continue
                # Clustered: only edges inside the lit set are drawn one by one.
                inside = lit[e[:, 0]] & lit[e[:, 1]]
                e, box = e[inside], box[inside]
            # Cull on the precomputed world boxes: no gather of 250k endpoints per frame.
            on = (box[:, 2] >= x0) & (box[:, 0] <= x1) & (box[:, 3] >= y0) & (box[:, 1] <= y1)
            # Sub-pixel edges vanish under their nodes anyway.
            on &= (box[:, 2] - box[:, 0] + box[:, 3] - box[:, 1]) >= min_len
            idx = np.flatnonzero(on)
            seg = np.empty((len(idx), 2, 2))
            seg[:, 0] = sxy[e[idx, 0]]
            seg[:, 1] = sxy[e[idx, 1]]
            lit_e = None if lit is None else (lit[e[idx, 0]] & lit[e[idx, 1]])
            out.append((kind, seg, lit_e, rad[e[idx, 1]]))
        return out

    def _edge_color(self, kind: str) -> str:
        if kind == "works_on" and self._scene is not None and not (self._scene.kind == 1).any():
            return palette.EDGE_COLORS["collaboration"]
        return palette.EDGE_COLORS.get(kind, "#888888")

    def _draw_edges(
        self,
        painter: QPainter,
        passes: list[tuple[str, np.ndarray, np.ndarray | None, np.ndarray]],
        lit_pass: bool | None,
        bg_hex: str,
        vector: bool = False,
    ) -> None:
        """``lit_pass`` None: everything normal; False: the faded rest; True: lit only.

        Colours are pre-blended with the background and drawn opaque: Qt's raster engine
        blends translucent lines ~5x slower per pixel than it fills opaque ones, and
        anti-aliasing triples that again, so it is used only while the total length of
        the lines on screen is small (SVG output is always anti-aliased).
        """
        chosen = []
        for kind, seg, lit_e, tip in passes:
            if lit_pass is not None and lit_e is not None:
                keep = lit_e if lit_pass else ~lit_e
                seg, tip = seg[keep], tip[keep]
            if len(seg):
                chosen.append((kind, seg, np.abs(seg[:, 1] - seg[:, 0]).sum(axis=1), tip))
        budget = {None: self.edge_budget, False: self.faded_edge_budget}.get(lit_pass)
        total = sum(len(c[1]) for c in chosen)
        if budget is not None and total > budget:
            # Too many to read (or draw fast): keep the shortest. Far apart, long lines
            # criss-cross the whole view and hide the local structure.
            lengths = np.concatenate([c[2] for c in chosen])
            keep = np.zeros(len(lengths), dtype=bool)
            keep[np.argpartition(lengths, budget)[:budget]] = True
            parts = np.split(keep, np.cumsum([len(c[2]) for c in chosen])[:-1])
            chosen = [
                (k, seg[m], ln[m], tip[m])
                for (k, seg, ln, tip), m in zip(chosen, parts, strict=True)
            ]
            self.culled_edge_count += total - sum(len(c[1]) for c in chosen)
        length = float(sum(c[2].sum() for c in chosen))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, vector or length <= AA_EDGE_PIXELS)
        for kind, seg, _, tip in chosen:
            if not len(seg):
                continue
            color = self._edge_color(kind)
            if lit_pass is False:
                color, width = palette.mix(color, bg_hex, 0.88), 1.0
            elif lit_pass:
                color, width = color, 2.0
            else:
                # The reporting backbone reads first; derived collaboration stays quiet.
                color = palette.mix(color, bg_hex, 1 - _EDGE_ALPHA.get(kind, 0.5))
                width = 1.2 if length <= AA_EDGE_PIXELS else 1.0
            pen = QPen(QColor(color), width)
            pen.setCosmetic(True)
            if kind in palette.EDGE_DASHED:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLines(_polygon(seg.reshape(-1, 2)))
            self.drawn_edge_count += len(seg)
            directed = kind in ARROW_KINDS or (lit_pass and kind != "works_on")
            if self._arrows and directed and lit_pass is not False and len(seg) <= MAX_ARROWS:
                pen.setStyle(Qt.PenStyle.SolidLine)
                painter.setPen(pen)
                painter.drawLines(_polygon(_arrowheads(seg, tip, 4.0 + width * 2)))
        painter.restore()

    def _draw_cluster_edges(
        self,
        painter: QPainter,
        scene: Scene,
        level: Clusters,
        s: float,
        ox: float,
        oy: float,
        w: int,
        h: int,
        kinds: set[str],
        faded: bool,
        bg_hex: str,
        fg: QColor,
    ) -> None:
        """Group-to-group links, weighted by how many person-to-person edges they carry."""
        ce = scene.cluster_edges(level, frozenset(kinds))
        if not len(ce):
            return
        pts = level.xy * s + (ox, oy)
        a, b = pts[ce[:, 0]], pts[ce[:, 1]]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        on = np.flatnonzero((hi[:, 0] >= 0) & (lo[:, 0] <= w) & (hi[:, 1] >= 0) & (lo[:, 1] <= h))
        on = on[:MAX_CLUSTER_EDGES]  # rows are strongest first
        if not len(on):
            return
        counts = ce[on, 2].astype(np.float64)
        cuts = np.quantile(counts, [0.5, 0.9]) if len(counts) > 10 else [1, 3]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(on) <= 1500)
        bands = ((0.8, 0.15), (1.4, 0.28), (2.4, 0.45))
        band_of = np.searchsorted(np.asarray(cuts, dtype=np.float64), counts, side="left")
        for band, (width, alpha) in enumerate(bands):
            sel = on[band_of == band]
            if not len(sel):
                continue
            seg = np.empty((len(sel), 2, 2))
            seg[:, 0] = a[sel]
            seg[:, 1] = b[sel]
            color = palette.mix(fg.name(), bg_hex, 1 - alpha * (0.3 if faded else 1.0))
            pen = QPen(QColor(color), width)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawLines(_polygon(seg.reshape(-1, 2)))
            self.drawn_edge_count += len(seg)
        painter.restore()

    # -- nodes -----------------------------------------------------------------------
    def _draw_nodes(
        self,
        painter: QPainter,
        scene: Scene,
        sxy: np.ndarray,
        rad: np.ndarray,
        mask: np.ndarray,
        faded: bool,
        bg_hex: str,
        vector: bool,
    ) -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        # Non-person nodes on top of people; larger under smaller within each.
        order = np.lexsort((-rad[idx], scene.kind[idx]))
        idx = idx[order]
        table = scene.faded_colors(bg_hex, FADE) if faded else scene.colors
        self.drawn_node_count += len(idx)
        # Sprites unless writing SVG; nodes too big for the sprite atlas are drawn as
        # shapes first (big under small).
        big = np.ones(len(idx), dtype=bool) if vector else rad[idx] * 4 > MAX_SPRITE_DQ
        if big.any():
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            outline = QPen(QColor(bg_hex), 1.0)
            last = None
            for i in idx[big].tolist():
                ci = int(scene.color_idx[i])
                if ci != last:
                    painter.setBrush(QColor(table[ci]))
                    last = ci
                r = max(float(rad[i]), 1.5)
                painter.setPen(outline if r >= 3 and not faded else Qt.PenStyle.NoPen)
                _shape_path(painter, int(scene.kind[i]), float(sxy[i, 0]), float(sxy[i, 1]), r)
            painter.restore()
            idx = idx[~big]
            if not len(idx):
                return
        # Sprites: diameters quantised to 0.5 px (dq = 4 * radius), capped for the atlas.
        dq = np.clip(np.round(rad[idx] * 4), 6, MAX_SPRITE_DQ).astype(np.int64)
        ci = scene.color_idx[idx].astype(np.int64)
        shape = scene.kind[idx].astype(np.int64)
        outlined = (dq >= 14) & (not faded)
        key = ((ci * 256 + dq) * 4 + shape) * 2 + outlined
        uniq, inverse = np.unique(key, return_inverse=True)
        specs = []
        for k in uniq.tolist():
            o = k & 1
            sh = (k >> 1) & 3
            d = (k >> 3) & 255
            c = k >> 11
            specs.append((table[c], d, sh, bg_hex if o else ""))
        self._atlas.ensure(specs, self._frame_dpr)
        slots = np.array([self._atlas.slots[sp] for sp in specs], dtype=np.float64).reshape(-1, 3)
        frag = np.empty((len(idx), 10), dtype=np.float64)
        frag[:, 0:2] = sxy[idx]
        frag[:, 2:4] = slots[inverse, 0:2]
        frag[:, 4] = slots[inverse, 2]
        frag[:, 5] = slots[inverse, 2]
        frag[:, 6:8] = 1.0 / self._frame_dpr  # atlas pixels -> logical pixels
        frag[:, 8] = 0.0
        frag[:, 9] = 1.0
        ptr = shiboken6.wrapInstance(frag.ctypes.data, QPainter.PixmapFragment)
        painter.drawPixmapFragments(ptr, len(frag), self._atlas.pixmap)

    def _draw_clusters(
        self,
        painter: QPainter,
        level: Clusters,
        s: float,
        ox: float,
        oy: float,
        w: int,
        h: int,
        faded: bool,
        bg_hex: str,
        fg: QColor,
    ) -> None:
        scene = self._scene
        assert scene is not None
        pts = level.xy * s + (ox, oy)
        r = self._cluster_radii(level, s)
        on = (pts[:, 0] >= -r) & (pts[:, 0] <= w + r) & (pts[:, 1] >= -r) & (pts[:, 1] <= h + r)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        order = np.flatnonzero(on)
        order = order[np.argsort(-r[order], kind="stable")]
        ring = QPen(QColor(palette.mix(fg.name(), bg_hex, 0.88 if faded else 0.6)), 1.0)
        painter.setPen(ring)
        last = -1
        for c in order.tolist():
            ci = int(level.color_idx[c])
            if ci != last:
                color = scene.colors[ci]
                # Opaque, pre-blended: translucent fills cost ~5x per pixel.
                painter.setBrush(QColor(palette.mix(color, bg_hex, FADE if faded else 0.15)))
                last = ci
            painter.drawEllipse(QPointF(pts[c, 0], pts[c, 1]), float(r[c]), float(r[c]))
        painter.restore()
        self.drawn_node_count += len(order)

    def _draw_rings(
        self, painter: QPainter, scene: Scene, sxy: np.ndarray, rad: np.ndarray, fg: QColor
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for node, width in ((self._selected, 2.5),):
            if node is None or node not in scene.index:
                continue
            i = scene.index[node]
            painter.setPen(QPen(fg, width))
            r = max(float(rad[i]), 3.0) + 3.0
            painter.drawEllipse(QPointF(sxy[i, 0], sxy[i, 1]), r, r)
        painter.restore()

    def _draw_overlay(
        self,
        painter: QPainter,
        scene: Scene,
        sxy: np.ndarray,
        rad: np.ndarray,
        s: float,
        ox: float,
        oy: float,
        fg: QColor,
    ) -> None:
        overlay = self._overlay
        assert overlay is not None
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        line = QPen(QColor(palette.MARK_COLORS["path"]), 3.0)
        line.setCapStyle(Qt.PenCapStyle.RoundCap)
        line.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(line)
        for path in overlay.paths:
            points = [
                QPointF(sxy[i, 0], sxy[i, 1])
                for i in (scene.index.get(n) for n in path)
                if i is not None
            ]
            if len(points) > 1:
                painter.drawPolyline(points)
        ghost_pen = QPen(fg, 1.2, Qt.PenStyle.DashLine)
        ghost_r = max(float(np.median(rad)) if len(rad) else 4.0, 4.0)
        for key, ghost in overlay.ghosts.items():
            centre = QPointF(ghost.x * s + ox, ghost.y * s + oy)
            color = QColor(palette.MARK_COLORS[overlay.marks.get(key, "left")])
            color.setAlpha(70)
            painter.setBrush(color)
            painter.setPen(ghost_pen)
            painter.drawEllipse(centre, ghost_r, ghost_r)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for node, kind in overlay.marks.items():
            i = scene.index.get(node)
            if i is None:
                continue
            painter.setPen(QPen(QColor(palette.MARK_COLORS[kind]), 3.0))
            r = max(float(rad[i]), 3.0) + 4.5
            painter.drawEllipse(QPointF(sxy[i, 0], sxy[i, 1]), r, r)
        painter.restore()

    # -- labels ----------------------------------------------------------------------
    def _draw_labels(
        self,
        painter: QPainter,
        scene: Scene,
        sxy: np.ndarray,
        rad: np.ndarray,
        visible: np.ndarray,
        s: float,
        cluster: bool,
        bg: QColor,
        fg: QColor,
    ) -> None:
        lit = self._lit_mask
        roomy = scene.spacing * s >= LABEL_PX
        cand_parts = []
        if cluster:
            self._draw_cluster_labels(painter, self._level, s, bg, fg)
            if lit is not None and int(lit.sum()) <= 60:
                cand_parts.append(np.flatnonzero(visible & lit))
        elif roomy:
            cand_parts.append(np.flatnonzero(visible))
        else:
            # Not roomy: label the lit few, and big non-person nodes.
            if lit is not None and int(lit.sum()) <= 80:
                cand_parts.append(np.flatnonzero(visible & lit))
            cand_parts.append(np.flatnonzero(visible & ~scene.is_person & (rad >= 6)))
            if lit is None and scene.spacing * s >= LANDMARK_PX:
                # Landmarks: the most connected people in view, so a fitted org chart
                # still says whose tree is whose.
                people = np.flatnonzero(visible & scene.is_person)
                top = people[np.argsort(-scene.degree[people], kind="stable")[:LANDMARKS]]
                cand_parts.append(top)
        if self._selected in scene.index:
            cand_parts.insert(0, np.array([scene.index[self._selected]]))
        if not cand_parts:
            return
        cand = np.concatenate(cand_parts)
        if not len(cand):
            return
        # Priority: the selection, lit, non-person, big, then near the centre.
        prio = rad[cand] + np.minimum(scene.degree[cand], 999) / 1000
        prio += (scene.kind[cand] > 0) * 1e3
        if lit is not None:
            prio += lit[cand] * 1e4
        if self._selected in scene.index:
            prio[cand == scene.index[self._selected]] = 1e9
        cand = cand[np.argsort(-prio, kind="stable")]
        _, first = np.unique(cand, return_index=True)
        cand = cand[np.sort(first)]
        cand = cand[:3000]
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        bold = QFont(font)
        bold.setBold(True)
        fm, fmb = QFontMetricsF(font), QFontMetricsF(bold)
        box_bg = QColor(bg)
        box_bg.setAlphaF(0.78)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.setPen(fg)
        placed = _Occupancy()
        org = scene.org
        count = 0
        th = fm.height() + 2
        ascent = fm.ascent()
        widths = self._label_widths
        frame_w = self._frame_size[0]
        dim_fg = QColor(palette.mix(fg.name(), bg.name(), 0.55))
        dimmed = False
        for i in cand.tolist():
            node = scene.nodes[i]
            is_sel = node == self._selected
            cached = widths.get(i)
            if cached is None or is_sel:
                text = org.label(node)
                if len(text) > 28:
                    text = text[:27] + "…"
                cached = (text, (fmb if is_sel else fm).horizontalAdvance(text) + 6)
                if not is_sel:
                    widths[i] = cached
            text, tw = cached
            x, y = float(sxy[i, 0]), float(sxy[i, 1]) + float(rad[i]) + 2
            # Centred under the node, but kept inside the view.
            left = min(max(2.0, x - tw / 2), frame_w - tw - 2)
            rect = QRectF(round(left), round(y), round(tw), th)
            if not is_sel and not placed.free(rect):
                continue
            placed.add(rect)
            # A translucent box under the text keeps it readable over edges; a plain
            # pixel-aligned fill is ~10x cheaper than an anti-aliased rounded one.
            painter.fillRect(rect, box_bg)
            dim = lit is not None and not lit[i]
            if dim != dimmed:
                # Labels of faded nodes fade too, so the lit ones read first.
                painter.setPen(dim_fg if dim else fg)
                dimmed = dim
            if is_sel:
                painter.setFont(bold)
            painter.drawText(QPointF(rect.left() + 3, rect.top() + 1 + ascent), text)
            if is_sel:
                painter.setFont(font)
            count += 1
            if count >= MAX_LABELS:
                break
        painter.restore()
        self.drawn_label_count += count

    def _draw_cluster_labels(
        self, painter: QPainter, level: Clusters, s: float, bg: QColor, fg: QColor
    ) -> None:
        """Team names on the biggest discs that have room."""
        w, h = self._frame_size
        pts = level.xy * s + self._frame_origin
        r = self._cluster_radii(level, s)
        order = np.argsort(-level.count, kind="stable")
        font = QFont(self.font())
        font.setPointSizeF(9)
        font.setBold(True)
        fm = QFontMetricsF(font)
        box_bg = QColor(bg)
        box_bg.setAlphaF(0.7)
        placed = _Occupancy()
        painter.save()
        painter.setFont(font)
        count = 0
        for c in order.tolist():
            if r[c] < 9:
                break
            x, y = float(pts[c, 0]), float(pts[c, 1])
            if not (0 <= x <= w and 0 <= y <= h):
                continue
            text = level.names[c] or f"(no {level.name})"
            if len(text) > 24:
                text = text[:23] + "…"
            text = f"{text} ({level.count[c]:,})"
            tw, th = fm.horizontalAdvance(text) + 8, fm.height() + 2
            rect = QRectF(x - tw / 2, y - th / 2, tw, th)
            if not placed.free(rect):
                continue
            placed.add(rect)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(box_bg)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(fg)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            count += 1
            if count >= 80:
                break
        painter.restore()
        self.drawn_label_count += count


class _Occupancy:
    """Which screen cells hold a label already (greedy overlap culling)."""

    CELL = 40.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[QRectF]] = {}

    def _keys(self, rect: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (i, j)
            for i in range(int(rect.left() // c), int(rect.right() // c) + 1)
            for j in range(int(rect.top() // c), int(rect.bottom() // c) + 1)
        ]

    def free(self, rect: QRectF) -> bool:
        grown = rect.adjusted(-2, -1, 2, 1)
        return not any(
            other.intersects(grown) for k in self._keys(rect) for other in self.cells.get(k, ())
        )

    def add(self, rect: QRectF) -> None:
        for k in self._keys(rect):
            self.cells.setdefault(k, []).append(rect)
