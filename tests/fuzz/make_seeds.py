"""Write the fuzz seeds (run once; the files are committed): ``python tests/fuzz/make_seeds.py``.

Small, real inputs of each shape the readers take: the fuzzer mutates these, so each
one should exercise a different path (merged cells, hyperlinks, a dimension, two
sheets, a namespace prefix, cells placed by position, each CSV dialect).
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz.craft import HEADER_ROWS, inline_row, write_workbook  # noqa: E402

SEEDS = Path(__file__).resolve().parent / "seeds"


def main() -> None:
    SEEDS.mkdir(exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "People"
    ws.append(["Employee ID", "Full Name", "Manager ID", "Team", "Email"])
    for i in range(1, 13):
        ws.append(
            [1000 + i, f"Person {i}", 1000 + i // 2 if i > 1 else None, f"T{i % 3}", f"p{i}@x.org"]
        )
    ws.merge_cells("D10:D12")
    ws["B3"].hyperlink = "https://example.org"
    projects = wb.create_sheet("Projects")
    projects.append(["Project", "Members", "Lead"])
    projects.append(["Atlas", "Person 1; Person 2\nPerson 3", "Person 1"])
    projects.append(["Beacon", "p4@x.org, p5@x.org", "p4@x.org"])
    wb.save(SEEDS / "org.xlsx")
    write_workbook(
        SEEDS / "crafted.xlsx",
        [
            (
                "People",
                f'<dimension ref="A1:C3"/><sheetData>{HEADER_ROWS}</sheetData>'
                '<mergeCells count="1"><mergeCell ref="B2:C2"/></mergeCells>',
            ),
            (
                "Ties",
                "<sheetData>"
                + inline_row(1, ["From", "To", "Weight"])
                + inline_row(2, [1, 2, 3])
                + "</sheetData>",
            ),
            (
                "Odd",
                '<sheetData><row><c><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            ),
        ],
    )
    (SEEDS / "people.csv").write_text(
        'ID,Name,Manager,Team\n1,Zoë Adams,,Core\n2,"Lee, Ann",1,Core\n3,Bo,1,Data\n',
        encoding="utf-8",
    )
    (SEEDS / "projects-semicolon.csv").write_bytes(
        'sep=;\r\nProject;Members;Hours\r\nAtlas;"1;2\r\n3";12,5\r\n'.encode("cp1252")
    )
    (SEEDS / "mentors.tsv").write_text("Mentor\tMentee\n1\t2\n2\t3\n", encoding="utf-16")


if __name__ == "__main__":
    main()
