"""Who can I loop in? Paths, advocates and who is missing, on tiny hand-built orgs whose
answers are worked out by hand in each test's comment; then ``orgmap loop-in`` on real
files, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgmap.cli import Env, main
from orgmap.loop_in import TargetError, as_json, loop_in, resolve_target
from orgmap.metrics.examples import OrgBuilder
from tests.test_readers import write_xlsx


def names(org, route) -> list[str]:
    return [org.label(n) for n in route.nodes]


def run(argv: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    env = Env.capture(cwd)
    status = main(argv, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


# -- paths --------------------------------------------------------------------------------
def test_direct_tie_is_one_introduction_with_its_reason():
    b = OrgBuilder().person("a", "Ann").person("k", "Kim Ng").person("z", "Zoe")
    b.tie("a", "k", "advice")
    org = b.org()
    route = loop_in(org, "person:a", "person:k").paths[0]
    assert names(org, route) == ["Ann", "Kim Ng"]
    assert route.steps == 1
    assert route.hops[0].relations == ("ties",)
    assert route.hops[0].reason == "Kim Ng: you go to them for advice"
    # the other way round the same tie reads from Kim's side
    back = loop_in(org, "person:k", "person:a").paths[0]
    assert back.hops[0].reason == "Ann: comes to you for advice"


def chain_and_projects() -> OrgBuilder:
    """Ann reports to Mo, Mo to Dee; Tia reports to Lu, Lu to Dee: Ann to Tia is four
    steps up and down the reporting lines. Ann and Kim Ng share Search Relaunch; Kim
    and Tia share Ranking: two steps."""
    b = OrgBuilder()
    b.person("d", "Dee").person("m", "Mo", manager="d").person("l", "Lu", manager="d")
    b.person("a", "Ann", "Search", "Eng", manager="m")
    b.person("t", "Tia", "Ranking", "Eng", manager="l")
    b.person("k", "Kim Ng", "Infra", "Eng", manager="d")
    b.project("Search Relaunch", members=["a", "k"]).project("Ranking", members=["k", "t"])
    return b


def test_two_hops_through_shared_projects_beat_a_longer_reporting_chain():
    org = chain_and_projects().org()
    route = loop_in(org, "person:a", "person:t").paths[0]
    assert names(org, route) == ["Ann", "Kim Ng", "Tia"]
    assert [h.reason for h in route.hops] == [
        "Kim Ng: you both work on Search Relaunch",
        "Tia: works on Ranking with Kim Ng",
    ]
    # the relations switch the metrics use: reporting lines only, the chain is the route
    chain = loop_in(org, "person:a", "person:t", relations=["reports"]).paths[0]
    assert names(org, chain) == ["Ann", "Mo", "Dee", "Lu", "Tia"]
    assert [h.reason for h in chain.hops] == [
        "Mo: your manager",
        "Dee: Mo's manager",
        "Lu: reports to Dee",
        "Tia: reports to Lu",
    ]


def test_among_equally_short_routes_the_strongest_links_win():
    # Ann-Bo share two projects (strength 2), Bo-Tia one: cost 1/2 + 1 = 1.5.
    # Ann-Al share one, Al-Tia one: cost 2. Al comes first by name, Bo still wins.
    b = OrgBuilder().person("a", "Ann").person("al", "Al").person("bo", "Bo").person("t", "Tia")
    b.project("P1", members=["a", "bo"]).project("P2", members=["a", "bo"])
    b.project("P3", members=["bo", "t"]).project("P4", members=["a", "al"])
    b.project("P5", members=["al", "t"])
    org = b.org()
    route = loop_in(org, "person:a", "person:t").paths[0]
    assert names(org, route) == ["Ann", "Bo", "Tia"]
    assert route.cost == pytest.approx(1.5)
    assert route.hops[0].reason == "Bo: you both work on P1 and P2"


def test_tie_weight_makes_a_link_stronger():
    # advice ties Ann->Al weight 1 and Ann->Bo weight 5 (median 1: Bo's counts 3, the cap);
    # Al and Bo each share one project with Tia. Via Bo: 1/3 + 1; via Al: 1 + 1.
    b = OrgBuilder().person("a", "Ann").person("al", "Al").person("bo", "Bo").person("t", "Tia")
    b.person("x", "X").person("y", "Y")
    b.tie("a", "al", "advice", 1).tie("a", "bo", "advice", 5).tie("x", "y", "advice", 1)
    b.project("P", members=["al", "t"]).project("Q", members=["bo", "t"])
    org = b.org()
    route = loop_in(org, "person:a", "person:t").paths[0]
    assert names(org, route) == ["Ann", "Bo", "Tia"]
    assert route.cost == pytest.approx(1 / 3 + 1)


def test_recent_links_beat_stale_ones():
    # Al's project with Tia ended in 2020, Bo's in 2025: the 2020 one is over a year
    # older than the newest date, so it counts half (cost 1 + 2 against 1 + 1)
    b = OrgBuilder().person("a", "Ann").person("al", "Al").person("bo", "Bo").person("t", "Tia")
    b.project("Old", members=["al", "t"]).project("New", members=["bo", "t"])
    b.project("A1", members=["a", "al"]).project("A2", members=["a", "bo"])
    b.graph.nodes["project:Old"]["end_date"] = "2020-06-30"
    b.graph.nodes["project:New"]["end_date"] = "2025-03-01"
    org = b.org()
    route = loop_in(org, "person:a", "person:t").paths[0]
    assert names(org, route) == ["Ann", "Bo", "Tia"]
    assert route.cost == pytest.approx(2.0)
    # without the dates, equal routes: Al first by name
    for p in ("Old", "New"):
        del b.graph.nodes[f"project:{p}"]["end_date"]
    org.changed()
    assert names(org, loop_in(org, "person:a", "person:t").paths[0]) == ["Ann", "Al", "Tia"]


def test_equal_routes_are_broken_by_name_not_by_input_order():
    def org_with(first: str, second: str):
        # added in the order given, so the input order is the opposite of name order once
        b = OrgBuilder().person("a", "Ann").person("t", "Tia")
        b.person("x", first).person("y", second)
        b.project("P1", members=["a", "x"]).project("P2", members=["x", "t"])
        b.project("P3", members=["a", "y"]).project("P4", members=["y", "t"])
        return b.org()

    org = org_with("Zed", "Cal")
    assert names(org, loop_in(org, "person:a", "person:t").paths[0]) == ["Ann", "Cal", "Tia"]
    org = org_with("Bea", "Cal")
    assert names(org, loop_in(org, "person:a", "person:t").paths[0]) == ["Ann", "Bea", "Tia"]
    # and the same question twice gives the same answer
    again = loop_in(org, "person:a", "person:t")
    assert again == loop_in(org, "person:a", "person:t")


def test_no_route_at_all():
    b = chain_and_projects().person("z", "Zoe", "Island", "Far")
    org = b.org()
    result = loop_in(org, "person:a", "person:z")
    assert not result.paths[0].reachable and result.paths[0].steps is None
    assert result.notes == (
        "no route from Ann to Zoe over reports, dotted, mentors, projects, ties",
    )
    doc = as_json(org, result)
    assert doc["paths"][0]["path"] is None and doc["paths"][0]["hops"] is None
    assert result.advocates == ()  # nobody is nominated by Zoe


# -- groups, advocates --------------------------------------------------------------------
def search_team() -> OrgBuilder:
    """Team Search: Sam, Sue and Sid report to Max (also in Search). Lee (Infra) leads
    Relaunch with Sam and Sue on it. Sid asks Ava (Data) for advice. Ann (Infra) shares
    Infra Ops with Lee, and reports to Max's manager Dora."""
    b = OrgBuilder()
    b.person("dora", "Dora", "Exec", "Eng")
    b.person("max", "Max", "Search", "Eng", manager="dora")
    for pid, name in (("sam", "Sam"), ("sue", "Sue"), ("sid", "Sid")):
        b.person(pid, name, "Search", "Eng", manager="max")
    b.person("lee", "Lee", "Infra", "Eng", manager="dora")
    b.person("ava", "Ava", "Data", "Eng", manager="dora")
    b.person("ann", "Ann", "Infra", "Eng", manager="dora")
    b.project("Relaunch", lead="lee", members=["sam", "sue"])
    b.project("Infra Ops", lead="lee", members=["ann"])
    b.tie("sid", "ava", "advice")
    return b


def test_advocates_of_a_team_are_its_manager_and_the_leads_it_looks_to():
    org = search_team().org()
    result = loop_in(org, "person:ann", "team:Search")
    # nominations from inside Search: Max by his 3 reports; Lee by Sam and Sue (Relaunch
    # members); Dora by Max; Ava by Sid. Dora and Ava tie at 1: Dora, sought by four
    # reports, has more influence than Ava, sought by Sid alone
    got = [(org.label(a.node), a.score, a.inside) for a in result.advocates]
    assert got == [
        ("Max", 3.0, True),
        ("Lee", 2.0, False),
        ("Dora", 1.0, False),
        ("Ava", 1.0, False),
    ]
    whys = {org.label(a.node): a.why for a in result.advocates}
    assert whys["Max"] == "manager of 3 people in team Search"
    assert whys["Lee"] == "leads Relaunch (Sam and Sue on it)"
    assert whys["Ava"] == "Sid goes to them for advice"
    assert whys["Dora"] == "manager of Max"
    # Ann reaches Lee directly (Infra Ops) and Max through Dora, her manager
    routes = {org.label(a.node): names(org, a.route) for a in result.advocates}
    assert routes["Lee"] == ["Ann", "Lee"]
    assert routes["Max"] == ["Ann", "Dora", "Max"]
    # the paths go to Search's most influential people: Max first (sought by three)
    assert org.label(result.paths[0].to) == "Max"
    assert {org.label(r.to) for r in result.paths} == {"Max", "Sam", "Sue", "Sid"}


def test_target_is_the_persons_own_team():
    org = search_team().org()
    result = loop_in(org, "person:sam", "team:Search")
    assert result.notes == ("you are in team Search: its people below are reached from inside",)
    assert "person:sam" not in {r.to for r in result.paths}
    assert "person:sam" not in {a.node for a in result.advocates}
    max_route = next(r for r in result.paths if r.to == "person:max")
    assert names(org, max_route) == ["Sam", "Max"]
    assert max_route.hops[0].reason == "Max: your manager"
    # Sue: one step, both on Relaunch; Sid: through Max, as nothing else links them
    sue = next(r for r in result.paths if r.to == "person:sue")
    assert names(org, sue) == ["Sam", "Sue"]
    sid = next(r for r in result.paths if r.to == "person:sid")
    assert names(org, sid) == ["Sam", "Max", "Sid"]


def test_project_who_is_missing():
    """Relaunch (lead Lee, Infra) has Sam and Sue from Search, and now Ava from Data.
    Ava mentors Lee: Data has a link to Lee besides the project; Search does not. The
    members' managers: Max (Sam, Sue) has no link to Lee; Dora (Ava) manages Lee."""
    b = search_team()
    b.project("Relaunch", lead="lee", members=["sam", "sue", "ava"])
    b.mentor("ava", "lee")
    org = b.org()
    result = loop_in(org, "person:ann", "project:Relaunch")
    assert [org.label(m.team) for m in result.missing_teams] == ["Search"]
    assert result.missing_teams[0].why == (
        "nobody in Search has a link to Lee other than Relaunch (Sam and Sue on it)"
    )
    got = [(org.label(s.node), s.why) for s in result.stakeholders]
    assert got == [("Max", "manager of Sam, Sue (on Relaunch); heads Search; no link to Lee")]
    assert names(org, result.stakeholders[0].route) == ["Ann", "Dora", "Max"]
    # the advocates of a project: its lead first (three members look to Lee)
    assert org.label(result.advocates[0].node) == "Lee"


def test_advocates_of_one_person_are_who_they_look_to():
    org = search_team().org()
    result = loop_in(org, "person:ann", "person:sid")
    # Sid nominates Max (his manager) and Ava (advice) once each; Max, sought by three,
    # has the more influence
    got = [(org.label(a.node), a.why) for a in result.advocates]
    assert got == [("Max", "manager of Sid"), ("Ava", "Sid goes to them for advice")]


# -- resolving what the user typed ---------------------------------------------------------
def test_targets_resolve_by_kind_and_name():
    org = search_team().org()
    assert resolve_target(org, "team:search") == "team:Search"
    assert resolve_target(org, "project: infra-ops") == "project:Infra Ops"
    assert resolve_target(org, "Relaunch") == "project:Relaunch"  # nobody has that name
    assert resolve_target(org, "Sid") == "person:sid"
    with pytest.raises(TargetError, match="no team named 'Serch'; closest: team:Search") as exc:
        resolve_target(org, "team:Serch")
    assert exc.value.matches[0] == "team:Search"
    with pytest.raises(TargetError, match="closest: Sid"):
        resolve_target(org, "Syd")


def test_ambiguous_person_target_lists_each():
    b = search_team().person("k1", "Kim Ng").person("k2", "Kim Ng")
    org = b.org()
    with pytest.raises(TargetError, match=r"matches 2 people: Kim Ng \(k1\); Kim Ng \(k2\)"):
        resolve_target(org, "kim ng")


# -- the command line, on a real workbook --------------------------------------------------
def write_workbook(path: Path) -> Path:
    """Eight people in four teams, two projects led by Lee; two people named Kim Ng."""
    return write_xlsx(
        path,
        {
            "People": [
                ["Employee ID", "Name", "Email", "Manager ID", "Team", "Department"],
                [1, "Dora Diaz", "dora@x.com", None, "Exec", "Eng"],
                [2, "Max Moe", "max@x.com", 1, "Search", "Eng"],
                [3, "Sam Sun", "sam@x.com", 2, "Search", "Eng"],
                [4, "Sue Sato", "sue@x.com", 2, "Search", "Eng"],
                [5, "Lee Lim", "lee@x.com", 1, "Infra", "Eng"],
                [6, "Ann Aho", "ann@x.com", 1, "Infra", "Eng"],
                [7, "Kim Ng", "kim1@x.com", 1, "Data", "Eng"],
                [8, "Kim Ng", "kim2@x.com", 1, "Data", "Eng"],
            ],
            "Projects": [
                ["Project", "Member", "Role"],
                ["Search Relaunch", "lee@x.com", "Lead"],
                ["Search Relaunch", "sam@x.com", "Contributor"],
                ["Search Relaunch", "sue@x.com", "Contributor"],
                ["Infra Ops", "lee@x.com", "Lead"],
                ["Infra Ops", "ann@x.com", "Contributor"],
            ],
        },
    )


@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_workbook(tmp_path / "org.xlsx")


def test_cli_terminal_output_is_short_and_plain(workbook):
    status, out, err = run(["loop-in", str(workbook), "--person", "Ann Aho", "--to", "Sam Sun"])
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "Loop in Sam Sun (3) for Ann Aho (6)"
    assert "  Sam Sun (3), 2 steps: Ann Aho > Lee Lim > Sam Sun" in lines
    assert "    Lee Lim: you both work on Infra Ops" in lines
    assert "    Sam Sun: works on Search Relaunch with Lee Lim" in lines
    assert len(lines) < 25


def test_cli_json_carries_paths_as_ids_names_and_relations(workbook, tmp_path):
    status, out, err = run(
        ["loop-in", str(workbook), "--person", "6", "--to", "team:Search", "--json", "out.json"],
        cwd=tmp_path,
    )
    assert status == 0, err
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert doc["person"] == {"id": "6", "name": "Ann Aho", "team": "Infra"}
    assert doc["target"] == {"kind": "team", "name": "Search", "id": None, "people": 3}
    sam = next(p for p in doc["paths"] if p["to"]["id"] == "3")
    assert sam["hops"] == 2
    assert sam["path"] == [
        {"id": "6", "name": "Ann Aho"},
        {
            "id": "5",
            "name": "Lee Lim",
            "relation": "projects",
            "relations": ["projects"],
            "reason": "Lee Lim: you both work on Infra Ops",
        },
        {
            "id": "3",
            "name": "Sam Sun",
            "relation": "projects",
            "relations": ["projects"],
            "reason": "Sam Sun: works on Search Relaunch with Lee Lim",
        },
    ]
    # Lee and Max are each nominated by Sam and Sue; Lee, also sought by Ann (Infra Ops),
    # has the more influence
    assert [a["name"] for a in doc["advocates"]] == ["Lee Lim", "Max Moe", "Dora Diaz"]
    assert doc["advocates"][1]["why"] == "manager of Sam Sun and Sue Sato"
    assert doc["advocates"][0]["path"][-1]["reason"] == "Lee Lim: you both work on Infra Ops"
    assert "fewest introductions first" in doc["cost_rule"]


def test_cli_unknown_and_ambiguous_refs_list_closest_matches(workbook):
    status, out, err = run(["loop-in", str(workbook), "--person", "Ann Ahoo", "--to", "team:X"])
    assert status == 1 and "--person 'Ann Ahoo'" in err and "Ann Aho (6)" in err
    status, out, err = run(["loop-in", str(workbook), "--person", "6", "--to", "team:Serch"])
    assert status == 1 and "--to: no team named 'Serch'; closest: team:Search" in err
    status, out, err = run(["loop-in", str(workbook), "--person", "6", "--to", "Kim Ng"])
    assert status == 1 and "matches 2 people: Kim Ng (7); Kim Ng (8)" in err
    assert "Traceback" not in err


def test_cli_group_answer_says_each_hop_once(workbook):
    # Sam and Sue are both reached through Lee (Infra Ops, then Search Relaunch): the
    # shared first hop is explained once, under the first route that takes it
    status, out, err = run(["loop-in", str(workbook), "--person", "6", "--to", "team:Search"])
    assert status == 0, err
    assert out.count("Lee Lim: you both work on Infra Ops") == 1
    assert "Sam Sun: works on Search Relaunch with Lee Lim" in out
    assert "Sue Sato: works on Search Relaunch with Lee Lim" in out
    assert out.splitlines()[0] == "Loop in team Search (3 people) for Ann Aho (6)"


def test_krackhardt_manager_10_to_2(krackhardt_dir):
    # the real data: 10 names 2 as an adviser (Advice.csv row 10 -> 2 is 1), so one
    # step; 2 reports to 7 and seeks advice from 7, 21 and 6 (2's own Advice row)
    status, out, err = run(["loop-in", str(krackhardt_dir), "--person", "10", "--to", "2"])
    assert status == 0, err
    lines = out.splitlines()
    assert lines[:4] == [
        "Loop in 2 for 10",
        "Introduction paths (fewest introductions, then the strongest links):",
        "  2, 1 step: 10 > 2",
        "    2: you go to them for advice",
    ]
    advocates = [ln.split(":")[0].strip() for ln in lines[5::2]]
    assert advocates == ["7", "21", "6"]
    assert lines[5] == "  7: manager of 2; 2 goes to them for advice"


def test_cli_anonymize_answers_in_pseudonyms(workbook):
    status, out, err = run(
        ["loop-in", str(workbook), "--person", "Ann Aho", "--to", "Sam Sun", "--anonymize",
         "--salt", "s3cret", "--min-group", "1"]
    )  # fmt: skip
    assert status == 0, err
    assert "Person " in out and "2 steps" in out
    for real in ("Ann Aho", "Lee Lim", "Sam Sun", "ann@x.com"):
        assert real not in out
    # project names are not personal data and stay, so the reason still reads
    assert "you both work on Infra Ops" in out


def test_name_order_ignores_case_and_accents():
    from orgmap.loop_in import _alpha_rank

    b = OrgBuilder()
    for pid, name in (("1", "Zoë"), ("2", "Émile"), ("3", "adam"), ("4", "Élise"), ("5", "Bob")):
        b.person(pid, name)
    b.person("6", "Bob")  # same name: the id decides
    org = b.org()
    rank = _alpha_rank(org)
    people = sorted(org.people(), key=lambda n: rank[org.people().index(n)])
    assert [f"{org.label(n)}/{org.graph.nodes[n]['id']}" for n in people] == [
        "adam/3",
        "Bob/5",
        "Bob/6",
        "Élise/4",
        "Émile/2",
        "Zoë/1",
    ]


def test_a_stale_tie_is_weaker_than_a_recent_one():
    # advice ties Ann->Al last dated 2020, Ann->Bo 2025 (over a year apart): Al's tie
    # counts half, so via Bo (cost 1 + 1) beats via Al (2 + 1), though Al is first by name
    b = OrgBuilder().person("a", "Ann").person("al", "Al").person("bo", "Bo").person("t", "Tia")
    b.tie("a", "al", "advice").tie("a", "bo", "advice")
    b.project("P", members=["al", "t"]).project("Q", members=["bo", "t"])
    b.graph.edges["person:a", "person:al", "tie:advice"]["date"] = "2020-01-15"
    b.graph.edges["person:a", "person:bo", "tie:advice"]["last_contact"] = "2025-06-01"
    org = b.org()
    route = loop_in(org, "person:a", "person:t").paths[0]
    assert names(org, route) == ["Ann", "Bo", "Tia"]
    assert route.cost == pytest.approx(2.0)


def test_html_to_with_anonymize_names_nobody(workbook, tmp_path):
    argv = ["html", str(workbook), "-o", "a.html", "--focus", "6", "--to", "Sam Sun"]
    status, out, err = run([*argv, "--anonymize", "--salt", "s", "--min-group", "1"], tmp_path)
    assert status == 0, err
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert '"overlay"' in page and "Person " in page
    for real in ("Ann Aho", "Lee Lim", "Sam Sun"):
        assert real not in page


def test_dates_in_real_sheets_make_recent_links_count_more():
    """The same as above, read from spreadsheets: a ties sheet's "Last interaction" and a
    tracker's "Last Modified" are kept as the links' dates."""
    from orgmap.builder import build_org
    from orgmap.tables import Table

    people = [["ID", "Name"], ["a", "Ann"], ["al", "Al"], ["bo", "Bo"], ["t", "Tia"]]
    ties = [
        ["Source", "Target", "Type", "Last interaction"],
        ["a", "al", "advice", "2020-01-15"],
        ["a", "bo", "advice", "2025-06-01"],
    ]
    projects = [
        ["Project", "Member", "Last Modified"],
        ["P", "al", "2025-05-01"],
        ["P", "t", "2025-05-20"],
        ["Q", "bo", "2025-05-02"],
        ["Q", "t", "2025-05-03"],
    ]
    org = build_org(
        [
            Table(file="org.xlsx", sheet="People", rows=people),
            Table(file="org.xlsx", sheet="Ties", rows=ties),
            Table(file="org.xlsx", sheet="Projects", rows=projects),
        ]
    )
    assert org.graph.edges["person:a", "person:al", "tie:advice"]["date"] == "2020-01-15"
    assert org.graph.nodes["project:P"]["last_activity"] == "2025-05-20"  # the latest row
    route = loop_in(org, "person:a", "person:t").paths[0]
    assert names(org, route) == ["Ann", "Bo", "Tia"]  # Al's tie is stale: it counts half
