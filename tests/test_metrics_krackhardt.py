"""Krackhardt's high-tech managers: the known facts, through the metrics."""

from __future__ import annotations

from orgmap.metrics import compute_all
from orgmap.metrics.influence import influence


def ranking(scores: dict[str, float]) -> list[str]:
    return [n.split(":")[1] for n in sorted(scores, key=lambda n: (-scores[n], n))]


def test_with_only_advice_ties_manager_2_ranks_first(krackhardt_org):
    # ties = advice (ego asks alter) and friendship; friendship is mutual, not a nomination
    assert ranking(influence(krackhardt_org, relations=["ties"]))[0] == "2"


def test_direction_matters(krackhardt_org):
    from orgmap.metrics.influence import katz_matrix
    from orgmap.views import influence_matrix, people_index

    # reversed (alter asks ego) the least sought-after would lead; 2 would not
    mat = influence_matrix(krackhardt_org, ["ties"])
    reversed_scores = dict(zip(people_index(krackhardt_org).nodes, katz_matrix(mat.T), strict=True))
    assert ranking(reversed_scores)[0] != "2"


def test_pagerank_ranks_21_first_because_2_names_21(krackhardt_org):
    # why influence defaults to Katz: 2 names only three advisers, one of them 21
    assert ranking(influence(krackhardt_org, relations=["ties"], method="pagerank"))[0] == "21"


def test_reporting_lines(krackhardt_org):
    result = compute_all(krackhardt_org)
    people = result["people"]
    assert people["person:7"]["depth"] == 0
    assert people["person:7"]["org_size"] == 20
    assert people["person:7"]["direct_reports"] == 4
    assert people["person:14"]["direct_reports"] == 7
    assert {people[f"person:{v}"]["depth"] for v in ("2", "14", "18", "21")} == {1}
    s = result["summary"]
    assert (s["people"], s["hierarchy_depth"], s["span_of_control_max"]) == (21, 2, 7)
    assert s["betweenness"] == {"method": "exact", "samples": 0}
    # with everything on, the most sought-after VP leads and the president is near the top
    top = ranking({n: v["influence"] for n, v in people.items()})
    assert top[0] == "2" and "7" in top[:3]


def test_no_teams_means_departments_stand_in_for_groups(krackhardt_org):
    people = compute_all(krackhardt_org, relations=["ties"])["people"]
    assert people["person:2"]["teams_reached"] == 0  # no team column in the data
    assert people["person:2"]["departments_reached"] == 5
    assert sum(people["person:2"]["brokerage_roles"].values()) > 0  # departments as groups


def test_roles_use_departments_when_there_are_no_teams(krackhardt_org):
    from orgmap.metrics.reach import departments_reached
    from orgmap.metrics.roles import role

    assert not krackhardt_org.teams()
    roles = role(krackhardt_org)
    reached = departments_reached(krackhardt_org)
    # departments are the groups (teams would give 0 to all): 14 of 21 reach all five,
    # too many to be the top 20%, so nobody is singled out as a boundary spanner
    assert sum(v == 5 for v in reached.values()) == 14
    assert "boundary spanner" not in roles.values()
    # 14 has 12 direct collaborators, fewer than 80% of the firm, but 7 reports: the
    # org chart decides, a formal leader (no longer a "peripheral specialist")
    assert roles["person:14"] == "formal leader"
    assert role(krackhardt_org, relations=["reports"])["person:14"] == "central connector"
    assert role(krackhardt_org, relations=["reports"])["person:7"] == "information broker"
