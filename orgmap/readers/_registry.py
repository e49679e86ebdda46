"""The reader registry: which function opens which file extension.

Each reader module registers itself with ``@register(".ext", ..., label="...")``; the
rest of orgmap asks :func:`read_path` and never branches on file types itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from orgmap.gcpause import paused_gc
from orgmap.tables import ReadLimits, Table, UnreadableFile

__all__ = [
    "ReaderFunc",
    "Reader",
    "register",
    "read_path",
    "expand_paths",
    "reader_for",
    "reader_labels",
    "supported_extensions",
    "dialog_filter",
]

#: A reader opens one file (already checked to exist, be a regular file and be within
#: the size limit) and returns its tables, raising UnreadableFile for a file it refuses.
ReaderFunc = Callable[[Path, ReadLimits], list[Table]]


@dataclass(frozen=True)
class Reader:
    label: str
    extensions: tuple[str, ...]
    func: ReaderFunc


_BY_EXTENSION: dict[str, Reader] = {}
_READERS: list[Reader] = []


def _norm_ext(ext: str) -> str:
    ext = ext.lower()
    return ext if ext.startswith(".") else "." + ext


def register(*extensions: str, label: str) -> Callable[[ReaderFunc], ReaderFunc]:
    """Register the decorated function as the reader of ``extensions``.

    A later registration for an extension replaces the earlier one, so a plugin can
    override a built-in reader.
    """
    if not extensions:
        raise ValueError("register() needs at least one extension")
    exts = tuple(_norm_ext(e) for e in extensions)

    def deco(func: ReaderFunc) -> ReaderFunc:
        reader = Reader(label=label, extensions=exts, func=func)
        _READERS.append(reader)
        for ext in exts:
            _BY_EXTENSION[ext] = reader
        return func

    return deco


def supported_extensions() -> tuple[str, ...]:
    """Every registered extension (lower case, with the dot), sorted."""
    return tuple(sorted(_BY_EXTENSION))


def reader_for(path: str | os.PathLike[str]) -> Reader | None:
    """The reader registered for ``path``'s extension (case-insensitive), or None."""
    return _BY_EXTENSION.get(Path(path).suffix.lower())


def reader_labels() -> list[tuple[str, tuple[str, ...]]]:
    """``[(label, extensions), ...]`` of the readers in use, in registration order."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for reader in _READERS:
        live = tuple(e for e in reader.extensions if _BY_EXTENSION.get(e) is reader)
        if live:
            out.append((reader.label, live))
    return out


def dialog_filter() -> str:
    """A file-dialog filter string: all supported files first, then one entry per reader."""

    def pattern(exts: Iterable[str]) -> str:
        return " ".join(f"*{e}" for e in exts)

    parts = [f"Organization data ({pattern(supported_extensions())})"]
    parts += [f"{label} ({pattern(exts)})" for label, exts in reader_labels()]
    return ";;".join(parts)


def _ext_list() -> str:
    return ", ".join(supported_extensions())


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


@paused_gc()
def read_path(path: str | os.PathLike[str], limits: ReadLimits | None = None) -> list[Table]:
    """Read one file into its tables (one per CSV file, one per workbook sheet).

    Raises
    ------
    UnreadableFile
        For anything that cannot be read: a missing file, a folder, an unsupported
        extension, an empty or too large file, a damaged, encrypted or hostile workbook.
        No other exception escapes (MemoryError and unexpected reader errors included).
    """
    limits = limits or ReadLimits()
    p = Path(path)
    name = str(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise UnreadableFile(name, "no such file") from None
    except OSError as exc:
        raise UnreadableFile(name, f"cannot open: {exc.strerror or exc}") from None
    if p.is_dir():
        raise UnreadableFile(name, "is a folder, not a file (give the folder to load/expand_paths)")
    reader = reader_for(p)
    if reader is None:
        ext = p.suffix or "(no extension)"
        hint = _SAVE_AS.get(p.suffix.lower(), "")
        raise UnreadableFile(name, f"unsupported file type {ext}: orgmap reads {_ext_list()}{hint}")
    if not p.is_file():
        raise UnreadableFile(name, "not a regular file")
    if st.st_size == 0:
        raise UnreadableFile(name, "empty file (0 bytes)")
    if st.st_size > limits.max_file_bytes:
        raise UnreadableFile(
            name,
            f"file too large ({_mb(st.st_size)}; the limit is {_mb(limits.max_file_bytes)})",
        )
    try:
        tables = reader.func(p, limits)
    except UnreadableFile as exc:
        if exc.path != name:  # readers may name the file differently; keep the caller's name
            raise UnreadableFile(name, exc.reason) from None
        raise
    except MemoryError:
        raise UnreadableFile(name, "too large to read into memory") from None
    except PermissionError:
        raise UnreadableFile(name, "permission denied") from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:
        # Never let a reader's surprise reach the user as a traceback. BaseException,
        # because a panic inside calamine arrives as pyo3's PanicException, which is
        # not an Exception.
        raise UnreadableFile(name, f"could not be read ({_short(exc)})") from exc
    for table in tables:
        if len(table.rows) > limits.max_rows_per_table:
            raise UnreadableFile(
                name,
                f"sheet {table.sheet!r} has {len(table.rows):,} rows; "
                f"the limit is {limits.max_rows_per_table:,}",
            )
    return tables


_SAVE_AS = {
    ext: "; save it as .xlsx (File > Save As) and try again"
    for ext in (".xls", ".xlsb", ".ods", ".numbers")
}


def _short(exc: BaseException, limit: int = 160) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _skip_name(name: str) -> bool:
    # Hidden files, and the lock files Excel (~$Book.xlsx) and LibreOffice
    # (.~lock.Book.xlsx#) leave beside an open workbook: tiny, not a table.
    return name.startswith((".", "~$"))


def expand_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Turn files and folders into the list of files to read.

    A file is kept as given (even with an extension no reader takes, so that
    :func:`read_path` can say why it is refused). A folder yields every supported file
    in it and in its subfolders, sorted by relative path, skipping hidden files and
    folders and office lock files. Duplicates are dropped, order otherwise kept.

    Raises
    ------
    UnreadableFile
        When a path does not exist, or a folder holds no supported file.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = _walk(p)
            if not found:
                raise UnreadableFile(
                    str(raw), f"the folder holds no readable file (orgmap reads {_ext_list()})"
                )
            for f in found:
                add(f)
        elif p.exists():
            add(p)
        else:
            raise UnreadableFile(str(raw), "no such file or folder")
    return out


def _walk(folder: Path) -> list[Path]:
    found: list[tuple[tuple[str, ...], Path]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(root).relative_to(folder).parts
        for fname in files:
            if _skip_name(fname) or reader_for(fname) is None:
                continue
            full = Path(root) / fname
            if full.is_file():
                key = tuple(part.lower() for part in (*rel, fname))
                found.append((key, full))
    found.sort(key=lambda item: (item[0], str(item[1])))
    return [p for _, p in found]
