"""Import issues: every row that is not imported cleanly is listed here."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Issue", "Severity", "ERROR", "WARNING", "FATAL", "INFO"]

Severity = Literal["fatal", "error", "warning", "info"]
#: A whole file could not be read.
FATAL: Severity = "fatal"
#: The row was rejected.
ERROR: Severity = "error"
#: The row was kept; something was dropped or assumed.
WARNING: Severity = "warning"
#: Nothing wrong: rows kept off the map on purpose (a notes sheet, a terminated person,
#: an earlier snapshot), said so that nothing is lost silently.
INFO: Severity = "info"


@dataclass(frozen=True)
class Issue:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    severity: Severity
    code: str
    message: str
    #: For an issue about many rows (earlier snapshots, weight-0 ties): their numbers
    #: as ``(first, last)`` spans, so each row is still listed.
    spans: tuple[tuple[int, int], ...] = ()

    def covers(self, row: int) -> bool:
        """Whether this issue speaks of spreadsheet row ``row``."""
        return row == self.row or any(a <= row <= b for a, b in self.spans)

    def location(self) -> str:
        return f"{self.file}:{self.sheet or '-'}:{self.row if self.row is not None else '-'}"

    def __str__(self) -> str:
        where = f" [{self.column}]" if self.column else ""
        return f"{self.location()}: {self.severity}: {self.message}{where}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
