"""File readers: open a file, hand back :class:`orgmap.tables.Table` objects.

Readers register themselves by extension (see :func:`register`); everything after
reading (header detection, mapping, validation) lives in :mod:`orgmap.builder`.

>>> from orgmap.readers import read_path, expand_paths
>>> tables = [t for p in expand_paths(["data/"]) for t in read_path(p)]  # doctest: +SKIP
"""

from __future__ import annotations

from orgmap.readers import delimited as _delimited  # noqa: F401  (registers .csv/.tsv/.txt)
from orgmap.readers import workbook as _workbook  # noqa: F401  (registers .xlsx/.xlsm)
from orgmap.readers._registry import (
    Reader,
    dialog_filter,
    expand_paths,
    read_path,
    reader_for,
    reader_labels,
    register,
    supported_extensions,
)
from orgmap.tables import ReadLimits, Table, UnreadableFile

#: The extensions the built-in readers take (lower case, with the dot).
SUPPORTED_EXTENSIONS: tuple[str, ...] = supported_extensions()

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "ReadLimits",
    "Reader",
    "Table",
    "UnreadableFile",
    "dialog_filter",
    "expand_paths",
    "read_path",
    "reader_for",
    "reader_labels",
    "register",
    "supported_extensions",
]
