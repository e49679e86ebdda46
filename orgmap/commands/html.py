"""``orgmap html FILES... -o map.html``: the interactive map, one self-contained file."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from pathlib import Path

from orgmap.cli import CliError, Env, ExitStatus, add_input_args, load_org
from orgmap.commands._anon import (
    add_anonymize_args,
    check_anonymize_args,
    print_summary,
    warn_without_salt,
)
from orgmap.safety import clean_text

HELP = "write an interactive map (one self-contained HTML file, safe to share offline)"


def configure(parser: argparse.ArgumentParser) -> None:
    from orgmap.html_export.view import PEOPLE_VIEW_LIMIT

    add_input_args(parser)
    parser.add_argument(
        "-o", "--output", required=True, metavar="MAP.html", help="the file to write"
    )
    parser.add_argument(
        "--view",
        choices=("people", "teams", "full"),
        default="people",
        help="people (default) with their links; teams sized by headcount; full adds projects",
    )
    parser.add_argument(
        "--focus", metavar="REF", help="show one person's neighbourhood (id, email or name)"
    )
    parser.add_argument(
        "--depth", type=int, default=2, metavar="K", help="steps around --focus (default 2)"
    )
    parser.add_argument(
        "--to",
        metavar="TARGET",
        help="with --focus: draw who the focus person can loop in for TARGET (a person, "
        "team:NAME, department:NAME or project:NAME) and through whom",
    )
    parser.add_argument(
        "--layout",
        choices=("network", "orgchart", "teams"),
        default="network",
        help="how people are placed (default network; the same layouts as the app)",
    )
    add_anonymize_args(parser)
    parser.add_argument("--title", metavar="TEXT", help="the page title")
    parser.add_argument(
        "--force",
        action="store_true",
        help="draw every person even past the size where the people view switches to "
        f"teams ({PEOPLE_VIEW_LIMIT:,} people: bigger maps draw slowly in a browser)",
    )


def data_date(files: list[str], env: Env) -> str | None:
    """The newest modification date of the input files (the data's date)."""
    try:
        from orgmap.readers import expand_paths

        paths = expand_paths([f if Path(f).is_absolute() else env.cwd / f for f in files])
    except Exception:  # noqa: BLE001 - a date is nice to have, never a reason to fail
        return None
    stamps = []
    for p in paths:
        try:
            stamps.append(Path(p).stat().st_mtime)
        except OSError:
            continue
    return dt.date.fromtimestamp(max(stamps)).isoformat() if stamps else None


def check_readable(org, env: Env) -> None:  # org: orgmap.model.Org
    if org.unreadable:
        for issue in org.issues:
            if issue.severity == "fatal":
                env.stderr.write(clean_text(f"{issue}\n"))
        raise CliError(
            f"could not read {', '.join(org.unreadable)}; nothing written", ExitStatus.UNREADABLE
        )
    if not org.people():
        raise CliError("no people found in the input; nothing written", ExitStatus.ERROR)
    rejected = sum(1 for issue in org.issues if issue.severity == "error")
    if rejected:
        env.stderr.write(
            f"note: {rejected} rows were rejected (see `orgmap validate`); they are not on the map\n"
        )


def write_status(exc: Exception) -> ExitStatus:
    """2 when the file could not be written (the disk said no), else 1."""
    return ExitStatus.UNREADABLE if isinstance(exc.__cause__, OSError) else ExitStatus.ERROR


def loop_in_overlay(org, args: argparse.Namespace):  # -> orgmap.overlay.Overlay | None
    """``--to``: the loop-in answer for the ``--focus`` person, as an overlay. A focus that
    names nobody (or several) gets no overlay here: the map's own check says so."""
    from orgmap.loop_in import TargetError, loop_in, overlay, resolve_target

    people = org.find_person(args.focus)
    if len(people) != 1:
        return None
    try:
        target = resolve_target(org, args.to)
    except TargetError as exc:
        raise CliError(f"--to: {exc}") from exc
    drawn = overlay(org, loop_in(org, people[0], target))
    if args.anonymize:  # the title names the person and the target: the map must not
        drawn = dataclasses.replace(drawn, title="Loop in")
    return drawn


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.html_export import HtmlExportError, write_html
    from orgmap.html_export.view import PEOPLE_VIEW_LIMIT

    if args.depth < 0:
        raise CliError("--depth must be 0 or more", ExitStatus.UNREADABLE)
    if args.to and not args.focus:
        raise CliError("--to needs --focus: the person the paths start from", ExitStatus.UNREADABLE)
    check_anonymize_args(args, env)
    out = Path(args.output)
    out = out if out.is_absolute() else env.cwd / out
    if not out.parent.is_dir():
        raise CliError(f"cannot write {args.output}: folder {out.parent} does not exist")
    org = load_org(args, env)
    check_readable(org, env)
    warn_without_salt(args, env)
    metrics = None
    big = len(org.people()) > PEOPLE_VIEW_LIMIT and not args.force
    if not args.focus and (args.view == "teams" or (args.view == "people" and big)):
        # a teams map shows team nodes only: the person metrics (brokerage above all)
        # would be computed for nothing
        from orgmap.metrics.compute import compute_all, metric_names

        metrics = compute_all(org, only=metric_names("teams"), progress=env.progress("metrics"))
    overlay = loop_in_overlay(org, args) if args.to else None  # loopin
    try:
        result = write_html(
            org,
            out,
            view=args.view,
            focus=args.focus,
            depth=args.depth,
            anonymize=args.anonymize,
            salt=args.salt,
            min_group=args.min_group,
            force=args.force,
            title=args.title,
            layout=args.layout,
            data_date=data_date(args.files, env),
            metrics=metrics,
            progress=env.progress("map"),
            overlay=overlay,
        )
    except HtmlExportError as exc:
        raise CliError(str(exc), write_status(exc)) from exc
    if result.message:
        env.stderr.write(f"note: {result.message}\n")
    if result.anonymized is not None:
        print_summary(result.anonymized, env.stdout)
    size = result.bytes / 1e6
    env.stdout.write(
        f"wrote {args.output}: {result.view} view, {result.nodes:,} nodes, "
        f"{result.edges:,} links, {size:.1f} MB in {result.seconds:.1f} s\n"
    )
    return ExitStatus.OK
