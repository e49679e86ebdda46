"""How long every metric takes on generated orgs, beside the naive networkx way.

For each size (``--sizes``, default 1k, 10k, 100k people) a fresh process builds the
org with ``orgmap.sample.sample_org`` (not timed), then times the derived views and
every metric of ``orgmap.metrics.compute_all`` one by one, ``--repeat`` times (the
caches are dropped before each run), and prints the median seconds per metric, the
path that ran, the total and the process's peak memory.

Then, in another process and within ``--naive-budget`` seconds (default 600), the
same heavy metrics the naive way, with networkx defaults on networkx graphs:
``nx.pagerank`` (influence), exact ``nx.betweenness_centrality`` (brokerage),
``nx.constraint`` and ``nx.effective_size`` (weighted), reach within two steps by a
BFS per person. Whatever has not finished when the budget runs out is reported as
"did not finish".

Targets (issue 3): all metrics for 10k people <= 3 s, 100k <= 20 s and <= 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

from benchmarks._common import (  # noqa: E402
    CHILD_FLAG,
    REPO,
    add_common_args,
    child_main,
    fmt_seconds,
    machine_load,
    note,
    peak_mb,
    print_table,
    run_child,
)

SCRIPT = Path(__file__).resolve()
SEED = 1

#: Which implementation each step runs (printed beside its time).
PATHS = {
    "views": "numpy/scipy sparse from the graph's edges",
    "influence": "scipy sparse Katz (power iteration)",
    "brokerage": "igraph C Brandes",
    "constraint": "scipy sparse masked products",
    "effective_size": "scipy sparse masked products",
    "reach_2": "scipy sparse A@A in row blocks",
    "teams_reached": "scipy sparse",
    "departments_reached": "scipy sparse",
    "key_person_risk": "numpy edge counts",
    "brokerage_roles": "numpy two-path enumeration",
}


def fast(payload: dict[str, Any]) -> dict[str, Any]:
    from orgmap.metrics import compute_all
    from orgmap.metrics.compute import metric_steps, summary
    from orgmap.sample import sample_org
    from orgmap.views import (
        collaboration_matrix,
        influence_matrix,
        normalize_relations,
        people_index,
    )

    org = sample_org(payload["people"], seed=payload["seed"])
    base = peak_mb()
    chosen = normalize_relations(None)
    runs: list[dict[str, float]] = []
    cpu_runs: list[dict[str, float]] = []
    info: dict[str, Any] = {}

    def views() -> None:
        people_index(org)
        collaboration_matrix(org, chosen)
        influence_matrix(org, chosen)

    for _ in range(payload["repeat"]):
        org.changed()
        times: dict[str, float] = {}
        cpu: dict[str, float] = {}
        steps = [("views", views)] + [(name, fn) for _s, (name, fn) in metric_steps(org, chosen)]
        steps.append(("summary", lambda: summary(org, chosen)))
        for name, fn in steps:
            t, c = time.perf_counter(), time.process_time()
            fn()
            times[name] = time.perf_counter() - t
            cpu[name] = time.process_time() - c
        runs.append(times)
        cpu_runs.append(cpu)
    org.changed()
    t = time.perf_counter()
    result = compute_all(org)
    end_to_end = time.perf_counter() - t
    info = result["summary"]["betweenness"]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    cpu_med = {k: statistics.median(r[k] for r in cpu_runs) for k in cpu_runs[0]}
    return {
        "steps": med,
        "cpu": cpu_med,
        "cpu_total_s": sum(cpu_med.values()),
        "total_s": sum(med.values()),
        "compute_all_s": end_to_end,
        "betweenness": info,
        "edges": int(collaboration_matrix(org, chosen).nnz // 2),
        "base_mb": base,
    }


def naive(payload: dict[str, Any]) -> None:
    """Print one JSON line per finished step, so the parent keeps what finished."""
    import networkx as nx

    from orgmap.sample import sample_org
    from orgmap.views import collaboration_graph, influence_graph

    org = sample_org(payload["people"], seed=payload["seed"])

    def report(name: str, seconds: float | None, note_: str = "") -> None:
        print(json.dumps({"metric": name, "s": seconds, "note": note_}), flush=True)

    t = time.perf_counter()
    ginf = influence_graph(org)
    gcol = collaboration_graph(org)
    report("graphs (networkx)", time.perf_counter() - t)
    n = gcol.number_of_nodes()
    steps = [
        ("influence: nx.pagerank", lambda: nx.pagerank(ginf)),
        (
            "reach_2: BFS per person",
            lambda: [len(nx.single_source_shortest_path_length(gcol, v, cutoff=2)) for v in gcol],
        ),
        ("constraint: nx.constraint", lambda: nx.constraint(gcol, weight="weight")),
        ("effective_size: nx.effective_size", lambda: nx.effective_size(gcol, weight="weight")),
        ("brokerage: nx.betweenness_centrality (exact)", lambda: nx.betweenness_centrality(gcol)),
    ]
    for name, fn in steps:
        if name.startswith("effective_size") and n * n * 8 > 2e9:
            # networkx 3.6's default path builds dense n x n matrices
            report(name, None, f"not run: networkx allocates a dense {n}x{n} matrix")
            continue
        t = time.perf_counter()
        fn()
        report(name, time.perf_counter() - t)


def run_naive(people: int, budget: float) -> list[dict[str, Any]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    payload = {"mode": "naive", "people": people, "seed": SEED}
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), CHILD_FLAG, json.dumps(payload)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    done: list[dict[str, Any]] = []

    def read() -> None:
        # a thread, not select(): lines buffered in the pipe's reader would be missed
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("{"):
                done.append(json.loads(line))

    import threading

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=budget)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    reader.join(timeout=5)
    return list(done)


NAIVE_STEPS = [
    "graphs (networkx)",
    "influence: nx.pagerank",
    "reach_2: BFS per person",
    "constraint: nx.constraint",
    "effective_size: nx.effective_size",
    "brokerage: nx.betweenness_centrality (exact)",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument(
        "--naive-budget",
        type=float,
        default=600.0,
        help="seconds the naive networkx run may take per size (default 600; 0 skips it)",
    )
    args = parser.parse_args()
    print(f"# metrics benchmark ({machine_load()}), seed {SEED}\n")
    for people in args.sizes:
        note(f"{people} people: fast path ...")
        result = run_child(
            SCRIPT, {"mode": "fast", "people": people, "seed": SEED, "repeat": args.repeat}, 3600
        )
        bc = result["betweenness"]
        bc_text = "exact" if bc["method"] == "exact" else f"sampled, k={bc['samples']}"
        rows = []
        cpu = result.get("cpu", {})
        for name, seconds in result["steps"].items():
            path = PATHS.get(name, "")
            if name == "brokerage":
                path = f"{path} ({bc_text})"
            rows.append([name, fmt_seconds(seconds), fmt_seconds(cpu.get(name)), path])
        rows.append(
            [
                "**total (sum of medians)**",
                fmt_seconds(result["total_s"]),
                fmt_seconds(result.get("cpu_total_s")),
                "",
            ]
        )
        rows.append(["compute_all end to end", fmt_seconds(result["compute_all_s"]), "", ""])
        rows.append(
            [
                "peak memory (process, MB)",
                f"{result['peak_mb']:.0f}",
                "",
                f"org built: {result['base_mb']:.0f} MB",
            ]
        )
        print(
            f"## {people} people, {result['edges']} collaboration edges, median of {args.repeat}\n"
        )
        print_table(["metric", "seconds", "CPU s", "path"], rows)
        print()
        if args.naive_budget <= 0:
            continue
        note(f"{people} people: naive networkx (budget {args.naive_budget:.0f} s) ...")
        start = time.monotonic()
        done = run_naive(people, args.naive_budget)
        elapsed = time.monotonic() - start
        by_name = {d["metric"]: d for d in done}
        rows = []
        total = 0.0
        finished = True
        for name in NAIVE_STEPS:
            d = by_name.get(name)
            if d is None:
                rows.append([name, f"did not finish (budget {args.naive_budget:.0f} s)"])
                finished = False
            elif d["s"] is None:
                rows.append([name, d["note"]])
                finished = False
            else:
                total += d["s"]
                rows.append([name, fmt_seconds(d["s"])])
        rows.append(
            [
                "**naive total**",
                fmt_seconds(total)
                if finished
                else f"> {fmt_seconds(total)} (incomplete after {elapsed:.0f} s)",
            ]
        )
        fast_heavy = sum(
            result["steps"].get(k, 0.0)
            for k in ("views", "influence", "reach_2", "constraint", "effective_size", "brokerage")
        )
        rows.append(["same metrics, fast path", fmt_seconds(fast_heavy)])
        print(f"### naive networkx, {people} people (one run)\n")
        print_table(["step", "seconds"], rows)
        print()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == CHILD_FLAG:
        payload = json.loads(sys.argv[2])
        if payload["mode"] == "naive":
            naive(payload)
        else:
            child_main(fast)
    else:
        main()
