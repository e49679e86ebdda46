"""The app's view state and the ``.orgmap`` session file, free of Qt.

As in glue's viewer states, every setting the user can change is one documented
attribute of a plain object; the window binds its widgets to those names, and a saved
session is exactly this object serialized. Nothing here imports Qt, so the state can be
read, written and tested anywhere.

A session file is JSON::

    {
      "format": "orgmap-session",
      "version": 1,
      "sources": ["/abs/path/people.xlsx", ...],
      "mapping": {"People.Boss": "manager"},
      "settings": {"layout": "orgchart", "color_by": "team", "size_by": null,
                   "edge_kinds": ["reports_to", ...], "k": 2,
                   "relations": ["reports", "dotted", "mentors", "projects", "ties"],
                   "selection": "person:7", "zoom": 1.0, "center": [0.0, 0.0],
                   "explorer_tab": "people", "filter": ""}
    }

Source paths are stored absolute, and also relative to the session file so a folder
moved as a whole (session beside its data) still opens.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from psygnal import evented

from orgmap.cells import finite
from orgmap.safety import atomic_write_text

__all__ = [
    "LAYOUTS",
    "COLOR_MODES",
    "DEFAULT_EDGE_KINDS",
    "ALL_EDGE_KINDS",
    "ALL_RELATIONS",
    "ViewState",
    "Session",
    "SessionError",
    "SESSION_SUFFIX",
]

SESSION_SUFFIX = ".orgmap"
FORMAT = "orgmap-session"
VERSION = 1

#: Layout kinds, as ``orgmap.layout.compute_layout`` names them, with their labels.
LAYOUTS: dict[str, str] = {"orgchart": "Org chart", "network": "Network", "teams": "Teams"}
#: Colour modes that are not a metric name.
COLOR_MODES: dict[str, str] = {"team": "Team", "department": "Department", "kind": "Kind"}
ALL_EDGE_KINDS = ("reports_to", "dotted_line", "member_of", "part_of", "works_on", "mentors", "tie")
#: Membership edges (person -> team, team -> department) are implied by colour and
#: grouping, so they start hidden: drawing 300 spokes to a team node hides the structure.
DEFAULT_EDGE_KINDS = ("reports_to", "dotted_line", "works_on", "mentors", "tie")
#: The relations the influence metrics count (``--relations`` on the command line).
ALL_RELATIONS = ("reports", "dotted", "mentors", "projects", "ties")


class SessionError(Exception):
    """A session file that cannot be read; the message says why."""


def _finite(value: Any, default: float) -> float:
    x = finite(value)
    return default if x is None else x


@evented
@dataclass
class ViewState:
    """Everything about the view a user chose, one attribute per setting.

    Observable (psygnal): ``state.events.<name>`` fires with the new value whenever an
    attribute changes, so every widget showing a setting follows it by name.
    """

    #: Layout kind: ``orgchart`` (tree along reporting lines), ``network``, ``teams``.
    layout: str = "orgchart"
    #: Node colour: ``team``, ``department``, ``kind`` or a metric name.
    color_by: str = "team"
    #: Node size: a metric name, or None for one size.
    size_by: str | None = None
    #: Edge kinds drawn on the canvas.
    edge_kinds: list[str] = field(default_factory=lambda: list(DEFAULT_EDGE_KINDS))
    #: Steps of reach lit up around the selection.
    k: int = 2
    #: Selected node key (``person:7``), or None.
    selection: str | None = None
    #: Canvas zoom factor (1.0 = one layout unit per pixel).
    zoom: float = 1.0
    #: Canvas centre in layout coordinates.
    center: tuple[float, float] = (0.0, 0.0)
    #: Relations the metrics count (``reports``, ``dotted``, ``mentors``, ``projects``,
    #: ``ties``), as ``orgmap analyze --relations`` takes them.
    relations: list[str] = field(default_factory=lambda: list(ALL_RELATIONS))
    #: Explorer tab: ``people``, ``projects`` or ``teams``.
    explorer_tab: str = "people"
    #: Text in the explorer's filter box.
    filter: str = ""
    #: Nodes the user dragged, per layout: ``{layout: {node: (x, y)}}`` (map branch).
    moved_positions: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)

    def assign(self, other: ViewState) -> None:
        """Take every setting of ``other`` (this object, and what observes it, stays)."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(other, name))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["center"] = [float(self.center[0]), float(self.center[1])]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ViewState:
        """Read settings leniently: an unknown or broken value falls back to the default."""
        state = cls()
        if not isinstance(data, dict):
            return state
        if data.get("layout") in LAYOUTS:
            state.layout = data["layout"]
        if isinstance(data.get("color_by"), str) and data["color_by"]:
            state.color_by = data["color_by"]
        size_by = data.get("size_by")
        state.size_by = size_by if isinstance(size_by, str) and size_by else None
        kinds = data.get("edge_kinds")
        if isinstance(kinds, list):
            state.edge_kinds = [k for k in kinds if k in ALL_EDGE_KINDS]
        relations = data.get("relations")
        if isinstance(relations, list):
            state.relations = [r for r in ALL_RELATIONS if r in relations]
        k = data.get("k")
        if isinstance(k, int) and not isinstance(k, bool):
            state.k = max(0, min(10, k))
        sel = data.get("selection")
        state.selection = sel if isinstance(sel, str) and sel else None
        zoom = _finite(data.get("zoom"), 1.0)
        state.zoom = zoom if zoom > 0 else 1.0
        center = data.get("center")
        if isinstance(center, (list, tuple)) and len(center) == 2:
            state.center = (_finite(center[0], 0.0), _finite(center[1], 0.0))
        if data.get("explorer_tab") in ("people", "projects", "teams"):
            state.explorer_tab = data["explorer_tab"]
        if isinstance(data.get("filter"), str):
            state.filter = data["filter"]
        moved = data.get("moved_positions")
        if isinstance(moved, dict):  # map branch: dragged nodes, read leniently
            for layout, nodes in moved.items():
                if layout in LAYOUTS and isinstance(nodes, dict):
                    state.moved_positions[layout] = {
                        str(n): (_finite(xy[0], 0.0), _finite(xy[1], 0.0))
                        for n, xy in nodes.items()
                        if isinstance(xy, (list, tuple)) and len(xy) == 2
                    }
        return state


@dataclass
class Session:
    """What a ``.orgmap`` file holds: the sources, the column mapping and the view."""

    sources: list[str] = field(default_factory=list)
    #: ``{"SHEET.COLUMN": field}``, as ``--map`` and ``load(mapping=...)`` take it.
    mapping: dict[str, str] = field(default_factory=dict)
    view: ViewState = field(default_factory=ViewState)
    #: What-if edits in their plain-dict form (``orgmap.scenario.Edit.to_dict``), in order.
    edits: list[dict[str, Any]] = field(default_factory=list)  # scenario

    def to_dict(self, base: Path | None = None) -> dict[str, Any]:
        relative = []
        for src in self.sources:
            rel = None
            if base is not None:
                try:
                    rel = os.path.relpath(src, base)
                except ValueError:  # another drive on Windows
                    rel = None
            relative.append(rel)
        return {
            "format": FORMAT,
            "version": VERSION,
            "sources": [str(s) for s in self.sources],
            "relative_sources": relative,
            "mapping": dict(self.mapping),
            "settings": self.view.to_dict(),
            "edits": [dict(e) for e in self.edits],  # scenario
        }

    @classmethod
    def from_dict(cls, data: Any, base: Path | None = None) -> Session:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SessionError("not an orgmap session file")
        if not isinstance(data.get("version"), int) or data["version"] > VERSION:
            raise SessionError(f"session version {data.get('version')!r} is newer than this app")
        sources_raw = data.get("sources") or []
        relative = data.get("relative_sources") or [None] * len(sources_raw)
        if not isinstance(sources_raw, list) or not all(isinstance(s, str) for s in sources_raw):
            raise SessionError("'sources' must be a list of paths")
        sources = []
        for i, src in enumerate(sources_raw):
            rel = relative[i] if isinstance(relative, list) and i < len(relative) else None
            # The absolute path wins when it exists; else the data moved with the session.
            if not Path(src).exists() and base is not None and isinstance(rel, str):
                candidate = (base / rel).resolve()
                if candidate.exists():
                    src = str(candidate)
            sources.append(src)
        mapping = data.get("mapping") or {}
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise SessionError("'mapping' must map 'SHEET.COLUMN' to a field name")
        edits = data.get("edits") or []  # scenario: checked again when applied
        if not isinstance(edits, list) or not all(isinstance(e, dict) for e in edits):
            raise SessionError("'edits' must be a list of what-if edits")
        return cls(
            sources=sources,
            mapping=dict(mapping),
            view=ViewState.from_dict(data.get("settings")),
            edits=[dict(e) for e in edits],
        )

    def save(self, path: Path | str) -> None:
        """Write the session atomically as JSON (no NaN can appear: values are checked)."""
        path = Path(path)
        text = json.dumps(
            self.to_dict(base=path.resolve().parent), indent=2, ensure_ascii=False, allow_nan=False
        )
        atomic_write_text(path, text + "\n")

    @classmethod
    def load(cls, path: Path | str) -> Session:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SessionError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SessionError(f"{path}: not a session file (invalid JSON)") from exc
        try:
            return cls.from_dict(data, base=path.resolve().parent)
        except SessionError as exc:
            raise SessionError(f"{path}: {exc}") from exc
