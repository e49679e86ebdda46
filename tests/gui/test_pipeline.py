"""The load pipeline gives the same org, metrics and positions in the helper process
(large inputs) as in a thread (small ones), and Cancel stops either."""

import pytest
from gui_helpers import DIRTY

from orgmap.gui.pipeline import explorer_rows, load_pipeline
from orgmap.model import Cancelled


def test_helper_process_matches_the_thread():
    mapping = {"People.Level": "ignore"}
    here = load_pipeline([str(DIRTY)], mapping, "teams", subprocess=False)
    there = load_pipeline([str(DIRTY)], mapping, "teams", subprocess=True)
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
    again = load_pipeline([str(DIRTY)], {}, "orgchart", org=first.org, subprocess=True)
    assert again.org is first.org
    assert again.metrics["people"] == first.metrics["people"]


@pytest.mark.parametrize("subprocess", [False, True])
def test_cancel_raises_cancelled(subprocess):
    with pytest.raises(Cancelled):
        load_pipeline([str(DIRTY)], {}, "network", cancel=lambda: True, subprocess=subprocess)


def test_relations_reach_the_metrics():
    every = load_pipeline([str(DIRTY)], {}, "orgchart", subprocess=False)
    some = load_pipeline([str(DIRTY)], {}, "orgchart", subprocess=True, relations=["reports"])
    from orgmap.metrics import compute_all

    expected = compute_all(every.org, relations=["reports"])
    assert some.metrics["people"] == expected["people"]


def test_explorer_rows_line_up():
    loaded = load_pipeline([str(DIRTY)], {}, "orgchart", subprocess=False)
    rows = explorer_rows(loaded.org, loaded.metrics)
    people, texts = rows["people"]
    assert sorted(people) == sorted(loaded.org.people())
    for node, text in zip(people, texts, strict=True):
        assert loaded.org.label(node).casefold() in text
    pct = [loaded.metrics["people"][n]["influence_percentile"] for n in people]
    assert pct == sorted(pct, reverse=True)
    assert rows["counts"] == loaded.org.counts()
