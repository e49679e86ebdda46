"""Read files and folders into one org: the readers, then the builder."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from orgmap.builder import build_org
from orgmap.gcpause import paused_gc
from orgmap.issues import FATAL, Issue
from orgmap.model import Cancelled, Org
from orgmap.tables import ReadLimits, Table, UnreadableFile

__all__ = ["load", "read_all"]


def read_all(
    paths: Iterable[str | Path],
    limits: ReadLimits | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[list[Table], list[Issue], list[str]]:
    """Every table of every readable file; one fatal issue per file that cannot be read."""
    from orgmap.readers import expand_paths, read_path

    limits = limits or ReadLimits()
    tables: list[Table] = []
    issues: list[Issue] = []
    unreadable: list[str] = []
    files: list[Path] = []
    for path in paths:
        try:
            files.extend(expand_paths([path]))
        except UnreadableFile as exc:
            issues.append(Issue(str(exc.path), None, None, None, FATAL, "unreadable", exc.reason))
            unreadable.append(str(exc.path))
    for file in files:
        if cancel is not None and cancel():
            raise Cancelled()
        try:
            read = read_path(file, limits)
        except UnreadableFile as exc:
            issues.append(Issue(file.name, None, None, None, FATAL, "unreadable", exc.reason))
            unreadable.append(str(file))
            continue
        tables.extend(read)
        for table in read:
            issues.extend(table.issues)
    return tables, issues, unreadable


@paused_gc()
def load(
    paths: Iterable[str | Path],
    mapping: Mapping[str, str] | None = None,
    limits: ReadLimits | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    at: str | None = None,
) -> Org:
    """Read ``paths`` (files or folders) and merge them into one validated org.

    A file that cannot be read becomes one fatal issue (listed in ``org.unreadable``);
    the other files still load.
    """
    paths = list(paths)
    if progress:
        progress(0.0, "reading files")
    tables, issues, unreadable = read_all(paths, limits, cancel)

    def build_progress(fraction: float, message: str) -> None:
        if progress:
            progress(0.3 + 0.7 * fraction, message)

    org = build_org(tables, mapping, build_progress if progress else None, cancel, at=at)
    org.issues[:0] = issues
    org.unreadable = unreadable
    org.sources = [str(p) for p in paths]
    return org
