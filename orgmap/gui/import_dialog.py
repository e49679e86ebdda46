"""The import dialog: see how each sheet was read, fix the mapping, check, then import.

For every table of every file it shows the detected kind (people, projects,
mentorship, ties, or not recognised), the header row, and a preview of the first rows
with a field chooser above each column. Changing a chooser adds ``"SHEET.COLUMN":
field`` to the mapping (the same keys as ``--map`` on the command line), re-detects the
table and re-validates everything in the background; the issues found are listed
before the user commits. Files that cannot be read are listed with the reason.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from orgmap.gui.issues_panel import IssuesPanel
from orgmap.gui.models import plain_tooltip
from orgmap.gui.workers import Job

__all__ = ["ImportDialog", "NOT_MAPPED", "ReadResult"]

#: Combo entry meaning "no explicit mapping: use detection" (the column becomes an
#: extra attribute when nothing recognises it).
NOT_MAPPED = "(not mapped)"
_KIND_TEXT = {
    "people": "People",
    "projects": "Projects",
    "mentorship": "Mentorship",
    "ties": "Ties",
    None: "Skipped (not a table orgmap reads)",
}
_PREVIEW_ROWS = 8


@dataclass
class ReadResult:
    tables: list[Any] = field(default_factory=list)
    issues: list[Any] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def _read(paths: list[str], progress: Any = None, cancel: Any = None) -> ReadResult:
    from orgmap.gcpause import paused_gc
    from orgmap.loader import read_all

    if progress:
        progress(0.0, "reading files")
    with paused_gc(freeze=True):
        tables, issues, unreadable = read_all(paths, cancel=cancel)
    return ReadResult(tables, issues, unreadable)


def _check(
    tables: list[Any], mapping: dict[str, str], progress: Any = None, cancel: Any = None
) -> Any:
    from orgmap.builder import build_org
    from orgmap.gcpause import paused_gc

    with paused_gc(freeze=True):
        return build_org(tables, mapping, progress=progress, cancel=cancel)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ImportDialog(QDialog):
    """Review and adjust how files are read before importing them.

    Signals: ``ready()`` once the files are read; ``validated()`` after each check.
    After ``accept()``, :meth:`mapping` is the mapping to load with and :attr:`org` the
    already-built org when the last check matches it (so the window need not rebuild).
    """

    ready = Signal()
    validated = Signal()

    def __init__(
        self, paths: list[str], mapping: dict[str, str] | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import data")
        self.resize(1100, 720)
        self.paths = [str(p) for p in paths]
        self._mapping: dict[str, str] = dict(mapping or {})
        self.result_read: ReadResult | None = None
        self.specs: list[Any] = []
        self.org: Any = None
        self._org_mapping: dict[str, str] | None = None
        self._read_job: Job | None = None
        self._check_job: Job | None = None
        self._current = -1
        #: Mapping entries applied from earlier corrections (shown as "remembered").
        self.remembered: dict[str, str] = {}
        self.remembered_tables: list[str] = []

        from orgmap.detect import FIELDS
        from orgmap.mapping_memory import MappingMemory

        self.memory = MappingMemory()

        self.field_choices = [NOT_MAPPED, *sorted(FIELDS), "ignore"]

        self.heading = QLabel(self)
        self.heading.setObjectName("importHeading")
        self.heading.setWordWrap(True)
        self.table_list = QListWidget(self)
        self.table_list.setObjectName("importTables")
        self.table_list.currentRowChanged.connect(self._show_table)
        self.kind_label = QLabel(self)
        self.kind_label.setObjectName("importKind")
        self.kind_label.setWordWrap(True)
        self.preview = QTableWidget(self)
        self.preview.setObjectName("importPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setDefaultSectionSize(24)
        self.summary_label = QLabel("Reading files…", self)
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setWordWrap(True)
        # the same table, filter and "where is it" line as the window's Issues panel
        self.issues = IssuesPanel(self)
        self.issues.view.setObjectName("importIssues")
        self.issues.issueActivated.connect(self.issues.show_place)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.kind_label)
        rl.addWidget(self.preview, 1)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.table_list)
        top.addWidget(right)
        top.setStretchFactor(1, 1)
        top.setSizes([260, 840])
        bottom = QWidget(self)
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.summary_label)
        bl.addWidget(self.issues, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([440, 220])

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.forget_button = QPushButton("Forget remembered mapping", self)
        self.forget_button.setObjectName("forgetMapping")
        self.forget_button.setToolTip(
            "Stop applying the column mapping you corrected for files of this shape"
        )
        self.forget_button.hide()
        self.forget_button.clicked.connect(self.forget_remembered)
        self.buttons.addButton(self.forget_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        names = ", ".join(Path(p).name for p in self.paths)
        self.heading.setText(f"<b>{_esc(names)}</b><br>Checking how each sheet is read…")

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(250)
        self._check_timer.timeout.connect(self.check)

        self._read_job = Job(_read, self.paths, label="reading")
        self._read_job.done.connect(self._on_read)
        self._read_job.failed.connect(self._on_read_failed)
        self._read_job.start()

    # -- public -----------------------------------------------------------------------
    def mapping(self) -> dict[str, str]:
        return dict(self._mapping)

    def org_if_current(self) -> Any:
        """The org the last check built, if it was built with the current mapping."""
        return self.org if self._org_mapping == self._mapping and self.org is not None else None

    def table_names(self) -> list[str]:
        return [self.table_list.item(i).text() for i in range(self.table_list.count())]

    def columns(self, table_index: int | None = None) -> list[str]:
        """Header texts of a table (the current one by default)."""
        i = self._current if table_index is None else table_index
        return list(self.specs[i].headers) if 0 <= i < len(self.specs) else []

    def field_of(self, column: str, table_index: int | None = None) -> str:
        """The field a column is read as now (``(not mapped)`` when none)."""
        i = self._current if table_index is None else table_index
        spec = self.specs[i]
        if column not in spec.headers:
            raise KeyError(column)
        idx = spec.headers.index(column)
        key = self._key(i, column)
        if self._mapping.get(key) == "ignore":
            return "ignore"
        return spec.columns.get(idx, NOT_MAPPED)

    def kind(self, table_index: int | None = None) -> str | None:
        i = self._current if table_index is None else table_index
        return self.specs[i].kind

    def combo(self, column: str) -> QComboBox:
        """The field chooser above ``column`` in the current table's preview."""
        idx = self.specs[self._current].headers.index(column)
        widget = self.preview.cellWidget(0, idx)
        assert isinstance(widget, QComboBox)
        return widget

    def set_field(self, column: str, fieldname: str, table_index: int | None = None) -> None:
        """Map ``column`` of a table to ``fieldname`` (``(not mapped)`` removes the entry)."""
        i = self._current if table_index is None else table_index
        key = self._key(i, column)
        if fieldname == NOT_MAPPED:
            self._mapping.pop(key, None)
        else:
            self._mapping[key] = fieldname
        old_headers = self.columns(i)
        self._redetect()
        if i == self._current:
            if self.columns(i) == old_headers:
                self._refresh_current()
            else:
                # Rebuilding deletes the combo whose signal is running: do it afterwards.
                QTimer.singleShot(0, lambda: self._show_table(self._current))
        self._check_timer.start()

    def _refresh_current(self) -> None:
        i = self._current
        spec = self.specs[i]
        self._update_kind_label(i)
        for c, header in enumerate(spec.headers):
            combo = self.preview.cellWidget(0, c)
            current = self.field_of(header, i)
            if isinstance(combo, QComboBox) and combo.currentText() != current:
                combo.blockSignals(True)
                combo.setCurrentText(current)
                combo.blockSignals(False)
            mapped = current not in (NOT_MAPPED, "ignore")
            for r in range(1, self.preview.rowCount()):
                item = self.preview.item(r, c)
                if item is not None:
                    item.setForeground(
                        self.palette().text() if mapped else QBrush(QColor("#888888"))
                    )

    # -- reading ----------------------------------------------------------------------
    def _key(self, i: int, column: str) -> str:
        return f"{self.result_read.tables[i].sheet}.{column}"

    def _on_read(self, result: ReadResult) -> None:
        self.result_read = result
        recalled, applied = self.memory.recall(result.tables)
        self.remembered = {k: v for k, v in recalled.items() if k not in self._mapping}
        self._mapping.update(self.remembered)
        self.remembered_tables = applied if self.remembered else []
        self._redetect()
        self.table_list.clear()
        for i in range(len(result.tables)):
            item = QListWidgetItem(self._table_title(i))
            self.table_list.addItem(item)
        for issue in result.issues:
            item = QListWidgetItem(f"{issue.file}: cannot be read")
            item.setToolTip(plain_tooltip(str(issue.message)))
            item.setForeground(QBrush(QColor("#c62828")))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table_list.addItem(item)
        n_files = len({t.file for t in result.tables})
        broken = "".join(
            f"<br><span style='color:#c62828'>{_esc(i.file)}: {_esc(i.message)}</span>"
            for i in result.issues
        )
        self.heading.setText(
            f"<b>{len(result.tables)} table(s) in {n_files} file(s).</b> "
            "Check the kind detected for each table and the field read from each column; "
            "change a column's field with the chooser above it." + broken + self._remembered_note()
        )
        self.forget_button.setVisible(bool(self.remembered_tables))
        if result.tables:
            self.table_list.setCurrentRow(0)
        self.ready.emit()
        self.check()

    def _on_read_failed(self, exc: BaseException) -> None:
        self.heading.setText(
            f"<b>Could not read the files:</b> {_esc(type(exc).__name__)}: {_esc(exc)}"
        )
        self.summary_label.setText("")
        self.result_read = ReadResult()
        self.ready.emit()

    def _remembered_note(self) -> str:
        if not self.remembered_tables:
            return ""
        where = ", ".join(_esc(t) for t in self.remembered_tables)
        return (
            "<br><span style='color:#1565c0'>The mapping you corrected before for files of "
            f"this shape was applied ({len(self.remembered)} column(s)): {where}.</span>"
        )

    def forget_remembered(self) -> None:
        """Forget the remembered mapping for these tables and go back to detection."""
        if self.result_read is None:
            return
        self.memory.forget(self.result_read.tables)
        for key in self.remembered:
            if self._mapping.get(key) == self.remembered[key]:
                del self._mapping[key]
        self.remembered, self.remembered_tables = {}, []
        self.forget_button.hide()
        self._redetect()
        self._show_table(self._current)
        self.check()

    def how_read(self, column: str, table_index: int | None = None) -> str:
        """How a column was read, in words: exact, guess (and confidence), yours, remembered."""
        i = self._current if table_index is None else table_index
        spec = self.specs[i]
        key = self._key(i, column)
        if key in self.remembered and self._mapping.get(key) == self.remembered[key]:
            return "remembered"
        if key in self._mapping:
            return "set by you"
        guess = next((g for g in spec.guesses if g.header == column), None)
        if guess is None or guess.field is None:
            return "not used"
        if guess.source == "exact":
            return "exact name"
        return f"guess {guess.confidence:.0%}"

    def _evidence(self, column: str, i: int) -> str:
        guess = next((g for g in self.specs[i].guesses if g.header == column), None)
        return guess.evidence if guess is not None else ""

    def _redetect(self) -> None:
        from orgmap.detect import detect

        assert self.result_read is not None
        self.specs = [detect(t, self._mapping) for t in self.result_read.tables]
        for i in range(min(self.table_list.count(), len(self.specs))):
            self.table_list.item(i).setText(self._table_title(i))

    def _table_title(self, i: int) -> str:
        table = self.result_read.tables[i]
        kind = _KIND_TEXT.get(self.specs[i].kind, str(self.specs[i].kind))
        where = table.file if table.sheet in ("", table.file) else f"{table.file} › {table.sheet}"
        return f"{where}\n    → {kind.lower() if self.specs[i].kind else kind}"

    def _show_table(self, i: int) -> None:
        if self.result_read is None or not 0 <= i < len(self.specs):
            return
        self._current = i
        spec = self.specs[i]
        table = self.result_read.tables[i]
        self._update_kind_label(i)
        headers = spec.headers or [
            f"column {c + 1}" for c in range(max((len(r) for r in table.rows[:1]), default=0))
        ]
        preview = spec.preview if spec.header_index is not None else table.rows[:_PREVIEW_ROWS]
        preview = preview[:_PREVIEW_ROWS]
        self.preview.clear()
        self.preview.setColumnCount(len(headers))
        self.preview.setRowCount(2 + len(preview))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setVerticalHeaderLabels(
            ["field", "how"]
            + [str((spec.header_index or 0) + table.first_row + 1 + r) for r in range(len(preview))]
        )
        for c, header in enumerate(headers):
            combo = QComboBox(self.preview)
            combo.setObjectName(f"field_{c}")
            combo.addItems(self.field_choices)
            current = self.field_of(header, i) if spec.headers else NOT_MAPPED
            combo.setCurrentText(current)
            evidence = self._evidence(header, i) if spec.headers else ""
            combo.setToolTip(plain_tooltip(f"How column “{header}” is read: {evidence}"))
            combo.setEnabled(bool(spec.headers))
            combo.currentTextChanged.connect(
                lambda text, h=header, idx=i: self.set_field(h, text, idx)
            )
            self.preview.setCellWidget(0, c, combo)
            how = self.how_read(header, i) if spec.headers else "not used"
            how_item = QTableWidgetItem(how)
            how_item.setToolTip(plain_tooltip(evidence) if spec.headers else "")
            if how.startswith("guess"):
                how_item.setForeground(QBrush(QColor("#b8860b")))  # a guess: worth a look
            self.preview.setItem(1, c, how_item)
            mapped = current not in (NOT_MAPPED, "ignore")
            for r, row in enumerate(preview):
                item = QTableWidgetItem(_cell_text(row[c] if c < len(row) else None))
                if not mapped:
                    item.setForeground(QBrush(QColor("#888888")))
                self.preview.setItem(2 + r, c, item)
        header_view = self.preview.horizontalHeader()
        header_view.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for c in range(len(headers)):
            self.preview.setColumnWidth(c, 140)

    def _update_kind_label(self, i: int) -> None:
        spec = self.specs[i]
        table = self.result_read.tables[i]
        kind = _KIND_TEXT.get(spec.kind, str(spec.kind))
        where = f"header on row {spec.header_row}" if spec.header_row else "no header row found"
        data_rows = max(0, len(table.rows) - (spec.header_index or 0) - 1)
        why = f" {_esc(spec.reason)}." if spec.reason else ""
        notes = "".join(f"<br>{_esc(n)}" for n in spec.notes)
        self.kind_label.setText(
            f"<b>{_esc(table.file)} › {_esc(table.sheet)}</b>: read as <b>{_esc(kind)}</b>, "
            f"{_esc(where)}, {data_rows:,} data rows.{why}{notes}"
        )

    # -- validation -------------------------------------------------------------------
    def check(self) -> None:
        """Build the org with the current mapping in the background and list the issues."""
        if self.result_read is None:
            return
        if self._check_job is not None and self._check_job.running:
            self._check_job.cancel()
        mapping = dict(self._mapping)
        self.summary_label.setText("Checking…")
        self.import_button.setEnabled(False)
        job = Job(_check, list(self.result_read.tables), mapping, label="checking")
        job.done.connect(lambda org, m=mapping: self._on_checked(org, m))
        job.failed.connect(self._on_check_failed)
        self._check_job = job
        job.start()

    def _on_checked(self, org: Any, mapping: dict[str, str]) -> None:
        if mapping != self._mapping:
            return  # a newer check is on its way
        assert self.result_read is not None
        org.issues[:0] = list(self.result_read.issues)
        org.unreadable = list(self.result_read.unreadable)
        org.sources = list(self.paths)
        self.org = org
        self._org_mapping = dict(mapping)
        summary = org.summary()
        sev = summary["issues"]
        rows = summary["rows"]
        self.summary_label.setText(
            f"<b>{summary['people']:,} people</b>, {summary['teams']:,} teams, "
            f"{summary['projects']:,} projects, {summary['reporting_lines']:,} reporting lines, "
            f"{summary['mentorships']:,} mentorships, {summary['ties']:,} ties. "
            f"Rows: {rows['rows_read']:,} read, {rows['imported']:,} imported, "
            f"{rows['rejected']:,} rejected, {rows['skipped']:,} kept off the map on purpose. "
            f"<span style='color:#c62828'>{sev.get('fatal', 0) + sev.get('error', 0):,} errors</span>, "
            f"<span style='color:#b8860b'>{sev.get('warning', 0):,} warnings</span>."
        )
        self.issues.set_issues(org.issues)
        self.import_button.setEnabled(bool(self.result_read.tables))
        self.validated.emit()

    def _on_check_failed(self, exc: BaseException) -> None:
        self.summary_label.setText(f"Could not check: {_esc(type(exc).__name__)}: {_esc(exc)}")
        self.import_button.setEnabled(bool(self.result_read and self.result_read.tables))
        self.validated.emit()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        for job in (self._read_job, self._check_job):
            if job is not None and job.running:
                job.cancel()
        if result == QDialog.DialogCode.Accepted and self.result_read is not None:
            # the user's corrections apply again to the next export of the same shape
            # a read-only config folder must not stop the import
            with contextlib.suppress(OSError):
                self.memory.remember(self.result_read.tables, self._mapping)
        super().done(result)


def _esc(value: Any) -> str:
    import html

    return html.escape(str(value))
