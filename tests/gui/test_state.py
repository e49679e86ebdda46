"""The Qt-free view state and the .orgmap session file."""

import json

import pytest

from orgmap.gui.state import Session, SessionError, ViewState


def test_session_round_trip(tmp_path):
    data = tmp_path / "people.xlsx"
    data.write_bytes(b"x")
    view = ViewState(
        layout="teams",
        color_by="influence",
        size_by="brokerage",
        edge_kinds=["reports_to", "tie"],
        k=3,
        selection="person:1015",
        zoom=2.5,
        center=(10.0, -4.5),
        explorer_tab="projects",
        filter="platform",
    )
    path = tmp_path / "my.orgmap"
    Session([str(data)], {"People.Boss": "manager"}, view).save(path)
    back = Session.load(path)
    assert back.sources == [str(data)]
    assert back.mapping == {"People.Boss": "manager"}
    assert back.view == view
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format"] == "orgmap-session"
    assert raw["settings"]["layout"] == "teams"


def test_session_follows_data_moved_with_it(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "org.xlsx").write_bytes(b"x")
    Session([str(folder / "org.xlsx")]).save(folder / "s.orgmap")
    moved = tmp_path / "b"
    folder.rename(moved)
    assert Session.load(moved / "s.orgmap").sources == [str((moved / "org.xlsx").resolve())]


def test_broken_values_fall_back_to_defaults():
    state = ViewState.from_dict(
        {"layout": "spiral", "k": "many", "zoom": float("nan"), "center": [1], "edge_kinds": ["x"]}
    )
    assert state.layout == "orgchart"
    assert state.k == 2
    assert state.zoom == 1.0
    assert state.center == (0.0, 0.0)
    assert state.edge_kinds == []


@pytest.mark.parametrize(
    "text, reason",
    [
        ("not json", "invalid JSON"),
        ('{"format": "something"}', "not an orgmap session"),
        ('{"format": "orgmap-session", "version": 99}', "newer"),
        ('{"format": "orgmap-session", "version": 1, "sources": [1]}', "sources"),
    ],
)
def test_unreadable_sessions_say_why(tmp_path, text, reason):
    path = tmp_path / "bad.orgmap"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SessionError, match=reason):
        Session.load(path)
