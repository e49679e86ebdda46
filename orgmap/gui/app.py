"""Starting the desktop app: ``orgmap-gui``, ``orgmap gui`` and ``orgmap`` alone.

``--screenshot out.png`` loads the files (the bundled sample when none), lays them out,
renders the window at 1600x1000 into the PNG and exits: a smoke test any script can run
without a display (the offscreen platform is chosen when there is none).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import orgmap
from orgmap.desktop import DESKTOP_ID

__all__ = ["main", "run", "build_parser", "sources_for", "SCREENSHOT_SIZE"]

SCREENSHOT_SIZE = (1600, 1000)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orgmap-gui", description="The orgmap desktop app.")
    configure(parser)
    return parser


def configure(parser: argparse.ArgumentParser) -> None:
    from orgmap.cli import add_input_args

    add_input_args(parser, files_required=False)
    parser.add_argument(
        "--sample",
        metavar="NAME",
        help="open a bundled sample instead of FILES (`orgmap sample --list` names them)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="load, lay out, save the window at 1600x1000 to this PNG, and exit",
    )
    parser.add_argument("--select", metavar="REF", help="select a person (id, email or name)")
    parser.add_argument(
        "--layout", choices=("orgchart", "network", "teams"), help="the layout to start with"
    )
    parser.add_argument(
        "--color-by", metavar="MODE", help="team, department, kind or a person metric name"
    )
    parser.add_argument(  # scenario
        "--compare", metavar="OLD", help="compare with an older snapshot (a file or folder)"
    )


def sources_for(files: Sequence[str], sample: str | None) -> list[str]:
    """FILES, or the bundled sample ``--sample NAME`` names (never both)."""
    from orgmap.assets import UnknownSample, sample_path
    from orgmap.cli import CliError, ExitStatus

    if not sample:
        return list(files)
    if files:
        raise CliError("give FILES or --sample NAME, not both", ExitStatus.UNREADABLE)
    try:
        return [str(sample_path(sample))]
    except UnknownSample as exc:
        raise CliError(f"--sample: {exc}", ExitStatus.UNREADABLE) from None


def _needs_offscreen() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith(("win", "darwin")):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _quiet_offscreen_noise(install, stderr) -> None:
    """The offscreen platform warns about window hints it cannot honour on every dock;
    that says nothing to a user taking a screenshot. Other Qt messages still show."""

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            stderr.write(message + "\n")

    install(handler)


def run(
    files: Sequence[str] = (),
    mapping: dict[str, str] | None = None,
    screenshot: str | None = None,
    select: str | None = None,
    layout: str | None = None,
    color_by: str | None = None,
    stderr=None,
    compare: str | None = None,
) -> int:
    """Open the window (or take a screenshot); returns the exit status."""
    stderr = stderr or sys.stderr
    if _needs_offscreen():
        if not screenshot:
            # Qt would abort the process with a platform-plugin error; say it plainly.
            stderr.write(
                "orgmap gui: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
                "use --screenshot OUT.png to render without one, or the command line "
                "(orgmap analyze, orgmap html)\n"
            )
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from orgmap.gui.style import apply_style
    from orgmap.gui.window import APPLICATION, ORGANIZATION, MainWindow, sample_path

    if screenshot:
        _quiet_offscreen_noise(qInstallMessageHandler, stderr)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "orgmap"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("orgmap")
    app.setApplicationVersion(orgmap.__version__)
    # The id of `orgmap --install-desktop`'s entry: Wayland shells take the window's
    # icon and name from it.
    app.setDesktopFileName(DESKTOP_ID)
    apply_style(app)

    if screenshot:
        # A screenshot never reads or changes the user's settings.
        tmp = tempfile.TemporaryDirectory(prefix="orgmap-shot-")
        settings = QSettings(str(Path(tmp.name) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("first_run_done", True)
        window = MainWindow(settings)
    else:
        window = MainWindow()
    if layout:
        window.state.layout = layout
    if color_by:
        window.state.color_by = color_by

    if not screenshot:
        window.show()
        if mapping and files:
            window.open_files(list(files), mapping)
        else:
            window.start(list(files))
        if select:
            window.loaded.connect(lambda: window.search(select))
        if compare:  # scenario: once, after the first load
            window.loaded.connect(
                lambda: window.compare.compare_with(compare), Qt.SingleShotConnection
            )
        return app.exec()

    out = Path(screenshot)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    sources = list(files) or [str(sample_path())]
    outcome: list[str] = []
    loop = QEventLoop()
    window.loadFinished.connect(lambda status: (outcome.append(status), loop.quit()))
    QTimer.singleShot(600_000, loop.quit)
    sessions = [f for f in sources if f.lower().endswith(".orgmap")]
    if sessions:  # a saved session: its sources, mapping and view
        window.open_session(sessions[0])
    else:
        window.open_files(sources, mapping)
    loop.exec()
    if outcome[:1] != ["done"]:
        reason = window.last_error or (outcome[0] if outcome else "timed out")
        stderr.write(f"orgmap gui: could not load {', '.join(sources)}: {reason}\n")
        window.close()
        tmp.cleanup()
        return 1
    status = 0
    if select:
        node = window.find(select)
        if node is None:
            closest = window.org.closest_people(select) if window.org is not None else []
            hint = f"; closest: {'; '.join(closest)}" if closest else ""
            stderr.write(f"orgmap gui: --select {select!r} matches nobody{hint}\n")
            status = 1
        else:
            window.select_node(node, center=False)
    if compare and status == 0:  # scenario: the comparison drawn before the picture
        done = QEventLoop()
        window.compare.compared.connect(lambda _t: done.quit())
        window.compare.failed.connect(
            lambda msg: (stderr.write(f"orgmap gui: {msg}\n"), done.quit())
        )
        if window.compare.compare_with(compare) is not None:
            done.exec()
        status = 0 if window.compare.diff is not None else 1
    window.resize(*SCREENSHOT_SIZE)
    for _ in range(5):
        app.processEvents()
    image = window.grab().toImage()
    from orgmap.safety import atomic_path

    with atomic_path(out) as tmp_out:
        if not image.save(str(tmp_out), "PNG"):
            stderr.write(f"orgmap gui: cannot write {out}\n")
            status = 1
    window.close()
    tmp.cleanup()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``orgmap-gui``."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from orgmap.cli import CliError, Env, parse_mapping_args

    try:
        mapping = parse_mapping_args(args, Env())
        files = sources_for(args.files, args.sample)
    except CliError as exc:
        sys.stderr.write(f"orgmap-gui: {exc}\n")
        return exc.status
    return run(
        files,
        mapping,
        screenshot=args.screenshot,
        select=args.select,
        layout=args.layout,
        color_by=args.color_by,
        compare=args.compare,
    )


if __name__ == "__main__":
    raise SystemExit(main())
