"""``orgmap sample -o demo.xlsx [--people N] [--seed S] [--dirty] [--csv]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from orgmap.cli import CliError, Env, ExitStatus

HELP = "write a realistic synthetic org (People, Projects, Mentorship) to try orgmap on"

#: Beyond this a workbook takes minutes to write and most spreadsheet apps choke.
MAX_PEOPLE = 1_000_000


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="the workbook to write (.xlsx), or with --csv the folder to write CSV files into",
    )
    parser.add_argument("--people", type=int, default=300, metavar="N", help="headcount (300)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="same seed, same org (0)")
    parser.add_argument(
        "--dirty",
        action="store_true",
        help="add the faults real exports carry (duplicate ids, a reporting cycle, ...)",
    )
    parser.add_argument(
        "--csv",
        action="store_true",
        help="write People.csv, Projects.csv and Mentorship.csv into the folder -o names",
    )


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.sample import MIN_DIRTY_PEOPLE, count_rows, generate, write_csv_folder, write_xlsx

    if not 1 <= args.people <= MAX_PEOPLE:
        raise CliError(f"--people must be between 1 and {MAX_PEOPLE:,}", ExitStatus.UNREADABLE)
    if args.dirty and args.people < MIN_DIRTY_PEOPLE:
        raise CliError(f"--dirty needs --people {MIN_DIRTY_PEOPLE} or more", ExitStatus.UNREADABLE)
    target = Path(args.output)
    if not target.is_absolute():
        target = env.cwd / target
    if args.csv:
        if target.suffix.lower() in (".xlsx", ".xlsm", ".csv") or target.is_file():
            raise CliError(
                f"--csv writes a folder of CSV files; {args.output} looks like a file",
                ExitStatus.UNREADABLE,
            )
    elif target.suffix.lower() != ".xlsx":
        raise CliError(
            f"{args.output}: the output must end in .xlsx (or use --csv with a folder)",
            ExitStatus.UNREADABLE,
        )
    elif target.is_dir():
        raise CliError(f"{args.output} is a folder, not a workbook", ExitStatus.UNREADABLE)
    if not args.csv and not target.parent.is_dir():
        raise CliError(f"{target.parent}: no such folder", ExitStatus.UNREADABLE)

    sheets = generate(args.people, args.seed, args.dirty, progress=env.progress("generating"))
    try:
        if args.csv:
            write_csv_folder(sheets, target)
        else:
            write_xlsx(sheets, target, progress=env.progress("writing"))
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    counts = count_rows(sheets)
    projects = len({r[0] for r in sheets["Projects"][1:] if r})
    where = f"CSV files to {args.output}" if args.csv else args.output
    faults = (
        "\nwith the faults real exports carry (title rows, a duplicate id, a reporting cycle,"
        " unknown references, an external member, ...): `orgmap validate` lists them by row"
        if args.dirty
        else ""
    )
    env.stdout.write(
        f"wrote {where}: {counts['People']:,} people rows, {projects:,} projects "
        f"({counts['Projects']:,} memberships), {counts['Mentorship']:,} mentorships{faults}\n"
    )
    return ExitStatus.OK
