"""Shared helpers of the GUI tests (a module, so tests can import it by name)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "orgmap" / "samples" / "sample-org.xlsx"
DIRTY = REPO / "orgmap" / "samples" / "dirty-org.xlsx"


class Chooser:
    """Answers the window's file questions: the next paths to open, the next save path."""

    def __init__(self) -> None:
        self.open_answers: list[list[str]] = []
        self.save_answers: list[str | None] = []
        self.asked: list[str] = []

    def open_paths(self, parent) -> list[str]:
        self.asked.append("open")
        return self.open_answers.pop(0) if self.open_answers else []

    def save_path(self, parent, title, file_filter, suggested) -> str | None:
        self.asked.append(f"save:{suggested}")
        return self.save_answers.pop(0) if self.save_answers else None


def make_window(qtbot, settings):
    from orgmap.gui.window import MainWindow

    window = MainWindow(settings)
    window.chooser = Chooser()
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window


def open_and_wait(qtbot, window, paths, mapping=None, timeout=60_000):
    with qtbot.waitSignal(window.loadFinished, timeout=timeout) as blocker:
        window.open_files([str(p) for p in paths], mapping)
    return blocker.args[0]
