"""Column mappings a user corrected, remembered for the next export of the same shape.

A correction made in the import dialog is stored per *header signature* (the folded
header cells of the table, in order), so next month's export of the same report gets
the same mapping whatever the file is called. The store is one JSON file in the
per-user config folder (platformdirs; ``ORGMAP_CONFIG_DIR`` overrides it), written
atomically. Nothing here reads or writes data rows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from orgmap.detect import TableSpec, detect, header_signature
from orgmap.model import fold
from orgmap.safety import atomic_write_text
from orgmap.tables import Table

__all__ = ["MappingMemory", "config_dir"]

_FILE = "mappings.json"


def config_dir() -> Path:
    """Where orgmap keeps per-user settings."""
    override = os.environ.get("ORGMAP_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("orgmap", appauthor=False))


def _column_of(key: str, table: Table) -> str | None:
    """The column part of a ``SHEET.COLUMN`` key when its sheet part names ``table``."""
    sheets = {fold(table.sheet), fold(table.file), fold(table.file.rsplit(".", 1)[0]), "*"}
    parts = key.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        sheet, column = ".".join(parts[:cut]), ".".join(parts[cut:])
        if fold(sheet) in sheets or sheet == "*":
            return column
    return None


class MappingMemory:
    """Remembered ``{column header: field}`` per header signature."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or config_dir()) / _FILE

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: Mapping[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True))

    @staticmethod
    def signature(table: Table, spec: TableSpec | None = None) -> str | None:
        spec = spec or detect(table)
        if not table.rows:
            return None
        row = table.rows[spec.header_row - table.first_row] if spec.header_row else table.rows[0]
        return header_signature(row) or None

    def remember(self, tables: Iterable[Table], mapping: Mapping[str, str]) -> list[str]:
        """Store the entries of ``mapping`` that name a column of each table; returns the
        tables (``file › sheet``) remembered."""
        data = self._load()
        saved = []
        for table in tables:
            columns = {
                col: fieldname
                for key, fieldname in mapping.items()
                if (col := _column_of(key, table)) is not None
            }
            if not columns:
                continue
            spec = detect(table)
            sig = self.signature(table, spec)
            if sig is None:
                continue
            headers = {fold(h) for h in spec.headers}
            columns = {c: f for c, f in columns.items() if fold(c) in headers}
            if columns:
                data[sig] = {"columns": columns, "example": f"{table.file} › {table.sheet}"}
                saved.append(f"{table.file} › {table.sheet}")
        if saved:
            self._save(data)
        return saved

    def recall(self, tables: Iterable[Table]) -> tuple[dict[str, str], list[str]]:
        """The remembered mapping for tables of a known shape, as ``SHEET.COLUMN`` keys,
        and which tables it applies to (``file › sheet``)."""
        data = self._load()
        mapping: dict[str, str] = {}
        applied: list[str] = []
        for table in tables:
            sig = self.signature(table)
            entry = data.get(sig or "")
            if not entry:
                continue
            for column, fieldname in dict(entry.get("columns", {})).items():
                mapping[f"{table.sheet}.{column}"] = str(fieldname)
            applied.append(f"{table.file} › {table.sheet}")
        return mapping, applied

    def forget(self, tables: Iterable[Table]) -> int:
        """Forget what was remembered for these tables' shapes; returns how many."""
        data = self._load()
        gone = 0
        for table in tables:
            sig = self.signature(table)
            if sig and data.pop(sig, None) is not None:
                gone += 1
        if gone:
            self._save(data)
        return gone
