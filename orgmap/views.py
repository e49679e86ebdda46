"""Views derived from the org graph (SPEC section 3), each cached on the :class:`Org`.

The org graph mixes people, teams, departments and projects. The metrics need
person-to-person graphs, so this module derives them once and caches them with
``org.cached`` (dropped by ``org.changed()``):

influence graph
    Directed, person -> person, an edge from the *influenced* to the one who
    *influences* them, the way an advice survey records a nomination:

    ==========  =============================================================
    relation    edges
    ==========  =============================================================
    reports     report -> manager (``reports_to``)
    dotted      report -> dotted-line manager (``dotted_line``)
    mentors     mentee -> mentor (``mentors`` edges point mentor -> mentee)
    projects    every project member who is not a lead -> each lead
    ties        ego -> alter, for every tie type that records seeking someone
                out (advice and any type not listed below), weighted by the
                tie's weight
    ==========  =============================================================

    Ties whose type names a mutual relation -- friendship, collaboration,
    communication (email, meetings, chat), co-working; see
    :data:`MUTUAL_TIE_WORDS` -- are not nominations: "A names B a friend" does
    not say B influences A. They enter the collaboration graph only. Parallel
    relations between one pair add up (weight 1 each, ties their weight).

collaboration graph
    Undirected, person - person. Weight = shared projects + ties (1 per tie,
    whatever its type and direction, because tie weights come in arbitrary
    units) + mentorships + reporting and dotted lines (switchable). A project of
    more than CLIQUE_LIMIT (1,000) members counts as a star around its hub (first
    lead, else first member), not as every pair of its members: see large_projects.

team graph
    Undirected, team - team. Weight = people of both teams on one project (for
    each project, members of team A times members of team B) + mentorships and
    ties between people of the two teams.

``relations`` (a subset of :data:`orgmap.model.RELATIONS`) switches relation
kinds off in every view: ``["ties"]`` keeps only ties. The metrics use the
sparse-matrix forms (:func:`collaboration_matrix`, :func:`influence_matrix`);
the networkx graphs are built from them on request, for callers that want to
walk a graph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from orgmap.model import (
    DEPARTMENT,
    DOTTED_LINE,
    MEMBER_OF,
    MENTORS,
    PART_OF,
    PERSON,
    PROJECT,
    RELATIONS,
    REPORTS_TO,
    TEAM,
    TIE,
    WORKS_ON,
    Org,
    department_key,
    fold,
    team_key,
)

__all__ = [
    "MUTUAL_TIE_WORDS",
    "People",
    "people_index",
    "normalize_relations",
    "is_nomination",
    "influence_matrix",
    "influence_graph",
    "collaboration_matrix",
    "collaboration_graph",
    "CLIQUE_LIMIT",
    "large_projects",
    "team_links",
    "team_graph",
    "k_step_reach",
    "lit_set",
]

#: A tie whose folded type contains one of these words is mutual, not a nomination.
MUTUAL_TIE_WORDS = (
    "friend",
    "collab",
    "communicat",
    "email",
    "mail",
    "meeting",
    "chat",
    "message",
    "cowork",
)


def normalize_relations(relations: Iterable[str] | None) -> frozenset[str]:
    """The relation kinds to use; ``None`` means all. Unknown names raise ``ValueError``."""
    if relations is None:
        return frozenset(RELATIONS)
    chosen = frozenset(str(r).strip().lower() for r in relations if str(r).strip())
    unknown = chosen - set(RELATIONS)
    if unknown:
        raise ValueError(
            f"unknown relation(s) {', '.join(sorted(unknown))}; known: {', '.join(RELATIONS)}"
        )
    return chosen


def is_nomination(tie_type: str | None) -> bool:
    """True when a tie of this type means "ego looks to alter" (see module docstring)."""
    folded = fold(tie_type or "")
    return not any(word in folded for word in MUTUAL_TIE_WORDS)


@dataclass
class People:
    """Every person, indexed 0..n-1, with the edges the metrics need as index arrays.

    Team and department are per person (``-1`` when none); the edge arrays hold
    person indices (``projects`` holds project indices in ``member_project``).
    """

    nodes: list[str]
    index: dict[str, int]
    team_nodes: list[str]
    team: np.ndarray
    dept_nodes: list[str]
    dept: np.ndarray
    project_nodes: list[str]
    #: membership arrays: person index, project index, is-lead flag
    member_person: np.ndarray
    member_project: np.ndarray
    member_lead: np.ndarray
    #: directed person edges by kind: (source index array, target index array)
    reports: tuple[np.ndarray, np.ndarray]
    dotted: tuple[np.ndarray, np.ndarray]
    mentors: tuple[np.ndarray, np.ndarray]
    #: ties: source, target, weight, nomination flag
    ties: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.nodes)


def _pairs(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.asarray(pairs, dtype=np.int64)
    return arr[:, 0].copy(), arr[:, 1].copy()


def _edges(graph: nx.MultiDiGraph):
    """Every edge's ``(u, v, data)``, straight from the adjacency (twice as fast as
    ``graph.edges(data=True)`` at 100 000 people, which matters: this is the one pass
    over the whole graph that every metric shares)."""
    for u, nbrs in graph._succ.items():
        for v, keyed in nbrs.items():
            for data in keyed.values():
                yield u, v, data


def _build_people(org: Org) -> People:
    graph = org.graph
    nodes: list[str] = []
    team_nodes: list[str] = []
    dept_nodes: list[str] = []
    project_nodes: list[str] = []
    node_data = graph._node  # the node attribute dicts, without the view layer
    for node, attrs in node_data.items():
        kind = attrs.get("kind")
        if kind == PERSON:
            nodes.append(node)
        elif kind == TEAM:
            team_nodes.append(node)
        elif kind == DEPARTMENT:
            dept_nodes.append(node)
        elif kind == PROJECT:
            project_nodes.append(node)
    index = {node: i for i, node in enumerate(nodes)}
    team_index = {t: i for i, t in enumerate(team_nodes)}
    dept_index = {d: i for i, d in enumerate(dept_nodes)}
    project_index = {p: i for i, p in enumerate(project_nodes)}
    # plain lists while filling: numpy's per-item access is ~10x a list's
    team = [-1] * len(nodes)
    dept = [-1] * len(nodes)
    team_dept: dict[int, int] = {}
    reports: list[tuple[int, int]] = []
    dotted: list[tuple[int, int]] = []
    mentors: list[tuple[int, int]] = []
    members: list[tuple[int, int, bool]] = []
    ties: list[tuple[int, int, float, bool]] = []
    nomination_cache: dict[str, bool] = {}
    for u, v, data in _edges(graph):
        kind = data.get("kind")
        if kind == WORKS_ON:
            i, p = index.get(u), project_index.get(v)
            if i is not None and p is not None:
                members.append((i, p, data.get("role") == "lead"))
        elif kind == MEMBER_OF:
            i, t = index.get(u), team_index.get(v)
            if i is not None and t is not None and team[i] < 0:
                team[i] = t
        elif kind == PART_OF:
            t, d = team_index.get(u), dept_index.get(v)
            if t is not None and d is not None:
                team_dept.setdefault(t, d)
        else:
            i, j = index.get(u), index.get(v)
            if i is None or j is None or i == j:
                continue
            if kind == REPORTS_TO:
                reports.append((i, j))
            elif kind == DOTTED_LINE:
                dotted.append((i, j))
            elif kind == MENTORS:
                mentors.append((i, j))
            elif kind == TIE:
                weight = data.get("weight", 1)
                try:
                    weight = float(weight)
                except (TypeError, ValueError):
                    weight = 1.0
                if not np.isfinite(weight) or weight <= 0:
                    continue
                tie_type = str(data.get("type") or "")
                if tie_type not in nomination_cache:
                    nomination_cache[tie_type] = is_nomination(tie_type)
                ties.append((i, j, weight, nomination_cache[tie_type]))
    for i, node in enumerate(nodes):
        data = node_data[node]
        if team[i] < 0 and data.get("team"):
            team[i] = team_index.get(team_key(str(data["team"])), -1)
        if data.get("department"):
            dept[i] = dept_index.get(department_key(str(data["department"])), -1)
        if dept[i] < 0 and team[i] >= 0:
            dept[i] = team_dept.get(team[i], -1)
    if members:
        marr = np.asarray(members, dtype=np.int64)
        member_person, member_project, member_lead = marr[:, 0], marr[:, 1], marr[:, 2] > 0
    else:
        member_person = np.zeros(0, dtype=np.int64)
        member_project = np.zeros(0, dtype=np.int64)
        member_lead = np.zeros(0, dtype=bool)
    if ties:
        tsrc = np.fromiter((t[0] for t in ties), dtype=np.int64, count=len(ties))
        tdst = np.fromiter((t[1] for t in ties), dtype=np.int64, count=len(ties))
        tw = np.fromiter((t[2] for t in ties), dtype=np.float64, count=len(ties))
        tnom = np.fromiter((t[3] for t in ties), dtype=bool, count=len(ties))
    else:
        tsrc = tdst = np.zeros(0, dtype=np.int64)
        tw = np.zeros(0, dtype=np.float64)
        tnom = np.zeros(0, dtype=bool)
    return People(
        nodes=nodes,
        index=index,
        team_nodes=team_nodes,
        team=np.asarray(team, dtype=np.int64),
        dept_nodes=dept_nodes,
        dept=np.asarray(dept, dtype=np.int64),
        project_nodes=project_nodes,
        member_person=member_person,
        member_project=member_project,
        member_lead=member_lead,
        reports=_pairs(reports),
        dotted=_pairs(dotted),
        mentors=_pairs(mentors),
        ties=(tsrc, tdst, tw, tnom),
    )


def people_index(org: Org) -> People:
    """People, teams, departments, projects and person edges as index arrays (cached)."""
    return org.cached(("orgmap.views", "people"), lambda: _build_people(org))


def _square(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> sp.csr_array:
    # duplicates are summed by the COO -> CSR conversion, which is what "add up" means
    mat = sp.coo_array((vals, (rows, cols)), shape=(n, n)).tocsr()
    mat.sum_duplicates()
    mat.setdiag(0)
    mat.eliminate_zeros()
    return mat


def _membership(people: People) -> sp.csr_array:
    """People x projects incidence matrix (1 where the person works on the project)."""
    mat = sp.coo_array(
        (
            np.ones(len(people.member_person)),
            (people.member_person, people.member_project),
        ),
        shape=(people.n, len(people.project_nodes)),
    ).tocsr()
    mat.sum_duplicates()
    mat.data[:] = 1.0  # a person listed twice on one project still shares it once
    return mat


def influence_matrix(org: Org, relations: Iterable[str] | None = None) -> sp.csr_array:
    """The influence graph as a sparse matrix: ``M[i, j]`` = weight of nominations i -> j.

    Rows and columns follow :func:`people_index` order. See the module docstring.
    """
    chosen = normalize_relations(relations)
    return org.cached(("orgmap.views", "influence", chosen), lambda: _influence(org, chosen))


def _influence(org: Org, chosen: frozenset[str]) -> sp.csr_array:
    people = people_index(org)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    if "reports" in chosen:
        rows.append(people.reports[0])
        cols.append(people.reports[1])
    if "dotted" in chosen:
        rows.append(people.dotted[0])
        cols.append(people.dotted[1])
    if "mentors" in chosen:  # mentor -> mentee edges; the mentee nominates the mentor
        rows.append(people.mentors[1])
        cols.append(people.mentors[0])
    for r in rows:
        vals.append(np.ones(len(r)))
    if "projects" in chosen and len(people.member_person):
        member = _membership(people)
        leads = people.member_lead
        lead_mat = sp.coo_array(
            (
                np.ones(int(leads.sum())),
                (people.member_person[leads], people.member_project[leads]),
            ),
            shape=member.shape,
        ).tocsr()
        lead_mat.data[:] = 1.0
        # co-leads do not nominate each other: leading together is not looking up to
        followers = (member - lead_mat.multiply(member)).tocsr()
        followers.eliminate_zeros()
        pairs = (followers @ lead_mat.T).tocoo()  # member i, lead j: number of projects
        rows.append(pairs.row.astype(np.int64))
        cols.append(pairs.col.astype(np.int64))
        vals.append(pairs.data.astype(np.float64))
    if "ties" in chosen:
        src, dst, weight, nomination = people.ties
        rows.append(src[nomination])
        cols.append(dst[nomination])
        vals.append(weight[nomination])
    if not rows:
        return sp.csr_array((people.n, people.n))
    return _square(np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), people.n)


def influence_graph(org: Org, relations: Iterable[str] | None = None) -> nx.DiGraph:
    """Directed person graph, an edge from the influenced to the influencer (cached).

    Every person is a node; edge attribute ``weight`` sums the nominations.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> G = influence_graph(example_org(), relations=["reports"])
    >>> G.has_edge("person:2", "person:1"), G.has_edge("person:1", "person:2")
    (True, False)
    """
    chosen = normalize_relations(relations)

    def build() -> nx.DiGraph:
        return _to_nx(org, influence_matrix(org, chosen), nx.DiGraph())

    return org.cached(("orgmap.views", "influence_graph", chosen), build)


def collaboration_matrix(
    org: Org, relations: Iterable[str] | None = None, include_reporting: bool = True
) -> sp.csr_array:
    """The collaboration graph as a symmetric sparse matrix with a zero diagonal (cached).

    ``include_reporting=False`` drops reporting and dotted lines whatever ``relations``
    says.
    """
    chosen = normalize_relations(relations)
    if not include_reporting:
        chosen = chosen - {"reports", "dotted"}
    return org.cached(("orgmap.views", "collaboration", chosen), lambda: _collab(org, chosen))


def _relation_pairs(
    people: People, chosen: frozenset[str], relations: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(from, to) person indices of the chosen relations among ``relations``."""
    arrays = [getattr(people, r) for r in relations if r in chosen]
    if not arrays:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate([a[0] for a in arrays]), np.concatenate([a[1] for a in arrays])


def _collab(org: Org, chosen: frozenset[str]) -> sp.csr_array:
    people = people_index(org)
    r, c = _relation_pairs(people, chosen, ("reports", "dotted", "mentors", "ties"))
    # each relation counts once for the pair, whichever way it points
    mat = _square(np.concatenate([r, c]), np.concatenate([c, r]), np.ones(2 * len(r)), people.n)
    if "projects" in chosen and len(people.member_person):
        member = _membership(people)
        big = _large(people)
        if big.any():
            # A project of more than CLIQUE_LIMIT members links each member to its hub
            # (first lead in the org's order, else first member), as the HTML map
            # draws it: everyone-with-everyone would be n^2/2 pairs (5 billion for
            # 100k members, 75 GiB), ties nobody has.
            keep = np.isin(people.member_project, np.flatnonzero(big))
            hub_of = _hubs(people, keep)
            persons = people.member_person[keep]
            hubs = hub_of[people.member_project[keep]]
            star = _square(
                np.concatenate([persons, hubs]),
                np.concatenate([hubs, persons]),
                np.ones(2 * len(persons)),
                people.n,
            )
            member = (member @ sp.diags_array((~big).astype(np.float64))).tocsr()
            member.eliminate_zeros()
            mat = (mat + star).tocsr()
        shared = (member @ member.T).tocsr()  # shared projects per pair
        shared.setdiag(0)
        shared.eliminate_zeros()
        mat = (mat + shared).tocsr()
    mat.sort_indices()
    return mat


#: Members above which a project is not a clique of the collaboration graph but a star
#: around its hub (see :func:`collaboration_matrix`); :func:`large_projects` lists them.
CLIQUE_LIMIT = 1000


def _large(people: People) -> np.ndarray:
    """Per project: more than CLIQUE_LIMIT distinct members."""
    pairs = np.unique(people.member_project * max(people.n, 1) + people.member_person)
    sizes = np.bincount(pairs // max(people.n, 1), minlength=len(people.project_nodes))
    return sizes > CLIQUE_LIMIT


def _hubs(people: People, keep: np.ndarray) -> np.ndarray:
    """Per project: its first lead in people order, else its first member (-1: none)."""
    hub = np.full(len(people.project_nodes), -1, dtype=np.int64)
    proj, person = people.member_project[keep], people.member_person[keep]
    lead = people.member_lead[keep]
    # sort by (project, not lead, person): the first row per project is its hub
    order = np.lexsort((person, ~lead, proj))
    first = np.ones(len(order), dtype=bool)
    first[1:] = proj[order][1:] != proj[order][:-1]
    hub[proj[order][first]] = person[order][first]
    return hub


def large_projects(org: Org) -> list[str]:
    """Projects of more than :data:`CLIQUE_LIMIT` members, which the collaboration graph
    joins as a star around their hub instead of a clique (cached)."""

    def compute() -> list[str]:
        people = people_index(org)
        if not len(people.member_person):
            return []
        return [people.project_nodes[i] for i in np.flatnonzero(_large(people)).tolist()]

    return org.cached(("orgmap.views", "large_projects"), compute)


def collaboration_graph(
    org: Org, include_reporting: bool = True, relations: Iterable[str] | None = None
) -> nx.Graph:
    """Undirected person graph, ``weight`` = shared projects + ties + mentorship
    (+ reporting and dotted lines when ``include_reporting``); cached.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> G = collaboration_graph(example_org())
    >>> G["person:2"]["person:4"]["weight"]  # Apollo + Zeus + mentoring + reporting
    4.0
    """
    chosen = normalize_relations(relations)

    def build() -> nx.Graph:
        return _to_nx(org, collaboration_matrix(org, chosen, include_reporting), nx.Graph())

    return org.cached(("orgmap.views", "collaboration_graph", chosen, include_reporting), build)


def _to_nx(org: Org, mat: sp.csr_array, graph: nx.Graph) -> nx.Graph:
    people = people_index(org)
    graph.add_nodes_from(people.nodes)
    coo = mat.tocoo()
    keep = coo.row < coo.col if not graph.is_directed() else slice(None)
    nodes = people.nodes
    graph.add_weighted_edges_from(
        (nodes[i], nodes[j], float(w))
        for i, j, w in zip(coo.row[keep], coo.col[keep], coo.data[keep], strict=True)
    )
    return graph


def team_links(org: Org, relations: Iterable[str] | None = None) -> sp.csr_array:
    """Team x team link weights as a symmetric sparse matrix, zero diagonal (cached).

    Projects count people of both teams on one project (``|A| * |B|`` per project);
    mentorships and ties count 1 per link between people of the two teams.
    """
    chosen = normalize_relations(relations)
    return org.cached(("orgmap.views", "team_links", chosen), lambda: _team_links(org, chosen))


def _team_links(org: Org, chosen: frozenset[str]) -> sp.csr_array:
    people = people_index(org)
    nt = len(people.team_nodes)
    mat = sp.csr_array((nt, nt))
    if nt == 0:
        return mat
    team = people.team
    if "projects" in chosen and len(people.member_person):
        member = _membership(people).tocoo()
        has_team = team[member.row] >= 0
        # projects x teams: how many of the project's people are in each team
        counts = sp.coo_array(
            (np.ones(int(has_team.sum())), (member.col[has_team], team[member.row[has_team]])),
            shape=(len(people.project_nodes), nt),
        ).tocsr()
        counts.sum_duplicates()
        mat = (counts.T @ counts).tocsr()
        mat.setdiag(0)
        mat.eliminate_zeros()
    src, dst = _relation_pairs(people, chosen, ("mentors", "ties"))
    if len(src):
        a, b = team[src], team[dst]
        ok = (a >= 0) & (b >= 0) & (a != b)
        a, b = a[ok], b[ok]
        mat = (
            mat + _square(np.concatenate([a, b]), np.concatenate([b, a]), np.ones(2 * len(a)), nt)
        ).tocsr()
    mat.sort_indices()
    return mat


def team_graph(org: Org, relations: Iterable[str] | None = None) -> nx.Graph:
    """Undirected team graph (every team a node), ``weight`` as :func:`team_links`; cached.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> G = team_graph(example_org())
    >>> G["team:Platform"]["team:Data"]["weight"]  # Apollo: 2 Platform x 1 Data, + 1 tie
    3.0
    """
    chosen = normalize_relations(relations)

    def build() -> nx.Graph:
        people = people_index(org)
        graph = nx.Graph()
        graph.add_nodes_from(people.team_nodes)
        coo = team_links(org, chosen).tocoo()
        names = people.team_nodes
        graph.add_weighted_edges_from(
            (names[i], names[j], float(w))
            for i, j, w in zip(coo.row, coo.col, coo.data, strict=True)
            if i < j
        )
        return graph

    return org.cached(("orgmap.views", "team_graph", chosen), build)


def k_step_reach(org: Org, node: str, k: int, relations: Iterable[str] | None = None) -> set[str]:
    """People within ``k`` steps of ``node`` on the collaboration graph, ``node`` included.

    For a team, department or project node the walk starts from all its people (and
    the node itself is included); an unknown node raises ``KeyError``.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> sorted(k_step_reach(example_org(), "person:6", 1))  # Zeus, mentor, manager, friend
    ['person:2', 'person:4', 'person:6', 'person:7']
    """
    if node not in org.graph:
        raise KeyError(f"no such node: {node!r}")
    people = people_index(org)
    mat = collaboration_matrix(org, relations)
    kind = org.graph.nodes[node].get("kind")
    if kind == PERSON:
        start = [people.index[node]]
    elif kind == DEPARTMENT:
        start = np.flatnonzero(people.dept == people.dept_nodes.index(node)).tolist()
    else:
        start = sorted(
            {people.index[u] for u, _ in org.graph.in_edges(node) if u in people.index}
            | {people.index[v] for _, v in org.graph.out_edges(node) if v in people.index}
        )
    dist = {i: 0 for i in start}
    queue = deque(start)
    indptr, indices = mat.indptr, mat.indices
    while queue:
        i = queue.popleft()
        if dist[i] >= k:
            continue
        for j in indices[indptr[i] : indptr[i + 1]]:
            j = int(j)
            if j not in dist:
                dist[j] = dist[i] + 1
                queue.append(j)
    found = {people.nodes[i] for i in dist}
    if kind != PERSON:
        found.add(node)
    return found


def lit_set(
    org: Org, node: str | None, k: int = 2, relations: Iterable[str] | None = None
) -> set[str]:
    """What a selection lights up, wherever it is shown: canvas, status bar, inspector, HTML.

    The one rule, so every view agrees:

    - a person: the people within ``k`` steps on the collaboration graph over the chosen
      ``relations`` (:func:`k_step_reach`), the person included;
    - a project: itself, its members, and the teams those members belong to;
    - a team: itself and its members;
    - a department: itself, its teams, and their members.

    Group membership is structure, not a relation, so ``relations`` and ``k`` change
    only what a person lights. An unknown or empty ``node`` lights nothing.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> sorted(lit_set(example_org(), "person:6", 1))
    ['person:2', 'person:4', 'person:6', 'person:7']
    """
    if not node or node not in org.graph:
        return set()
    graph = org.graph
    kind = graph.nodes[node].get("kind")
    if kind == PERSON:
        return k_step_reach(org, node, k, relations)
    lit = {node}
    if kind == PROJECT:
        for person, _, key in graph.in_edges(node, keys=True):
            if key == WORKS_ON:
                lit.add(person)
                for _, team, tkey in graph.out_edges(person, keys=True):
                    if tkey == MEMBER_OF:
                        lit.add(team)
    elif kind in (TEAM, DEPARTMENT):
        teams = (
            [t for t, _, key in graph.in_edges(node, keys=True) if key == PART_OF]
            if kind == DEPARTMENT
            else []
        )
        lit.update(teams)
        for group in [node, *teams]:
            lit.update(p for p, _, key in graph.in_edges(group, keys=True) if key == MEMBER_OF)
        if kind == DEPARTMENT:
            # people in the department without a team are its members too
            people = people_index(org)
            if node in people.dept_nodes:
                code = people.dept_nodes.index(node)
                lit.update(people.nodes[i] for i in np.flatnonzero(people.dept == code))
    return lit
