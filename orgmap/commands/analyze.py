"""``orgmap analyze``: every metric, as JSON and/or an xlsx report, and a short summary."""

from __future__ import annotations

import argparse
from typing import Any

from orgmap import present
from orgmap.cli import CliError, Env, ExitStatus, add_input_args, load_org, write_json
from orgmap.commands._anon import (
    add_anonymize_args,
    anonymized,
    check_anonymize_args,
    print_summary,
    warn_without_salt,
)
from orgmap.metrics.brokerage import describe
from orgmap.metrics.info import plural
from orgmap.model import RELATIONS, Org
from orgmap.safety import Records, clean_text

HELP = "compute every metric: influence, brokerage, reach, projects, teams (JSON, xlsx report)"


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_args(parser)
    parser.add_argument("-o", "--output", metavar="REPORT.xlsx", help="write the xlsx report")
    parser.add_argument(
        "--json",
        metavar="FILE",
        help="write the metrics as JSON to FILE ('-' for stdout)",
    )
    parser.add_argument(
        "--relations",
        default=",".join(RELATIONS),
        metavar="LIST",
        help=f"relations the influence and collaboration graphs use (default: all: "
        f"{','.join(RELATIONS)})",
    )
    add_anonymize_args(parser)


def parse_relations(text: str) -> list[str]:
    chosen = [r.strip().lower() for r in str(text).split(",") if r.strip()]
    unknown = [r for r in chosen if r not in RELATIONS]
    if unknown:
        raise CliError(
            f"--relations: unknown {', '.join(unknown)}; choose from {','.join(RELATIONS)}",
            ExitStatus.UNREADABLE,
        )
    return chosen


def exit_status(org: Org) -> ExitStatus:
    """As ``orgmap validate``: 2 when a file was unreadable, 1 when a row was rejected."""
    if org.unreadable:
        return ExitStatus.UNREADABLE
    if any(issue.severity == "error" for issue in org.issues):
        return ExitStatus.ERROR
    return ExitStatus.OK


def report_unreadable(org: Org, env: Env) -> None:
    """Name each file that could not be read, and why, on stderr (the rest still loads)."""
    for issue in org.issues:
        if issue.severity == "fatal":
            env.stderr.write(clean_text(f"{issue}\n"))


def as_json(org: Org, metrics: dict[str, Any]) -> dict[str, Any]:
    """The JSON document: summary, people, projects, teams (lists of objects), issues."""
    graph = org.graph
    rows = metrics["people"]
    nodes = list(rows)

    def person(i: int) -> dict[str, Any]:
        node = nodes[i]
        data = graph.nodes[node]
        return {
            "id": data.get("id"),
            "name": data.get("name"),
            "team": data.get("team"),
            "department": data.get("department"),
            **rows[node],
        }

    # made one at a time as the JSON is written: at a million people a list of them all
    # would be another copy of every metric
    people = Records(len(nodes), person)
    projects = [
        {"name": graph.nodes[n].get("name"), "team": graph.nodes[n].get("team"), **values}
        for n, values in metrics["projects"].items()
    ]
    teams = [
        {
            "name": graph.nodes[n].get("name"),
            "department": graph.nodes[n].get("department"),
            **values,
        }
        for n, values in metrics["teams"].items()
    ]
    return {
        "summary": metrics["summary"],
        "people": people,
        "projects": projects,
        "teams": teams,
        "issues": [issue.to_dict() for issue in org.issues],
    }


def summary_lines(org: Org, metrics: dict[str, Any], top: int = 5) -> list[str]:
    s = metrics["summary"]
    method = describe(s["betweenness"])
    lines = [
        f"people {s['people']}, teams {s['teams']}, departments {s['departments']}, "
        f"projects {s['projects']} ({s['cross_team_project_share']:.0%} cross teams, "
        f"{s['org_wide_projects']} org-wide)",
        f"hierarchy depth {s['hierarchy_depth']}, span of control median "
        f"{s['span_of_control_median']:g} max {s['span_of_control_max']}; "
        f"{plural(s['components'], 'connected part')}; {plural(s['silo_teams'], 'silo team')}",
        f"relations: {', '.join(s['relations']) or 'none'}; brokerage: {method}",
    ]
    people = metrics["people"]
    for name, label in (("influence", "most influential"), ("brokerage", "top brokers")):
        ranked = sorted(people, key=lambda n, m=name: (-(people[n][m] or 0), n))[:top]
        if ranked:
            shown = ", ".join(
                f"{org.label(n)} ({present.metric_value(name, people[n][name])})" for n in ranked
            )
            lines.append(f"{label}: {shown}")
    issues = s.get("issues", {})
    if any(issues.values()):
        lines.append(
            f"issues: {plural(issues.get('error', 0), 'error')}, "
            f"{plural(issues.get('warning', 0), 'warning')}, "
            f"{plural(issues.get('fatal', 0), 'unreadable file')} (see orgmap validate)"
        )
    return lines


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.metrics import compute_all

    relations = parse_relations(args.relations)
    check_anonymize_args(args, env)
    org = load_org(args, env)
    report_unreadable(org, env)
    if org.unreadable and not org.sheets:
        # an empty report would look like an empty org; say plainly that nothing was read
        raise CliError(
            f"nothing written: no input could be read "
            f"({plural(len(org.unreadable), 'unreadable file')})",
            ExitStatus.UNREADABLE,
        )
    metrics = compute_all(org, relations=relations, progress=env.progress("analyzing"))
    status = exit_status(org)
    summary = None
    if args.anonymize:
        warn_without_salt(args, env)
        anon = anonymized(org, metrics, args)
        org, metrics, summary = anon.org, anon.metrics, anon.summary
    if args.output:
        from pathlib import Path

        from orgmap.report import write_report

        path = Path(args.output)
        path = path if path.is_absolute() else env.cwd / path
        try:
            write_report(org, metrics, path)
        except OSError as exc:
            raise CliError(
                f"cannot write {args.output}: {exc.strerror or exc}", ExitStatus.UNREADABLE
            ) from exc
    if args.json:
        # the derived views the metrics were computed from are not needed any more:
        # let them go before the document is written (250 MB at a million people)
        org.changed()
        try:
            write_json(as_json(org, metrics), args.json, env)
        except OSError as exc:
            raise CliError(
                f"cannot write {args.json}: {exc.strerror or exc}", ExitStatus.UNREADABLE
            ) from exc
    if args.json != "-":
        env.stdout.write("\n".join(summary_lines(org, metrics)) + "\n")
        if args.output:
            env.stdout.write(f"report: {args.output}\n")
    if summary is not None:
        # stdout may be the JSON itself: the summary goes beside it
        print_summary(summary, env.stderr if args.json == "-" else env.stdout)
    return status
