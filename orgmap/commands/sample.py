"""``orgmap sample -o demo.xlsx [--people N] [--seed S] [--dirty] [--csv]``: a synthetic org;
``orgmap sample --list``: the samples bundled with orgmap; ``orgmap sample --name NAME -o
PATH``: a copy of one (the Krackhardt folder, or a workbook)."""

from __future__ import annotations

import argparse
from pathlib import Path

from orgmap.cli import CliError, Env, ExitStatus

HELP = (
    "write a realistic synthetic org (People, Projects, Mentorship) to try orgmap on, "
    "or copy out a bundled sample (--list, --name)"
)

#: Beyond this a workbook takes minutes to write and most spreadsheet apps choke.
MAX_PEOPLE = 1_000_000


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="the workbook to write (.xlsx), or with --csv the folder to write CSV files into; "
        "with --name, where the copy goes",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the samples bundled with orgmap, and exit"
    )
    parser.add_argument(
        "--name",
        metavar="NAME",
        help="copy the bundled sample NAME (see --list) to -o instead of generating one",
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
    if args.list:
        return _list(env)
    if not args.output:
        raise CliError(
            "-o PATH is required (or --list to see the bundled samples)", ExitStatus.UNREADABLE
        )
    if args.name:
        if args.csv or args.dirty:
            raise CliError("--name copies a bundled sample as it is; drop --csv/--dirty", 2)
        return _copy_bundled(args.name, args.output, env)
    return _generate(args, env)


def _list(env: Env) -> int:
    from orgmap.assets import SAMPLES

    width = max(len(name) for name in SAMPLES)
    for sample in SAMPLES.values():
        kind = "folder" if sample.path.is_dir() else "workbook"
        env.stdout.write(f"{sample.name:<{width}}  {sample.description} ({kind})\n")
    env.stdout.write(
        "copy one with `orgmap sample --name NAME -o PATH`, open one with "
        "`orgmap gui --sample NAME`\n"
    )
    return ExitStatus.OK


def _copy_bundled(name: str, output: str, env: Env) -> int:
    """A bundled sample copied out, to read with every command (and to edit freely)."""
    import shutil

    from orgmap.assets import UnknownSample, get_sample

    try:
        sample = get_sample(name)
    except UnknownSample as exc:
        raise CliError(str(exc), ExitStatus.UNREADABLE) from None
    source = sample.path
    if not source.exists():  # a broken install: say so rather than "cannot write"
        raise CliError(f"the bundled sample {name!r} is missing ({source}); reinstall orgmap")
    target = Path(output)
    if not target.is_absolute():
        target = env.cwd / target
    if source.is_dir():
        if target.exists() and not target.is_dir():
            raise CliError(f"{output} is a file; {name} is a folder of tables", 2)
        clashes = sorted(p.name for p in source.iterdir() if (target / p.name).exists())
        if clashes:
            raise CliError(f"{output} already has {', '.join(clashes)}; choose another folder", 2)
        files = sorted(p for p in source.iterdir() if p.is_file())
        where = f"{output.rstrip('/')}/"
    else:
        if target.is_dir():
            target = target / source.name
        elif target.suffix.lower() != source.suffix.lower():
            raise CliError(f"{output}: {name} is a workbook; end the name in {source.suffix}", 2)
        if not target.parent.is_dir():
            raise CliError(f"{target.parent}: no such folder", ExitStatus.UNREADABLE)
        files = [source]
        where = str(target)
    try:
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            for f in files:
                shutil.copyfile(f, target / f.name)
        else:
            shutil.copyfile(source, target)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from exc
    listing = f": {', '.join(f.name for f in files)}" if source.is_dir() else ""
    env.stdout.write(f"copied the bundled sample {name!r} to {where}{listing}\n")
    return ExitStatus.OK


def _generate(args: argparse.Namespace, env: Env) -> int:
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
