"""Node positions shared by the desktop canvas and the HTML map.

:func:`compute_layout` places nodes in a pixel-like unit (neighbours about 30-60 apart,
y grows downwards as on screen) so both front ends show the same picture:

``"orgchart"``
    A top-down tree along the reporting lines: everyone at reporting depth d on row d,
    so peers line up and every line joins two neighbouring rows inside its own column.
    Roots sit side by side (the largest tree first), people with no manager and no
    reports share a block at the right. A manager's reports who manage nobody fan out in
    a compact block of up to three rows under them, so a manager with 40 reports is not
    40 nodes wide, and lines to the back rows pass between the people in front.
    Iterative and linear: 100k people in under a second, with no recursion limit.
``"network"``
    Force-directed (Fruchterman & Reingold 1991, igraph's grid variant) over the
    people's reporting, dotted-line, mentorship, tie and project edges; projects pull
    their members together through one hub node each instead of a clique. Past
    :data:`FORCE_LIMIT` nodes it switches to a clustered layout (teams placed by a force
    layout of the team graph, each team's people in a disc around it, managers in the
    middle), which reads better at that size and is linear.
``"teams"``
    People grouped in one disc per team (the manager in the middle), the teams of a
    department packed together, departments packed side by side.

Team, department and project nodes, when asked for in ``nodes``, get the centre of their
disc (teams layout), take part in the force layout (projects, network layout) or sit at
the centroid of their members. Every layout is deterministic for a given ``seed``.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from orgmap.model import Cancelled, Org

__all__ = [
    "LAYOUTS",
    "FORCE_LIMIT",
    "compute_layout",
    "team_layout",
    "orgchart_layout",
    "network_layout",
    "teams_layout",
]

Pos = dict[str, tuple[float, float]]
Progress = Callable[[float, str], None] | None
Cancel = Callable[[], bool] | None

#: The layout kinds :func:`compute_layout` knows, with a label for menus.
LAYOUTS: dict[str, str] = {
    "orgchart": "Org chart",
    "network": "Network",
    "teams": "Teams",
}

#: Above this many nodes the network layout is clustered by team instead of a full
#: force simulation. Not for speed (igraph's FR takes ~0.7 s at 10k nodes) but for the
#: picture: past a few thousand people a force layout is a uniform hairball in which no
#: department can be told apart, while team discs placed by the team graph's forces show
#: departments as regions and cross-team links as lines between them.
FORCE_LIMIT = 3_000

#: Horizontal distance between neighbours in the org chart, vertical between levels.
CHART_DX = 50.0
CHART_DY = 110.0
#: Row distance inside a manager's block of reports.
CHART_ROW = 45.0
#: Typical distance between neighbouring nodes in the discs and force layouts.
SPACING = 40.0


def _check(cancel: Cancel) -> None:
    if cancel is not None and cancel():
        raise Cancelled("layout cancelled")


def _report(progress: Progress, fraction: float, message: str) -> None:
    if progress is not None:
        progress(fraction, message)


# -- graph access that is fast on a 100k-person MultiDiGraph ---------------------------
def _out_by_kind(org: Org, nodes: Iterable[str], kind: str) -> dict[str, list[str]]:
    """``{node: [targets of its edges of this kind]}`` reading adjacency dicts directly.

    ``graph.edges(keys=True)`` walks every edge through three generator levels; looking
    up each node's successors by key is about 3x faster (0.13 s against 0.37 s for the
    reporting lines of 100k people).
    """
    succ = org.graph._succ  # noqa: SLF001 - read-only, for speed
    out: dict[str, list[str]] = {}
    for n in nodes:
        targets = [v for v, keys in succ[n].items() if kind in keys]
        if targets:
            out[n] = targets
    return out


def _team_of(org: Org, people: Iterable[str]) -> dict[str, str | None]:
    graph = org.graph
    teams = _out_by_kind(org, people, "member_of")
    result: dict[str, str | None] = {}
    for p in people:
        if p in teams:
            result[p] = min(teams[p])
        else:
            name = graph.nodes[p].get("team")
            key = f"team:{name}" if name not in (None, "") else None
            result[p] = key if key in graph else None
    return result


def _sort_name(org: Org, node: str) -> tuple[str, str]:
    data = org.graph._node[node]  # noqa: SLF001 - read-only, for speed
    return (str(data.get("name") or data.get("id") or "").casefold(), node)


def _grid_cols(m: int) -> int:
    """Columns of the block of ``m`` reports who manage nobody (at most 3 rows)."""
    rows = 1 if m <= 4 else 2 if m <= 12 else 3
    return -(-m // rows)


def _grid_offset(k: int, rows: int, cols: int) -> tuple[float, float]:
    r, c = divmod(k, cols)
    scale = (CHART_DY + r * CHART_ROW) / CHART_DY
    x = (c + r / rows - (cols - 1) / 2 - 0.5 * (rows - 1) / rows) * CHART_DX * scale
    return x, r * CHART_ROW


def _grid_offsets(m: int, cols: int) -> list[tuple[float, float]]:
    """Offsets from the manager's spot one row down for a block of ``m`` reports.

    The block fans out: row ``r`` is shifted ``r / rows`` of a step and widened by
    ``(CHART_DY + r * CHART_ROW) / CHART_DY``, so the straight line from the manager to
    someone in a back row passes between the people in front instead of through them.
    """
    rows = -(-m // cols)
    return [_grid_offset(k, rows, cols) for k in range(m)]


def _grid_width(m: int, cols: int) -> float:
    """Width the block needs, centred on its manager (half a step of margin each side)."""
    rows = -(-m // cols)
    ends = [k for r in range(rows) for k in (r * cols, min(m, (r + 1) * cols) - 1)]
    return 2 * max(abs(_grid_offset(k, rows, cols)[0]) for k in ends) + CHART_DX


# -- org chart ----------------------------------------------------------------------------
def orgchart_layout(
    org: Org, people: Sequence[str], progress: Progress = None, cancel: Cancel = None
) -> Pos:
    """Top-down tree along ``reports_to``; see the module docstring."""
    people_set = set(people)
    succ = org.graph._succ  # noqa: SLF001 - read-only, for speed
    manager: dict[str, str] = {}
    for p in people:
        ms = [m for m, keys in succ[p].items() if "reports_to" in keys]
        if ms:
            ms = [m for m in ms if m in people_set and m != p]
            if ms:
                manager[p] = ms[0] if len(ms) == 1 else min(ms)
    _check(cancel)
    # Break reporting cycles (dirty data): walk up from each person; a walk that meets
    # itself makes the cycle's smallest key a root.
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    for start in people:
        if start in state:
            continue
        walk = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = manager.get(node)
        if node is not None and state[node] == 1:
            cycle = walk[walk.index(node) :]
            del manager[min(cycle)]
        for w in walk:
            state[w] = 2
    children: dict[str, list[str]] = {}
    for p, m in manager.items():
        if m in children:
            children[m].append(p)
        else:
            children[m] = [p]
    node_data = org.graph._node  # noqa: SLF001
    names = {p: (str(node_data[p].get("name") or "").casefold(), p) for p in people}
    for kids in children.values():
        if len(kids) > 1:
            kids.sort(key=names.__getitem__)
    roots = [p for p in people if p not in manager]
    _check(cancel)
    _report(progress, 0.3, "org chart")

    # Managers in breadth-first order from the roots; box widths are computed
    # children-first by walking it backwards (no recursion, so a 10,000-deep chain is
    # fine). People who manage nobody never enter the loop: they are placed in blocks.
    order: list[str] = [r for r in roots if r in children]
    i = 0
    while i < len(order):
        order.extend(c for c in children[order[i]] if c in children)
        i += 1
    _check(cancel)
    # Every sub-tree is a column of the chart: ``width`` wide, its manager ``mid`` from
    # the column's left edge. Depth d sits on row d (y = d * CHART_DY) so peers line up
    # and a reporting line only ever joins two neighbouring rows inside its own column,
    # never crossing someone else's node. A manager's reports who manage nobody form a
    # compact grid right under them (``cols`` wide, rows CHART_ROW apart, odd rows offset
    # half a step so lines to the back rows pass between the front ones), with the
    # sub-trees of the reports who do manage split to its left and right.
    width: dict[str, float] = {}
    mid: dict[str, float] = {}
    place: dict[str, list[tuple[str | list[str], float, int]]] = {}
    for node in reversed(order):
        kids = children[node]
        leaves = [c for c in kids if c not in children]
        subs = [c for c in kids if c in children]
        laid: list[tuple[str | list[str], float, int]] = []
        x = 0.0
        half = len(subs) // 2
        for c in subs[:half]:
            laid.append((c, x, 0))
            x += width[c]
        if leaves:
            cols = _grid_cols(len(leaves))
            grid_w = _grid_width(len(leaves), cols)
            laid.append((leaves, x, cols))
            centre = x + grid_w / 2
            x += grid_w
        for c in subs[half:]:
            laid.append((c, x, 0))
            x += width[c]
        if not leaves:
            first, last = laid[0], laid[-1]
            centre = (first[1] + mid[first[0]] + last[1] + mid[last[0]]) / 2  # type: ignore[index]
        width[node] = max(CHART_DX, x)
        mid[node] = centre
        place[node] = laid
    _check(cancel)

    isolated = [r for r in roots if r not in children]
    trees = [r for r in roots if r in children]
    trees.sort(key=lambda r: (-width[r], names[r]))
    isolated.sort(key=names.__getitem__)
    pos: Pos = {}
    x0 = 0.0
    stack: list[tuple[str, float, float]] = []
    for r in trees:
        stack.append((r, x0, 0.0))
        x0 += width[r] + CHART_DX
    while stack:
        node, left, top = stack.pop()
        pos[node] = (left + mid[node], top)
        below = top + CHART_DY
        for item, dx, cols in place[node]:
            if isinstance(item, list):
                cx = left + mid[node]
                for leaf, (ox, oy) in zip(item, _grid_offsets(len(item), cols), strict=True):
                    pos[leaf] = (cx + ox, below + oy)
            else:
                stack.append((item, left + dx, below))
    if isolated:
        cols = max(1, math.ceil(math.sqrt(len(isolated) * 2)))
        for k, p in enumerate(isolated):
            row, col = divmod(k, cols)
            pos[p] = (x0 + (col + 0.5) * CHART_DX, row * CHART_ROW)
    pos = _stretch_rows(pos)
    _report(progress, 1.0, "org chart")
    return pos


#: Widest aspect (width / height) an org chart keeps before its rows are pulled apart.
CHART_MAX_ASPECT = 2.5
#: Most the rows are pulled apart, so a flat org does not become a ladder.
CHART_MAX_STRETCH = 8.0


def _stretch_rows(pos: Pos) -> Pos:
    """Pull rows apart when one row per depth makes the chart a thin strip.

    A wide, shallow org fitted to a window would otherwise draw every name at a few
    pixels. Scaling y alone (by at least 1) only lengthens distances, so no reporting
    line comes closer to a node than it was.
    """
    if len(pos) < 2:
        return pos
    xy = np.array(list(pos.values()), dtype=float)
    width, height = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
    if height <= 0 or width / height <= CHART_MAX_ASPECT:
        return pos
    factor = min(CHART_MAX_STRETCH, width / (CHART_MAX_ASPECT * height))
    return {node: (x, y * factor) for node, (x, y) in pos.items()}


# -- discs and packing ------------------------------------------------------------------
_GOLDEN = math.pi * (3 - math.sqrt(5))
#: Phyllotaxis scale: with points at radius c * sqrt(i + 0.5) the closest pair is
#: 1.22 c apart and the typical neighbour 1.68 c, so c = 0.85 * SPACING keeps every pair
#: over 40 apart and neighbours about 57 (room for a name under each node).
_PHYLLO = SPACING * 0.85


def _disc_offsets(m: int) -> np.ndarray:
    """``m`` points in a sunflower disc centred on 0, the first in the middle."""
    i = np.arange(m, dtype=float)
    r = _PHYLLO * np.sqrt(i + (0.0 if m == 1 else 0.5))
    r[0] = 0.0
    a = i * _GOLDEN
    return np.column_stack([r * np.cos(a), r * np.sin(a)])


def _disc_radius(m: int) -> float:
    return _PHYLLO * math.sqrt(max(m, 1) + 0.5) + SPACING / 2


def _shelf_pack(
    sizes: list[tuple[float, float]], gap: float, aspect: float = 1.6
) -> list[tuple[float, float]]:
    """Top-left corners for boxes ``(w, h)`` packed in rows about ``aspect`` times wider
    than tall; boxes keep their order (callers sort largest first)."""
    if not sizes:
        return []
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    target = max(max(w for w, _ in sizes), math.sqrt(area * aspect))
    corners = []
    x = y = row_h = 0.0
    for w, h in sizes:
        if x > 0 and x + w > target:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        corners.append((x, y))
        x += w + gap
        row_h = max(row_h, h)
    return corners


def _members_by_team(org: Org, people: Sequence[str]) -> dict[str | None, list[str]]:
    team_of = _team_of(org, people)
    members: dict[str | None, list[str]] = {}
    for p in people:
        members.setdefault(team_of[p], []).append(p)
    return members


def _disc_order(org: Org, group: list[str]) -> list[str]:
    # Managers in the middle: more reports inside the team first, then level, then name.
    inside = set(group)
    reports: dict[str, int] = {}
    for ms in _out_by_kind(org, group, "reports_to").values():
        for m in ms:
            if m in inside:
                reports[m] = reports.get(m, 0) + 1
    graph = org.graph

    def level(p: str) -> float:
        try:
            return float(graph.nodes[p].get("level") or 0)
        except (TypeError, ValueError):
            return 0.0

    return sorted(group, key=lambda p: (-reports.get(p, 0), -level(p), _sort_name(org, p)))


def teams_layout(
    org: Org, people: Sequence[str], progress: Progress = None, cancel: Cancel = None
) -> tuple[Pos, Pos]:
    """People in one disc per team, teams packed by department.

    Returns ``(people positions, team centre positions)``; people without a team share
    a disc keyed ``None``-less as ``"team:"``.
    """
    members = _members_by_team(org, people)
    team_keys = sorted(members, key=lambda t: (t is None, str(t)))
    by_dept: dict[str | None, list[str | None]] = {}
    for t in team_keys:
        by_dept.setdefault(org.department_of(t) if t is not None else None, []).append(t)
    _check(cancel)
    gap = SPACING
    dept_boxes: list[tuple[str | None, list[tuple[str | None, float, float]], float, float]] = []
    for dept, teams in by_dept.items():
        teams.sort(key=lambda t: (-len(members[t]), str(t)))
        radii = [_disc_radius(len(members[t])) for t in teams]
        corners = _shelf_pack([(2 * r, 2 * r) for r in radii], gap)
        placed = [(t, x + r, y + r) for t, r, (x, y) in zip(teams, radii, corners, strict=True)]
        w = max(x + 2 * r for r, (x, _) in zip(radii, corners, strict=True))
        h = max(y + 2 * r for r, (_, y) in zip(radii, corners, strict=True))
        dept_boxes.append((dept, placed, w, h))
    dept_boxes.sort(key=lambda b: (-(b[2] * b[3]), str(b[0])))
    corners = _shelf_pack([(w, h) for _, _, w, h in dept_boxes], gap * 4)
    pos: Pos = {}
    centres: Pos = {}
    for (_, placed, _, _), (dx, dy) in zip(dept_boxes, corners, strict=True):
        _check(cancel)
        for t, cx, cy in placed:
            group = _disc_order(org, members[t])
            offsets = _disc_offsets(len(group))
            for p, (ox, oy) in zip(group, offsets.tolist(), strict=True):
                pos[p] = (dx + cx + ox, dy + cy + oy)
            centres[t if t is not None else "team:"] = (dx + cx, dy + cy)
    _report(progress, 1.0, "teams")
    return pos, centres


# -- force layouts --------------------------------------------------------------------------
_IGRAPH_RNG_LOCK = threading.Lock()


def _fr(
    n: int, edges: list[tuple[int, int]], weights: list[float] | None, seed: int, niter: int = 500
) -> np.ndarray:
    """Fruchterman-Reingold via igraph, deterministic for ``seed``.

    igraph draws its start (and jitters coinciding nodes) from its process-wide random
    generator, Python's ``random`` module by default, so a seeded start alone is not
    reproducible; we swap in a seeded generator for the call and put ``random`` back.
    Passing our own start is also 4-100x slower: the grid variant is tuned for igraph's
    own start box.
    """
    import igraph as ig

    if n <= 1:
        return np.zeros((n, 2))
    g = ig.Graph(n=n, edges=edges)
    with _IGRAPH_RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            layout = g.layout_fruchterman_reingold(niter=niter, weights=weights, grid="auto")
        finally:
            ig.set_random_number_generator(random)
    return np.asarray(layout.coords, dtype=float)


def _normalise(coords: np.ndarray, spacing: float) -> np.ndarray:
    """Scale so the median nearest-neighbour distance is ``spacing``; origin at top-left."""
    if len(coords) == 0:
        return coords
    if len(coords) > 1:
        from scipy.spatial import cKDTree

        dist, _ = cKDTree(coords).query(coords, k=2)
        nn = dist[:, 1]
        # typical neighbours ``spacing`` apart, and the closest tenth at least 0.8 of it
        # (a dense tie network otherwise piles its big nodes on each other)
        scales = [spacing / float(np.median(nn)), 0.8 * spacing / float(np.percentile(nn, 10))]
        scale = max((s for s in scales if math.isfinite(s) and s > 0), default=1.0)
        coords = coords * scale
    return coords - coords.min(axis=0)


def _components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not edges:
        return [[i] for i in range(n)]
    e = np.asarray(edges)
    mat = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    _, labels = connected_components(mat, directed=False)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels.tolist()):
        groups.setdefault(lab, []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _force_components(
    n: int,
    edges: list[tuple[int, int]],
    weights: list[float],
    seed: int,
    cancel: Cancel,
) -> np.ndarray:
    """FR per connected component, components packed side by side (FR alone lets
    unconnected pieces drift far apart and shrinks the main picture)."""
    coords = np.zeros((n, 2))
    comps = _components(n, edges)
    big = [c for c in comps if len(c) > 1]
    singles = [c[0] for c in comps if len(c) == 1]
    boxes = []
    edge_arr = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    w_arr = np.asarray(weights, dtype=float)
    local = np.full(n, -1, dtype=np.int64)
    if big:
        labels = np.full(n, -1, dtype=np.int64)
        for ci, comp in enumerate(big):
            labels[comp] = ci
        edge_comp = labels[edge_arr[:, 0]] if len(edge_arr) else np.zeros(0, dtype=np.int64)
    for ci, comp in enumerate(big):
        _check(cancel)
        local[comp] = np.arange(len(comp))
        mask = edge_comp == ci
        sub_edges = local[edge_arr[mask]].tolist()
        sub_w = w_arr[mask].tolist()
        c = _normalise(_fr(len(comp), [tuple(e) for e in sub_edges], sub_w, seed + ci), SPACING)
        coords[comp] = c
        size = c.max(axis=0) + SPACING
        boxes.append((comp, float(size[0]), float(size[1])))
    if singles:
        cols = max(1, math.ceil(math.sqrt(len(singles))))
        rows = math.ceil(len(singles) / cols)
        for k, i in enumerate(singles):
            r, col = divmod(k, cols)
            coords[i] = (col * SPACING, r * SPACING)
        boxes.append((singles, cols * SPACING, rows * SPACING))
    corners = _shelf_pack([(w, h) for _, w, h in boxes], SPACING * 3)
    for (comp, _, _), (x, y) in zip(boxes, corners, strict=True):
        coords[comp] += (x, y)
    return coords


#: Attraction per edge kind in the force layout: the reporting backbone and projects
#: hold hardest, ties and mentorships a little less.
_FORCE_WEIGHTS = {
    "reports_to": 2.0,
    "dotted_line": 1.0,
    "mentors": 1.0,
    "tie": 0.7,
    "works_on": 1.0,
}


def network_layout(
    org: Org,
    nodes: Sequence[str],
    seed: int = 0,
    progress: Progress = None,
    cancel: Cancel = None,
) -> Pos:
    """Force-directed layout of ``nodes`` (people and projects); see the module docstring."""
    graph = org.graph
    nodes = list(nodes)
    people = [n for n in nodes if graph.nodes[n].get("kind") == "person"]
    if len(nodes) > FORCE_LIMIT:
        return _clustered_layout(org, nodes, people, seed, progress, cancel)
    index = {n: i for i, n in enumerate(nodes)}
    # Projects not shown still pull their members together, through a hidden hub.
    hubs: dict[str, int] = {}
    pair_w: dict[tuple[int, int], float] = {}
    succ = graph._succ  # noqa: SLF001 - read-only, for speed
    for u in people:
        iu = index[u]
        for v, keys in succ[u].items():
            for key, data in keys.items():
                kind = data.get("kind", key)
                w = _FORCE_WEIGHTS.get(kind)
                if w is None:
                    continue
                if kind == "works_on" and v not in index:
                    if v not in hubs:
                        hubs[v] = len(index) + len(hubs)
                    iv = hubs[v]
                elif v in index and v != u:
                    iv = index[v]
                else:
                    continue
                pair = (iu, iv) if iu < iv else (iv, iu)
                pair_w[pair] = pair_w.get(pair, 0.0) + w
    _check(cancel)
    _report(progress, 0.2, "force layout")
    n = len(index) + len(hubs)
    edges = list(pair_w)
    weights = [pair_w[e] for e in edges]
    coords = _force_components(n, edges, weights, seed, cancel)
    _report(progress, 1.0, "force layout")
    return {node: (float(coords[i, 0]), float(coords[i, 1])) for node, i in index.items()}


def _team_edges(
    org: Org, people: Sequence[str], team_of: dict[str, str | None]
) -> dict[tuple[str, str], float]:
    """Cross-team weights: person edges whose ends sit in two teams, plus shared projects."""
    graph = org.graph
    succ = graph._succ  # noqa: SLF001
    pair_w: dict[tuple[str, str], float] = {}
    project_teams: dict[str, set[str]] = {}
    for u in people:
        tu = team_of.get(u)
        for v, keys in succ[u].items():
            for key, data in keys.items():
                kind = data.get("kind", key)
                if kind == "works_on":
                    if tu is not None:
                        project_teams.setdefault(v, set()).add(tu)
                    continue
                if kind not in _FORCE_WEIGHTS:
                    continue
                tv = team_of.get(v)
                if tu is None or tv is None or tu == tv:
                    continue
                pair = (tu, tv) if tu < tv else (tv, tu)
                pair_w[pair] = pair_w.get(pair, 0.0) + _FORCE_WEIGHTS[kind]
    for teams in project_teams.values():
        if len(teams) < 2 or len(teams) > 50:  # an org-wide project would join everyone
            continue
        ts = sorted(teams)
        for a in range(len(ts)):
            for b in range(a + 1, len(ts)):
                pair = (ts[a], ts[b])
                pair_w[pair] = pair_w.get(pair, 0.0) + 1.0
    return pair_w


def _spread(
    centres: np.ndarray, radii: np.ndarray, rounds: int = 50, gap: float = SPACING / 2
) -> np.ndarray:
    """Push overlapping circles apart (a few rounds of pairwise separation)."""
    from scipy.spatial import cKDTree

    if len(centres) < 2:
        return centres
    c = centres.copy()
    rmax = float(radii.max())
    for _ in range(rounds):
        pairs = cKDTree(c).query_pairs(2 * rmax, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = c[j] - c[i]
        dist = np.hypot(d[:, 0], d[:, 1])
        need = radii[i] + radii[j] + gap
        over = need - dist
        mask = over > 0
        if not mask.any():
            break
        i, j, d, dist, over = i[mask], j[mask], d[mask], dist[mask], over[mask]
        zero = dist == 0
        d[zero] = (1.0, 0.0)
        dist[zero] = 1.0
        shift = d / dist[:, None] * (over / 2)[:, None]
        np.add.at(c, i, -shift)
        np.add.at(c, j, shift)
    return c


def team_layout(
    org: Org,
    people: Sequence[str] | None = None,
    seed: int = 0,
    cancel: Cancel = None,
) -> tuple[Pos, dict[str, float]]:
    """Team centres from a force layout of the team graph, spaced for their discs.

    Returns ``(centres, radii)``: ``{team node: (x, y)}`` and the radius each team's
    disc of people needs (:func:`network_layout` past :data:`FORCE_LIMIT` and the HTML
    teams view use it). People without a team form the pseudo-team ``"team:"``.
    """
    people = list(org.people() if people is None else people)
    team_of = _team_of(org, people)
    members: dict[str, list[str]] = {}
    for p in people:
        members.setdefault(team_of[p] or "team:", []).append(p)
    teams = sorted(members)
    index = {t: i for i, t in enumerate(teams)}
    pair_w = _team_edges(org, people, {p: team_of[p] or "team:" for p in people})
    _check(cancel)
    edges = [(index[a], index[b]) for a, b in pair_w]
    weights = [math.log1p(w) for w in pair_w.values()]
    coords = _fr(len(teams), edges, weights or None, seed) if teams else np.zeros((0, 2))
    radii = np.array([_disc_radius(len(members[t])) for t in teams])
    if len(teams) > 1:
        coords = _normalise(coords, 1.0)
        coords = coords * (2.4 * float(np.median(radii)) + SPACING)
        coords = _spread(coords, radii)
        coords = coords - coords.min(axis=0)
    centres = {t: (float(coords[i, 0]), float(coords[i, 1])) for t, i in index.items()}
    return centres, {t: float(radii[i]) for t, i in index.items()}


def _clustered_layout(
    org: Org,
    nodes: list[str],
    people: list[str],
    seed: int,
    progress: Progress,
    cancel: Cancel,
) -> Pos:
    _report(progress, 0.1, "team layout")
    centres, _ = team_layout(org, people, seed=seed, cancel=cancel)
    team_of = _team_of(org, people)
    members: dict[str, list[str]] = {}
    for p in people:
        members.setdefault(team_of[p] or "team:", []).append(p)
    pos: Pos = {}
    for t, group in members.items():
        _check(cancel)
        cx, cy = centres[t]
        for p, (ox, oy) in zip(
            _disc_order(org, group), _disc_offsets(len(group)).tolist(), strict=True
        ):
            pos[p] = (cx + ox, cy + oy)
    _report(progress, 1.0, "team layout")
    return pos


def _spread_sizes(pos: Pos, sizes: dict[str, float]) -> Pos:
    keys = list(pos)
    if len(keys) < 2:
        return pos
    coords = np.array([pos[k] for k in keys], dtype=float)
    radii = np.array([float(sizes.get(k, 0.0)) / 2 for k in keys])
    # a few rounds for big maps: each is a KD-tree query over every node
    coords = _spread(coords, radii, rounds=40 if len(keys) <= 3000 else 8, gap=SPACING / 4)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, coords.tolist(), strict=True)}


# -- the entry point ------------------------------------------------------------------------
def _centroids(org: Org, targets: Iterable[str], pos: Pos, kind_in: str) -> Pos:
    """Each target at the mean position of the placed nodes linked to it by ``kind_in``."""
    graph = org.graph
    pred = graph._pred  # noqa: SLF001
    out: Pos = {}
    for t in targets:
        xs = [pos[u] for u, keys in pred[t].items() if kind_in in keys and u in pos]
        if xs:
            arr = np.asarray(xs)
            # a small shift keeps a one-member project off its member's exact spot
            out[t] = (float(arr[:, 0].mean()) + SPACING / 3, float(arr[:, 1].mean()) - SPACING / 3)
    return out


def compute_layout(
    org: Org,
    kind: str = "orgchart",
    nodes: Iterable[str] | None = None,
    progress: Progress = None,
    cancel: Cancel = None,
    seed: int = 0,
    sizes: dict[str, float] | None = None,
) -> Pos:
    """Positions ``{node: (x, y)}`` for ``nodes`` (default: every person).

    Parameters
    ----------
    org : Org
        The organization.
    kind : {"orgchart", "network", "teams"}
        Which layout (see the module docstring).
    nodes : iterable of str, optional
        The nodes to place: people, and optionally team, department and project nodes.
        Only edges between these nodes shape the layout (a focus view lays out just the
        neighbourhood), except that hidden projects still pull their members together.
    progress, cancel : callable, optional
        ``progress(fraction, message)``; ``cancel()`` returning true raises
        :class:`orgmap.model.Cancelled`.
    seed : int
        The same seed gives the same positions.
    sizes : dict, optional
        Node diameters as drawn (``palette.node_size``); the network layout then pushes
        overlapping nodes apart (a dense tie network piles big nodes on each other).

    Returns
    -------
    dict
        ``{node: (x, y)}`` in a pixel-like unit, y downwards, every requested node
        present (nodes with no link to anything placed go to a block at the side).
    """
    if kind not in LAYOUTS:
        raise ValueError(f"unknown layout {kind!r}; expected one of {', '.join(LAYOUTS)}")
    graph = org.graph
    node_data = graph._node  # noqa: SLF001 - read-only, for speed
    by_kind: dict[str, list[str]] = {}
    if nodes is None:
        wanted = [n for n, d in node_data.items() if d.get("kind") == "person"]
        by_kind["person"] = wanted
    else:
        wanted = list(dict.fromkeys(nodes))
        unknown = [n for n in wanted if n not in graph]
        if unknown:
            raise KeyError(f"not in the org: {unknown[:5]}")
        for n in wanted:
            by_kind.setdefault(node_data[n].get("kind", "person"), []).append(n)
    people = by_kind.get("person", [])
    projects = by_kind.get("project", [])
    teams = by_kind.get("team", [])
    depts = by_kind.get("department", [])
    _check(cancel)
    if kind == "orgchart":
        pos = orgchart_layout(org, people, progress, cancel)
    elif kind == "teams":
        pos, centres = teams_layout(org, people, progress, cancel)
        pos.update({t: centres[t] for t in teams if t in centres})
    else:
        pos = network_layout(org, people + projects, seed, progress, cancel)
        if sizes:
            pos = _spread_sizes(pos, sizes)
    if kind != "network" or len(people) + len(projects) > FORCE_LIMIT:
        pos.update(_centroids(org, [p for p in projects if p not in pos], pos, "works_on"))
    pos.update(_centroids(org, [t for t in teams if t not in pos], pos, "member_of"))
    pos.update(_centroids(org, depts, pos, "part_of"))
    missing = [n for n in wanted if n not in pos]
    if missing:
        # Nothing to hang them on (a team with no member shown): a row under the picture.
        ys = [y for _, y in pos.values()] or [0.0]
        xs = [x for x, _ in pos.values()] or [0.0]
        base_y = max(ys) + 2 * SPACING
        for k, n in enumerate(missing):
            pos[n] = (min(xs) + k * SPACING, base_y)
    return pos if len(pos) == len(wanted) else {n: pos[n] for n in wanted}
