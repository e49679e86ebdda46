"""Workbooks written part by part, the way a hostile or odd tool would write them.

openpyxl always writes sane addresses and dimensions; these tests need the insane ones,
so the few parts an xlsx needs are written here by hand (a real zip, real OOXML).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

__all__ = ["write_workbook", "inline_row", "HEADER_ROWS"]

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def inline_row(row: int, values: Sequence[object]) -> str:
    """One ``<row>`` of inline strings and numbers, columns A, B, C..."""
    cells = []
    for i, value in enumerate(values):
        ref = f"{chr(65 + i)}{row}"
        if isinstance(value, (int, float)):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{row}">{"".join(cells)}</row>'


#: A header and two people, the start of most crafted sheets.
HEADER_ROWS = (
    inline_row(1, ["ID", "Name", "Manager"])
    + inline_row(2, [1, "Ann"])
    + inline_row(3, [2, "Bo", 1])
)


def write_workbook(path: Path, sheets: Sequence[str | tuple[str, str]]) -> Path:
    """Write an xlsx whose worksheets hold ``sheets``: the XML inside ``<worksheet>``
    (``<dimension>``, ``<sheetData>``, ``<mergeCells>``...), optionally as ``(name, xml)``.
    """
    named = [s if isinstance(s, tuple) else (f"S{i + 1}", s) for i, s in enumerate(sheets)]
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{_SHEET_CT}"/>'
        for i in range(len(named))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_BOOK_CT}"/>{overrides}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        sheet_tags = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rId{i + 1}"/>'
            for i, (name, _) in enumerate(named)
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
            f"<sheets>{sheet_tags}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="{_REL_NS}/worksheet" '
            f'Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(named))
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">{rels}'
            "</Relationships>",
        )
        for i, (_, xml) in enumerate(named):
            z.writestr(
                f"xl/worksheets/sheet{i + 1}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">{xml}</worksheet>',
            )
    return path
