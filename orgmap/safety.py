"""Writing files so that nothing half-written is left, no cell is ever a formula, and no
control character reaches an output.

Atomic saves
------------
:func:`atomic_path` (and :func:`atomic_write_bytes` / :func:`atomic_write_text` on top of
it) is the one way orgmap saves a file. The data goes to a temporary file in the target's
own folder (a rename is only atomic within one file system), named
``.orgmap-tmp-<pid>-<random>-<target name>``; it is fsynced, renamed over the target, and
the folder is fsynced so the rename itself survives a power cut. On any failure the
temporary file is removed and the target is left exactly as it was.

A process killed outright (SIGKILL, power cut) cannot clean up after itself, so the next
save of the same target does it: temporary files of *our* pattern, for *that* target,
whose writing process is gone (or which are older than a day, should a pid have been
reused) are deleted before the new one is made. Nothing else in the folder is touched.

Control characters
------------------
Spreadsheet cells may hold C0/C1 control characters (``\\x01``, a vertical tab pasted
from Word, a NUL). XML 1.0 cannot hold most of them (so GraphML, GEXF and xlsx break),
and none of them is anything a reader can see. :func:`clean_text` is the one place they
are replaced, each by U+FFFD, so the reader sees that something was there. Tab, newline
and CR are ordinary text and stay. The builder cleans every cell as it is read and lists each
affected cell as a warning; the writers clean again (text that did not come from a cell:
``--title``, file names, headers).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = [
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_path",
    "open_atomic",
    "safe_cell",
    "clean_text",
    "clean_data",
    "json_dumps",
    "json_chunks",
    "Records",
    "has_control",
    "TEMP_PREFIX",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Control characters no output may hold: C0 except tab, newline and CR; DEL; C1; the
#: two non-characters XML forbids; and lone surrogates (text decoded badly upstream),
#: which UTF-8 cannot encode.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_control(text: str) -> bool:
    """True when ``text`` holds a character :func:`clean_text` would replace."""
    # isprintable() is a fast C scan that is True for almost every real cell; only the
    # rest (newlines, non-breaking spaces, controls...) need the regex.
    return not text.isprintable() and _CONTROL.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` with every control character replaced (see the module docstring).

    >>> clean_text("Ann\\x01Lee") == "Ann\\ufffdLee"
    True
    """
    if text.isprintable() or _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(REPLACEMENT, text)


def clean_data(value: Any) -> Any:
    """A copy of a JSON-like value (dicts, lists, tuples, strings) with every string, key
    included, passed through :func:`clean_text`; other values are returned as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {
            (clean_text(k) if isinstance(k, str) else k): clean_data(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple | Records):
        return [clean_data(v) for v in value]
    return value


# In JSON text a control character shows as an escape (``\u0001``, ``\b``, ``\f``) or,
# for DEL and C1, as itself. A match may be a false alarm (an escaped backslash followed
# by "u0001"); it only costs the slow, exact path.
_JSON_ESCAPED = re.compile(r"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\[bf]")
_JSON_RAW = re.compile("[\x7f-\x9f\ufffe\uffff]")


def _json_control(text: str) -> bool:
    """True when ``text`` (JSON) may hold a control character. One regex of both
    signs scanned 80 MB of JSON in 1.6 s; most text holds no backslash at all, and the
    raw characters are among the few ``isprintable`` (a quick C scan) is False for."""
    if "\\" in text and _JSON_ESCAPED.search(text) is not None:
        return True
    return not text.isprintable() and _JSON_RAW.search(text) is not None


def json_dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, **kwargs)`` with every string cleaned (:func:`clean_text`).

    The text is made first and searched for a sign of a control character; only then is
    the data walked and cleaned (walking 100k people costs as much as dumping them).
    """
    import json

    data = _listed(data)
    text = json.dumps(data, **kwargs)
    if not _json_control(text):
        return text
    return json.dumps(clean_data(data), **kwargs)


class Records(Sequence):
    """A list of JSON objects made one at a time as they are read: ``make(i)`` is item
    ``i``. ``orgmap analyze --json`` hands its people this way, so a million of them
    are never all in memory at once beside the metrics they are made from
    (:func:`json_chunks` writes one, then lets it go). :func:`json_dumps` and
    :func:`json_chunks` take it wherever they take a list."""

    def __init__(self, count: int, make: Callable[[int], Any]) -> None:
        self._count, self._make = count, make

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i: int) -> Any:  # type: ignore[override]
        if not -self._count <= i < self._count:
            raise IndexError(i)
        return self._make(i % self._count)

    def __iter__(self) -> Iterator[Any]:
        make = self._make
        for i in range(self._count):
            yield make(i)


def _listed(value: Any) -> Any:
    """``value`` with every :class:`Records` in it made a list (for Python's encoder)."""
    if isinstance(value, Records):
        return [_listed(v) for v in value]
    if isinstance(value, dict):
        return {k: _listed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_listed(v) for v in value]
    return value


def json_chunks(data: Any, depth: int = 2, **kwargs: Any) -> Iterator[str]:
    """The text of ``json_dumps(data, **kwargs)`` (compact layouts only: no ``indent``)
    in pieces, so a million people are written without the whole document in memory.

    Dicts with text keys and lists are opened ``depth`` levels down; each value below is
    one call of Python's C encoder (``json.dumps`` of the whole is pure Python the moment
    it is asked for pieces) and is searched for a control character on its own, so only
    a piece that holds one is cleaned and encoded again.
    """
    import json

    if kwargs.get("indent") is not None:
        raise ValueError("json_chunks writes compact JSON only")
    item_sep, key_sep = kwargs.pop("separators", None) or (", ", ": ")
    encode = json.JSONEncoder(separators=(item_sep, key_sep), **kwargs).encode
    fast = _orjson_encoder(encode, (item_sep, key_sep), kwargs)

    def clean(value: Any) -> str:
        text = fast(value)
        if not _json_control(text):
            return text
        return encode(clean_data(value))

    def pieces(value: Any, depth: int) -> Iterator[str]:
        if depth and isinstance(value, dict) and value and all(type(k) is str for k in value):
            sep = "{"
            for k, v in value.items():
                yield sep + clean(k) + key_sep
                yield from pieces(v, depth - 1)
                sep = item_sep
            yield "}"
        elif depth and isinstance(value, list | tuple | Records) and value:
            sep = "["
            for v in value:
                yield sep
                yield from pieces(v, depth - 1)
                sep = item_sep
            yield "]"
        else:
            yield clean(value)

    return pieces(data, depth)


def _orjson_encoder(
    encode: Callable[[Any], str], separators: tuple[str, str], options: dict[str, Any]
) -> Callable[[Any], str]:
    """orjson's encoder where it writes what ``encode`` (Python's C encoder) would mean:
    compact, UTF-8 rather than ASCII escapes. 2.5x faster on 100k people (1.34 ->
    0.55 s). A value it refuses (an int past 64 bits, a lone surrogate) goes to
    ``encode``. Its floats are the same numbers in another spelling (``0.00001`` for
    ``1e-05``); it writes NaN as null where Python's refuses it (metrics have none)."""
    default = options.get("default")
    if (
        separators != (",", ":")
        or options.get("ensure_ascii", True)
        or set(options) - {"ensure_ascii", "allow_nan", "default"}
    ):
        return encode
    import orjson

    dumps, refused = orjson.dumps, orjson.JSONEncodeError
    flags = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY

    def fast(value: Any) -> str:
        try:
            return dumps(value, default, flags).decode()
        except refused:
            return encode(value)

    return fast


def safe_cell(value: Any) -> Any:
    """A cell value no spreadsheet will evaluate and every xlsx can hold.

    Text starting like a formula (``= + - @``, tab, CR) gets a leading ``'``, as OWASP's
    CSV-injection advice says; control characters are replaced (:func:`clean_text`);
    numbers and other text pass through unchanged.
    """
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


# -- atomic saves ----------------------------------------------------------------------
#: Every temporary file orgmap makes beside a target starts with this.
TEMP_PREFIX = ".orgmap-tmp-"
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-[a-z0-9_]+-(.+)\Z")
#: A temporary file this old is stale even if a process with its pid exists (pid reuse).
_STALE_SECONDS = 24 * 3600
#: Names are kept short enough that prefix + pid + random + name fits in 255 bytes.
_NAME_ROOM = 200


def _tmp_tail(name: str) -> str:
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= _NAME_ROOM:
        return name
    return encoded[-_NAME_ROOM:].decode("utf-8", "ignore")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    except OSError:
        return False
    return True


def stale_temp_files(target: Path | str) -> list[Path]:
    """Temporary files of our pattern for ``target`` left by a process that is gone."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    tail = _tmp_tail(target.name)
    found = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        m = _TEMP_NAME.match(entry.name)
        if m is None or m.group(2) != tail:
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS
        except OSError:
            continue
        if old or not _pid_alive(int(m.group(1))):
            found.append(Path(entry.path))
    return found


def _fsync_path(path: Path, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; fsync it and rename it over ``target``
    on success, then fsync the folder.

    On any failure the temporary file is removed and ``target`` is left as it was. Stale
    temporary files of earlier, killed saves of ``target`` are removed first.
    """
    target = Path(target)
    try:
        mode: int | None = os.stat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        # a device or a pipe (/dev/stdout, /dev/full, a FIFO) is written in place: a
        # rename over it would replace the device with a file
        yield target
        return
    directory = target.parent if str(target.parent) else Path(".")
    for stale in stale_temp_files(target):
        with contextlib.suppress(OSError):
            stale.unlink()
    fd, tmp = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=f"-{_tmp_tail(target.name)}", dir=directory
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        # mkstemp makes the file private (0600); a saved report should get the usual mode
        os.chmod(tmp_path, 0o666 & ~_umask())
        yield tmp_path
        # the data must be on disk before the rename makes it the target, or a power cut
        # can leave a target of the right name and no content
        _fsync_path(tmp_path)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    # the rename is durable only once the folder is; some file systems refuse to fsync a
    # folder, and by now the target is complete, so that is not a failure
    with contextlib.suppress(OSError):
        _fsync_path(directory, directory=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(target: Path | str, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_path`)."""
    with atomic_path(target) as tmp, tmp.open("wb") as handle:
        handle.write(data)


def atomic_write_text(target: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``target`` atomically, control characters replaced."""
    atomic_write_bytes(target, clean_text(text).encode(encoding, errors="replace"))


def open_atomic(target: Path | str) -> contextlib.AbstractContextManager[IO[str]]:
    """``with open_atomic(p) as f: f.write(...)`` -- text mode, atomic rename at exit."""

    @contextlib.contextmanager
    def _cm() -> Iterator[IO[str]]:
        with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8") as handle:
            yield handle

    return _cm()
