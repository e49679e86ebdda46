"""``orgmap profile``: one person's impact profile, on the terminal and as an HTML page."""

from __future__ import annotations

import argparse
from pathlib import Path

from orgmap.cli import CliError, Env, ExitStatus, add_input_args, load_org
from orgmap.commands._anon import (
    add_anonymize_args,
    anonymized,
    check_anonymize_args,
    print_summary,
    warn_without_salt,
)
from orgmap.commands.analyze import parse_relations, report_unreadable
from orgmap.model import RELATIONS, Org, UnknownPerson

HELP = "one person's impact profile: scope, org-spanning work, multiplied impact, brokerage"


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_args(parser)
    parser.add_argument(
        "--person", required=True, metavar="REF", help="the person: employee id, email or name"
    )
    parser.add_argument("-o", "--output", metavar="PROFILE.html", help="also write an HTML page")
    parser.add_argument(
        "--relations",
        default=",".join(RELATIONS),
        metavar="LIST",
        help="relations the influence and collaboration graphs use (default: all)",
    )
    add_anonymize_args(parser)


def resolve(org: Org, ref: str) -> str:
    """The one person ``ref`` names, or a :class:`CliError` listing the closest matches."""
    try:
        return org.resolve_person(ref, "--person")
    except UnknownPerson as exc:
        raise CliError(str(exc)) from None


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.metrics import compute_all
    from orgmap.profile import NOT_READ, impact_profile, profile_html, profile_text
    from orgmap.safety import atomic_write_text

    relations = parse_relations(args.relations)
    check_anonymize_args(args, env)
    org = load_org(args, env)
    report_unreadable(org, env)
    if org.unreadable and not org.people():
        raise CliError("no people could be read", ExitStatus.UNREADABLE)
    node = resolve(org, args.person)
    metrics = compute_all(
        org, relations=relations, progress=env.progress("analyzing"), skip=NOT_READ
    )
    summary = None
    if args.anonymize:
        warn_without_salt(args, env)
        anon = anonymized(org, metrics, args)
        org, metrics, summary, node = anon.org, anon.metrics, anon.summary, anon.mapping[node]
    profile = impact_profile(org, metrics, node)
    env.stdout.write(profile_text(profile))
    if args.output:
        path = Path(args.output)
        path = path if path.is_absolute() else env.cwd / path
        try:
            atomic_write_text(path, profile_html(profile))
        except OSError as exc:
            raise CliError(
                f"cannot write {args.output}: {exc.strerror or exc}", ExitStatus.UNREADABLE
            ) from exc
        env.stdout.write(f"profile: {args.output}\n")
    if summary is not None:
        print_summary(summary, env.stdout)
    return ExitStatus.OK
