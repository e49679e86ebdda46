"""The impact profile: the numbers, the cohort percentiles, the words, the page."""

from __future__ import annotations

import pytest

from orgmap.metrics import compute_all
from orgmap.metrics.examples import OrgBuilder, example_org
from orgmap.profile import impact_profile, profile_html, profile_text


def items(profile) -> dict:
    return {i["metric"]: i for s in profile["sections"] for i in s["items"]}


def test_profile_of_ben():
    org = example_org()
    profile = impact_profile(org, compute_all(org), "person:2")
    assert profile["person"]["name"] == "Ben"
    assert [s["key"] for s in profile["sections"]] == [
        "scope",
        "org_spanning_work",
        "multiplied_impact",
        "brokerage",
    ]
    it = items(profile)
    assert it["teams_reached"]["value"] == 3
    assert it["cross_team_projects_led"]["value"] == 1
    assert profile["projects_led"] == [
        {"name": "Apollo", "teams_spanned": 2, "departments_spanned": 1, "org_wide": False}
    ]
    # level L6 holds Ben and Cy: Ben reaches 3 teams, Cy 2
    assert profile["cohort"] == {
        "level": "L6",
        "size": 2,
        "org_size": 7,
        "near_levels": None,
        "near_size": 0,
    }
    assert it["teams_reached"]["level_percentile"] == 1.0
    assert it["mentorship_reach"]["value"] == 2
    summary = profile["sections"][0]["summary"]
    assert summary.startswith("Ben works with 3 teams and 2 departments directly")
    assert "the highest among level L6 peers (2 people)" in summary
    assert "Ben leads 1 cross-team project" in profile["sections"][1]["summary"]
    assert "Ben mentors 1" in profile["sections"][2]["summary"]


def test_constraint_reads_lower_as_stronger():
    org = example_org()
    profile = impact_profile(org, compute_all(org), "person:2")
    c = items(profile)["constraint"]
    assert c["lower_is_stronger"]
    # the org percentile of a lower-is-better metric counts the others *above* Ben
    values = {p: m["constraint"] for p, m in compute_all(org)["people"].items()}
    others = [v for p, v in values.items() if p != "person:2" and v is not None]
    above = sum(1 for v in others if v > values["person:2"])
    assert c["org_percentile"] == above / len(others)
    assert "the lower, the more Ben's contacts are in separate groups" in profile_text(profile)


def test_people_without_level_or_contacts():
    org = OrgBuilder().person("a", "Ann").person("b", "Bo").org()
    profile = impact_profile(org, compute_all(org), "person:a")
    assert profile["cohort"]["level"] is None
    assert all(i["level_percentile"] is None for s in profile["sections"] for i in s["items"])
    text = profile_text(profile)
    assert "No level in the data" in text and "mentors nobody" in text
    assert "Has no collaborators" in text
    with pytest.raises(KeyError):
        impact_profile(org, compute_all(org), "person:zz")


def test_html_is_escaped_and_self_contained():
    b = OrgBuilder().person("x", "<script>alert(1)</script>", team="<b>T</b>", level="L&5")
    b.person("y", "Yu", team="U", manager="x")
    b.project("<img src=x onerror=alert(1)>", lead="x", members=["y"], team="Other")
    org = b.org()
    page = profile_html(impact_profile(org, compute_all(org), "person:x"))
    assert "<script>" not in page and "<img" not in page and "<b>T" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the project led, shown as text
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert page.count("<html") == 1 and "<style>" in page


def _small_org():
    """Max (L9, alone at his level) manages five L3 people in teams T, T, T, U, V."""
    b = OrgBuilder().person("m", "Max", team="Exec", level="L9")
    for pid, team in [("a", "T"), ("b", "T"), ("c", "T"), ("d", "U"), ("e", "V")]:
        b.person(pid, pid.upper() + "x", team=team, manager="m", level="L3")
    b.mentor("c", "a").mentor("d", "b").mentor("d", "e")
    b.project("P", lead="d", members=["a", "e"])
    return b.org()


def _line(text: str, label: str) -> str:
    return next(x for x in text.splitlines() if x.strip().startswith(label))


def test_a_zero_reads_as_none_yet_not_as_beating_peers():
    org = _small_org()
    profile = impact_profile(org, compute_all(org), "person:a")
    it = items(profile)
    # Ax leads nothing and mentors nobody, like most of level L3: no percentage of peers beaten
    led = it["cross_team_projects_led"]
    assert led["value"] == 0 and led["none"] and led["level_percentile"] == 0.0
    assert led["level_tied"] == 0.75  # b, c, e lead nothing either; d leads P
    text = profile_text(profile)
    assert "(level -, org -)" in _line(text, "Cross-team projects led")
    assert "(level -, org -)" in _line(text, "Mentees")
    org_work = profile["sections"][1]["summary"]
    assert org_work == (
        "Ax leads no project that spans teams, like most level L3 peers (5 people) "
        "and most of the whole org."
    )
    mentoring = profile["sections"][2]["summary"]
    assert "higher than" not in mentoring and "like 50% of level L3 peers" in mentoring
    page = profile_html(profile)
    assert "Ax leads no project that spans teams, like most level L3 peers" in page


def test_higher_than_counts_only_peers_strictly_below():
    org = _small_org()
    metrics = compute_all(org)
    # teams reached at L3: a 4, b 3, c 2, d 4, e 4: Ax beats b and c, ties d and e
    a = impact_profile(org, metrics, "person:a")
    assert items(a)["teams_reached"]["level_percentile"] == 0.5
    assert (
        "that reach is higher than 50% of level L3 peers (5 people)" in a["sections"][0]["summary"]
    )
    assert "(level 50%, org 40%)" in _line(profile_text(a), "Teams reached")
    c = impact_profile(org, metrics, "person:c")
    assert "that reach is the lowest among level L3 peers" in c["sections"][0]["summary"]
    assert "(level 0%, org 0%)" in _line(profile_text(c), "Teams reached")


def test_at_the_bottom_with_others_says_so():
    b = OrgBuilder().person("s", "Sue", team="T", level="L5")
    for pid in ("p", "q", "r"):
        b.person(pid, pid.upper() + "y", team="T", manager="s", level="L3")
    b.person("x", "Xi", team="U", level="L3").tie("r", "x")
    org = b.org()
    # teams reached at L3: p 1, q 1, r 2, x 2
    summary = impact_profile(org, compute_all(org), "person:p")["sections"][0]["summary"]
    assert "at the bottom, like 33% of level L3 peers (4 people)" in summary
    assert "higher than" not in summary


def test_alone_at_a_level_is_compared_with_the_levels_next_to_it():
    org = _small_org()
    profile = impact_profile(org, compute_all(org), "person:m")
    assert profile["cohort"]["size"] == 1
    # L9 has only Max; the next level is L3 (five people), there is none above
    assert profile["cohort"]["near_levels"] == "L3" and profile["cohort"]["near_size"] == 5
    teams = next(
        i for s in profile["sections"] for i in s["items"] if i["metric"] == "teams_reached"
    )
    # Max reaches Exec, T, U, V (4); of the L3 people only Bx (3) and Cx (2) reach fewer
    assert teams["value"] == 4 and teams["level_percentile"] == 2 / 5
    text = profile_text(profile)
    assert (
        "Alone at level L9, so compared with the 5 people at level L3 (the levels next to it)"
        in text
    )
    assert "higher than 40% of people at level L3 (5 people)" in text
    assert "(level -, org -)" in _line(text, "Mentees")  # 0 mentees: not "level 100%"
    assert "(level 40%, org 40%)" in _line(text, "Teams reached")
    page = profile_html(profile)
    assert "Level L3 (5)" in page


def test_alone_with_no_other_level_has_no_level_percentile():
    b = OrgBuilder().person("m", "Max", team="Exec", level="L9")
    b.person("a", "Ann", team="T", manager="m")
    org = b.org()
    profile = impact_profile(org, compute_all(org), "person:m")
    assert all(i["level_percentile"] is None for s in profile["sections"] for i in s["items"])
    assert "Alone at level L9, and no other level to compare with" in profile_text(profile)
    assert "Level (alone)" in profile_html(profile)


def test_org_wide_is_said_of_each_project_led():
    b = OrgBuilder()
    for i, (team, dept) in enumerate([("A", "D1"), ("B", "D2"), ("C", "D3"), ("E", "D1")]):
        b.person(f"p{i}", f"P{i}", team=team, department=dept, level="L5")
    b.project("Checkout Revamp", lead="p0", members=["p1", "p2"])  # 3 of 3 departments
    b.project("Data Warehouse Migration", lead="p0", members=["p3"])  # A and E, both D1
    org = b.org()
    summary = impact_profile(org, compute_all(org), "person:p0")["sections"][1]["summary"]
    assert (
        "P0 leads 2 cross-team projects, 1 of them org-wide "
        "(Checkout Revamp, org-wide; Data Warehouse Migration)" in summary
    )


def test_header_labels_its_parts():
    org = example_org()
    profile = impact_profile(org, compute_all(org), "person:4")
    text = profile_text(profile)
    assert text.splitlines()[0] == (
        "Di · Senior Engineer · level L5 · team Platform · department Engineering"
    )
    assert "Senior Engineer · level L5 · team Platform · department Engineering" in profile_html(
        profile
    )


def test_krackhardt_profile_talks_about_departments(krackhardt_org):
    org = krackhardt_org
    profile = impact_profile(org, compute_all(org), "person:14")
    text = profile_text(profile)
    assert text.splitlines()[0] == "14 · level 2 · department 2"
    assert "level 2 · department 2" in profile_html(profile)
    assert "0 teams" not in text and "of all teams" not in text and "Teams reached" not in text
    scope = profile["sections"][0]
    assert [i["metric"] for i in scope["items"]] == ["departments_reached", "reach_2"]
    assert scope["summary"].startswith("14 works with 5 departments directly; that reach is ")
    # 14 and the three other level-2 VPs all reach the five departments: no "higher than"
    assert "the same as all level 2 peers (4 people)" in scope["summary"]
    president = profile_text(impact_profile(org, compute_all(org), "person:7"))
    assert president.splitlines()[0] == "7 · level 1 · department 0"
    # the president is alone at level 1: compared with the four VPs at level 2
    assert "Alone at level 1, so compared with the 4 people at level 2" in president


def test_counts_in_the_profile_agree_in_number():
    b = OrgBuilder().person("a", "Ann", team="T", department="D", level="L3")
    b.person("b", "Bo", team="T", department="D", level="L3", manager="a")
    org = b.org()
    text = profile_text(impact_profile(org, compute_all(org), "person:a"))
    assert "1 person is within two steps of Ann." in text
    assert "Works directly with people in 1 of the org's 1 team." in text
    assert "Reaches 1 of 1 department through" in text
    assert "works with 1 team and 1 department directly" in text
    assert "1 people" not in text and "1 teams" not in text
