"""The bundled samples in the app: the welcome screen offers Krackhardt's real managers
beside the synthetic org; the app names itself and carries its icon."""

from gui_helpers import REPO
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from orgmap.cli import Env, main

KRACKHARDT = REPO / "orgmap" / "samples" / "krackhardt-hightech"


def test_welcome_offers_krackhardt_and_opens_the_real_data(qtbot, window):
    button = window.welcome.real_button
    assert button.isVisible() and window.welcome.sample_button.isVisible()
    assert "Krackhardt" in button.text()
    for b in (window.welcome.sample_button, button, window.welcome.open_button):
        assert b.width() >= b.sizeHint().width(), f"{b.text()!r} is cut short"
    with qtbot.waitSignal(window.loadFinished, timeout=60_000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["done"]
    assert window.stack.currentIndex() == 1
    assert window.sources == [str(KRACKHARDT)]
    assert len(window.org.people()) == 21  # Krackhardt's 21 managers
    assert window.banner.isVisible()
    assert "real data" in window.banner_label.text() and "1987" in window.banner_label.text()
    # the long banner wraps: the docks keep their width (it squeezed the inspector to a
    # sliver that wrapped "departments" letter by letter)
    window.resize(1600, 1000)
    qtbot.wait(50)
    assert window.inspector_dock.width() >= 250
    assert window.explorer_dock.width() >= 250


def test_app_has_a_name_an_icon_and_a_desktop_file_name(qapp, tmp_path):
    env = Env.capture(cwd=tmp_path)
    # --sample by name, through the same command line as `orgmap gui --sample krackhardt`
    status = main(["gui", "--sample", "krackhardt", "--screenshot", "k.png"], env)
    assert status == 0, env.stderr.getvalue()
    assert qapp.applicationName() == "orgmap"
    assert qapp.applicationDisplayName() == "orgmap"
    assert qapp.desktopFileName() == "orgmap"  # the id --install-desktop writes
    icon = qapp.windowIcon()
    assert not icon.isNull()
    pixels = icon.pixmap(64, 64).toImage()
    colours = {pixels.pixel(x, y) for x in range(0, 64, 4) for y in range(0, 64, 4)}
    assert len(colours) > 3  # the SVG was drawn, not an empty square
    image = QImage(str(tmp_path / "k.png"))
    assert (image.width(), image.height()) == (1600, 1000)
