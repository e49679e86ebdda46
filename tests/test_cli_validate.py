"""`orgmap validate` on real files, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from orgmap.cli import Env, main


def run(argv: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    env = Env.capture(cwd)
    status = main(argv, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


@pytest.fixture
def hris(tmp_path: Path) -> Path:
    """An HRIS export: two title rows above the header, float ids, a bad manager."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Employees"
    ws.append(["Globex HR export"])
    ws.append(["Generated 2026-11-01 08:00"])
    ws.append(["Employee #", "Full Name", "Work Email", "Manager ID", "Job Title", "Team", "Dept"])
    ws.append([100, "Grace Hopper", "grace@globex.com", None, "CTO", "Office", "Eng"])
    ws.append([101, "Alan Turing", "alan@globex.com", 100, "Staff Engineer", "Core", "Eng"])
    ws.append([102, "Édith Piaf", "edith@globex.com", "101.0", "Engineer", "Core", "Eng"])
    ws.append([103, "Linus T", "linus@globex.com", 999, "Engineer", "Kernel", "Eng"])
    ws.append([None, None, None, None, None, None, None])
    ws.append([101, "Alan Again", "alan2@globex.com", 100, "Engineer", "Core", "Eng"])
    path = tmp_path / "hris.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.csv"
    path.write_text(
        'Project,Members,Lead\nCompiler,"101, 102\n103",grace@globex.com\n'
        'Kernel,"103,vendor@acme.com",\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def mentoring(tmp_path: Path) -> Path:
    path = tmp_path / "mentoring.csv"
    path.write_text(
        "Mentor,Mentee\ngrace@globex.com,alan@globex.com\nalan@globex.com,edith@globex.com\n"
        "ghost@globex.com,linus@globex.com\n",
        encoding="utf-8",
    )
    return path


def test_three_sources_together_summary_and_issues(hris, tracker, mentoring):
    status, out, err = run(["validate", str(hris), str(tracker), str(mentoring)])
    assert status == 1, out + err  # rows were rejected (duplicate id, unknown mentor)
    assert "hris.xlsx:Employees:7: warning: manager '999' matches no person" in out
    assert "hris.xlsx:Employees:9: error: duplicate person id '101'" in out
    assert "mentoring.csv:mentoring:4: error: mentor 'ghost@globex.com'" in out
    assert "tracker.csv:tracker:3: warning: project member 'vendor@acme.com'" in out
    assert "people 5, teams 3, departments 1, projects 2, memberships 6, mentorships 2" in out
    assert (
        "hris.xlsx:Employees (people, header row 3): rows read 6 = imported 4 + rejected 1 + blank 1"
        in out
    )
    assert "Traceback" not in out + err


def test_json_output(hris, tracker, mentoring):
    status, out, _ = run(["validate", "--json", str(hris), str(tracker), str(mentoring)])
    data = json.loads(out)
    assert set(data) == {"summary", "mapping", "issues"}
    assert data["summary"]["people"] == 5 and data["summary"]["mentorships"] == 2
    rows = data["summary"]["rows"]
    assert (
        rows["rows_read"] == rows["imported"] + rows["rejected"] + rows["blank"] + rows["skipped"]
    )
    for issue in data["issues"]:
        assert set(issue) == {
            "file",
            "sheet",
            "row",
            "column",
            "severity",
            "code",
            "message",
            "spans",
        }
    dup = next(i for i in data["issues"] if i["code"] == "duplicate_id")
    assert (dup["row"], dup["column"], dup["severity"]) == (9, "Employee #", "error")
    assert status == 1


def test_european_csv(tmp_path):
    path = tmp_path / "personal.csv"
    text = "ID;Name;Vorgesetzter;Abteilung;Gehalt\r\n1;José Müller;;Vertrieb;1234,5\r\n2;Zoë;1;Vertrieb;99,25\r\n"
    path.write_bytes(text.encode("cp1252"))
    status, out, _ = run(
        [
            "validate",
            str(path),
            "--map",
            "personal.Vorgesetzter=manager",
            "--map",
            "personal.Abteilung=department",
        ]
    )
    assert status == 0, out
    assert "people 2" in out and "reporting lines 1" in out
    from orgmap.loader import load

    org = load([path], mapping={"personal.Vorgesetzter": "manager"})
    assert org.graph.nodes["person:1"]["name"] == "José Müller"
    assert org.graph.nodes["person:2"]["gehalt"] == pytest.approx(99.25)


def test_bom_utf8_csv(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes("\ufeffEmployee ID,Name\n1,Ærøskøbing\n".encode())
    status, out, _ = run(["validate", "--json", str(path)])
    assert status == 0
    assert json.loads(out)["summary"]["sheets"][0]["mapping"] == {
        "Employee ID": "id",
        "Name": "name",
    }


def test_mapping_file_and_unknown_field(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("Who,Boss\n1,\n2,1\n", encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"staff.Who": "id", "staff.Boss": "manager"}))
    status, out, _ = run(["validate", str(path), "--mapping", str(mapping)])
    assert status == 0 and "reporting lines 1" in out
    status, _, err = run(["validate", str(path), "--map", "staff.Boss=boss"])
    assert status == 2
    assert "unknown field 'boss'" in err and "manager" in err


def test_unreadable_file_exit_2_others_still_load(tmp_path, hris):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"\x00\x01garbage" * 100)
    status, out, err = run(["validate", str(bad), str(hris)])
    assert status == 2
    assert "broken.xlsx:-:-: fatal:" in out
    assert "people 4" in out  # the good file still loaded
    assert "Traceback" not in out + err


def test_missing_file_is_a_clear_message(tmp_path):
    status, out, err = run(["validate", str(tmp_path / "nope.xlsx")])
    assert status == 2
    assert "nope.xlsx" in out and "Traceback" not in out + err


def test_krackhardt_folder_loads_untouched(krackhardt_dir):
    status, out, _ = run(["validate", "--json", str(krackhardt_dir)])
    assert status == 0
    summary = json.loads(out)["summary"]
    assert summary["people"] == 21
    assert summary["reporting_lines"] == 20
    assert summary["ties"] == 190 + 102
    assert summary["rows"]["rejected"] == 0
    reports = next(s for s in summary["sheets"] if s["sheet"] == "Reports_To")
    assert reports["imported"] == 20 and reports["skipped"] == reports["zero_weight"] == 421
    assert summary["ties_by_type"] == {"advice": 190, "friendship": 102}
    # the terminal says the same, and what each column became
    status, out, _ = run(["validate", str(krackhardt_dir)])
    assert "ties by type: advice 190, friendship 102" in out
    assert "skipped 251 (251 of them weight 0: no tie)" in out
    assert "  A ego   -> source by id" in out


def test_a_map_naming_no_column_is_a_warning(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("Who,Chief\n1,\n2,1\n", encoding="utf-8")
    status, out, _ = run(
        ["validate", str(path), "--map", "staff.Who=id", "--map", "staf.Chief=manager"]
    )
    assert "--map:-:-: warning: staf.Chief=manager names no column of any sheet read" in out
    assert "(sheets: staff)" in out
    assert "reporting lines 0" in out and status == 0


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    import subprocess
    import sys

    # every row warns (unknown manager): far more output than a pipe holds
    path = tmp_path / "people.csv"
    rows = "".join(f"{i},Person {i},{i + 100000}\n" for i in range(5000))
    path.write_text("ID,Name,Manager\n" + rows, encoding="utf-8")
    script = "import sys; from orgmap.cli import main; sys.exit(main(['validate', sys.argv[1]]))"
    proc = subprocess.run(
        f'{sys.executable} -c "{script}" {path} | head -1',
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.count("\n") == 1
    assert proc.stderr == ""
