"""``--anonymize``, ``--salt`` and ``--min-group``: the same options, checks and summary
for every command whose output leaves the machine (html, export, analyze, profile)."""

from __future__ import annotations

import argparse
from typing import Any

from orgmap.cli import CliError, Env, ExitStatus


def add_anonymize_args(parser: argparse.ArgumentParser) -> None:
    from orgmap.anonymize import DEFAULT_MIN_GROUP

    parser.add_argument(
        "--anonymize",
        action="store_true",
        help="replace names, emails and ids with pseudonyms and generalise title, level, "
        "team, location and start date until no combination shown is rarer than --min-group",
    )
    parser.add_argument(
        "--salt",
        default="",
        metavar="S",
        help="secret for --anonymize: the same salt gives the same pseudonyms",
    )
    parser.add_argument(
        "--min-group",
        type=int,
        default=None,
        metavar="K",
        help=f"with --anonymize: every combination shown is shared by at least K people "
        f"(default {DEFAULT_MIN_GROUP})",
    )


def check_anonymize_args(args: argparse.Namespace, env: Env) -> None:
    """Refuse options that would do nothing, before any work is done."""
    from orgmap.anonymize import DEFAULT_MIN_GROUP

    if args.salt and not args.anonymize:
        raise CliError("--salt only makes sense with --anonymize", ExitStatus.UNREADABLE)
    if args.min_group is not None and not args.anonymize:
        raise CliError("--min-group only makes sense with --anonymize", ExitStatus.UNREADABLE)
    if args.min_group is None:
        args.min_group = DEFAULT_MIN_GROUP
    if args.min_group < 1:
        raise CliError("--min-group must be 1 or more", ExitStatus.UNREADABLE)


def warn_without_salt(args: argparse.Namespace, env: Env) -> None:
    if args.anonymize and not args.salt:
        env.stderr.write(
            "note: --anonymize without --salt: anyone who can guess ids can recompute the "
            "pseudonyms; pass a secret --salt for maps you share\n"
        )


def anonymized(org: Any, metrics: dict[str, Any] | None, args: argparse.Namespace) -> Any:
    """:func:`orgmap.anonymize.prepare` with the command line's salt and group size."""
    from orgmap.anonymize import prepare

    return prepare(org, metrics, args.salt, args.min_group)


def print_summary(summary: Any, out: Any) -> None:
    """What was generalised, in words (``summary``: orgmap.anonymize.Generalisation)."""
    out.write("\n".join(summary.lines()) + "\n")
