"""The derived views: direction of influence, collaboration weights, team links, reach."""

from __future__ import annotations

import pytest

from orgmap.metrics.examples import OrgBuilder, example_org
from orgmap.views import (
    collaboration_graph,
    influence_graph,
    is_nomination,
    k_step_reach,
    team_graph,
)


def edges(graph) -> dict[tuple[str, str], float]:
    return {(u, v): d["weight"] for u, v, d in graph.edges(data=True)}


def small() -> OrgBuilder:
    b = OrgBuilder()
    b.person("m", team="A").person("r", team="A", manager="m").person("x", team="B")
    b.dotted("r", "x")
    return b


def test_influence_points_from_the_influenced_to_the_influencer():
    b = small()
    b.mentor("x", "r")
    b.project("P", lead="m", members=["r", "x"])
    b.tie("r", "x", "advice")
    g = influence_graph(b.org())
    assert edges(g) == {
        ("person:r", "person:m"): 2.0,  # reports to m, and m leads P
        ("person:r", "person:x"): 3.0,  # dotted line, mentor, advice
        ("person:x", "person:m"): 1.0,  # member -> lead
    }
    assert set(g.nodes) == {"person:m", "person:r", "person:x"}


def test_each_relation_switches_off():
    b = small()
    b.mentor("x", "r").project("P", lead="m", members=["x"]).tie("m", "x", "advice", 2)
    org = b.org()
    assert edges(influence_graph(org, ["reports"])) == {("person:r", "person:m"): 1.0}
    assert edges(influence_graph(org, ["dotted"])) == {("person:r", "person:x"): 1.0}
    assert edges(influence_graph(org, ["mentors"])) == {("person:r", "person:x"): 1.0}
    assert edges(influence_graph(org, ["projects"])) == {("person:x", "person:m"): 1.0}
    assert edges(influence_graph(org, ["ties"])) == {("person:m", "person:x"): 2.0}
    assert edges(influence_graph(org, [])) == {}
    with pytest.raises(ValueError, match="unknown relation"):
        influence_graph(org, ["friends"])


def test_mutual_ties_are_not_nominations():
    assert is_nomination("advice") and is_nomination("go-to") and is_nomination("")
    assert not is_nomination("friendship") and not is_nomination("Collaboration")
    b = OrgBuilder().person("a").person("b")
    b.tie("a", "b", "friendship").tie("b", "a", "email", 12)
    org = b.org()
    assert edges(influence_graph(org)) == {}
    assert edges(collaboration_graph(org)) == {("person:a", "person:b"): 2.0}


def test_collaboration_weights_add_up_and_reporting_is_switchable():
    org = example_org()
    g = collaboration_graph(org)
    assert g["person:2"]["person:4"]["weight"] == 4.0  # Apollo, Zeus, mentoring, reporting
    assert g["person:5"]["person:2"]["weight"] == 2.0  # Apollo, one advice tie (weight 3 -> 1)
    assert not g.has_edge("person:1", "person:4")
    without = collaboration_graph(org, include_reporting=False)
    assert without["person:2"]["person:4"]["weight"] == 3.0
    assert not without.has_edge("person:1", "person:3")  # only a reporting line


def test_team_graph_counts_people_on_shared_projects_mentoring_and_ties():
    g = team_graph(example_org())
    assert edges(g) == {
        ("team:Leadership", "team:Platform"): 1.0,
        ("team:Platform", "team:Data"): 3.0,
    }
    assert set(g.nodes) == {"team:Leadership", "team:Platform", "team:Data"}


def test_k_step_reach_includes_the_node_and_walks_k_steps():
    org = example_org()
    assert k_step_reach(org, "person:7", 0) == {"person:7"}
    assert k_step_reach(org, "person:7", 1) == {"person:7", "person:3", "person:6"}
    assert len(k_step_reach(org, "person:7", 2)) == 7
    assert k_step_reach(org, "project:Zeus", 0) == {
        "project:Zeus",
        "person:2",
        "person:4",
        "person:6",
    }
    assert k_step_reach(org, "department:Exec", 1) == {
        "department:Exec",
        "person:1",
        "person:2",
        "person:3",
    }
    with pytest.raises(KeyError):
        k_step_reach(org, "person:nobody", 1)


def test_views_are_cached_until_the_org_changes():
    org = example_org()
    first = collaboration_graph(org)
    assert collaboration_graph(org) is first
    org.graph.add_edge("person:1", "person:7", "tie:advice", kind="tie", type="advice", weight=1)
    org.changed()
    assert collaboration_graph(org).has_edge("person:1", "person:7")


# -- what a selection lights up: one rule for canvas, status bar, inspector and HTML ---
def lit_org():
    b = OrgBuilder()
    b.person("ceo", team="Exec", department="HQ")
    b.person("a", team="Search", department="Eng", manager="ceo")
    b.person("b", team="Search", department="Eng", manager="a")
    b.person("c", team="Ads", department="Eng", manager="ceo")
    b.person("d", team="Ads", department="Eng", manager="c")
    b.person("solo", department="Eng")  # in the department, on no team
    b.project("Relaunch", lead="b", members=["d"])
    b.tie("b", "solo", "friendship")
    return b.org()


def test_lit_set_person_walks_the_chosen_relations():
    org = lit_org()
    from orgmap.views import lit_set

    # b: its manager a and friend solo and project partner d in one step
    assert lit_set(org, "person:b", 1) == {"person:b", "person:a", "person:solo", "person:d"}
    # over reporting lines only: just the manager
    assert lit_set(org, "person:b", 1, ["reports"]) == {"person:b", "person:a"}
    # two reporting steps: a, then a's manager ceo
    assert lit_set(org, "person:b", 2, ["reports"]) == {"person:b", "person:a", "person:ceo"}


def test_lit_set_groups_light_their_members():
    org = lit_org()
    from orgmap.views import lit_set

    assert lit_set(org, "project:Relaunch") == {
        "project:Relaunch",
        "person:b",
        "person:d",
        "team:Search",
        "team:Ads",
    }
    assert lit_set(org, "team:Ads") == {"team:Ads", "person:c", "person:d"}
    assert lit_set(org, "department:Eng") == {
        "department:Eng",
        "team:Search",
        "team:Ads",
        "person:a",
        "person:b",
        "person:c",
        "person:d",
        "person:solo",
    }
    # relations and k change only what a person lights
    assert lit_set(org, "team:Ads", 0, ["ties"]) == {"team:Ads", "person:c", "person:d"}
    assert lit_set(org, "person:nobody") == set()
    assert lit_set(org, None) == set()


def test_department_of_a_team_is_decided_in_one_place():
    org = lit_org()
    assert org.department_of("team:Search") == "department:Eng"
    assert org.department_of("team:Exec") == "department:HQ"
    # a team with no part_of edge takes its members' most common department
    b = OrgBuilder()
    b.person("x", team="Loose").person("y", team="Loose").person("z", team="Loose")
    for pid, dept in (("x", "Ops"), ("y", "Ops"), ("z", "Sales")):
        b.graph.nodes[f"person:{pid}"]["department"] = dept
        b.graph.add_node(f"department:{dept}", kind="department", name=dept)
    assert b.org().department_of("team:Loose") == "department:Ops"
