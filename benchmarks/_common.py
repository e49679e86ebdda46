"""Helpers shared by the benchmarks: timing, peak memory in a fresh process, tables.

Each measurement runs in its own Python process, so the peak memory is that of the
work alone (plus the interpreter and its imports, reported separately as ``base``),
never inflated by an earlier run in the same process. The child reports its own
``ru_maxrss``; the parent repeats it and keeps the median time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHILD_FLAG = "--child"


def parse_sizes(text: str) -> list[int]:
    """``"1000,10k,0.1m"`` -> ``[1000, 10000, 100000]``."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        scale = 1
        if part[-1] in "km":
            scale = 1000 if part[-1] == "k" else 1_000_000
            part = part[:-1]
        sizes.append(int(float(part) * scale))
    if not sizes:
        raise argparse.ArgumentTypeError("no sizes given")
    return sizes


def add_common_args(parser: argparse.ArgumentParser, sizes: str = "1000,10000,100000") -> None:
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes(sizes),
        help=f"comma-separated headcounts (default {sizes}; 10k and 1m work too)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    On Linux this reads ``VmHWM``: ``ru_maxrss`` survives ``exec``, so a child started
    by a big parent would report the parent's size as its own peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cpu_timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call: CPU time says less about a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def machine_load() -> str:
    """``load 1.23 on 2 CPUs``: timings on a busy machine read differently."""
    try:
        return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    except OSError:
        return f"{os.cpu_count()} CPUs"


def median_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t, result = timed(fn)
        times.append(t)
    return statistics.median(times), result


def run_child(script: Path, payload: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
    """Run ``script --child JSON`` in a fresh interpreter; return the dict it prints last.

    The child is expected to call :func:`child_main`.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, str(script), CHILD_FLAG, json.dumps(payload)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"benchmark child failed ({proc.returncode}): {payload}\n{proc.stderr[-2000:]}"
        )
    return json.loads(lines[-1])


def median_in_children(
    script: Path, payload: dict[str, Any], repeat: int = 3, timeout: float = 900
) -> dict[str, Any]:
    """Run the child ``repeat`` times: the median of every timing, the max peak memory."""
    runs = [run_child(script, payload, timeout) for _ in range(repeat)]
    out: dict[str, Any] = dict(runs[-1])
    for key, value in runs[-1].items():
        if isinstance(value, float) and key.endswith("_s"):
            out[key] = statistics.median(r[key] for r in runs)
    out["peak_mb"] = max(r["peak_mb"] for r in runs)
    out["base_mb"] = min(r["base_mb"] for r in runs)
    return out


def child_main(work: Callable[[dict[str, Any]], dict[str, Any]]) -> bool:
    """In a benchmark script's ``__main__``: if run as a child, do the work and print.

    ``work(payload)`` returns its timings (keys ending ``_s``) and any facts to check;
    this adds ``peak_mb`` (the whole process) and ``base_mb`` (before the work, after
    the imports ``work`` does at module level). Returns False when not a child.
    """
    if len(sys.argv) < 3 or sys.argv[1] != CHILD_FLAG:
        return False
    payload = json.loads(sys.argv[2])
    base = peak_mb()
    result = work(payload)
    result["peak_mb"] = peak_mb()
    result.setdefault("base_mb", base)
    print(json.dumps(result))
    return True


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s:.3f}" if s < 10 else f"{s:.1f}"


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], out=None) -> str:
    """A Markdown table (aligned, so it reads in a terminal too); returns the text."""
    rows = [[str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    text = "\n".join(
        [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(r) for r in rows]
    )
    print(text, file=out or sys.stdout, flush=True)
    return text


def note(message: str) -> None:
    """Progress for the person waiting, on stderr so the table stays clean on stdout."""
    print(message, file=sys.stderr, flush=True)
