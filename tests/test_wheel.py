"""The wheel a user installs works outside the checkout.

Builds the wheel from a copy of the source tree, installs it (not editable) into a fresh
venv, and runs every command from a folder that is not the source tree. orgmap comes
only from the wheel; its dependencies are this test venv's (a ``.pth`` line naming our
site-packages), since installing numpy, scipy and Qt again would take minutes. A
``.pth`` *line* adds a folder to ``sys.path`` without running the ``.pth`` files in it,
so the editable install's finder never loads there; the test asserts it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

REPO = Path(__file__).resolve().parents[1]
#: What is not part of a source tree a user would build from.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".import_linter_cache",
    "out",
    "tmp",
)
PACKAGE_DATA = {
    "orgmap/resources/html/map.js",
    "orgmap/resources/html/map.css",
    "orgmap/resources/styles/app.qss",
    "orgmap/resources/icons/orgmap.svg",
    "orgmap/samples/sample-org.xlsx",
    "orgmap/samples/dirty-org.xlsx",
    "orgmap/samples/krackhardt-hightech/Advice.csv",
    "orgmap/samples/krackhardt-hightech/Friendship.csv",
    "orgmap/samples/krackhardt-hightech/Reports_To.csv",
    "orgmap/samples/krackhardt-hightech/Krack-High-Tec-Attributes.csv",
    "orgmap/samples/krackhardt-hightech/README.md",
}


def _quiet_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INDEX="1", **extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("build")
    src = root / "src"
    shutil.copytree(REPO, src, ignore=NOT_SOURCE)
    out = root / "wheels"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(src)],
        env=_quiet_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = out.glob("orgmap-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q"]
        + [str(wheel)],
        env=_quiet_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return root


def _run(venv: Path, cwd: Path, *argv: str, timeout: int = 300) -> subprocess.CompletedProcess:
    exe = argv[0] if argv[0].startswith("/") else str(venv / "bin" / argv[0])
    return subprocess.run(
        [exe, *argv[1:]],
        cwd=cwd,
        env=_quiet_env(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(cwd / "xdg")),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_wheel_carries_the_package_data_and_no_repository_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert PACKAGE_DATA - names == set()
    assert not [n for n in names if n.startswith(("tests/", "samples/", "resources/"))]
    assert wheel.stat().st_size < 2 * 1024 * 1024  # the two workbooks, CSVs and code


def test_every_command_works_from_the_installed_wheel(venv, wheel, tmp_path):
    from PySide6.QtGui import QImage

    work = tmp_path / "user"  # outside the source tree
    work.mkdir()

    where = _run(venv, work, "python", "-c", "import orgmap, sys; print(orgmap.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    assert not Path(where.stdout.strip()).is_relative_to(REPO)

    version = _run(venv, work, "orgmap", "--version")
    assert version.returncode == 0, version.stderr
    # orgmap-0.1.0-py3-none-any.whl -> 0.1.0: the version the package says is the wheel's
    assert version.stdout.splitlines()[0] == f"orgmap {wheel.name.split('-')[1]}"
    assert "  networkx " in version.stdout and "  PySide6 " in version.stdout

    made = _run(venv, work, "orgmap", "sample", "-o", "x.xlsx")
    assert made.returncode == 0, made.stderr
    assert "300 people rows" in made.stdout
    listed = _run(venv, work, "orgmap", "sample", "--list")
    assert [line.split()[0] for line in listed.stdout.splitlines()[:3]] == [
        "sample",
        "dirty",
        "krackhardt",
    ]
    copied = _run(venv, work, "orgmap", "sample", "--name", "krackhardt", "-o", "k")
    assert copied.returncode == 0, copied.stderr

    valid = _run(venv, work, "orgmap", "validate", "x.xlsx")
    assert valid.returncode == 0, valid.stdout + valid.stderr
    valid = _run(venv, work, "orgmap", "validate", "k")
    assert valid.returncode == 0 and "rows read 21 = imported 21" in valid.stdout

    analyzed = _run(venv, work, "orgmap", "analyze", "k", "--json", "-")
    assert analyzed.returncode == 0, analyzed.stderr
    people = {p["id"]: p for p in json.loads(analyzed.stdout)["people"]}
    assert sorted(people, key=int) == [str(i) for i in range(1, 22)]
    # Krackhardt's README: the president 7 has the four vice presidents under him,
    # 14 has the widest span (7 reports)
    assert people["7"]["direct_reports"] == 4 and people["14"]["direct_reports"] == 7

    page = _run(venv, work, "orgmap", "html", "x.xlsx", "-o", "map.html")
    assert page.returncode == 0, page.stderr
    assert "missing" not in page.stderr
    html = (work / "map.html").read_text(encoding="utf-8")
    assert "vis-network" in html and 'id="orgmap-data"' in html
    assert "__orgmapReady" in html  # orgmap's own map.js, inlined from package data
    assert "<script src=" not in html and "<link " not in html

    exported = _run(venv, work, "orgmap", "export", "x.xlsx", "-o", "x.graphml")
    assert exported.returncode == 0, exported.stderr
    import networkx as nx

    graph = nx.read_graphml(work / "x.graphml")
    people_nodes = [n for n, d in graph.nodes(data=True) if d.get("kind") == "person"]
    assert len(people_nodes) == 300

    profile = _run(venv, work, "orgmap", "profile", "k", "--person", "2")
    assert profile.returncode == 0, profile.stderr
    assert "Compared with 4 people at level 2 and all 21 people." in profile.stdout

    # the first-run path: no files, so the bundled sample, as package data
    shot = _run(venv, work, "orgmap", "gui", "--screenshot", "out.png")
    assert shot.returncode == 0, shot.stderr
    image = QImage(str(work / "out.png"))
    assert (image.width(), image.height()) == (1600, 1000)
    colours = {image.pixel(x, y) for x in range(0, 1600, 16) for y in range(0, 1000, 16)}
    assert len(colours) > 40  # a drawn org, not a blank window

    desktop = _run(venv, work, "orgmap", "--install-desktop")
    assert desktop.returncode == 0, desktop.stderr
    entry = (work / "xdg" / "applications" / "orgmap.desktop").read_text(encoding="utf-8")
    assert f"Exec={venv / 'bin' / 'orgmap-gui'} %F\n" in entry


def test_the_gui_script_opens_krackhardt_by_name(venv, tmp_path):
    from PySide6.QtGui import QImage

    shot = _run(venv, tmp_path, "orgmap-gui", "--sample", "krackhardt", "--screenshot", "k.png")
    assert shot.returncode == 0, shot.stderr
    image = QImage(str(tmp_path / "k.png"))
    assert (image.width(), image.height()) == (1600, 1000)
    colours = {image.pixel(x, y) for x in range(0, 1600, 16) for y in range(0, 1000, 16)}
    assert len(colours) > 40
