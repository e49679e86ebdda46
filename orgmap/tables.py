"""The one shape every reader hands to the builder: a table of raw cells.

Readers only open files and produce :class:`Table` objects; everything after that
(header detection, column mapping, validation, the graph) is pure and works the same
on a CSV, a workbook sheet or a test's list of dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgmap.issues import Issue

__all__ = ["Table", "UnreadableFile", "ReadLimits"]


@dataclass
class Table:
    """Raw rows of one CSV file or one workbook sheet.

    ``rows[i]`` is the spreadsheet's row ``first_row + i`` (1-based, as the
    spreadsheet shows it). Cells are ``str``, ``int``, ``float``, ``bool``,
    ``datetime``/``date`` or ``None``; the builder normalises them.
    """

    file: str
    sheet: str
    rows: list[list[Any]]
    first_row: int = 1
    #: True when the source writes decimals with a comma (a ``;`` CSV, say).
    decimal_comma: bool = False
    #: The file's full path, for messages that need it; ``file`` is the display name.
    path: str = ""
    #: What the reader had to assume about single rows (a row in another encoding,
    #: say); the loader adds them to the import issues, so nothing is assumed unseen.
    issues: list[Issue] = field(default_factory=list)

    @classmethod
    def from_dicts(
        cls, records: Iterable[Mapping[str, Any]], *, file: str = "<memory>", sheet: str = "Sheet1"
    ) -> Table:
        """Build a table from dicts, the header taken from the first dict's keys."""
        records = list(records)
        header: list[str] = []
        for rec in records:
            for key in rec:
                if key not in header:
                    header.append(key)
        rows: list[list[Any]] = [list(header)]
        rows.extend([rec.get(col) for col in header] for rec in records)
        return cls(file=file, sheet=sheet, rows=rows)

    @classmethod
    def from_rows(
        cls, rows: Sequence[Sequence[Any]], *, file: str = "<memory>", sheet: str = "Sheet1"
    ) -> Table:
        return cls(file=file, sheet=sheet, rows=[list(r) for r in rows])


class UnreadableFile(Exception):
    """A file that cannot be read at all; the message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class ReadLimits:
    """Limits that keep a hostile or broken file from exhausting the machine."""

    max_file_bytes: int = 200 * 1024 * 1024
    #: Sum of the uncompressed sizes of a workbook's zip members.
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    #: Uncompressed / compressed size of one member above which it is a zip bomb.
    max_compression_ratio: float = 200.0
    max_rows_per_table: int = 2_000_000
    #: Sum, over a workbook's sheets, of each sheet's grid (A1 to its farthest value):
    #: calamine and the rows handed to the builder hold that grid densely, ~80 bytes
    #: a cell while a sheet is read, so this is the bound on memory, across sheets.
    max_total_cells: int = 30_000_000
    #: Empty cells a sheet's grid may hold beyond eight per value: a sheet that is
    #: mostly empty (a stray value far from the data) would cost memory its real
    #: content does not need, so it is refused with the cell to delete.
    max_empty_cells: int = 4_000_000
    extra: dict[str, Any] = field(default_factory=dict)
