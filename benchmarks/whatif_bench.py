"""What-if and diff speed at 1k, 10k and 100k people (issue 13), beside reloading.

For each size a fresh process generates the sample org (``orgmap.sample.generate``,
not timed) and writes it as a CSV folder (OLD), then a second folder (NEW) where 1% of
the people left, 1% moved to another manager and 1% changed level. It times:

- ``edit shown``: one What-if edit (remove a manager: the heaviest edit, reports move
  up) applied to the scenario copy, the metrics the app shows first
  (:data:`orgmap.scenario.FAST_METRICS`: reach, key-person risk, team ties, E-I,
  silos, the org chart) recomputed, and the diff against the original (the canvas
  marks and the Change column) -- what the app does before it shows the edit;
- ``rest``: the second pass (influence, brokerage, structural holes, roles, the named
  risk detail), shown when it lands;
- ``undo``: taking the edit back;
- ``diff``: ``orgmap diff OLD NEW`` end to end (read both folders, build, the
  metrics a diff reports, the diff, the terminal summary);
- ``reload``: what a what-if would cost without a scenario: reading the files again
  and recomputing every metric (``load`` + ``compute_all``).

Targets (issue 13): an edit shown within 0.5 s at 10k and 5 s at 100k; diff of two
100k snapshots in 15 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (  # noqa: E402
    add_common_args,
    child_main,
    fmt_seconds,
    machine_load,
    median_in_children,
    note,
    print_table,
)

SCRIPT = Path(__file__).resolve()
SEED = 1


def _changed(sheets: dict[str, list[list]], rng: random.Random) -> dict[str, list[list]]:
    """NEW: 1% left, 1% moved under another manager, 1% changed level."""
    people = sheets["People"]
    header, rows = people[0], [list(r) for r in people[1:]]
    mgr, level = header.index(next(h for h in header if "Manager" in h)), header.index("Level")
    k = max(1, len(rows) // 100)
    managers = sorted({r[mgr] for r in rows if r[mgr] is not None})
    leaves = [r for r in rows if r[0] not in set(managers)]
    gone = {r[0] for r in rng.sample(leaves, k)}
    rows = [r for r in rows if r[0] not in gone]
    for r in rng.sample(rows[1:], k):
        r[mgr] = rng.choice(managers)
    for r in rng.sample(rows, k):
        r[level] = "L9"
    out = dict(sheets)
    out["People"] = [header, *rows]
    return out


def work(payload: dict[str, Any]) -> dict[str, Any]:
    from orgmap.cli import Env, main
    from orgmap.loader import load
    from orgmap.metrics import compute_all
    from orgmap.model import REPORTS_TO
    from orgmap.sample import generate, write_csv_folder
    from orgmap.scenario import FAST_METRICS, RemovePerson, Scenario, recompute

    n = payload["people"]
    sheets = generate(n, SEED)
    tmp = Path(tempfile.mkdtemp(prefix="whatif-bench-"))
    write_csv_folder(sheets, tmp / "old")
    write_csv_folder(_changed(sheets, random.Random(SEED)), tmp / "new")
    out: dict[str, Any] = {}

    t = time.perf_counter()
    org = load([tmp / "old"])
    metrics = compute_all(org)
    out["reload_s"] = time.perf_counter() - t

    # a manager of about ten people, in the middle of the org
    g = org.graph
    reports = {m: 0 for m in org.people()}
    for _u, v, k in g.edges(keys=True):
        if k == REPORTS_TO:
            reports[v] += 1
    victim = min((m for m in reports if reports[m] >= 5), key=lambda m: abs(reports[m] - 10))
    scenario = Scenario(org)
    t = time.perf_counter()
    scenario.apply(RemovePerson(victim))
    fast = recompute(scenario.org, names=FAST_METRICS)
    fast["partial"] = True
    diff = scenario.diff(old_metrics=metrics, new_metrics=fast)
    out["edit_shown_s"] = time.perf_counter() - t
    t = time.perf_counter()
    recompute(scenario.org, names=None)
    out["rest_s"] = time.perf_counter() - t
    t = time.perf_counter()
    scenario.undo()
    out["undo_s"] = time.perf_counter() - t
    out["edit_moved"] = len(diff.moved)

    env = Env.capture(tmp)
    t = time.perf_counter()
    status = main(["diff", str(tmp / "old"), str(tmp / "new")], env)
    out["diff_s"] = time.perf_counter() - t
    out["diff_status"] = status
    out["summary"] = env.stdout.getvalue().splitlines()[1] if status == 0 else env.stderr.getvalue()
    return out


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    args = parser.parse_args(argv)
    rows = []
    for n in args.sizes:
        note(f"{n} people ({machine_load()}) ...")
        r = median_in_children(SCRIPT, {"people": n}, repeat=args.repeat, timeout=3600)
        rows.append(
            [
                f"{n:,}",
                fmt_seconds(r["edit_shown_s"]),
                fmt_seconds(r["rest_s"]),
                fmt_seconds(r["undo_s"]),
                fmt_seconds(r["diff_s"]),
                fmt_seconds(r["reload_s"]),
                f"{r['peak_mb']:.0f}",
                r["summary"],
            ]
        )
    print_table(
        [
            "people",
            "edit shown s",
            "rest of metrics s",
            "undo s",
            "orgmap diff s",
            "reload + all metrics s",
            "peak MB",
            "diff summary",
        ],
        rows,
    )
    print(machine_load())
    return 0


if __name__ == "__main__":
    if not child_main(work):
        raise SystemExit(main_())
