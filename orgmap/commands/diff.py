"""``orgmap diff OLD NEW``: what changed between two snapshots of one org.

The two snapshots are two files or folders, or one dated table (one row per person per
date) holding several:

- ``orgmap diff old.xlsx new.xlsx``: each file as it is (its latest snapshot);
- ``orgmap diff old.xlsx new.xlsx --at 2026-03-31``: both as of that date;
- ``orgmap diff history.xlsx``: the last two snapshots of its dated tables;
- ``orgmap diff history.xlsx --at 2026-01-31``: that date against the latest;
- ``orgmap diff history.xlsx --at 2026-01-31 --at 2026-03-31`` (also with two files):
  the first ``--at`` is OLD's date, the second NEW's.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from orgmap.cli import CliError, Env, ExitStatus, add_input_args, parse_mapping_args, write_json
from orgmap.commands.analyze import parse_relations, report_unreadable
from orgmap.model import RELATIONS, Org
from orgmap.present import metric_label, metric_value

HELP = "what changed between two snapshots: joined, left, moved; links and metrics gained and lost"

#: How many names each section shows on the terminal (the workbook has them all).
SHOWN = 10
#: The largest metric changes named per metric.
TOP = 3


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_args(parser)
    parser.usage = "orgmap diff OLD [NEW] [-o diff.xlsx] [--json diff.json] [--at DATE [--at DATE]]"
    parser.add_argument("-o", "--output", metavar="DIFF.xlsx", help="write the diff workbook")
    parser.add_argument("--json", metavar="DIFF.json", help="write the diff as JSON ('-': stdout)")
    parser.add_argument(
        "--at",
        action="append",
        default=[],
        metavar="DATE",
        help="YYYY-MM-DD: the snapshot of dated tables on or before DATE; once for both "
        "(or OLD of a single file, against its latest), twice for OLD then NEW",
    )
    parser.add_argument(
        "--relations",
        default=",".join(RELATIONS),
        metavar="LIST",
        help="relations the metrics use (default: all)",
    )


def _dates(values: list[str]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(dt.date.fromisoformat(value.strip()).isoformat())
        except ValueError:
            raise CliError(
                f"--at {value!r}: expected a date as YYYY-MM-DD", ExitStatus.UNREADABLE
            ) from None
    if len(out) > 2:
        raise CliError("--at: give at most two dates (OLD's, then NEW's)", ExitStatus.UNREADABLE)
    return out


def _snapshots(org: Org) -> list[str]:
    return sorted({d for s in org.sheets for d in s.snapshots})


def _load(path: str, env: Env, mapping: dict[str, str], at: str | None) -> Org:
    from orgmap.loader import load

    org = load([path], mapping=mapping, progress=env.progress(f"reading {Path(path).name}"), at=at)
    report_unreadable(org, env)
    if not org.people():
        raise CliError(f"{path}: no people could be read", ExitStatus.UNREADABLE)
    return org


def load_pair(args: argparse.Namespace, env: Env) -> tuple[Org, Org, str, str]:
    """OLD and NEW as the arguments name them, and a label for each."""
    mapping = parse_mapping_args(args, env)
    paths = [p if Path(p).is_absolute() else str(env.cwd / p) for p in args.files]
    if len(paths) > 2:
        raise CliError(
            f"expected OLD and NEW (two files or folders), got {len(paths)}; put the files of "
            "one snapshot in a folder",
            ExitStatus.UNREADABLE,
        )
    dates = _dates(args.at)
    names = [Path(p).name for p in args.files]
    if len(paths) == 2:
        old_at = dates[0] if dates else None
        new_at = dates[-1] if dates else None
        old = _load(paths[0], env, mapping, old_at)
        new = _load(paths[1], env, mapping, new_at)
        return old, new, _label(names[0], old_at), _label(names[1], new_at)
    new = _load(paths[0], env, mapping, dates[1] if len(dates) == 2 else None)
    found = _snapshots(new)
    if len(found) < 2:
        raise CliError(
            f"{names[0]} holds {'one snapshot' if found else 'no dated table'}: give OLD and "
            "NEW as two files or folders, or a table with a snapshot date per row",
            ExitStatus.UNREADABLE,
        )
    new_at = dates[1] if len(dates) == 2 else found[-1]
    old_at = dates[0] if dates else found[-2]
    if not any(d <= old_at for d in found):
        raise CliError(
            f"--at {old_at}: {names[0]}'s snapshots start on {found[0]} "
            f"(it holds {', '.join(found)})",
            ExitStatus.UNREADABLE,
        )
    old = _load(paths[0], env, mapping, old_at)
    return old, new, _label(names[0], old_at), _label(names[0], new_at)


def _label(name: str, at: str | None) -> str:
    return f"{name} at {at}" if at else name


def summary_lines(diff: Any) -> list[str]:
    """The terminal report: the one-line summary, then who, by section."""
    from orgmap.diff import PERSON_METRICS

    lines = [diff.summary_text()]

    def names(people: list[dict[str, Any]]) -> str:
        shown = ", ".join(str(p["name"]) for p in people[:SHOWN])
        more = len(people) - SHOWN
        return shown + (f" and {more} more" if more > 0 else "")

    if diff.joined:
        lines.append(f"  joined: {names(diff.joined)}")
    if diff.left:
        lines.append(f"  left: {names(diff.left)}")
    for m in diff.moved[:SHOWN]:
        what = "; ".join(
            f"{key} {m[key][0] or '-'} -> {m[key][1] or '-'}"
            for key in ("manager", "team", "department")
            if key in m
        )
        lines.append(f"  moved: {m['name']}: {what}")
    if len(diff.moved) > SHOWN:
        lines.append(f"  ... and {len(diff.moved) - SHOWN} more moved")
    for c in diff.changed[:SHOWN]:
        lines.append(f"  changed: {c['name']}: {c['field']} {c['old'] or '-'} -> {c['new'] or '-'}")
    if len(diff.changed) > SHOWN:
        lines.append(f"  ... and {len(diff.changed) - SHOWN} more changes")
    for m in diff.matched_by_name[:SHOWN]:
        lines.append(f"  matched by name only: {m['name']} (id {m['old_id']} -> {m['new_id']})")
    for kind, label in (
        ("reporting_lines", "reporting lines"),
        ("ties", "ties"),
        ("mentorships", "mentorships"),
        ("cross_team_projects", "cross-team projects"),
    ):
        v = diff.links.get(kind, {"gained": [], "lost": []})
        if v["gained"] or v["lost"]:
            lines.append(f"  {label}: {len(v['gained'])} gained, {len(v['lost'])} lost")
    for t in diff.teams[:SHOWN]:
        if t["ei_change"] is not None:
            change = _signed("ei_index", t["ei_change"], "team")
            lines.append(
                f"  team {t['team']}: E-I {metric_value('ei_index', t['ei_old'], 'team')} -> "
                f"{metric_value('ei_index', t['ei_new'], 'team')} ({change})"
            )
    for name in PERSON_METRICS:
        moved = [p for p in diff.people_metrics if (p.get(name) or {}).get("change")]
        if not moved:
            continue
        moved.sort(key=lambda p: -abs(p[name]["change"]))
        top = ", ".join(f"{p['name']} {_signed(name, p[name]['change'])}" for p in moved[:TOP])
        lines.append(f"  {metric_label(name).lower()}: {len(moved):,} changed; most: {top}")
    return lines


def _signed(name: str, change: float, entity: str = "person") -> str:
    return ("+" if change > 0 else "-") + metric_value(name, abs(change), entity)


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.diff import diff_orgs
    from orgmap.diff_report import write_diff_report

    relations = parse_relations(args.relations)
    old, new, old_label, new_label = load_pair(args, env)
    diff = diff_orgs(old, new, relations=relations)
    # with --json -, stdout is the JSON alone (for a pipe); the words go to stderr
    words = env.stderr if args.json == "-" else env.stdout
    words.write(f"{old_label} -> {new_label}\n")
    words.write("\n".join(summary_lines(diff)) + "\n")
    if args.output:
        path = Path(args.output)
        path = path if path.is_absolute() else env.cwd / path
        try:
            write_diff_report(diff, path, old_label, new_label)
        except OSError as exc:
            raise CliError(
                f"cannot write {args.output}: {exc.strerror or exc}", ExitStatus.UNREADABLE
            ) from exc
        words.write(f"diff workbook: {args.output}\n")
    if args.json:
        data = {"old": old_label, "new": new_label, **diff.to_dict()}
        write_json(data, args.json, env)
    return ExitStatus.OK
