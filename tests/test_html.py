"""The HTML map as a user gets it: one file, no network, nothing executable from the data.

The browser tests (tests/browser/) open the same files in Chromium; these check the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgmap import html_export, palette
from orgmap.builder import build_org
from orgmap.cli import Env, main
from orgmap.html_export import HtmlExportError, UnknownFocus, json_for_script, write_html
from orgmap.layout import compute_layout
from orgmap.sample import sample_org
from orgmap.tables import Table

REPO = Path(__file__).resolve().parents[1]
SAMPLE_XLSX = REPO / "orgmap" / "samples" / "sample-org.xlsx"

XSS_NAME = "</script><script>alert(1)</script>"
XSS_TITLE = "<img src=x onerror=alert(2)>"
XSS_TEAM = "<svg/onload=alert(3)>"
FORMULA = '=HYPERLINK("http://evil.example/x","click")'


def payload(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="orgmap-data">(.*?)</script>', page, re.S
    )
    assert match, "no data block"
    return json.loads(match.group(1))


def xss_org():
    rows = [
        ["Employee ID", "Name", "Email", "Title", "Team", "Department", "Manager ID"],
        ["1", XSS_NAME, "boss@example.com", XSS_TITLE, XSS_TEAM, FORMULA, ""],
        ["2", "Bob \u2028Line", "bob@example.com", "Engineer", XSS_TEAM, FORMULA, "1"],
        ["3", "Carol & <Dan>", "carol@example.com", FORMULA, "Platform", "R&D", "1"],
    ]
    return build_org([Table(file="people.xlsx", sheet="People", rows=rows)])


@pytest.fixture(scope="module")
def org():
    return sample_org(people=300, seed=7)


@pytest.fixture(scope="module")
def metrics(org):
    from orgmap.metrics import compute_all

    return compute_all(org)


def test_map_is_one_self_contained_file(org, metrics, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = write_html(org, out, metrics=metrics)
    page = out.read_text(encoding="utf-8")
    assert result.view == "people" and result.nodes == 300 and result.bytes == len(page.encode())
    # nothing is fetched: no external script, style, font, image or link
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", page, re.I)
    assert "bootstrap" not in page.lower()
    assert not re.search(r"url\(\s*['\"]?https?:", page)
    assert "@import" not in page
    # a Content Security Policy blocks any connection even if something tried
    assert "connect-src 'none'" in page and "default-src 'none'" in page
    data = payload(page)
    assert len(data["nodes"]["label"]) == 300
    assert data["meta"]["view"] == "people"
    # a legend, department/team filters and tooltips with metrics are in the data
    assert data["filters"]["department"] and data["filters"]["team"]
    assert "Influence percentile" in data["tipFields"]["person"]
    assert result.bytes < 2_000_000


def test_same_positions_and_colours_as_the_canvas(org, metrics, tmp_path: Path) -> None:
    from orgmap.palette import category_colors

    pos = compute_layout(org, "network")
    out = tmp_path / "map.html"
    write_html(org, out, metrics=metrics, positions=pos)
    data = payload(out.read_text(encoding="utf-8"))
    people = org.people()
    labels = data["nodes"]["label"]
    i = labels.index(org.label(people[5]))
    assert data["nodes"]["x"][i] == pytest.approx(pos[people[5]][0], abs=0.1)
    assert data["nodes"]["y"][i] == pytest.approx(pos[people[5]][1], abs=0.1)
    depts = category_colors(org.graph.nodes[p].get("department") for p in people)
    coloring = data["colorings"][0]
    assert coloring["key"] == "department"
    assert dict(zip(data["filters"]["department"], coloring["colors"], strict=True)) == {
        k: v for k, v in depts.items() if k
    }


def test_pyvis_never_touches_the_org(org, metrics, tmp_path: Path) -> None:
    before = sorted(
        (u, v, k, sorted(d.items())) for u, v, k, d in org.graph.edges(keys=True, data=True)
    )
    nodes_before = {n: dict(d) for n, d in org.graph.nodes(data=True)}
    write_html(org, tmp_path / "m.html", metrics=metrics, view="full")
    after = sorted(
        (u, v, k, sorted(d.items())) for u, v, k, d in org.graph.edges(keys=True, data=True)
    )
    assert before == after
    assert nodes_before == {n: dict(d) for n, d in org.graph.nodes(data=True)}


def test_hostile_text_is_data_not_markup(tmp_path: Path) -> None:
    org = xss_org()
    out = tmp_path / "xss.html"
    write_html(org, out, title="Map <script>alert(9)</script>")
    page = out.read_text(encoding="utf-8")
    data_block = page[
        page.index('id="orgmap-data">') : page.index("</script>", page.index('id="orgmap-data">'))
    ]
    for raw in (XSS_NAME, XSS_TITLE, XSS_TEAM, "<Dan>", "\u2028"):
        assert raw not in page
    assert "<" not in data_block[len('id="orgmap-data">') :]
    assert "<title>Map &lt;script&gt;alert(9)&lt;/script&gt;</title>" in page
    data = payload(page)
    # the exact text survives, to be shown with textContent
    assert XSS_NAME in data["nodes"]["label"]
    assert "Carol & <Dan>" in data["nodes"]["label"]
    i = data["nodes"]["label"].index(XSS_NAME)
    assert XSS_TITLE in data["nodes"]["tip"][i]
    assert FORMULA in data["filters"]["department"]
    assert XSS_TEAM in data["filters"]["team"]
    # the page script never builds HTML from strings
    js = (REPO / "orgmap" / "resources" / "html" / "map.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_for_script_round_trips_any_text_without_markup(value) -> None:
    text = json_for_script(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_json_for_script_escapes_everything_that_ends_a_script() -> None:
    text = json_for_script({"a": "</script><!-- & \u2028\u2029"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029"}
    with pytest.raises(ValueError):
        json_for_script({"x": float("nan")})


def test_views_teams_and_full(org, metrics, tmp_path: Path) -> None:
    teams = write_html(org, tmp_path / "t.html", view="teams", metrics=metrics)
    data = payload((tmp_path / "t.html").read_text(encoding="utf-8"))
    assert teams.view == "teams"
    assert set(data["nodes"]["kind"]) == {data["nodeKinds"].index("team")}
    assert 0 < teams.nodes <= len(org.teams())
    # teams are sized by headcount: the biggest team is the biggest node
    sizes = {
        label: s for label, s in zip(data["nodes"]["label"], data["nodes"]["size"], strict=True)
    }
    by_size = {t: metrics["teams"][t]["size"] for t in org.teams() if t in metrics["teams"]}
    largest = max(by_size, key=by_size.get)
    assert sizes[org.label(largest)] == max(sizes.values())
    assert teams.edges > 0

    full = write_html(org, tmp_path / "f.html", view="full", metrics=metrics)
    data = payload((tmp_path / "f.html").read_text(encoding="utf-8"))
    kinds = {data["nodeKinds"][k] for k in data["nodes"]["kind"]}
    assert kinds == {"person", "project"}
    assert full.nodes == 300 + len(org.projects())
    assert any(ek["key"] == "works_on" and ek["count"] > 0 for ek in data["edgeKinds"])


def test_focus_shows_one_neighbourhood(org, metrics, tmp_path: Path) -> None:
    from orgmap.views import k_step_reach

    person = org.people()[10]
    pid = org.graph.nodes[person]["id"]
    result = write_html(org, tmp_path / "f.html", focus=pid, depth=1, metrics=metrics)
    assert result.nodes == len(k_step_reach(org, person, 1))
    data = payload((tmp_path / "f.html").read_text(encoding="utf-8"))
    assert data["nodes"]["label"][data["meta"]["focus"]] == org.label(person)
    # a neighbourhood keeps each department's colour from the whole map (and the canvas)
    from orgmap.palette import category_colors

    everyone = category_colors(org.graph.nodes[p].get("department") for p in org.people())
    shown = dict(zip(data["filters"]["department"], data["colorings"][0]["colors"], strict=True))
    assert len(shown) < len(everyone)
    assert all(everyone[d] == c for d, c in shown.items())


def test_unknown_focus_lists_closest_and_writes_nothing(org, tmp_path: Path) -> None:
    name = org.label(org.people()[3])
    out = tmp_path / "f.html"
    with pytest.raises(UnknownFocus) as err:
        write_html(org, out, focus=name[:-1] + "x")
    assert err.value.suggestions
    assert name in str(err.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_big_people_view_switches_to_teams_unless_forced(
    org, metrics, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_export.view, "PEOPLE_VIEW_LIMIT", 100)
    r = write_html(org, tmp_path / "a.html", metrics=metrics)
    assert r.view == "teams"
    assert r.message and "teams view" in r.message and "--force" in r.message
    assert (
        payload((tmp_path / "a.html").read_text(encoding="utf-8"))["meta"]["message"] == r.message
    )
    forced = write_html(org, tmp_path / "b.html", metrics=metrics, force=True)
    assert forced.view == "people" and forced.message is None and forced.nodes == 300


def test_unwritable_target_is_a_clear_error_and_leaves_nothing(
    org, metrics, tmp_path: Path
) -> None:
    with pytest.raises(HtmlExportError, match="does not exist"):
        write_html(org, tmp_path / "missing" / "m.html", metrics=metrics)
    with pytest.raises(HtmlExportError, match="folder"):
        write_html(org, tmp_path, metrics=metrics)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        probe = locked / "probe"
        try:
            probe.write_text("x")
            writable = True  # running as root: permissions do not stop us
        except OSError:
            writable = False
        if not writable:
            with pytest.raises(HtmlExportError, match="cannot write"):
                write_html(org, locked / "m.html", metrics=metrics)
            assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_failed_write_keeps_the_old_file(org, metrics, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    out.write_text("old map")
    with pytest.raises(UnknownFocus):
        write_html(org, out, metrics=metrics, focus="no such person at all")
    assert out.read_text() == "old map"
    from orgmap.model import Cancelled

    with pytest.raises(Cancelled):
        write_html(org, out, metrics=metrics, cancel=lambda: True)
    assert out.read_text() == "old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]


def test_anonymized_map_has_no_name_email_or_id(org, metrics, tmp_path: Path) -> None:
    out = tmp_path / "anon.html"
    write_html(org, out, anonymize=True, salt="s3cret", metrics=metrics)
    page = out.read_text(encoding="utf-8")
    for p in org.people():
        d = org.graph.nodes[p]
        assert d["name"] not in page
        assert d["email"] not in page
    data = payload(page)
    assert all(label.startswith("Person ") for label in data["nodes"]["label"])
    # the same salt gives the same pseudonyms on every run; another salt others
    write_html(org, tmp_path / "again.html", anonymize=True, salt="s3cret", metrics=metrics)
    write_html(org, tmp_path / "other.html", anonymize=True, salt="other", metrics=metrics)
    again = payload((tmp_path / "again.html").read_text(encoding="utf-8"))
    other = payload((tmp_path / "other.html").read_text(encoding="utf-8"))
    assert sorted(again["nodes"]["label"]) == sorted(data["nodes"]["label"])
    assert set(other["nodes"]["label"]).isdisjoint(data["nodes"]["label"])
    # metrics given for the real org still reach the tooltips
    assert any(tip and len(tip) > 6 for tip in data["nodes"]["tip"])


def test_map_without_metrics_module_results(tmp_path: Path) -> None:
    # an org with people only: no projects, no ties, no metrics given (computed inside)
    org = xss_org()
    result = write_html(org, tmp_path / "m.html")
    assert result.nodes == 3


# -- the command line ----------------------------------------------------------------------
def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    env = Env.capture(cwd=cwd)
    status = main(args, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


def test_cli_html_writes_the_sample_map(tmp_path: Path) -> None:
    status, out, err = run_cli(["html", str(SAMPLE_XLSX), "-o", "map.html"], tmp_path)
    assert status == 0, err
    assert "wrote map.html" in out and "people view" in out
    data = payload((tmp_path / "map.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]["label"]) == 300
    assert "data as of" in data["meta"]["subtitle"]


def test_cli_html_options(tmp_path: Path) -> None:
    status, out, err = run_cli(
        ["html", str(SAMPLE_XLSX), "-o", "t.html", "--view", "teams", "--anonymize", "--salt", "k"],
        tmp_path,
    )
    assert status == 0, err
    assert "teams view" in out
    assert "without --salt" not in err
    status, _, err = run_cli(["html", str(SAMPLE_XLSX), "-o", "a.html", "--anonymize"], tmp_path)
    assert status == 0 and "without --salt" in err
    status, _, err = run_cli(
        ["html", str(SAMPLE_XLSX), "-o", "o.html", "--layout", "orgchart", "--view", "full"],
        tmp_path,
    )
    assert status == 0, err


def test_cli_html_unknown_focus(tmp_path: Path) -> None:
    from orgmap.loader import load

    real = load([SAMPLE_XLSX])
    name = real.label(real.people()[7])
    typo = name[:-2] + "qq"
    status, out, err = run_cli(
        ["html", str(SAMPLE_XLSX), "-o", "f.html", "--focus", typo], tmp_path
    )
    assert status == 1
    assert "nobody with that id, email or name" in err and "closest" in err and name in err
    assert not (tmp_path / "f.html").exists()


def test_cli_html_bad_output_folder(tmp_path: Path) -> None:
    status, _, err = run_cli(["html", str(SAMPLE_XLSX), "-o", "nope/m.html"], tmp_path)
    assert status == 1
    assert "does not exist" in err
    assert "Traceback" not in err


def test_cli_html_unreadable_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    status, _, err = run_cli(["html", str(bad), "-o", "m.html"], tmp_path)
    assert status == 2
    assert "nothing written" in err
    assert not (tmp_path / "m.html").exists()


def test_cli_says_when_people_view_becomes_teams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_export.view, "PEOPLE_VIEW_LIMIT", 50)
    status, out, err = run_cli(["html", str(SAMPLE_XLSX), "-o", "m.html"], tmp_path)
    assert status == 0, err
    assert "teams view" in out and "note:" in err and "--force" in err
    status, out, err = run_cli(["html", str(SAMPLE_XLSX), "-o", "m.html", "--force"], tmp_path)
    assert status == 0 and "people view" in out and "note:" not in err


def test_same_org_same_file(org, metrics, tmp_path: Path) -> None:
    # reproducible output: two exports of the same data can be diffed
    write_html(org, tmp_path / "a.html", metrics=metrics, data_date="2026-01-01")
    write_html(org, tmp_path / "b.html", metrics=metrics, data_date="2026-01-01")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_krackhardt_map_tells_tie_types_apart(tmp_path: Path) -> None:
    from orgmap.loader import load

    data_dir = REPO / "orgmap" / "samples" / "krackhardt-hightech"
    org = load([data_dir])
    result = write_html(org, tmp_path / "k.html")
    data = payload((tmp_path / "k.html").read_text(encoding="utf-8"))
    kinds = {ek["label"]: ek["count"] for ek in data["edgeKinds"] if ek["count"]}
    assert result.nodes == 21
    assert kinds["advice tie"] > 0 and kinds["friendship tie"] > 0
    assert kinds["reports to"] == 20
    colours = {ek["label"]: ek["color"] for ek in data["edgeKinds"]}
    assert colours["advice tie"] != colours["friendship tie"]


def test_partial_positions_are_completed(org, metrics, tmp_path: Path) -> None:
    people = org.people()
    given = {people[0]: (12345.0, -678.0)}
    write_html(org, tmp_path / "p.html", metrics=metrics, positions=given)
    data = payload((tmp_path / "p.html").read_text(encoding="utf-8"))
    i = data["nodes"]["label"].index(org.label(people[0]))
    assert (data["nodes"]["x"][i], data["nodes"]["y"][i]) == (12345.0, -678.0)
    assert len(set(zip(data["nodes"]["x"], data["nodes"]["y"], strict=True))) == 300


def test_pyvis_lives_in_one_module() -> None:
    uses = re.compile(r"^\s*(import|from)\s+pyvis\b|(files|find_spec)\(\"pyvis\"\)", re.M)
    users = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "orgmap").rglob("*.py")
        if uses.search(p.read_text(encoding="utf-8"))
    ]
    assert users == ["orgmap/html_export/page.py"]


def test_org_chart_map_starts_with_reporting_lines_only(org, metrics, tmp_path: Path) -> None:
    write_html(org, tmp_path / "oc.html", metrics=metrics, layout="orgchart")
    data = payload((tmp_path / "oc.html").read_text(encoding="utf-8"))
    off = {ek["key"] for ek in data["edgeKinds"] if ek["off"]}
    assert "reports_to" not in off and "collaboration" in off and "mentors" in off
    write_html(org, tmp_path / "n.html", metrics=metrics)
    data = payload((tmp_path / "n.html").read_text(encoding="utf-8"))
    assert not any(ek["off"] for ek in data["edgeKinds"])


def test_progress_runs_to_the_end(tmp_path: Path) -> None:
    seen: list[float] = []
    write_html(
        sample_org(people=60, seed=1), tmp_path / "m.html", progress=lambda f, m="": seen.append(f)
    )
    assert seen and seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen)


def test_odd_values_never_break_the_file(tmp_path: Path) -> None:
    org = xss_org()
    first = org.people()[0]
    org.graph.nodes[first]["title"] = "bad \udc80 byte"
    org.graph.nodes[first]["level"] = float("nan")
    positions = {p: (float("nan"), 1.0) for p in org.people()}
    write_html(org, tmp_path / "odd.html", positions=positions)
    data = payload((tmp_path / "odd.html").read_text(encoding="utf-8"))
    i = data["nodes"]["label"].index(org.label(first))
    assert "bad ? byte" in data["nodes"]["tip"][i]
    assert all(isinstance(x, float) for x in data["nodes"]["x"])


def test_teams_view_without_teams_shows_people(tmp_path: Path) -> None:
    from orgmap.loader import load

    org = load([REPO / "orgmap" / "samples" / "krackhardt-hightech"])
    result = write_html(org, tmp_path / "t.html", view="teams")
    assert result.view == "people" and result.nodes == 21
    assert result.message and "no teams" in result.message


def test_people_with_no_department_are_neutral_grey_in_the_legend(tmp_path: Path) -> None:
    from orgmap.loader import load
    from orgmap.palette import MISSING_COLOR

    org = load([REPO / "orgmap" / "samples" / "dirty-org.xlsx"])
    out = tmp_path / "dirty.html"
    write_html(org, out)
    data = payload(out.read_text(encoding="utf-8"))
    labels = data["nodes"]["label"]
    ext = [i for i, lab in enumerate(labels) if "pat.contractor" in lab.lower()]
    assert ext, labels[:20]
    dept = data["colorings"][0]
    assert dept["key"] == "department"
    # drawn in no department's colour (the page falls back to the neutral grey) ...
    assert all(dept["of"][i] < 0 for i in ext)
    assert MISSING_COLOR not in dept["colors"]
    assert data["missingColor"] == MISSING_COLOR
    # ... and the legend lists that grey, with how many people have it
    grey = [item for item in dept["legend"] if item[1] == MISSING_COLOR]
    assert len(grey) == 1 and "department" in grey[0][0].lower() and grey[0][2] >= len(ext)


@pytest.mark.parametrize("sample", ["sample-org.xlsx", "dirty-org.xlsx"])
def test_anonymizing_keeps_the_same_links(tmp_path: Path, sample: str) -> None:
    from orgmap.loader import load

    org = load([REPO / "orgmap" / "samples" / sample])
    plain = write_html(org, tmp_path / "plain.html")
    anon = write_html(org, tmp_path / "anon.html", anonymize=True, salt="s")
    assert anon.edges == plain.edges
    links = []
    for path in ("plain.html", "anon.html"):
        data = payload((tmp_path / path).read_text(encoding="utf-8"))
        kinds = [k["key"] for k in data["edgeKinds"]]
        e = data["edges"]
        links.append(
            sorted(
                (kinds[k], min(a, b), max(a, b))
                for a, b, k in zip(e["from"], e["to"], e["kind"], strict=True)
            )
        )
    # people keep their place in the map, so the same pairs are linked, same-project
    # links (one hub per project) included
    assert links[0] == links[1]
    assert any(k == "collaboration" for k, _, _ in links[0])


def test_bridges_key_people_and_silos_are_marked_as_on_the_canvas(tmp_path: Path) -> None:
    from orgmap.metrics import compute_all
    from orgmap.metrics.examples import example_org

    org = example_org()
    metrics = compute_all(org)
    # Ed carries both Data-Platform edges (his advice tie to Ben, Apollo with Di)
    metrics["people"]["person:1"]["key_person_risk"] = 30  # hand-made: Ada a key person
    out = tmp_path / "map.html"
    write_html(org, out, metrics=metrics)
    data = payload(out.read_text(encoding="utf-8"))
    labels = data["nodes"]["label"]
    marked = {labels[i]: (color, kind) for i, color, kind in data["mapMarks"]["marks"]}
    assert marked == {
        "Ed": (palette.MARK_COLORS["bridge"], "bridge"),
        "Ada": (palette.MARK_COLORS["key_person"], "key_person"),
    }
    assert data["mapMarks"]["legend"] == [
        {"label": "key person", "color": palette.MARK_COLORS["key_person"], "count": 1},
        {"label": "bridge", "color": palette.MARK_COLORS["bridge"], "count": 1},
    ]
