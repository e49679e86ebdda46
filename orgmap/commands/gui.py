"""``orgmap gui [FILES...]``: open the desktop app (``orgmap`` alone does the same)."""

from __future__ import annotations

import argparse

from orgmap.cli import CliError, Env, ExitStatus, parse_mapping_args

HELP = "open the desktop app on FILES (the bundled sample on first run)"


def configure(parser: argparse.ArgumentParser) -> None:
    # The option set lives with the app so `orgmap gui` and `orgmap-gui` never drift.
    from orgmap.gui.app import configure as configure_app

    configure_app(parser)


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.gui.app import run as run_app
    from orgmap.gui.app import sources_for

    mapping = parse_mapping_args(args, env)
    if args.color_by:
        _check_color_by(args.color_by)
    files = [str(env.cwd / f) if not f.startswith("/") else f for f in args.files]
    files = sources_for(files, args.sample)
    return run_app(
        files,
        mapping,
        screenshot=str(env.cwd / args.screenshot) if args.screenshot else None,
        select=args.select,
        layout=args.layout,
        color_by=args.color_by,
        stderr=env.stderr,
        compare=str(env.cwd / args.compare) if args.compare else None,  # scenario
    )


def _check_color_by(mode: str) -> None:
    """Team, department, kind, or a numeric person metric: anything else is a typo."""
    from orgmap.metrics import METRICS

    numeric = [m.name for m in METRICS if m.entity == "person" and m.fmt in NUMERIC_FORMATS]
    modes = ["team", "department", "kind", *numeric]
    if mode not in modes:
        raise CliError(
            f"--color-by {mode!r}: choose one of {', '.join(modes)}", ExitStatus.UNREADABLE
        )


NUMERIC_FORMATS = ("int", "float", "percent")
