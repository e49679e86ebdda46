"""One table: import, metrics, report and export at each size, beside the naive way.

    python benchmarks/table_bench.py [--sizes 1k,10k,100k] [--repeat 3] [--naive-budget 240]
    make bench                      # the same; `make bench ARGS="--sizes 1m"` for 1M

For each size the synthetic org (``orgmap.sample.generate``, seed 0) is written once as
a workbook and as a folder of CSV files (not timed). Then, each in a fresh process:

- **orgmap**: read + validate + build from the xlsx and from the CSVs
  (``read_path`` + ``build_org``), ``compute_all``, ``write_report`` (xlsx) and
  ``export_graph`` to GraphML and GEXF (the GEXF with the map's positions, so its
  layout is timed with it), one after the other in one process;
- **naive** (what a notebook would do, in the same run): ``pandas.read_excel`` /
  ``pandas.read_csv`` and a plain networkx build with no validation;
  ``nx.pagerank`` and exact ``nx.betweenness_centrality`` (the metrics users ask for
  first); ``DataFrame.to_excel`` of the people table; ``nx.write_graphml`` and
  ``nx.write_gexf`` of the flattened graph. The naive process gets ``--naive-budget``
  seconds per size; what has not finished by then is shown as "> budget".

Times are medians of ``--repeat`` runs for sizes up to 10k and one run above (the
machine is shared); ``peak MB`` is the process's peak resident memory after the step
(steps run in order, so it includes what earlier steps left); ``cpu s`` is the CPU
time of the step, steadier than wall time on a shared machine. The machine's load
(``os.getloadavg``) is printed before and after: on a busy 2-core machine wall times
stretch, and the ratio to the naive way, measured in the same run, is the steadier
number.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (  # noqa: E402
    CHILD_FLAG,
    REPO,
    add_common_args,
    fmt_seconds,
    machine_load,
    note,
    peak_mb,
    print_table,
)

SCRIPT = Path(__file__).resolve()

#: step -> (label, naive label)
STEPS = {
    "import_xlsx": ("import xlsx -> validated graph", "pandas.read_excel + networkx"),
    "import_csv": ("import csv -> validated graph", "pandas.read_csv + networkx"),
    "metrics": (
        "all metrics (compute_all)",
        "nx.pagerank + exact nx.betweenness_centrality",
    ),
    "report": ("xlsx report (write_report)", "DataFrame.to_excel (people table)"),
    "graphml": ("GraphML export", "nx.write_graphml"),
    "gexf": ("GEXF export (with layout)", "nx.write_gexf (no layout)"),
}


_CPU = [time.process_time()]


def _emit(step: str, seconds: float, **extra: Any) -> None:
    """One finished step; ``cpu_s`` is the process's CPU time since the last step (on a
    busy machine wall time waits for other processes, CPU time does not)."""
    now = time.process_time()
    cpu, _CPU[0] = now - _CPU[0], now
    rec = {"step": step, "s": seconds, "cpu_s": cpu, "peak_mb": peak_mb(), **extra}
    print(json.dumps(rec), flush=True)


def _orgmap(payload: dict[str, Any]) -> None:
    from orgmap.builder import build_org
    from orgmap.export import export_graph
    from orgmap.metrics import compute_all
    from orgmap.readers import expand_paths, read_path
    from orgmap.report import write_report

    out = Path(payload["out"])
    org = None
    for step, key in (("import_xlsx", "xlsx"), ("import_csv", "csv")):
        # each import as a user's: the org read before it is let go first (with it
        # alive, the csv import ran 15% slower for want of cache, not for its own work)
        org = None
        _CPU[0] = time.process_time()
        t = time.perf_counter()
        tables = [tb for p in expand_paths([payload[key]]) for tb in read_path(p)]
        org = build_org(tables)
        _emit(step, time.perf_counter() - t, people=len(org.people()), issues=len(org.issues))
        del tables
    assert org is not None
    t = time.perf_counter()
    metrics = compute_all(org)
    bc = metrics["summary"]["betweenness"]
    _emit("metrics", time.perf_counter() - t, brokerage=bc.get("estimator", bc["method"]))
    t = time.perf_counter()
    write_report(org, metrics, out / "report.xlsx")
    _emit("report", time.perf_counter() - t)
    for step in ("graphml", "gexf"):
        t = time.perf_counter()
        export_graph(org, out / f"org.{step}", metrics)
        _emit(step, time.perf_counter() - t)


def _naive(payload: dict[str, Any]) -> None:
    import networkx as nx
    import pandas as pd

    from benchmarks.import_bench import _naive as naive_import
    from orgmap.builder import build_org
    from orgmap.export import flat_graph
    from orgmap.readers import expand_paths, read_path
    from orgmap.views import collaboration_graph, influence_graph

    out = Path(payload["out"])
    # the naive writers and metrics work on the same org (built by orgmap, not timed);
    # writers first, imports next, the metrics (exact betweenness) last: at 100k people
    # they do not finish in any budget
    org = build_org([tb for p in expand_paths([payload["xlsx"]]) for tb in read_path(p)])
    people = org.people()
    frame = pd.DataFrame([dict(org.graph.nodes[p]) for p in people])
    flat = flat_graph(org)
    for step, write in (
        ("report", lambda: frame.to_excel(out / "naive.xlsx", index=False)),
        ("graphml", lambda: nx.write_graphml(flat, out / "naive.graphml")),
        ("gexf", lambda: nx.write_gexf(flat, out / "naive.gexf")),
    ):
        _CPU[0] = time.process_time()
        t = time.perf_counter()
        write()
        _emit(step, time.perf_counter() - t)
    for step, key in (("import_xlsx", "xlsx"), ("import_csv", "csv")):
        _CPU[0] = time.process_time()
        res = naive_import({"path": payload[key]})
        _emit(step, res["total_s"])
    _CPU[0] = time.process_time()
    t = time.perf_counter()
    nx.pagerank(influence_graph(org))
    nx.betweenness_centrality(collaboration_graph(org))
    _emit("metrics", time.perf_counter() - t)


def _stream(payload: dict[str, Any], budget: float) -> dict[str, dict[str, Any]]:
    """Run a child, keep each step it finishes within ``budget`` seconds."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), CHILD_FLAG, json.dumps(payload)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    done: dict[str, dict[str, Any]] = {}

    def read() -> None:
        # a thread, not select(): lines buffered in the pipe's reader would be missed
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("{"):
                rec = json.loads(line)
                done[rec["step"]] = rec

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=budget)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    reader.join(timeout=5)
    if proc.returncode not in (0, -9) and payload["method"] == "orgmap":
        raise RuntimeError(f"benchmark child failed: {proc.stderr.read()[-2000:]}")  # type: ignore[union-attr]
    return done


def _write_inputs(size: int, folder: Path) -> dict[str, str]:
    from orgmap.sample import generate, write_csv_folder, write_xlsx

    sheets = generate(size, seed=0)
    xlsx, csv_dir = folder / f"org-{size}.xlsx", folder / f"org-{size}-csv"
    write_xlsx(sheets, xlsx)
    write_csv_folder(sheets, csv_dir)
    return {"xlsx": str(xlsx), "csv": str(csv_dir)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument(
        "--naive-budget",
        type=float,
        default=240.0,
        help="seconds the naive process gets per size (default 240; 0 skips it)",
    )
    args = parser.parse_args()
    start_load = machine_load()
    note(f"table_bench: Python {platform.python_version()}, {platform.machine()}, {start_load}")
    folder = Path(tempfile.mkdtemp(prefix="orgmap-table-"))
    rows, problems = [], []
    try:
        for size in args.sizes:
            note(f"  {size:,} people: writing inputs ...")
            payload: dict[str, Any] = {**_write_inputs(size, folder), "out": str(folder)}
            repeat = args.repeat if size <= 10_000 else 1
            runs = []
            for _ in range(repeat):
                runs.append(_stream({**payload, "method": "orgmap"}, 3600))
            note(f"  {size:,}: orgmap done ({machine_load()}); naive ...")
            naive = (
                _stream({**payload, "method": "naive"}, args.naive_budget)
                if args.naive_budget > 0
                else {}
            )
            for step, (label, naive_label) in STEPS.items():
                secs = statistics.median(r[step]["s"] for r in runs)
                cpu = statistics.median(r[step]["cpu_s"] for r in runs)
                peak = max(r[step]["peak_mb"] for r in runs)
                got = runs[-1][step]
                if step.startswith("import") and (got["people"] != size or got["issues"]):
                    problems.append(f"{size} {step}: {got['people']} people, {got['issues']}")
                if step == "metrics":
                    label = f"{label}, brokerage {got['brokerage']}"
                n = naive.get(step)
                naive_s = (
                    f"{fmt_seconds(n['s'])} (cpu {fmt_seconds(n['cpu_s'])})"
                    if n
                    else f"> {args.naive_budget:.0f} (unfinished)"
                )
                ratio = f"{n['cpu_s'] / cpu:.1f}x" if n and cpu > 0 else "-"
                rows.append(
                    [f"{size:,}", label, fmt_seconds(secs), fmt_seconds(cpu), f"{peak:.0f}",
                     naive_label, naive_s, ratio]
                )  # fmt: skip
            note(f"  {size:,}: done ({machine_load()})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\n## orgmap vs the naive way: Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; {start_load} at the start\n"
    )
    print_table(
        [
            "people",
            "step",
            "orgmap s",
            "cpu s",
            "peak MB",
            "naive way",
            "naive s",
            "naive/orgmap cpu",
        ],
        rows,
    )
    print(
        f"\nmedian of {args.repeat} runs up to 10k people, one run above; each size in "
        f"fresh processes; finished at {machine_load()}."
    )
    for p in problems:
        print(f"PROBLEM: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == CHILD_FLAG:
        data = json.loads(sys.argv[2])
        (_orgmap if data["method"] == "orgmap" else _naive)(data)
    else:
        raise SystemExit(main())
