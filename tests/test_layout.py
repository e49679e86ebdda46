"""Shared layouts: the picture the canvas and the HTML map both draw."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.spatial import cKDTree

from orgmap.layout import FORCE_LIMIT, compute_layout, team_layout
from orgmap.model import Cancelled, Org


def person(org: Org, pid: str, team: str | None = None, dept: str = "R&D", **attrs) -> str:
    key = f"person:{pid}"
    org.graph.add_node(
        key, kind="person", id=pid, name=f"Name {pid}", team=team, department=dept, **attrs
    )
    if team:
        tkey = f"team:{team}"
        if tkey not in org.graph:
            org.graph.add_node(tkey, kind="team", name=team, department=dept)
            dkey = f"department:{dept}"
            org.graph.add_node(dkey, kind="department", name=dept)
            org.graph.add_edge(tkey, dkey, key="part_of", kind="part_of")
        org.graph.add_edge(key, tkey, key="member_of", kind="member_of")
    return key


def reports(org: Org, a: str, b: str) -> None:
    org.graph.add_edge(f"person:{a}", f"person:{b}", key="reports_to", kind="reports_to")


def small_org() -> Org:
    """CEO, two managers with 3 and 12 reports, plus a loner and a project."""
    org = Org()
    person(org, "ceo", "Exec")
    person(org, "m1", "Alpha")
    person(org, "m2", "Beta")
    reports(org, "m1", "ceo")
    reports(org, "m2", "ceo")
    for i in range(3):
        person(org, f"a{i}", "Alpha")
        reports(org, f"a{i}", "m1")
    for i in range(12):
        person(org, f"b{i}", "Beta")
        reports(org, f"b{i}", "m2")
    person(org, "loner", None)
    org.graph.add_node("project:X", kind="project", name="X")
    for p in ("a0", "b0", "b1"):
        org.graph.add_edge(
            f"person:{p}", "project:X", key="works_on", kind="works_on", role="contributor"
        )
    org.changed()
    return org


def min_distance(pos: dict) -> float:
    pts = np.array(list(pos.values()))
    d, _ = cKDTree(pts).query(pts, k=2)
    return float(d[:, 1].min())


@pytest.mark.parametrize("kind", ["orgchart", "network", "teams"])
def test_every_person_placed_finite_and_apart(kind: str) -> None:
    org = small_org()
    pos = compute_layout(org, kind)
    assert set(pos) == set(org.people())
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    # nodes never sit on top of each other (the unit is pixel-like, ~30+ apart)
    assert min_distance(pos) >= (20 if kind == "network" else 30)


def test_orgchart_managers_above_their_reports_and_wide_teams_wrap() -> None:
    org = small_org()
    pos = compute_layout(org, "orgchart")
    assert pos["person:ceo"][1] < pos["person:m1"][1] < pos["person:a0"][1]
    # a manager sits horizontally within the span of their reports
    xs = [pos[f"person:b{i}"][0] for i in range(12)]
    assert min(xs) <= pos["person:m2"][0] <= max(xs)
    # 12 reports of one manager form a grid block, not a 12-wide row
    assert len({round(pos[f"person:b{i}"][1]) for i in range(12)}) >= 2
    # the loner (no manager, no reports) sits at the top level, beside the tree
    assert pos["person:loner"][1] == pos["person:ceo"][1]


def test_orgchart_survives_deep_chains_and_cycles() -> None:
    org = Org()
    n = 5000
    for i in range(n):
        person(org, str(i), "T")
        if i:
            reports(org, str(i), str(i - 1))
    # a reporting cycle, as dirty data has: x -> y -> z -> x
    for p in "xyz":
        person(org, p, "T")
    reports(org, "x", "y")
    reports(org, "y", "z")
    reports(org, "z", "x")
    pos = compute_layout(org, "orgchart")
    assert len(pos) == n + 3
    assert pos["person:4999"][1] > pos["person:0"][1]


def test_network_is_deterministic_for_a_seed() -> None:
    org = small_org()
    a = compute_layout(org, "network", seed=3)
    b = compute_layout(org, "network", seed=3)
    c = compute_layout(org, "network", seed=4)
    assert a == b
    assert a != c


def test_network_keeps_linked_people_closer_than_strangers() -> None:
    org = small_org()
    pos = compute_layout(org, "network")
    p = {k: np.array(v) for k, v in pos.items()}
    report_d = np.mean([np.linalg.norm(p[f"person:b{i}"] - p["person:m2"]) for i in range(12)])
    stranger_d = np.mean([np.linalg.norm(p[f"person:b{i}"] - p["person:a1"]) for i in range(12)])
    assert report_d < stranger_d


def test_teams_layout_groups_people_in_team_discs() -> None:
    org = small_org()
    nodes = org.people() + org.teams()
    pos = compute_layout(org, "teams", nodes=nodes)
    centre = np.array(pos["team:Beta"])
    beta = [np.linalg.norm(np.array(pos[f"person:b{i}"]) - centre) for i in range(12)]
    alpha = [np.linalg.norm(np.array(pos[f"person:a{i}"]) - centre) for i in range(3)]
    assert max(beta) < min(alpha)
    # the manager is in the middle of the disc
    assert np.linalg.norm(np.array(pos["person:m2"]) - centre) < 1


@pytest.mark.parametrize("kind", ["orgchart", "network", "teams"])
def test_other_node_kinds_get_positions(kind: str) -> None:
    org = small_org()
    nodes = org.people() + org.teams() + org.projects() + org.departments()
    pos = compute_layout(org, kind, nodes=nodes)
    assert set(pos) == set(nodes)
    assert all(math.isfinite(v) for xy in pos.values() for v in xy)


def test_subset_layout_uses_only_given_nodes() -> None:
    org = small_org()
    subset = ["person:m2"] + [f"person:b{i}" for i in range(5)]
    for kind in ("orgchart", "network", "teams"):
        assert set(compute_layout(org, kind, nodes=subset)) == set(subset)


def test_cancel_and_bad_kind() -> None:
    org = small_org()
    with pytest.raises(Cancelled):
        compute_layout(org, "network", cancel=lambda: True)
    with pytest.raises(ValueError, match="unknown layout"):
        compute_layout(org, "spiral")


def test_progress_reaches_the_end() -> None:
    seen: list[float] = []
    compute_layout(small_org(), "network", progress=lambda f, m: seen.append(f))
    assert seen and seen[-1] == 1.0


def test_team_layout_separates_team_discs() -> None:
    org = small_org()
    centres, radii = team_layout(org)
    assert set(centres) >= {"team:Alpha", "team:Beta", "team:Exec"}
    a, b = np.array(centres["team:Alpha"]), np.array(centres["team:Beta"])
    assert np.linalg.norm(a - b) >= radii["team:Alpha"] + radii["team:Beta"]


def test_force_limit_switches_to_clustered_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    import orgmap.layout as layout

    assert FORCE_LIMIT >= 1_000
    monkeypatch.setattr(layout, "FORCE_LIMIT", 5)
    org = small_org()
    pos = compute_layout(org, "network", nodes=org.people() + org.teams())
    centre = np.array(pos["team:Beta"])
    assert max(np.linalg.norm(np.array(pos[f"person:b{i}"]) - centre) for i in range(12)) < 150
    assert min_distance({k: v for k, v in pos.items() if k.startswith("person:")}) >= 30


def test_network_with_sizes_keeps_big_nodes_apart() -> None:
    org = Org()
    # a dense clique of 12 people with big nodes: without sizes they would overlap
    for i in range(12):
        person(org, str(i), "T")
    for i in range(12):
        for j in range(i + 1, 12):
            org.graph.add_edge(
                f"person:{i}", f"person:{j}", key="tie:advice", kind="tie", type="advice", weight=1
            )
    org.changed()
    sizes = {p: 60.0 for p in org.people()}
    pos = compute_layout(org, "network", sizes=sizes)
    assert min_distance(pos) >= 60.0


def _managers(org: Org) -> dict[str, str]:
    return {u: v for u, v, k in org.graph.edges(keys=True) if k == "reports_to" and u != v}


def _edges_through_nodes(org: Org, pos: dict, radius: float = 8.0) -> list[tuple]:
    """Reporting lines (drawn straight) that pass within ``radius`` of a third node."""
    keys = list(pos)
    pts = np.array([pos[k] for k in keys])
    hits = []
    for p, m in _managers(org).items():
        if p not in pos or m not in pos:
            continue
        a, b = np.array(pos[p]), np.array(pos[m])
        d = b - a
        t = np.clip((pts - a) @ d / (d @ d), 0.0, 1.0)
        dist = np.hypot(*(pts - (a + t[:, None] * d)).T)
        hits.extend((p, m, keys[i]) for i in np.nonzero(dist < radius)[0] if keys[i] not in (p, m))
    return hits


def test_orgchart_krackhardt_vice_presidents_share_a_row(krackhardt_org) -> None:
    org = krackhardt_org
    pos = compute_layout(org, "orgchart")
    y = {k: pos[f"person:{k}"][1] for k in ("7", "2", "14", "18", "21")}
    # 2, 14, 18 and 21 all report to the president 7: one row, under 7
    assert y["2"] == y["14"] == y["18"] == y["21"] > y["7"]
    mgr = _managers(org)
    vps = {f"person:{k}" for k in ("2", "14", "18", "21")}
    reports_of_vps = [p for p, m in mgr.items() if m in vps]
    assert reports_of_vps
    assert all(pos[p][1] > y["21"] for p in reports_of_vps)
    # the line 21 -> 7 (or any other) runs through nobody, so 21 never seems to report to 10
    assert _edges_through_nodes(org, pos) == []


def test_orgchart_rows_follow_reporting_depth_on_a_generated_org() -> None:
    from orgmap.sample import sample_org

    org = sample_org(300, seed=7)
    pos = compute_layout(org, "orgchart")
    mgr = _managers(org)
    assert mgr
    assert all(pos[p][1] > pos[m][1] for p, m in mgr.items())
    depth: dict[str, int] = {}
    for p in org.people():
        chain, node = [], p
        while node in mgr and node not in chain:
            chain.append(node)
            node = mgr[node]
        depth[p] = len(chain)
    managers = set(mgr.values())
    rows: dict[int, set[float]] = {}
    for p in managers:
        rows.setdefault(depth[p], set()).add(pos[p][1])
    assert len(rows) >= 3
    assert all(len(ys) == 1 for ys in rows.values()), rows
    assert _edges_through_nodes(org, pos) == []
    assert min_distance(pos) >= 30


def test_orgchart_of_a_wide_org_is_not_a_thin_strip():
    import numpy as np

    from orgmap.layout import CHART_MAX_ASPECT, compute_layout
    from orgmap.sample import sample_org

    org = sample_org(300, seed=7)
    xy = np.array(list(compute_layout(org, "orgchart").values()))
    width, height = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
    assert width / height <= CHART_MAX_ASPECT + 1e-6


def test_a_big_org_chart_wraps_into_a_readable_block():
    """Past CHART_WRAP_PEOPLE a manager's sub-trees wrap into bands: 5,000 people are a
    block about as wide as a screen is, not a strip; everyone still sits below their
    manager, and nobody overlaps."""
    import numpy as np

    from orgmap.layout import CHART_MAX_ASPECT, CHART_WRAP_PEOPLE, compute_layout
    from orgmap.sample import sample_org

    org = sample_org(5000, seed=3)
    assert len(org.people()) > CHART_WRAP_PEOPLE
    pos = compute_layout(org, "orgchart")
    xy = np.array(list(pos.values()))
    width, height = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
    assert width / height <= CHART_MAX_ASPECT * 1.5, (width, height)
    mgr = _managers(org)
    assert all(pos[p][1] > pos[m][1] for p, m in mgr.items())
    assert min_distance(pos) >= 30
