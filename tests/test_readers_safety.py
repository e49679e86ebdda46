"""Hostile and broken files: one clear UnreadableFile each, fast and in bounded memory."""

from __future__ import annotations

import io
import os
import struct
import sys
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from orgmap.readers import ReadLimits, UnreadableFile, read_path

GB = 1024**3


_BASELINE = [0]


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak_rss() -> None:
    """Measure memory afresh from here (Linux): the peak is reset to the current size,
    which is kept as the baseline, so an earlier, bigger test in this pytest process
    does not count against the read measured next."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return
    _BASELINE[0] = (_status_kb("VmRSS") or 0) * 1024


def peak_rss_bytes() -> int:
    """Memory the process took at its peak beyond the baseline of :func:`reset_peak_rss`
    (where that is not possible: its whole peak since it began)."""
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm * 1024 - _BASELINE[0]
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def refused(path: Path, limits: ReadLimits | None = None) -> str:
    """read_path's reason for refusing ``path``, checking the time budget on the way."""
    reset_peak_rss()
    start = time.perf_counter()
    with pytest.raises(UnreadableFile) as info:
        read_path(path, limits)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert info.value.path == str(path)
    assert str(info.value).startswith(str(path) + ": ")
    return info.value.reason


def good_workbook(tmp_path: Path, name: str = "good.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "People"
    ws.append(["ID", "Name", "Manager"])
    for i in range(1, 40):
        ws.append([i, f"Person {i}", i // 2 or None])
    path = tmp_path / name
    wb.save(path)
    return path


def rewrite_member(src: Path, dst: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == member else zin.read(info))
    return dst


# A raw zip writer: zipfile cannot store a pre-compressed stream nor a header that lies.
def write_raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """``members``: (name, stored bytes, method, declared uncompressed size, crc)."""
    out = io.BytesIO()
    central = []
    for name, data, method, size, crc in members:
        offset = out.tell()
        fname = name.encode()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(fname),
                0,
            )
        )
        out.write(fname)
        out.write(data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(fname),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + fname
        )
    cd_start = out.tell()
    for entry in central:
        out.write(entry)
    cd_size = out.tell() - cd_start
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), cd_size, cd_start, 0
        )
    )
    path.write_bytes(out.getvalue())
    return path


def deflated_zeros(megabytes: int) -> bytes:
    """A raw deflate stream of ``megabytes`` MiB of zeros, built without inflating them.

    After a full flush the compressor's state is reset, so every 1 MiB block compresses
    to the same ~1 KB: repeat it, then close the stream.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(bytes(1 << 20)) + comp.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + comp.flush()


def workbook_members(src: Path) -> list[tuple[str, bytes, int, int, int]]:
    members = []
    with zipfile.ZipFile(src) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            members.append((info.filename, data, 0, len(data), zlib.crc32(data)))
    return members


# --- not a workbook at all ------------------------------------------------------------


def test_random_bytes_named_xlsx(tmp_path):
    path = tmp_path / "random.xlsx"
    path.write_bytes(os.urandom(4096))
    assert refused(path).startswith("not a spreadsheet: ")


def test_csv_text_named_xlsx_says_what_it_is(tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_text("ID,Name\n1,Ann\n")
    assert "plain text (a CSV? name it .csv)" in refused(path)


def test_empty_files(tmp_path):
    for name in ("empty.xlsx", "empty.csv"):
        (tmp_path / name).write_bytes(b"")
        assert refused(tmp_path / name) == "empty file (0 bytes)"
    blank = tmp_path / "blank.csv"
    blank.write_text("\r\n  \n")
    assert "empty file" in refused(blank)


def test_truncated_workbook(tmp_path):
    good = good_workbook(tmp_path)
    data = good.read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert refused(path).startswith("damaged workbook: truncated or corrupt zip (")


def test_password_protected_workbook(tmp_path):
    # Excel saves an encrypted workbook as an OLE compound file (as the legacy .xls is).
    path = tmp_path / "salaries.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert refused(path) == (
        "password-protected or encrypted workbook (or legacy .xls): save it unprotected as .xlsx"
    )


def test_zip_level_encryption(tmp_path):
    members = workbook_members(good_workbook(tmp_path))
    path = write_raw_zip(tmp_path / "zipcrypto.xlsx", members)
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag bit in every central directory entry.
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        data[pos + 8] |= 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    assert refused(path).startswith("password-protected or encrypted workbook")


def test_zip_without_a_workbook(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "zip file without an Excel workbook" in refused(path)


def test_binary_and_zip_data_named_csv(tmp_path):
    binary = tmp_path / "dump.csv"
    binary.write_bytes(b"ID,Name\x00\x01\x02" + os.urandom(200))
    assert refused(binary) == "not a text table: the file holds binary data"
    book = good_workbook(tmp_path, "book.xlsx")
    renamed = tmp_path / "book.csv"
    renamed.write_bytes(book.read_bytes())
    assert "an .xlsx workbook? name it .xlsx" in refused(renamed)


def test_file_larger_than_the_limit(tmp_path):
    path = good_workbook(tmp_path)
    reason = refused(path, ReadLimits(max_file_bytes=1000))
    assert reason.startswith("file too large (") and "the limit is 0.0 MB" in reason


# --- bombs -----------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>
"""


def test_xml_entity_bomb_in_a_sheet(tmp_path):
    good = good_workbook(tmp_path)
    path = rewrite_member(good, tmp_path / "lol.xlsx", "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    reason = refused(path)
    assert reason.startswith("unsafe workbook: xl/worksheets/sheet1.xml declares a DOCTYPE")
    assert peak_rss_bytes() < GB


def test_doctype_hidden_behind_comments_in_a_small_part(tmp_path):
    good = good_workbook(tmp_path)
    sneaky = (
        b"<?xml version='1.0'?>\n<!-- <a> "
        + b"x" * 5000
        + b" -->"
        + BILLION_LAUGHS.split(b"\n", 1)[1]
    )
    path = rewrite_member(good, tmp_path / "sneaky.xlsx", "xl/styles.xml", sneaky)
    assert "xl/styles.xml declares a DOCTYPE" in refused(path)
    utf16 = BILLION_LAUGHS.decode().replace("UTF-8", "UTF-16").encode("utf-16")
    path = rewrite_member(good, tmp_path / "utf16.xlsx", "xl/workbook.xml", utf16)
    assert "xl/workbook.xml declares a DOCTYPE" in refused(path)
    endless = b"<?xml version='1.0'?>\n<!-- " + b"x" * 200_000 + b" -->" + BILLION_LAUGHS
    path = rewrite_member(good, tmp_path / "endless.xlsx", "xl/styles.xml", endless)
    assert "xl/styles.xml has an endless XML prolog" in refused(path)


def test_zip_bomb_two_gigabytes_of_zeros(tmp_path):
    members = workbook_members(good_workbook(tmp_path))
    bomb = deflated_zeros(2048)  # ~2 MB on disk, 2 GiB inflated
    assert len(bomb) < 4 * 1024 * 1024
    # The CRC is not computed (it would take seconds); nothing may get far enough to check it.
    members = [m for m in members if m[0] != "xl/worksheets/sheet1.xml"]
    members.append(("xl/worksheets/sheet1.xml", bomb, 8, 2048 << 20, 0))
    path = write_raw_zip(tmp_path / "bomb.xlsx", members)
    assert refused(path).startswith("zip bomb: the workbook would inflate to more than 1,024 MB")
    # With a generous total, the ratio of the one member still gives it away.
    reason = refused(path, ReadLimits(max_uncompressed_bytes=8 * GB))
    assert reason.startswith("zip bomb: xl/worksheets/sheet1.xml inflates")
    assert peak_rss_bytes() < GB


def test_zip_bomb_whose_header_lies_about_its_size(tmp_path):
    members = workbook_members(good_workbook(tmp_path))
    bomb = deflated_zeros(2048)
    members = [m for m in members if m[0] != "xl/worksheets/sheet1.xml"]
    # Declares 1 MB (a plausible ratio), holds 2 GiB.
    members.append(("xl/worksheets/sheet1.xml", bomb, 8, 1 << 20, 0))
    path = write_raw_zip(tmp_path / "liar.xlsx", members)
    assert refused(path) == (
        "zip bomb: xl/worksheets/sheet1.xml inflates beyond the 1 MB its header declares"
    )
    assert peak_rss_bytes() < GB


def test_guard_accepts_a_real_workbook_written_raw(tmp_path):
    # The raw writer itself makes valid workbooks (stored members, honest headers).
    path = write_raw_zip(tmp_path / "raw.xlsx", workbook_members(good_workbook(tmp_path)))
    (table,) = read_path(path)
    assert table.rows[0] == ["ID", "Name", "Manager"] and len(table.rows) == 40


def test_a_stray_value_far_from_the_data_is_refused_not_a_crash(tmp_path):
    # calamine would allocate the whole A1:XFD1048576 grid (512 GB) and abort the process.
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "Name"])
    wb.active["XFD1048576"] = "oops"
    wb.save(tmp_path / "stray.xlsx")
    reason = refused(tmp_path / "stray.xlsx")
    assert reason.startswith(
        "sheet too large: sheet 'Sheet' (xl/worksheets/sheet1.xml) reaches cell XFD1048576 "
        "(17,179,869,184 cells) but holds only 3 values"
    )
    assert "delete stray cells" in reason
    assert peak_rss_bytes() < GB


def test_far_formatted_empty_cells_do_not_get_a_workbook_refused(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Name"])
    ws.append([1, "Ann"])
    ws["XFD1048576"].font = Font(bold=True)  # formatting only, no value
    ws["ZZ5"].font = Font(bold=True)
    wb.save(tmp_path / "formatted.xlsx")
    (table,) = read_path(tmp_path / "formatted.xlsx")
    assert table.rows == [["ID", "Name"], [1.0, "Ann"]]


def with_sheet_data(tmp_path: Path, name: str, sheet_data: bytes, prefix: str = "") -> Path:
    """A workbook whose first sheet holds ``sheet_data``, written the way odd tools do."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    xml = (
        (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}="{ns}"><{p}sheetData>'
        ).encode()
        + sheet_data
        + f"</{p}sheetData></{p}worksheet>".encode()
    )
    good = good_workbook(tmp_path, f"base-{name}")
    return rewrite_member(good, tmp_path / name, "xl/worksheets/sheet1.xml", xml)


def test_cells_placed_by_position_are_read_and_bounded(tmp_path):
    # Cells without an r="A1" reference are legal; calamine places them in order.
    ok = with_sheet_data(
        tmp_path,
        "positional.xlsx",
        b"<row>" + b"<c><v>1</v></c>" * 3 + b"</row><row><c><v>2</v></c></row>",
    )
    (table,) = read_path(ok)
    assert table.rows == [[1.0, 1.0, 1.0], [2.0, None, None]]
    # 2,001 rows and one row 20,000 cells wide: a 40M-cell grid, from a 50 KB file.
    bomb = with_sheet_data(
        tmp_path,
        "wide.xlsx",
        b"<row><c><v>1</v></c></row>" * 2000 + b"<row>" + b"<c><v>1</v></c>" * 20000 + b"</row>",
    )
    assert bomb.stat().st_size < 50_000
    assert refused(bomb).startswith(
        "sheet too large: sheet 'People' (xl/worksheets/sheet1.xml) reaches cell ACOF2001"
    )


def test_namespace_prefixed_sheets_are_read(tmp_path):
    path = with_sheet_data(
        tmp_path,
        "prefixed.xlsx",
        b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>ID</x:t></x:is></x:c>'
        b'<x:c r="B1"><x:v>5</x:v></x:c></x:row><x:row><x:c><x:v>7</x:v></x:c></x:row>',
        prefix="x",
    )
    (table,) = read_path(path)
    assert table.rows == [["ID", 5.0], [7.0, None]]
    far = with_sheet_data(
        tmp_path, "prefixed-far.xlsx", b'<x:row><x:c r="ZZ900000"><x:v>1</x:v></x:c></x:row>', "x"
    )
    assert refused(far).startswith(
        "sheet too large: sheet 'People' (xl/worksheets/sheet1.xml) reaches cell ZZ900000"
    )


@settings(max_examples=50, deadline=None)
@given(cuts=st.lists(st.integers(0, 400), max_size=12))
def test_sheet_extent_bound_does_not_depend_on_where_chunks_end(cuts):
    from orgmap.readers._zipguard import _Extent

    xml = (
        b"".join(
            f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c><c r="B{r}" s="1"/></row>'.encode()
            for r in range(1, 8)
        )
        + b'<row r="123456"><c r="AB123456"><v>1</v></c></row>'
    )
    extent = _Extent()
    start = 0
    for cut in sorted(set(cuts)):
        extent.feed(xml[start:cut])
        start = max(start, cut)
    extent.feed(xml[start:])
    extent.feed(b"", final=True)
    assert not extent.positional
    assert (extent.far_row, extent.far_col) == (123456, 28)


@pytest.mark.parametrize(
    ("xml", "exact_walk"),
    [
        (b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData>', False),
        (b'<x:sheetData><x:row r="1"><y:c r="A1"><y:v>1</y:v></y:c></x:row></x:sheetData>', True),
        (b'<x:sheetData><x:row r="1"><c r="A1"><v>1</v></c></x:row></x:sheetData>', True),
        (b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>', False),
        (b'<sheetData><row r="1"><c s="1" r="A1"><v>1</v></c></row></sheetData>', True),
        (b"<sheetData><row><c><v>1</v></c></row></sheetData>", True),
    ],
)
def test_sheet_extent_sends_unusual_cell_tags_to_the_exact_walk(xml, exact_walk):
    from orgmap.readers._zipguard import _Extent

    extent = _Extent()
    extent.feed(xml, final=True)
    assert extent.positional is exact_walk


# --- nothing but UnreadableFile ever escapes ------------------------------------------------


@pytest.fixture(scope="module")
def workbook_bytes(tmp_path_factory) -> bytes:
    return good_workbook(tmp_path_factory.mktemp("wb")).read_bytes()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_damaged_workbooks_never_raise_anything_else(tmp_path, workbook_bytes, data):
    raw = bytearray(workbook_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    path = tmp_path / "mutant.xlsx"
    path.write_bytes(bytes(raw[:cut]))
    try:
        tables = read_path(path)
    except UnreadableFile as exc:
        assert exc.reason
    else:
        assert all(t.rows for t in tables)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(min_size=1, max_size=600), ext=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_random_bytes_never_raise_anything_else(tmp_path, blob, ext):
    path = tmp_path / f"blob{ext}"
    path.write_bytes(blob)
    try:
        read_path(path)
    except UnreadableFile as exc:
        assert exc.reason
