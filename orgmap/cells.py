"""What a spreadsheet cell means: ids, text, numbers, dates, blank rows, row spans.

The builder reads every cell through these; anything else that needs to read a cell
the same way (the loop-in's link dates) uses them too.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "normalize_id",
    "as_text",
    "as_number",
    "extra_value",
    "is_blank",
    "attr_name",
    "row_spans",
    "spans_text",
    "date_key",
    "finite",
]

_INT_FLOAT = re.compile(r"^[+-]?\d+\.0*$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def finite(value: Any) -> float | None:
    """``value`` as a finite float (a flag as 1.0 or 0.0), else None: the one test every
    metric value passes before it is coloured, sized or formatted."""
    if isinstance(value, bool):
        return float(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def normalize_id(value: Any) -> str | None:
    """``1001``, ``1001.0`` and ``" 1001 "`` are one id."""
    if type(value) is str:  # the common case (every id of a CSV), first
        text = value.strip()
        if not text:
            return None
        # only a text with a point can be "1001.0": the regex is skipped for the rest
        if "." in text and _INT_FLOAT.match(text):
            text = text.split(".")[0].lstrip("+")
        return text
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    if not text:
        return None
    if _INT_FLOAT.match(text):
        text = text.split(".")[0].lstrip("+")
    return text


def as_text(value: Any) -> str | None:
    """A cell as trimmed text (dates as ISO), or None when empty."""
    if type(value) is str:  # the common case, first
        value = value.strip()
        return value or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def as_number(value: Any, decimal_comma: bool) -> float | None:
    """A cell as a finite number (a decimal comma read when the table uses one), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value == value and abs(value) != float("inf") else None
    text = str(value).strip()
    if decimal_comma and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    if _NUMBER.match(text):
        return float(text)
    return None


def extra_value(value: Any, decimal_comma: bool) -> Any:
    """Unmapped columns keep their values; numbers become numbers (decimal commas too)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    num = as_number(value, decimal_comma)
    if num is not None:
        return int(num) if num.is_integer() and "." not in str(value) else num
    return as_text(value)


def is_blank(row: list[Any]) -> bool:
    """No cell of the row holds anything."""
    for cell in row:  # returns at the first filled cell, usually the first
        if cell is None or (type(cell) is str and not cell.strip()):
            continue
        return False
    return True


def attr_name(header: Any) -> str:
    """The attribute a column that is no field becomes (``Cost Centre`` -> ``cost_centre``)."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", str(header).strip()).strip("_").lower()
    return name or "column"


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_EU_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
#: Jira's "23/Oct/26 4:00 PM", "3 Sep 2026", "03-Sep-2026"; and "Sep 3, 2026"
_NAMED_DATE = re.compile(r"^(\d{1,2})[ /-]([A-Za-z]{3,9})[ /-](\d{2,4})\b")
_MONTH_FIRST = re.compile(r"^([A-Za-z]{3,9}) (\d{1,2}),? (\d{4})\b")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}  # fmt: skip


def _named(day: str, month: str, year: str) -> str | None:
    mo = _MONTHS.get(month[:3].lower())
    y = int(year) + (2000 if len(year) == 2 else 0)
    if mo is None:
        return None
    try:
        return _dt.date(y, mo, int(day)).isoformat()
    except ValueError:
        return None


def row_spans(numbers: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Sorted row numbers as ``(first, last)`` runs."""
    out: list[list[int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return tuple((a, b) for a, b in out)


def spans_text(spans: tuple[tuple[int, int], ...], most: int = 6) -> str:
    """``rows 2, 4-8 and 3 more runs``."""
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in spans[:most]]
    more = f" and {len(spans) - most} more runs" if len(spans) > most else ""
    word = "row" if len(spans) == 1 and spans[0][0] == spans[0][1] else "rows"
    return f"{word} {', '.join(parts)}{more}"


def date_key(value: Any) -> str | None:
    """A snapshot date as ``YYYY-MM-DD`` (sortable); None when the cell is no date."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial date
            return (_dt.date(1899, 12, 30) + _dt.timedelta(days=int(value))).isoformat()
        return None
    text = as_text(value)
    if text is None:
        return None
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_US_DATE, (2, 0, 1)), (_EU_DATE, (2, 1, 0))):
        m = pattern.match(text)
        if m:
            parts = [int(g) for g in m.groups()]
            y, mo, d = parts[order[0]], parts[order[1]], parts[order[2]]
            try:
                return _dt.date(y, mo, d).isoformat()
            except ValueError:
                return None
    m = _NAMED_DATE.match(text)
    if m:
        return _named(*m.groups())
    m = _MONTH_FIRST.match(text)
    if m:
        return _named(m.group(2), m.group(1), m.group(3))
    return None
