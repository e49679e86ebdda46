"""``orgmap diff`` and :func:`orgmap.diff.diff_orgs` on small real workbooks, with the
expected diff worked out by hand from the rows below."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from orgmap.cli import Env, main
from orgmap.diff import diff_orgs, match_people
from orgmap.diff_report import SHEETS
from orgmap.loader import load
from orgmap.metrics.examples import example_org
from orgmap.sample import sample_org

PEOPLE = ["ID", "Name", "Email", "Title", "Level", "Team", "Department", "Manager"]

OLD = [
    [1, "Ada", "ada@x.org", "CEO", "L8", "Leadership", "Exec", None],
    [2, "Ben", "ben@x.org", "Eng Manager", "L6", "Platform", "Eng", 1],
    [3, "Cy", "cy@x.org", "Data Lead", "L6", "Data", "Eng", 1],
    [4, "Di", "di@x.org", "Engineer", "L5", "Platform", "Eng", 2],
    [5, "Ed", "ed@x.org", "Data Scientist", "L4", "Data", "Eng", 3],
    [6, "Flo", "flo@x.org", "Engineer", "L4", "Platform", "Eng", 2],
    [8, "Sam", None, "Analyst", "L4", None, None, 1],
]
NEW = [
    [1, "Ada", "ada@x.org", "CEO", "L8", "Leadership", "Exec", None],
    [2, "Ben Stone", "ben@x.org", "Eng Manager", "L6", "Platform", "Eng", 1],  # renamed
    [3, "Cy", "cy@x.org", "Data Lead", "L6", "Data", "Eng", 1],
    [40, "Di", "di@x.org", "Engineer", "L6", "Platform", "Eng", 2],  # new id, same email; L6
    # Ed left
    [6, "Flo", "flo@x.org", "Engineer", "L4", "Data", "Eng", 3],  # moved to Data under Cy
    [80, "Sam", None, "Analyst", "L4", None, None, 1],  # new id, no email: name only
    [7, "Gia", "gia@x.org", "Engineer", "L4", "Data", "Eng", 3],  # joined
    [9, "@Hal", "hal@x.org", "Engineer", "L3", "Data", "Eng", 3],  # joined
]
PROJECTS_OLD = [
    ["Apollo", "Ben", "lead"],
    ["Apollo", "Di", "contributor"],
    ["Apollo", "Ed", "contributor"],
]
PROJECTS_NEW = [["Apollo", "Ben Stone", "lead"], ["Apollo", "Di", "contributor"]]


def write_book(path: Path, people: list[list], projects: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "People"
    ws.append(PEOPLE)
    for row in people:
        ws.append(row)
    ws = wb.create_sheet("Projects")
    ws.append(["Project", "Member", "Role"])
    for row in projects:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def two_snapshots(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write_book(tmp_path / "q1.xlsx", OLD, PROJECTS_OLD),
        write_book(tmp_path / "q2.xlsx", NEW, PROJECTS_NEW),
    )


def test_someone_who_left_but_is_still_on_a_project_has_left(tmp_path):
    # Ed is gone from the people data; the tracker still lists him (by name) on Apollo,
    # so the new org has him as an external person: he left, he did not move
    new_people = [r for r in OLD if r[1] != "Ed"]
    old = load([write_book(tmp_path / "a.xlsx", OLD, PROJECTS_OLD)])
    new = load([write_book(tmp_path / "b.xlsx", new_people, PROJECTS_OLD)])
    assert [n for n in new.people() if new.graph.nodes[n].get("external")]  # Ed, external
    d = diff_orgs(old, new)
    assert [p["name"] for p in d.left] == ["Ed"]
    assert d.joined == [] and d.moved == [] and d.changed == []


def test_diff_of_an_org_with_itself_is_empty():
    assert diff_orgs(example_org(), example_org()).is_empty()
    org = sample_org(80, seed=2)
    d = diff_orgs(org, org)
    assert d.is_empty() and d.summary_text() == "no changes"
    assert len(d.matches) == len(org.people())


def test_people_are_matched_by_id_then_email_then_unique_name(two_snapshots):
    old, new = (load([p]) for p in two_snapshots)
    how = {
        o.partition(":")[2]: (n.partition(":")[2], h)
        for o, (n, h) in match_people(old, new).items()
    }
    assert how == {
        "1": ("1", "id"), "2": ("2", "id"), "3": ("3", "id"), "6": ("6", "id"),
        "4": ("40", "email"), "8": ("80", "name"),
    }  # fmt: skip


def test_a_name_shared_by_two_people_matches_nobody():
    from orgmap.metrics.examples import OrgBuilder

    old = OrgBuilder().person("1", "Sam").person("2", "Sam").org()
    new = OrgBuilder().person("10", "Sam").person("20", "Sam").org()
    d = diff_orgs(old, new)
    assert (len(d.joined), len(d.left), d.matched_by_name) == (2, 2, [])


def test_diff_by_hand(two_snapshots):
    old, new = (load([p]) for p in two_snapshots)
    d = diff_orgs(old, new)
    assert [p["name"] for p in d.joined] == ["Gia", "@Hal"]
    assert d.joined[0] == {"id": "7", "name": "Gia", "team": "Data", "department": "Eng",
                           "manager": "Cy"}  # fmt: skip
    assert [p["name"] for p in d.left] == ["Ed"]
    assert d.moved == [
        {"id": "6", "name": "Flo", "manager": ["Ben", "Cy"], "team": ["Platform", "Data"]}
    ]
    assert d.changed == [
        {"new_id": "2", "name": "Ben Stone", "field": "name", "old": "Ben", "new": "Ben Stone"},
        {"new_id": "40", "name": "Di", "field": "id", "old": "4", "new": "40"},
        {"new_id": "40", "name": "Di", "field": "level", "old": "L5", "new": "L6"},
        {"new_id": "80", "name": "Sam", "field": "id", "old": "8", "new": "80"},
    ]
    assert d.matched_by_name == [{"old_id": "8", "new_id": "80", "name": "Sam"}]
    lines = d.links["reporting_lines"]
    # Di -> Ben and Sam -> Ada are the same lines under new ids: neither gained nor lost
    assert sorted((e["from"], e["to"]) for e in lines["lost"]) == [("Ed", "Cy"), ("Flo", "Ben")]
    assert sorted((e["from"], e["to"]) for e in lines["gained"]) == [
        ("@Hal", "Cy"), ("Flo", "Cy"), ("Gia", "Cy"),
    ]  # fmt: skip
    # Apollo was Ben, Di (Platform) and Ed (Data); without Ed it spans Platform only
    assert d.links["cross_team_projects"] == {
        "gained": [],
        "lost": [{"project": "Apollo", "teams": 2}],
    }
    teams = {t["team"]: t for t in d.teams}
    # Data before: Cy-Ed inside; Cy-Ada, Ed-Ben, Ed-Di outside: (3 - 1) / 4
    # Data after: Cy-Flo, Cy-Gia, Cy-Hal inside; Cy-Ada outside: (1 - 3) / 4, a silo
    assert (teams["Data"]["ei_old"], teams["Data"]["ei_new"]) == (0.5, -0.5)
    assert (teams["Data"]["silo_old"], teams["Data"]["silo_new"]) == (False, True)
    # Platform before: Ben-Di, Ben-Flo inside; Ben-Ada, Ben-Ed, Di-Ed outside: 1/5
    # after: Ben-Di inside, Ben-Ada outside: 0
    assert teams["Platform"]["ei_old"] == pytest.approx(0.2) and teams["Platform"]["ei_new"] == 0
    assert d.summary_text() == (
        "2 joined, 1 left, 1 moved; 3 changed title, level, name, id or email; "
        "Data became a silo; 1 matched by name only"
    )
    cy = next(p for p in d.people_metrics if p["name"] == "Cy")
    # Cy's direct collaborators: Ada, Ed -> Ada, Flo, Gia, Hal; within two steps of Cy
    # before: Ada, Ed, Ben, Sam, Di (through Ed's project) = 5; after: Ada, Flo, Gia,
    # Hal, Ben, Sam = 6
    assert cy["reach_2"] == {"old": 5, "new": 6, "change": 1}


def test_cli_writes_the_summary_the_workbook_and_the_json(two_snapshots, tmp_path):
    env = Env.capture(tmp_path)
    old, new = two_snapshots
    status = main(["diff", str(old), str(new), "-o", "diff.xlsx", "--json", "diff.json"], env)
    out = env.stdout.getvalue()
    assert status == 0, env.stderr.getvalue()
    assert out.splitlines()[0] == "q1.xlsx -> q2.xlsx"
    assert out.splitlines()[1].startswith("2 joined, 1 left, 1 moved;")
    assert "  moved: Flo: manager Ben -> Cy; team Platform -> Data" in out
    assert "  matched by name only: Sam (id 8 -> 80)" in out
    assert "  team Data: E-I 0.5 -> -0.5 (-1)" in out
    # Cy: still the only Leadership-Data link (10), and now the only collaborator of
    # Flo, Gia and @Hal (3 more)
    assert "  key-person risk: 1 changed; most: Cy +3" in out
    wb = openpyxl.load_workbook(tmp_path / "diff.xlsx")
    assert wb.sheetnames == list(SHEETS)
    moved = list(wb["Moved"].iter_rows(values_only=True))
    assert moved[1] == ("6", "Flo", "Ben", "Cy", "Platform", "Data", None, None)
    joined = [r[1] for r in wb["Joined"].iter_rows(min_row=2, values_only=True)]
    assert joined == ["Gia", "'@Hal"]  # shown as text, never evaluated
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=")
        for ws in wb for row in ws.iter_rows() for c in row
    )  # fmt: skip
    data = json.loads((tmp_path / "diff.json").read_text())
    assert data["summary"]["joined"] == 2 and data["summary"]["left"] == 1
    assert data["left"][0]["name"] == "Ed" and data["old"] == "q1.xlsx"


def test_json_to_stdout_is_json_alone(two_snapshots, tmp_path):
    env = Env.capture(tmp_path)
    old, new = two_snapshots
    assert main(["diff", str(old), str(new), "--json", "-"], env) == 0
    data = json.loads(env.stdout.getvalue())
    assert data["summary"]["text"].startswith("2 joined, 1 left, 1 moved;")
    assert [p["name"] for p in data["joined"]] == ["Gia", "@Hal"]
    assert env.stderr.getvalue().startswith("q1.xlsx -> q2.xlsx\n2 joined")


def write_history(path: Path) -> Path:
    """Three monthly snapshots: Bo joins in February; Cy moves under Bo in March."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Headcount"
    ws.append(["Employee ID", "Name", "Manager ID", "Snapshot Date"])
    ws.append([1, "Ada", None, "2026-01-31"])
    ws.append([3, "Cy", 1, "2026-01-31"])
    for month in ("2026-02-28", "2026-03-31"):
        ws.append([1, "Ada", None, month])
        ws.append([2, "Bo", 1, month])
        ws.append([3, "Cy", 2 if month == "2026-03-31" else 1, month])
    wb.save(path)
    return path


def test_one_dated_table_holds_both_snapshots(tmp_path):
    write_history(tmp_path / "history.xlsx")
    env = Env.capture(tmp_path)
    assert main(["diff", "history.xlsx"], env) == 0, env.stderr.getvalue()
    out = env.stdout.getvalue().splitlines()
    assert out[0] == "history.xlsx at 2026-02-28 -> history.xlsx at 2026-03-31"
    assert out[1] == "0 joined, 0 left, 1 moved"
    env = Env.capture(tmp_path)
    assert main(["diff", "history.xlsx", "--at", "2026-01-31"], env) == 0
    assert env.stdout.getvalue().splitlines()[1] == "1 joined, 0 left, 1 moved"
    env = Env.capture(tmp_path)
    assert main(["diff", "history.xlsx", "--at", "2026-01-31", "--at", "2026-02-28"], env) == 0
    assert env.stdout.getvalue().splitlines()[1] == "1 joined, 0 left, 0 moved"


def test_cli_says_what_is_wrong_with_the_arguments(tmp_path, two_snapshots):
    write_history(tmp_path / "history.xlsx")
    cases = [
        (
            ["diff", "history.xlsx", "--at", "31/01/2026"],
            "--at '31/01/2026': expected a date as YYYY-MM-DD",
        ),
        (["diff", "history.xlsx", "--at", "2025-01-01"], "snapshots start on 2026-01-31"),
        (["diff", str(two_snapshots[0])], "q1.xlsx holds no dated table"),
        (["diff", "a", "b", "c"], "expected OLD and NEW"),
        (["diff", "missing.xlsx", str(two_snapshots[0])], "missing.xlsx"),
    ]
    for argv, message in cases:
        env = Env.capture(tmp_path)
        assert main(argv, env) == 2, argv
        assert message in env.stderr.getvalue(), (argv, env.stderr.getvalue())
        assert "Traceback" not in env.stderr.getvalue()
