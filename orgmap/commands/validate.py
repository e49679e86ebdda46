"""``orgmap validate``: read the files, print the summary and every issue."""

from __future__ import annotations

import argparse
from typing import Any

from orgmap.cli import Env, ExitStatus, add_input_args, load_org, write_json
from orgmap.model import Org
from orgmap.safety import clean_text

HELP = "check spreadsheets: what was imported, and every row that was not"


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_args(parser)
    parser.add_argument(
        "--json", action="store_true", help="print the summary and issues as JSON on stdout"
    )


def exit_status(org: Org) -> ExitStatus:
    """2 when a file could not be read, 1 when any row was rejected, else 0."""
    if org.unreadable:
        return ExitStatus.UNREADABLE
    if any(issue.severity == "error" for issue in org.issues):
        return ExitStatus.ERROR
    return ExitStatus.OK


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_lines(org: Org) -> list[str]:
    s = org.summary()
    lines = [
        f"people {s['people']}, teams {s['teams']}, departments {s['departments']}, "
        f"projects {s['projects']}, memberships {s['memberships']}, "
        f"mentorships {s['mentorships']}, ties {s['ties']}, "
        f"reporting lines {s['reporting_lines']}, dotted lines {s['dotted_lines']}",
    ]
    for sheet in org.sheets:
        kind = sheet.kind or "not recognised"
        zeros = f" ({sheet.zero_weight} of them weight 0: no tie)" if sheet.zero_weight else ""
        lines.append(
            f"  {sheet.file}:{sheet.sheet} ({kind}): rows read {sheet.rows_read} = "
            f"imported {sheet.imported}{zeros} + rejected {sheet.rejected} + blank {sheet.blank}"
        )
    for path in org.unreadable:
        lines.append(f"  {path}: could not be read")
    rows = s["rows"]
    issues = s["issues"]
    lines.append(
        f"total: rows read {rows['rows_read']} = imported {rows['imported']} + rejected "
        f"{rows['rejected']} + blank {rows['blank']}; "
        f"{plural(issues.get('fatal', 0), 'unreadable file')}, "
        f"{plural(issues['error'], 'error')}, {plural(issues['warning'], 'warning')}"
    )
    return lines


def run(args: argparse.Namespace, env: Env) -> int:
    org = load_org(args, env)
    if args.json:
        data: dict[str, Any] = {
            "summary": org.summary(),
            "issues": [issue.to_dict() for issue in org.issues],
        }
        write_json(data, "-", env)
    else:
        for issue in org.issues:
            env.stdout.write(clean_text(f"{issue}\n"))
        if org.issues:
            env.stdout.write("\n")
        env.stdout.write(clean_text("\n".join(summary_lines(org)) + "\n"))
    return exit_status(org)
