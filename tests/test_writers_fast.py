"""The fast paths of the writers (issue 15): what a user reads back is what they wrote.

The GraphML/GEXF writers build one template per attribute set and escape only the lines
that need it; the flattener notes column types as it goes; big ``--json`` files and the
node-link export are written in pieces. Each test pins a case those shortcuts could get
wrong, against values worked out by hand.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from orgmap.cli import Env, write_json
from orgmap.export import export_graph
from orgmap.sample import sample_org


@pytest.fixture()
def org():
    org = sample_org(people=30, seed=5)
    people = org.people()
    # same attribute set (every person has the same columns): one line needs escaping
    org.graph.nodes[people[0]]["name"] = 'Ann & "Bo" <x>\n2nd line'
    org.graph.nodes[people[1]]["name"] = "Plain Name"
    # two keys that clean to one name ("x\ufffd") on one node: the last value (5) wins,
    # and only it counts for the column's type, so with the 3 of another node the
    # column is a whole number, not text
    org.graph.nodes[people[2]]["x\x01"] = "text"
    org.graph.nodes[people[2]]["x\x02"] = 5
    org.graph.nodes[people[3]]["x\x01"] = 3
    # every other person has the same columns: one of them with a NaN (left out), one
    # with a control character (replaced), all with a dict (JSON text, keys sorted)
    for i, node in enumerate(people[4:]):
        org.graph.nodes[node]["score"] = float("nan") if i == 1 else i / 2
        org.graph.nodes[node]["tags"] = {"b": i, "a": "x"}
    org.graph.nodes[people[6]]["title"] = "Head\x01of Sales"
    return org


def test_records_of_one_shape_are_each_checked(org, tmp_path: Path) -> None:
    people = org.people()
    g = nx.read_graphml(export_graph(org, tmp_path / "org.graphml"), force_multigraph=True)
    assert g.nodes[people[4]]["score"] == 0.0
    assert "score" not in g.nodes[people[5]]  # NaN: left out
    assert g.nodes[people[6]]["score"] == 1.0
    assert g.nodes[people[6]]["title"] == "Head\ufffdof Sales"
    assert g.nodes[people[7]]["tags"] == '{"a": "x", "b": 3}'
    assert "score" not in g.nodes[people[0]]


def test_graphml_escapes_only_what_needs_it_and_keeps_types(org, tmp_path: Path) -> None:
    people = org.people()
    out = export_graph(org, tmp_path / "org.graphml")
    raw = out.read_text(encoding="utf-8")
    assert "Ann &amp; &quot;Bo&quot; &lt;x&gt;&#10;2nd line" in raw
    assert ">Plain Name<" in raw
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.nodes[people[0]]["name"] == 'Ann & "Bo" <x>\n2nd line'
    assert g.nodes[people[1]]["name"] == "Plain Name"
    assert g.nodes[people[2]]["x\ufffd"] == 5
    assert g.nodes[people[3]]["x\ufffd"] == 3
    assert 'attr.name="x\ufffd" attr.type="long"' in raw
    # a bool column stays boolean, written true/false
    assert g.nodes[people[1]]["external"] is False
    assert 'attr.name="external" attr.type="boolean"' in raw


def test_gexf_escapes_labels_and_values(org, tmp_path: Path) -> None:
    people = org.people()
    out = export_graph(org, tmp_path / "org.gexf", positions={n: (1.5, 2.0) for n in org.graph})
    raw = out.read_text(encoding="utf-8")
    assert 'label="Ann &amp; &quot;Bo&quot; &lt;x&gt;&#10;2nd line"' in raw
    g = nx.read_gexf(out)
    assert g.nodes[people[0]]["label"] == 'Ann & "Bo" <x>\n2nd line'
    assert g.nodes[people[3]]["x\ufffd"] == 3
    # y is flipped for GEXF: the canvas's (1.5, 2.0) is written as (1.5, -2.0)
    assert '<viz:position x="1.5" y="-2.0" z="0.0"/>' in raw


def test_node_link_json_keeps_its_indented_layout(org, tmp_path: Path) -> None:
    people = org.people()
    out = export_graph(org, tmp_path / "org.json")
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    # the layout users read is json.dumps(indent=1)'s, one attribute a line
    assert text == json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    assert text.startswith('{\n "directed": true,\n "multigraph": true,\n "graph": {},\n')
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[people[0]]["name"] == 'Ann & "Bo" <x>\n2nd line'
    assert by_id[people[2]]["x\ufffd"] == 5
    assert len(data["edges"]) == org.graph.number_of_edges()


def test_big_json_is_compact_valid_and_cleaned(tmp_path: Path) -> None:
    # past 5,000 people the document is written in pieces, each cleaned on its own
    people = [{"id": str(i), "name": f"P{i}", "influence": i / 4} for i in range(5001)]
    people[0]["name"] = "Ann\x01Lee"
    people[4000]["name"] = "Del\x7fta"
    data = {
        "summary": {"people": 5001, "bad\x02key": [1, 2.5, None, True]},
        "people": people,
        "issues": [],
    }
    write_json(data, "a.json", Env(stdout=io.StringIO(), cwd=tmp_path))
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.count("\n") == 1  # compact: one line
    assert "\\u0001" not in text and "\x7f" not in text
    back = json.loads(text)
    assert back["summary"] == {"people": 5001, "bad\ufffdkey": [1, 2.5, None, True]}
    assert back["people"][0] == {"id": "0", "name": "Ann\ufffdLee", "influence": 0.0}
    assert back["people"][4000]["name"] == "Del\ufffdta"
    assert back["people"][5000] == {"id": "5000", "name": "P5000", "influence": 1250.0}
    assert back["issues"] == []


def test_big_json_to_stdout_is_the_same_text(tmp_path: Path) -> None:
    data = {"people": [{"name": f"P{i}"} for i in range(5001)], "teams": []}
    stdout = io.StringIO()
    write_json(data, "-", Env(stdout=stdout, cwd=tmp_path))
    write_json(data, "b.json", Env(stdout=io.StringIO(), cwd=tmp_path))
    assert stdout.getvalue() == (tmp_path / "b.json").read_text(encoding="utf-8")
    assert stdout.getvalue().startswith('{"people":[{"name":"P0"},{"name":"P1"},')


@pytest.mark.parametrize("count", [3, 5001])  # the indented and the streamed document
def test_records_made_on_demand_write_as_the_list_would(tmp_path: Path, count: int) -> None:
    from orgmap.safety import Records

    made: list[int] = []

    def person(i: int) -> dict:
        made.append(i)
        return {"id": str(i), "name": "Zo\x01ë" if i == 1 else f"P{i}"}

    listed = [{"id": str(i), "name": "Zo\x01ë" if i == 1 else f"P{i}"} for i in range(count)]
    write_json({"people": listed}, "list.json", Env(stdout=io.StringIO(), cwd=tmp_path))
    write_json(
        {"people": Records(count, person)}, "lazy.json", Env(stdout=io.StringIO(), cwd=tmp_path)
    )
    lazy = (tmp_path / "lazy.json").read_text(encoding="utf-8")
    assert lazy == (tmp_path / "list.json").read_text(encoding="utf-8")
    assert json.loads(lazy)["people"][1]["name"] == "Zo\ufffdë"
    assert sorted(set(made)) == list(range(count))


def test_a_device_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    import stat

    from orgmap.safety import atomic_write_bytes

    # a rename over /dev/null would make it a regular file (as root) or fail (as a user)
    atomic_write_bytes("/dev/null", b"nothing to keep\n")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    # a full device: one clear line, exit 2, and the device still a device
    from orgmap.cli import main

    env = Env(stdout=io.StringIO(), stderr=io.StringIO(), cwd=tmp_path)
    assert main(["sample", "--people", "30", "-o", "org.xlsx"], env) == 0
    assert main(["analyze", "org.xlsx", "--json", "/dev/full"], env) == 2
    assert "cannot write /dev/full" in env.stderr.getvalue()
    assert "Traceback" not in env.stderr.getvalue()
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_big_json_values_the_fast_encoder_refuses_are_still_written(tmp_path: Path) -> None:
    import numpy as np

    # orjson writes the pieces past 5,000 people; an int past 64 bits and a lone
    # surrogate it refuses go to Python's encoder, a numpy float is a number
    people = [{"id": str(i), "reach": i / 8} for i in range(5001)]
    people[1]["big"] = 2**70
    people[2]["name"] = "Lone \ud800 surrogate"
    people[3]["org_reach"] = 8.3e-05
    people[4]["share"] = np.float64(0.25)
    people[5]["counts"] = {1: "one", None: "none"}
    write_json({"people": people}, "a.json", Env(stdout=io.StringIO(), cwd=tmp_path))
    back = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["people"]
    assert back[1] == {"id": "1", "reach": 0.125, "big": 1180591620717411303424}
    assert back[2]["name"] == "Lone \ufffd surrogate"
    assert back[3]["org_reach"] == 8.3e-05
    assert back[4]["share"] == 0.25
    assert back[5]["counts"] == {"1": "one", "null": "none"}
    assert back[5000] == {"id": "5000", "reach": 625.0}


def test_shared_and_distinct_dicts_each_read_back_as_their_own_text(tmp_path: Path) -> None:
    # people with the same brokerage roles share one dict (compute_all): it is encoded
    # once; a dict of the same shape but other counts must not take its text
    org = sample_org(people=30, seed=2)
    people = org.people()
    shared = {"liaison": 1, "coordinator": 0}
    for node in people[:10]:
        org.graph.nodes[node]["roles"] = shared
    for i, node in enumerate(people[10:20]):
        org.graph.nodes[node]["roles"] = {"liaison": i, "coordinator": 2}
    for node in people[20:]:
        org.graph.nodes[node]["roles"] = {"note": 'says "hi" & <bye>'}
    export_graph(org, tmp_path / "o.graphml")
    back = nx.read_graphml(tmp_path / "o.graphml")
    roles = {n: back.nodes[n]["roles"] for n in people}
    assert {roles[n] for n in people[:10]} == {'{"coordinator": 0, "liaison": 1}'}
    assert [roles[n] for n in people[10:20]] == [
        f'{{"coordinator": 2, "liaison": {i}}}' for i in range(10)
    ]
    assert {roles[n] for n in people[20:]} == {'{"note": "says \\"hi\\" & <bye>"}'}
