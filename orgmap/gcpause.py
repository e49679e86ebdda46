"""Python's cyclic garbage collector held off while a bulk step runs.

Reading a 100k-person export or computing its metrics makes millions of small objects
(rows, dicts of attributes, metric values) and next to no reference cycles. Allocation
alone sets the collector off: each of its full passes walks every live object, about
0.25 s at 100k people with the org in memory, and compute_all triggered seven of them
(1.5-2 s of its 9 s); the import three (0.2-0.4 s). Reference counting still frees
everything that is not in a cycle at once; the few cycles made meanwhile are freed by
the first collection after the step, so nothing is kept for good.

One function for every bulk step (import, metrics, writers), in the command line and
in the app's workers alike; nested and concurrent steps are counted, and the collector
comes back on when the last one ends, as it was before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off inside the block (or the decorated function); back as
    it was when the outermost paused block, in any thread, ends, even by an error."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
