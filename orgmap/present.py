"""How values read, wherever they are shown: the one formatter.

The canvas tooltips, the explorer's cells, the inspector, the HTML map, the profile and
the terminal all format through here, driven by each metric's ``fmt`` in the one
metric table (:data:`orgmap.metrics.info.METRICS`), so ``0.4237`` never reads ``0.424``
in one place and ``0.42`` in another.

Rules: counts whole with thousands separators; shares and percentiles as a percentage
rounded *down* (99.6% reads "99%", so "100%" means nobody is above); other numbers to
three significant digits, whole above 1,000; yes/no for flags; lists cut at
:data:`LIST_LIMIT` items with "and N more"; missing or non-finite values read "".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from orgmap.cells import finite
from orgmap.metrics.info import plural  # counted nouns ("1 person", "3 teams")

__all__ = ["LIST_LIMIT", "value", "metric_value", "metric_label", "item", "items", "plural"]

#: Items shown of a list before "and N more".
LIST_LIMIT = 5


def _number(x: float) -> str:
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def value(v: Any, fmt: str = "") -> str:
    """``v`` as a person reads it; ``fmt`` is a metric's format (int, percent, float, bool).

    >>> value(0.4237), value(0.996, "percent"), value(12034.6), value(3.0, "int")
    ('0.424', '99%', '12,035', '3')
    >>> value(["a", "b", "c", "d", "e", "f", "g"])
    'a, b, c, d, e and 2 more'
    """
    if v is None or v == "":
        return ""
    if isinstance(v, bool) or fmt == "bool":
        return "yes" if v else "no"
    if fmt == "percent":
        x = finite(v)
        if x is None:
            return ""
        # percentiles may come as 0..100 or as fractions 0..1; both read as a percentage
        pct = x * 100 if abs(x) <= 1 else x
        return f"{math.floor(pct + 1e-9):.0f}%"
    if fmt == "int":
        x = finite(v)
        return "" if x is None else f"{round(x):,}"
    if isinstance(v, (int, float)):
        x = finite(v)
        return "" if x is None else _number(x)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {value(x)}" for k, x in v.items() if x not in (None, "", 0))
    if isinstance(v, (list, tuple, set, frozenset)):
        return items(v)
    return str(v)


def item(v: Any) -> str:
    """One item of a list: a named item's own sentence, a node without its kind prefix."""
    if isinstance(v, dict) and "text" in v:
        return str(v["text"])
    if isinstance(v, (list, tuple)):
        return " - ".join(item(x) for x in v)
    if not isinstance(v, str):
        return value(v)
    for prefix in ("person:", "team:", "department:", "project:"):
        if v.startswith(prefix):
            return v[len(prefix) :]
    return v


def items(values: Iterable[Any], limit: int = LIST_LIMIT) -> str:
    """``a, b, c and 4 more``: at most ``limit`` items named."""
    shown = [item(v) for v in values]
    if len(shown) <= limit:
        return ", ".join(shown)
    return ", ".join(shown[:limit]) + f" and {len(shown) - limit:,} more"


def _info(name: str, entity: str) -> Any:
    from orgmap.metrics.info import metric

    try:
        return metric(name, entity)  # type: ignore[arg-type]
    except KeyError:
        return None


def metric_label(name: str, entity: str = "person") -> str:
    """The reader's name of a metric, else the key tidied (``teams_reached`` -> ``Teams reached``)."""
    info = _info(name, entity)
    return info.label if info is not None else name.replace("_", " ").capitalize()


def metric_value(name: str, v: Any, entity: str = "person") -> str:
    """A metric's value the way the metric table says to show it."""
    info = _info(name, entity)
    return value(v, info.fmt if info is not None else "")
