"""Qt tests run offscreen; set the platform before anything imports Qt.

Fixtures give each test a real :class:`~orgmap.gui.window.MainWindow` with its own
settings file (never the user's), and a file chooser that answers with paths the test
chose instead of opening a native dialog.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from gui_helpers import SAMPLE, make_window, open_and_wait  # noqa: E402


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    win = make_window(qtbot, settings)
    yield win
    for job in win.jobs.running():
        job.cancel()
    from orgmap.gui.workers import wait_for_jobs

    wait_for_jobs(20_000)


@pytest.fixture
def sample_window(qtbot, window):
    status = open_and_wait(qtbot, window, [SAMPLE])
    assert status == "done"
    return window
