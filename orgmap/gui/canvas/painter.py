"""Drawing one frame of the map: :class:`MapPainter` paints a :class:`Frame`.

A ``Frame`` is every value one frame needs, computed once by the widget (the scene, the
view, the screen positions and radii of the nodes, what is lit, which group level is
drawn, colours, the options): the drawing passes take it, never the widget's fields.
How it stays fast at 100k people:

- nodes and edges are culled to the view with vectorised masks over positions and
  precomputed edge boxes;
- all nodes are pre-rendered anti-aliased sprites drawn in ONE ``drawPixmapFragments``
  call whose fragment array is a numpy buffer (~0.3 us a node); vector shapes only for
  nodes wider than the sprites and for SVG;
- each edge kind is one ``drawLines`` call on a ``QPolygonF`` filled from numpy, in
  opaque pre-blended colours (Qt blends translucent lines ~5x slower), at most
  ``edge_budget`` of them (the shortest);
- when people would be under ``CLUSTER_PX`` apart, one disc per team (per department
  when the teams in view are too many or too small), with group-to-group links
  weighted by the edges they stand for;
- team and department outlines (padded hulls, :func:`orgmap.marks.outlines`) with their
  names, silo teams dashed; bridges and key people ringed (:mod:`orgmap.marks`);
- labels only where there is room (greedy overlap culling), the lit set's first.

Colours and sizes come from :mod:`orgmap.palette`, the same as the HTML export.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
)

from orgmap import palette
from orgmap.gui.canvas_scene import Clusters, Scene
from orgmap.overlay import Overlay

__all__ = ["Frame", "FrameStats", "MapPainter", "choose_level", "cluster_radii"]

#: People closer than this on screen (px) are drawn as team clusters instead.
CLUSTER_PX = 3.0
#: ... but only when at least this many people are in view (small orgs never cluster).
CLUSTER_MIN_PEOPLE = 1500
#: Coloured by team, the legend lists at most this many teams (the biggest).
LEGEND_TEAMS = 20
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
#: With more edges than this in view (or nodes in the org), edges with no end in view
#: are left out unless lit.
LONG_EDGE_MIN = 1500
#: Weak group-to-group links longer (L1, on screen) than this share of the view's
#: width + height are left out.
LONG_EDGE_FRACTION = 0.3
#: Group-to-group links kept whatever their length (the strongest); the rest only local.
CLUSTER_LONG_KEEP = 150
#: Outlines of a level are drawn only while they overlap less than this (the summed
#: areas of their boxes over the area of the whole drawing): departments scattered by
#: a force layout would be hulls over the whole map.
OUTLINE_OVERLAP = 2.0
#: Edges are anti-aliased while their total on-screen length (px, L1) stays below this.
AA_EDGE_PIXELS = 60_000
#: How much faded nodes and edges blend into the background (0 = not at all).
FADE = 0.84
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


def _inside(pts: np.ndarray, w: float, h: float) -> np.ndarray:
    """Which screen points ``(n, 2)`` are in the ``w`` x ``h`` view."""
    return (pts[:, 0] >= 0) & (pts[:, 0] <= w) & (pts[:, 1] >= 0) & (pts[:, 1] <= h)


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


@dataclass
class FrameStats:
    """What the last frame drew (tests, the benchmark, the status bar)."""

    drawn_edge_count: int = 0
    drawn_node_count: int = 0
    drawn_label_count: int = 0
    drawn_outline_count: int = 0
    drawn_mark_count: int = 0
    culled_edge_count: int = 0
    cluster_mode: bool = False
    #: What the discs stand for, as said on screen ("" when people are drawn).
    aggregate_note: str = ""


@dataclass(frozen=True)
class Frame:
    """Every value one frame is drawn from (built by ``GraphCanvas.frame``)."""

    scene: Scene
    #: Size (logical px), scale (px per layout unit) and the screen point of world 0, 0.
    w: int
    h: int
    s: float
    ox: float
    oy: float
    #: Screen positions and radii (px) of every node, and which are in view.
    sxy: np.ndarray
    rad: np.ndarray
    visible: np.ndarray
    #: Which nodes are lit (None: nothing selected, nothing fades).
    lit: np.ndarray | None
    #: The groups drawn as discs (None: people one by one).
    level: Clusters | None
    kinds: frozenset[str]
    bg: QColor
    fg: QColor
    font: QFont
    selected: str | None = None
    focus: str | None = None
    overlay: Overlay | None = None
    groups: bool = True
    vector: bool = False
    dpr: float = 1.0
    edge_budget: int = 8_000
    faded_edge_budget: int = 3_000
    #: A quick first frame: nodes and what is lit; no faded lines, outlines or labels.
    draft: bool = False
    #: Label boxes placed so far (shared by every label pass of the frame).
    placed: _Occupancy = field(default_factory=lambda: _Occupancy())

    @property
    def cluster(self) -> bool:
        return self.level is not None

    @property
    def bg_hex(self) -> str:
        return self.bg.name()

    @property
    def arrows(self) -> bool:
        # arrowheads once there is room to see them (who mentors whom, who asks whom)
        return self.scene.spacing * self.s >= LABEL_PX


class MapPainter:
    """Draws :class:`Frame` values; keeps only caches (sprites, label widths)."""

    def __init__(self) -> None:
        self.atlas = _Atlas()
        self.label_widths: dict[int, tuple[str, float]] = {}
        self.stats = FrameStats()

    def reset(self) -> None:
        """A new scene: the caches of the old one are dropped."""
        self.atlas = _Atlas()
        self.label_widths.clear()

    def paint(self, painter: QPainter, f: Frame) -> None:
        """Draw one frame: outlines, group discs or edges and nodes, marks, labels."""
        self.stats = FrameStats(cluster_mode=f.cluster)
        painter.fillRect(QRectF(0, 0, f.w, f.h), f.bg)
        scene, lit, level, visible = f.scene, f.lit, f.level, f.visible
        if not len(scene.nodes):
            return
        edge_pass = self._edges_on_screen(f)
        full = not f.draft
        if f.groups and full:
            self._draw_outlines(painter, f)
        if level is not None:
            if full:
                self._draw_cluster_edges(painter, f)
            self._draw_clusters(painter, f)
            if lit is not None:
                self._draw_edges(painter, f, edge_pass, True)
                self._draw_nodes(painter, f, visible & lit, False)
        elif lit is None:
            if full:
                self._draw_edges(painter, f, edge_pass, None)
            self._draw_nodes(painter, f, visible, False)
        else:
            if full:
                self._draw_edges(painter, f, edge_pass, False)
            self._draw_nodes(painter, f, visible & ~lit, True)
            self._draw_edges(painter, f, edge_pass, True)
            self._draw_nodes(painter, f, visible & lit, False)
        if f.draft:
            self._draw_rings(painter, f)
            return
        self._draw_marks(painter, f, visible if lit is None else visible & lit)
        if f.focus is not None and f.focus not in scene.index:
            self._draw_focus_group(painter, f)
        if f.overlay is not None:
            self._draw_overlay(painter, f)
        self._draw_rings(painter, f)
        if f.groups:
            self._draw_outline_labels(painter, f)
        self._draw_labels(painter, f)
        if level is not None:
            self._draw_aggregate_note(painter, f)

    def _draw_aggregate_note(self, painter: QPainter, f: Frame) -> None:
        """Say on screen that the discs are groups, not people, and how to see people."""
        scene, level, bg, fg = f.scene, f.level, f.bg, f.fg
        n = len(level)
        what = "team" if level.name == "team" else "department"
        color = (
            f", coloured by {what}" if level.name == "department" and scene.mode == "team" else ""
        )
        text = (
            f"Each disc is a {what} ({n:,} {what}s{color}), sized by headcount; zoom in for people"
        )
        self.stats.aggregate_note = text
        font = QFont(f.font)
        font.setPointSizeF(9)
        painter.save()
        painter.setFont(font)
        fm = QFontMetricsF(font)
        rect = QRectF(8, 8, fm.horizontalAdvance(text) + 14, fm.height() + 8)
        box = QColor(bg)
        box.setAlphaF(0.9)
        painter.setPen(QPen(QColor(palette.mix(fg.name(), bg.name(), 0.6)), 1.0))
        painter.setBrush(box)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    # -- edges -----------------------------------------------------------------------
    def _edges_on_screen(
        self, f: Frame
    ) -> list[tuple[str, np.ndarray, np.ndarray | None, np.ndarray]]:
        """Per kind: the visible segments ``(m, 2, 2)``, which are lit, and the radius
        of each target node (where an arrowhead stops)."""
        scene, sxy, rad, w, h, kinds, cluster = f.scene, f.sxy, f.rad, f.w, f.h, f.kinds, f.cluster
        out = []
        s, (ox, oy) = f.s, (f.ox, f.oy)
        x0, x1 = -ox / s, (w - ox) / s
        y0, y1 = -oy / s, (h - oy) / s
        min_len = 0.75 / s
        lit = f.lit
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
            if lit is None and max(len(idx), len(scene.nodes)) > LONG_EDGE_MIN:
                # In a big org seen close up, lines that cross the whole view join
                # people far outside it: a hatching that hides the local picture.
                # Kept: lines with an end in view (one passing through joins two
                # people elsewhere).
                ends = sxy[e[idx, 0]], sxy[e[idx, 1]]
                keep = _inside(ends[0], w, h) | _inside(ends[1], w, h)
                self.stats.culled_edge_count += int(len(idx) - np.count_nonzero(keep))
                idx = idx[keep]
            seg = np.empty((len(idx), 2, 2))
            seg[:, 0] = sxy[e[idx, 0]]
            seg[:, 1] = sxy[e[idx, 1]]
            lit_e = None if lit is None else (lit[e[idx, 0]] & lit[e[idx, 1]])
            out.append((kind, seg, lit_e, rad[e[idx, 1]]))
        return out

    def _edge_color(self, f: Frame, kind: str) -> str:
        if kind == "works_on" and f.scene is not None and not (f.scene.kind == 1).any():
            return palette.EDGE_COLORS["collaboration"]
        return palette.EDGE_COLORS.get(kind, "#888888")

    def _draw_edges(
        self,
        painter: QPainter,
        f: Frame,
        passes: list[tuple[str, np.ndarray, np.ndarray | None, np.ndarray]],
        lit_pass: bool | None,
    ) -> None:
        """``lit_pass`` None: everything normal; False: the faded rest; True: lit only.

        Colours are pre-blended with the background and drawn opaque: Qt's raster engine
        blends translucent lines ~5x slower per pixel than it fills opaque ones, and
        anti-aliasing triples that again, so it is used only while the total length of
        the lines on screen is small (SVG output is always anti-aliased).
        """
        bg_hex, vector = f.bg_hex, f.vector
        chosen = []
        for kind, seg, lit_e, tip in passes:
            if lit_pass is not None and lit_e is not None:
                keep = lit_e if lit_pass else ~lit_e
                seg, tip = seg[keep], tip[keep]
            if len(seg):
                chosen.append((kind, seg, np.abs(seg[:, 1] - seg[:, 0]).sum(axis=1), tip))
        budget = {None: f.edge_budget, False: f.faded_edge_budget}.get(lit_pass)
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
            self.stats.culled_edge_count += total - sum(len(c[1]) for c in chosen)
        length = float(sum(c[2].sum() for c in chosen))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, vector or length <= AA_EDGE_PIXELS)
        for kind, seg, _, tip in chosen:
            if not len(seg):
                continue
            color = self._edge_color(f, kind)
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
            self.stats.drawn_edge_count += len(seg)
            directed = kind in ARROW_KINDS or (lit_pass and kind != "works_on")
            if f.arrows and directed and lit_pass is not False and len(seg) <= MAX_ARROWS:
                pen.setStyle(Qt.PenStyle.SolidLine)
                painter.setPen(pen)
                painter.drawLines(_polygon(_arrowheads(seg, tip, 4.0 + width * 2)))
        painter.restore()

    def _draw_cluster_edges(self, painter: QPainter, f: Frame) -> None:
        """Group-to-group links, weighted by how many person-to-person edges they carry."""
        scene, level, s, ox, oy, w, h, kinds, bg_hex, fg = (
            f.scene,
            f.level,
            f.s,
            f.ox,
            f.oy,
            f.w,
            f.h,
            f.kinds,
            f.bg_hex,
            f.fg,
        )
        faded = f.lit is not None
        assert level is not None
        ce = scene.cluster_edges(level, frozenset(kinds))
        if not len(ce):
            return
        pts = level.xy * s + (ox, oy)
        a, b = pts[ce[:, 0]], pts[ce[:, 1]]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        on = np.flatnonzero((hi[:, 0] >= 0) & (lo[:, 0] <= w) & (hi[:, 1] >= 0) & (lo[:, 1] <= h))
        if len(on) > CLUSTER_LONG_KEEP:
            # Rows are strongest first: the strongest links stay whatever their length,
            # weaker ones only when they stay local (long weak lines are a hatching).
            span = np.abs(b[on] - a[on]).sum(axis=1)
            local = span <= LONG_EDGE_FRACTION * (w + h)
            local &= _inside(a[on], w, h) | _inside(b[on], w, h)
            local[:CLUSTER_LONG_KEEP] = True
            on = on[local]
        on = on[:MAX_CLUSTER_EDGES]
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
            self.stats.drawn_edge_count += len(seg)
        painter.restore()

    # -- nodes -----------------------------------------------------------------------
    def _draw_nodes(self, painter: QPainter, f: Frame, mask: np.ndarray, faded: bool) -> None:
        scene, sxy, rad, bg_hex, vector = f.scene, f.sxy, f.rad, f.bg_hex, f.vector
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        # Non-person nodes on top of people; larger under smaller within each.
        order = np.lexsort((-rad[idx], scene.kind[idx]))
        idx = idx[order]
        table = scene.faded_colors(bg_hex, FADE) if faded else scene.colors
        self.stats.drawn_node_count += len(idx)
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
        self.atlas.ensure(specs, f.dpr)
        slots = np.array([self.atlas.slots[sp] for sp in specs], dtype=np.float64).reshape(-1, 3)
        frag = np.empty((len(idx), 10), dtype=np.float64)
        frag[:, 0:2] = sxy[idx]
        frag[:, 2:4] = slots[inverse, 0:2]
        frag[:, 4] = slots[inverse, 2]
        frag[:, 5] = slots[inverse, 2]
        frag[:, 6:8] = 1.0 / f.dpr  # atlas pixels -> logical pixels
        frag[:, 8] = 0.0
        frag[:, 9] = 1.0
        ptr = shiboken6.wrapInstance(frag.ctypes.data, QPainter.PixmapFragment)
        painter.drawPixmapFragments(ptr, len(frag), self.atlas.pixmap)

    def _draw_clusters(self, painter: QPainter, f: Frame) -> None:
        level, s, ox, oy, w, h, bg_hex, fg = f.level, f.s, f.ox, f.oy, f.w, f.h, f.bg_hex, f.fg
        faded = f.lit is not None
        assert level is not None
        scene = f.scene
        assert scene is not None
        pts = level.xy * s + (ox, oy)
        r = cluster_radii(level, s)
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
        self.stats.drawn_node_count += len(order)

    def _draw_rings(self, painter: QPainter, f: Frame) -> None:
        scene, sxy, rad, fg = f.scene, f.sxy, f.rad, f.fg
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for node, width in ((f.selected, 2.5),):
            if node is None or node not in scene.index:
                continue
            i = scene.index[node]
            painter.setPen(QPen(fg, width))
            r = max(float(rad[i]), 3.0) + 3.0
            painter.drawEllipse(QPointF(sxy[i, 0], sxy[i, 1]), r, r)
        painter.restore()

    def _draw_overlay(self, painter: QPainter, f: Frame) -> None:
        scene, sxy, rad, s, ox, oy, fg = f.scene, f.sxy, f.rad, f.s, f.ox, f.oy, f.fg
        overlay = f.overlay
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

    # -- groups ----------------------------------------------------------------------

    def _draw_outlines(self, painter: QPainter, f: Frame) -> None:
        """Department and team outlines: a pale fill in the group's colour, a rim, and a
        dashed rim in the silo colour for silo teams. Opaque pre-blended fills, drawn
        departments first, so overlapping fills never compound."""
        scene, level, s, ox, oy, w, h, bg_hex, fg = (
            f.scene,
            f.level,
            f.s,
            f.ox,
            f.oy,
            f.w,
            f.h,
            f.bg_hex,
            f.fg,
        )
        faded = f.lit is not None
        painter.save()
        silo_pen = QPen(QColor(palette.MARK_COLORS["silo"]), 2.0, Qt.PenStyle.DashLine)
        silo_pen.setCosmetic(True)
        mixed: dict[tuple[str, float], QColor] = {}

        def mix(color: str, t: float) -> QColor:
            if (color, t) not in mixed:
                mixed[color, t] = QColor(palette.mix(color, bg_hex, t))
            return mixed[color, t]

        for lv in outline_levels(scene, level):
            outl = scene.outlines(lv)
            is_team = lv.name == "team"
            shown = visible_outlines(scene, lv, s, ox, oy, w, h).tolist()
            polys = [_polygon(outl.polygon(g) * s + (ox, oy)) for g in shown]
            box = outl.box[shown] * s
            area = float(((box[:, 2] - box[:, 0]) * (box[:, 3] - box[:, 1])).sum())
            # Filling costs per pixel: where teams overlap a lot (a force layout of a
            # small org) the rims alone tell them apart, at a fraction of the time.
            if is_team and area <= 2.0 * w * h:
                # Fills without anti-aliasing (their rims smooth the edge): a big
                # anti-aliased fill costs several times a plain one.
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                painter.setPen(Qt.PenStyle.NoPen)
                for g, poly in zip(shown, polys, strict=True):
                    base = scene.colors[int(lv.color_idx[g])]
                    painter.setBrush(mix(base, 0.95 if faded else 0.88))
                    painter.drawPolygon(poly)
            # Rims; departments are rims only (their teams fill them). Anti-aliased
            # rims cost ~1 ms per 10 big hulls: smooth only while they are few.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(shown) <= 60)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for g, poly in zip(shown, polys, strict=True):
                if is_team and scene.silo[g]:
                    painter.setPen(silo_pen)
                else:
                    base = scene.colors[int(lv.color_idx[g])] if is_team else fg.name()
                    t = 0.8 if faded else (0.45 if is_team else 0.65)
                    pen = QPen(mix(base, t), 1.2 if is_team else 1.6)
                    pen.setCosmetic(True)
                    painter.setPen(pen)
                painter.drawPolygon(poly)
            self.stats.drawn_outline_count += len(shown)
        painter.restore()

    def _draw_outline_labels(self, painter: QPainter, f: Frame) -> None:
        """Each outlined group's name on its top edge (departments bold and first), a
        silo team's with "silo" after it; labels that would overlap are left out."""
        scene, level, s, ox, oy, w, h, bg, fg = (
            f.scene,
            f.level,
            f.s,
            f.ox,
            f.oy,
            f.w,
            f.h,
            f.bg,
            f.fg,
        )
        painter.save()
        font = QFont(f.font)
        box_bg = QColor(bg)
        box_bg.setAlphaF(0.85)
        silo_color = QColor(palette.MARK_COLORS["silo"])
        count = 0
        for lv in outline_levels(scene, level):
            is_team = lv.name == "team"
            font.setPointSizeF(8.5 if is_team else 10.0)
            font.setBold(not is_team)
            painter.setFont(font)
            fm = QFontMetricsF(font)
            top = scene.outlines(lv).top * s + (ox, oy)
            for g in visible_outlines(scene, lv, s, ox, oy, w, h).tolist():
                name = lv.names[g] or f"(no {lv.name})"
                if len(name) > 30:
                    name = name[:29] + "…"
                silo = is_team and bool(scene.silo[g])
                text = f"{name} · silo" if silo else name
                tw, th = fm.horizontalAdvance(text) + 8, fm.height() + 2
                x = min(max(2.0, float(top[g, 0]) - tw / 2), w - tw - 2)
                y = min(max(2.0, float(top[g, 1]) - th / 2), h - th - 2)
                rect = QRectF(round(x), round(y), round(tw), th)
                if not f.placed.free(rect):
                    continue
                f.placed.add(rect)
                painter.fillRect(rect, box_bg)
                painter.setPen(silo_color if silo else fg)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                count += 1
        painter.restore()
        self.stats.drawn_label_count += count

    def _draw_marks(self, painter: QPainter, f: Frame, visible: np.ndarray) -> None:
        """A ring around each bridge and key person in view (people drawn one by one)."""
        scene, sxy, rad, cluster = f.scene, f.sxy, f.rad, f.cluster
        if not len(scene.marked) or (cluster and f.lit is None):
            return
        on = np.flatnonzero(visible[scene.marked])[:3000]
        if not len(on):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pens = {k: QPen(QColor(palette.MARK_COLORS[k]), 2.2) for k in ("bridge", "key_person")}
        for j in on.tolist():
            i = int(scene.marked[j])
            painter.setPen(pens[scene.marked_kind[j]])
            r = max(float(rad[i]), 2.5) + 2.5
            painter.drawEllipse(QPointF(sxy[i, 0], sxy[i, 1]), r, r)
        painter.restore()
        self.stats.drawn_mark_count += len(on)

    def _draw_focus_group(self, painter: QPainter, f: Frame) -> None:
        """A lit project that is not a node on the map: drawn as one, at its members'
        centre, with a spoke to each member and its name."""
        scene, sxy, rad, fg, bg = f.scene, f.sxy, f.rad, f.fg, f.bg
        focus = f.focus
        assert focus is not None and f.lit is not None
        org = scene.org
        if focus not in org.graph or org.graph.nodes[focus].get("kind") != "project":
            return
        members = np.flatnonzero(f.lit & scene.is_person)
        if not len(members):
            return
        cx, cy = sxy[members].mean(axis=0)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        spoke = QPen(QColor(palette.EDGE_COLORS["works_on"]), 1.6)
        painter.setPen(spoke)
        seg = np.empty((len(members), 2, 2))
        seg[:, 0] = (cx, cy)
        seg[:, 1] = sxy[members]
        painter.drawLines(_polygon(seg.reshape(-1, 2)))
        r = float(np.clip(np.median(rad[members]) * 1.4, 7.0, 30.0))
        painter.setPen(QPen(bg, 1.5))
        painter.setBrush(QColor(palette.KIND_COLORS["project"]))
        _shape_path(painter, 1, float(cx), float(cy), r)
        font = QFont(f.font)
        font.setPointSizeF(9.5)
        font.setBold(True)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        text = org.label(focus)
        tw, th = fm.horizontalAdvance(text) + 8, fm.height() + 2
        rect = QRectF(cx - tw / 2, cy + r + 3, tw, th)
        box = QColor(bg)
        box.setAlphaF(0.85)
        painter.fillRect(rect, box)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        f.placed.add(rect)
        painter.restore()
        self.stats.drawn_node_count += 1

    # -- labels ----------------------------------------------------------------------
    def _draw_labels(self, painter: QPainter, f: Frame) -> None:
        scene, sxy, rad, visible, s, cluster, bg, fg = (
            f.scene,
            f.sxy,
            f.rad,
            f.visible,
            f.s,
            f.cluster,
            f.bg,
            f.fg,
        )
        lit = f.lit
        roomy = scene.spacing * s >= LABEL_PX
        cand_parts = []
        if cluster:
            self._draw_cluster_labels(painter, f)
            if lit is not None and int(lit.sum()) <= 60:
                cand_parts.append(np.flatnonzero(visible & lit))
        elif roomy:
            cand_parts.append(np.flatnonzero(visible))
        else:
            # Not roomy: label the lit few, and big non-person nodes.
            if lit is not None and int(lit.sum()) <= 80:
                cand_parts.append(np.flatnonzero(visible & lit))
            cand_parts.append(np.flatnonzero(visible & ~scene.is_person & (rad >= 6)))
            if lit is None and (scene.spacing * s >= LANDMARK_PX or not f.groups):
                # Landmarks: the most connected people in view, so a fitted org chart
                # still says whose tree is whose (at any zoom when there are no discs).
                people = np.flatnonzero(visible & scene.is_person)
                top = people[np.argsort(-scene.degree[people], kind="stable")[:LANDMARKS]]
                cand_parts.append(top)
        if f.selected in scene.index:
            cand_parts.insert(0, np.array([scene.index[f.selected]]))
        if not cand_parts:
            return
        cand = np.concatenate(cand_parts)
        teams = scene.levels[0]
        if f.groups and not cluster and scene.outline_overlap(teams) <= OUTLINE_OVERLAP:
            # the team outlines carry the team names: no second label on team nodes
            cand = cand[scene.kind[cand] != 2]
        if not len(cand):
            return
        # Priority: the selection, lit, non-person, big, then near the centre.
        prio = rad[cand] + np.minimum(scene.degree[cand], 999) / 1000
        prio += (scene.kind[cand] > 0) * 1e3
        if lit is not None:
            prio += lit[cand] * 1e4
        if f.selected in scene.index:
            prio[cand == scene.index[f.selected]] = 1e9
        cand = cand[np.argsort(-prio, kind="stable")]
        _, first = np.unique(cand, return_index=True)
        cand = cand[np.sort(first)]
        cand = cand[:3000]
        font = QFont(f.font)
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
        placed = f.placed
        org = scene.org
        count = 0
        th = fm.height() + 2
        ascent = fm.ascent()
        widths = self.label_widths
        frame_w = (f.w, f.h)[0]
        dim_fg = QColor(palette.mix(fg.name(), bg.name(), 0.55))
        dimmed = False
        for i in cand.tolist():
            node = scene.nodes[i]
            is_sel = node == f.selected
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
        self.stats.drawn_label_count += count

    def _draw_cluster_labels(self, painter: QPainter, f: Frame) -> None:
        """Team names on the biggest discs that have room."""
        level, s, bg, fg = f.level, f.s, f.bg, f.fg
        assert level is not None
        w, h = (f.w, f.h)
        pts = level.xy * s + (f.ox, f.oy)
        r = cluster_radii(level, s)
        order = np.argsort(-level.count, kind="stable")
        font = QFont(f.font)
        font.setPointSizeF(9)
        font.setBold(True)
        fm = QFontMetricsF(font)
        box_bg = QColor(bg)
        box_bg.setAlphaF(0.7)
        placed = f.placed
        painter.save()
        painter.setFont(font)
        count = 0
        every = level.name == "department"  # few: each is named, small ones too
        for c in order.tolist():
            if r[c] < 9 and not every:
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
            if r[c] < 9:
                rect.moveTop(y + r[c] + 2)  # under a small disc, not over it
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
        self.stats.drawn_label_count += count


def choose_level(
    scene: Scene,
    s: float,
    w: int,
    h: int,
    n_people: int,
    ox: float,
    oy: float,
    groups: bool = True,
) -> Clusters | None:
    """Team discs when people would be under ``CLUSTER_PX`` apart, department discs
    when even the team discs would be specks or too many *in view* (zooming into a
    department of a 30k org shows its teams, not one department disc)."""
    if not groups or n_people < CLUSTER_MIN_PEOPLE or scene.spacing * s >= CLUSTER_PX:
        # the org chart keeps its tree at every zoom: people are dots, not discs
        return None
    teams, departments = scene.levels
    if len(teams) < 2:
        return None
    r = teams.radius * s
    pts = teams.xy * s + (ox, oy)
    in_view = int(
        np.count_nonzero((pts[:, 0] >= 0) & (pts[:, 0] <= w) & (pts[:, 1] >= 0) & (pts[:, 1] <= h))
    )
    if len(departments) >= 2 and (in_view > MAX_CLUSTERS or float(np.median(r)) < 1.0):
        return departments
    return teams


def cluster_radii(level: Clusters, s: float) -> np.ndarray:
    """Disc radii in px: true to area when zoomed in enough, else by headcount on a
    screen scale (a department of 30k people should not be a 40 px speck)."""
    r = level.radius * s
    if level.name == "department" and len(level):
        share = np.sqrt(level.count / max(1, int(level.count.max())))
        return np.maximum(r, 5.0 + 40.0 * share)
    return np.maximum(r, 2.5)


def outline_levels(scene: Scene, level: Clusters | None) -> list[Clusters]:
    """Which outlines a frame draws: departments and teams when people are drawn,
    departments around team discs, none around department discs."""
    teams, departments = scene.levels
    if level is not None and level.name == "department":
        return []
    out = [departments] if len(departments) >= 2 else []
    if level is None and len(teams) >= 1:
        out.append(teams)
    return [lv for lv in out if scene.outline_overlap(lv) <= OUTLINE_OVERLAP]


def visible_outlines(
    scene: Scene, level: Clusters, s: float, ox: float, oy: float, w: int, h: int
) -> np.ndarray:
    box = scene.outlines(level).box * s
    box[:, [0, 2]] += ox
    box[:, [1, 3]] += oy
    min_px = 24.0 if level.name == "team" else 48.0
    on = (box[:, 2] >= 0) & (box[:, 0] <= w) & (box[:, 3] >= 0) & (box[:, 1] <= h)
    on &= (box[:, 2] - box[:, 0]) >= min_px
    on &= level.count > 0
    idx = np.flatnonzero(on)
    # Big first, so a team's fill never hides a smaller one drawn later.
    return idx[np.argsort(-(box[idx, 2] - box[idx, 0]), kind="stable")][:1500]
