"""The window's background work and the status bar that shows it.

A :class:`JobRunner` starts :class:`~orgmap.gui.workers.Job` s, one per *slot* where a
newer request replaces an older one ("load", "layout"), or any number of unnamed ones
(metrics, exports); it shows the first running job's label and progress with a Cancel
button, and says when the window becomes busy or idle.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from orgmap.gui.workers import Job

__all__ = ["JobRunner"]


class JobRunner(QObject):
    """Runs jobs with one progress bar; ``busyChanged(bool)`` when work starts or ends."""

    busyChanged = Signal(bool)  # noqa: N815 - Qt signal naming

    def __init__(self, status: QStatusBar) -> None:
        super().__init__(status)
        self.label = QLabel(status)
        self.label.setObjectName("progressLabel")
        # progress messages name input files and sheets: never read them as markup
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(status)
        self.bar.setObjectName("progressBar")
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", status)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip(
            "Stop this work and keep what is shown (Esc in the status bar)"
        )
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.label, self.bar, self.cancel_button):
            status.addPermanentWidget(widget)
        self._slots: dict[str, Job] = {}
        self._others: list[Job] = []
        self._show(False)

    def run(self, job: Job, slot: str | None = None) -> Job:
        """Start ``job``; in a ``slot``, the job there before is cancelled first."""
        if slot is not None:
            old = self._slots.get(slot)
            if old is not None and old.running:
                old.cancel()  # the newest request wins
            self._slots[slot] = job
        else:
            self._others.append(job)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        self._show(True, job.label)
        job.start()
        return job

    def running(self) -> list[Job]:
        return [j for j in (*self._slots.values(), *self._others) if j.running]

    @property
    def busy(self) -> bool:
        return bool(self.running())

    def cancel(self) -> None:
        """Stop the running work; what is shown stays as it was."""
        for job in self.running():
            job.cancel()
        self.label.setText("Cancelling…")

    def _on_finished(self) -> None:
        self._others = [j for j in self._others if j.running]
        running = self.running()
        self._show(bool(running), running[0].label if running else "")

    def _show(self, busy: bool, label: str = "") -> None:
        self.bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.label.setVisible(busy)
        if busy:
            self.label.setText(label.capitalize() + "…" if label else "Working…")
            self.bar.setValue(0)
        self.busyChanged.emit(busy)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(fraction * 1000))
        if message:
            self.label.setText(message[:60])
