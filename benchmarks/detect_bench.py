"""Column detection: field-assignment accuracy over the vendor export corpus, and the time
to detect a 100k-row sheet (header scan plus content checks), beside the naive way.

The naive way is exact-name matching (a header equal to a known field name, as orgmap
did before detection by meaning); it is measured in the same run on the same files.

    python benchmarks/detect_bench.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from _common import machine_load

from orgmap.detect import detect
from orgmap.loader import load
from orgmap.model import fold
from orgmap.tables import Table

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "exports"
NAIVE = {
    "id": "id", "employeeid": "id", "name": "name", "fullname": "name", "email": "email",
    "manager": "manager", "managerid": "manager", "title": "title", "jobtitle": "title",
    "level": "level", "team": "team", "department": "department", "location": "location",
    "startdate": "start_date", "hiredate": "start_date", "project": "project",
    "member": "member", "mentor": "mentor", "mentee": "mentee", "from": "source",
    "to": "target", "weight": "weight", "type": "type", "status": "status",
}  # fmt: skip


def accuracy() -> list[tuple[str, int, int, int, int, int]]:
    rows = []
    for case in sorted(p.parent for p in CORPUS.glob("*/expected.json")):
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        org = load([case])
        right = naive_right = total = kinds_wrong = 0
        for table in expected["tables"]:
            sheet = next(
                (s for s in org.sheets if s.file == table["file"] and s.sheet == table["sheet"]),
                None,
            )
            want_kind = None if table["kind"] == "skipped" else table["kind"]
            if sheet is None or sheet.kind != want_kind:
                kinds_wrong += 1
            got = {c["header"]: c["field"] for c in (sheet.columns if sheet else [])}
            for header, want in table["fields"].items():
                total += 1
                right += got.get(header) == want or (header == "" and want is None)
                naive_right += NAIVE.get(fold(header)) == want
        rows.append((case.name, total, right, naive_right, kinds_wrong, len(expected["tables"])))
    return rows


def big_table(n: int) -> Table:
    rows: list[list[object]] = [
        ["Associate ID", "Legal First Name", "Legal Last Name", "Work Contact: Work Email",
         "Reports To Associate ID", "Home Department Description", "Position Status",
         "Hire Date", "Job Title Description"]
    ]  # fmt: skip
    for i in range(n):
        rows.append(
            [f"A{i:06d}", f"First{i}", f"Last{i}", f"p{i}@example.com",
             f"A{i // 8:06d}" if i else None, f"Dept {i % 40}", "Active", "2020-01-01",
             f"Engineer {i % 7}"]
        )  # fmt: skip
    return Table(file="big.csv", sheet="big", rows=rows)


def main() -> int:
    print(f"machine load: {machine_load()}")
    print("\nField assignment over the corpus (hand-written expected fields)")
    print(f"{'format':28} {'fields':>6} {'orgmap':>8} {'exact-name':>10} {'tables wrong':>12}")
    all_total = all_right = all_naive = all_wrong = all_tables = 0
    for name, total, right, naive, wrong, tables in accuracy():
        print(
            f"{name:28} {total:6} {right / total:8.0%} {naive / total:10.0%} {wrong:>5} of {tables}"
        )
        all_total += total
        all_right += right
        all_naive += naive
        all_wrong += wrong
        all_tables += tables
    print(
        f"{'all':28} {all_total:6} {all_right / all_total:8.0%} {all_naive / all_total:10.0%}"
        f" {all_wrong:>5} of {all_tables}"
    )
    print("\nDetecting one sheet (median of 5)")
    print(f"{'rows':>8} {'detect s':>9} {'exact-name s':>12}")
    for n in (1_000, 10_000, 100_000):
        table = big_table(n)
        times, naive = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            detect(table)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            {i: NAIVE.get(fold(h)) for i, h in enumerate(table.rows[0])}
            naive.append(time.perf_counter() - t0)
        print(f"{n:8} {statistics.median(times):9.4f} {statistics.median(naive):12.6f}")
    return 0 if all_right == all_total and all_wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
