"""Who is marked on the map: bridges, key people, silo teams, and the group outlines.

One rule for the desktop canvas and the HTML map, so the same people carry the same
ring in both (colours in :data:`orgmap.palette.MARK_COLORS`). Qt-free.

The rules, from the metrics the inspector explains:

- a **key person** has a key-person risk (:func:`orgmap.metrics.risk.key_person_risk`)
  of at least :data:`KEY_PERSON_RISK` (they alone carry the last link of three or more
  team pairs, 10 points each, or of two and strand ten people) and is among the
  :data:`KEY_PERSON_SHARE` highest risks (at least one person): a map where every
  manager wears a red ring says nothing;
- a **bridge** is the one person through whom every collaboration edge between two
  teams runs, when that link has at least :data:`BRIDGE_MIN_EDGES` edges (a single tie
  between two teams has two "sole carriers", its two ends, and marks nobody: a bridge
  is someone several colleagues on both sides go through); key people are not marked
  bridges twice;
- a **silo** team is one the ``silo`` team metric flags (E-I index of -0.5 or below, or
  no ties at all; Krackhardt & Stern 1988).

:func:`outlines` gives each group (team or department) a padded convex hull of its
members' positions, in layout units, for drawing a boundary and a name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from orgmap.model import Org
from orgmap.palette import MARK_COLORS, MARK_LABELS

__all__ = [
    "BRIDGE_MIN_EDGES",
    "KEY_PERSON_RISK",
    "KEY_PERSON_SHARE",
    "MapMarks",
    "map_marks",
    "outlines",
    "Outlines",
]

#: Key-person risk from which a person is marked a key person (3 team pairs) ...
KEY_PERSON_RISK = 30
#: ... when also among this share of the highest risks.
KEY_PERSON_SHARE = 0.02
#: A team pair's link must have this many edges for its sole carrier to be a bridge.
BRIDGE_MIN_EDGES = 2


@dataclass(frozen=True)
class MapMarks:
    """``people``: person node -> ``"bridge"`` or ``"key_person"``; ``silos``: the silo
    team nodes; ``bridged``: per bridge, the names of the team pairs they carry."""

    people: Mapping[str, str] = field(default_factory=dict)
    silos: frozenset[str] = frozenset()
    bridged: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", MappingProxyType(dict(self.people)))
        object.__setattr__(self, "bridged", MappingProxyType(dict(self.bridged)))

    def legend(self) -> list[tuple[str, str, int]]:
        """(label, colour, count) per mark kind in use: key people, bridges, silos."""
        out = []
        for kind in ("key_person", "bridge"):
            n = sum(1 for v in self.people.values() if v == kind)
            if n:
                out.append((MARK_LABELS[kind], MARK_COLORS[kind], n))
        if self.silos:
            out.append((MARK_LABELS["silo"], MARK_COLORS["silo"], len(self.silos)))
        return out


def map_marks(
    org: Org, metrics: Mapping[str, Any] | None, relations: Iterable[str] | None = None
) -> MapMarks:
    """The marks for ``org`` given its ``metrics`` (``compute_all``'s dict) computed over
    ``relations``; without metrics nothing is marked (the map never guesses), without
    team metrics no bridge.

    Examples
    --------
    >>> from orgmap.metrics.compute import compute_all
    >>> from orgmap.metrics.examples import example_org
    >>> org = example_org()
    >>> marks = map_marks(org, compute_all(org))
    >>> sorted(marks.people.items())  # Ed carries both of Data's ties to Platform
    [('person:5', 'bridge')]
    """
    if not metrics:
        return MapMarks()
    from orgmap.metrics.risk import team_pair_carriers
    from orgmap.views import people_index

    people_m = metrics.get("people") or {}
    teams_m = metrics.get("teams") or {}
    silos = frozenset(t for t, v in teams_m.items() if v.get("silo") is True and t in org.graph)
    marked: dict[str, str] = {}
    risks = sorted(
        (
            (-float(r), node)
            for node, values in people_m.items()
            if isinstance(r := values.get("key_person_risk"), int | float)
            and not isinstance(r, bool)
            and r >= KEY_PERSON_RISK
            and node in org.graph
        ),
    )
    top = max(1, int(len(people_m) * KEY_PERSON_SHARE))
    if risks:
        # ties at the cut are all in: the same risk, the same mark
        cut = risks[min(top, len(risks)) - 1][0]
        for neg, node in risks:
            if neg <= cut:
                marked[node] = "key_person"
    if not teams_m:
        # bridges are a team metric (bridge_people): no team metrics, no bridges
        return MapMarks(marked, silos)
    idx = people_index(org)
    graph = org.graph
    names = [str(graph.nodes[t].get("name") or t) for t in idx.team_nodes]
    bridged: dict[str, list[str]] = {}
    for (a, b), entry in team_pair_carriers(org, relations).items():
        if entry["edges"] < BRIDGE_MIN_EDGES or len(entry["sole"]) != 1:
            continue
        person = idx.nodes[entry["sole"][0]]
        bridged.setdefault(person, []).append(f"{names[a]} - {names[b]}")
        marked.setdefault(person, "bridge")
    return MapMarks(marked, silos, {p: tuple(sorted(v)) for p, v in bridged.items()})


@dataclass(frozen=True)
class Outlines:
    """Padded convex hulls, one per group: the vertices of group ``g`` are
    ``points[start[g]:start[g + 1]]`` (layout units); ``box`` is ``(x0, y0, x1, y1)``
    per group, ``top`` the point above the hull where its name goes."""

    points: np.ndarray
    start: np.ndarray
    box: np.ndarray
    top: np.ndarray

    def __len__(self) -> int:
        return len(self.start) - 1

    def polygon(self, g: int) -> np.ndarray:
        return self.points[self.start[g] : self.start[g + 1]]


def _hull(pts: np.ndarray) -> np.ndarray:
    """The convex hull of ``pts`` counter-clockwise (Qhull); the points themselves when
    they are fewer than three or on one line."""
    from scipy.spatial import ConvexHull, QhullError

    pts = np.unique(pts, axis=0)
    if len(pts) <= 2:
        return pts
    try:
        return pts[ConvexHull(pts).vertices]
    except QhullError:  # all on one line: no area
        return pts[[0, -1]]


#: Vertices of the circle drawn around a group of one or two people.
_CIRCLE = np.column_stack(
    [np.cos(np.linspace(0, 2 * np.pi, 17)[:-1]), np.sin(np.linspace(0, 2 * np.pi, 17)[:-1])]
)


def outlines(xy: np.ndarray, group_of: np.ndarray, n_groups: int, pad: float) -> Outlines:
    """A padded convex hull around the points of each group.

    ``group_of[i]`` is point ``i``'s group (-1: none). Each hull vertex is pushed
    ``pad`` away from the group's centre, so the outline clears its nodes; a group of
    one or two points gets a circle. Groups with no point get an empty polygon.

    Examples
    --------
    >>> o = outlines(np.array([[0.0, 0], [10, 0], [0, 10], [10, 10], [5, 5]]),
    ...              np.array([0, 0, 0, 0, 0]), 1, pad=0.0)
    >>> o.polygon(0).tolist()  # the inner point is not on the hull
    [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]
    """
    order = np.argsort(group_of, kind="stable")
    g_sorted = group_of[order]
    bounds = np.searchsorted(g_sorted, np.arange(n_groups + 1))
    polys: list[np.ndarray] = []
    for g in range(n_groups):
        pts = xy[order[bounds[g] : bounds[g + 1]]]
        if not len(pts):
            polys.append(np.zeros((0, 2)))
            continue
        centre = pts.mean(axis=0)
        hull = _hull(pts) if len(pts) > 2 else pts
        if len(hull) <= 2:
            r = float(np.hypot(*(pts - centre).T).max()) + pad
            polys.append(centre + _CIRCLE * max(r, pad))
            continue
        d = hull - centre
        length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
        polys.append(centre + d * ((length + pad) / length)[:, None])
    sizes = np.array([len(p) for p in polys], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(sizes)])
    points = np.concatenate(polys) if polys and start[-1] else np.zeros((0, 2))
    box = np.zeros((n_groups, 4))
    top = np.zeros((n_groups, 2))
    for g, p in enumerate(polys):
        if len(p):
            box[g] = (*p.min(axis=0), *p.max(axis=0))
            top[g] = ((box[g, 0] + box[g, 2]) / 2, box[g, 1])
    return Outlines(points, start, box, top)
