"""`orgmap analyze` and `orgmap profile` on real files, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from orgmap.cli import Env, main
from tests.test_metrics import SPEC_PERSON, SPEC_PROJECT, SPEC_TEAM

REPO = Path(__file__).resolve().parents[1]


def run(argv: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    env = Env.capture(cwd)
    status = main(argv, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


@pytest.fixture(scope="module")
def sample_xlsx(tmp_path_factory) -> Path:
    from orgmap.sample import generate, write_xlsx

    path = tmp_path_factory.mktemp("sample") / "org.xlsx"
    write_xlsx(generate(people=150, seed=4), path)
    return path


def test_json_to_stdout_has_every_metric(sample_xlsx):
    status, out, err = run(["analyze", str(sample_xlsx), "--json", "-"])
    assert status == 0, err
    data = json.loads(out)
    assert list(data) == ["summary", "people", "projects", "teams", "issues"]
    assert len(data["people"]) == 150
    person = data["people"][0]
    assert list(person)[:4] == ["id", "name", "team", "department"]
    assert list(person)[4:] == SPEC_PERSON
    assert set(data["projects"][0]) >= set(SPEC_PROJECT) | {"name"}
    assert set(data["teams"][0]) >= set(SPEC_TEAM) | {"name"}
    s = data["summary"]
    for key in [
        "people",
        "teams",
        "departments",
        "projects",
        "cross_team_project_share",
        "hierarchy_depth",
        "span_of_control_median",
        "span_of_control_max",
        "components",
        "betweenness",
    ]:
        assert key in s
    assert s["betweenness"] == {"method": "exact", "samples": 0}
    assert "NaN" not in out and "Infinity" not in out


def test_report_json_file_and_text_summary(sample_xlsx, tmp_path):
    status, out, err = run(
        ["analyze", str(sample_xlsx), "-o", "report.xlsx", "--json", "m.json"], cwd=tmp_path
    )
    assert status == 0, err
    assert "people 150" in out and "most influential:" in out and "report: report.xlsx" in out
    assert json.loads((tmp_path / "m.json").read_text())["summary"]["people"] == 150
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert wb.sheetnames == ["Summary", "People", "Projects", "Teams", "Issues", "Definitions"]


def test_relations_change_the_metrics(sample_xlsx):
    _, out_all, _ = run(["analyze", str(sample_xlsx), "--json", "-"])
    _, out_ties, _ = run(["analyze", str(sample_xlsx), "--json", "-", "--relations", "reports"])
    everything, reports = json.loads(out_all), json.loads(out_ties)
    assert reports["summary"]["relations"] == ["reports"]
    assert [p["influence"] for p in everything["people"]] != [
        p["influence"] for p in reports["people"]
    ]
    status, _, err = run(["analyze", str(sample_xlsx), "--relations", "reports,friends"])
    assert status == 2 and "friends" in err


def test_krackhardt_with_advice_ties_only(krackhardt_dir):
    status, out, err = run(["analyze", str(krackhardt_dir), "--json", "-", "--relations", "ties"])
    assert status == 0, err
    people = json.loads(out)["people"]
    top = max(people, key=lambda p: p["influence"])
    assert top["id"] == "2"


def test_exit_codes_follow_validate(tmp_path):
    status, out, err = run(["analyze", str(REPO / "orgmap" / "samples" / "dirty-org.xlsx")])
    assert status == 1, err  # rows rejected
    assert "people" in out and "errors" in out
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook at all")
    good = tmp_path / "people.csv"
    good.write_text("ID,Name,Manager\n1,Ann,\n2,Bob,1\n", encoding="utf-8")
    status, out, err = run(["analyze", str(bad), str(good), "--json", "-"])
    assert status == 2
    data = json.loads(out)
    assert data["summary"]["people"] == 2
    assert any(i["severity"] == "fatal" for i in data["issues"])


def test_profile_text_and_html(sample_xlsx, tmp_path):
    from orgmap.loader import load

    org = load([sample_xlsx])
    node = max(org.people(), key=lambda n: org.graph.out_degree(n))
    pid = org.graph.nodes[node]["id"]
    status, out, err = run(
        ["profile", str(sample_xlsx), "--person", pid, "-o", "me.html"], cwd=tmp_path
    )
    assert status == 0, err
    assert org.label(node) in out
    for title in ("SCOPE", "ORG-SPANNING WORK LED", "MULTIPLIED IMPACT", "BROKERAGE AND ROLE"):
        assert title in out
    page = (tmp_path / "me.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Multiplied impact" in page


def test_profile_unknown_and_ambiguous_people(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        "ID,Name,Email\n1,Ann Lee,ann@x.com\n2,Ann Lee,ann.lee@x.com\n3,Bob Stone,bob@x.com\n",
        encoding="utf-8",
    )
    status, out, err = run(["profile", str(people), "--person", "Bob Stne"])
    assert status == 1 and "Bob Stone (3)" in err and "closest" in err
    status, out, err = run(["profile", str(people), "--person", "ann lee"])
    assert status == 1 and "matches 2 people" in err and "(1)" in err and "(2)" in err
    status, out, err = run(["profile", str(people), "--person", "ann.lee@x.com"])
    assert status == 0 and out.startswith("Ann Lee")


def test_analyze_counts_read_in_the_right_number(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("ID,Name,Manager\n1,Ann,\n", encoding="utf-8")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    status, out, err = run(["analyze", str(one), str(bad)])
    assert status == 2
    assert "1 connected part; 0 silo teams" in out
    assert "issues: 0 errors, 0 warnings, 1 unreadable file (see orgmap validate)" in out
    assert "1 unreadable files" not in out and "part(s)" not in out


def test_analyze_writes_nothing_when_every_file_is_unreadable(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / name).write_bytes(b"not a workbook at all")
    argv = ["analyze", "a.xlsx", "b.xlsx", "-o", "report.xlsx", "--json", "out.json"]
    status, out, err = run(argv, cwd=tmp_path)
    assert status == 2
    assert "nothing written: no input could be read (2 unreadable files)" in err
    assert "a.xlsx" in err and "b.xlsx" in err  # each file is named, with why
    assert not (tmp_path / "report.xlsx").exists() and not (tmp_path / "out.json").exists()
    assert "report:" not in out
