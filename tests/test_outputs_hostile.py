"""Every output is well-formed for every input: control characters and template
placeholders in the data reach no output as they are.

A CSV whose cells hold control characters (``\\x01``, vertical tab, unit separator, DEL,
NEL) goes through every writer the command line has; each file is read back with the
parser its users have (openpyxl, xml.etree, networkx, json), the characters are replaced
by U+FFFD, and each affected cell is listed once as a warning naming file, sheet, row and
column. Text that never was a cell (``--title``) is cleaned by the writers too.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import openpyxl

from orgmap.cli import Env, main
from orgmap.html_export import render_html

# Every character a control-character cleaner must catch, none of which XML 1.0 allows
# (or, for DEL and the C1 NEL, any reader can see).
CONTROLS = ["\x01", "\x0b", "\x1f", "\x7f", "\x85", "\x00"]
BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def write_csv(path: Path) -> Path:
    # row numbers as the spreadsheet shows them: header is row 1
    rows = [
        "Employee ID,Name,Team,Department,Manager ID,Title",
        "1,Bo\x01ss,Ex\x0bec,Top,,Chief\x1fExec",  # row 2: Name, Team, Title
        "2,Ann\x7fLee,Ex\x0bec,Top,1,Engineer",  # row 3: Name, Team
        "3,Cy\x85Ng,Plat,Top,1,Engineer",  # row 4: Name
        "4,Dee,Plat,Top,1,Engineer",  # row 5: clean
    ]
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    return path


EXPECTED_WARNINGS = {(2, "Name"), (2, "Team"), (2, "Title"), (3, "Name"), (3, "Team"), (4, "Name")}


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    env = Env.capture(cwd=cwd)
    status = main(args, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


def test_control_characters_listed_once_per_cell_and_report_and_json_written(tmp_path):
    src = write_csv(tmp_path / "people.csv")
    status, out, err = run(["analyze", str(src), "-o", "r.xlsx", "--json", "m.json"], tmp_path)
    assert status == 0, err  # warnings only
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    names = sorted(p["name"] for p in data["people"])
    assert names == ["Ann\ufffdLee", "Bo\ufffdss", "Cy\ufffdNg", "Dee"]
    assert sorted(t["name"] for t in data["teams"]) == ["Ex\ufffdec", "Plat"]
    warned = {(i["row"], i["column"]) for i in data["issues"] if i["code"] == "control_character"}
    assert warned == EXPECTED_WARNINGS
    assert sum(i["code"] == "control_character" for i in data["issues"]) == 6  # once each
    assert all(i["file"] == "people.csv" and i["severity"] == "warning" for i in data["issues"])

    wb = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    people = list(wb["People"].iter_rows(values_only=True))
    assert sorted(r[1] for r in people[1:]) == names
    issues = list(wb["Issues"].iter_rows(values_only=True))
    assert {(r[2], r[3]) for r in issues[1:] if r[5] == "control_character"} == EXPECTED_WARNINGS
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and BAD.search(v)), (ws.title, v)


def test_graph_exports_parse_with_xml_and_networkx(tmp_path):
    src = write_csv(tmp_path / "people.csv")
    for ext, reader in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        status, _, err = run(["export", str(src), "-o", f"g{ext}"], tmp_path)
        assert status == 0, err
        ET.parse(tmp_path / f"g{ext}")  # well-formed XML
        g = reader(tmp_path / f"g{ext}")
        assert "team:Ex\ufffdec" in g  # the team node's key, cleaned
        assert sorted(
            d.get("name") for _, d in g.nodes(data=True) if d.get("kind") == "person"
        ) == [
            "Ann\ufffdLee",
            "Bo\ufffdss",
            "Cy\ufffdNg",
            "Dee",
        ]
    status, _, err = run(["export", str(src), "-o", "g.json"], tmp_path)
    assert status == 0, err
    text = (tmp_path / "g.json").read_text(encoding="utf-8")
    assert not BAD.search(json.dumps(json.loads(text), ensure_ascii=False))
    assert "\\u000b" not in text and "\\u0001" not in text


def test_html_and_profile_hold_no_control_character(tmp_path):
    src = write_csv(tmp_path / "people.csv")
    title = "Q3\x01 map\x0b{data}"
    status, _, err = run(["html", str(src), "-o", "m.html", "--title", title], tmp_path)
    assert status == 0, err
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "<title>Q3\ufffd map\ufffd{data}</title>" in page
    blob = re.search(r'id="orgmap-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(blob)
    assert "Bo\ufffdss" in data["nodes"]["label"]
    assert "\\u0001" not in blob and "\\u000b" not in blob and not BAD.search(blob)

    status, out, err = run(["profile", str(src), "--person", "1", "-o", "p.html"], tmp_path)
    assert status == 0, err
    profile = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "Bo\ufffdss" in profile and not BAD.search(profile)


def test_writers_clean_text_the_builder_never_saw(tmp_path):
    """Defence in depth: an org edited in memory (what-if, a future reader) still writes."""
    from orgmap.builder import build_org
    from orgmap.export import export_graph
    from orgmap.metrics import compute_all
    from orgmap.report import write_report
    from orgmap.tables import Table

    org = build_org(
        [Table.from_dicts([{"ID": 1, "Name": "Ada"}, {"ID": 2, "Name": "Bo", "Manager": 1}])]
    )
    node = org.people()[0]
    org.graph.nodes[node]["name"] = "Ada\x01\x0b"
    org.graph.nodes[node]["title"] = "=cmd\x02"
    metrics = compute_all(org)
    write_report(org, metrics, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    row = next(r for r in wb["People"].iter_rows(values_only=True) if r[0] == "1")
    assert row[1] == "Ada\ufffd\ufffd"
    assert row[2] == "'=cmd\ufffd"  # cleaned and still never a formula
    for ext in (".graphml", ".gexf"):
        export_graph(org, tmp_path / f"g{ext}", metrics)
        ET.parse(tmp_path / f"g{ext}")


def test_template_is_filled_in_one_pass():
    """A value holding a placeholder stays text: the page's data never lands in the title."""
    payload = {"nodes": {"label": ["{data}", "{js}", "{title}"]}, "note": "{vis} {css} {csp}"}
    page = render_html(payload, "{data} and {js}")
    assert page.count('<script type="application/json" id="orgmap-data">') == 1
    assert "<title>{data} and {js}</title>" in page
    blob = re.search(r'id="orgmap-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(blob) == payload
    # the scripts are there once each: nothing was substituted twice
    assert page.count("vis-network") >= 1
    assert page.count('id="orgmap-data"') == 1


def test_a_file_name_with_a_control_character_reaches_no_output(tmp_path):
    """File names are not cells: the writers clean them (JSON on stdout, the report)."""
    src = write_csv(tmp_path / "hr\x01export.csv")
    status, out, err = run(["validate", str(src), "--json"], tmp_path)
    assert status == 0, err
    assert "\\u0001" not in out and not BAD.search(out)
    data = json.loads(out)
    assert {i["file"] for i in data["issues"]} == {"hr\ufffdexport.csv"}
    status, out, err = run(["validate", str(src)], tmp_path)
    assert status == 0 and "hr\ufffdexport.csv:" in out and not BAD.search(out), out
    status, _, err = run(["analyze", str(src), "-o", "r.xlsx"], tmp_path)
    assert status == 0, err
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    files = {r[0] for r in list(wb["Issues"].iter_rows(values_only=True))[1:]}
    assert files == {"hr\ufffdexport.csv"}
