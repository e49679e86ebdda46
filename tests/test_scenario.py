"""What-if edits on tiny hand-built orgs, with the diffs and metrics computed by hand."""

from __future__ import annotations

import pytest

from orgmap.metrics import compute_all
from orgmap.metrics.examples import OrgBuilder, example_org
from orgmap.metrics.risk import key_person_risk, key_person_risk_detail
from orgmap.metrics.teams import ei_index, silo
from orgmap.sample import sample_org
from orgmap.scenario import (
    FAST_METRICS,
    AddMember,
    MovePerson,
    MoveTeam,
    RemoveMember,
    RemovePerson,
    Scenario,
    ScenarioError,
    edit_from_dict,
    recompute,
    what_if,
)


def bridged_org():
    """Platform: P1 <- P2, P1 <- X <- Y; Data: D1 <- D2; project Link = X + D2.

    X's project with D2 is the only link between Platform and Data, and Y's only
    collaborator is X (Y reports to X and works with nobody else).
    """
    b = OrgBuilder()
    b.person("p1", "P1", "Platform", "Eng")
    b.person("p2", "P2", "Platform", "Eng", "p1")
    b.person("x", "X", "Platform", "Eng", "p1")
    b.person("y", "Y", "Platform", "Eng", "x")
    b.person("d1", "D1", "Data", "Eng")
    b.person("d2", "D2", "Data", "Eng", "d1")
    b.project("Link", members=["x", "d2"])
    return b.org()


def test_the_only_bridge_shows_who_is_cut_off_and_removing_it_makes_data_a_silo():
    org = bridged_org()
    # by hand: the Platform-Data pair runs through X (10 points) and Y hangs on X (1)
    assert key_person_risk(org)["person:x"] == 11
    texts = [d["text"] for d in key_person_risk_detail(org)["person:x"]]
    assert texts == ["Platform - Data: no other link would remain", "Y: no other collaborator"]
    # Platform: P1-P2, P1-X, X-Y inside, X-D2 outside: (1 - 3) / 4; Data: (1 - 1) / 2
    assert ei_index(org)["team:Platform"] == -0.5
    assert ei_index(org)["team:Data"] == 0.0

    edited, diff = what_if(org, [RemovePerson("person:x", reports_up=False)])
    assert [p["id"] for p in diff.left] == ["x"]
    assert diff.lost_last_link == [{"id": "y", "name": "Y"}]
    assert ei_index(edited)["team:Data"] == -1.0 and silo(edited)["team:Data"] is True
    assert diff.links["cross_team_projects"]["lost"] == [{"project": "Link", "teams": 2}]
    lost = {(x["from"], x["to"]) for x in diff.links["reporting_lines"]["lost"]}
    assert lost == {("X", "P1"), ("Y", "X")}
    # Y kept no manager (reports_up=False): that is a move too
    assert diff.moved == [{"id": "y", "name": "Y", "manager": ["X", None]}]
    assert diff.summary_text() == (
        "0 joined, 1 left, 1 moved; Data became a silo; 1 lost their last link (Y)"
    )
    # the original is untouched
    assert "person:x" in org.graph and ei_index(org)["team:Data"] == 0.0


def test_removing_a_manager_moves_their_reports_up():
    org = bridged_org()
    _, diff = what_if(org, [RemovePerson("person:x")])
    assert diff.lost_last_link == []
    assert diff.moved == [{"id": "y", "name": "Y", "manager": ["X", "P1"]}]
    gained = [(x["from"], x["to"]) for x in diff.links["reporting_lines"]["gained"]]
    assert gained == [("Y", "P1")]


def test_a_move_that_makes_a_reporting_cycle_is_refused_and_changes_nothing():
    org = example_org()
    s = Scenario(org)
    before = list(s.org.graph.edges(keys=True))
    with pytest.raises(ScenarioError, match=r"Ed already reports to Ada \(Ed -> Cy -> Ada\)"):
        s.apply(MovePerson("person:1", "person:5"))
    with pytest.raises(ScenarioError, match="cannot report to themselves"):
        s.apply(MovePerson("person:2", "person:2"))
    with pytest.raises(ScenarioError, match="who is in it: the move would make a reporting cycle"):
        s.apply(MoveTeam("team:Platform", "person:4"))
    assert list(s.org.graph.edges(keys=True)) == before and s.steps == []


def test_move_person_joins_the_managers_team_and_counts_as_a_move():
    org = example_org()
    s = Scenario(org)
    step = s.apply(MovePerson("person:6", "person:3"))
    assert step.text == "Move Flo (6) under Cy (3)"
    diff = s.diff()
    assert diff.moved == [
        {"id": "6", "name": "Flo", "manager": ["Ben", "Cy"], "team": ["Platform", "Data"]}
    ]
    # Zeus (Di, Flo, Ben) spanned Platform only; with Flo in Data it spans two teams
    assert diff.links["cross_team_projects"]["gained"] == [{"project": "Zeus", "teams": 2}]
    assert diff.summary_text() == "0 joined, 0 left, 1 moved"


def test_move_team_moves_its_heads_and_its_department():
    b = OrgBuilder()
    b.person("1", "Ada", "Leadership", "Exec")
    b.person("2", "Ben", "Sales", "Commercial", "1")
    b.person("3", "Cy", "Web", "Engineering", "1")
    b.person("4", "Di", "Web", "Engineering", "3")
    s = Scenario(b.org())
    s.apply(MoveTeam("team:Web", "person:2"))
    diff = s.diff()
    # Cy heads Web: now under Ben; Web joins Ben's department, so both its people move
    assert diff.moved == [
        {"id": "3", "name": "Cy", "manager": ["Ada", "Ben"],
         "department": ["Engineering", "Commercial"]},
        {"id": "4", "name": "Di", "department": ["Engineering", "Commercial"]},
    ]  # fmt: skip
    assert s.org.graph.has_edge("team:Web", "department:Commercial", key="part_of")
    assert not s.org.graph.has_edge("team:Web", "department:Engineering", key="part_of")


def test_project_membership_edits_and_their_refusals():
    s = Scenario(example_org())
    with pytest.raises(ScenarioError, match="already works on Apollo"):
        s.apply(AddMember("person:4", "project:Apollo"))
    with pytest.raises(ScenarioError, match="does not work on Zeus"):
        s.apply(RemoveMember("person:5", "project:Zeus"))
    with pytest.raises(ScenarioError, match="no person 'nobody'"):
        s.apply(RemovePerson("person:nobody"))
    s.apply(AddMember("person:7", "project:Zeus", "contributor"))
    # Gus has no team, so Zeus still spans Platform only; as a member he now
    # nominates Zeus's lead, Di, whose influence rises (and nobody else's rises more)
    diff = s.diff()
    assert diff.links["cross_team_projects"] == {"gained": [], "lost": []}
    rows = {r["name"]: r for r in diff.people_metrics}
    gains = {name: r["influence"]["change"] for name, r in rows.items() if "influence" in r}
    assert gains["Di"] > 0 and max(gains, key=gains.get) == "Di"
    s.apply(RemoveMember("person:5", "project:Apollo"))
    assert not s.org.graph.has_edge("person:5", "project:Apollo", key="works_on")


def test_a_scenario_then_its_inverse_gives_the_original_metrics_exactly():
    base = sample_org(150, seed=3)
    original = compute_all(base)
    nodes, edges = list(base.graph.nodes), list(base.graph.edges(keys=True, data=True))
    people = [n for n in base.people() if base.graph.out_degree(n) > 1]
    managers = [
        n
        for n in base.people()
        if any(k == "reports_to" for _, _, k in base.graph.in_edges(n, keys=True))
    ]
    project = base.projects()[0]
    outsider = next(p for p in people if not base.graph.has_edge(p, project, key="works_on"))
    member = next(u for u, _, k in base.graph.in_edges(project, keys=True) if k == "works_on")
    s = Scenario(base)
    s.apply(RemovePerson(managers[3]))
    s.apply(AddMember(outsider, project, "lead"))
    s.apply(RemoveMember(member, project))
    mover = next(p for p in people if p in s.org.graph and p not in (outsider, member))
    target = next(
        m for m in managers[10:] if m in s.org.graph and m != mover and not _under(s, m, mover)
    )
    s.apply(MovePerson(mover, target))
    team = base.teams()[2]
    s.apply(MoveTeam(team, managers[0]))
    assert compute_all(s.org) != original  # the edits changed something a user sees
    assert compute_all(base) == original  # the original was never touched
    while s.steps:
        s.undo()
    assert list(s.org.graph.nodes) == nodes
    assert list(s.org.graph.edges(keys=True, data=True)) == edges
    assert compute_all(s.org) == original
    assert s.diff().is_empty()


def _under(s: Scenario, manager: str, person: str) -> bool:
    from orgmap.scenario import _chain_up

    return person in _chain_up(s.org, manager)


def test_edits_survive_as_plain_dicts():
    edits = [RemovePerson("person:5"), MovePerson("person:6", "person:3", join_team=False)]
    s = Scenario(example_org(), edits)
    dicts = s.to_dicts()
    assert dicts == [
        {"kind": "remove_person", "person": "person:5", "reports_up": True},
        {"kind": "move_person", "person": "person:6", "manager": "person:3", "join_team": False},
    ]
    again = Scenario(example_org(), dicts)
    assert list(again.org.graph.edges(keys=True)) == list(s.org.graph.edges(keys=True))
    with pytest.raises(ScenarioError, match="not a what-if edit"):
        edit_from_dict({"kind": "explode"})


def test_the_fast_metrics_a_what_if_shows_first_are_the_full_metrics():
    s = Scenario(example_org())
    s.apply(RemovePerson("person:2"))
    fast = recompute(s.org, names=FAST_METRICS)
    full = compute_all(s.org)
    for section in ("people", "projects", "teams"):
        for node, row in fast[section].items():
            assert row == {k: v for k, v in full[section][node].items() if k in FAST_METRICS}
    # Di, Flo reported to Ben: now to Ada, who has Cy, Di and Flo
    assert fast["people"]["person:1"]["direct_reports"] == 3


def test_the_what_if_diff_of_touched_nodes_is_the_full_diff():
    from orgmap.diff import diff_orgs

    base = sample_org(150, seed=5)
    managers = sorted(
        {v for _, v, k in base.graph.edges(keys=True) if k == "reports_to"}, key=base.label
    )
    s = Scenario(base)
    s.apply(RemovePerson(managers[4]))
    s.apply(MoveTeam(base.teams()[3], managers[1]))
    quick, full = s.diff(), diff_orgs(base, s.org)
    assert quick.moved and quick.left  # something to compare
    assert quick.to_dict() == full.to_dict()


def test_a_snapshot_does_not_see_later_edits_or_undos():
    s = Scenario(example_org())
    s.apply(MovePerson("person:6", "person:3"))
    snap = s.snapshot()
    frozen = list(snap.graph.edges(keys=True, data=True))
    attrs = {n: dict(a) for n, a in snap.graph.nodes(data=True)}
    s.apply(RemovePerson("person:3"))
    s.apply(MoveTeam("team:Platform", "person:1"))
    s.undo()
    s.undo()
    s.undo()
    assert list(snap.graph.edges(keys=True, data=True)) == frozen
    assert {n: dict(a) for n, a in snap.graph.nodes(data=True)} == attrs
    assert snap.graph.nodes["person:6"]["team"] == "Data"  # Flo's move, as it was
