"""Python's cyclic garbage collector held off while a bulk step runs: the one place.

Reading a 100k-person export or computing its metrics makes millions of small objects
(rows, dicts of attributes, metric values) and next to no reference cycles. Allocation
alone sets the collector off: each of its full passes walks every live object, about
0.25 s at 100k people with the org in memory, and compute_all triggered seven of them
(1.5-2 s of its 9 s); the import three (0.2-0.4 s). In the app a pass also holds
Python's lock, stalling the window whichever thread set it off. Reference counting
still frees everything that is not in a cycle at once; the few cycles made meanwhile
are freed by the first collection after the step, so nothing is kept for good.

Every bulk step (import, metrics, writers) in the command line and the app's workers
goes through :func:`paused_gc`; nested and concurrent steps are counted, and the
collector comes back on when the last one ends, as it was before the first. The app
also asks for the survivors to be frozen (``freeze=True``: later collections skip the
org it keeps on screen) and collects once, when the window is idle (:func:`tidy`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc", "tidy"]

_lock = threading.Lock()
_holders = 0
_was_enabled = True
_freeze = False


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """The cyclic collector off inside the block (or the decorated function); back as
    it was when the outermost paused block, in any thread, ends, even by an error.
    With ``freeze`` (any holder's), what is alive then is frozen first."""
    global _holders, _was_enabled, _freeze
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
        _freeze = _freeze or freeze
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                if _freeze:
                    gc.freeze()
                _freeze = False
                if _was_enabled:
                    gc.enable()


def tidy() -> None:
    """Collect now (an org that was replaced goes), then freeze what survives; nothing
    while a bulk step runs."""
    with _lock:
        if _holders:
            return
        gc.unfreeze()
        gc.collect()
        gc.freeze()
