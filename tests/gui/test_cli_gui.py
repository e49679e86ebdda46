"""`orgmap gui FILES --screenshot out.png`: a smoke test any script can run without a display."""

from gui_helpers import DIRTY, SAMPLE
from PySide6.QtGui import QImage

from orgmap.cli import Env, main


def test_screenshot_of_the_sample_with_a_selection(qapp, tmp_path):
    env = Env.capture(cwd=tmp_path)
    status = main(["gui", str(SAMPLE), "--screenshot", "shot.png", "--select", "1015"], env)
    assert status == 0, env.stderr.getvalue()
    image = QImage(str(tmp_path / "shot.png"))
    assert (image.width(), image.height()) == (1600, 1000)
    colours = {image.pixel(x, y) for x in range(0, 1600, 16) for y in range(0, 1000, 16)}
    assert len(colours) > 40  # a real picture, not a blank window


def test_screenshot_takes_layout_and_mapping_options(qapp, tmp_path):
    env = Env.capture(cwd=tmp_path)
    argv = [
        "gui",
        str(DIRTY),
        "--screenshot",
        "t.png",
        "--layout",
        "teams",
        "--map",
        "People.Level=ignore",
    ]
    assert main(argv, env) == 0, env.stderr.getvalue()
    assert QImage(str(tmp_path / "t.png")).width() == 1600


def test_screenshot_select_nobody_fails_clearly(qapp, tmp_path):
    env = Env.capture(cwd=tmp_path)
    status = main(["gui", str(SAMPLE), "--screenshot", "s.png", "--select", "no such person"], env)
    assert status == 1
    assert "matches nobody" in env.stderr.getvalue()


def test_screenshot_of_a_broken_file_fails_naming_it(qapp, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook at all")
    env = Env.capture(cwd=tmp_path)
    assert main(["gui", str(bad), "--screenshot", "s.png"], env) == 1
    assert "broken.xlsx" in env.stderr.getvalue()
    assert not (tmp_path / "s.png").exists()


def test_without_a_display_the_window_says_how_to_proceed(qapp, tmp_path, monkeypatch):
    from orgmap.gui.app import run

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    env = Env.capture(cwd=tmp_path)
    assert run([str(SAMPLE)], stderr=env.stderr) == 2
    assert "--screenshot" in env.stderr.getvalue()


def test_screenshot_of_a_saved_session(qapp, tmp_path):
    from orgmap.gui.state import Session, ViewState

    session = tmp_path / "view.orgmap"
    Session([str(SAMPLE)], {}, ViewState(layout="teams", selection="person:1102")).save(session)
    env = Env.capture(cwd=tmp_path)
    assert main(["gui", str(session), "--screenshot", "s.png"], env) == 0, env.stderr.getvalue()
    assert QImage(str(tmp_path / "s.png")).width() == 1600


def test_unknown_color_by_is_refused_with_the_choices(tmp_path):
    env = Env.capture(cwd=tmp_path)
    status = main(["gui", str(SAMPLE), "--screenshot", "s.png", "--color-by", "nonsense"], env)
    assert status == 2
    assert "--color-by 'nonsense': choose one of team, department, kind" in env.stderr.getvalue()
    assert "influence" in env.stderr.getvalue()
    assert not (tmp_path / "s.png").exists()
