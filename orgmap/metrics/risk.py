"""Key-person risk: what falls apart on the collaboration graph if one person leaves."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import collaboration_matrix, normalize_relations, people_index

__all__ = [
    "TEAM_PAIR_WEIGHT",
    "key_person_risk_matrix",
    "key_person_risk",
    "key_person_risk_detail",
    "team_pair_carriers",
]

#: Points a team pair counts in :func:`key_person_risk`, against 1 per person left
#: without a collaborator: the sole link between two teams is what a leader asks
#: about first, so it ranks above someone whose leaving strands a few leaves (in a
#: 48-person sample, Sales' only link to Data scored 1 and ranked 13th, under managers
#: with two reports who collaborate with nobody else).
TEAM_PAIR_WEIGHT = 10


def key_person_risk_matrix(mat: sp.sparray, team: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Team pairs and people that lose their last connection when a node is removed.

    Parameters
    ----------
    mat : sparse array (n, n)
        Symmetric adjacency (non-zero = edge).
    team : numpy.ndarray
        Team index per node, -1 for none.

    Returns
    -------
    (team_pairs, people)
        ``team_pairs[v]``: pairs of distinct teams whose every edge touches ``v``;
        ``people[v]``: neighbours of ``v`` whose only edge is to ``v``.

    References
    ----------
    Cross & Prusak (2002), see :func:`key_person_risk`.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> path = sp.csr_array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])  # A - B - C
    >>> pairs, people = key_person_risk_matrix(path, np.array([0, 0, 1]))
    >>> pairs.tolist(), people.tolist()  # only B links the two teams; A and C hang on B
    ([0, 1, 1], [0, 2, 0])
    """
    n = mat.shape[0]
    upper = sp.triu(mat, k=1).tocoo()
    u, v = upper.row.astype(np.int64), upper.col.astype(np.int64)
    degree = np.zeros(n, dtype=np.int64)
    np.add.at(degree, u, 1)
    np.add.at(degree, v, 1)
    people = np.zeros(n, dtype=np.int64)
    np.add.at(people, u[degree[v] == 1], 1)
    np.add.at(people, v[degree[u] == 1], 1)

    pairs_out = np.zeros(n, dtype=np.int64)
    tu, tv = team[u], team[v]
    cross = (tu >= 0) & (tv >= 0) & (tu != tv)
    if cross.any():
        u, v, tu, tv = u[cross], v[cross], tu[cross], tv[cross]
        nt = int(team.max()) + 1
        pair = np.minimum(tu, tv) * nt + np.maximum(tu, tv)
        pair_ids, pair_idx, edges_per_pair = np.unique(
            pair, return_inverse=True, return_counts=True
        )
        # (pair, person) incidences; a person owns a pair when they touch every edge of it
        inc = np.concatenate([pair_idx * n + u, pair_idx * n + v])
        keys, counts = np.unique(inc, return_counts=True)
        owner_pair, owner = keys // n, keys % n
        owned = counts == edges_per_pair[owner_pair]
        np.add.at(pairs_out, owner[owned], 1)
    return pairs_out, people


def key_person_risk(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """What loses its last connection if this person leaves, as one score.

    On the collaboration graph (shared projects, ties, mentoring and reporting
    lines): :data:`TEAM_PAIR_WEIGHT` (10) points for each pair of teams whose every
    link runs through the person (every collaboration edge between the two teams has
    the person at one end), plus 1 point for each person whose only collaborator is
    the person. 0 means the network does not notice the person leaving. The
    weighting ranks a sole bridge between two teams above people whose loss strands
    only a leaf or two; :func:`key_person_risk_detail` names what each point is.

    Both parts are counted directly from the edges (no graph is re-run per
    person), so the metric costs one pass over the edges.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112 (bottlenecks and single points of failure).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> key_person_risk(example_org())["person:1"]  # the only Leadership-Platform and -Data link
    20
    """
    chosen = normalize_relations(relations)

    def compute() -> tuple[np.ndarray, np.ndarray]:
        return key_person_risk_matrix(collaboration_matrix(org, chosen), people_index(org).team)

    pairs, people_lost = org.cached(("orgmap.metrics", "key_person_risk", chosen), compute)
    values = TEAM_PAIR_WEIGHT * pairs + people_lost
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))


def team_pair_carriers(
    org: Org, relations: Iterable[str] | None = None
) -> dict[tuple[int, int], dict[str, Any]]:
    """The people who carry each link between two teams on the collaboration graph.

    Returns ``{(team a, team b): {"edges": k, "carriers": [person index...],
    "sole": [person index...]}}`` with team indices of :func:`people_index` (``a < b``):
    every person with an edge across the pair, and the one or two people who touch
    every such edge (the pair's single points of failure; empty when the link
    survives any one person leaving). Cached.

    References
    ----------
    Cross & Prusak (2002), see :func:`key_person_risk`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> len(team_pair_carriers(example_org()))  # Leadership-Platform, Leadership-Data, Data-Platform
    3
    """
    chosen = normalize_relations(relations)

    def compute() -> dict[tuple[int, int], dict[str, Any]]:
        people = people_index(org)
        n = people.n
        upper = sp.triu(collaboration_matrix(org, chosen), k=1).tocoo()
        i, j = upper.row.astype(np.int64), upper.col.astype(np.int64)
        ti, tj = people.team[i].astype(np.int64), people.team[j].astype(np.int64)
        cross = (ti >= 0) & (tj >= 0) & (ti != tj)
        if not cross.any():
            return {}
        i, j, ti, tj = i[cross], j[cross], ti[cross], tj[cross]
        # grouped with numpy, not a dict per edge (200k cross-team edges at 100k people)
        nt = int(people.team.max()) + 1
        pair = np.minimum(ti, tj) * nt + np.maximum(ti, tj)
        pair_ids, first, pair_of, edges = np.unique(
            pair, return_index=True, return_inverse=True, return_counts=True
        )
        keys, touches = np.unique(
            np.concatenate([pair_of * n + i, pair_of * n + j]), return_counts=True
        )
        key_pair, person = keys // n, keys % n
        sole = touches == edges[key_pair]
        bounds = np.searchsorted(key_pair, np.arange(len(pair_ids) + 1)).tolist()
        person_list, sole_list = person.tolist(), sole.tolist()
        edge_counts, ids = edges.tolist(), pair_ids.tolist()
        out: dict[tuple[int, int], dict[str, Any]] = {}
        for k in np.argsort(first, kind="stable").tolist():  # pairs in edge order, as before
            lo, hi = bounds[k], bounds[k + 1]
            carriers = person_list[lo:hi]
            out[(ids[k] // nt, ids[k] % nt)] = {
                "edges": edge_counts[k],
                "carriers": carriers,
                "sole": [p for p, alone in zip(carriers, sole_list[lo:hi], strict=True) if alone],
            }
        return out

    return org.cached(("orgmap.metrics", "team_pair_carriers", chosen), compute)


def _remaining_path(
    adjacency: dict[int, list[int]],
    start: int,
    goal: int,
    cut: set[tuple[int, int]],
    neighbours: dict[int, set[int]] | None = None,
) -> list[int] | None:
    """Shortest chain of teams from ``start`` to ``goal`` once the pairs in ``cut`` are gone.

    Bidirectional breadth-first search, a level of the smaller side at a time (as
    :func:`networkx.bidirectional_shortest_path`): at 100k people a one-sided search per
    team pair crossed most of a 5 000-team graph each time and took most of
    :func:`~orgmap.metrics.compute.compute_all`'s time; cut-apart pairs now stop as soon
    as the smaller side runs out. ``adjacency`` lists are sorted, so ties between equally
    short chains always resolve the same way. ``neighbours`` (the same graph as sets)
    lets a chain through one shared team be found by a set intersection; any direct
    pair of ``start`` and ``goal`` is expected in ``cut`` (the caller's case).
    """
    if start == goal:
        return [start]

    def open_pair(t: int, u: int) -> bool:
        return ((t, u) if t < u else (u, t)) not in cut

    # most team pairs are still two steps apart: a shared neighbour team, found by one
    # set intersection (the lowest such team, so ties resolve the same way every run)
    common = neighbours.get(start, set()) & neighbours.get(goal, set()) if neighbours else set()
    via = min((c for c in common if open_pair(start, c) and open_pair(c, goal)), default=None)
    if via is not None:
        return [start, via, goal]
    if all(start in pair for pair in cut):
        # every cut edge touches start, which the search leaves at once: only a step out
        # of start, or back into it, needs a check (no pair built per edge)
        blocked = {t for pair in cut for t in pair} - {start}
        return _bidirectional(
            adjacency,
            start,
            goal,
            lambda t, u: (t != start or u not in blocked) and (u != start or t not in blocked),
        )
    return _bidirectional(adjacency, start, goal, open_pair)


def _bidirectional(
    adjacency: dict[int, list[int]], start: int, goal: int, passable: Callable[[int, int], bool]
) -> list[int] | None:
    """Shortest chain from ``start`` to ``goal`` over the steps ``passable(t, u)`` allows
    (symmetric), a level of the smaller side at a time; None when there is none."""
    pred = {start: start}
    succ = {goal: goal}
    forward, backward = [start], [goal]
    while forward and backward:
        if len(forward) <= len(backward):
            forward, meet = _expand(adjacency, forward, pred, succ, passable)
        else:
            backward, meet = _expand(adjacency, backward, succ, pred, passable)
        if meet is not None:
            return _join(pred, succ, meet)
    return None


def _expand(
    adjacency: dict[int, list[int]],
    level: list[int],
    seen: dict[int, int],
    other: dict[int, int],
    passable: Callable[[int, int], bool],
) -> tuple[list[int], int | None]:
    """One level of a breadth-first side: the next level, and the team where it meets
    the ``other`` side (then the search stops)."""
    following: list[int] = []
    for t in level:
        for u in adjacency.get(t, ()):
            if u in seen or not passable(t, u):
                continue
            seen[u] = t
            if u in other:
                return following, u
            following.append(u)
    return following, None


def _join(pred: dict[int, int], succ: dict[int, int], meet: int) -> list[int]:
    path = [meet]
    while pred[path[-1]] != path[-1]:
        path.append(pred[path[-1]])
    path.reverse()
    while succ[path[-1]] != path[-1]:
        path.append(succ[path[-1]])
    return path


def key_person_risk_detail(
    org: Org, relations: Iterable[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """What each person's :func:`key_person_risk` counts, named.

    For every person a list (empty when nothing depends on them) of:

    - ``{"kind": "team_pair", "teams": [A, B], "remaining": [A, C, B] | None,
      "text": ...}`` for each pair of teams whose every link runs through the person;
      ``remaining`` is the shortest chain of teams that still links the two once the
      person has left (teams linked by someone else), ``None`` when they would be
      cut apart;
    - ``{"kind": "person", "id": ..., "name": ..., "remaining": None, "text": ...}``
      for each person whose only collaborator is this person.

    Team pairs come first (they weigh :data:`TEAM_PAIR_WEIGHT` points each), then
    people, each by name.

    References
    ----------
    Cross & Prusak (2002), see :func:`key_person_risk`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> [d["text"] for d in key_person_risk_detail(example_org())["person:1"]]
    ['Leadership - Data: no other link would remain', 'Leadership - Platform: no other link would remain']
    """
    chosen = normalize_relations(relations)

    def compute() -> dict[str, list[dict[str, Any]]]:
        people = people_index(org)
        graph = org.graph
        team_names = [str(graph.nodes[t].get("name") or t) for t in people.team_nodes]
        carriers = team_pair_carriers(org, chosen)
        neighbours: dict[int, set[int]] = {}
        owned: dict[int, list[tuple[int, int]]] = {}
        for (a, b), entry in carriers.items():
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
            for p in entry["sole"]:
                owned.setdefault(p, []).append((a, b))
        adjacency = {t: sorted(us) for t, us in neighbours.items()}
        mat = collaboration_matrix(org, chosen)
        degree = np.diff(mat.indptr)
        out: dict[str, list[dict[str, Any]]] = {node: [] for node in people.nodes}
        for p, pairs in owned.items():
            cut = set(pairs)
            items = []
            for a, b in pairs:
                # the person's own team first: "Sales - Data" on a Sales engineer
                if people.team[p] == b:
                    a, b = b, a
                path = _remaining_path(adjacency, a, b, cut, neighbours)
                names = [team_names[t] for t in path] if path else None
                text = f"{team_names[a]} - {team_names[b]}: " + (
                    "still linked through " + " - ".join(names)
                    if names
                    else "no other link would remain"
                )
                items.append(
                    {"kind": "team_pair", "teams": [team_names[a], team_names[b]],
                     "remaining": names, "text": text}
                )  # fmt: skip
            items.sort(key=lambda d: d["text"].casefold())
            out[people.nodes[p]].extend(items)
        # people whose only collaborator is someone: one edge, from their row
        for q in np.flatnonzero(degree == 1).tolist():
            p = int(mat.indices[mat.indptr[q]])
            node = people.nodes[q]
            name = org.label(node)
            out[people.nodes[p]].append(
                {
                    "kind": "person",
                    "id": graph.nodes[node].get("id"),
                    "name": name,
                    "remaining": None,
                    "text": f"{name}: no other collaborator",
                }
            )
        for items in out.values():
            items.sort(key=lambda d: (d["kind"] != "team_pair", d["text"].casefold()))
        return out

    return org.cached(detail_cache_key(chosen), compute)


def detail_cache_key(chosen: frozenset[str]) -> tuple:
    """Where :func:`key_person_risk_detail` keeps its result in the org's cache."""
    return ("orgmap.metrics", "key_person_risk_detail", chosen)
