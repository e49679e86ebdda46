"""The view's arithmetic: a scale (px per layout unit) and the world point at the centre.

Qt-free, so the painter, the widget and exports agree on where a node lands.
"""

from __future__ import annotations

__all__ = ["fit_view", "to_screen", "to_world", "MIN_SCALE", "MAX_SCALE", "FIT_MARGIN"]

MIN_SCALE, MAX_SCALE = 1e-5, 40.0
#: Pixels left around the nodes when fitting.
FIT_MARGIN = 24


def _clip(s: float) -> float:
    return min(MAX_SCALE, max(MIN_SCALE, s))


def to_world(
    x: float, y: float, w: int, h: int, scale: float, cx: float, cy: float
) -> tuple[float, float]:
    """The layout point under screen point ``(x, y)`` of a ``w`` x ``h`` view."""
    return cx + (x - w / 2) / scale, cy + (y - h / 2) / scale


def to_screen(
    x: float, y: float, w: int, h: int, scale: float, cx: float, cy: float
) -> tuple[float, float]:
    """Where layout point ``(x, y)`` lands on a ``w`` x ``h`` view.

    >>> to_screen(*to_world(10, 20, 800, 600, 2.0, 5.0, 5.0), 800, 600, 2.0, 5.0, 5.0)
    (10.0, 20.0)
    """
    return (x - cx) * scale + w / 2, (y - cy) * scale + h / 2


def fit_view(
    bounds: tuple[float, float, float, float], w: int, h: int, margin: float = FIT_MARGIN
) -> tuple[float, float, float]:
    """``(scale, cx, cy)`` showing the box ``(x0, y0, x1, y1)`` whole in ``w`` x ``h``.

    >>> fit_view((0, 0, 100, 50), 248, 148)
    (2.0, 50.0, 25.0)
    """
    x0, y0, x1, y1 = bounds
    bw, bh = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    s = min((w - 2 * margin) / bw, (h - 2 * margin) / bh)
    return _clip(s), (x0 + x1) / 2, (y0 + y1) / 2
