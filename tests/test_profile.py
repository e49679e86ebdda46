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
    assert profile["cohort"] == {"level": "L6", "size": 2, "org_size": 7}
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
    assert "lower than" in profile_text(profile) or c["org_percentile"] is not None


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
