"""What the map shows: the nodes, edges and positions of a view (people, teams, full,
or a focus person's neighbourhood) and the node sizes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orgmap import palette
from orgmap.cells import finite
from orgmap.model import Org
from orgmap.views import lit_set

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None

#: Past this many people the ``people`` view switches to ``teams`` (unless ``force``).
#: Measured with headless Chromium (benchmarks/html_bench.py, 2 cores): 10k people is
#: 3.2 MB, drawn in 1.5 s, 0.12 s per pan/zoom frame; 15k is 4.6 MB, 2.2 s, 0.27 s;
#: 20k is 6 MB, 2.2-3.4 s, 0.33 s; 50k is 14 MB, 6.5 s and 1.7 s per frame (unusable).
PEOPLE_VIEW_LIMIT = 15_000


@dataclass
class _View:
    nodes: list[str]
    edges: list[tuple[str, str, str, float]]  # from, to, kind, width
    positions: dict[str, tuple[float, float]]
    message: str | None
    view: str
    #: Node diameters fixed by the layout (teams view: the team's disc of people).
    sizes: dict[str, float] | None = None


_PERSON_EDGE_KINDS = ("reports_to", "dotted_line", "mentors", "tie")


def _person_edges(org: Org, people: list[str], full: bool) -> list[tuple[str, str, str, float]]:
    graph = org.graph
    out: list[tuple[str, str, str, float]] = []
    seen: set[tuple[str, str, str]] = set()
    project_members: dict[str, list[tuple[str, str | None]]] = {}
    person_set = set(people)
    for u in people:  # in the org's order, so the same org gives the same file
        for v, keys in graph._succ[u].items():  # noqa: SLF001 - read-only, for speed
            for key, data in keys.items():
                kind = data.get("kind", key)
                if kind == "works_on":
                    project_members.setdefault(v, []).append((u, data.get("role")))
                    continue
                if kind not in _PERSON_EDGE_KINDS or v not in person_set or v == u:
                    continue
                if kind == "tie":  # advice and friendship ties are told apart
                    kind = f"tie:{data.get('type') or ''}"
                sig = (u, v, kind)
                if sig in seen:
                    continue
                seen.add(sig)
                w = finite(data.get("weight")) if kind.startswith("tie:") else None
                out.append((u, v, kind, 1.0 + (min(w, 5.0) * 0.3 if w else 0.0)))
    if full:
        for proj, members in project_members.items():
            for u, role in members:
                out.append((u, proj, "works_on", 1.5 if role == "lead" else 1.0))
        return out
    # People view: a project's members joined to its lead (a star, not a clique: a
    # 40-person project would otherwise add 780 edges). Pairs already joined another way
    # still get the link, so switching kinds off in the legend keeps the project visible.
    # The hub is the first lead in the org's order (the order the rows were read in),
    # not by key or name: anonymizing renames everyone, and the map must keep the same
    # links.
    pairs: set[tuple[str, str]] = set()
    rank = {p: i for i, p in enumerate(people)}
    for members in project_members.values():
        ordered = sorted(members, key=lambda m: (m[1] != "lead", rank[m[0]]))
        hub = ordered[0][0]
        for u, _ in ordered[1:]:
            a, b = (hub, u) if hub < u else (u, hub)
            if a != b and (a, b) not in pairs:
                pairs.add((a, b))
                out.append((a, b, "collaboration", 1.0))
    return out


def _node_sizes(
    org: Org, nodes: list[str], metrics: dict | None
) -> tuple[list[float | None], dict[str, tuple[float, float]], dict[str, float]]:
    """Node diameters: people by influence (log scale), projects by members, teams by
    headcount. Returns (the sizing value per node, its range per kind, diameters)."""
    graph = org.graph
    size_metric = {"person": "influence", "project": "members", "team": "size"}
    values: dict[str, list[float]] = {}
    node_metric: list[float | None] = []
    for n in nodes:
        kind = graph.nodes[n].get("kind", "person")
        m = _metric_values(metrics, kind, n)
        x = finite(m.get(size_metric.get(kind, ""), None))
        if x is not None and kind == "person":
            # influence is heavy-tailed (the CEO scores hundreds, most people ~1): on a
            # log scale the leaders still stand out and the rest are not all dots
            x = math.log1p(max(x, 0.0))
        if x is None and kind == "team":
            x = float(sum(1 for u, keys in graph._pred[n].items() if "member_of" in keys))  # noqa: SLF001
        node_metric.append(x)
        if x is not None:
            values.setdefault(kind, []).append(x)
    bounds = {k: (min(xs), max(xs)) for k, xs in values.items()}
    size_range = {"person": (14.0, 48.0), "project": (18.0, 44.0), "team": (18.0, 80.0)}
    sizes: dict[str, float] = {}
    for n, x in zip(nodes, node_metric, strict=True):
        kind = graph.nodes[n].get("kind", "person")
        lo, hi = bounds.get(kind, (0.0, 0.0))
        smin, smax = size_range.get(kind, (14.0, 48.0))
        if x is None:
            sizes[n] = smin + 4 if kind != "person" else 20.0
        else:
            sizes[n] = round(palette.node_size(x, lo, hi, smin, smax), 1)
    return node_metric, bounds, sizes


def _build_view(
    org: Org,
    view: str,
    focus_node: str | None,
    depth: int,
    positions: dict[str, tuple[float, float]] | None,
    layout: str,
    seed: int,
    force: bool,
    progress: Progress,
    cancel: Cancel,
    metrics: dict | None = None,
    keep: frozenset[str] = frozenset(),
) -> _View:
    from orgmap import layout as layout_mod

    graph = org.graph
    message = None
    people = org.people()
    if focus_node is not None:
        near = lit_set(org, focus_node, depth) | keep  # keep: what an overlay draws
        people = [p for p in people if p in near]
        if view == "teams":
            view = "people"
            message = "--focus shows people; the teams view was replaced by the people view."
    if view == "people" and len(people) > PEOPLE_VIEW_LIMIT and not force:
        view = "teams"
        message = (
            f"{len(people):,} people is more than a browser draws smoothly "
            f"({PEOPLE_VIEW_LIMIT:,}); showing the teams view instead. "
            "Use --force for every person, or --focus for one person's neighbourhood."
        )
    if view == "teams":
        if org.teams():
            return _teams_view(org, people, positions, seed, message, cancel)
        view = "people"
        message = "The data names no teams, so the map shows people instead of teams."
    nodes = list(people)
    edges = _person_edges(org, nodes, full=(view == "full"))
    if view == "full":
        projects = sorted({v for _, v, k, _ in edges if k == "works_on"})
        nodes += projects
    if positions is not None:  # a NaN from the caller would make the JSON invalid
        positions = {
            n: (float(xy[0]), float(xy[1]))
            for n, xy in positions.items()
            if finite(xy[0]) is not None and finite(xy[1]) is not None
        }
    if positions is not None and all(n in positions for n in nodes):
        pos = {n: positions[n] for n in nodes}
    else:
        sizes = _node_sizes(org, nodes, metrics)[2]
        pos = layout_mod.compute_layout(
            org, layout, nodes=nodes, progress=progress, cancel=cancel, seed=seed, sizes=sizes
        )
        if positions is not None:  # the caller's positions win where given
            pos.update({n: positions[n] for n in nodes if n in positions})
    del graph
    return _View(nodes, edges, pos, message, view)


def _teams_view(
    org: Org,
    people: list[str],
    positions: dict[str, tuple[float, float]] | None,
    seed: int,
    message: str | None,
    cancel: Cancel,
) -> _View:
    from orgmap import layout as layout_mod

    centres, radii = layout_mod.team_layout(org, people, seed=seed, cancel=cancel)
    teams = [t for t in sorted(centres) if t in org.graph]
    pos = {t: (positions or {}).get(t, centres[t]) for t in teams}
    from orgmap.views import team_graph

    edges: list[tuple[str, str, str, float]] = []
    for a, b, w in team_graph(org).edges(data="weight", default=1.0):
        if a in pos and b in pos and a != b:
            width = 1.0 + math.log1p(finite(w) or 1.0)
            edges.append((a, b, "collaboration", round(width, 2)))
    # A team is drawn as big as the disc its people take in the teams layout (area grows
    # with headcount), which is also what the layout spaced them for.
    sizes = {t: round(2 * radii[t] * 0.8, 1) for t in teams}
    return _View(teams, edges, pos, message, "teams", sizes)


# -- the data block -------------------------------------------------------------------------------
def _metric_values(metrics: dict | None, kind: str, node: str) -> dict[str, Any]:
    if not metrics:
        return {}
    table = {"person": "people", "project": "projects", "team": "teams"}.get(kind)
    return (metrics.get(table) or {}).get(node) or {}
