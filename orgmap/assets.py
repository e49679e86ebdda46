"""Files orgmap reads at run time: the page's script and style, the Qt style sheet, the
icon, and the bundled samples. All are package data inside ``orgmap/``, found through
:mod:`importlib.resources`, so a wheel, a ``pipx`` install and the PyInstaller bundle
read the same files a checkout does; nothing here looks at the repository tree.

>>> resource_path("html/map.js").name
'map.js'
>>> sorted(SAMPLES)
['dirty', 'krackhardt', 'sample']
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "BundledSample",
    "SAMPLES",
    "DEFAULT_SAMPLE",
    "UnknownSample",
    "resource_path",
    "sample_path",
    "get_sample",
]


@dataclass(frozen=True)
class BundledSample:
    """One sample shipped with orgmap: a workbook or a folder of tables."""

    name: str
    #: The file or folder under ``orgmap/samples/``.
    filename: str
    #: One line for ``orgmap sample --list`` and the welcome screen's tooltip.
    description: str
    #: Real data (with a citation in its README) rather than made up by orgmap.sample.
    real: bool = False

    @property
    def path(self) -> Path:
        return sample_path(self.name)


#: name -> sample, in the order ``orgmap sample --list`` shows them.
SAMPLES: dict[str, BundledSample] = {
    s.name: s
    for s in (
        BundledSample(
            "sample",
            "sample-org.xlsx",
            "a synthetic 300-person company: People, Projects, Mentorship (made up)",
        ),
        BundledSample(
            "dirty",
            "dirty-org.xlsx",
            "a synthetic 60-person export with the faults real HR exports carry, for validate",
        ),
        BundledSample(
            "krackhardt",
            "krackhardt-hightech",
            "Krackhardt's 21 high-tech managers (real data, 1987): reporting, advice, friendship",
            real=True,
        ),
    )
}
DEFAULT_SAMPLE = "sample"


class UnknownSample(KeyError):
    """A sample name orgmap does not ship; the message lists the ones it does."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0])


def _package_dir(sub: str) -> Path:
    """``orgmap/<sub>`` on disk.

    orgmap is always installed unpacked (pip, pipx, the PyInstaller folder), so the
    traversable is a real directory; a folder sample has to be, since the loader reads
    folders with :mod:`os` calls.
    """
    root = resources.files("orgmap") / sub
    return Path(str(root))


def resource_path(relative: str) -> Path:
    """A file under ``orgmap/resources/``, e.g. ``resource_path("html/map.js")``."""
    return _package_dir("resources").joinpath(*relative.split("/"))


def get_sample(name: str = DEFAULT_SAMPLE) -> BundledSample:
    try:
        return SAMPLES[name]
    except KeyError:
        known = ", ".join(SAMPLES)
        raise UnknownSample(f"no bundled sample named {name!r}; choose one of {known}") from None


def sample_path(name: str = DEFAULT_SAMPLE) -> Path:
    """Where a bundled sample is: a workbook, or for Krackhardt a folder of CSV files."""
    return _package_dir("samples") / get_sample(name).filename
