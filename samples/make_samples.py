"""Regenerate the bundled sample workbooks: ``python samples/make_samples.py``.

Same as ``orgmap sample -o samples/sample-org.xlsx --people 300 --seed 7`` and
``orgmap sample -o samples/dirty-org.xlsx --people 60 --seed 7 --dirty``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from orgmap.sample import generate, write_xlsx  # noqa: E402

#: file name -> generate() arguments; tests/test_sample*.py checks the files match.
SAMPLES = {
    "sample-org.xlsx": {"people": 300, "seed": 7, "dirty": False},
    "dirty-org.xlsx": {"people": 60, "seed": 7, "dirty": True},
}


def main() -> None:
    for name, kwargs in SAMPLES.items():
        path = write_xlsx(generate(**kwargs), HERE / name)
        print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
