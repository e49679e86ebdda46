"""Hostile and huge inputs end as one clear message or a loaded org: never an abort,
never a hang, never gigabytes for a kilobyte file (issue 11, SPEC sections 2 and 6).

Each crafted file is read by a real ``orgmap`` process: an abort inside calamine kills
the process (exit 134) and would kill pytest with it, and the process's own peak
memory is what a user's machine pays.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fuzz.craft import HEADER_ROWS, inline_row, write_workbook

from orgmap.readers import ReadLimits, UnreadableFile, read_path

MB = 1024 * 1024

# Runs the CLI, then reports its peak memory on stderr's last line (ru_maxrss is KiB).
_RUNNER = """
import resource, sys
from orgmap.cli import main
rc = main(sys.argv[1:])
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(rc)
"""


def run_orgmap(*args: str, timeout: float = 120) -> tuple[int, str, float, float]:
    """``(exit status, stdout + stderr, seconds, peak MB)`` of ``orgmap ARGS``."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    elapsed = time.perf_counter() - start
    peak = 0.0
    for line in proc.stderr.splitlines():
        if line.startswith("PEAK_KB "):
            peak = int(line.split()[1]) / 1024
    return proc.returncode, proc.stdout + proc.stderr, elapsed, peak


# --- addresses calamine would turn into a 256 GiB grid ---------------------------------

BEYOND = {
    # (sheet xml, what the message quotes)
    "row of 10 digits": (
        HEADER_ROWS + '<row r="4"><c r="A4294967295"><v>1</v></c></row>',
        "cell A4294967295",
    ),
    "8-letter column": (
        HEADER_ROWS + '<row r="4"><c r="ZZZZZZZZ1"><v>1</v></c></row>',
        "cell ZZZZZZZZ1",
    ),
    "row that wraps to a small one": (
        HEADER_ROWS + '<row r="4"><c r="A4294967297"><v>1</v></c></row>',
        "cell A4294967297",
    ),
    "row just past the last": (
        HEADER_ROWS + '<row r="4"><c r="B1048577"><v>1</v></c></row>',
        "cell B1048577",
    ),
    "column just past XFD": (
        HEADER_ROWS + '<row r="4"><c r="XFE4"><v>1</v></c></row>',
        "cell XFE4",
    ),
    "lower-case letters": (
        HEADER_ROWS + '<row r="4"><c r="zzzzzzzz4"><v>1</v></c></row>',
        "cell zzzzzzzz4",
    ),
    "single quotes": (
        HEADER_ROWS + "<row r='4'><c r='A99999999999'><v>1</v></c></row>",
        "cell A99999999999",
    ),
    "spaces around =": (
        HEADER_ROWS + '<row r="4"><c r = "A99999999999"><v>1</v></c></row>',
        "cell A99999999999",
    ),
    "a row's r, cells placed by position": (
        HEADER_ROWS + '<row r="4294967295"><c><v>1</v></c></row>',
        "row 4294967295",
    ),
}
BEYOND_OUTSIDE_SHEETDATA = {
    "dimension": ('<dimension ref="A1:ZZZZZZZZ4294967295"/>', "cell ZZZZZZZZ4294967295"),
    "merged cells": (
        '<mergeCells count="1"><mergeCell ref="A1:B4294967295"/></mergeCells>',
        "cell B4294967295",
    ),
    "hyperlink": (
        '<hyperlinks><hyperlink ref="A99999999999" location="S1!A1"/></hyperlinks>',
        "cell A99999999999",
    ),
    "conditional format": (
        '<conditionalFormatting sqref="A1:A4294967295"><cfRule type="expression" priority="1">'
        "<formula>1</formula></cfRule></conditionalFormatting>",
        "cell A4294967295",
    ),
}


def _crafted(tmp_path: Path) -> list[tuple[str, Path, str]]:
    out = []
    for i, (case, (xml, quoted)) in enumerate(BEYOND.items()):
        out.append(
            (
                case,
                write_workbook(
                    tmp_path / f"beyond{i}.xlsx", [("People", f"<sheetData>{xml}</sheetData>")]
                ),
                quoted,
            )
        )
    for i, (case, (xml, quoted)) in enumerate(BEYOND_OUTSIDE_SHEETDATA.items()):
        if case == "dimension":
            body = xml + f"<sheetData>{HEADER_ROWS}</sheetData>"
        else:
            body = f"<sheetData>{HEADER_ROWS}</sheetData>" + xml
        out.append(
            (case, write_workbook(tmp_path / f"outside{i}.xlsx", [("People", body)]), quoted)
        )
    return out


def test_addresses_beyond_the_sheet_are_refused_by_name_not_an_abort(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("ID,Name,Manager\n1,Cy,\n2,Di,1\n", encoding="utf-8")
    cases = _crafted(tmp_path)
    # One process reads every crafted file and a good one: before the fix the first of
    # them aborted it (exit 134) and nothing at all was reported.
    rc, out, elapsed, peak = run_orgmap("validate", *(str(p) for _, p, _ in cases), str(good))
    assert rc == 2, out
    for case, path, quoted in cases:
        line = next((ln for ln in out.splitlines() if ln.startswith(f"{path.name}:")), None)
        assert line is not None, f"{case}: no message for {path.name}\n{out}"
        assert (
            f"fatal: unsafe workbook: sheet 'People' (xl/worksheets/sheet1.xml) refers to {quoted}, "
            "beyond the last cell a worksheet can have (XFD1048576)"
        ) in line, case
    assert f"{len(cases)} unreadable files" in out
    assert "people 2," in out  # the good CSV still loads
    assert elapsed < 30 and peak < 400, (elapsed, peak)


def test_the_two_reported_addresses_alone_exit_2_with_their_message(tmp_path):
    # The two files, each in its own process (exit 134 before the fix).
    for case, path, quoted in _crafted(tmp_path)[:2]:
        rc, out, _, _ = run_orgmap("validate", str(path))
        assert rc == 2, f"{case}: exit {rc}\n{out}"
        assert f"refers to {quoted}, beyond the last cell" in out, case


def test_addresses_up_to_the_last_cell_are_read(tmp_path):
    # Excel's own limits are legal: XFD, row 1,048,576, leading zeros, lower case,
    # single quotes. None of them may be refused by the screen.
    xml = (
        "<sheetData>"
        + inline_row(1, ["ID", "Name"])
        + "<row r='2'><c r='A2'><v>7</v></c><c r = \"b02\" t=\"inlineStr\"><is><t>Ann</t></is></c></row>"
        + '<row r="3"><c r="XFD3"><v>5</v></c></row>'
        + "</sheetData>"
        + '<mergeCells count="1"><mergeCell ref="C1048576:D1048576"/></mergeCells>'
    )
    path = write_workbook(tmp_path / "edges.xlsx", [("People", xml)])
    (table,) = read_path(path)
    assert table.rows[0][:2] == ["ID", "Name"]
    assert table.rows[1][:2] == [7.0, "Ann"]
    assert len(table.rows[2]) == 16384 and table.rows[2][16383] == 5.0


# --- tiny files, huge grids --------------------------------------------------------------


def test_a_declared_dimension_alone_costs_nothing(tmp_path):
    path = write_workbook(
        tmp_path / "dim.xlsx",
        [("People", f'<dimension ref="A1:Z999999"/><sheetData>{HEADER_ROWS}</sheetData>')],
    )
    assert path.stat().st_size < 2000
    rc, out, elapsed, peak = run_orgmap("validate", str(path))
    assert rc == 0, out
    assert "people 2," in out
    assert elapsed < 10 and peak < 300, (elapsed, peak)


def test_one_far_value_in_a_tiny_file_is_refused_fast_and_small(tmp_path):
    far = f'<dimension ref="A1:Z999999"/><sheetData>{HEADER_ROWS}<row r="999999"><c r="T999999"><v>1</v></c></row></sheetData>'
    one = write_workbook(tmp_path / "far.xlsx", [("People", far)])
    six = write_workbook(tmp_path / "far6.xlsx", [(f"P{i}", far) for i in range(6)])
    assert one.stat().st_size < 2000 and six.stat().st_size < 5000
    for path in (one, six):
        # Before: 7-15 s and 1.1 GB for one such sheet, 38-77 s and 2.5 GB for six.
        rc, out, elapsed, peak = run_orgmap("validate", str(path))
        assert rc == 2, out
        assert (
            "reaches cell T999999 (19,999,980 cells) but holds only 9 values; "
            "delete stray cells far from the data"
        ) in out
        assert elapsed < 10 and peak < 300, (path.name, elapsed, peak)


def test_the_cell_budget_is_a_total_across_sheets(tmp_path):
    dense = (
        "<sheetData>"
        + "".join(inline_row(r, [r, f"P{r}", r // 2]) for r in range(1, 201))
        + "</sheetData>"
    )
    path = write_workbook(tmp_path / "two.xlsx", [("A", dense), ("B", dense)])
    limits = ReadLimits(max_total_cells=1000)  # each sheet is 600 cells: one fits, two do not
    assert len(read_path(write_workbook(tmp_path / "one.xlsx", [("A", dense)]), limits)) == 1
    with pytest.raises(UnreadableFile) as info:
        read_path(path, limits)
    assert info.value.reason == (
        "workbook too large: with sheet 'B' (xl/worksheets/sheet2.xml) (to cell C200) its "
        "sheets span 1,200 cells; the limit is 1,000 (split the workbook, or save the "
        "sheets as CSV files)"
    )
