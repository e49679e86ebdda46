"""The load pipeline gives the same org, metrics and positions in the helper process
(large inputs) as in a thread (small ones), and Cancel stops either."""

import pytest
from gui_helpers import DIRTY

from orgmap.gui.pipeline import explorer_rows, load_pipeline
from orgmap.model import Cancelled


def test_helper_process_matches_the_thread():
    mapping = {"People.Level": "ignore"}
    here = load_pipeline([str(DIRTY)], mapping, "teams", subprocess=False)
    there = load_pipeline([str(DIRTY)], mapping, "teams", subprocess=True, slow_later=False)
    assert sorted(there.org.graph.nodes) == sorted(here.org.graph.nodes)
    assert sorted(there.org.graph.edges(keys=True)) == sorted(here.org.graph.edges(keys=True))
    assert [str(i) for i in there.org.issues] == [str(i) for i in here.org.issues]
    assert there.org.summary()["rows"] == here.org.summary()["rows"]
    assert there.metrics["people"] == here.metrics["people"]
    assert there.metrics["teams"] == here.metrics["teams"]
    assert set(there.positions) == set(here.positions)
    for node, xy in here.positions.items():
        assert there.positions[node] == pytest.approx(xy)
    assert there.mapping == mapping
    assert there.scene is not None and set(there.scene.nodes) == set(there.positions)


def test_prebuilt_org_is_kept_and_measured():
    first = load_pipeline([str(DIRTY)], {}, "orgchart", subprocess=False)
    again = load_pipeline(
        [str(DIRTY)], {}, "orgchart", org=first.org, subprocess=True, slow_later=False
    )
    assert again.org is first.org
    assert again.metrics["people"] == first.metrics["people"]


@pytest.mark.parametrize("subprocess", [False, True])
def test_cancel_raises_cancelled(subprocess):
    with pytest.raises(Cancelled):
        load_pipeline([str(DIRTY)], {}, "network", cancel=lambda: True, subprocess=subprocess)


def test_relations_reach_the_metrics():
    every = load_pipeline([str(DIRTY)], {}, "orgchart", subprocess=False)
    some = load_pipeline(
        [str(DIRTY)], {}, "orgchart", subprocess=True, relations=["reports"], slow_later=False
    )
    from orgmap.metrics import compute_all

    expected = compute_all(every.org, relations=["reports"])
    assert some.metrics["people"] == expected["people"]


def test_a_helper_process_load_leaves_the_slow_metrics_for_later():
    from orgmap.metrics.compute import SLOW_METRICS

    loaded = load_pipeline([str(DIRTY)], {}, "orgchart", subprocess=True)
    assert set(loaded.metrics["summary"]["pending"]) == set(SLOW_METRICS)
    some = next(iter(loaded.metrics["people"].values()))
    assert "brokerage" not in some and "role" not in some
    assert "direct_reports" in some and "influence" in some


def test_explorer_rows_line_up():
    loaded = load_pipeline([str(DIRTY)], {}, "orgchart", subprocess=False)
    rows = explorer_rows(loaded.org, loaded.metrics)
    people, texts = rows.people
    assert sorted(people) == sorted(loaded.org.people())
    for node, text in zip(people, texts, strict=True):
        assert loaded.org.label(node).casefold() in text
    pct = [loaded.metrics["people"][n]["influence_percentile"] for n in people]
    assert pct == sorted(pct, reverse=True)
    assert rows.counts == loaded.org.counts()


def test_the_compute_server_never_reads_the_files_again(tmp_path):
    """After the load, metrics over other relations and another layout come from the
    server's own copy of the org: the source file can be gone."""
    import shutil

    from orgmap.gui.compute import ComputeServer, Layout, Metrics

    copy = tmp_path / DIRTY.name
    shutil.copy(DIRTY, copy)
    loaded = load_pipeline([str(copy)], {}, "orgchart", subprocess=True, keep_helper=True)
    server = loaded.compute
    assert isinstance(server, ComputeServer) and server.alive
    try:
        copy.unlink()
        reports_only = server.request(Metrics(("reports",)))
        # counted another way: people within two steps along reporting lines only
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(loaded.org.people())
        g.add_edges_from(
            (u, v) for u, v, k in loaded.org.graph.edges(keys=True) if k == "reports_to"
        )
        for node, row in reports_only["people"].items():
            near = nx.single_source_shortest_path_length(g, node, cutoff=2)
            assert row["reach_2"] == len(near) - 1, node
        assert reports_only["people"] != loaded.metrics["people"]
        teams = server.request(Layout("teams"))
        assert set(loaded.org.people()) <= set(teams)
    finally:
        server.stop()
    assert not server.alive


def test_a_prebuilt_org_is_handed_to_the_server_once(tmp_path):
    from orgmap.gui.compute import ComputeServer, Metrics, UseOrg
    from orgmap.metrics.examples import example_org

    org = example_org()
    server = ComputeServer()
    try:
        assert server.request(UseOrg(org)) == len(org.people())
        metrics = server.request(Metrics())
        # example_org: person:6 (Zeus) reports to person:4 and mentors nobody
        assert metrics["people"]["person:6"]["direct_reports"] == 0
        assert set(metrics["people"]) == set(org.people())
    finally:
        server.stop()


def test_what_if_metrics_come_from_the_servers_own_copy():
    """Ada (1) leads Ben (2) and Cy (3); Ben leads Di (4) and Flo (6). Removing Ben moves
    Di and Flo up to Ada: she then has 3 direct reports, and the held org is unchanged."""
    from orgmap.gui.compute import ComputeServer, Metrics, UseOrg, WhatIf
    from orgmap.metrics.examples import example_org
    from orgmap.scenario import MovePerson, RemovePerson

    org = example_org()
    server = ComputeServer()
    try:
        server.request(UseOrg(org))
        gone = (RemovePerson("person:2").to_dict(),)
        after = server.request(WhatIf(gone, only=("direct_reports",)))
        assert after["people"]["person:1"]["direct_reports"] == 3
        assert "person:2" not in after["people"]
        # one more edit: Ed (5) moves under Ada too; the first edit is not made twice
        both = (*gone, MovePerson("person:5", "person:1").to_dict())
        again = server.request(WhatIf(both, only=("direct_reports",)))
        assert again["people"]["person:1"]["direct_reports"] == 4
        assert again["people"]["person:3"]["direct_reports"] == 1  # Cy keeps Gus
        # back to none: the held org itself was never edited
        plain = server.request(Metrics(only=("direct_reports",)))
        assert plain["people"]["person:1"]["direct_reports"] == 2
        assert server.request(WhatIf((), only=("direct_reports",)))["people"]["person:2"] == {
            "direct_reports": 2
        }
    finally:
        server.stop()


def test_a_cancelled_request_stops_and_the_server_answers_the_next():
    """Cancel once the helper reports progress on the metrics: it stops that work (a
    whole compute_all takes seconds here) and answers the next request."""
    import time

    from gui_helpers import SAMPLE

    from orgmap.gui.compute import ComputeServer, Load, Metrics

    server = ComputeServer()
    try:
        org = server.request(Load((str(SAMPLE),)))
        started: list[float] = []
        t0 = time.monotonic()
        with pytest.raises(Cancelled):
            server.request(
                Metrics(), progress=lambda f, m: started.append(f), cancel=lambda: bool(started)
            )
        assert started and time.monotonic() - t0 < 30
        again = server.request(Metrics(only=("direct_reports",)))
        reports = sum(1 for _u, _v, k in org.graph.edges(keys=True) if k == "reports_to")
        assert sum(r["direct_reports"] for r in again["people"].values()) == reports
    finally:
        server.stop()
