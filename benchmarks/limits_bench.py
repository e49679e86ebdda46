"""Extreme shapes, each read and analyzed in a fresh process: time and peak memory.

Shapes (issue 11): one manager with 100k direct reports; one project of 100k members;
the project and team metrics (and the collaboration graph they rest on) with one
project of 10k, 100k and 1M members; a 1,048,576-row workbook; a 1M-row CSV. Each
"analyze" row runs ``orgmap analyze FILES --json OUT`` as a user would (reading,
validation, every metric, the JSON); the project-metric rows time the project and
team metrics alone on an org already loaded (loading is not timed there).

Target: each ``analyze`` under 2 minutes and 4 GB; no quadratic arrays (the project
rows grow linearly from 10k to 1M members).

Generated inputs are cached in ``$TMPDIR/orgmap-limits-bench`` (a 1M-row workbook
takes a while to write), so a second run measures only the work.

    python benchmarks/limits_bench.py [--only star,project,members,workbook,csv]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (  # noqa: E402
    child_main,
    fmt_seconds,
    machine_load,
    note,
    print_table,
    run_child,
)

SCRIPT = Path(__file__).resolve()
CACHE = Path(tempfile.gettempdir()) / "orgmap-limits-bench"
WORKBOOK_ROWS = 1_048_575  # + the header: every row a worksheet has
CSV_ROWS = 1_000_000
SHAPES = ("star", "project", "members", "workbook", "csv")


# --- inputs ---------------------------------------------------------------------------------


def _people_csv(path: Path, n: int, manager_of) -> Path:
    if not path.exists():
        tmp = path.with_suffix(".part")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write("Employee ID,Full Name,Manager ID,Team,Work Email\n")
            for i in range(1, n + 1):
                mgr = manager_of(i)
                fh.write(f"{i},Person {i},{mgr or ''},Team {i % 500},p{i}@example.org\n")
        tmp.rename(path)
    return path


def star_inputs() -> list[Path]:
    """One manager (ID 1) with 100,000 direct reports."""
    return [_people_csv(CACHE / "star-100k.csv", 100_001, lambda i: 1 if i > 1 else None)]


def project_inputs(members: int) -> list[Path]:
    """``members`` people (a tree of fan-out 8) all on one project, led by ID 1."""
    people = _people_csv(CACHE / f"people-{members}.csv", members, lambda i: i // 8 or None)
    projects = CACHE / f"project-{members}.csv"
    if not projects.exists():
        tmp = projects.with_suffix(".part")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write("Project,Member,Role\n")
            for i in range(1, members + 1):
                fh.write(f"Atlas,{i},{'lead' if i == 1 else 'contributor'}\n")
        tmp.rename(projects)
    return [people, projects]


def workbook_inputs() -> list[Path]:
    """A workbook whose one sheet fills all 1,048,576 rows (written part by part)."""
    path = CACHE / "people-1048576-rows.xlsx"
    if path.exists():
        return [path]
    tmp = path.with_suffix(".part")
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}">'
            '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            last = WORKBOOK_ROWS + 1
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">'
                f'<dimension ref="A1:E{last}"/><sheetData>'.encode()
            )

            def text(ref: str, value: str) -> str:
                return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

            header = ["Employee ID", "Full Name", "Manager ID", "Team", "Work Email"]
            cells = "".join(text(f"{c}1", h) for c, h in zip("ABCDE", header, strict=True))
            sheet.write(f'<row r="1">{cells}</row>'.encode())
            buf: list[str] = []
            for i in range(1, WORKBOOK_ROWS + 1):
                r = i + 1
                mgr = f'<c r="C{r}"><v>{i // 8}</v></c>' if i // 8 else ""
                buf.append(
                    f'<row r="{r}"><c r="A{r}"><v>{i}</v></c>{text(f"B{r}", f"Person {i}")}'
                    f"{mgr}{text(f'D{r}', f'Team {i % 500}')}"
                    f"{text(f'E{r}', f'p{i}@example.org')}</row>"
                )
                if len(buf) == 10_000:
                    sheet.write("".join(buf).encode())
                    buf.clear()
            sheet.write(("".join(buf) + "</sheetData></worksheet>").encode())
    tmp.rename(path)
    return [path]


def csv_inputs() -> list[Path]:
    return [_people_csv(CACHE / "people-1m.csv", CSV_ROWS, lambda i: i // 8 or None)]


# --- the work (in a child) ----------------------------------------------------------------


def _analyze(payload: dict[str, Any]) -> dict[str, Any]:
    from orgmap.cli import main

    out = Path(payload["out"])
    start = time.perf_counter()
    rc = main(["analyze", *payload["files"], "--json", str(out)])
    elapsed = time.perf_counter() - start
    return {"total_s": elapsed, "exit": rc, "json_mb": round(out.stat().st_size / 1e6, 1)}


def _project_metrics(payload: dict[str, Any]) -> dict[str, Any]:
    from orgmap.loader import load
    from orgmap.metrics.compute import metric_steps
    from orgmap.views import collaboration_matrix, normalize_relations

    org = load(payload["files"])
    chosen = normalize_relations(None)
    start = time.perf_counter()
    nnz = collaboration_matrix(org, chosen).nnz
    for section, (_name, compute) in metric_steps(org, chosen):
        if section in ("projects", "teams"):
            compute()
    return {"total_s": time.perf_counter() - start, "exit": 0, "collab_nnz": nnz}


def _work(payload: dict[str, Any]) -> dict[str, Any]:
    return _analyze(payload) if payload["task"] == "analyze" else _project_metrics(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SHAPES), help=f"any of {','.join(SHAPES)}")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    CACHE.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[str, str, Any]] = []
    if "star" in only:
        plan.append(("one manager of 100k reports: analyze", "analyze", star_inputs))
    if "project" in only:
        plan.append(
            ("one project of 100k members: analyze", "analyze", lambda: project_inputs(100_000))
        )
    if "members" in only:
        for m in (10_000, 100_000, 1_000_000):
            plan.append(
                (
                    f"project + team metrics, one project of {m:,}",
                    "projects",
                    lambda m=m: project_inputs(m),
                )
            )
    if "workbook" in only:
        plan.append((f"{WORKBOOK_ROWS + 1:,}-row workbook: analyze", "analyze", workbook_inputs))
    if "csv" in only:
        plan.append((f"{CSV_ROWS:,}-row CSV: analyze", "analyze", csv_inputs))
    note(f"limits bench, {machine_load()}; inputs cached in {CACHE}")
    rows = []
    for label, task, inputs in plan:
        note(f"  preparing {label} ...")
        files = [str(p) for p in inputs()]
        size_mb = sum(Path(f).stat().st_size for f in files) / 1e6
        note(f"  running {label} ...")
        try:
            result = run_child(
                SCRIPT, {"task": task, "files": files, "out": str(CACHE / "out.json")}, timeout=900
            )
        except Exception as exc:  # the table says what failed instead of stopping
            rows.append(
                [label, f"{size_mb:.1f}", "-", "-", "FAILED", str(exc).splitlines()[0][:60]]
            )
            continue
        ok = result["exit"] in (0, 1) and result["total_s"] < 120 and result["peak_mb"] < 4096
        extra = (
            f"collab nnz {result['collab_nnz']:,}"
            if "collab_nnz" in result
            else f"json {result.get('json_mb')} MB"
        )
        rows.append(
            [
                label,
                f"{size_mb:.1f}",
                fmt_seconds(result["total_s"]),
                f"{result['peak_mb']:,.0f}",
                "ok" if ok else f"OVER (exit {result['exit']})",
                extra,
            ]
        )
    print_table(["shape", "input MB", "seconds", "peak MB", "< 2 min, < 4 GB", "notes"], rows)


if __name__ == "__main__":
    if not child_main(_work):
        main()
