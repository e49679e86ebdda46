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


def summary_lines(org: Org, columns: bool = True) -> list[str]:
    s = org.summary()
    lines = [
        f"people {s['people']}, teams {s['teams']}, departments {s['departments']}, "
        f"projects {s['projects']}, memberships {s['memberships']}, "
        f"mentorships {s['mentorships']}, ties {s['ties']}, "
        f"reporting lines {s['reporting_lines']}, dotted lines {s['dotted_lines']}",
    ]
    if s["ties_by_type"]:
        lines.append("ties by type: " + ", ".join(f"{t} {n}" for t, n in s["ties_by_type"].items()))
    for sheet in org.sheets:
        kind = sheet.kind or "skipped"
        zeros = f" ({sheet.zero_weight} of them weight 0: no tie)" if sheet.zero_weight else ""
        skipped = f" + skipped {sheet.skipped}{zeros}" if sheet.skipped else ""
        header = f", header row {sheet.header_row}" if sheet.header_row and sheet.kind else ""
        lines.append(
            f"  {sheet.file}:{sheet.sheet} ({kind}{header}): rows read {sheet.rows_read} = "
            f"imported {sheet.imported} + rejected {sheet.rejected} + blank {sheet.blank}"
            f"{skipped}"
        )
        if columns and sheet.kind:
            lines.extend(column_lines(sheet))
    for path in org.unreadable:
        lines.append(f"  {path}: could not be read")
    rows = s["rows"]
    issues = s["issues"]
    skipped = f" + skipped {rows['skipped']}" if rows["skipped"] else ""
    infos = f", {plural(issues['info'], 'note')}" if issues.get("info") else ""
    lines.append(
        f"total: rows read {rows['rows_read']} = imported {rows['imported']} + rejected "
        f"{rows['rejected']} + blank {rows['blank']}{skipped}; "
        f"{plural(issues.get('fatal', 0), 'unreadable file')}, "
        f"{plural(issues['error'], 'error')}, {plural(issues['warning'], 'warning')}{infos}"
    )
    if any(i.code == "sheet_skipped" and i.severity == "warning" for i in org.issues):
        lines.append(
            "to read a skipped table, map its columns: --map 'SHEET.COLUMN=field' (see "
            "orgmap validate --help)"
        )
    return lines


def column_lines(sheet) -> list[str]:  # sheet: orgmap.model.SheetSummary
    """Each column and the field it became, with the evidence: what orgmap understood."""
    out = []
    for note in sheet.notes:
        out.append(f"      note: {note}")
    width = max((len(c["header"]) for c in sheet.columns), default=0)
    width = min(width, 36)
    for c in sheet.columns:
        if c["field"]:
            ref = f" by {c['reference']}" if c.get("reference") else ""
            target = f"{c['field']}{ref} ({c['confidence']:.0%}, {c['source']})"
        else:
            target = "-"
        why = f": {c['evidence']}" if c["evidence"] else ""
        out.append(f"      {c['column']:>3} {c['header'][:36]:<{width}} -> {target}{why}")
    return out


def run(args: argparse.Namespace, env: Env) -> int:
    org = load_org(args, env)
    if args.json:
        data: dict[str, Any] = {
            "summary": org.summary(),
            "mapping": [
                {
                    "file": sh.file,
                    "sheet": sh.sheet,
                    "kind": sh.kind,
                    "header_row": sh.header_row,
                    "notes": list(sh.notes),
                    "columns": [dict(c) for c in sh.columns],
                }
                for sh in org.sheets
            ],
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
