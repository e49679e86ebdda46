"""Pseudonyms (stable per salt, unique, nothing personal left over) and k-anonymity of
the quasi-identifiers in every output."""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

import orgmap.anonymize as anon_mod
from orgmap.anonymize import (
    anonymize,
    anonymize_org,
    anonymize_with_mapping,
    level_band,
    pseudonym,
    title_family,
)
from orgmap.builder import build_org
from orgmap.cli import Env, main
from orgmap.tables import Table


def people_org(n: int = 40):
    rows = [["Employee ID", "Name", "Email", "Title", "Team", "Department", "Manager ID", "Phone"]]
    for i in range(n):
        rows.append(
            [
                f"ann{i}@corp.example" if i % 2 else str(1000 + i),
                f"Real Name{i}",
                f"real.name{i}@corp.example",
                "Engineer",
                f"Team {i % 4}",
                "R&D",
                "" if i == 0 else str(1000),
                f"+1 555 01{i:02d}",
            ]
        )
    return build_org([Table(file="hr.xlsx", sheet="People", rows=rows)])


def test_same_salt_same_pseudonyms_other_salt_other() -> None:
    org = people_org()
    a = anonymize(org, "salt")
    b = anonymize(people_org(), "salt")
    c = anonymize(org, "pepper")

    def names(o):
        return sorted(d["name"] for _, d in o.graph.nodes(data=True) if d["kind"] == "person")

    assert names(a) == names(b)
    assert set(names(a)).isdisjoint(names(c))
    assert pseudonym("1000", "salt") == pseudonym("1000", "salt") != pseudonym("1000", "pepper")


def test_nothing_personal_survives() -> None:
    org = people_org()
    anon, mapping = anonymize_with_mapping(org, "k")
    text = repr(sorted(anon.graph.nodes(data=True))) + repr(sorted(anon.graph.edges(keys=True)))
    for p in org.people():
        d = org.graph.nodes[p]
        assert d["name"] not in text and d["email"] not in text
        assert p not in anon.graph  # keys held ids, some of them emails
    assert "corp.example" not in text and "555" not in text and "hr.xlsx" not in text
    assert anon.issues == []
    for node in anon.people():
        d = anon.graph.nodes[node]
        assert d["name"].startswith("Person ") and d["email"].endswith("@example.invalid")
        assert node == f"person:{d['id']}"
        assert d["title"] == "Engineer" and d["department"] == "R&D"  # the map keeps structure
    assert set(mapping) == set(org.graph.nodes)


def test_structure_is_preserved() -> None:
    org = people_org()
    anon, mapping = anonymize_with_mapping(org, "k")
    assert anon.counts() == org.counts()
    for u, v, k in org.graph.edges(keys=True):
        assert anon.graph.has_edge(mapping[u], mapping[v], key=k)
    # the original is untouched
    assert org.graph.nodes[org.people()[1]]["name"].startswith("Real Name")


def test_clashing_codes_still_give_unique_people(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anon_mod, "_DIGITS", 1)  # 16 codes for 40 people: clashes guaranteed
    org = people_org(40)
    anon = anonymize(org, "k")
    names = [d["name"] for _, d in anon.graph.nodes(data=True) if d["kind"] == "person"]
    assert len(set(names)) == 40
    assert anon.graph.number_of_nodes() == org.graph.number_of_nodes()


# -- k-anonymity of the quasi-identifiers ------------------------------------------------
REPO = Path(__file__).resolve().parents[1]
SAMPLE = next(
    p
    for p in (REPO / "orgmap" / "samples" / "sample-org.xlsx", REPO / "samples" / "sample-org.xlsx")
    if p.exists()
)
QI = ("title", "level", "team", "department", "location", "start_date")


def ladder_org():
    """12 people whose generalisation can be worked out by hand (k = 5):

    - five Software Engineer II, L5, team A (dept D1), London, started in 2020 on five
      different days: shown with everything but the day (start date as year);
    - one Staff Engineer, L6, team A, Berlin; four Data Analysts, L3, team B (dept D1),
      Paris, different years: no group of five until only the department is shown, where
      these five meet: shown as department D1 only, team link dropped;
    - two people of team C (dept D2): not five even at the department: nothing shown.
    """
    header = [
        "Employee ID",
        "Name",
        "Title",
        "Level",
        "Team",
        "Department",
        "Location",
        "Start Date",
    ]
    rows = [header]
    for i in range(5):
        rows.append(
            [
                f"a{i}",
                f"Eng {i}",
                "Software Engineer II",
                "L5",
                "A",
                "D1",
                "London",
                f"2020-0{i + 1}-03",
            ]
        )
    rows.append(["s0", "Staff One", "Staff Engineer", "L6", "A", "D1", "Berlin", "2019-05-01"])
    for i in range(4):
        rows.append(
            [f"b{i}", f"Analyst {i}", "Data Analyst", "L3", "B", "D1", "Paris", f"201{i}-02-02"]
        )
    for i in range(2):
        rows.append([f"c{i}", f"Cee {i}", "Designer", "L4", "C", "D2", "Rome", "2018-01-01"])
    return build_org([Table(file="hr.xlsx", sheet="People", rows=rows)])


def test_generalisation_worked_by_hand() -> None:
    org = ladder_org()
    result = anonymize_org(org, "salt", min_group=5)
    anon = result.org

    def shown(pid: str) -> tuple:
        d = anon.graph.nodes[result.mapping[f"person:{pid}"]]
        return tuple(d.get(a) for a in QI)

    for i in range(5):
        assert shown(f"a{i}") == ("Software Engineer II", "L5", "A", "D1", "London", "2020")
    for pid in ["s0", "b0", "b1", "b2", "b3"]:
        assert shown(pid) == (None, None, None, "D1", None, None)
        # the team is not shown, so neither is the link to it
        node = result.mapping[f"person:{pid}"]
        assert not any(
            d["kind"] == "member_of" for _, _, d in anon.graph.out_edges(node, data=True)
        )
    for pid in ["c0", "c1"]:
        assert shown(pid) == (None,) * 6
    s = result.summary
    assert s.min_group == 5 and s.people == 12 and s.suppressed == 2
    assert s.groups == 2 and s.smallest_group == 5
    assert s.attributes["start_date"] == {"year": 5, "dropped": 7}
    assert s.attributes["title"] == {"kept": 5, "dropped": 7}
    assert s.attributes["team"] == {"kept": 5, "dropped": 7}
    assert s.attributes["department"] == {"kept": 10, "dropped": 2}
    text = "\n".join(s.lines())
    assert "start date: 5 as year, 7 dropped; 0 kept" in text
    assert "2 people show none of these" in text
    # the original is untouched
    assert org.graph.nodes["person:a0"]["start_date"] == "2020-01-03"


def test_min_group_one_keeps_every_attribute() -> None:
    org = ladder_org()
    result = anonymize_org(org, "salt", min_group=1)
    assert result.summary.suppressed == 0
    d = result.org.graph.nodes[result.mapping["person:s0"]]
    assert (d["title"], d["level"], d["location"], d["start_date"]) == (
        "Staff Engineer",
        "L6",
        "Berlin",
        "2019-05-01",
    )


def test_ladder_rungs() -> None:
    assert title_family("Software Engineer II") == "Engineer"
    assert title_family("Senior Software Engineer") == "Engineer"
    assert title_family("Engineering Manager") == "Manager"
    assert level_band("L5") == "L4-6" and level_band("L12") == "L10-12" and level_band("3") == "1-3"
    assert level_band("Senior") is None


# -- every output of the command line, anonymized ----------------------------------------
def _classes(rows: list[tuple]) -> Counter:
    """Equivalence classes of what an output shows (rows showing nothing are suppressed)."""
    return Counter(r for r in rows if any(v not in (None, "") for v in r))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from orgmap.loader import load

    folder = tmp_path_factory.mktemp("anon")
    src = folder / "acme-hr-export.xlsx"
    src.write_bytes(SAMPLE.read_bytes())
    org = load([src])
    person = str(org.graph.nodes[sorted(org.people())[0]]["id"])
    args = ["--anonymize", "--salt", "s3cret"]
    runs = {
        "html": ["html", str(src), "-o", "m.html", *args],
        "graphml": ["export", str(src), "-o", "g.graphml", *args],
        "gexf": ["export", str(src), "-o", "g.gexf", *args],
        "json": ["export", str(src), "-o", "g.json", *args],
        "analyze": ["analyze", str(src), "-o", "r.xlsx", "--json", "m.json", *args],
        "profile": ["profile", str(src), "--person", person, "-o", "p.html", *args],
    }
    printed = {}
    for name, argv in runs.items():
        env = Env.capture(cwd=folder)
        status = main(argv, env)
        assert status == 0, (name, env.stderr.getvalue())
        printed[name] = env.stdout.getvalue() + env.stderr.getvalue()
    return folder, src, org, printed


def test_no_name_email_id_or_source_path_survives(outputs) -> None:
    folder, src, org, printed = outputs
    names = {org.graph.nodes[p]["name"] for p in org.people()}
    emails = {org.graph.nodes[p]["email"] for p in org.people() if org.graph.nodes[p].get("email")}
    ids = {str(org.graph.nodes[p]["id"]) for p in org.people()}
    files = {
        "m.html": None,
        "g.graphml": None,
        "g.gexf": None,
        "g.json": None,
        "m.json": None,
        "p.html": None,
    }
    texts = {f: (folder / f).read_text(encoding="utf-8") for f in files}
    with zipfile.ZipFile(folder / "r.xlsx") as z:
        texts["r.xlsx"] = "".join(z.read(n).decode("utf-8") for n in z.namelist())
    texts.update({f"stdout {k}": v for k, v in printed.items()})
    for where, text in texts.items():
        for n in names:
            assert n not in text, (where, n)
        for e in emails:
            assert e not in text and e.split("@")[0] not in text, (where, e)
        assert "acme-hr-export" not in text and str(folder) not in text, where
        assert "example.com" not in text, where
        # ids are short numbers: look for them as whole values and node keys only
        for pid in ids:
            assert f"person:{pid}" not in text and f'"{pid}"' not in text, (where, pid)
            assert f">{pid}<" not in text, (where, pid)


def test_no_combination_shown_is_rarer_than_k(outputs) -> None:
    folder, _src, _org, printed = outputs
    k = 5
    # GraphML and GEXF: every quasi-identifier a node carries
    for name, reader in (("g.graphml", nx.read_graphml), ("g.gexf", nx.read_gexf)):
        g = reader(folder / name)
        rows = [
            tuple(d.get(a) for a in QI) for _, d in g.nodes(data=True) if d.get("kind") == "person"
        ]
        assert len(rows) == 300
        classes = _classes(rows)
        assert classes and min(classes.values()) >= k, (name, classes.most_common()[-3:])
        for n, d in g.nodes(data=True):
            if d.get("kind") == "person" and not d.get("team"):
                assert not any(
                    e.get("kind") == "member_of" for _, _, e in g.out_edges(n, data=True)
                ), n
    # node-link JSON
    data = json.loads((folder / "g.json").read_text(encoding="utf-8"))
    rows = [tuple(n.get(a) for a in QI) for n in data["nodes"] if n.get("kind") == "person"]
    assert min(_classes(rows).values()) >= k
    # analyze JSON: team and department per person
    data = json.loads((folder / "m.json").read_text(encoding="utf-8"))
    rows = [(p["team"], p["department"]) for p in data["people"]]
    assert min(_classes(rows).values()) >= k
    assert data["summary"]["anonymized"]["min_group"] == k
    # the report's People sheet: Title, Level, Team, Department
    wb = openpyxl.load_workbook(folder / "r.xlsx", read_only=True)
    people = list(wb["People"].iter_rows(values_only=True))
    head = people[0]
    cols = [head.index(c) for c in ("Title", "Level", "Team", "Department")]
    rows = [tuple(r[c] for c in cols) for r in people[1:]]
    assert len(rows) == 300 and min(_classes(rows).values()) >= k
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if len(r) > 1}
    assert "groups of at least 5" in summary["Anonymized"]
    # the HTML map: the tooltip fields of each person
    page = (folder / "m.html").read_text(encoding="utf-8")
    payload = json.loads(re.search(r'id="orgmap-data">(.*?)</script>', page, re.S).group(1))
    fields = payload["tipFields"]["person"]
    idx = [fields.index(f) for f in ("Title", "Team", "Department", "Level", "Location")]
    person_kind = payload["nodeKinds"].index("person") if "nodeKinds" in payload else 0
    rows = [
        tuple(tip[i] for i in idx)
        for tip, kind in zip(payload["nodes"]["tip"], payload["nodes"]["kind"], strict=True)
        if kind == person_kind
    ]
    assert len(rows) == 300 and min(_classes(rows).values()) >= k
    # every command said what was generalised
    for name, text in printed.items():
        assert "groups of at least 5" in text, name


def test_sample_k_anonymity_summary() -> None:
    """The bundled sample at k = 5, as the closing note reports it."""
    from orgmap.loader import load

    s = anonymize_org(load([SAMPLE]), "salt", 5).summary
    assert s.people == 300 and s.smallest_group >= 5
    # the sample's 45 teams average under seven people: most people keep their team
    assert s.attributes["team"]["kept"] > 150
    assert s.suppressed < 30


def test_options_are_checked(tmp_path) -> None:
    for argv in (
        ["analyze", str(SAMPLE), "--min-group", "3"],
        ["html", str(SAMPLE), "-o", "m.html", "--anonymize", "--min-group", "0"],
        ["profile", str(SAMPLE), "--person", "x", "--salt", "s"],
    ):
        env = Env.capture(cwd=tmp_path)
        assert main(argv, env) == 2, argv
        assert "only makes sense" in env.stderr.getvalue() or "1 or more" in env.stderr.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_an_overlay_follows_the_pseudonyms_and_names_no_one_who_left():
    from orgmap.anonymize import prepare, rekey_overlay
    from orgmap.metrics.examples import example_org
    from orgmap.overlay import Ghost, Overlay

    org = example_org()
    anon = prepare(org, min_group=1)
    first, second = sorted(org.people())[:2]
    overlay = Overlay(
        paths=((first, second),),
        marks={second: "target", "person:gone@example.com": "left"},
        ghosts={"person:gone@example.com": Ghost("Gone Person", 1.0, 2.0)},
    )
    out = rekey_overlay(overlay, anon.mapping)
    assert out.paths == ((anon.mapping[first], anon.mapping[second]),)
    assert out.marks[anon.mapping[second]] == "target"
    text = repr(out)
    assert "gone@example.com" not in text and "Gone Person" not in text
    assert list(out.ghosts) == ["ghost:1"] and out.marks["ghost:1"] == "left"
