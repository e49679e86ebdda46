"""Regenerate the bundled sample workbooks: ``python samples/make_samples.py``.

Same as ``orgmap sample -o orgmap/samples/sample-org.xlsx --people 300 --seed 7`` and
``orgmap sample -o orgmap/samples/dirty-org.xlsx --people 60 --seed 7 --dirty``. They are
written into the package (``orgmap/samples/``), whose data the wheel ships.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = REPO / "orgmap" / "samples"
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from orgmap.sample import generate, write_xlsx  # noqa: E402

#: file name -> generate() arguments; tests/test_sample*.py checks the files match.
SAMPLES = {
    "sample-org.xlsx": {"people": 300, "seed": 7, "dirty": False},
    "dirty-org.xlsx": {"people": 60, "seed": 7, "dirty": True},
}


def main() -> None:
    for name, kwargs in SAMPLES.items():
        path = write_xlsx(generate(**kwargs), OUT / name)
        print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
