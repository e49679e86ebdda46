"""The data the page reads: nodes, edges, colourings, tooltips, marks, overlay and
what a click lights, as one JSON-able dict."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from orgmap import palette, present
from orgmap.cells import finite
from orgmap.html_export.view import _metric_values, _node_sizes, _View
from orgmap.marks import MapMarks
from orgmap.model import Org
from orgmap.overlay import Overlay
from orgmap.safety import clean_text
from orgmap.views import collaboration_matrix, lit_set, people_index

#: The page offers its physics toggle only up to this many nodes (larger never settle).
PHYSICS_LIMIT = 1_500


def _fmt(value: Any, fmt: str) -> str | None:
    """A cell of the page's tables: :func:`orgmap.present.value`, None when empty."""
    return present.value(value, "" if fmt == "text" else fmt) or None


def _metric_table() -> dict[str, tuple[str, str]]:
    """``{metric name: (label, fmt)}`` from the one metric table."""
    from orgmap.metrics import METRICS

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
            finite((people.get(n) or {}).get(name)) if k == "person" else None
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
