"""The synthetic org: what a user of ``orgmap sample`` and the bundled samples gets."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from orgmap.cli import Env, main
from orgmap.sample import (
    MENTORSHIP_HEADER,
    PEOPLE_HEADER,
    PROJECTS_HEADER,
    generate,
    write_csv_folder,
    write_xlsx,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "orgmap" / "samples"
P = {name: i for i, name in enumerate(PEOPLE_HEADER)}
LEAD_ROLES = {"Lead", "Tech Lead", "DRI", "Owner"}
CONTRIBUTOR_ROLES = {"Contributor", "Engineer", "Member"}
STAKEHOLDER_ROLES = {"Stakeholder", "Sponsor", "Reviewer"}


def run(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    env = Env.capture(cwd)
    status = main(argv, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


def level(row: list) -> int:
    return int(row[P["Level"]][1:])


@pytest.fixture(scope="module")
def org300() -> dict[str, list[list]]:
    return generate(300, seed=7)


@pytest.fixture(scope="module")
def org3000() -> dict[str, list[list]]:
    return generate(3000, seed=1)


@pytest.fixture(scope="module")
def dirty() -> dict[str, list[list]]:
    return generate(60, seed=7, dirty=True)


# -- determinism and size -------------------------------------------------------------------
def test_same_seed_same_org_other_seed_other_org():
    assert generate(500, seed=3) == generate(500, seed=3)
    assert generate(80, seed=3, dirty=True) == generate(80, seed=3, dirty=True)
    assert generate(500, seed=3)["People"] != generate(500, seed=4)["People"]


@pytest.mark.parametrize("n", [1, 2, 7, 13, 25, 60, 299, 2500])
def test_headcount_is_exactly_what_was_asked(n):
    sheets = generate(n, seed=n)
    assert list(sheets) == ["People", "Projects", "Mentorship"]
    assert sheets["People"][0] == PEOPLE_HEADER
    assert sheets["Projects"][0] == PROJECTS_HEADER
    assert sheets["Mentorship"][0] == MENTORSHIP_HEADER
    assert len(sheets["People"]) - 1 == n
    assert len({r[P["Employee ID"]] for r in sheets["People"][1:]}) == n


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="people"):
        generate(0)
    with pytest.raises(ValueError, match="at least 20"):
        generate(10, dirty=True)


# -- the hierarchy ----------------------------------------------------------------------------
@pytest.mark.parametrize("fixture", ["org300", "org3000"])
def test_one_ceo_and_a_reporting_tree_without_cycles(fixture, request):
    people = request.getfixturevalue(fixture)["People"][1:]
    manager = {r[P["Employee ID"]]: r[P["Manager ID"]] for r in people}
    roots = [pid for pid, m in manager.items() if m is None]
    assert len(roots) == 1
    ceo = next(r for r in people if r[P["Manager ID"]] is None)
    assert ceo[P["Job Title"]] == "Chief Executive Officer"
    assert all(m is None or m in manager for m in manager.values())
    for pid in manager:  # every chain of managers ends at the CEO
        seen = set()
        while manager[pid] is not None:
            assert pid not in seen
            seen.add(pid)
            pid = manager[pid]
        assert pid == roots[0]
    # Managers outrank their reports.
    by_id = {r[P["Employee ID"]]: r for r in people}
    for r in people:
        if r[P["Manager ID"]] is not None and not r[P["Job Title"]].startswith("Distinguished"):
            assert level(by_id[r[P["Manager ID"]]]) >= level(r) - 1


def test_departments_teams_and_titles_look_like_a_company(org300, org3000):
    people = org300["People"][1:]
    depts = Counter(r[P["Department"]] for r in people)
    for name in ("Engineering", "Product", "Design", "Sales", "Marketing", "Operations"):
        assert name in depts
    assert depts.most_common(1)[0][0] == "Engineering"
    titles = Counter(r[P["Job Title"]] for r in people)
    assert titles["Chief Executive Officer"] == 1
    assert titles["VP Engineering"] == 1
    assert titles["Senior Software Engineer"] > 5
    assert titles["Engineering Manager"] > 5
    assert any(t.startswith("Director of ") for t in titles)
    # Team leads report to directors, directors up to VPs, VPs to the CEO.
    by_id = {r[P["Employee ID"]]: r for r in people}
    em = next(r for r in people if r[P["Job Title"]] == "Engineering Manager")
    chain = []
    boss = em[P["Manager ID"]]
    while boss is not None:
        chain.append(by_id[boss][P["Job Title"]])
        boss = by_id[boss][P["Manager ID"]]
    assert chain[-2:] == ["VP Engineering", "Chief Executive Officer"]
    assert any(t.startswith("Director of") for t in chain)
    # Working teams (a lead and the people reporting to them) have 5-12 people.
    for sheets in (org300, org3000):
        rows = sheets["People"][1:]
        members: dict[str, list] = {}
        for r in rows:
            members.setdefault(r[P["Team"]], []).append(r)
        for team, group in members.items():
            if "Leadership" in team or team == "Office of the CEO":
                continue
            ids = {r[P["Employee ID"]] for r in group}
            leads = [r for r in group if r[P["Manager ID"]] not in ids]
            assert len(leads) == 1, team
            assert 5 <= len(group) <= 12, team
            others = [r for r in group if r is not leads[0]]
            assert {r[P["Manager ID"]] for r in others} == {leads[0][P["Employee ID"]]}
    assert len({r[P["Level"]] for r in people}) >= 8
    assert all(re.fullmatch(r"L(3|4|5|6|7|8|9|10|11|12)", r[P["Level"]]) for r in people)


def test_people_have_unique_emails_accented_names_and_start_dates(org3000):
    people = org3000["People"][1:]
    emails = [r[P["Work Email"]] for r in people]
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)+\d*@example\.com", e) for e in emails)
    names = [r[P["Full Name"]] for r in people]
    assert any("José" in n or "Zoë" in n or "Łukasz" in n for n in names)
    assert sum(1 for n in names if not n.isascii()) > len(names) // 10
    # A few namesakes in a big org; references therefore never use names.
    repeated = [n for n, k in Counter(names).items() if k > 1]
    assert 1 <= len(repeated) <= 10
    assert all(isinstance(r[P["Start Date"]], dt.date) for r in people)
    assert all(r[P["Location"]] for r in people)


def test_a_few_dotted_line_managers_some_of_them_several(org3000):
    people = org3000["People"][1:]
    ids = {r[P["Employee ID"]] for r in people}
    dotted = [r[P["Dotted Line Manager"]] for r in people if r[P["Dotted Line Manager"]]]
    assert 0.01 * len(people) < len(dotted) < 0.06 * len(people)
    several = [d for d in dotted if isinstance(d, str) and ";" in d]
    assert several
    for d in dotted:
        for ref in str(d).split(";"):
            assert int(ref) in ids


# -- projects ------------------------------------------------------------------------------------
def _projects(sheets):
    people = sheets["People"][1:]
    by_ref = {}
    for r in people:
        by_ref[r[P["Employee ID"]]] = r
        by_ref[r[P["Work Email"]]] = r
    projects: dict[str, list] = {}
    for name, member, role, _team in sheets["Projects"][1:]:
        projects.setdefault(name, []).append((by_ref[member], role))
    return projects


@pytest.mark.parametrize("fixture", ["org300", "org3000"])
def test_projects_have_leads_and_mostly_stay_in_one_team(fixture, request):
    sheets = request.getfixturevalue(fixture)
    n = len(sheets["People"]) - 1
    projects = _projects(sheets)
    assert len(projects) == n // 20
    roles = Counter(role for _, _, role, _ in sheets["Projects"][1:])
    assert set(roles) <= LEAD_ROLES | CONTRIBUTOR_ROLES | STAKEHOLDER_ROLES
    assert {"Lead", "Contributor", "Stakeholder"} <= set(roles)
    spans = []
    for members in projects.values():
        assert any(role in LEAD_ROLES for _, role in members)
        refs = [row[P["Employee ID"]] for row, _ in members]
        assert len(refs) == len(set(refs))  # no duplicate membership in a clean org
        working = [row for row, role in members if role not in STAKEHOLDER_ROLES]
        spans.append(
            (len({r[P["Team"]] for r in working}), len({r[P["Department"]] for r in working}))
        )
    single = sum(1 for teams, _ in spans if teams == 1)
    assert single > len(spans) / 2
    assert any(teams >= 3 for teams, _ in spans)
    assert any(depts >= 4 for _, depts in spans)  # org-wide work
    members = sheets["Projects"][1:]
    assert any(isinstance(m, int) for _, m, _, _ in members)
    assert any(isinstance(m, str) and "@" in m for _, m, _, _ in members)


# -- mentorship ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fixture", ["org300", "org3000"])
def test_mentors_are_senior_and_mentees_grow_into_mentors(fixture, request):
    sheets = request.getfixturevalue(fixture)
    n = len(sheets["People"]) - 1
    by_email = {r[P["Work Email"]]: r for r in sheets["People"][1:]}
    pairs = sheets["Mentorship"][1:]
    assert len(pairs) == n // 5
    assert len({tuple(p) for p in pairs}) == len(pairs)
    for mentor, mentee in pairs:
        assert level(by_email[mentor]) > level(by_email[mentee])
    mentors = {m for m, _ in pairs}
    mentees = {m for _, m in pairs}
    # Mentees who mentor in turn: each is the middle of a mentor -> mentee -> mentee chain.
    assert len(mentors & mentees) >= 3


# -- the dirty sample ------------------------------------------------------------------------------
def test_dirty_sample_carries_every_listed_fault(dirty):
    people = dirty["People"]
    assert people[0] == ["Acme Corp HR export"]
    assert people[1][0].startswith("Generated 2026-")
    assert people[2] == PEOPLE_HEADER
    body = people[3:]
    rows = [r for r in body if r]
    assert len(body) - len(rows) == 2  # blank rows in the middle
    assert body[0] != [] and body[-1] != []
    ids = Counter(r[P["Employee ID"]] for r in rows if r[P["Employee ID"]] is not None)
    assert [pid for pid, k in ids.items() if k > 1]  # duplicate id
    assert any(r[P["Employee ID"]] is None and r[P["Full Name"]] is None for r in rows)
    managers = [r[P["Manager ID"]] for r in rows]
    assert 99999 in managers
    assert any(r[P["Manager ID"]] == r[P["Employee ID"]] for r in rows if r[P["Employee ID"]])
    assert any(isinstance(m, str) and m.endswith(".0") for m in managers)
    assert any(isinstance(m, str) and m != m.strip() for m in managers)
    # A cycle A -> B -> C -> A.
    up = {r[P["Employee ID"]]: r[P["Manager ID"]] for r in rows if r[P["Employee ID"]]}
    cycles = [a for a in up if up.get(up.get(up.get(a))) == a and up.get(a) != a]
    assert len(cycles) == 3
    assert '=HYPERLINK("http://x","y")' in [r[P["Full Name"]] for r in rows]
    assert "<b>Ops</b>" in [r[P["Team"]] for r in rows]
    assert any("<img" in (r[P["Job Title"]] or "") for r in rows)

    projects = dirty["Projects"][1:]
    assert [] in projects
    memberships = [tuple(r[:2]) for r in projects if r]
    assert any(k > 1 for k in Counter(memberships).values())
    assert any(r and r[2] == "Wizard" for r in projects)
    assert any(r and r[1] == "pat.contractor@partner-agency.com" for r in projects)
    assert any(r and isinstance(r[1], str) and r[1].endswith(".0") for r in projects)
    assert any(r and isinstance(r[1], str) and r[1] != r[1].strip() for r in projects)

    mentorship = dirty["Mentorship"][1:]
    assert [] in mentorship
    assert any(r and r[0] == r[1] for r in mentorship)
    assert any(r and r[0] == "ghost.mentor@example.com" for r in mentorship)


def test_dirty_is_the_clean_org_plus_faults():
    clean = generate(200, seed=5)["People"][1:]
    dirty_people = generate(200, seed=5, dirty=True)["People"][3:]
    clean_emails = {r[P["Work Email"]] for r in clean}
    dirty_emails = {r[P["Work Email"]] for r in dirty_people if r}
    assert dirty_emails - clean_emails == {"duplicate.person@example.com", None}


# -- files ---------------------------------------------------------------------------------------------
def _read_xlsx(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        out[ws.title] = rows
    wb.close()
    return out


def _as_written(sheets: dict[str, list[list]]) -> dict[str, list[list]]:
    """What a workbook gives back: dates as datetimes, no trailing empty cells."""
    out = {}
    for name, rows in sheets.items():
        out[name] = []
        for row in rows:
            values = [dt.datetime.combine(v, dt.time()) if type(v) is dt.date else v for v in row]
            while values and values[-1] is None:
                values.pop()
            out[name].append(values)
    return out


def test_cli_writes_a_workbook_that_reads_back(tmp_path):
    status, out, err = run(
        ["sample", "-o", "demo.xlsx", "--people", "120", "--seed", "3"], tmp_path
    )
    assert (status, err) == (0, "")
    assert out.count("\n") == 1
    assert "120 people" in out and "6 projects" in out and "24 mentorships" in out
    assert _read_xlsx(tmp_path / "demo.xlsx") == _as_written(generate(120, seed=3))


def test_cli_dirty_workbook_keeps_formula_looking_text_as_text(tmp_path):
    status, out, _ = run(["sample", "-o", "dirty.xlsx", "--people", "40", "--dirty"], tmp_path)
    assert status == 0 and "faults" in out
    wb = openpyxl.load_workbook(tmp_path / "dirty.xlsx")
    cells = [
        c
        for row in wb["People"].iter_rows()
        for c in row
        if c.value == '=HYPERLINK("http://x","y")'
    ]
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert _read_xlsx(tmp_path / "dirty.xlsx") == _as_written(generate(40, seed=0, dirty=True))


def test_cli_csv_folder(tmp_path):
    status, out, _ = run(["sample", "--csv", "-o", "org", "--people", "50", "--dirty"], tmp_path)
    assert status == 0 and "CSV" in out
    files = sorted(p.name for p in (tmp_path / "org").iterdir())
    assert files == ["Mentorship.csv", "People.csv", "Projects.csv"]
    raw = (tmp_path / "org" / "People.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel shows the accents
    with (tmp_path / "org" / "People.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    expected = generate(50, seed=0, dirty=True)["People"]
    assert len(rows) == len(expected)
    assert rows[2] == PEOPLE_HEADER
    names = [r[1] for r in rows[3:] if len(r) > 1]
    # In a CSV the formula-looking name is defused so no spreadsheet evaluates it.
    assert '\'=HYPERLINK("http://x","y")' in names
    assert not any(n.startswith("=") for n in names)
    assert any(not n.isascii() for n in names)


def test_write_functions_replace_files_whole(tmp_path):
    sheets = generate(30, seed=1)
    target = tmp_path / "o.xlsx"
    target.write_text("old")
    write_xlsx(sheets, target)
    assert openpyxl.load_workbook(target).sheetnames == ["People", "Projects", "Mentorship"]
    written = write_csv_folder(sheets, tmp_path / "csv")
    assert [p.name for p in written] == ["People.csv", "Projects.csv", "Mentorship.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "o.xlsx"]  # no temp files left


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "x.csv"], ".xlsx"),
        (["-o", "x.xlsx", "--csv"], "folder"),
        (["-o", "x.xlsx", "--people", "0"], "--people"),
        (["-o", "x.xlsx", "--people", "10", "--dirty"], "--dirty"),
        (["-o", "missing/x.xlsx"], "no such folder"),
    ],
)
def test_cli_refuses_what_it_cannot_do(tmp_path, argv, message):
    status, out, err = run(["sample", *argv], tmp_path)
    assert status == 2
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_needs_an_output(tmp_path):
    status, _, err = run(["sample"], tmp_path)
    assert status == 2
    assert "-o PATH is required" in err and "--list" in err


# -- the bundled samples -----------------------------------------------------------------------------
def test_bundled_samples_are_made_by_the_generator_and_small():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_samples", REPO / "samples" / "make_samples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.SAMPLES) == {"sample-org.xlsx", "dirty-org.xlsx"}
    for name, kwargs in module.SAMPLES.items():
        path = SAMPLES / name
        assert path.stat().st_size < 1024 * 1024
        assert _read_xlsx(path) == _as_written(generate(**kwargs)), f"{name} is stale"
    assert module.SAMPLES["sample-org.xlsx"]["people"] >= 250
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert "orgmap sample -o orgmap/samples/sample-org.xlsx --people 300 --seed 7" in readme
    assert "--dirty" in readme


# -- through the builder and `orgmap validate` ----------------------------------------------------------
DIRTY_CODES = {
    "duplicate_id",
    "missing_id",
    "unknown_manager",
    "self_manager",
    "reporting_cycle",
    "external_member",
    "duplicate_membership",
    "unknown_role",
    "self_mentorship",
    "unknown_mentor",
}


def test_clean_sample_builds_without_a_single_issue():
    from orgmap.sample import sample_org

    org = sample_org(300, seed=7)
    assert org.issues == []
    counts = org.counts()
    sheets = generate(300, seed=7)
    assert counts["people"] == 300
    assert counts["reporting_lines"] == 299
    assert counts["projects"] == 15
    assert counts["memberships"] == len(sheets["Projects"]) - 1
    assert counts["mentorships"] == 60
    assert counts["dotted_lines"] > 0
    summary = org.summary()["rows"]
    assert summary["rows_read"] == summary["imported"] == 300 + len(sheets["Projects"]) - 1 + 60
    roots = [
        n
        for n in org.people()
        if not any(k == "reports_to" for *_, k in org.graph.out_edges(n, keys=True))
    ]
    assert len(roots) == 1
    assert org.graph.nodes[roots[0]]["title"] == "Chief Executive Officer"


def test_dirty_sample_yields_each_expected_issue_once():
    from orgmap.sample import sample_org

    org = sample_org(60, seed=7, dirty=True)
    codes = Counter(i.code for i in org.issues)
    assert set(codes) == DIRTY_CODES
    assert all(k == 1 for k in codes.values())
    rows = org.summary()["rows"]
    assert (
        rows["rows_read"] == rows["imported"] + rows["rejected"] + rows["blank"] + rows["skipped"]
    )
    assert rows["blank"] == 4
    # Ids written as "1042.0" and " 1042 " still found their manager.
    sheets = generate(60, seed=7, dirty=True)
    text_refs = [r for r in sheets["People"][3:] if r and isinstance(r[P["Manager ID"]], str)]
    assert len(text_refs) == 4
    for r in text_refs:
        node = f"person:{r[P['Employee ID']]}"
        boss = f"person:{int(float(r[P['Manager ID']]))}"
        assert org.graph.has_edge(node, boss, key="reports_to")


def test_validate_on_the_bundled_samples(tmp_path):
    status, out, err = run(["validate", str(SAMPLES / "sample-org.xlsx")], tmp_path)
    assert status == 0, out + err
    status, out, err = run(["validate", "--json", str(SAMPLES / "dirty-org.xlsx")], tmp_path)
    assert status == 1
    import json

    report = json.loads(out)
    assert {i["code"] for i in report["issues"]} == DIRTY_CODES
    assert all(i["file"] == "dirty-org.xlsx" for i in report["issues"])


def test_formula_and_html_text_arrive_as_plain_text():
    from orgmap.loader import load

    org = load([SAMPLES / "dirty-org.xlsx"])
    names = {org.graph.nodes[n]["name"] for n in org.people()}
    assert '=HYPERLINK("http://x","y")' in names  # text, not a formula's cached value
    assert "team:<b>Ops</b>" in org.graph


def test_generation_reports_progress_and_can_be_cancelled():
    from orgmap.model import Cancelled
    from orgmap.sample import sample_org

    seen: list[float] = []
    generate(200, progress=lambda f, _msg: seen.append(f))
    assert seen == sorted(seen) and seen[0] == 0.0 and seen[-1] == 1.0
    calls = []

    def cancel_after_two() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        generate(200, cancel=cancel_after_two)
    seen.clear()
    org = sample_org(100, seed=2, progress=lambda f, _msg: seen.append(f))
    assert org.counts()["people"] == 100
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    with pytest.raises(Cancelled):
        sample_org(100, cancel=lambda: True)


@pytest.mark.parametrize("n", [1, 2, 5, 13, 21, 37, 99, 1200])
def test_any_size_builds_cleanly(n):
    from orgmap.sample import sample_org

    org = sample_org(n, seed=n)
    assert org.issues == []
    assert org.counts()["people"] == n


@pytest.mark.parametrize(("n", "seed"), [(20, 0), (23, 1), (41, 2), (1000, 3)])
def test_any_dirty_size_has_every_fault(n, seed):
    from orgmap.sample import sample_org

    codes = Counter(i.code for i in sample_org(n, seed=seed, dirty=True).issues)
    assert set(codes) == DIRTY_CODES and set(codes.values()) == {1}


def test_writing_a_big_workbook_reports_progress(tmp_path):
    seen: list[float] = []
    write_xlsx(generate(6000, seed=1), tmp_path / "big.xlsx", progress=lambda f, _m: seen.append(f))
    assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] == 1.0
    people = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True)["People"]
    assert sum(1 for _ in people.iter_rows(values_only=True)) == 6001
