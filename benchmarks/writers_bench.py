"""Every writer alone, on one org and its metrics made once (CPU seconds per step).

    python benchmarks/writers_bench.py [--people 100000] [--out DIR]

The org is ``orgmap.sample.sample_org`` (seed 0) with ``compute_all`` run once (not
timed). Then, one after the other in this process: the flattening of the exports
(``_records``), the GraphML and GEXF writers (the GEXF with fixed positions, so the
layout is not timed), the node-link JSON export end to end, ``analyze --json``'s
``write_json`` and ``write_report`` sheet by sheet. CPU time (``time.process_time``)
is the steadier number on a shared machine; the load is printed before and after.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _step(label: str, fn: Callable[[], Any]) -> Any:
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    print(
        f"{label:28s} cpu {time.process_time() - cpu:7.2f} s   "
        f"wall {time.perf_counter() - wall:7.2f} s",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="folder for the files")
    args = parser.parse_args()

    from orgmap import export, report
    from orgmap.cli import Env, write_json
    from orgmap.commands.analyze import as_json
    from orgmap.metrics import compute_all
    from orgmap.sample import sample_org

    out = args.out or Path(tempfile.mkdtemp(prefix="orgmap-writers-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; files in {out}")
    org = sample_org(people=args.people, seed=0)
    metrics = compute_all(org)
    nodes, recs, edges = _step("flatten (_records)", lambda: export._records(org, metrics))
    export._for_xml(org, nodes, recs)

    def graphml() -> None:
        with open(out / "org.graphml", "w", encoding="utf-8") as fh:
            export.write_graphml(fh, nodes, recs, edges)

    def gexf() -> None:
        viz = [(float(i % 1000), float(i // 1000), "#1F77B4", 10.0) for i in range(len(nodes))]
        with open(out / "org.gexf", "w", encoding="utf-8") as fh:
            export.write_gexf(fh, nodes, recs, edges, viz)

    _step("GraphML writer", graphml)
    _step("GEXF writer (fixed layout)", gexf)
    _step("node-link JSON export", lambda: export.export_graph(org, out / "org.json", metrics))
    data = as_json(org, metrics)
    env = Env(stdout=io.StringIO(), cwd=out)
    _step("analyze --json (write_json)", lambda: write_json(data, "analyze.json", env))

    close = report._Sheet.close

    def timed_close(sheet: Any, *a: Any, **k: Any) -> None:
        cells = sheet.rows * len(sheet.header)
        _step(f"  report sheet {sheet.ws.title} ({cells:,} cells)", lambda: close(sheet, *a, **k))

    report._Sheet.close = timed_close  # type: ignore[method-assign]
    try:
        _step("report (write_report)", lambda: report.write_report(org, metrics, out / "r.xlsx"))
    finally:
        report._Sheet.close = close  # type: ignore[method-assign]
    print(f"load {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
