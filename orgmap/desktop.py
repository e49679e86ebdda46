"""``orgmap --install-desktop``: a menu entry and icon for the current user (Linux).

Writes ``$XDG_DATA_HOME/applications/orgmap.desktop`` (default ``~/.local/share``) and
the SVG icon under ``icons/hicolor/scalable/apps/``, the places every freedesktop
desktop (GNOME, KDE, Xfce, ...) reads without root. The entry starts the ``orgmap-gui``
installed beside the running Python (a venv, a pipx venv), or the bundle's own
executable, so it keeps working whatever is first on PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from orgmap.assets import resource_path

__all__ = ["DESKTOP_ID", "DesktopError", "DesktopInstall", "install_desktop", "desktop_entry"]

#: The desktop file's id; the app passes the same to ``setDesktopFileName`` so Wayland
#: compositors match the window to its entry (and its icon).
DESKTOP_ID = "orgmap"

#: Spreadsheets and tables the app opens (offered in "Open with").
MIME_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroEnabled.12",
    "text/csv",
    "text/tab-separated-values",
)


class DesktopError(RuntimeError):
    """Why the entry could not be installed, in words for the user."""


@dataclass(frozen=True)
class DesktopInstall:
    desktop_file: Path
    icon_file: Path
    #: The program the entry runs (and its leading arguments).
    command: tuple[str, ...]


def data_home(environ: os._Environ[str] | dict[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (the
    XDG spec says to ignore a relative value)."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def gui_command() -> tuple[str, ...]:
    """The command that opens the desktop app from this installation."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: one executable for all
        return (sys.executable, "gui")
    scripts = Path(sysconfig.get_path("scripts"))
    for candidate in (scripts / "orgmap-gui", scripts / "orgmap-gui.exe"):
        if candidate.is_file():
            return (str(candidate),)
    found = shutil.which("orgmap-gui")
    if found:
        return (found,)
    raise DesktopError(
        f"orgmap-gui is not installed beside this Python ({scripts}); "
        "install orgmap with `pip install .` or `pipx install .` first"
    )


def _quote_exec_arg(arg: str) -> str:
    """Quote one argument of ``Exec`` as the Desktop Entry spec asks: inside double
    quotes, escape ``"`` ``\\`` `` ` `` ``$``; then the string-value escaping doubles
    every backslash again."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    if arg and not (set(arg) & reserved):
        quoted = arg
    else:
        quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(command: tuple[str, ...], icon: str = DESKTOP_ID) -> str:
    """The text of ``orgmap.desktop`` for ``command``."""
    exec_line = " ".join(_quote_exec_arg(a) for a in command) + " %F"
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=orgmap",
        "GenericName=Organization network map",
        "Comment=See how influence flows through an organization, from its spreadsheets",
        f"Exec={exec_line}",
        # TryExec is a plain path (no Exec quoting): the menu hides the entry if it goes
        "TryExec=" + command[0].replace("\\", "\\\\"),
        f"Icon={icon}",
        "Terminal=false",
        "Categories=Office;Chart;",
        "Keywords=org chart;network;influence;silo;HR;",
        "MimeType=" + "".join(m + ";" for m in MIME_TYPES),
        f"StartupWMClass={DESKTOP_ID}",
    ]
    return "\n".join(lines) + "\n"


def install_desktop(data_dir: Path | None = None) -> DesktopInstall:
    """Write the entry and the icon for the current user; returns where they went."""
    if not sys.platform.startswith("linux"):
        raise DesktopError("--install-desktop writes a freedesktop menu entry (Linux only)")
    root = data_dir or data_home()
    command = gui_command()
    apps = root / "applications"
    icons = root / "icons" / "hicolor" / "scalable" / "apps"
    desktop_file = apps / f"{DESKTOP_ID}.desktop"
    icon_file = icons / f"{DESKTOP_ID}.svg"
    from orgmap.safety import atomic_write_text

    try:
        apps.mkdir(parents=True, exist_ok=True)
        icons.mkdir(parents=True, exist_ok=True)
        svg = resource_path("icons/orgmap.svg").read_text(encoding="utf-8")
        atomic_write_text(icon_file, svg)
        atomic_write_text(desktop_file, desktop_entry(command))
    except OSError as exc:
        raise DesktopError(f"cannot write under {root}: {exc.strerror or exc}") from exc
    return DesktopInstall(desktop_file, icon_file, command)
