"""One colour scheme for the desktop canvas and the HTML map.

Both front ends colour and size nodes through these functions, so a team is the same
colour on screen and in the shared file.

- :func:`category_colors` gives each distinct value (team, department, kind, role) a
  colour from a colour-blind-friendly palette (Okabe & Ito 2008, then Tableau 10), in a
  stable order: the same set of values always gets the same colours, whatever order they
  arrive in. Past the 15 base colours it cycles with lighter and darker variants.
- :func:`metric_color` maps a number onto a sequential ramp (viridis stops, perceptually
  uniform and readable in grey scale).
- :func:`node_size` maps a number onto a node diameter (by area, so a node with twice
  the value looks twice as big).
- :data:`EDGE_COLORS` and :data:`KIND_COLORS` fix the colours of edge and node kinds.
"""

from __future__ import annotations

import colorsys
import functools
import math
from collections.abc import Iterable
from typing import Any

from orgmap.cells import finite

__all__ = [
    "BASE_COLORS",
    "EDGE_COLORS",
    "EDGE_DASHED",
    "EDGE_LABELS",
    "KIND_COLORS",
    "MISSING_COLOR",
    "VIRIDIS",
    "category_colors",
    "metric_color",
    "node_size",
    "hex_to_rgb",
    "rgb_to_hex",
    "mix",
    "text_color_on",
]

#: Okabe-Ito (minus black and yellow, which vanish on white/dark backgrounds next to
#: labels) followed by Tableau 10: 15 colours distinguishable by most colour-blind readers
#: in their first 7 and still distinct from each other after.
BASE_COLORS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
)

#: Colour for a missing value (no team, no metric).
MISSING_COLOR = "#B0B0B0"

#: Viridis at 9 evenly spaced stops (matplotlib's table), low -> high.
VIRIDIS: tuple[str, ...] = (
    "#440154",
    "#472D7B",
    "#3B528B",
    "#2C728E",
    "#21918C",
    "#28AE80",
    "#5EC962",
    "#ADDC30",
    "#FDE725",
)

#: Edge colours per edge kind (model.EDGE_KINDS plus the derived "collaboration").
EDGE_COLORS: dict[str, str] = {
    "reports_to": "#5B6770",  # slate: the backbone, quiet
    "dotted_line": "#8E9AA6",  # lighter slate, drawn dashed
    "works_on": "#E69F00",  # orange: projects
    "mentors": "#009E73",  # green: growth
    "tie": "#CC79A7",  # purple: survey / collaboration ties
    "collaboration": "#56B4E9",  # sky blue: derived collaboration
    "member_of": "#C8CDD2",  # very light: structure
    "part_of": "#C8CDD2",
}

#: Edge kinds drawn dashed.
EDGE_DASHED: frozenset[str] = frozenset({"dotted_line", "member_of", "part_of"})

#: Legend labels per edge kind.
EDGE_LABELS: dict[str, str] = {
    "reports_to": "reports to",
    "dotted_line": "dotted line",
    "works_on": "works on",
    "mentors": "mentors",
    "tie": "tie",
    "collaboration": "collaboration",
    "member_of": "member of",
    "part_of": "part of",
}

#: Marks drawn over the map (an :class:`orgmap.overlay.Overlay`): a ring in this colour
#: around each marked node, on the canvas and in the HTML map alike.
MARK_COLORS: dict[str, str] = {
    "path": "#0072B2",  # an introduction path (its line too)
    "target": "#D55E00",  # who the path leads to
    "advocate": "#009E73",  # someone with influence on the target
    "missing": "#CC79A7",  # someone who should be linked and is not
    "added": "#009E73",  # in the new snapshot only
    "left": "#D55E00",  # in the old snapshot only (drawn ghosted at the old place)
    "moved": "#E69F00",  # new manager, team or department
    "changed": "#56B4E9",  # new title or level
    "cut_off": "#C0392B",  # lost their last link in a what-if
    "bridge": "#6A1B9A",  # the one person linking two teams (deep violet: no team has it)
    "key_person": "#C0392B",  # high key-person risk
    "silo": "#7F8C8D",  # a team that keeps to itself
}

#: Legend labels per mark kind.
MARK_LABELS: dict[str, str] = {
    "path": "on the path",
    "target": "target",
    "advocate": "advocate",
    "missing": "not yet linked",
    "added": "joined",
    "left": "left",
    "moved": "moved",
    "changed": "title or level changed",
    "cut_off": "lost their last link",
    "bridge": "bridge",
    "key_person": "key person",
    "silo": "silo",
}

#: Node colours per node kind (when colouring by kind, and for non-person nodes).
KIND_COLORS: dict[str, str] = {
    "person": "#0072B2",
    "team": "#E69F00",
    "department": "#D55E00",
    "project": "#37474F",  # dark slate: apart from every category colour
}


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def rgb_to_hex(rgb: Iterable[float]) -> str:
    r, g, b = (max(0, min(255, round(c))) for c in rgb)
    return f"#{r:02X}{g:02X}{b:02X}"


def mix(a: str, b: str, t: float) -> str:
    """Blend colour ``a`` towards ``b`` by ``t`` in [0, 1]."""
    ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    return rgb_to_hex(x + (y - x) * t for x, y in zip(ra, rb, strict=True))


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG luminance)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in hex_to_rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.179 else "#FFFFFF"


def _sort_key(value: Any) -> tuple[int, str]:
    # Missing values sort last; everything else by folded text, so "platform" and
    # "Platform" sit together and the order never depends on arrival order.
    if value is None or value == "":
        return (1, "")
    return (0, str(value).casefold() + "\0" + str(value))


_LIGHTNESS_STEPS = (0.0, 0.17, -0.15, 0.28, -0.24, 0.08, -0.07)


@functools.lru_cache(maxsize=4096)
def _variant(base: str, cycle: int) -> str:
    # cycle 0 is the colour itself; later cycles alternate lighter and darker and turn
    # the hue a little each time, so even hundreds of teams get distinct colours.
    if cycle == 0:
        return base
    h, light, sat = colorsys.rgb_to_hls(*(c / 255 for c in hex_to_rgb(base)))
    step = _LIGHTNESS_STEPS[cycle % len(_LIGHTNESS_STEPS)]
    turn = cycle // len(_LIGHTNESS_STEPS) + 1
    h = (h + 0.025 * cycle * (1 if turn % 2 else -1)) % 1.0
    light = min(0.85, max(0.18, light + step))
    return rgb_to_hex(c * 255 for c in colorsys.hls_to_rgb(h, light, sat))


def category_colors(values: Iterable[Any]) -> dict[Any, str]:
    """A colour per distinct value, stable for the same set of values.

    Parameters
    ----------
    values : iterable
        Category values (team names, departments, ...); duplicates are fine. ``None``
        and ``""`` get :data:`MISSING_COLOR`.

    Returns
    -------
    dict
        ``{value: "#RRGGBB"}`` with values in sorted (case-folded) order.

    Examples
    --------
    >>> category_colors(["b", "a", "b"])
    {'a': '#0072B2', 'b': '#E69F00'}
    """
    distinct = sorted(set(values), key=_sort_key)
    colors: dict[Any, str] = {}
    n = len(BASE_COLORS)
    i = 0
    for value in distinct:
        if value is None or value == "":
            colors[value] = MISSING_COLOR
            continue
        colors[value] = _variant(BASE_COLORS[i % n], i // n)
        i += 1
    return colors


def metric_color(value: Any, lo: float, hi: float) -> str:
    """The colour of ``value`` on a viridis ramp from ``lo`` to ``hi``.

    Values outside the range are clamped; a missing or non-numeric value gets
    :data:`MISSING_COLOR`; when ``lo == hi`` every value gets the middle of the ramp.
    """
    x = finite(value)
    if x is None:
        return MISSING_COLOR
    lo_f, hi_f = finite(lo), finite(hi)
    if lo_f is None or hi_f is None or hi_f <= lo_f:
        t = 0.5
    else:
        t = min(1.0, max(0.0, (x - lo_f) / (hi_f - lo_f)))
    pos = t * (len(VIRIDIS) - 1)
    i = min(int(pos), len(VIRIDIS) - 2)
    return mix(VIRIDIS[i], VIRIDIS[i + 1], pos - i)


def node_size(
    value: Any, lo: float, hi: float, min_size: float = 14.0, max_size: float = 48.0
) -> float:
    """A node diameter between ``min_size`` and ``max_size`` for ``value`` in ``[lo, hi]``.

    The *area* grows linearly with the value (so the diameter with its square root),
    which is how readers compare circles. Missing values get ``min_size``; when
    ``lo == hi`` every value gets the middle size.
    """
    x = finite(value)
    if x is None:
        return float(min_size)
    lo_f, hi_f = finite(lo), finite(hi)
    if lo_f is None or hi_f is None or hi_f <= lo_f:
        t = 0.5
    else:
        t = min(1.0, max(0.0, (x - lo_f) / (hi_f - lo_f)))
    a0, a1 = min_size**2, max_size**2
    return float(math.sqrt(a0 + (a1 - a0) * t))


def group_colors(org: Any, attribute: str) -> dict[Any, str]:
    """Each department's (``attribute="department"``) or team's colour, assigned over
    the people of the whole org: the canvas, the HTML map and the GEXF picture agree,
    and a focus view or a filter keeps every group's colour."""
    graph = org.graph
    return category_colors(
        v for v in (graph.nodes[p].get(attribute) for p in org.people()) if v not in (None, "")
    )
