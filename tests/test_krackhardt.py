"""Krackhardt's high-tech managers, read in place: its published facts must hold."""

from __future__ import annotations

from collections import Counter


def reports_of(org, pid: str) -> list[str]:
    return sorted(
        org.graph.nodes[u]["id"]
        for u, _, k in org.graph.in_edges(f"person:{pid}", keys=True)
        if k == "reports_to"
    )


def test_people_from_the_attributes_table(krackhardt_org):
    org = krackhardt_org
    assert len(org.people()) == 21
    node = org.graph.nodes["person:2"]
    assert (node["level"], node["department"], node["age"]) == ("2", "4", 42)
    assert node["tenure"] == 19.583  # decimal comma read as a decimal
    # nothing is wrong: only the notes that the zero cells of the matrices are no ties
    assert {(i.severity, i.code) for i in org.issues} == {("info", "zero_weight")}


def test_hierarchy_rooted_at_7(krackhardt_org):
    org = krackhardt_org
    managers = {u for u, _, k in org.graph.out_edges(keys=True) if k == "reports_to"}
    roots = [n for n in org.people() if n not in managers]
    assert roots == ["person:7"]
    assert reports_of(org, "7") == ["14", "18", "2", "21"]
    assert len(reports_of(org, "14")) == 7


def test_advice_and_friendship_ties(krackhardt_org):
    kinds = Counter(k for _, _, k in krackhardt_org.graph.edges(keys=True))
    assert kinds["tie:advice"] == 190
    assert kinds["tie:friendship"] == 102
    advice_in = Counter(v for _, v, k in krackhardt_org.graph.edges(keys=True) if k == "tie:advice")
    assert advice_in["person:2"] == 18
    assert advice_in["person:18"] == advice_in["person:21"] == 15
