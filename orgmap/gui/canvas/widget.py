"""The graph canvas widget: the view (zoom, pan, fit), selection, input and export.

Why not QGraphicsScene: 100k QGraphicsItems take seconds to create and hundreds of MB.
Every node and edge lives in numpy arrays (:mod:`orgmap.gui.canvas_scene`, built once
per graph); each paint builds one :class:`~orgmap.gui.canvas.painter.Frame` (the view,
the screen positions, what is lit, the group level) and hands it to the
:class:`~orgmap.gui.canvas.painter.MapPainter`; :mod:`orgmap.gui.canvas.transform` holds
the view's arithmetic (world <-> screen, fit).

The last frame is cached: hovering repaints only a ring, and during a drag or wheel
gesture on a slow (large) view the cached frame is moved until the gesture pauses.
The view is a scale and the world point at the widget centre; ``render_image`` keeps
both, so an export shows what the user sees.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from orgmap import present
from orgmap.gui.canvas.painter import (
    EDGE_BUDGET,
    FADED_EDGE_BUDGET,
    LABEL_PX,
    LEGEND_TEAMS,
    MIN_RADIUS_PX,
    Frame,
    MapPainter,
    choose_level,
    cluster_radii,
)
from orgmap.gui.canvas.transform import MAX_SCALE, MIN_SCALE, fit_view, to_screen, to_world
from orgmap.gui.canvas_scene import Clusters, Scene
from orgmap.marks import MapMarks, map_marks
from orgmap.model import Org
from orgmap.overlay import Overlay
from orgmap.safety import atomic_path
from orgmap.views import lit_set

__all__ = ["GraphCanvas"]

#: Nodes can be dragged once people are this far apart on screen (px).
DRAG_PX = 12.0
#: A full frame slower than this (ms) is preceded by a quick draft when content changes.
DRAFT_AFTER_MS = 45.0


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
    #: A node was dragged to a new place: ``(node, x, y)`` in layout units.
    nodeMoved = Signal(str, float, float)

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
        #: The node a drag started on (it moves; a drag on empty space pans).
        self._drag_node: int | None = None
        #: Nodes the user moved, and where to (layout units); kept across scenes.
        self._moved: dict[str, tuple[float, float]] = {}
        self.painter = MapPainter()
        # The last full frame, reused while only the hover ring changes, and shown
        # moved/scaled while a drag or wheel is in progress on a slow (big) org.
        self._version = 0
        self._cache: QImage | None = None
        self._cache_key: tuple | None = None
        self._cache_view = (1.0, 0.0, 0.0)
        self._cache_is_draft = False
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
        #: Full frames painted on screen (hover and gestures reuse the last one).
        self.frames_rendered = 0
        #: Paint events completed (any kind): the benchmark's "something changed" clock.
        self.paints = 0
        self._overlay: Overlay | None = None
        #: Team and department outlines drawn (the org chart turns them off).
        self._groups = True
        #: The group (project, team, department) whose members are lit, if any.
        self._focus: str | None = None

    # What the last frame drew (tests, the benchmark, the status bar).
    @property
    def drawn_edge_count(self) -> int:
        return self.painter.stats.drawn_edge_count

    @property
    def drawn_node_count(self) -> int:
        return self.painter.stats.drawn_node_count

    @property
    def drawn_label_count(self) -> int:
        return self.painter.stats.drawn_label_count

    @property
    def drawn_outline_count(self) -> int:
        return self.painter.stats.drawn_outline_count

    @property
    def drawn_mark_count(self) -> int:
        return self.painter.stats.drawn_mark_count

    @property
    def culled_edge_count(self) -> int:
        """Edges in view left out by the per-frame budget (longest first)."""
        return self.painter.stats.culled_edge_count

    @property
    def cluster_mode(self) -> bool:
        return self.painter.stats.cluster_mode

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
        self.painter.reset()
        self._apply_color_size()
        self._apply_marks()
        self._moved = {}  # a new layout starts unmoved (its owner restores pins)
        if self._selected not in self._scene.index:
            self._selected = None
        self._lit = {n for n in self._lit if n in self._scene.index}
        if self._selected:
            self._lit = self._lit_of(self._selected)
        self._update_lit_mask()
        if fit:
            self.fit()
        self.legendChanged.emit()
        self._changed()

    def set_metrics(self, metrics: dict | None) -> None:
        """New metrics for the same org and positions (colour and size follow)."""
        if self._scene is None:
            return
        self._scene.metrics = metrics or {}
        # new values, maybe at the old dict's address: recompute colours and sizes
        self._scene.color_key = self._scene.size_key = None
        self._apply_color_size()
        self._apply_marks()
        self.legendChanged.emit()
        self._changed()

    def _apply_color_size(self) -> None:
        scene = self._scene
        assert scene is not None
        mode = self._color_by
        if mode not in ("team", "department", "kind") and mode not in scene.metric_names():
            mode = "team"
        # A scene built off the GUI thread arrives coloured: a 30k recolour is 0.3 s.
        if scene.color_key != (mode, id(scene.metrics)):
            scene.set_color_by(mode)
        size = self._size_by if self._size_by in scene.metric_names() else None
        if scene.size_key != (size, id(scene.metrics)):
            scene.set_size_by(size)

    def _apply_marks(self) -> None:
        scene = self._scene
        assert scene is not None
        scene.set_marks(map_marks(scene.org, scene.metrics, self._relations))

    def marks(self) -> MapMarks:
        """The bridges, key people and silo teams drawn."""
        return self._scene.marks if self._scene else MapMarks()

    def set_groups_drawn(self, on: bool) -> None:
        """Draw groups: team and department outlines with their names, and team or
        department discs for a big org zoomed out (Teams and Network layouts). The org
        chart turns them off: its structure is the tree, drawn at every zoom."""
        self._groups = bool(on)
        self._changed()

    def groups_drawn(self) -> bool:
        return self._groups

    def org(self) -> Org | None:
        return self._scene.org if self._scene else None

    # == moved nodes =====================================================================
    def moved_positions(self) -> dict[str, tuple[float, float]]:
        """Nodes the user dragged, and where to (layout units)."""
        return dict(self._moved)

    def set_moved_positions(self, moved: dict[str, tuple[float, float]] | None) -> None:
        """Pin nodes at these places (a restored session); the others go back to the
        layout's positions."""
        self._moved = {n: (float(x), float(y)) for n, (x, y) in (moved or {}).items()}
        if self._scene is not None:
            self._scene.reset_moves()
            for node, (x, y) in self._moved.items():
                if node in self._scene.index:
                    self._scene.move(self._scene.index[node], x, y)
            self._scene.moved_done()
        self._changed()

    def reset_layout(self) -> None:
        """Every moved node back where the layout put it."""
        self.set_moved_positions(None)

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
        """``[(label, "#rrggbb"), ...]`` for the current colouring, then the marks drawn
        (bridges, key people, silos, an overlay's). A label with colour ``""`` is a
        heading. Coloured by team with more than :data:`LEGEND_TEAMS` teams, the biggest
        teams are listed under their departments and the rest counted, never thousands."""
        scene = self._scene
        if scene is None:
            return []
        entries = list(scene.legend)
        if scene.mode == "team" and len(scene.levels[0]) > LEGEND_TEAMS:
            entries = self._grouped_team_legend(scene)
        marks = list(scene.marks.legend())
        if self._overlay is not None:
            marks += self._overlay.legend()
        if marks:
            entries.append(("Marked", ""))
            entries += [(f"{label} ({count:,})", color) for label, color, count in marks]
        return entries

    @staticmethod
    def _grouped_team_legend(scene: Scene) -> list[tuple[str, str]]:
        teams, departments = scene.levels
        colors = dict(scene.legend)
        graph = scene.org.graph
        dept_of: dict[str, str] = {}
        for t in teams.names:
            node = f"team:{t}"
            d = scene.org.department_of(node) if node in graph else None
            dept_of[t] = str(graph.nodes[d].get("name") or "") if d else ""
        biggest = np.argsort(-teams.count, kind="stable")[:LEGEND_TEAMS].tolist()
        by_dept: dict[str, list[int]] = {}
        for g in biggest:
            by_dept.setdefault(dept_of[teams.names[g]], []).append(g)
        size = {d: int(departments.count[i]) for i, d in enumerate(departments.names)}
        n_teams: dict[str, int] = {}
        for t in teams.names:
            n_teams[dept_of[t]] = n_teams.get(dept_of[t], 0) + 1
        out: list[tuple[str, str]] = []
        for d in sorted(by_dept, key=lambda d: (-size.get(d, 0), d)):
            out.append((f"{d or '(no department)'}: {n_teams[d]:,} teams", ""))
            for g in by_dept[d]:
                name = teams.names[g] or "(no team)"
                out.append((f"{name} ({int(teams.count[g]):,})", colors.get(name, "#9e9e9e")))
        rest = len(teams) - len(biggest)
        out.append((f"… and {rest:,} smaller teams (colours repeat)", ""))
        return out

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
            self._lit = self._lit_of(self._selected)
            self._update_lit_mask()
            self._changed()

    def reach_depth(self) -> int:
        return self._k

    def set_relations(self, relations: Iterable[str] | None) -> None:
        """The relations a person's reach walks (the metrics' switch); None means all."""
        self._relations = None if relations is None else frozenset(relations)
        if self._scene is not None:
            self._apply_marks()
            self.legendChanged.emit()
            self._changed()
        if self._selected and self._scene:
            self._lit = self._lit_of(self._selected)
            self._update_lit_mask()
            self._changed()

    def _lit_of(self, node: str) -> set[str]:
        assert self._scene is not None
        index = self._scene.index
        # membership tests, not a set of every node: 100k people cost 30 ms a set
        return {n for n in lit_set(self._scene.org, node, self._k, self._relations) if n in index}

    def select(self, node: str | None) -> None:
        """Select ``node`` (or nothing) and light up its reach; the rest fades."""
        if node is not None and (self._scene is None or node not in self._scene.index):
            node = None
        changed = node != self._selected
        self._selected = node
        self._focus = None
        if node is None:
            self._lit = set()
        else:
            assert self._scene is not None
            self._lit = self._lit_of(node)
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
        known = self._scene.index if self._scene else {}
        self._lit = {n for n in nodes or () if n in known}
        self._selected = focus if focus in known else None
        self._focus = focus if self._lit else None
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
        self._scale, self._cx, self._cy = fit_view(self._scene.bounds(), w, h)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the point under ``anchor`` (widget px) fixed."""
        w, h = self._size()
        ax, ay = (anchor.x(), anchor.y()) if anchor is not None else (w / 2, h / 2)
        wx, wy = self._to_world(ax, ay)
        self._scale = float(np.clip(self._scale * factor, MIN_SCALE, MAX_SCALE))
        self._cx = wx - (ax - w / 2) / self._scale
        self._cy = wy - (ay - h / 2) / self._scale
        self._auto_fit = False
        # Only the view changed (it is in the frame cache's key): during a wheel gesture
        # on a slow view the last frame is scaled at once and redrawn when it pauses.
        self.update()
        self.viewChanged.emit()

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by ``(dx, dy)`` screen pixels (content follows the mouse)."""
        self._cx -= dx / self._scale
        self._cy -= dy / self._scale
        self._auto_fit = False
        self.update()
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
        return to_world(x, y, *self._size(), self._scale, self._cx, self._cy)

    def map_to_screen(self, node: str) -> QPointF:
        """Where ``node`` is drawn, in widget pixels."""
        assert self._scene is not None
        x, y = self._scene.xy[self._scene.index[node]]
        return QPointF(
            *to_screen(float(x), float(y), *self._size(), self._scale, self._cx, self._cy)
        )

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
        ox, oy = w / 2 - self._cx * s, h / 2 - self._cy * s
        return choose_level(scene, s, w, h, n_people, ox, oy, self._groups)

    def _cluster_at(self, pos: QPointF) -> int | None:
        level = self.view_level()
        if level is None or not len(level):
            return None
        wx, wy = self._to_world(pos.x(), pos.y())
        d = np.hypot(level.xy[:, 0] - wx, level.xy[:, 1] - wy)
        r = np.maximum(cluster_radii(level, self._scale), 4.0) / self._scale
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

    def paint_view(
        self, painter: QPainter, w: int, h: int, *, vector: bool = False, dpr: float = 1.0
    ) -> None:
        """Paint the current view into ``painter`` over ``w`` x ``h`` (a picture, a
        page): the same world region as on screen, fitted to the new size."""
        self._paint(painter, w, h, *self._export_view(w, h), vector=vector, dpr=dpr)

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

    def busy(self) -> bool:
        """Whether a better frame is still to come (a gesture has not settled, or a
        draft is on screen)."""
        return self._interacting or self._settle.isActive() or self._cache_is_draft

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
            if self._cache is None or self._cache_key != key or self._cache_is_draft:
                # New content on a slow view (a selection, a search, a layout at 100k):
                # a draft first (nodes and what is lit, no faded lines, outlines or
                # labels) so the change shows at once, the full frame right after.
                draft = (
                    not self._cache_is_draft
                    and self._frame_ms > DRAFT_AFTER_MS
                    and self._cache_key is not None
                    and self._cache_key[6:] != key[6:]
                )
                t0 = time.perf_counter()
                image = QImage(
                    max(1, round(w * dpr)),
                    max(1, round(h * dpr)),
                    QImage.Format.Format_ARGB32_Premultiplied,
                )
                image.setDevicePixelRatio(dpr)
                p = QPainter(image)
                try:
                    self._paint(p, w, h, self._scale, self._cx, self._cy, dpr=dpr, draft=draft)
                finally:
                    p.end()
                if draft:
                    QTimer.singleShot(0, self.update)
                else:
                    self._frame_ms = (time.perf_counter() - t0) * 1000
                    self.frames_rendered += 1
                self._cache_is_draft = draft
                self._cache, self._cache_key = image, key
                self._cache_view = (self._scale, self._cx, self._cy)
            painter.drawImage(0, 0, self._cache)
            self._paint_hover(painter, w, h, fg)
        finally:
            painter.end()
            self.paints += 1

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
            node = self.node_at(self._press)
            # A node moves only when it is drawn big enough to grab: zoomed out, a
            # drag over thousands of dots pans.
            scene = self._scene
            grab = scene is not None and scene.spacing * self._scale >= DRAG_PX
            self._drag_node = scene.index[node] if node is not None and grab else None  # type: ignore[union-attr]
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            dx, dy = pos.x() - self._press.x(), pos.y() - self._press.y()
            if self._dragging or abs(dx) + abs(dy) > 4:
                self._dragging = True
                if self._drag_node is not None:
                    # Dragging a node moves it (and its lines); pan stays on empty space.
                    self.setCursor(Qt.CursorShape.SizeAllCursor)
                    wx, wy = self._to_world(pos.x(), pos.y())
                    self._scene.move(self._drag_node, wx, wy)  # type: ignore[union-attr]
                    self._changed()
                    return
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
        moved, self._drag_node = self._drag_node, None
        self._press = None
        self._dragging = False
        self.unsetCursor()
        if was_drag and moved is not None and self._scene is not None:
            scene = self._scene
            scene.moved_done()
            node = scene.nodes[moved]
            x, y = (float(v) for v in scene.xy[moved])
            self._moved[node] = (x, y)
            self._changed()
            self.nodeMoved.emit(node, x, y)
            return
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

    def aggregate_note(self) -> str:
        """What the last frame's discs stand for ("" when people are drawn one by one)."""
        return self.painter.stats.aggregate_note

    def frame(
        self,
        w: int,
        h: int,
        s: float,
        cx: float,
        cy: float,
        vector: bool = False,
        dpr: float = 1.0,
        draft: bool = False,
    ) -> Frame | None:
        """The values one frame of ``w`` x ``h`` at scale ``s`` around world ``(cx, cy)``
        is drawn from, or None with nothing to draw."""
        scene = self._scene
        if scene is None or not scene.nodes:
            return None
        ox, oy = w / 2 - cx * s, h / 2 - cy * s
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
        n_people = int(np.count_nonzero(visible & scene.is_person))
        bg, fg = self._colors()
        return Frame(
            scene=scene,
            w=w,
            h=h,
            s=s,
            ox=ox,
            oy=oy,
            sxy=sxy,
            rad=rad,
            visible=visible,
            lit=self._lit_mask,
            level=choose_level(scene, s, w, h, n_people, ox, oy, self._groups),
            kinds=frozenset(self.edge_kinds()),
            bg=bg,
            fg=fg,
            font=self.font(),
            selected=self._selected,
            focus=self._focus,
            overlay=self._overlay,
            groups=self._groups,
            vector=vector,
            dpr=dpr,
            edge_budget=self.edge_budget,
            faded_edge_budget=self.faded_edge_budget,
            draft=draft,
        )

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
        draft: bool = False,
    ) -> None:
        f = self.frame(w, h, s, cx, cy, vector, dpr, draft)
        if f is None:
            painter.fillRect(QRectF(0, 0, w, h), self._colors()[0])
            self.painter.stats = type(self.painter.stats)()
            return
        self.painter.paint(painter, f)
