"""Every metric on tiny hand-built orgs, against values worked out by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from orgmap.metrics import (
    METRICS,
    compute_all,
    hierarchy,
    influence,
    mentorship,
    metrics_for,
    projects,
    reach,
    risk,
    roles,
    teams,
)
from orgmap.metrics.brokerage import brokerage
from orgmap.metrics.examples import OrgBuilder, example_org
from orgmap.metrics.percentile import percentile_of, percentile_rank
from orgmap.metrics.structural_holes import constraint, effective_size
from orgmap.model import Cancelled, Org

SPEC_PERSON = [
    "direct_reports",
    "org_size",
    "depth",
    "influence",
    "influence_percentile",
    "brokerage",
    "constraint",
    "effective_size",
    "reach_2",
    "teams_reached",
    "departments_reached",
    "org_reach",
    "cross_team_projects",
    "cross_team_projects_led",
    "mentees",
    "mentorship_reach",
    "mentors_grown",
    "key_person_risk",
    "key_person_risk_detail",
    "brokerage_roles",
    "role",
]
SPEC_PROJECT = ["members", "leads", "teams_spanned", "departments_spanned", "org_wide", "bridges"]
SPEC_TEAM = [
    "size",
    "internal_ties",
    "external_ties",
    "ei_index",
    "silo",
    "partner_teams",
    "bridge_people",
]


def p(pid: str) -> str:
    return f"person:{pid}"


def star(leaves: int = 3, team: str | None = "T") -> Org:
    """c manages leaves 1..n (reporting lines only)."""
    b = OrgBuilder().person("c", team=team)
    for i in range(1, leaves + 1):
        b.person(str(i), team=team, manager="c")
    return b.org()


def path(n: int, teams: list[str | None] | None = None) -> Org:
    """1 - 2 - ... - n linked by advice ties, each person in teams[i]."""
    b = OrgBuilder()
    for i in range(1, n + 1):
        b.person(str(i), team=(teams[i - 1] if teams else None))
    for i in range(1, n):
        b.tie(str(i), str(i + 1))
    return b.org()


# -- the metric table ------------------------------------------------------------------------
def test_metric_table_names_exactly_the_spec_metrics():
    assert [m.name for m in metrics_for("person")] == SPEC_PERSON
    assert [m.name for m in metrics_for("project")] == SPEC_PROJECT
    assert [m.name for m in metrics_for("team")] == SPEC_TEAM
    for m in METRICS:
        assert m.label and m.description.endswith(".") and m.reference
        assert m.fmt in ("int", "float", "percent", "text", "bool", "list")


# -- hierarchy ---------------------------------------------------------------------------------
def test_hierarchy_on_the_example_org():
    org = example_org()
    assert hierarchy.direct_reports(org) == {
        p("1"): 2,
        p("2"): 2,
        p("3"): 2,
        p("4"): 0,
        p("5"): 0,
        p("6"): 0,
        p("7"): 0,
    }
    assert hierarchy.org_size(org) == {
        p("1"): 6,
        p("2"): 2,
        p("3"): 2,
        p("4"): 0,
        p("5"): 0,
        p("6"): 0,
        p("7"): 0,
    }
    assert hierarchy.depth(org) == {
        p("1"): 0,
        p("2"): 1,
        p("3"): 1,
        p("4"): 2,
        p("5"): 2,
        p("6"): 2,
        p("7"): 2,
    }
    assert hierarchy.span_of_control(org) == {"median": 2.0, "max": 2}
    assert hierarchy.hierarchy_depth(org) == 2


def test_hierarchy_with_several_roots_and_a_deep_chain():
    b = OrgBuilder().person("a").person("b", manager="a").person("c", manager="b")
    b.person("d", manager="c").person("loner")
    org = b.org()
    assert hierarchy.depth(org) == {p("a"): 0, p("b"): 1, p("c"): 2, p("d"): 3, p("loner"): 0}
    assert hierarchy.org_size(org)[p("a")] == 3
    assert hierarchy.span_of_control(org) == {"median": 1.0, "max": 1}
    assert hierarchy.span_of_control(OrgBuilder().person("x").org()) == {"median": 0.0, "max": 0}


# -- influence ---------------------------------------------------------------------------------
def test_influence_ranks_the_most_sought_after_first():
    b = OrgBuilder()
    for pid in "abcde":
        b.person(pid)
    for ego in "bcd":
        b.tie(ego, "a")  # a is asked by three people
    b.tie("e", "b")  # b by one
    org = b.org()
    for method in ("katz", "pagerank"):
        scores = influence.influence(org, method=method)
        assert sorted(scores, key=scores.get, reverse=True)[:2] == [p("a"), p("b")]
        assert sum(scores.values()) == pytest.approx(5.0)  # mean 1
    assert influence.influence_percentile(org)[p("a")] == 1.0
    with pytest.raises(ValueError, match="unknown influence method"):
        influence.influence(org, method="hits")


def test_katz_does_not_split_a_nomination_pagerank_does():
    # x is asked by a, b and c, each of whom also asks u, v and w; y is asked by d
    # alone, who asks nobody else. PageRank gives y d's whole vote and x a quarter of
    # three votes; Katz counts every nomination in full.
    b = OrgBuilder()
    for pid in "abcdxyuvw":
        b.person(pid)
    for ego in "abc":
        b.tie(ego, "x").tie(ego, "u").tie(ego, "v").tie(ego, "w")
    b.tie("d", "y")
    org = b.org()
    katz = influence.influence(org)
    pr = influence.influence(org, method="pagerank")
    assert katz[p("x")] > katz[p("y")]
    assert pr[p("x")] < pr[p("y")]


def test_katz_status_by_hand():
    # 0 -> 1 -> 2, no cycle: attenuation 0.5; status 1, 1.5, 1 + .5 * 1.5 = 1.75
    b = OrgBuilder().person("0").person("1").person("2").tie("0", "1").tie("1", "2")
    scores = influence.influence(b.org())
    raw = np.array([1, 1.5, 1.75])
    expected = raw * 3 / raw.sum()
    assert [scores[p(i)] for i in "012"] == pytest.approx(expected.tolist())


def test_influence_without_any_nomination_is_one_for_everyone():
    org = star(3, team=None)
    scores = influence.influence(org, relations=["ties"])
    assert set(scores.values()) == {1.0}
    assert set(influence.influence_percentile(org, relations=["ties"]).values()) == {0.5}


def test_percentile_rank_counts_ties_half():
    assert percentile_rank([1, 2, 3, 3, 5]).tolist() == [0.0, 0.25, 0.625, 0.625, 1.0]
    assert percentile_rank([4]).tolist() == [1.0]
    assert percentile_rank([]).tolist() == []
    assert percentile_of(3, [1, 2, 3]) == 1.0
    assert percentile_of(1, [1]) == 1.0


# -- brokerage and structural holes ----------------------------------------------------------------
def test_brokerage_of_a_star_and_a_path():
    b = brokerage(star(3))
    assert b[p("c")] == pytest.approx(1.0)
    assert b[p("1")] == 0.0
    b = brokerage(path(3))
    assert [b[p(i)] for i in "123"] == pytest.approx([0.0, 1.0, 0.0])
    # in a path of 4: the inner nodes lie on 2 of the 3 pairs of others
    b = brokerage(path(4))
    assert [b[p(i)] for i in "1234"] == pytest.approx([0.0, 2 / 3, 2 / 3, 0.0])


def test_constraint_and_effective_size_by_hand():
    org = star(3)
    c, e = constraint(org), effective_size(org)
    assert c[p("c")] == pytest.approx(3 * (1 / 3) ** 2)  # three contacts, 1/3 each
    assert c[p("1")] == pytest.approx(1.0)  # one contact is all there is
    assert e[p("c")] == pytest.approx(3.0) and e[p("1")] == pytest.approx(1.0)
    tri = OrgBuilder().person("a").person("b").person("c")
    tri.tie("a", "b").tie("b", "c").tie("c", "a")
    c, e = constraint(tri.org()), effective_size(tri.org())
    # each contact: 1/2 direct + 1/2 * 1/2 through the third -> (3/4)^2, twice
    assert c[p("a")] == pytest.approx(2 * 0.75**2)
    assert e[p("a")] == pytest.approx(1.0)  # two contacts who know each other


def test_isolated_people_get_documented_substitutes():
    org = OrgBuilder().person("a").person("b").org()
    assert constraint(org) == {p("a"): None, p("b"): None}
    assert effective_size(org) == {p("a"): 0.0, p("b"): 0.0}
    assert brokerage(org) == {p("a"): 0.0, p("b"): 0.0}


# -- reach ---------------------------------------------------------------------------------------
def test_reach_on_a_path():
    org = path(5, teams=["A", "A", "B", None, "C"])
    assert reach.reach_2(org) == {p("1"): 2, p("2"): 3, p("3"): 4, p("4"): 3, p("5"): 2}
    assert reach.teams_reached(org) == {p("1"): 1, p("2"): 2, p("3"): 2, p("4"): 2, p("5"): 1}
    assert reach.org_reach(org)[p("3")] == pytest.approx(2 / 3)


def test_departments_reached_and_no_teams():
    org = example_org()
    assert reach.departments_reached(org) == {
        p("1"): 2,
        p("2"): 2,
        p("3"): 2,
        p("4"): 1,
        p("5"): 1,
        p("6"): 1,
        p("7"): 1,
    }
    # Gus has no team and no department: he reaches his manager's and his friend's
    assert reach.teams_reached(org)[p("7")] == 2
    no_teams = path(3)
    assert set(reach.org_reach(no_teams).values()) == {0.0}
    assert set(reach.teams_reached(no_teams).values()) == {0}


# -- projects --------------------------------------------------------------------------------------
def project_org() -> Org:
    b = OrgBuilder()
    for pid, team, dept in (
        ("a", "A", "D1"), ("b", "B", "D1"), ("c", "C", "D2"), ("d", "D", "D3"), ("e", "A", "D1"),
    ):  # fmt: skip
        b.person(pid, team=team, department=dept)
    b.project("Solo", lead="a", members=["e"])  # inside team A
    b.project("Pair", lead="a", members=["b"])  # A + B, nothing else links them
    b.project("Wide", lead="b", members=["c", "d"], team="A")  # B C D + home team A
    b.project("Again", lead="c", members=["d"])  # C + D a second time
    return b.org()


def test_project_metrics_by_hand():
    org = project_org()
    assert projects.members(org) == {
        "project:Solo": 2,
        "project:Pair": 2,
        "project:Wide": 3,
        "project:Again": 2,
    }
    assert projects.leads(org)["project:Wide"] == 1
    assert projects.teams_spanned(org) == {
        "project:Solo": 1,
        "project:Pair": 2,
        "project:Wide": 4,
        "project:Again": 2,
    }
    assert projects.departments_spanned(org)["project:Wide"] == 3
    # 3 departments: org-wide needs all 3 (min 3)
    assert projects.org_wide(org) == {
        "project:Solo": False,
        "project:Pair": False,
        "project:Wide": True,
        "project:Again": False,
    }
    # Pair alone links A-B; Wide alone links B-C and B-D (C-D also on Again)
    assert projects.bridges(org) == {
        "project:Solo": 0,
        "project:Pair": 1,
        "project:Wide": 2,
        "project:Again": 0,
    }
    assert projects.cross_team_projects(org) == {
        p("a"): 1,
        p("b"): 2,
        p("c"): 2,
        p("d"): 2,
        p("e"): 0,
    }
    assert projects.cross_team_projects_led(org) == {
        p("a"): 1,
        p("b"): 1,
        p("c"): 1,
        p("d"): 0,
        p("e"): 0,
    }


def test_org_wide_threshold():
    assert projects.org_wide_threshold(16) == 4  # a quarter
    assert projects.org_wide_threshold(8) == 3  # at least 3
    assert projects.org_wide_threshold(2) == 2  # all of them in a small org


# -- mentorship -----------------------------------------------------------------------------------
def test_mentorship_chain_and_loop():
    b = OrgBuilder()
    for pid in "abcdxy":
        b.person(pid)
    b.mentor("a", "b").mentor("b", "c").mentor("a", "d").mentor("x", "y").mentor("y", "x")
    org = b.org()
    assert mentorship.mentees(org)[p("a")] == 2
    assert mentorship.mentorship_reach(org)[p("a")] == 3
    assert mentorship.mentors_grown(org)[p("a")] == 1
    assert mentorship.mentorship_reach(org)[p("x")] == 1  # the loop is walked once
    assert mentorship.mentees(org)[p("c")] == 0


# -- key-person risk --------------------------------------------------------------------------------
def test_key_person_risk_by_hand():
    org = path(3, teams=["X", "X", "Y"])
    # b: the only X-Y link (1 pair, 10 points) and the only contact of a and of c (2 people);
    # c is an end of the one X-Y tie (10) too
    assert risk.key_person_risk(org) == {p("1"): 0, p("2"): 12, p("3"): 10}
    # a second, separate X-Y link takes the pair off everyone
    b = OrgBuilder().person("1", team="X").person("2", team="X")
    b.person("3", team="Y").person("4", team="Y")
    b.tie("1", "2").tie("2", "3").tie("1", "4").tie("3", "4")
    assert risk.key_person_risk(b.org()) == {p("1"): 0, p("2"): 0, p("3"): 0, p("4"): 0}
    # ... unless one person is at both: the only Y person owns the pair
    b = OrgBuilder().person("1", team="X").person("2", team="X").person("3", team="Y")
    b.tie("1", "2").tie("2", "3").tie("1", "3")
    assert risk.key_person_risk(b.org()) == {p("1"): 0, p("2"): 0, p("3"): 10}


# -- brokerage roles -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("AAA", "coordinator"),
        ("ABA", "itinerant"),
        ("ABB", "gatekeeper"),
        ("AAB", "representative"),
        ("ABC", "liaison"),
    ],
)
def test_gould_fernandez_roles(groups, expected):
    # information flows a -> b -> c: c asks b, b asks a
    b = OrgBuilder()
    for pid, team in zip("abc", groups, strict=True):
        b.person(pid, team=team)
    b.tie("c", "b").tie("b", "a")
    counts = roles.brokerage_roles(b.org())[p("b")]
    assert counts == {r: (1 if r == expected else 0) for r in roles.GF_ROLES}


def test_a_direct_flow_means_no_brokerage():
    b = OrgBuilder().person("a", team="A").person("b", team="B").person("c", team="C")
    b.tie("c", "b").tie("b", "a").tie("c", "a")
    assert sum(roles.brokerage_roles(b.org())[p("b")].values()) == 0


def test_people_without_team_fall_back_to_department_or_are_left_out():
    b = OrgBuilder().person("a", department="D").person("b", team="T").person("c")
    b.tie("c", "b").tie("b", "a")
    assert sum(roles.brokerage_roles(b.org())[p("b")].values()) == 0  # c has no group
    b = OrgBuilder().person("a", department="D").person("b", team="T").person("c", team="T")
    b.tie("c", "b").tie("b", "a")
    assert roles.brokerage_roles(b.org())[p("b")]["gatekeeper"] == 1


def test_role_rules():
    labels = roles.role_labels(
        np.array([9, 1, 3, 3, 3, 3, 3, 3, 3, 3]),
        np.array([0.1, 0, 0.5, 0, 0, 0, 0, 0, 0, 0]),
        np.array([2, 1, 2, 4, 1, 1, 1, 1, 1, 1]),
    )
    assert labels[:4] == [
        "central connector",
        "peripheral specialist",
        "information broker",
        "boundary spanner",
    ]
    assert labels[4] == "team member"
    # a manager of three whom no network rule singles out is a formal leader
    assert roles.role(star(3))[p("c")] == "formal leader"
    assert roles.role(star(9))[p("c")] == "central connector"  # 9 collaborators, the top


# -- teams ---------------------------------------------------------------------------------------------
def test_team_metrics_by_hand():
    org = example_org()
    assert teams.size(org) == {"team:Leadership": 1, "team:Platform": 3, "team:Data": 2}
    assert teams.internal_ties(org) == {"team:Leadership": 0, "team:Platform": 3, "team:Data": 1}
    assert teams.external_ties(org) == {"team:Leadership": 2, "team:Platform": 4, "team:Data": 4}
    ei = teams.ei_index(org)
    assert ei["team:Platform"] == pytest.approx(1 / 7)
    assert ei["team:Data"] == pytest.approx(3 / 5)
    assert teams.partner_teams(org)["team:Data"] == ["Platform"]
    assert not any(teams.silo(org).values())


def test_silo_and_undefined_ei_index():
    b = OrgBuilder()
    for pid in "abcd":
        b.person(pid, team="S")
    b.person("x", team="O").person("y", team="Lone").person("z", team="Quiet").person(
        "q", team="Quiet"
    )
    b.tie("a", "b").tie("b", "c").tie("c", "d").tie("d", "x")  # 3 inside, 1 outside
    org = b.org()
    assert teams.ei_index(org)["team:S"] == pytest.approx(-0.5)
    assert teams.ei_index(org)["team:Quiet"] is None
    assert teams.silo(org) == {
        "team:S": True,
        "team:O": False,
        "team:Lone": False,
        "team:Quiet": True,
    }


# -- compute_all ------------------------------------------------------------------------------------------
def test_compute_all_has_every_metric_and_is_valid_json():
    result = compute_all(example_org())
    assert set(result) == {"summary", "people", "projects", "teams"}
    for values in result["people"].values():
        assert list(values) == SPEC_PERSON
    for values in result["projects"].values():
        assert list(values) == SPEC_PROJECT
    for values in result["teams"].values():
        assert list(values) == SPEC_TEAM
    json.dumps(result, allow_nan=False)
    s = result["summary"]
    assert (s["people"], s["teams"], s["departments"], s["projects"]) == (7, 3, 2, 2)
    assert s["cross_team_project_share"] == 0.5
    assert (s["hierarchy_depth"], s["span_of_control_median"], s["span_of_control_max"]) == (
        2,
        2.0,
        2,
    )
    assert s["components"] == 1
    assert s["betweenness"] == {"method": "exact", "samples": 0}


@pytest.mark.parametrize(
    "org",
    [
        Org(),
        OrgBuilder().person("solo").org(),
        OrgBuilder().person("solo", team="T", department="D").org(),
        star(4, team=None),  # no projects, no mentorship, no teams
        OrgBuilder().person("a", team="A").person("b", team="B").person("c").org(),  # all apart
    ],
    ids=["empty", "one person", "one person with a team", "no projects", "disconnected"],
)
def test_edge_cases_never_crash_or_give_nan(org):
    result = compute_all(org)
    text = json.dumps(result, allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text
    assert result["summary"]["people"] == len(org.people())
    for values in result["people"].values():
        for name, value in values.items():
            if isinstance(value, float):
                assert math.isfinite(value), name


def test_one_person_org_values():
    result = compute_all(OrgBuilder().person("solo", team="T").org())["people"][p("solo")]
    assert result["influence"] == 1.0 and result["influence_percentile"] == 1.0
    assert result["brokerage"] == 0.0 and result["constraint"] is None
    assert result["effective_size"] == 0.0 and result["reach_2"] == 0
    assert result["teams_reached"] == 1 and result["org_reach"] == 1.0
    assert result["role"] == "peripheral specialist"


def test_disconnected_parts_are_counted():
    b = OrgBuilder().person("a").person("b", manager="a").person("c").person("d", manager="c")
    b.person("e")
    assert compute_all(b.org())["summary"]["components"] == 3


def test_progress_and_cancel():
    seen: list[float] = []
    compute_all(example_org(), progress=lambda f, msg: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 10
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        compute_all(example_org(), cancel=cancel)


def test_relations_restrict_the_graphs():
    org = example_org()
    only_reports = compute_all(org, relations=["reports"])
    assert only_reports["summary"]["relations"] == ["reports"]
    # without projects, Apollo no longer links Ben and Ed: Ed reaches fewer people
    assert only_reports["people"][p("5")]["reach_2"] < compute_all(org)["people"][p("5")]["reach_2"]
    # the org chart does not depend on the relations
    assert only_reports["people"][p("1")]["org_size"] == 6


# -- any org at all ------------------------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def random_orgs(draw) -> Org:
    n = draw(st.integers(0, 9))
    b = OrgBuilder()
    teams = [None, "A", "B", "C"]
    for i in range(n):
        manager = str(draw(st.integers(0, i - 1))) if i and draw(st.booleans()) else None
        b.person(
            str(i),
            team=draw(st.sampled_from(teams)),
            department=draw(st.sampled_from([None, "D1", "D2"])),
            manager=manager,
            level=draw(st.sampled_from(["L1", "L2"])),
        )
    ids = [str(i) for i in range(n)]
    if n >= 2:
        pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
        for a, c in draw(st.lists(pairs, max_size=8)):
            b.mentor(a, c)
        for a, c in draw(st.lists(pairs, max_size=8)):
            b.tie(a, c, draw(st.sampled_from(["advice", "friendship"])), draw(st.integers(1, 3)))
        for k in range(draw(st.integers(0, 3))):
            members = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=5, unique=True))
            lead = members[0] if draw(st.booleans()) else None
            b.project(f"P{k}", lead=lead, members=members[1:], team=draw(st.sampled_from(teams)))
    return b.org()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_orgs())
def test_any_org_gives_finite_plain_values(org):
    from orgmap.profile import impact_profile, profile_html, profile_text

    result = compute_all(org)
    json.dumps(result, allow_nan=False)
    for values in result["people"].values():
        assert list(values) == SPEC_PERSON
        assert 0.0 <= values["influence_percentile"] <= 1.0
        assert 0.0 <= values["org_reach"] <= 1.0
        assert values["brokerage"] >= 0.0
    for node in list(result["people"])[:2]:
        profile = impact_profile(org, result, node)
        assert profile_text(profile) and profile_html(profile)


def test_without_teams_boundary_spanners_are_counted_in_departments():
    import itertools

    from orgmap.metrics.roles import role

    b = OrgBuilder()
    spanners = [("h", "D1"), ("a", "D2"), ("b", "D3"), ("d", "D4")]
    for pid, dept in spanners:
        b.person(pid, department=dept)
    for x, y in itertools.combinations([p for p, _ in spanners], 2):
        b.tie(x, y)
    clique = [f"c{i}" for i in range(6)]  # more collaborators, one department
    for c in clique:
        b.person(c, department="D1")
    for x, y in itertools.combinations(clique, 2):
        b.tie(x, y)
    for i in range(4):
        b.person(f"f{i}", department="D2").person(f"g{i}", department="D2").tie(f"f{i}", f"g{i}")
    roles = role(b.org())
    # no teams at all: the four who work across four departments span boundaries
    assert {p for p, r in roles.items() if r == "boundary spanner"} == {
        f"person:{p}" for p, _ in spanners
    }
    assert roles["person:c0"] == "team member" and roles["person:f0"] == "peripheral specialist"
