"""GraphML, GEXF and JSON exports read back by networkx to the same graph."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from orgmap.cli import Env, main
from orgmap.export import ExportError, export_graph, flat_graph
from orgmap.sample import sample_org

REPO = Path(__file__).resolve().parents[1]
SAMPLE_XLSX = REPO / "orgmap" / "samples" / "sample-org.xlsx"


@pytest.fixture(scope="module")
def org():
    org = sample_org(people=120, seed=3)
    # awkward values real data carries: a missing value, a date, a list, a NaN, mixed types
    people = org.people()
    org.graph.nodes[people[0]]["nickname"] = None
    org.graph.nodes[people[1]]["score"] = float("nan")
    org.graph.nodes[people[2]]["tags"] = ["a", "b"]
    org.graph.nodes[people[3]]["age"] = 41
    org.graph.nodes[people[4]]["age"] = 38.5
    org.graph.nodes[people[5]]["badge"] = 7
    org.graph.nodes[people[6]]["badge"] = "7B"
    return org


@pytest.fixture(scope="module")
def metrics(org):
    from orgmap.metrics import compute_all

    return compute_all(org)


def read_back(path: Path) -> nx.MultiDiGraph:
    if path.suffix == ".graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if path.suffix == ".gexf":
        return nx.read_gexf(path)
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")


@pytest.mark.parametrize("ext", [".graphml", ".gexf", ".json"])
def test_round_trip_keeps_counts_attributes_and_metrics(
    org, metrics, tmp_path: Path, ext: str
) -> None:
    out = export_graph(org, tmp_path / f"org{ext}", metrics)
    g = read_back(out)
    assert g.is_directed() and g.is_multigraph()
    assert g.number_of_nodes() == org.graph.number_of_nodes()
    assert g.number_of_edges() == org.graph.number_of_edges()
    assert set(g.nodes) == set(org.graph.nodes)
    expected = flat_graph(org, metrics)
    for node in list(org.people())[:20] + org.teams()[:3] + org.projects()[:3]:
        got = dict(g.nodes[node])
        if ext != ".json":
            assert got.pop("label") == org.label(node)
        if ext == ".gexf":
            assert set(got.pop("viz")) == {"position", "color", "size"}
        if "person_id" in got:
            got["id"] = got.pop("person_id")
        want = dict(expected.nodes[node])
        assert set(got) == set(want), node
        for key, value in want.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value), key
            else:
                assert got[key] == value, key
    # the metrics are on the nodes, with their SPEC names
    p = org.people()[0]
    assert g.nodes[p]["influence"] == pytest.approx(metrics["people"][p]["influence"])
    assert json.loads(g.nodes[p]["brokerage_roles"]) == metrics["people"][p]["brokerage_roles"]
    # edges keep their kinds (and keys)
    kinds = sorted(d["kind"] for _, _, d in g.edges(data=True))
    assert kinds == sorted(d["kind"] for _, _, d in org.graph.edges(data=True))


def test_values_are_flattened_to_scalars(org, metrics) -> None:
    flat = flat_graph(org, metrics)
    people = org.people()
    assert "nickname" not in flat.nodes[people[0]]  # None: absent, not "None"
    assert "score" not in flat.nodes[people[1]]  # NaN dropped
    assert json.loads(flat.nodes[people[2]]["tags"]) == ["a", "b"]
    assert flat.nodes[people[3]]["age"] == 41.0 and isinstance(flat.nodes[people[3]]["age"], float)
    assert flat.nodes[people[5]]["badge"] == "7"  # mixed int/text column -> text
    for _, data in flat.nodes(data=True):
        for value in data.values():
            assert isinstance(value, (str, int, float, bool))
            assert not (isinstance(value, float) and not math.isfinite(value))
    # the org itself is untouched
    assert org.graph.nodes[people[2]]["tags"] == ["a", "b"]


def test_gexf_is_1_2_with_typed_attributes(org, metrics, tmp_path: Path) -> None:
    out = export_graph(org, tmp_path / "org.gexf", metrics)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("gexf") and root.get("version") == "1.2"
    ns = {"g": "http://www.gexf.net/1.2draft"}
    types = {
        a.get("title"): a.get("type")
        for a in root.iterfind(".//g:attributes[@class='node']/g:attribute", ns)
    }
    assert types["influence"] == "double"
    assert types["direct_reports"] in ("long", "integer")
    assert types["external"] == "boolean"
    assert types["name"] == "string"
    labels = {n.get("label") for n in root.iterfind(".//g:node", ns)}
    assert org.label(org.people()[0]) in labels


def test_anonymized_export_has_no_names(org, metrics, tmp_path: Path) -> None:
    out = export_graph(org, tmp_path / "anon.graphml", metrics, anonymize=True, salt="x")
    text = out.read_text(encoding="utf-8")
    for p in org.people():
        assert org.graph.nodes[p]["name"] not in text
        assert org.graph.nodes[p]["email"] not in text
    g = read_back(out)
    assert g.number_of_nodes() == org.graph.number_of_nodes()
    assert sum(1 for _, d in g.nodes(data=True) if "influence" in d) == len(org.people())


def test_bad_extension_and_folder(org, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="graphml"):
        export_graph(org, tmp_path / "org.csv")
    with pytest.raises(ExportError, match="does not exist"):
        export_graph(org, tmp_path / "nope" / "org.gexf")
    assert list(tmp_path.iterdir()) == []


def test_cli_export(tmp_path: Path) -> None:
    env = Env.capture(cwd=tmp_path)
    assert main(["export", str(SAMPLE_XLSX), "-o", "org.gexf"], env) == 0, env.stderr.getvalue()
    assert "wrote org.gexf" in env.stdout.getvalue()
    g = nx.read_gexf(tmp_path / "org.gexf")
    assert sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "person") == 300
    env = Env.capture(cwd=tmp_path)
    assert main(["export", str(SAMPLE_XLSX), "-o", "org.txt"], env) == 2
    assert "must end in" in env.stderr.getvalue()


@pytest.mark.parametrize("ext", [".graphml", ".gexf", ".json"])
def test_control_characters_and_bad_text_still_give_a_valid_file(tmp_path: Path, ext: str) -> None:
    org = sample_org(people=20, seed=1)
    p = org.people()[0]
    org.graph.nodes[p]["title"] = "Lead\x0bEngineer \udc80 \x00"
    out = export_graph(org, tmp_path / f"o{ext}")
    g = read_back(out)
    assert g.nodes[p]["title"] == "Lead\ufffdEngineer \ufffd \ufffd"


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def test_graphml_key_ids_are_unique_with_no_id_key_and_a_label(org, metrics, tmp_path: Path):
    out = export_graph(org, tmp_path / "org.graphml", metrics)
    keys = ET.parse(out).getroot().findall(f"{GRAPHML}key")
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids))  # `kind` and `role` of nodes and of edges: two keys each
    node_names = [k.get("attr.name") for k in keys if k.get("for") == "node"]
    edge_names = [k.get("attr.name") for k in keys if k.get("for") == "edge"]
    assert "kind" in node_names and "kind" in edge_names
    assert "id" not in node_names and "person_id" in node_names and "label" in node_names


def test_graphml_reads_back_in_igraph(org, metrics, tmp_path: Path):
    import warnings

    import igraph as ig

    out = export_graph(org, tmp_path / "org.graphml", metrics)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns when it drops a key named `id`
        g = ig.Graph.Read_GraphML(str(out))
    assert g.is_directed()
    assert g.vcount() == org.graph.number_of_nodes()
    assert g.ecount() == org.graph.number_of_edges()
    by_id = {v["id"]: v for v in g.vs}
    p = org.people()[0]
    data = org.graph.nodes[p]
    assert by_id[p]["label"] == data["name"] and by_id[p]["person_id"] == data["id"]
    assert by_id[p]["influence"] == pytest.approx(metrics["people"][p]["influence"])
    assert sorted(g.es["kind"]) == sorted(k for _, _, k in org.graph.edges(data="kind"))
    # the edges join the same people
    names = g.vs["id"]
    got = sorted((names[e.source], names[e.target], e["kind"]) for e in g.es)
    assert got == sorted((u, v, k) for u, v, k in org.graph.edges(data="kind"))


def test_gexf_carries_the_maps_positions_colours_and_sizes(org, metrics, tmp_path: Path):
    from orgmap import palette
    from orgmap.layout import compute_layout

    everyone = list(org.graph.nodes)
    pos = compute_layout(org, "orgchart", nodes=everyone, seed=0)
    out = export_graph(org, tmp_path / "org.gexf", metrics, layout="orgchart")
    g = nx.read_gexf(out)
    depts = sorted({org.graph.nodes[p]["department"] for p in org.people()})
    # palette.category_colors gives each department, in sorted order, its own colour
    colors = palette.category_colors(depts)
    for node in everyone:
        viz = g.nodes[node]["viz"]
        x, y = pos[node]
        # GEXF's y axis points up, the layout's down
        assert (viz["position"]["x"], viz["position"]["y"]) == pytest.approx((x, -y))
        kind = org.graph.nodes[node]["kind"]
        want = (
            colors[org.graph.nodes[node]["department"]]
            if kind == "person"
            else palette.KIND_COLORS[kind]
        )
        c = viz["color"]
        assert "#{:02X}{:02X}{:02X}".format(c["r"], c["g"], c["b"]) == want.upper()
    # the most influential person is drawn the biggest, as on the map (48 px at the top)
    people = org.people()
    top = max(people, key=lambda p: metrics["people"][p]["influence"])
    assert g.nodes[top]["viz"]["size"] == pytest.approx(48.0)
    assert g.nodes[top]["viz"]["size"] == max(g.nodes[p]["viz"]["size"] for p in people)


def test_gexf_uses_the_canvas_positions_given(org, tmp_path: Path):
    pos = {n: (float(i), float(2 * i)) for i, n in enumerate(org.graph.nodes)}
    out = export_graph(org, tmp_path / "org.gexf", positions=pos)
    g = nx.read_gexf(out)
    for n, (x, y) in list(pos.items())[:50]:
        assert (g.nodes[n]["viz"]["position"]["x"], g.nodes[n]["viz"]["position"]["y"]) == (x, -y)


def test_cli_export_gexf_with_the_orgchart_layout(tmp_path: Path) -> None:
    from orgmap.builder import build_org
    from orgmap.layout import compute_layout
    from orgmap.readers import read_path

    env = Env.capture(cwd=tmp_path)
    args = ["export", str(SAMPLE_XLSX), "-o", "o.gexf", "--layout", "orgchart"]
    assert main(args, env) == 0, env.stderr.getvalue()
    g = nx.read_gexf(tmp_path / "o.gexf")
    org = build_org(read_path(SAMPLE_XLSX))
    pos = compute_layout(org, "orgchart", nodes=list(org.graph.nodes))
    for node in org.people()[:30]:
        x, y = pos[node]
        assert g.nodes[node]["viz"]["position"]["x"] == pytest.approx(x)
        assert g.nodes[node]["viz"]["position"]["y"] == pytest.approx(-y)
