"""The ``orgmap`` command line: a thin shell over the core.

All I/O goes through an :class:`Env`, so tests call ``main(argv, env)`` in-process and
read what a user would see. No traceback ever reaches the user unless ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import IO, Any, NoReturn

from orgmap.gcpause import paused_gc

__all__ = ["COMMANDS", "ExitStatus", "Env", "main", "add_input_args", "load_org", "CliError"]


#: Every sub-command and its module (``orgmap.commands.<name>``): each defines ``HELP``,
#: ``configure(parser)`` and ``run(args, env) -> int``. Named, not imported, here: the
#: command modules sit above this one (they use its helpers).
COMMANDS: dict[str, str] = {
    "gui": "orgmap.commands.gui",
    "validate": "orgmap.commands.validate",
    "analyze": "orgmap.commands.analyze",
    "profile": "orgmap.commands.profile",
    "html": "orgmap.commands.html",
    "export": "orgmap.commands.export",
    "sample": "orgmap.commands.sample",
    "diff": "orgmap.commands.diff",  # scenario
    "loop-in": "orgmap.commands.loop_in",  # loopin
}


class ExitStatus(IntEnum):
    OK = 0
    #: Some rows were rejected, or the command could not do what was asked.
    ERROR = 1
    #: A file could not be read at all, or the command line was wrong.
    UNREADABLE = 2


class CliError(Exception):
    """A clear message for the user, and the exit status to return."""

    def __init__(self, message: str, status: int = ExitStatus.ERROR) -> None:
        super().__init__(message)
        self.status = int(status)


@dataclass
class Env:
    """Where the command line reads and writes; tests pass their own."""

    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    cwd: Path = field(default_factory=Path.cwd)

    @property
    def interactive(self) -> bool:
        """Progress is shown only on a terminal; piped output stays quiet."""
        isatty = getattr(self.stderr, "isatty", None)
        return bool(isatty and isatty())

    def progress(self, label: str) -> Callable[[float, str], None] | None:
        """A ``progress(fraction, message)`` callback drawing on stderr, or None when piped."""
        if not self.interactive:
            return None

        def report(fraction: float, message: str = "") -> None:
            pct = int(max(0.0, min(1.0, fraction)) * 100)
            self.stderr.write(f"\r{label}: {pct:3d}% {message[:50]:<50}")
            if fraction >= 1.0:
                self.stderr.write("\n")
            self.stderr.flush()

        return report

    @classmethod
    def capture(cls, cwd: Path | None = None) -> Env:
        return cls(stdout=io.StringIO(), stderr=io.StringIO(), cwd=cwd or Path.cwd())


# -- shared input options -------------------------------------------------------------
def add_input_args(parser: argparse.ArgumentParser, *, files_required: bool = True) -> None:
    """FILES plus the column-mapping options every command that reads data takes."""
    parser.add_argument(
        "files",
        nargs="+" if files_required else "*",
        metavar="FILES",
        help="workbooks (.xlsx/.xlsm), tables (.csv/.tsv/.txt) or folders",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="SHEET.COLUMN=field",
        help="map a column by hand (repeatable), e.g. --map 'Staff.Boss=manager'",
    )
    parser.add_argument(
        "--mapping", metavar="FILE", help="a JSON file of column mappings: {'SHEET.COLUMN': field}"
    )


def parse_mapping_args(args: argparse.Namespace, env: Env) -> dict[str, str]:
    """Collect ``--mapping`` and ``--map`` into one ``{"SHEET.COLUMN": field}`` dict."""
    from orgmap.detect import FIELDS

    mapping: dict[str, str] = {}
    if getattr(args, "mapping", None):
        path = Path(args.mapping)
        if not path.is_absolute():
            path = env.cwd / path
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CliError(f"--mapping {args.mapping}: cannot read: {exc.strerror}", 2) from exc
        except json.JSONDecodeError as exc:
            raise CliError(f"--mapping {args.mapping}: not valid JSON: {exc}", 2) from exc
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise CliError(
                f'--mapping {args.mapping}: expected an object like {{"People.Boss": "manager"}}', 2
            )
        mapping.update(data)
    for item in getattr(args, "map", []) or []:
        column, sep, fieldname = item.partition("=")
        if not sep or not column.strip() or not fieldname.strip():
            raise CliError(f"--map {item!r}: expected SHEET.COLUMN=field", 2)
        mapping[column.strip()] = fieldname.strip()
    for column, fieldname in mapping.items():
        if fieldname not in FIELDS and fieldname != "ignore":
            known = ", ".join(sorted(FIELDS))
            raise CliError(
                f"unknown field {fieldname!r} for column {column!r}; known fields: {known}, ignore",
                2,
            )
    return mapping


def load_org(args: argparse.Namespace, env: Env):  # -> orgmap.model.Org
    """Read FILES with the mapping options; report progress on a terminal."""
    from orgmap.loader import load

    mapping = parse_mapping_args(args, env)
    paths = [p if Path(p).is_absolute() else str(env.cwd / p) for p in args.files]
    return load(paths, mapping=mapping, progress=env.progress("reading"))


@paused_gc()
def write_json(data: Any, target: str, env: Env) -> None:
    """Write JSON to a file (atomically) or to stdout when ``target`` is ``-``."""
    from orgmap.safety import Records, atomic_path, clean_text, json_chunks, json_dumps

    # json_dumps: no control character reaches the file, not even escaped (file names,
    # headers and --map keys are not cleaned where cells are)
    # indented for people to read; past a few thousand people compact, which Python's C
    # encoder writes about ten times faster (the indented encoder is pure Python)
    people = data.get("people") if isinstance(data, dict) else None
    big = isinstance(people, list | dict | Records) and len(people) > 5000
    options: dict[str, Any] = {"ensure_ascii": False, "allow_nan": False, "default": str}
    if not big:
        text = json_dumps(data, indent=2, **options) + "\n"
        pieces: Iterable[str] = [text]
    else:
        # in pieces, one person at a time: at a million people the document is 0.9 GB
        # of text, and its encoded copy as much again
        pieces = json_chunks(data, separators=(",", ":"), **options)
    if target == "-":
        text = "".join(pieces)  # made whole first: an unwritable value fails before output
        env.stdout.write(text if not big else text + "\n")
        return
    path = Path(target)
    with (
        atomic_path(path if path.is_absolute() else env.cwd / path) as tmp,
        open(tmp, "w", encoding="utf-8", errors="replace") as fh,
    ):
        # as atomic_write_text: control characters replaced, lone surrogates too
        batch: list[str] = []
        for piece in pieces:
            batch.append(piece)
            if len(batch) >= 2000:
                fh.write(clean_text("".join(batch)))
                batch.clear()
        fh.write(clean_text("".join(batch)) + ("\n" if big else ""))


# -- --version ---------------------------------------------------------------------------
#: The libraries whose version a bug report needs: (label, distribution names, module).
#: PySide6 is installed as PySide6-Essentials; the bundle carries no dist-info for some,
#: so the module's own version is the fallback.
_VERSIONED = (
    ("networkx", ("networkx",), "networkx"),
    ("PySide6", ("PySide6-Essentials", "PySide6"), "PySide6"),
    ("python-calamine", ("python-calamine",), None),
)


def _dist_version(names: Sequence[str], module: str | None) -> str:
    from importlib import metadata

    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if module:
        try:  # the PySide6 package itself: no Qt library is loaded by this import
            return str(importlib.import_module(module).__version__)
        except (ImportError, AttributeError):
            pass
    return "not installed"


def version_text() -> str:
    """``orgmap X.Y.Z`` and the versions of the libraries it stands on, one per line."""
    import platform

    from orgmap import __version__

    lines = [f"orgmap {__version__}"]
    lines += [f"  {label} {_dist_version(names, mod)}" for label, names, mod in _VERSIONED]
    lines.append(f"  Python {platform.python_version()}")
    return "\n".join(lines)


# -- the parser -------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orgmap",
        description="Map how influence flows through an organization, from its spreadsheets.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    parser.add_argument(
        "--version",
        action="store_true",
        help="print orgmap's version and those of networkx, PySide6 and python-calamine",
    )
    parser.add_argument(
        "--install-desktop",
        action="store_true",
        help="add orgmap to this user's application menu, with its icon (Linux)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        cmd.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
        module.configure(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def _silence_stdout(env: Env) -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        fileno = env.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)


def _install_desktop(env: Env) -> int:
    from orgmap.desktop import DesktopError, install_desktop

    try:
        done = install_desktop()
    except DesktopError as exc:
        env.stderr.write(f"orgmap --install-desktop: {exc}\n")
        return ExitStatus.UNREADABLE
    env.stdout.write(
        f"wrote {done.desktop_file}\nwrote {done.icon_file}\n"
        f"orgmap is in your application menu; it runs {' '.join(done.command)}\n"
    )
    return ExitStatus.OK


def console() -> None:
    """The ``orgmap`` program (its script, ``python -m orgmap``, the bundle): :func:`main`,
    then the process ends. After a batch command it ends at once: the org it read is
    millions of objects at 100k people, which a normal exit frees one by one (0.5 s at
    100k, several seconds at a million) only to give the memory back to the system.
    Every file is closed by then; stdout and stderr are flushed first."""
    status = main(leave_at_once=True)
    raise SystemExit(status)


def _leave(status: int) -> NoReturn:
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # as main() does: the reader went away, stop quietly
        status = status or 128 + 13
    except (OSError, ValueError) as exc:  # stdout on a full disk: one line, exit 2
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"orgmap: cannot write the output: {exc}\n")
        status = ExitStatus.UNREADABLE
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)


def main(
    argv: Sequence[str] | None = None, env: Env | None = None, *, leave_at_once: bool = False
) -> int:
    """Run one ``orgmap`` command line; returns its exit status (:class:`ExitStatus`).

    ``leave_at_once`` (:func:`console`): after a batch command, end the process here
    without freeing what it read."""
    env = env or Env()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["gui"]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return int(exc.code or 0)
    run = getattr(args, "_run", None)
    if args.version:  # written to env.stdout (argparse's version action ignores it)
        env.stdout.write(version_text() + "\n")
        return ExitStatus.OK
    if run is None and args.install_desktop:
        return _install_desktop(env)
    if run is None:
        parser.print_help(env.stdout)
        return ExitStatus.UNREADABLE
    if args.command == "gui":
        return _run(run, args, env)
    # a batch command is one bulk step from its reading to its last write: the
    # collector waits until the process ends (orgmap.gcpause; 1-2 s at 100k people)
    with paused_gc():
        status = _run(run, args, env)
    if leave_at_once:
        _leave(status)
    return status


def _run(run: Callable[[argparse.Namespace, Env], int], args: argparse.Namespace, env: Env) -> int:
    """``run(args, env)``, every failure one line on stderr and an exit status."""
    try:
        return int(run(args, env))
    except CliError as exc:
        env.stderr.write(f"orgmap {args.command}: {exc}\n")
        return exc.status
    except KeyboardInterrupt:
        env.stderr.write("orgmap: interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader went away (`orgmap validate ... | head`): stop quietly, as cat does
        _silence_stdout(env)
        return 128 + 13
    except OSError as exc:
        # a write the command did not expect to fail (stdout on a full disk, ...): one
        # line, exit 2, and stdout pointed at /dev/null so the interpreter's final flush
        # of what is still buffered cannot fail again with "Exception ignored"
        if args.debug or os.environ.get("ORGMAP_DEBUG"):
            traceback.print_exc(file=env.stderr)
        where = exc.filename if exc.filename is not None else "the output"
        env.stderr.write(f"orgmap {args.command}: cannot write {where}: {exc.strerror or exc}\n")
        _silence_stdout(env)
        return ExitStatus.UNREADABLE
    except Exception as exc:  # never a traceback unless asked
        if args.debug or os.environ.get("ORGMAP_DEBUG"):
            traceback.print_exc(file=env.stderr)
        env.stderr.write(
            f"orgmap {args.command}: unexpected failure: {type(exc).__name__}: {exc}"
            " (run with --debug for details)\n"
        )
        return ExitStatus.ERROR


if __name__ == "__main__":
    console()
