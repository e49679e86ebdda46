"""Run one pure-Python metric in a forked child, so it uses the machine's second core.

Python's lock keeps two Python computations in one process on one core. At 100k
people the key-person detail (a breadth-first search per team pair, about 4 s) is the
largest pure-Python step; :func:`in_child` forks, lets the child compute it from its
copy of the org while the parent goes on with the other metrics, and hands the
result back through a temporary file. Where forking is not safe or not possible
(Windows; a process with other threads, as the app's compute server, whose queue
threads a fork would copy mid-step), or the child fails in any way, the step simply
runs in the caller when its result is asked for: the answer is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["in_child", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether :func:`in_child` would fork here: POSIX, no other Python thread running
    and no Qt loaded (the app's threads are Qt's own, which Python does not count)."""
    return (
        hasattr(os, "fork")
        and threading.active_count() == 1
        and not any(name.startswith(("PySide6", "shiboken6")) for name in sys.modules)
    )


def in_child(compute: Callable[[], T]) -> tuple[Callable[[], T], Callable[[], None]]:
    """Start ``compute`` in a forked child; returns ``(result, abandon)``.

    ``result()`` waits for the child and returns what ``compute`` returned (computing
    it here if the child could not); ``abandon()`` kills the child if it is still
    running (call it when the caller stops early). Without :func:`can_fork`,
    ``result`` is ``compute`` itself.
    """
    if not can_fork():
        return compute, lambda: None
    fd, path = tempfile.mkstemp(prefix="orgmap-step-", suffix=".pickle")
    try:
        pid = os.fork()
    except OSError:
        os.close(fd)
        _remove(path)
        return compute, lambda: None
    if pid == 0:  # the child: compute, write, leave without running the parent's exits
        status = 1
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(compute(), fh, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(fd)
    state = {"pid": pid}

    def reap(kill: bool) -> int | None:
        child = state.pop("pid", None)
        if child is None:
            return None
        if kill:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
        try:
            return os.waitpid(child, 0)[1]
        except OSError:
            return None

    def result() -> T:
        status = reap(kill=False)
        try:
            if status is not None and os.waitstatus_to_exitcode(status) == 0:
                with open(path, "rb") as fh:
                    return pickle.load(fh)
        except Exception:  # noqa: BLE001 -- any trouble reading it: compute it here
            pass
        finally:
            _remove(path)
        return compute()

    def abandon() -> None:
        reap(kill=True)
        _remove(path)

    return result, abandon


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)
