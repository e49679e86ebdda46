"""Delimited text tables: ``.csv``, ``.tsv`` and ``.txt``.

The delimiter is chosen among ``,`` ``;`` tab and ``|`` by how consistently each one
splits the first records into the same number of fields (csv.Sniffer alone guesses
wrong on short files and on names such as "Doe, Jane" in a ``;`` file). Text is UTF-8
with or without BOM, UTF-16 with BOM (Excel's "Unicode Text"), else cp1252 line by line
(each row read so is listed when the file otherwise holds UTF-8).
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections import Counter
from pathlib import Path

from orgmap.issues import WARNING, Issue
from orgmap.readers._registry import register
from orgmap.tables import ReadLimits, Table, UnreadableFile

__all__ = ["read_delimited", "parse_delimited", "decode_text", "decode_lines", "sniff_delimiter"]

DELIMITERS = (",", ";", "\t", "|")
#: How many records the sniffer looks at.
_SNIFF_RECORDS = 60
_SNIFF_CHARS = 256 * 1024

_SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*(?:\n|$)', re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d*\.\d+\s*$")
# "1,000" / "12,345,678" read as thousands, not decimals, when nothing else decides.
_THOUSANDS = re.compile(r"^\s*[-+]?\d{1,3}(,\d{3})+\s*$")


def decode_text(data: bytes) -> str:
    """Decode a text table: UTF-16 by BOM, else UTF-8 (BOM optional), else cp1252 by line."""
    return decode_lines(data)[0]


def _cp1252(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so nothing is lost.
        return line.decode("latin-1")


def decode_lines(data: bytes) -> tuple[str, list[int]]:
    r"""Decode a text table; also return the lines read in another encoding than the rest.

    UTF-16 by BOM, else UTF-8 (BOM optional). A file that is not all UTF-8 is decoded line
    by line: UTF-8 first, cp1252 (Windows) for a line that is not UTF-8, so one stray
    byte no longer turns every ``Zoë`` of the file into ``ZoÃ«``. The second value lists
    the 1-based line numbers read as cp1252 when other lines hold UTF-8 accents (a file
    mixing encodings, each such row worth a look); a file wholly in cp1252, as older
    Excel saves it, lists none.

    >>> decode_lines("Zoë\n".encode() + "José\n".encode("cp1252"))
    ('Zoë\nJosé\n', [2])
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parts: list[str] = []
    other: list[int] = []
    utf8_accents = False
    # bytes.splitlines breaks at \n, \r\n and \r only, the breaks the parser counts.
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(_cp1252(line))
            other.append(number)
        else:
            utf8_accents = utf8_accents or not line.isascii()
    return "".join(parts), other if utf8_accents else []


def _field_counts(sample: str, delimiter: str) -> list[int]:
    counts: list[int] = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if record and any(cell.strip() for cell in record):
                counts.append(len(record))
            if len(counts) >= _SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    return counts


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    """Pick the delimiter that splits the first records most consistently.

    Score: the share of non-blank records having the most common field count (> 1),
    then that count. The last sampled record may be cut mid-way, so it is dropped
    when there are others.
    """
    sample = text[:_SNIFF_CHARS]
    cut = len(text) > _SNIFF_CHARS
    best: tuple[float, int, int] = (0.0, 0, 0)
    choice = preferred
    for delim in DELIMITERS:
        counts = _field_counts(sample, delim)
        if cut and len(counts) > 1:
            counts = counts[:-1]
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode <= 1:
            continue
        score = (freq / len(counts), mode, 1 if delim == preferred else 0)
        if score > best:
            best, choice = score, delim
    return choice


def _looks_decimal_comma(rows: list[list[str | None]], delimiter: str) -> bool:
    """Whether numbers in the table are written ``9,333`` rather than ``9.333``."""
    if delimiter == ",":
        return False
    comma = point = thousands = 0
    for row in rows[:2000]:
        for cell in row:
            if not cell:
                continue
            if _THOUSANDS.match(cell):
                thousands += 1
            elif _DECIMAL_COMMA.match(cell):
                comma += 1
            elif _DECIMAL_POINT.match(cell):
                point += 1
    if delimiter == ";":
        # The European convention: `;` separates because `,` is the decimal mark.
        return not (point and not comma)
    # "9,333" alone is ambiguous (thousands or decimals); with no decimal points in
    # the file it is taken as a decimal comma, the common case of a European export.
    return comma > point or (thousands > 0 and point == 0)


def parse_delimited(
    text: str, *, delimiter: str | None = None, preferred: str = ","
) -> tuple[list[list[str | None]], str, bool]:
    """Parse decoded text into rows of cells.

    Returns ``(rows, delimiter, decimal_comma)``. ``rows[i]`` is record ``i + 1`` as a
    spreadsheet shows it: a quoted cell may hold newlines (a member list) and still be one
    record; blank lines stay as empty rows so later row numbers stay right. Empty cells
    are None; rows are padded to the widest row. Every field is kept, repeated header
    names included (the builder decides what a second ``Name`` column means).
    """
    rows, delimiter, decimal_comma, _ = _parse_records(text, delimiter, preferred)
    return rows, delimiter, decimal_comma


def _parse_records(
    text: str, delimiter: str | None, preferred: str
) -> tuple[list[list[str | None]], str, bool, list[int]]:
    """:func:`parse_delimited`, plus the last source line of each record (1-based)."""
    # A cell may be as long as the file (a Members cell listing 100k people is legal):
    # the file's size is already bounded (ReadLimits.max_file_bytes), so csv's
    # 131,072-character cap on one field is raised to the text's length, never lowered.
    if len(text) >= csv.field_size_limit():
        csv.field_size_limit(len(text) + 1)
    # One newline convention, inside quoted cells too (CRLF files, old Mac files).
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Excel's "sep=;" first line names the delimiter; Excel hides that line, so the
    # header after it is row 1 as the user sees it.
    skipped = 0
    m = _SEP_LINE.match(text)
    if m:
        delimiter = delimiter or m.group(1)
        text = text[m.end() :]
        skipped = 1
    if delimiter is None:
        delimiter = sniff_delimiter(text, preferred)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str | None]] = []
    ends: list[int] = []
    width = 0
    try:
        for record in reader:
            row = [c or None for c in record]  # csv yields text only: "" is the empty cell
            if len(row) > width:
                width = len(row)
            rows.append(row)
            ends.append(reader.line_num + skipped)
    except csv.Error as exc:
        raise ValueError(f"not a readable table near record {reader.line_num}: {exc}") from exc
    # Trailing blank lines at the end of a file are not rows anybody sees.
    while rows and not rows[-1]:
        rows.pop()
        ends.pop()
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows, delimiter, _looks_decimal_comma(rows, delimiter), ends


def _rows_of_lines(lines: list[int], ends: list[int]) -> list[int]:
    """The 1-based rows (records) holding the given source lines, each once."""
    out: list[int] = []
    for line in lines:
        i = bisect.bisect_left(ends, line)
        if i < len(ends) and (not out or out[-1] != i + 1):
            out.append(i + 1)
    return out


def _refuse_binary(path: Path, head: bytes) -> None:
    if head.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            str(path), "not a text table: this is a zip file (an .xlsx workbook? name it .xlsx)"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            str(path), "not a text table: this is a legacy Excel (.xls) or encrypted file"
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text holds NUL bytes by nature
    if b"\x00" in head:
        raise UnreadableFile(str(path), "not a text table: the file holds binary data")


@register(".csv", ".tsv", ".txt", label="Delimited text")
def read_delimited(path: Path, limits: ReadLimits) -> list[Table]:
    """Read a CSV/TSV/TXT file into one table named after the file's stem."""
    data = path.read_bytes()
    _refuse_binary(path, data[:8192])
    text, cp1252_lines = decode_lines(data)
    del data
    if not text.strip():
        raise UnreadableFile(str(path), "empty file (no text)")
    preferred = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        rows, _delim, decimal_comma, ends = _parse_records(text, None, preferred)
    except ValueError as exc:
        raise UnreadableFile(str(path), str(exc)) from None
    del text
    issues = [
        Issue(
            path.name,
            path.stem,
            row,
            None,
            WARNING,
            "mixed-encoding",
            "this row is not UTF-8 like the rest of the file: read as Windows-1252 "
            "(cp1252); check its accented letters",
        )
        for row in _rows_of_lines(cp1252_lines, ends)
    ]
    return [
        Table(
            file=path.name,
            sheet=path.stem,
            rows=rows,
            first_row=1,
            decimal_comma=decimal_comma,
            path=str(path),
            issues=issues,
        )
    ]
