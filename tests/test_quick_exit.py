"""``orgmap`` ends at once after a batch command (issue 15): nothing it wrote is lost.

The program leaves with ``os._exit`` instead of freeing the org object by object, so
these run the real program (``python -m orgmap``, as the installed script does) and
read what reached the pipe, the file and the exit status.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def orgmap(*args: str, cwd: Path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orgmap", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quick")
    # past 5,000 people: the JSON is streamed, the summary printed after it
    done = orgmap("sample", "--people", "5200", "-o", "org.xlsx", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "org.xlsx"


def test_summary_and_json_are_whole(workbook: Path) -> None:
    done = orgmap("analyze", workbook.name, "--json", "out.json", cwd=workbook.parent)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("people 5200, teams ")
    assert lines[-1].startswith("top brokers: ")
    data = json.loads((workbook.parent / "out.json").read_text(encoding="utf-8"))
    assert len(data["people"]) == 5200 and data["summary"]["people"] == 5200


def test_json_on_stdout_is_whole(workbook: Path) -> None:
    done = orgmap("analyze", workbook.name, "--json", "-", cwd=workbook.parent)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["people"]) == 5200


def test_stdout_on_a_full_device_is_one_line_and_exit_2(workbook: Path) -> None:
    with open("/dev/full", "w") as full:
        done = orgmap("validate", workbook.name, cwd=workbook.parent, stdout=full)
    assert done.returncode == 2
    assert "No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_reader_that_goes_away_is_not_an_error(workbook: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "orgmap", "analyze", workbook.name, "--json", "-"],
        cwd=workbook.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(5)
    proc.stdout.close()  # as `| head -c 5` does
    err = proc.stderr.read()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "Exception ignored" not in err
    assert proc.returncode in (0, 141)
