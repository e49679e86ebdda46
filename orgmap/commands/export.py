"""``orgmap export FILES... -o out.graphml|out.gexf|out.json``."""

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

HELP = "write the whole graph with attributes and metrics for Gephi or Cytoscape"


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_args(parser)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="out.graphml (GraphML), out.gexf (GEXF 1.2, Gephi) or out.json (node-link)",
    )
    parser.add_argument(
        "--layout",
        choices=("network", "orgchart", "teams"),
        default="network",
        help="GEXF: where Gephi places the nodes (default network; the same layouts as "
        "the app and the HTML map)",
    )
    add_anonymize_args(parser)
    parser.add_argument(
        "--no-metrics", action="store_true", help="skip computing metrics (faster on huge orgs)"
    )


def run(args: argparse.Namespace, env: Env) -> int:
    from orgmap.commands.html import check_readable, write_status
    from orgmap.export import FORMATS, ExportError, export_graph

    out = Path(args.output)
    out = out if out.is_absolute() else env.cwd / out
    if out.suffix.lower() not in FORMATS:
        raise CliError(
            f"cannot export to {args.output!r}: the name must end in {', '.join(sorted(FORMATS))}",
            ExitStatus.UNREADABLE,
        )
    if not out.parent.is_dir():
        raise CliError(f"cannot write {args.output}: folder {out.parent} does not exist")
    check_anonymize_args(args, env)
    org = load_org(args, env)
    check_readable(org, env)
    warn_without_salt(args, env)
    metrics = None
    if not args.no_metrics:
        from orgmap.metrics import compute_all
        from orgmap.metrics.info import NAMED_METRICS

        # the sentences naming people are not node attributes (orgmap.export): not computed
        metrics = compute_all(org, progress=env.progress("metrics"), skip=NAMED_METRICS)
    summary = None
    if args.anonymize:
        anon = anonymized(org, metrics, args)
        org, metrics, summary = anon.org, anon.metrics, anon.summary
    try:
        export_graph(org, out, metrics, layout=args.layout)
    except ExportError as exc:
        raise CliError(str(exc), write_status(exc)) from exc
    if summary is not None:
        print_summary(summary, env.stdout)
    g = org.graph
    env.stdout.write(
        f"wrote {args.output} ({FORMATS[out.suffix.lower()]}): {g.number_of_nodes():,} nodes, "
        f"{g.number_of_edges():,} edges\n"
    )
    return ExitStatus.OK
