"""Asking the user for paths, remembering the last folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

__all__ = ["FileChooser", "DATA_FILTER"]

DATA_FILTER = (
    "Spreadsheets and sessions (*.xlsx *.xlsm *.csv *.tsv *.txt *.orgmap);;"
    "Workbooks (*.xlsx *.xlsm);;Tables (*.csv *.tsv *.txt);;orgmap sessions (*.orgmap);;All files (*)"
)


class FileChooser:
    """Asks the user for paths. Tests put an object with the same methods in its place."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def _dir(self) -> str:
        return str(self.settings.value("last_dir", str(Path.home())))

    def open_paths(self, parent: QWidget) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, "Open data", self._dir(), DATA_FILTER)
        if paths:
            self.settings.setValue("last_dir", str(Path(paths[0]).parent))
        return paths

    def save_path(
        self, parent: QWidget, title: str, file_filter: str, suggested: str
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            parent, title, str(Path(self._dir()) / suggested), file_filter
        )
        if path:
            self.settings.setValue("last_dir", str(Path(path).parent))
        return path or None
