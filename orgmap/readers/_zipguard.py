"""Checks on a workbook's zip container before any XML parser sees it.

calamine (through the Rust zip crate) inflates a member until its compressed stream
ends, whatever size its header declares; its XML parser would meet whatever DOCTYPE a
hostile file carries; and it holds a sheet as a dense grid of its bounding box, so one
stray cell in XFD1048576 makes it ask for 512 GB and abort the whole process. So the
container is vetted here first, in bounded time and memory (one streaming pass over
every part, ~0.15 s for a 100k-row sheet), and a file is refused with a reason a user
can act on.
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from orgmap.tables import ReadLimits, UnreadableFile

__all__ = ["check_workbook_container", "OLE_MAGIC", "ZIP_MAGIC", "MAX_ROW", "MAX_COL"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

#: A member above this uncompressed size is checked against the ratio limit.
_RATIO_MIN_BYTES = 4 * 1024 * 1024
_MAX_MEMBERS = 20_000
#: The XML prolog (where a DOCTYPE must sit) is read at most this far.
_PROLOG_LIMIT = 64 * 1024
#: The grid the cheap pass vouches for without the exact scan: a sheet whose cells all
#: sit within Z99999 (the common case) spans at most this many.
_CHEAP_AREA = 99_999 * 26
#: A sheet's grid may hold this many cells per value (plus ``ReadLimits.max_empty_cells``).
_CELLS_PER_VALUE = 8
#: The last cell of a worksheet (Excel's limits); calamine trusts any address it is
#: given and sizes its grid from it, so one beyond these is refused before it reads.
MAX_ROW = 1_048_576
MAX_COL = 16_384  # XFD
_CHUNK = 1024 * 1024
#: The exact walk (positional or oddly prefixed cells) runs ~3 us a tag; this keeps a
#: hostile sheet under ~6 s.
_MAX_WALK_TAGS = 2_000_000


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def _describe_non_zip(head: bytes) -> str:
    if head.startswith(OLE_MAGIC[:4]):
        return (
            "password-protected or encrypted workbook (or legacy .xls): "
            "save it unprotected as .xlsx"
        )
    stripped = head.lstrip()
    if stripped[:1] in (b"<",) or stripped.lower().startswith(b"<!doctype"):
        kind = "an HTML or XML file"
    elif head.startswith(b"%PDF"):
        kind = "a PDF"
    elif head[:4] in (b"Rar!", b"\x1f\x8b\x08\x00") or head.startswith(b"\x1f\x8b"):
        kind = "a compressed archive"
    elif head and all(32 <= b < 127 or b in (9, 10, 13) for b in head[:512]):
        kind = "plain text (a CSV? name it .csv)"
    else:
        kind = "unrecognised binary data"
    return f"not a spreadsheet: the file is {kind}, not an Excel workbook"


def check_workbook_container(path: Path, limits: ReadLimits) -> None:
    """Refuse a workbook that is not a sane OOXML zip, with the reason.

    Checks, in order: zip magic (an OLE file is an encrypted workbook or an .xls),
    a readable central directory (truncated downloads fail here), an Excel workbook
    inside, no zip-level encryption, the sum of uncompressed sizes and each member's
    compression ratio (zip bombs); then, streaming every part once: no DOCTYPE in its
    prolog (entity bombs, external entities), no more bytes than its header declares
    (lying zip bombs), and no sheet spanning more than ``max_sheet_cells`` cells.
    """
    name = str(path)
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head.startswith(ZIP_MAGIC):
        raise UnreadableFile(name, _describe_non_zip(head))
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(name, f"damaged workbook: truncated or corrupt zip ({exc})") from None
    except (OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(name, f"damaged workbook ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise UnreadableFile(name, f"not a sane workbook: {len(infos):,} parts in the zip")
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names and not any(
            n.lower().endswith("workbook.xml") for n in names
        ):
            raise UnreadableFile(
                name, "not a spreadsheet: a zip file without an Excel workbook inside"
            )
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise UnreadableFile(
                    name,
                    "password-protected or encrypted workbook: save it unprotected as .xlsx",
                )
            total += info.file_size
            if total > limits.max_uncompressed_bytes:
                raise UnreadableFile(
                    name,
                    f"zip bomb: the workbook would inflate to more than "
                    f"{_mb(limits.max_uncompressed_bytes)}",
                )
            if info.file_size > _RATIO_MIN_BYTES:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_compression_ratio:
                    raise UnreadableFile(
                        name,
                        f"zip bomb: {info.filename} inflates {ratio:,.0f} times "
                        f"to {_mb(info.file_size)}",
                    )
        sheets = _sheet_names(zf, names)
        # The sheets' grid areas so far: the cheap bound of a small sheet, the exact area
        # of a sheet measured, and the bound of a `deferred` one (see below).
        total = 0
        deferred: list[tuple[zipfile.ZipInfo, str, float]] = []
        with path.open("rb") as raw:
            # Every part is checked, not only *.xml: calamine follows the workbook's
            # relationships, which may name a sheet part anything.
            for info in infos:
                if info.is_dir():
                    continue
                label = _part_label(info.filename, sheets)
                extent = _check_member(raw, info, name, label)
                bound = extent.estimate()
                if bound == 0:
                    continue  # no sheetData: calamine reads no cells from this part
                if total + bound <= limits.max_total_cells:
                    if bound <= _CHEAP_AREA:
                        total += bound
                        continue
                    if bound <= limits.max_empty_cells:
                        # However few values it holds, a grid within this bound passes
                        # the "mostly empty" test, and the total with it stays within the
                        # limit: the exact scan (a second inflate and regex pass, ~1.5 s
                        # for a 100k-row sheet) can wait until a later sheet brings the
                        # total near the limit, which is then judged exactly as before.
                        deferred.append((info, label, bound))
                        total += bound
                        continue
                if deferred:
                    total = _measure_deferred(zf, name, limits, total, deferred)
                total += _check_precise_extent(
                    zf, info, name, label, limits, total, extent.positional
                )


def _measure_deferred(
    zf: zipfile.ZipFile,
    name: str,
    limits: ReadLimits,
    total: float,
    deferred: list[tuple[zipfile.ZipInfo, str, float]],
) -> float:
    """``total`` with the bounds of the deferred sheets replaced by their exact areas.

    None of them can be refused here (each was deferred because its bound passed both
    tests), so this only makes the running total exact for the sheet that needs it.
    """
    total -= sum(bound for _info, _label, bound in deferred)
    for info, label, _bound in deferred:
        total += _check_precise_extent(zf, info, name, label, limits, int(total), False)
    deferred.clear()
    return total


_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\s([^>]*)>")
_REL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s([^>]*)>")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: The workbook and its relationships are read for sheet names only when this small.
_NAMES_PART_LIMIT = 8 * 1024 * 1024


def _attrs(text: bytes) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out[m.group(1).split(b":")[-1]] = html.unescape(value.decode("utf-8", "replace"))
    return out


def _sheet_names(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """``{part name: sheet name}`` from ``xl/workbook.xml`` and its relationships.

    Only for messages ("sheet 'People' refers to ..."), so anything unusual simply
    leaves a part named by its path. Read before the parts are vetted, hence the size
    limit and no XML parser (a DOCTYPE in them is refused just after).
    """
    book, rels = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
    if book not in names or rels not in names:
        return {}
    try:
        if zf.getinfo(book).file_size > _NAMES_PART_LIMIT:
            return {}
        if zf.getinfo(rels).file_size > _NAMES_PART_LIMIT:
            return {}
        targets: dict[str, str] = {}
        for m in _REL_TAG.finditer(zf.read(rels)):
            a = _attrs(m.group(1))
            if b"Id" in a and b"Target" in a:
                target = a[b"Target"]
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[a[b"Id"]] = posixpath.normpath(part)
        out: dict[str, str] = {}
        for m in _SHEET_TAG.finditer(zf.read(book)):
            a = _attrs(m.group(1))
            if b"name" in a and a.get(b"id") in targets:
                out[targets[a[b"id"]]] = a[b"name"]
        return out
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, KeyError):
        return {}


def _part_label(part: str, sheets: dict[str, str]) -> str:
    sheet = sheets.get(part)
    if sheet is None:
        return part
    shown = "".join(ch if ch.isprintable() else "?" for ch in sheet)[:60]
    return f"sheet {shown!r} ({part})"


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _cell_name(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData\b")


def _odd_cell_pattern(prefix: bytes) -> re.Pattern[bytes]:
    """Cell tags (``<c`` or ``<prefix:c``) other than ``<c r="A1"`` .. ``<c r="Z99999"``."""
    p = re.escape(prefix) + b":" if prefix else b""
    return re.compile(
        b"<"
        + p
        + rb'c(?:>|/>|\s(?!r="[A-Z][0-9]{1,5}")(?:r\s*=\s*["\']([A-Za-z]{1,3})([0-9]{1,9})["\'])?)'
    )


# --- cell addresses ----------------------------------------------------------------
# calamine reads a cell address (a cell's or row's ``r``, a ``<dimension ref>``, a merge,
# a hyperlink, a shared formula's or a table's ``ref``) by accumulating letters and
# digits into a u32 that wraps, then sizes its grid from it: ``A4294967295`` or
# ``ZZZZZZZZ1`` makes it ask for 256 GiB and abort. So every such attribute of every
# part is screened, and one beyond XFD1048576 refuses the file before calamine reads.
# Values within A1..XFD1048576 written plainly (every ordinary cell) are skipped by
# the regex itself; only the rest (rare) are parsed in Python, exactly.
_ROW_OK = (
    rb"(?:[1-9][0-9]{0,5}|10[0-3][0-9]{4}|104[0-7][0-9]{3}"
    rb"|1048[0-4][0-9]{2}|10485[0-6][0-9]|104857[0-6])"
)
_COL_OK = rb"(?:[A-Z]{1,2}|[A-W][A-Z]{2}|X[A-E][A-Z]|XF[A-D])"
_ADDR_OK = _COL_OK + b"?" + _ROW_OK
# The common spelling, ``r="..."`` and ``ref="..."``: a literal start keeps these fast
# (~0.1 s per 36 MB); the name is confirmed in Python for the few matches.
_R_ATTR = re.compile(rb'r="(?!' + _ADDR_OK + rb'")([^"<>]*)"')
_REF_ATTR = re.compile(rb'ef="(?!' + _ADDR_OK + rb"(?::" + _ADDR_OK + rb')?")([^"<>]*)"')
# Any spelling XML allows (single quotes, spaces around "="), ~4x slower: used for a
# chunk only when such a spelling may be in it.
_ANY_ATTR = re.compile(rb"(?<=[\s])(r|ref|sqref)\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)')")
_ADDRESS_PART = re.compile(rb"\$?([A-Za-z]*)\$?([0-9]+)")
# An "=" with whitespace on either side, or an ``r=``/``f=`` not followed by a double
# quote: the spellings the two fast patterns above would miss. One regex starting at the
# literal "=" scans ~4x faster than the eight substring tests and four counts it replaced.
_ODD_SPELLING = re.compile(rb'=(?:[ \t\n\r]|(?<=[ \t\n\r]=)|(?<=[rf]=)(?!"))')


def _odd_spelling(buf: bytes) -> bool:
    return _ODD_SPELLING.search(buf) is not None


def _addresses(buf: bytes) -> list[bytes]:
    """Values of ``r``/``ref``/``sqref`` attributes in ``buf`` that are not plainly in range."""
    out: list[bytes] = []
    if _odd_spelling(buf):
        for m in _ANY_ATTR.finditer(buf):
            out.append(m.group(2) if m.group(2) is not None else m.group(3))
        return out
    # (pattern, length of the name's tail the pattern starts with, the names meant)
    for pattern, tail, names in ((_R_ATTR, 1, (b"r",)), (_REF_ATTR, 2, (b"ref", b"sqref"))):
        for m in pattern.finditer(buf):
            if _attr_name(buf, m.start() + tail) in names:
                out.append(m.group(1))
    return out


_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-:")


def _attr_name(buf: bytes, end: int) -> bytes:
    """The attribute name ending at ``end`` (just before "="), if a whitespace precedes it.

    A prefixed name (``x:r``) is returned whole, so it is not taken for ``r``: calamine
    reads unprefixed attributes only.
    """
    start = end
    while start > 0 and buf[start - 1] in _NAME_BYTES:
        start -= 1
    if start == 0 or not buf[start - 1 : start].isspace():
        return b""
    return buf[start:end]


def _beyond_sheet(value: bytes) -> str | None:
    """The first address in ``value`` beyond XFD1048576 (``"cell A4294967295"``,
    ``"row 2000000"``), as written; else None.

    A value calamine cannot parse (``$``, other characters, no digits) is its own
    clean error later, so it is not judged here.
    """
    for piece in re.split(rb"[\s:]+", value):
        m = _ADDRESS_PART.fullmatch(piece)
        if not m:
            continue
        letters, digits = m.groups()
        # Digits are counted before converting: a 10,000-digit row is refused as
        # beyond the sheet without building the number.
        too_far = len(digits.lstrip(b"0")) > 7 or int(digits) > MAX_ROW
        too_far = too_far or len(letters) > 3 or _col_number(letters) > MAX_COL
        if too_far:
            text = piece.decode("ascii", "replace")
            text = text if len(text) <= 40 else text[:37] + "..."
            return f"cell {text}" if letters else f"row {text}"
    return None


_ANY_PREFIXED_TAG = re.compile(rb":(?:c[\s>/]|row\b)")
_UNPREFIXED_TAG = re.compile(rb"<(?:c|row)[\s>/]")


def _mixed_prefixes(buf: bytes, prefix: bytes) -> bool:
    """Whether some row or cell tag in ``buf`` is not written ``<prefix:...``.

    Counting is ~5x faster here than a regex with look-behind, and exact: each tag is
    counted once on either side.
    """
    if _UNPREFIXED_TAG.search(buf):
        return True
    count = buf.count
    cells = count(b":c ") + count(b":c>") + count(b":c/")
    ours = count(b"<" + prefix + b":c ") + count(b"<" + prefix + b":c>")
    ours += count(b"<" + prefix + b":c/") + count(b"/" + prefix + b":c>")
    if cells != ours:
        return True
    rows = count(b":row")
    return rows != count(b"<" + prefix + b":row") + count(b"/" + prefix + b":row")


class _Extent:
    """A cheap upper bound of the cell area calamine would allocate for a sheet part.

    calamine holds a sheet as a dense grid from its first to its last non-empty cell
    (32 bytes a cell), and a failed allocation aborts the process: one stray value in
    XFD1048576 asks for 512 GB. Walking every cell in Python would cost ~3 s per
    million cells, so this pass runs one regex that skips the ordinary cell tag
    (``<c r="A1"`` .. ``<c r="Z99999"``, with the sheet's own namespace prefix if it
    uses one) and looks only at the rest: references far away (columns beyond Z, rows
    beyond 99,999), and cells placed by position (no leading ``r``) or written with
    another prefix, which calamine also accepts and which leave the bound open, so the
    exact walk runs.
    """

    def __init__(self) -> None:
        self.far_row = 0
        self.far_col = 0
        self.positional = False
        self._tail = b""
        self._prefix: bytes | None = None
        self._odd = _odd_cell_pattern(b"")
        #: The first cell address beyond XFD1048576 met, as written.
        self.beyond: str | None = None

    def feed(self, data: bytes, final: bool = False) -> None:
        buf = self._tail + data
        # Scan up to the last "<" only, so no tag is cut in two; the rest comes first
        # in the next chunk (or at the final call).
        cut = len(buf) if final else buf.rfind(b"<")
        if cut < 0 or len(buf) - cut > 65536:
            cut = len(buf)
        buf, self._tail = buf[:cut], buf[cut:]
        if self.beyond is None and (b"r=" in buf or b"f=" in buf or _odd_spelling(buf)):
            for value in _addresses(buf):
                self.beyond = _beyond_sheet(value)
                if self.beyond:
                    break
        if self._prefix is None:
            m = _SHEET_DATA.search(buf)
            if m:
                self._prefix = m.group(1) or b""
                if self._prefix:
                    self._odd = _odd_cell_pattern(self._prefix)
        found = self._odd.findall(buf)
        if found:
            letters = {c for c, _ in found}
            digits = {r for _, r in found}
            if b"" in letters:
                self.positional = True
            self.far_col = max(self.far_col, *(_col_number(c) for c in letters))
            self.far_row = max(self.far_row, *(int(r or 0) for r in digits))
        if not self.positional:
            if self._prefix:
                self.positional = _mixed_prefixes(buf, self._prefix)
            else:
                self.positional = _ANY_PREFIXED_TAG.search(buf) is not None

    def estimate(self) -> float:
        if self._prefix is None:
            return 0  # no sheetData: calamine reads no cell from this part
        if self.positional:
            return float("inf")
        return max(self.far_row, 99_999) * max(self.far_col, 26)


_VALUE_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?(?<=\s)r\s*=\s*["\']([A-Za-z]{1,3})([0-9]{1,9})["\']'
    rb"[^>]*(?<!/)>"
)


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s>/])([^>]*)>")
_REF = re.compile(rb'(?:^|\s)r\s*=\s*["\']([A-Za-z]{0,3})([0-9]{1,9})["\']')


def _check_precise_extent(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    label: str,
    limits: ReadLimits,
    total: int,
    positional: bool,
) -> int:
    """Measure a sheet's grid exactly; refuse it when mostly empty or over the total.

    Only run when the cheap bound is too high: empty formatted cells far away are
    common and harmless (calamine skips cells without a value, here the self-closing
    ones), so they must not get a file refused. With every cell referenced, one regex
    finds the value cells (~0.4 s per million cells); positional cells need the
    slower walk of every tag in order (~3 s per million), which only odd writers need.
    Returns the sheet's grid area, for the workbook's running ``total``.
    """
    max_row, max_col, values = (_walk_tags if positional else _scan_refs)(zf, info)
    if max_row < 0:
        raise UnreadableFile(
            name,
            f"sheet too large to check safely: {label} has more than "
            f"{_MAX_WALK_TAGS:,} cells written without cell references; "
            f"open and save it in Excel",
        )
    area = max_row * max_col
    last = _cell_name(max_row, max_col)
    if area > limits.max_empty_cells + _CELLS_PER_VALUE * values:
        raise UnreadableFile(
            name,
            f"sheet too large: {label} reaches cell {last} ({area:,} cells) but holds "
            f"only {values:,} {'value' if values == 1 else 'values'}; delete stray cells "
            f"far from the data (Ctrl+End shows the last one) and save again",
        )
    if total + area > limits.max_total_cells:
        raise UnreadableFile(
            name,
            f"workbook too large: with {label} (to cell {last}) its sheets span "
            f"{total + area:,} cells; the limit is {limits.max_total_cells:,} "
            f"(split the workbook, or save the sheets as CSV files)",
        )
    return area


def _scan_refs(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    """``(last row, last column, value cells)`` of a sheet whose cells all say where they are."""
    max_row = max_col = values = 0
    tail = b""
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            buf = tail + chunk
            cut = buf.rfind(b"<")
            if cut < 0 or len(buf) - cut >= 65536:
                cut = len(buf)
            buf, tail = buf[:cut], buf[cut:]
            found = _VALUE_CELL.findall(buf)
            if found:
                values += len(found)
                max_col = max(max_col, *(_col_number(c) for c in {c for c, _ in found}))
                max_row = max(max_row, *(int(r) for r in {r for _, r in found}))
        found = _VALUE_CELL.findall(tail)
        if found:
            values += len(found)
            max_col = max(max_col, *(_col_number(c) for c, _ in found))
            max_row = max(max_row, *(int(r) for _, r in found))
    return max_row, max_col, values


def _walk_tags(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    """Place every cell as calamine does: by its reference, else next to the last one.

    Returns ``(-1, -1, 0)`` past ``_MAX_WALK_TAGS`` tags, to stay within seconds.
    """
    max_row = max_col = values = 0
    tags = 0
    row = col = -1
    tail = b""
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            buf = tail + chunk
            end = 0
            for m in _TAG.finditer(buf):
                tags += 1
                if tags > _MAX_WALK_TAGS:
                    return -1, -1, 0
                end = m.end()
                attrs = m.group(2)
                ref = _REF.search(attrs) if b"r=" in attrs else None
                if m.group(1) == b"row":
                    row = int(ref.group(2)) - 1 if ref else row + 1
                    col = -1
                    continue
                if ref and ref.group(1):
                    row, col = int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1
                else:
                    col += 1
                if not attrs.endswith(b"/"):
                    values += 1
                    max_row = max(max_row, row + 1)
                    max_col = max(max_col, col + 1)
            # Keep an unfinished tag for the next chunk.
            cut = buf.rfind(b"<", end)
            tail = buf[cut:] if cut >= 0 and len(buf) - cut < 65536 else b""
    return max_row, max_col, values


def _check_member(raw: BinaryIO, info: zipfile.ZipInfo, name: str, label: str) -> _Extent:
    """Check one part: no DOCTYPE in its prolog, a stream that ends exactly at the size
    its header declares, and (returned) the cheap bound of its cell area.

    The stream is inflated here from the raw bytes with bounded output per step, so a
    member that lies about its size (the CRC can be forged to match the declared
    prefix) is caught after at most its declared size plus one chunk.
    """
    method = info.compress_type
    if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnreadableFile(
            name, f"unsupported workbook: {info.filename} uses compression method {method}"
        )
    extent = _Extent()
    try:
        raw.seek(info.header_offset)
        local = raw.read(30)
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise UnreadableFile(name, f"damaged workbook: bad zip entry for {info.filename}")
        n_name, n_extra = struct.unpack("<HH", local[26:30])
        raw.seek(info.header_offset + 30 + n_name + n_extra)
        inflater = zlib.decompressobj(-15) if method == zipfile.ZIP_DEFLATED else None
        produced = 0
        left = info.compress_size
        prolog_checked = False
        head = b""
        done = False
        while left > 0 and not done:
            chunk = raw.read(min(_CHUNK, left))
            if not chunk:
                raise UnreadableFile(name, f"damaged workbook: {info.filename} is truncated")
            left -= len(chunk)
            while chunk:
                if inflater is None:
                    out, chunk = chunk, b""
                else:
                    out = inflater.decompress(chunk, _CHUNK)
                    chunk = inflater.unconsumed_tail
                    done = inflater.eof
                produced += len(out)
                if produced > info.file_size:
                    raise UnreadableFile(
                        name,
                        f"zip bomb: {info.filename} inflates beyond the "
                        f"{_mb(info.file_size)} its header declares",
                    )
                if not prolog_checked:
                    head += out[: _PROLOG_LIMIT - len(head)]
                    if len(head) >= _PROLOG_LIMIT or done or _has_root(head):
                        _check_prolog(head, info.filename, name)
                        prolog_checked = True
                extent.feed(out)
                if done:
                    break
                if extent.beyond:
                    raise UnreadableFile(name, _beyond_reason(label, extent.beyond))
        extent.feed(b"", final=True)
        if extent.beyond:
            raise UnreadableFile(name, _beyond_reason(label, extent.beyond))
        if not prolog_checked:
            _check_prolog(head, info.filename, name)
        if produced != info.file_size:
            raise UnreadableFile(
                name, f"damaged workbook: {info.filename} is not the size its header declares"
            )
    except UnreadableFile:
        raise
    except (zlib.error, OSError, struct.error, EOFError) as exc:
        raise UnreadableFile(name, f"damaged workbook ({info.filename}: {exc})") from None
    return extent


def _beyond_reason(label: str, address: str) -> str:
    return (
        f"unsafe workbook: {label} refers to {address}, beyond the last cell a "
        f"worksheet can have (XFD1048576)"
    )


def _has_root(head: bytes) -> bool:
    """Whether ``head`` reaches past the prolog (a cheap test, exact check follows)."""
    try:
        _check_prolog(head, "", "", final=False)
    except _NeedMore:
        return False
    except UnreadableFile:
        return True
    return True


class _NeedMore(Exception):
    pass


def _check_prolog(data: bytes, member: str, name: str, final: bool = True) -> None:
    text = _decode_prolog(data)
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n:
            break
        if not final and n - i < 16:
            raise _NeedMore  # a chunk may end inside "<!DOCTYPE"
        if text.startswith("<?", i):
            end = text.find("?>", i)
            if end < 0:
                break
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
            if end < 0:
                break
            i = end + 3
        elif text.startswith("<!", i):
            # <!DOCTYPE (and <!ENTITY inside it): entity expansion bombs and external
            # entities live here; no genuine Office part carries one.
            raise UnreadableFile(
                name, f"unsafe workbook: {member} declares a DOCTYPE/entities (XML bomb?)"
            )
        else:
            return  # the root element: nothing before it was a DOCTYPE
    if not final:
        raise _NeedMore
    if len(data) >= _PROLOG_LIMIT:
        raise UnreadableFile(name, f"unsafe workbook: {member} has an endless XML prolog")
    # A part that ended inside its prolog: let the parser report it as damaged, but a
    # DOCTYPE anywhere in so short a part is still refused.
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise UnreadableFile(name, f"unsafe workbook: {member} declares a DOCTYPE/entities")


def _decode_prolog(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", errors="replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", errors="replace")
    return data.decode("utf-8", errors="replace")
