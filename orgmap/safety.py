"""Writing files so that nothing half-written is left and no cell is ever a formula."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_write_text", "atomic_write_bytes", "atomic_path", "safe_cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value no spreadsheet will evaluate.

    Text starting like a formula (``= + - @``, tab, CR) gets a leading ``'``, as OWASP's
    CSV-injection advice says; numbers and other text pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success.

    On any failure the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file private (0600); a saved report should get the usual mode
    os.chmod(tmp_path, 0o666 & ~_umask())
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(target: Path | str, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)


def open_atomic(target: Path | str) -> contextlib.AbstractContextManager[IO[str]]:
    """``with open_atomic(p) as f: f.write(...)`` -- text mode, atomic rename at exit."""

    @contextlib.contextmanager
    def _cm() -> Iterator[IO[str]]:
        with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8") as handle:
            yield handle

    return _cm()
