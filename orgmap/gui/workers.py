"""Long work off the GUI thread, with progress and Cancel.

A :class:`Job` runs one core function (``fn(*args, progress=..., cancel=...)``) in a
superqt ``FunctionWorker`` on Qt's thread pool. The core reports through the plain
``progress(fraction, message)`` callback every long function takes; the job turns it
into a throttled Qt signal delivered on the GUI thread. Cancel only sets a flag the
core's ``cancel()`` callback reads; the core then raises ``orgmap.model.Cancelled``,
which arrives here as :attr:`Job.cancelled`, never as an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from superqt.utils import create_worker

from orgmap.model import Cancelled

__all__ = ["Job", "wait_for_jobs"]

#: At most this many progress signals per second reach the GUI thread; more would only
#: queue repaints of a bar nobody can read that fast.
_PROGRESS_HZ = 20.0


class Job(QObject):
    """One piece of long work running on the thread pool.

    Signals are delivered on the GUI thread: ``progress(fraction, message)``,
    ``done(result)``, ``failed(exception)``, ``cancelled()`` and, after any of the
    three, ``finished()``.
    """

    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__()
        self.label = label
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._last_fraction = -1.0
        self._running = False
        self._worker = None

    # -- called on the worker thread ------------------------------------------------
    def _report(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_emit < 1.0 / _PROGRESS_HZ:
            return
        self._last_emit = now
        self._last_fraction = fraction
        self.progress.emit(float(max(0.0, min(1.0, fraction))), str(message))

    def _is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> Any:
        result = self._fn(
            *self._args, progress=self._report, cancel=self._is_cancelled, **self._kwargs
        )
        if self._cancel.is_set():
            raise Cancelled()
        return result

    # -- GUI thread -------------------------------------------------------------------
    def start(self) -> Job:
        self._running = True
        self._worker = create_worker(self._run, _start_thread=False, _ignore_errors=True)
        self._worker.returned.connect(self._on_returned)
        self._worker.errored.connect(self._on_errored)
        self._worker.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it raises ``Cancelled`` at its next check."""
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._running

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _on_returned(self, result: Any) -> None:
        self._running = False
        if self._cancel.is_set():
            self.cancelled.emit()
        else:
            self.done.emit(result)
        self.finished.emit()
        self._worker = None

    def _on_errored(self, exc: BaseException) -> None:
        self._running = False
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(exc)
        self.finished.emit()
        self._worker = None


def wait_for_jobs(msecs: int = 10_000) -> bool:
    """Block until the thread pool is idle (used when closing the app and in tests)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
