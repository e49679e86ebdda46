"""The interactive HTML map: one self-contained file, safe to share.

The only module that touches pyvis. We take the vis-network build pyvis ships and inline
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

import base64
import datetime as _dt
import hashlib
import html
import importlib.util
import json
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgmap import palette, present
from orgmap.assets import resource_path
from orgmap.marks import MapMarks, map_marks
from orgmap.model import Org, UnknownPerson
from orgmap.overlay import Overlay
from orgmap.safety import clean_text
from orgmap.views import collaboration_matrix, lit_set, people_index

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

#: Past this many people the ``people`` view switches to ``teams`` (unless ``force``).
#: Measured with headless Chromium (benchmarks/html_bench.py, 2 cores): 10k people is
#: 3.2 MB, drawn in 1.5 s, 0.12 s per pan/zoom frame; 15k is 4.6 MB, 2.2 s, 0.27 s;
#: 20k is 6 MB, 2.2-3.4 s, 0.33 s; 50k is 14 MB, 6.5 s and 1.7 s per frame (unusable).
PEOPLE_VIEW_LIMIT = 15_000
#: The page offers its physics toggle only up to this many nodes (larger never settle).
PHYSICS_LIMIT = 1_500

Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None

_RESOURCES = resource_path("html")


class HtmlExportError(ValueError):
    """A clear, user-facing reason the map could not be written."""


class UnknownFocus(HtmlExportError):
    """``focus`` matched nobody (or several people); ``suggestions`` lists close names."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


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
_JS_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--``, or line separators.

    NaN and infinities raise (they are not JSON); callers clean numbers first.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_JS_ESCAPES)


def _vis_assets() -> str:
    """vis-network's standalone build as shipped in pyvis's package (no CSS needed: we
    use neither its tooltips nor its configurator).

    pyvis's folder is found without importing pyvis: its ``__init__`` imports IPython,
    which costs time here and would weigh down the PyInstaller bundle."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise HtmlExportError("pyvis is not installed (orgmap html needs it); reinstall orgmap")
    base = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib" / "vis-9.1.2"
    return (base / "vis-network.min.js").read_text(encoding="utf-8")


_asset_cache: dict[str, str] = {}


def _asset(name: str) -> str:
    if name not in _asset_cache:
        if name == "vis":
            _asset_cache[name] = _vis_assets()
        else:
            try:
                _asset_cache[name] = (_RESOURCES / name).read_text(encoding="utf-8")
            except OSError as exc:  # a broken install without its package data
                raise HtmlExportError(
                    f"orgmap's page resources are missing ({_RESOURCES / name}); reinstall orgmap"
                ) from exc
    return _asset_cache[name]


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# -- value formatting for tooltips -------------------------------------------------------------
def _finite(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _fmt(value: Any, fmt: str) -> str | None:
    """A cell of the page's tables: :func:`orgmap.present.value`, None when empty."""
    return present.value(value, "" if fmt == "text" else fmt) or None


def _metric_table() -> dict[str, tuple[str, str]]:
    """``{metric name: (label, fmt)}`` from the metrics helper's table, if present."""
    try:
        from orgmap.metrics import METRICS
    except ImportError:  # metrics not installed yet: tooltips show attributes only
        return {}
    return {m.name: (m.label, m.fmt) for m in METRICS}


#: The metrics a tooltip shows, per node kind, in this order.
_TIP_METRICS = {
    "person": (
        "role",
        "influence_percentile",
        "direct_reports",
        "org_size",
        "brokerage",
        "reach_2",
        "teams_reached",
        "departments_reached",
        "org_reach",
        "cross_team_projects",
        "cross_team_projects_led",
        "mentees",
        "mentors_grown",
        "key_person_risk",
    ),
    "project": ("members", "leads", "teams_spanned", "departments_spanned", "org_wide", "bridges"),
    "team": ("size", "internal_ties", "external_ties", "ei_index", "silo", "partner_teams"),
}
_TIP_ATTRS = {
    "person": (
        ("title", "Title"),
        ("team", "Team"),
        ("department", "Department"),
        ("level", "Level"),
        ("location", "Location"),
    ),
    "project": (),
    "team": (("department", "Department"),),
}


# -- the view: which nodes and edges -------------------------------------------------------------
@dataclass
class _View:
    nodes: list[str]
    edges: list[tuple[str, str, str, float]]  # from, to, kind, width
    positions: dict[str, tuple[float, float]]
    message: str | None
    view: str
    #: Node diameters fixed by the layout (teams view: the team's disc of people).
    sizes: dict[str, float] | None = None


def _resolve_focus(org: Org, focus: str) -> str:
    try:
        return org.resolve_person(focus, "--focus")
    except UnknownPerson as exc:
        raise UnknownFocus(str(exc), exc.suggestions) from None


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
                w = _finite(data.get("weight")) if kind.startswith("tie:") else None
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
        x = _finite(m.get(size_metric.get(kind, ""), None))
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
            if _finite(xy[0]) is not None and _finite(xy[1]) is not None
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
            width = 1.0 + math.log1p(_finite(w) or 1.0)
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


def _payload(
    org: Org,
    v: _View,
    metrics: dict | None,
    title: str,
    subtitle: str,
    focus_node: str | None,
    layout: str = "network",
) -> dict[str, Any]:
    graph = org.graph
    table = _metric_table()
    index = {n: i for i, n in enumerate(v.nodes)}
    kinds = ["person", "project", "team", "department"]
    kind_index = {k: i for i, k in enumerate(kinds)}

    # departments and teams of every node, for colours and filters
    def dept_team(n: str) -> tuple[Any, Any]:
        data = graph.nodes[n]
        if data.get("kind") == "team":
            return data.get("department") or _team_department(org, n), data.get("name")
        return data.get("department"), data.get("team")

    dt = [dept_team(n) for n in v.nodes]
    filter_kinds = [k in ("person", "team") for k in kinds]
    # Colours are assigned over the whole org, as the canvas does, so a focus view or a
    # filter keeps each department's colour; the legend lists the ones on the map.
    all_depts = palette.group_colors(org, "department")
    all_teams = palette.group_colors(org, "team")
    shown_depts = {d for (d, _), n in zip(dt, v.nodes, strict=True) if _is_filterable(graph, n)}
    shown_teams = {t for (_, t), n in zip(dt, v.nodes, strict=True) if _is_filterable(graph, n)}
    extra_depts = palette.category_colors(d for d in shown_depts if d not in all_depts and d)
    depts = {d: c for d, c in all_depts.items() if d in shown_depts} | extra_depts
    teams = {t: c for t, c in all_teams.items() if t in shown_teams}
    dept_names, team_names = list(depts), list(teams)
    dept_idx = {d: i for i, d in enumerate(dept_names)}
    team_idx = {t: i for i, t in enumerate(team_names)}
    node_dept = [
        dept_idx.get(d, -1) if _is_filterable(graph, n) else -1
        for (d, _), n in zip(dt, v.nodes, strict=True)
    ]
    node_team = [
        team_idx.get(t, -1) if _is_filterable(graph, n) else -1
        for (_, t), n in zip(dt, v.nodes, strict=True)
    ]

    node_metric, bounds, computed = _node_sizes(org, v.nodes, metrics)
    sizes = [v.sizes[n] if v.sizes is not None and n in v.sizes else computed[n] for n in v.nodes]

    # tooltips: attributes then metrics, preformatted strings
    tip_fields: dict[str, list[str]] = {}
    tip_keys: dict[str, list[tuple[str, str, str]]] = {}
    for kind in ("person", "project", "team"):
        keys = [("attr", a, label) for a, label in _TIP_ATTRS[kind]]
        for name in _TIP_METRICS[kind]:
            if name in table or not table:
                label = table.get(name, (name.replace("_", " ").capitalize(), "text"))[0]
                keys.append(("metric", name, label))
        tip_keys[kind] = keys
        tip_fields[kind] = [label for _, _, label in keys]
    tips = []
    subs = []
    labels = []
    for n in v.nodes:
        data = graph.nodes[n]
        kind = data.get("kind", "person")
        m = _metric_values(metrics, kind, n)
        row = []
        for source, name, _ in tip_keys.get(kind, []):
            if source == "attr":
                row.append(_fmt(data.get(name), "text"))
            else:
                row.append(_fmt(m.get(name), table.get(name, ("", "text"))[1]))
        while row and row[-1] is None:
            row.pop()
        tips.append(row)
        labels.append(str(org.label(n)))
        sub = data.get("title") if kind == "person" else kind
        subs.append(None if sub in (None, "") else str(sub))

    # colourings offered in the page: department, team, kind, influence (if known)
    is_person = [graph.nodes[n].get("kind", "person") == "person" for n in v.nodes]

    def legend_of(colors: dict, idx: list[int], none_label: str) -> list[list[Any]]:
        counts: dict[int, int] = {}
        for k in idx:
            if k >= 0:
                counts[k] = counts.get(k, 0) + 1
        items = [[name, colors[name], counts.get(i, 0)] for i, name in enumerate(colors)]
        # People with no value (external project members) are drawn in the neutral grey
        # the canvas uses too; the legend says so when there are any.
        missing = sum(1 for k, p in zip(idx, is_person, strict=True) if k < 0 and p)
        if missing:
            items.append([none_label, palette.MISSING_COLOR, missing])
        return items

    colorings: list[dict[str, Any]] = [
        {
            "key": "department",
            "label": "Department",
            "colors": list(depts.values()),
            "of": node_dept,
            "legend": legend_of(depts, node_dept, "No department (external)"),
        },
        {
            "key": "team",
            "label": "Team",
            "colors": list(teams.values()),
            "of": node_team,
            "legend": legend_of(teams, node_team, "No team"),
        },
    ]
    if v.view == "teams":
        colorings.pop()  # every team its own colour says nothing in the teams view
    if any(x is not None for x in node_metric):
        per_node = []
        for n, x in zip(v.nodes, node_metric, strict=True):
            kind = graph.nodes[n].get("kind", "person")
            lo, hi = bounds.get(kind, (0.0, 0.0))
            per_node.append(palette.metric_color(x, lo, hi))
        label = "Headcount" if v.view == "teams" else "Influence"
        lo_all = min(lo for lo, _ in bounds.values())
        hi_all = max(hi for _, hi in bounds.values())
        colorings.append(
            {
                "key": "size_metric",
                "label": label,
                "perNode": per_node,
                "legend": [
                    [f"low ({_fmt(lo_all, 'float')})", palette.VIRIDIS[0]],
                    ["", palette.VIRIDIS[4]],
                    [f"high ({_fmt(hi_all, 'float')})", palette.VIRIDIS[-1]],
                ],
            }
        )

    # edges
    tie_kinds = sorted({k for _, _, k, _ in v.edges if k.startswith("tie:")})
    edge_kinds = ["reports_to", "dotted_line", "mentors", *tie_kinds, "collaboration", "works_on"]
    ek_index = {k: i for i, k in enumerate(edge_kinds)}
    counts = dict.fromkeys(edge_kinds, 0)
    e_from, e_to, e_kind, e_width = [], [], [], []
    for u, w, kind, width in v.edges:
        if u in index and w in index:
            e_from.append(index[u])
            e_to.append(index[w])
            e_kind.append(ek_index[kind])
            e_width.append(width)
            counts[kind] += 1
    directed = {"reports_to", "dotted_line", "mentors", "works_on", *tie_kinds}
    edge_label = dict(palette.EDGE_LABELS)
    edge_color = dict(palette.EDGE_COLORS)
    base = palette.EDGE_COLORS["tie"]
    tie_colors = [base, palette.mix(base, "#000000", 0.45), palette.mix(base, "#FFFFFF", 0.45)]
    for i, k in enumerate(tie_kinds):
        kind_name = k.partition(":")[2]
        edge_label[k] = f"{kind_name} tie" if kind_name else "tie"
        edge_color[k] = tie_colors[i % 3] if i < 3 else palette.BASE_COLORS[(i + 3) % 15]
    edge_label["collaboration"] = (
        "shared projects, mentoring, ties" if v.view == "teams" else "same project"
    )
    kind_shapes = {"person": "dot", "project": "diamond", "team": "dot", "department": "square"}
    present_kinds = {graph.nodes[n].get("kind") for n in v.nodes}
    shown_kinds = [k for k in kinds if k in present_kinds]
    size_note = {
        "people": "Size: influence (how sought-after, by Katz status over who seeks whom; log scale).",
        "full": "Size: influence (log scale) for people, members for projects.",
        "teams": "Size: headcount. Links: people of both teams on a project, mentoring, ties.",
    }[v.view]
    if not metrics:
        size_note = "Size: headcount." if v.view == "teams" else ""

    def num(x: float) -> float:
        return round(float(x), 1)

    return {
        "meta": {
            "title": title,
            "subtitle": subtitle,
            "view": v.view,
            "message": v.message,
            "physicsLimit": PHYSICS_LIMIT,
            "focus": index.get(focus_node, -1) if focus_node else -1,
            "sizeNote": size_note,
            # labels in layout units: team discs are far apart, people ~47 apart
            "fontSize": 30 if v.view == "teams" else 13,
        },
        "nodeKinds": kinds,
        "kindColors": palette.KIND_COLORS,
        "kindShapes": kind_shapes,
        # people take the chosen colouring, so their legend swatch is neutral
        "kindLegend": [
            [k, palette.MISSING_COLOR if k == "person" else palette.KIND_COLORS[k], kind_shapes[k]]
            for k in shown_kinds
        ],
        "missingColor": palette.MISSING_COLOR,
        "dimColor": "#D5DAE0",
        "filterKinds": filter_kinds,
        "colorings": colorings,
        "filters": {
            "department": dept_names,
            "team": team_names,
            "nodeDept": node_dept,
            "nodeTeam": node_team,
        },
        "tipFields": tip_fields,
        "nodes": {
            "label": labels,
            "sub": subs,
            "x": [num(v.positions[n][0]) for n in v.nodes],
            "y": [num(v.positions[n][1]) for n in v.nodes],
            "size": sizes,
            "kind": [kind_index.get(graph.nodes[n].get("kind", "person"), 0) for n in v.nodes],
            "tip": tips,
        },
        "edgeKinds": [
            {
                "key": k,
                "label": edge_label[k],
                "color": edge_color[k],
                "dashed": k in palette.EDGE_DASHED,
                "directed": k in directed,
                "count": counts[k],
                # an org chart starts with its reporting lines only; a click brings back the rest
                "off": layout == "orgchart" and k not in ("reports_to", "dotted_line"),
            }
            for k in edge_kinds
        ],
        "edges": {"from": e_from, "to": e_to, "kind": e_kind, "width": e_width},
    }


#: ``write_html(size_by=)``'s default: people by influence (log scale), as the CLI's map.
SIZE_BY_DEFAULT = "influence (log)"


def _canvas_look(
    payload: dict[str, Any],
    org: Org,
    nodes: list[str],
    metrics: dict | None,
    color_by: str | None,
    size_by: str | None,
) -> None:
    """The page opens coloured and sized as the canvas was (``color_by``: team,
    department, kind or a person metric; ``size_by``: a person metric or None for one
    size), with the same palette functions the canvas uses."""
    graph = org.graph
    kinds = [graph.nodes[n].get("kind", "person") for n in nodes]
    people = (metrics or {}).get("people") or {}

    def person_values(name: str) -> list[float | None]:
        return [
            _finite((people.get(n) or {}).get(name)) if k == "person" else None
            for n, k in zip(nodes, kinds, strict=True)
        ]

    if size_by != SIZE_BY_DEFAULT:
        sizes = payload["nodes"]["size"]
        if size_by is None:
            for i, k in enumerate(kinds):
                if k == "person":
                    sizes[i] = 20.0
            payload["meta"]["sizeNote"] = "Size: the same for everyone, as on the canvas."
        else:
            xs = person_values(size_by)
            known = [x for x in xs if x is not None]
            lo, hi = (min(known), max(known)) if known else (0.0, 0.0)
            for i, x in enumerate(xs):
                if kinds[i] == "person":
                    sizes[i] = (
                        14.0 if x is None else round(palette.node_size(x, lo, hi, 14.0, 48.0), 1)
                    )
            payload["meta"]["sizeNote"] = f"Size: {present.metric_label(size_by).lower()}."
    if not color_by:
        return
    colorings = payload["colorings"]
    chosen = next((c for c in colorings if c["key"] == color_by), None)
    if chosen is None and color_by == "kind":
        chosen = {
            "key": "kind",
            "label": "Kind",
            "perNode": [palette.KIND_COLORS.get(k, palette.MISSING_COLOR) for k in kinds],
            "legend": [[k.capitalize(), palette.KIND_COLORS[k]] for k in dict.fromkeys(kinds)],
        }
    elif chosen is None:
        xs = person_values(color_by)
        known = [x for x in xs if x is not None]
        if not known:
            return
        lo, hi = min(known), max(known)
        chosen = {
            "key": color_by,
            "label": present.metric_label(color_by),
            "perNode": [
                palette.metric_color(x, lo, hi)
                if k == "person"
                else palette.KIND_COLORS.get(k, palette.MISSING_COLOR)
                for x, k in zip(xs, kinds, strict=True)
            ],
            "legend": [
                [f"low ({present.metric_value(color_by, lo)})", palette.VIRIDIS[0]],
                ["", palette.VIRIDIS[4]],
                [f"high ({present.metric_value(color_by, hi)})", palette.VIRIDIS[-1]],
            ],
        }
    else:
        colorings.remove(chosen)
    colorings.insert(0, chosen)  # the page opens with the first colouring


def _overlay_payload(overlay: Overlay, nodes: list[str]) -> dict[str, Any]:
    """The overlay with node keys as the page's node indices; nodes not drawn are left out."""
    index = {n: i for i, n in enumerate(nodes)}
    data = overlay.to_dict()
    return {
        "title": clean_text(overlay.title) or "Marked",
        "paths": [[index[n] for n in p if n in index] for p in overlay.paths],
        "marks": [
            [index[n], palette.MARK_COLORS[m]] for n, m in overlay.marks.items() if n in index
        ],
        "ghosts": [
            {
                "label": clean_text(g.label),
                "x": g.x,
                "y": g.y,
                "color": palette.MARK_COLORS[overlay.marks.get(k, "left")],
            }
            for k, g in overlay.ghosts.items()
        ],
        "pathColor": palette.MARK_COLORS["path"],
        "fade": overlay.fade_others,
        "legend": data["legend"],
    }


def _lit_payload(org: Org, nodes: list[str], relations: Iterable[str] | None) -> dict[str, Any]:
    """What a click lights, by :func:`orgmap.views.lit_set`'s rule, as page indices:
    each person's collaboration neighbours over ``relations`` (the page walks them k
    steps, k from its menu) and each group's lit set (k does not change it)."""
    index = {n: i for i, n in enumerate(nodes)}
    people = people_index(org)
    mat = collaboration_matrix(org, relations)
    indptr, indices = mat.indptr, mat.indices
    graph = org.graph
    collab: list[list[int] | None] = []
    groups: dict[str, list[int]] = {}
    for i, n in enumerate(nodes):
        kind = graph.nodes[n].get("kind", "person")
        if kind == "person":
            p = people.index.get(n)
            row = indices[indptr[p] : indptr[p + 1]] if p is not None else []
            collab.append(sorted(index[m] for m in (people.nodes[j] for j in row) if m in index))
        else:
            collab.append(None)
            groups[str(i)] = sorted(index[m] for m in lit_set(org, n) if m in index and m != n)
    return {"collab": collab, "groups": groups}


def _marks_payload(marks: MapMarks, nodes: list[str]) -> dict[str, Any]:
    """Bridges and key people (rings) and silo teams (their team nodes ringed in the
    teams view), as node indices with their colours: the canvas's rule and palette."""
    index = {n: i for i, n in enumerate(nodes)}
    marked = [(n, kind) for n, kind in marks.people.items() if n in index]
    marked += [(t, "silo") for t in sorted(marks.silos) if t in index]
    return {
        "marks": [[index[n], palette.MARK_COLORS[kind], kind] for n, kind in marked],
        # counted over the nodes on this page (a focus view shows a few of them)
        "legend": [
            {"label": palette.MARK_LABELS[kind], "color": palette.MARK_COLORS[kind], "count": k}
            for kind in ("key_person", "bridge", "silo")
            if (k := sum(1 for _, m in marked if m == kind))
        ],
    }


def _is_filterable(graph: Any, node: str) -> bool:
    return graph.nodes[node].get("kind") in ("person", "team")


def _team_department(org: Org, team: str) -> str | None:
    dept = org.department_of(team)
    return org.label(dept) if dept else None


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="orgmap">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
  <div>
    <h1 id="title"></h1>
    <div class="meta" id="subtitle"></div>
  </div>
  <div class="controls">
    <div class="search">
      <input id="search" type="search" placeholder="Search names (/)" autocomplete="off"
        aria-label="Search" spellcheck="false">
      <ul id="results" hidden></ul>
    </div>
    <select id="dept" aria-label="Department filter"></select>
    <select id="team" aria-label="Team filter"></select>
    <label>Colour <select id="colorby"></select></label>
    <label>Light up <select id="depth"><option value="1">1 step</option>
      <option value="2" selected>2 steps</option><option value="3">3 steps</option></select></label>
    <label><input id="physics" type="checkbox"> Physics</label>
    <button id="fit" type="button">Fit</button>
    <span class="meta" id="shown"></span>
  </div>
</header>
<main id="map"><div id="notice" hidden></div><div id="network"></div></main>
<aside>
  <h2>Details</h2>
  <div id="details"></div>
  <h2 id="legend-colors-title">Colour</h2>
  <ul class="legend" id="legend-colors"></ul>
  <div id="legend-kinds-box"><h2>Nodes</h2><ul class="legend" id="legend-kinds"></ul></div>
  <div id="overlay-box" hidden><h2 id="overlay-title">Marked</h2><ul class="legend" id="legend-marks"></ul></div>
  <h2>Links</h2>
  <ul class="legend" id="legend-edges"></ul>
  <p class="meta" id="size-note"></p>
</aside>
<div id="tooltip" hidden></div>
<script type="application/json" id="orgmap-data">{data}</script>
<script>{vis}</script>
<script>{js}</script>
</body>
</html>
"""


_PLACEHOLDER = re.compile(r"\{(csp|title|css|data|vis|js)\}")


def render_html(payload: dict[str, Any], title: str) -> str:
    """The page for a payload (see :func:`write_html`); a string, nothing written."""
    vis_js, js, css = _asset("vis"), _asset("map.js"), _asset("map.css")
    # The policy: only our two scripts run (by hash), no connection of any kind, images
    # only from data: (vis-network draws on a canvas). Inline styles are allowed because
    # vis-network sets element styles.
    csp = (
        "default-src 'none'; "
        f"script-src 'sha256-{_sha256(vis_js)}' 'sha256-{_sha256(js)}'; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    parts = {
        "csp": csp,
        "title": html.escape(clean_text(title), quote=True),
        "css": css.replace("</", "<\\/"),
        "data": json_for_script(payload),
        "vis": vis_js,
        "js": js,
    }
    # One pass over the template's own placeholders: a value is never scanned again, so
    # a name or title holding "{data}" or "{js}" stays text (str.format would also choke
    # on the braces in the scripts).
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _TEMPLATE)


def _part(progress: Progress, lo: float, hi: float) -> Progress:
    """A progress callback reporting into ``[lo, hi]`` of the whole."""
    if progress is None:
        return None
    return lambda f, msg="": progress(lo + (hi - lo) * max(0.0, min(1.0, f)), msg)


# -- the entry point ---------------------------------------------------------------------------
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
        try:
            from orgmap.metrics import compute_all
        except ImportError:  # pragma: no cover - metrics ship with orgmap
            compute_all = None
        if compute_all is not None:
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
