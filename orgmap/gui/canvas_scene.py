"""What the canvas draws, as numpy arrays: nodes, edges, colours, sizes, team clusters.

The widget in :mod:`orgmap.gui.canvas` only paints; everything that depends on the org
and not on the zoom lives here so it is computed once per ``set_graph`` / ``set_color_by``
and never per frame. Nothing here imports Qt.

Coordinates are layout units (``orgmap.layout.compute_layout``: nodes ~30 apart).
Radii are in the same units, so nodes grow as the user zooms in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from orgmap import palette, present
from orgmap.cells import finite
from orgmap.marks import MapMarks, Outlines, outlines
from orgmap.model import Org
from orgmap.views import people_index

__all__ = ["Scene", "Clusters", "KIND_CODES", "PERSON_DIAMETER"]

KIND_CODES = {"person": 0, "project": 1, "team": 2, "department": 3}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
#: Default diameters in layout units (people ~30 apart, so a 14-wide disc leaves air).
PERSON_DIAMETER = 18.0
OTHER_DIAMETER = {1: 18.0, 2: 24.0, 3: 28.0}
#: Colours of project, team and department nodes when colouring people by something
#: other than kind.
NEUTRAL_COLORS = {
    "project": "#7A828A",
    "team": "#4F565C",
    "department": "#33393E",
    "cluster": "#8C9BAB",
}
#: A project with more members than this draws a star from its lead(s) instead of a
#: clique when project nodes are hidden: 200 members would otherwise be 19,900 lines.
CLIQUE_LIMIT = 8
#: Edge kinds the canvas knows, in drawing order (structure first, ties on top).
DRAWN_KINDS = ("member_of", "part_of", "works_on", "dotted_line", "reports_to", "mentors", "tie")
#: Person metrics shown in tooltips when present, in this order.
TOOLTIP_METRICS = (
    "role",
    "influence",
    "influence_percentile",
    "brokerage",
    "reach_2",
    "teams_reached",
    "direct_reports",
    "org_size",
)


class Clusters:
    """People grouped by one attribute (team or department): one disc per group."""

    #: Metric colours are 64 steps plus one for "missing" (see ``Scene.set_color_by``).
    STEPS = 64

    def __init__(self, name: str, values: list[Any], is_person: np.ndarray, xy: np.ndarray) -> None:
        self.name = name
        labels = [str(v or "") if p else None for v, p in zip(values, is_person, strict=True)]
        self.names: list[str] = sorted({v for v in labels if v is not None})
        ids = {t: i for i, t in enumerate(self.names)}
        self.of = np.array([ids[v] if v is not None else -1 for v in labels], dtype=np.int64)
        nc = len(self.names)
        members = self.of >= 0
        counts = np.bincount(self.of[members], minlength=nc).astype(np.float64)
        safe = np.maximum(counts, 1)
        sx = np.bincount(self.of[members], weights=xy[members, 0], minlength=nc)
        sy = np.bincount(self.of[members], weights=xy[members, 1], minlength=nc)
        self.count = counts.astype(np.int64)
        self.xy = np.column_stack([sx / safe, sy / safe]) if nc else np.zeros((0, 2))
        # A disc whose area is about the area its members' discs would cover.
        self.radius = PERSON_DIAMETER * 0.75 * np.sqrt(safe)
        self.color_idx = np.zeros(nc, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.names)

    def recentre(self, xy: np.ndarray) -> None:
        """Group centres again from (moved) positions."""
        nc = len(self.names)
        members = self.of >= 0
        safe = np.maximum(self.count, 1)
        sx = np.bincount(self.of[members], weights=xy[members, 0], minlength=nc)
        sy = np.bincount(self.of[members], weights=xy[members, 1], minlength=nc)
        self.xy = np.column_stack([sx / safe, sy / safe]) if nc else np.zeros((0, 2))

    def colors_categorical(self, idx: np.ndarray, width: int) -> None:
        """Each group takes the colour most of its people have."""
        members = self.of >= 0
        if not len(self.names) or not members.any():
            return
        code = self.of[members] * width + idx[members]
        uniq, counts = np.unique(code, return_counts=True)
        group, color = uniq // width, uniq % width
        order = np.lexsort((-counts, group))
        first = np.ones(len(order), dtype=bool)
        first[1:] = group[order][1:] != group[order][:-1]
        self.color_idx[group[order][first]] = color[order][first]

    def colors_metric(self, vals: np.ndarray, lo: float, hi: float) -> None:
        """Each group takes the colour of its people's mean value."""
        nc = len(self.names)
        ok = (self.of >= 0) & np.isfinite(vals)
        s = np.bincount(self.of[ok], weights=vals[ok], minlength=nc)
        c = np.bincount(self.of[ok], minlength=nc)
        out = np.full(nc, self.STEPS, dtype=np.int32)  # the "missing" colour
        has = c > 0
        mean = s[has] / c[has]
        t = np.zeros_like(mean) if hi <= lo else (mean - lo) / (hi - lo)
        out[has] = np.clip(np.round(t * (self.STEPS - 1)), 0, self.STEPS - 1).astype(np.int32)
        self.color_idx = out


class Scene:
    """Arrays for one org and one set of positions."""

    def __init__(
        self, org: Org, positions: dict[str, tuple[float, float]], metrics: dict | None = None
    ) -> None:
        graph = org.graph
        self.org = org
        self.metrics = metrics or {}
        self.nodes: list[str] = [n for n in positions if n in graph]
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.nodes)}
        n = len(self.nodes)
        self.xy = np.array([positions[node] for node in self.nodes], dtype=np.float64).reshape(n, 2)
        self.xy[~np.isfinite(self.xy)] = 0.0
        attrs = [graph.nodes[node] for node in self.nodes]
        self.kind = np.array([KIND_CODES.get(a.get("kind"), 0) for a in attrs], dtype=np.int8)
        self.is_person = self.kind == 0

        # Level of detail: people grouped by team, and by department for the farthest
        # zoom (100k people are ~10k teams, still too many discs).
        self.levels = [
            Clusters("team", [a.get("team") for a in attrs], self.is_person, self.xy),
            Clusters("department", [a.get("department") for a in attrs], self.is_person, self.xy),
        ]
        self.edges: dict[str, np.ndarray] = self._edges(org)
        # World bounding box of every edge (x0, y0, x1, y1), for culling without
        # touching the endpoints of edges out of view.
        self.edge_box: dict[str, np.ndarray] = {}
        for kind, e in self.edges.items():
            a, b = self.xy[e[:, 0]], self.xy[e[:, 1]]
            self.edge_box[kind] = np.hstack([np.minimum(a, b), np.maximum(a, b)])
        # Label priority among equals: the most connected first.
        self.degree = np.zeros(n, dtype=np.int64)
        for e in self.edges.values():
            self.degree += np.bincount(e.ravel(), minlength=n)
        self.spacing = self._spacing()
        # Hit-testing index: node indices sorted by x, for searchsorted range queries.
        self.xorder = np.argsort(self.xy[:, 0], kind="stable") if n else np.zeros(0, np.int64)
        self.xsorted = self.xy[self.xorder, 0] if n else np.zeros(0)
        self._cluster_edges: dict[tuple[str, frozenset[str]], np.ndarray] = {}
        self._outlines: dict[str, Outlines] = {}
        #: The layout's positions, kept once a node is moved (for reset).
        self._xy0: np.ndarray | None = None
        #: Bridges and key people (node index -> mark kind), silo flag per team group.
        self.marked = np.zeros(0, dtype=np.int64)
        self.marked_kind: list[str] = []
        self.silo = np.zeros(len(self.levels[0]), dtype=bool)
        self.marks = MapMarks()

        self.color_idx = np.zeros(n, dtype=np.int32)
        self.colors: list[str] = [palette.KIND_COLORS["person"]]
        self.legend: list[tuple[str, str]] = []
        self.diameter = np.full(n, PERSON_DIAMETER, dtype=np.float64)
        self.mode = "team"
        self._faded: list[str] = []
        self._faded_key: tuple | None = None
        self.size_by: str | None = None
        #: What the colours and sizes were computed from: (mode or metric, id(metrics)).
        self.color_key: tuple[str | None, int] | None = None
        self.size_key: tuple[str | None, int] | None = None

    # -- edges -------------------------------------------------------------------------
    def _edges(self, org: Org) -> dict[str, np.ndarray]:
        """Edge index pairs per kind, from ``views.people_index`` (cached on the org and
        shared with the metrics and ``k_step_reach``, so usually already built)."""
        people = people_index(org)
        index = self.index
        graph = org.graph
        pmap = np.fromiter((index.get(n, -1) for n in people.nodes), np.int64, count=people.n)
        out: dict[str, np.ndarray] = {}

        def add(kind: str, a: np.ndarray, b: np.ndarray) -> None:
            keep = (a >= 0) & (b >= 0) & (a != b)
            if keep.any():
                out[kind] = np.column_stack([a[keep], b[keep]])

        add("reports_to", pmap[people.reports[0]], pmap[people.reports[1]])
        add("dotted_line", pmap[people.dotted[0]], pmap[people.dotted[1]])
        add("mentors", pmap[people.mentors[0]], pmap[people.mentors[1]])
        add("tie", pmap[people.ties[0]], pmap[people.ties[1]])
        member = pmap[people.member_person]
        if (self.kind == 1).any():
            projmap = np.array([index.get(p, -1) for p in people.project_nodes], dtype=np.int64)
            add("works_on", member, projmap[people.member_project])
        else:
            add("works_on", *self._collaboration(member, people.member_project, people.member_lead))
        # Membership edges only exist towards team / department nodes, which are few.
        member_of: list[tuple[int, int]] = []
        part_of: list[tuple[int, int]] = []
        for i in np.flatnonzero(self.kind == 2).tolist():
            team = self.nodes[i]
            for u, _, key in graph.in_edges(team, keys=True):
                if key == "member_of" and u in index:
                    member_of.append((index[u], i))
            for _, v, key in graph.out_edges(team, keys=True):
                if key == "part_of" and v in index:
                    part_of.append((i, index[v]))
        for kind, pairs in (("member_of", member_of), ("part_of", part_of)):
            if pairs:
                out[kind] = np.array(pairs, dtype=np.int64)
        return {k: out[k] for k in DRAWN_KINDS if k in out}

    @staticmethod
    def _collaboration(
        member: np.ndarray, project: np.ndarray, lead: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Person pairs sharing a project: every pair in a small project, each member to
        the lead(s) in a big one (a clique of 200 would be 19,900 lines)."""
        keep = member >= 0
        member, project, lead = member[keep], project[keep], lead[keep]
        order = np.argsort(project, kind="stable")
        member, project, lead = member[order], project[order], lead[order]
        starts = np.flatnonzero(np.r_[True, project[1:] != project[:-1]])
        ends = np.r_[starts[1:], len(project)]
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            people = np.unique(member[a:b])
            if len(people) < 2:
                continue
            if len(people) <= CLIQUE_LIMIT:
                hubs = people
            else:
                hubs = np.unique(member[a:b][lead[a:b]])
                if not len(hubs):
                    hubs = people[:1]
            h, m = np.meshgrid(hubs, people, indexing="ij")
            src.append(h.ravel())
            dst.append(m.ravel())
        if not src:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        u, v = np.concatenate(src), np.concatenate(dst)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        keep = lo != hi
        n = int(hi.max()) + 1
        code = np.unique(lo[keep] * n + hi[keep])
        return code // n, code % n

    def edge_kinds(self) -> list[str]:
        return [k for k in DRAWN_KINDS if k in self.edges]

    def cluster_edges(self, level: Clusters, kinds: frozenset[str]) -> np.ndarray:
        """``(m, 3)`` rows ``cluster_a, cluster_b, count`` of edges across clusters."""
        key = (level.name, kinds)
        if key not in self._cluster_edges:
            parts = [self.edges[k] for k in kinds if k in self.edges]
            nc = len(level.names)
            if not parts or nc < 2:
                out = np.zeros((0, 3), dtype=np.int64)
            else:
                e = np.concatenate(parts)
                a, b = level.of[e[:, 0]], level.of[e[:, 1]]
                keep = (a >= 0) & (b >= 0) & (a != b)
                lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
                code, cnt = np.unique(lo.astype(np.int64) * nc + hi, return_counts=True)
                out = np.column_stack([code // nc, code % nc, cnt])
                # Strongest first, so a frame over budget drops the weakest links.
                out = out[np.argsort(-out[:, 2], kind="stable")]
            self._cluster_edges[key] = out
        return self._cluster_edges[key]

    def outlines(self, level: Clusters) -> Outlines:
        """Padded hulls around each group's people (cached): teams clear their nodes by
        a person's width, departments clear their teams' outlines."""
        if level.name not in self._outlines:
            pad = PERSON_DIAMETER * (1.0 if level.name == "team" else 2.2)
            xy = self.xy[self.is_person]
            self._outlines[level.name] = outlines(xy, level.of[self.is_person], len(level), pad)
        return self._outlines[level.name]

    # -- moving nodes ------------------------------------------------------------------
    def move(self, i: int, x: float, y: float) -> None:
        """Put node ``i`` at ``(x, y)``: its edges' boxes follow at once; groups and
        the hit-test index follow in :meth:`moved_done` (once, when the drag ends)."""
        if self._xy0 is None:
            self._xy0 = self.xy.copy()
        self.xy[i] = (x, y)
        for kind, e in self.edges.items():
            touch = np.flatnonzero((e[:, 0] == i) | (e[:, 1] == i))
            if len(touch):
                a, b = self.xy[e[touch, 0]], self.xy[e[touch, 1]]
                self.edge_box[kind][touch] = np.hstack([np.minimum(a, b), np.maximum(a, b)])

    def moved_done(self) -> None:
        """After moves: group centres, outlines and the hit-test index recomputed."""
        for level in self.levels:
            level.recentre(self.xy)
        self._outlines.clear()
        self.xorder = np.argsort(self.xy[:, 0], kind="stable")
        self.xsorted = self.xy[self.xorder, 0]

    def reset_moves(self) -> None:
        """Every node back at its layout position."""
        if self._xy0 is None:
            return
        self.xy[:] = self._xy0
        for kind, e in self.edges.items():
            a, b = self.xy[e[:, 0]], self.xy[e[:, 1]]
            self.edge_box[kind] = np.hstack([np.minimum(a, b), np.maximum(a, b)])
        self.moved_done()

    def outline_overlap(self, level: Clusters) -> float:
        """How much a level's outlines overlap: their boxes' summed area over the area
        of the box around them all (about 1 when packed side by side, as the Teams
        layout does; many times that when a force layout scatters a department)."""
        box = self.outlines(level).box
        used = box[level.count > 0]
        if len(used) < 2:
            return 1.0
        areas = (used[:, 2] - used[:, 0]) * (used[:, 3] - used[:, 1])
        whole = (used[:, 2].max() - used[:, 0].min()) * (used[:, 3].max() - used[:, 1].min())
        return float(areas.sum() / max(whole, 1e-9))

    def set_marks(self, marks: MapMarks) -> None:
        """The bridges, key people and silo teams (:func:`orgmap.marks.map_marks`)."""
        self.marks = marks
        pairs = [(self.index[n], k) for n, k in marks.people.items() if n in self.index]
        pairs.sort()
        self.marked = np.array([i for i, _ in pairs], dtype=np.int64)
        self.marked_kind = [k for _, k in pairs]
        graph = self.org.graph
        names = {str(graph.nodes[t].get("name") or "") for t in marks.silos if t in graph}
        teams = self.levels[0]
        self.silo = np.array([n in names for n in teams.names], dtype=bool)

    def _spacing(self) -> float:
        """Typical distance between a person and their nearest neighbour."""
        pts = self.xy[self.is_person] if self.is_person.any() else self.xy
        if len(pts) < 2:
            return 30.0
        from scipy.spatial import cKDTree

        tree = cKDTree(pts)
        sample = pts[:: max(1, len(pts) // 2000)]
        dist, _ = tree.query(sample, k=2)
        d = float(np.median(dist[:, 1]))
        return d if d > 1e-9 else 30.0

    # -- colour ------------------------------------------------------------------------
    def person_metric(self, name: str) -> list[Any]:
        people = self.metrics.get("people") or {}
        return [
            (people.get(node) or {}).get(name) if p else None
            for node, p in zip(self.nodes, self.is_person, strict=True)
        ]

    def metric_names(self) -> list[str]:
        """Person metric names present in the metrics, in first-seen order."""
        names: dict[str, None] = {}
        for values in (self.metrics.get("people") or {}).values():
            for key in values:
                names.setdefault(key, None)
            if len(names) > 0:
                break
        return list(names)

    def set_color_by(self, mode: str) -> None:
        graph = self.org.graph
        attrs = [graph.nodes[node] for node in self.nodes]
        n = len(self.nodes)
        kind_color = palette.KIND_COLORS
        if mode in ("team", "department", "kind"):
            if mode == "kind":
                values = [KIND_NAMES[int(k)] for k in self.kind]
                colors = {k: kind_color[k] for k in sorted(set(values), key=list(KIND_CODES).index)}
                labels = {k: k.capitalize() for k in colors}
            else:
                values = [
                    (str(a.get(mode) or "") if p else None)
                    for a, p in zip(attrs, self.is_person, strict=True)
                ]
                if mode == "team":
                    # A team node takes its own team's colour, so it sits with its people.
                    for i, a in enumerate(attrs):
                        if self.kind[i] == 2:
                            values[i] = str(a.get("name") or "")
                colors = palette.category_colors(v for v in values if v is not None)
                labels = {v: (v or f"(no {mode})") for v in colors}
            table = list(colors.values())
            pos = {v: i for i, v in enumerate(colors)}
            legend = [(labels[v], colors[v]) for v in colors]
            idx = np.zeros(n, dtype=np.int32)
            for i, v in enumerate(values):
                idx[i] = pos[v] if v is not None else -1
            self._color_others(idx, table, legend)
            self._cluster_colors_categorical(idx)
            if mode == "team":
                # A department disc holds many teams: no one team colour speaks for it,
                # so departments take their own colours (the canvas says so on screen).
                depts = self.levels[1]
                dept_colors = palette.category_colors(depts.names)
                base = len(self.colors)
                self.colors.extend(dept_colors[name] for name in depts.names)
                depts.color_idx[:] = np.arange(base, base + len(depts.names), dtype=np.int32)
        else:
            raw = self.person_metric(mode)
            nums = [finite(v) for v in raw]
            known = [x for x in nums if x is not None]
            # Lists and dicts (brokerage roles, key-person risk) have no colour scale.
            texts = [v for v in raw if isinstance(v, str) and v]
            if not known and texts:
                # A text metric (role): categories.
                values = [
                    (v if isinstance(v, str) else "") if p else None
                    for v, p in zip(raw, self.is_person, strict=True)
                ]
                colors = palette.category_colors(v for v in values if v is not None)
                table = list(colors.values())
                pos = {v: i for i, v in enumerate(colors)}
                legend = [(v or "(no value)", c) for v, c in colors.items()]
                idx = np.array([pos[v] if v is not None else -1 for v in values], dtype=np.int32)
                self._color_others(idx, table, legend)
                self._cluster_colors_categorical(idx)
            else:
                lo = min(known) if known else 0.0
                hi = max(known) if known else 1.0
                # 64 colour steps: indistinguishable from continuous, and each step
                # can share one pre-rendered sprite.
                steps = 64
                table = [
                    palette.metric_color(lo + (hi - lo) * s / (steps - 1), lo, hi)
                    for s in range(steps)
                ]
                table.append(palette.MISSING_COLOR)
                missing = steps
                idx = np.full(n, -1, dtype=np.int32)
                vals = np.full(n, np.nan)
                for i, x in enumerate(nums):
                    if not self.is_person[i]:
                        continue
                    if x is None:
                        idx[i] = missing
                    else:
                        vals[i] = x
                        t = 0.0 if hi <= lo else (x - lo) / (hi - lo)
                        idx[i] = int(round(t * (steps - 1)))
                legend = [
                    (
                        present.metric_value(mode, lo + (hi - lo) * t),
                        palette.metric_color(lo + (hi - lo) * t, lo, hi),
                    )
                    for t in (0.0, 0.25, 0.5, 0.75, 1.0)
                ]
                if not known:
                    legend = []
                if any(x is None for x, p in zip(nums, self.is_person, strict=True) if p):
                    legend.append(("(no value)", palette.MISSING_COLOR))
                if hi <= lo and known:
                    legend = [
                        (present.metric_value(mode, lo), palette.metric_color(lo, lo, hi))
                    ] + legend[5:]
                self._color_others(idx, table, legend)
                self._cluster_colors_metric(vals, lo, hi)
        self.mode = mode
        self.color_key = (mode, id(self.metrics))

    def faded_colors(self, background: str, amount: float) -> list[str]:
        """The colour table blended towards ``background`` (cached per colouring)."""
        key = (id(self.colors), len(self.colors), background, amount)
        if self._faded_key != key:
            self._faded = [palette.mix(c, background, amount) for c in self.colors]
            self._faded_key = key
        return self._faded

    def _color_others(
        self, idx: np.ndarray, table: list[str], legend: list[tuple[str, str]]
    ) -> None:
        # Non-person nodes without a colour take their kind's colour, listed in the legend.
        for code in (1, 2, 3):
            mask = (self.kind == code) & (idx < 0)
            if mask.any():
                name = KIND_NAMES[code]
                # Neutral greys, told apart by shape: a kind colour here would collide
                # with a team's colour from the same palette.
                table.append(NEUTRAL_COLORS[name])
                idx[mask] = len(table) - 1
                legend.append((name.capitalize(), NEUTRAL_COLORS[name]))
        idx[idx < 0] = len(table)
        table.append(palette.MISSING_COLOR)
        self.color_idx = idx
        self.colors = table
        self.legend = legend

    def _cluster_colors_categorical(self, idx: np.ndarray) -> None:
        for level in self.levels:
            level.colors_categorical(idx, len(self.colors))

    def _cluster_colors_metric(self, vals: np.ndarray, lo: float, hi: float) -> None:
        for level in self.levels:
            level.colors_metric(vals, lo, hi)

    # -- size --------------------------------------------------------------------------
    def set_size_by(self, metric: str | None) -> None:
        d = np.full(len(self.nodes), PERSON_DIAMETER, dtype=np.float64)
        for code, size in OTHER_DIAMETER.items():
            d[self.kind == code] = size
        if metric:
            nums = [finite(v) for v in self.person_metric(metric)]
            known = [x for x in nums if x is not None]
            lo = min(known) if known else 0.0
            hi = max(known) if known else 1.0
            for i, x in enumerate(nums):
                if self.is_person[i]:
                    d[i] = palette.node_size(x, lo, hi)
        self.diameter = d
        self.size_by = metric
        self.size_key = (metric, id(self.metrics))

    # -- queries -----------------------------------------------------------------------
    def bounds(self) -> tuple[float, float, float, float]:
        if not len(self.nodes):
            return (-50.0, -50.0, 50.0, 50.0)
        r = self.diameter / 2
        return (
            float((self.xy[:, 0] - r).min()),
            float((self.xy[:, 1] - r).min()),
            float((self.xy[:, 0] + r).max()),
            float((self.xy[:, 1] + r).max()),
        )

    def nearest(self, x: float, y: float, tolerance: float) -> int | None:
        """The node under world point ``(x, y)``: within its radius or ``tolerance``."""
        if not len(self.nodes):
            return None
        reach_x = max(tolerance, float(self.diameter.max()) / 2)
        a = np.searchsorted(self.xsorted, x - reach_x, side="left")
        b = np.searchsorted(self.xsorted, x + reach_x, side="right")
        if a >= b:
            return None
        cand = self.xorder[a:b]
        d = np.hypot(self.xy[cand, 0] - x, self.xy[cand, 1] - y)
        ok = d <= np.maximum(self.diameter[cand] / 2, tolerance)
        if not ok.any():
            return None
        cand, d = cand[ok], d[ok]
        # Prefer the topmost-drawn (non-person) node on ties, then the closest.
        return int(cand[np.argmin(d - (self.kind[cand] > 0) * 1e-6)])

    def tooltip_fields(self, node: str) -> list[tuple[str, str]]:
        """Plain-text (label, value) rows for ``node``'s tooltip; the widget escapes them."""
        data = self.org.graph.nodes[node]
        kind = data.get("kind", "person")
        rows: list[tuple[str, str]] = []
        if kind == "person":
            for key in ("title", "team", "department", "location", "email"):
                if data.get(key) not in (None, ""):
                    rows.append((key.capitalize(), str(data[key])))
            values = (self.metrics.get("people") or {}).get(node) or {}
        else:
            rows.append(("Kind", kind))
            group = {"project": "projects", "team": "teams"}.get(kind, "")
            values = (self.metrics.get(group) or {}).get(node) or {}
            if kind in ("project", "team"):
                count = sum(1 for _ in self.org.graph.predecessors(node))
                rows.append(("Members" if kind == "project" else "People", str(count)))
        entity = {"project": "project", "team": "team"}.get(kind, "person")
        shown = [m for m in TOOLTIP_METRICS if m in values] or list(values)[:6]
        for m in shown[:8]:
            rows.append(
                (present.metric_label(m, entity), present.metric_value(m, values[m], entity))
            )
        return rows
