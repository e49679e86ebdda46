"""What a feature draws over the map, as plain data: one shape for canvas and HTML.

Loop-in paths, Compare's joined/left/moved people and a What-if's cut-off people are all
an :class:`Overlay`: lines through nodes, a mark (a coloured ring, colours in
:data:`orgmap.palette.MARK_COLORS`) on some nodes, ghosts of nodes that are no longer in
the org drawn at their old place, and whether everything else fades. The core builds it;
the canvas (``GraphCanvas.set_overlay``) and the HTML map (``overlay=``) draw it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from orgmap.palette import MARK_COLORS, MARK_LABELS

__all__ = ["Overlay", "Ghost"]


@dataclass(frozen=True)
class Ghost:
    """A node drawn where it used to be, though it is not in the org shown."""

    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Overlay:
    """Lines, marks and ghosts drawn over the map.

    ``paths``: node sequences, each drawn as a line through its nodes' positions.
    ``marks``: node -> mark kind (a key of :data:`MARK_COLORS`).
    ``ghosts``: key -> :class:`Ghost`, drawn faded with their mark from ``marks``.
    ``fade_others``: fade every node that is neither marked nor on a path.
    """

    title: str = ""
    paths: tuple[tuple[str, ...], ...] = ()
    marks: Mapping[str, str] = field(default_factory=dict)
    ghosts: Mapping[str, Ghost] = field(default_factory=dict)
    fade_others: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.marks.values()) - set(MARK_COLORS)
        if unknown:
            raise ValueError(f"unknown mark kinds: {sorted(unknown)}")
        object.__setattr__(self, "paths", tuple(tuple(p) for p in self.paths))
        object.__setattr__(self, "marks", MappingProxyType(dict(self.marks)))
        object.__setattr__(self, "ghosts", MappingProxyType(dict(self.ghosts)))

    def nodes(self) -> set[str]:
        """Every node the overlay names (on a path or marked), ghosts excluded."""
        on_paths = {n for path in self.paths for n in path}
        return (on_paths | set(self.marks)) - set(self.ghosts)

    def legend(self) -> list[tuple[str, str, int]]:
        """(label, colour, count) per mark kind used, in :data:`MARK_COLORS` order."""
        counts = Counter(self.marks.values())
        return [
            (MARK_LABELS[kind], MARK_COLORS[kind], counts[kind])
            for kind in MARK_COLORS
            if counts[kind]
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for the HTML map."""
        return {
            "title": self.title,
            "paths": [list(p) for p in self.paths],
            "marks": dict(self.marks),
            "ghosts": {k: {"label": g.label, "x": g.x, "y": g.y} for k, g in self.ghosts.items()},
            "fade_others": self.fade_others,
            "colors": {kind: MARK_COLORS[kind] for kind in set(self.marks.values())},
            "legend": [{"label": a, "color": b, "count": c} for a, b, c in self.legend()],
        }
