"""Recent files: what was opened (sources and mapping, or a session), newest first.

Kept in the app's settings as JSON; shown in File > Open recent and on the welcome page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

__all__ = ["RecentFiles", "MAX_RECENT"]

MAX_RECENT = 10


def label_of(entry: dict[str, Any]) -> str:
    if entry.get("session"):
        return Path(entry["session"]).name
    return ", ".join(Path(p).name for p in entry.get("sources", [])) or "?"


class RecentFiles:
    """The list, its menu and the welcome page's copy of it.

    ``open_entry(entry)`` is called when the user picks one; ``show(entries)`` gets
    ``[(label, entry)]`` whenever the list changes (the welcome page).
    """

    def __init__(
        self,
        settings: QSettings,
        menu: QMenu,
        open_entry: Callable[[dict[str, Any]], None],
        show: Callable[[list[tuple[str, dict[str, Any]]]], None],
    ) -> None:
        self.settings, self.menu = settings, menu
        self._open, self._show = open_entry, show
        self.refresh()

    def entries(self) -> list[dict[str, Any]]:
        raw = self.settings.value("recent", "[]")
        try:
            entries = json.loads(raw if isinstance(raw, str) else "[]")
        except json.JSONDecodeError:
            return []
        if not isinstance(entries, list):
            return []
        return [e for e in entries if isinstance(e, dict) and isinstance(e.get("sources"), list)]

    def add(self, sources: list[str], mapping: dict[str, str], session: Path | None = None) -> None:
        entry: dict[str, Any] = {"sources": list(sources), "mapping": dict(mapping)}
        if session is not None:
            entry = {"session": str(session), **entry}
        entries = [
            e
            for e in self.entries()
            if e.get("sources") != entry["sources"] or e.get("session") != entry.get("session")
        ]
        entries.insert(0, entry)
        self.settings.setValue("recent", json.dumps(entries[:MAX_RECENT]))
        self.settings.sync()
        self.refresh()

    def clear(self) -> None:
        self.settings.setValue("recent", "[]")
        self.refresh()

    def refresh(self) -> None:
        self.menu.clear()
        entries = self.entries()
        for i, entry in enumerate(entries):
            label = label_of(entry)
            act = self.menu.addAction(f"&{i + 1}  {label}" if i < 9 else label)
            act.setData(i)
            act.triggered.connect(lambda _=False, e=entry: self._open(e))
        if not entries:
            self.menu.addAction("No recent files").setEnabled(False)
        else:
            self.menu.addSeparator()
            self.menu.addAction("Clear the list", self.clear)
        self._show([(label_of(e), e) for e in entries])
