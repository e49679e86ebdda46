"""The faster import (issue 15) says and refuses exactly what the slower one did.

The zip screening skips its second, exact scan of a sheet whose cheap bound already
passes both tests; these files are built so that the exact scan is needed later, or
never, and every verdict is computed here by hand from the cells written.
"""

from __future__ import annotations

import pytest
from fuzz.craft import HEADER_ROWS, inline_row, write_workbook

from orgmap.readers import ReadLimits, UnreadableFile, read_path
from orgmap.readers._zipguard import _odd_spelling


def _sheet(*rows: str) -> str:
    return "<sheetData>" + "".join(rows) + "</sheetData>"


# One value in A100000: the cheap bound is 100,000 rows x 26 columns = 2,600,000 cells
# (over the 2,599,974 vouched for without a scan), the exact grid A1:C100000 300,000.
FAR_DOWN = _sheet(HEADER_ROWS, inline_row(100_000, [3]))


def test_a_sheet_below_row_99999_is_read_whole(tmp_path):
    path = write_workbook(tmp_path / "down.xlsx", [("People", FAR_DOWN)])
    (table,) = read_path(path)
    assert len(table.rows) == 100_000
    assert table.rows[0] == ["ID", "Name", "Manager"]
    assert table.rows[-1] == [3.0, None, None]


def test_a_later_sheet_near_the_limit_is_judged_on_the_exact_total(tmp_path):
    # Sheet B spans A1:C1,010,000 = 3,030,000 cells. With People's exact 300,000 that is
    # 3,330,000 (refused at 3,300,000, read at 3,400,000); with People's bound instead
    # (2,600,000) it would be 5,630,000 and refused at both.
    far = _sheet(inline_row(1, ["x", "y", "z"]), inline_row(1_010_000, [1, 2, 3]))
    path = write_workbook(tmp_path / "two.xlsx", [("People", FAR_DOWN), ("B", far)])
    with pytest.raises(UnreadableFile) as info:
        read_path(path, ReadLimits(max_total_cells=3_300_000, max_empty_cells=4_000_000))
    assert info.value.reason == (
        "workbook too large: with sheet 'B' (xl/worksheets/sheet2.xml) (to cell C1010000) "
        "its sheets span 3,330,000 cells; the limit is 3,300,000 (split the workbook, or "
        "save the sheets as CSV files)"
    )
    tables = read_path(path, ReadLimits(max_total_cells=3_400_000, max_empty_cells=4_000_000))
    assert [t.sheet for t in tables] == ["People", "B"]
    assert tables[1].rows[-1] == [1.0, 2.0, 3.0]


def test_a_mostly_empty_sheet_is_still_refused_with_its_last_cell(tmp_path):
    # The bound (100,000 x 26) is over max_empty_cells here, so the exact scan runs at
    # once: A1:C100000 is 300,000 cells for 9 values, over 250,000 + 8 x 9.
    path = write_workbook(tmp_path / "sparse.xlsx", [("People", FAR_DOWN)])
    with pytest.raises(UnreadableFile) as info:
        read_path(path, ReadLimits(max_empty_cells=250_000))
    assert info.value.reason == (
        "sheet too large: sheet 'People' (xl/worksheets/sheet1.xml) reaches cell C100000 "
        "(300,000 cells) but holds only 9 values; delete stray cells far from the data "
        "(Ctrl+End shows the last one) and save again"
    )


@pytest.mark.parametrize(
    ("text", "odd"),
    [
        (b'<c r="A1" s="1">', False),  # the plain spelling: the fast patterns read it
        (b'<c r="A1"><f>B1*2</f>', False),
        (b"<t>a=b</t>", False),  # text with an "=" between letters
        (b"<c r='A1'>", True),  # single quotes
        (b'<c r ="A1">', True),  # a space before "="
        (b'<c r= "A1">', True),  # a space after it
        (b'<c r=\t"A1">', True),
        (b'<c\nr\n=\n"A1">', True),
        (b"<mergeCell ref='A1:B2'/>", True),  # ...f=' : single-quoted ref
        (b"<c r=", True),  # the buffer ends just after "r="
        (b"<t>x =</t>", True),  # text that looks spaced: only the slower regex runs
    ],
)
def test_attribute_spellings_the_fast_patterns_miss_are_noticed(text, odd):
    assert _odd_spelling(text) is odd


def test_the_per_sheet_plan_reads_placeholders_short_rows_and_control_characters():
    from orgmap.builder import build_org
    from orgmap.tables import Table

    table = Table.from_rows(
        [
            ["ID", "Name", "Manager", "Title"],
            [1, "Ann", "N/A", "CEO"],  # a placeholder manager: Ann is at the top
            [2, "Bo", 1, "-"],  # a placeholder title: no title
            [3, "Cy", 1],  # a short row: no title cell at all
            [4, "Di", 2, "\x01"],  # a control character: cleaned, then a placeholder
            [5, "Ed", "n/a ", "Engineer"],  # the same placeholder spelled otherwise
        ],
        file="people.csv",
        sheet="people",
    )
    org = build_org([table])
    g = org.graph
    assert {n: a.get("title") for n, a in g.nodes(data=True) if a["kind"] == "person"} == {
        "person:1": "CEO",
        "person:2": None,
        "person:3": None,
        "person:4": None,
        "person:5": "Engineer",
    }
    managers = sorted((u, v) for u, v, k in g.edges(keys=True) if k == "reports_to")
    assert managers == [
        ("person:2", "person:1"),
        ("person:3", "person:1"),
        ("person:4", "person:2"),
    ]
    assert [(i.row, i.column, i.code) for i in org.issues] == [(5, "Title", "control_character")]
    (sheet,) = org.sheets
    assert (sheet.rows_read, sheet.imported, sheet.rejected, sheet.blank) == (5, 5, 0, 0)
