"""``orgmap loop-in``: who a person can loop in for a target, and through whom."""

from __future__ import annotations

import argparse

from orgmap.cli import CliError, Env, ExitStatus, add_input_args, load_org, write_json
from orgmap.commands._anon import (
    add_anonymize_args,
    anonymized,
    check_anonymize_args,
    print_summary,
    warn_without_salt,
)
from orgmap.commands.analyze import parse_relations, report_unreadable
from orgmap.commands.profile import resolve
from orgmap.model import RELATIONS, Org

HELP = "who a person can loop in for a person, team, department or project, and through whom"


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_args(parser)
    parser.add_argument(
        "--person", required=True, metavar="REF", help="who asks: employee id, email or name"
    )
    parser.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help="a person (id, email or name), team:NAME, department:NAME or project:NAME",
    )
    parser.add_argument(
        "--json", metavar="FILE", help="also write the answer as JSON ('-': stdout)"
    )
    parser.add_argument(
        "--top", type=int, default=5, metavar="N", help="paths and advocates listed (default 5)"
    )
    parser.add_argument(
        "--relations",
        default=",".join(RELATIONS),
        metavar="LIST",
        help="relations the paths and nominations use (default: all)",
    )
    add_anonymize_args(parser)


def _who(org: Org, node: str) -> str:
    """``Name (id)``; just the id where people are named by their id (Krackhardt's)."""
    label, pid = org.label(node), str(org.graph.nodes[node].get("id", ""))
    return label if label == pid else f"{label} ({pid})"


def _steps(org, route) -> str:  # route: orgmap.loop_in.Route
    from orgmap.present import plural

    if not route.reachable:
        return "no route"
    if route.steps == 0:
        return "that is you"
    return f"{plural(route.steps, 'step')}: {' > '.join(org.label(n) for n in route.nodes)}"


def text_lines(org: Org, result) -> list[str]:  # result: orgmap.loop_in.LoopIn
    """The short plain answer a terminal shows; a hop's reason is printed the first time
    a route takes it (:func:`orgmap.loop_in.new_hops`)."""
    from orgmap.loop_in import new_hops
    from orgmap.present import plural

    if result.target_kind == "person":
        head = _who(org, result.target)
    else:
        size = plural(len(result.members), "person")
        head = f"{result.target_kind} {org.label(result.target)} ({size})"
    lines = [f"Loop in {head} for {_who(org, result.person)}"]
    lines += [f"note: {n}" for n in result.notes]
    if result.paths:
        lines.append("Introduction paths (fewest introductions, then the strongest links):")
        for route, fresh in new_hops(result.paths):
            lines.append(f"  {_who(org, route.to)}, {_steps(org, route)}")
            lines += [f"    {hop.reason}" for hop in fresh]
    if result.advocates:
        lines.append("Advocates (who its people look to most):")
        for a in result.advocates:
            lines.append(f"  {_who(org, a.node)}: {a.why}")
            lines.append(f"    {_steps(org, a.route)}")
    if result.missing_teams or result.stakeholders:
        lines.append("Who is missing:")
        for m in result.missing_teams:
            lines.append(f"  team {org.label(m.team)}: {m.why}")
        for s in result.stakeholders:
            lines.append(f"  {_who(org, s.node)}: {s.why}")
            lines.append(f"    {_steps(org, s.route)}")
    return lines


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.loop_in import TargetError, as_json, loop_in, resolve_target

    relations = parse_relations(args.relations)
    if args.top < 1:
        raise CliError("--top must be 1 or more", ExitStatus.UNREADABLE)
    check_anonymize_args(args, env)
    org = load_org(args, env)
    report_unreadable(org, env)
    if not org.people():
        raise CliError("no people could be read", ExitStatus.UNREADABLE)
    person = resolve(org, args.person)
    try:
        target = resolve_target(org, args.to)
    except TargetError as exc:
        raise CliError(f"--to: {exc}") from exc
    summary = None
    if args.anonymize:
        # the question is asked in real names; the answer is given in pseudonyms
        warn_without_salt(args, env)
        anon = anonymized(org, None, args)
        org, summary = anon.org, anon.summary
        person, target = anon.mapping[person], anon.mapping[target]
    result = loop_in(org, person, target, relations=relations, top=args.top)
    if args.json:
        try:
            write_json(as_json(org, result), args.json, env)
        except OSError as exc:
            raise CliError(
                f"cannot write {args.json}: {exc.strerror or exc}", ExitStatus.UNREADABLE
            ) from exc
    if args.json != "-":
        from orgmap.safety import clean_text

        env.stdout.write(clean_text("\n".join(text_lines(org, result))) + "\n")
    if summary is not None:
        print_summary(summary, env.stderr if args.json == "-" else env.stdout)
    return ExitStatus.OK
