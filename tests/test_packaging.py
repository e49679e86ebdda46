"""What an installed orgmap says about itself and carries: ``--version``, the bundled
samples (``sample --list`` / ``--name``), ``--install-desktop``."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orgmap.cli import Env, main

REPO = Path(__file__).resolve().parents[1]
KRACKHARDT_FILES = [
    "Advice.csv",
    "Friendship.csv",
    "Krack-High-Tec-Attributes.csv",
    "README.md",
    "Reports_To.csv",
]


def run(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    env = Env.capture(cwd=cwd)
    status = main(argv, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


# -- --version -------------------------------------------------------------------------------
def test_version_names_orgmap_and_the_libraries_it_stands_on(tmp_path):
    import networkx
    import PySide6

    status, out, err = run(["--version"], tmp_path)
    assert status == 0, err
    lines = out.splitlines()
    # the CHANGELOG's newest release is the version users see
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## \[?(\d+\.\d+\.\d+)", changelog, re.M).group(1)
    assert lines[0] == f"orgmap {newest}"
    assert f"  networkx {networkx.__version__}" in lines
    assert f"  PySide6 {PySide6.__version__}" in lines
    calamine = [line for line in lines if line.startswith("  python-calamine ")]
    assert len(calamine) == 1 and re.fullmatch(r"  python-calamine \d+\.\d+\.\d+", calamine[0])


def test_version_loads_no_qt_library():
    code = (
        "import sys\nfrom orgmap.cli import main\nmain(['--version'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6.')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert proc.stdout.splitlines()[-1] == "[]"


def test_pyproject_reads_the_version_from_the_package():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "orgmap.__version__"}


# -- bundled samples -------------------------------------------------------------------------
def test_sample_list_names_the_synthetic_and_the_real_samples(tmp_path):
    status, out, err = run(["sample", "--list"], tmp_path)
    assert status == 0, err
    names = [line.split()[0] for line in out.splitlines()[:3]]
    assert names == ["sample", "dirty", "krackhardt"]
    assert "Krackhardt's 21 high-tech managers" in out and "real data, 1987" in out
    assert "orgmap gui --sample NAME" in out
    assert list(tmp_path.iterdir()) == []  # listing writes nothing


def test_sample_name_copies_krackhardt_out_and_every_command_reads_the_copy(tmp_path):
    status, out, err = run(["sample", "--name", "krackhardt", "-o", "k"], tmp_path)
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "k").iterdir()) == KRACKHARDT_FILES
    bundled = REPO / "orgmap" / "samples" / "krackhardt-hightech"
    for name in KRACKHARDT_FILES:  # unchanged, down to the CRLF line ends
        assert (tmp_path / "k" / name).read_bytes() == (bundled / name).read_bytes()
    readme = (tmp_path / "k" / "README.md").read_text(encoding="utf-8")
    assert "Krackhardt D. (1987). Cognitive social structures. *Social Networks*" in readme
    assert "9:109-134" in readme
    status, out, err = run(["validate", "k"], tmp_path)
    assert status == 0, err
    # 21 managers; every ordered pair of 21 is one row of each matrix: 21 * 21 = 441
    assert "rows read 21 = imported 21" in out
    # (the zero cells of each matrix are no tie: skipped, and said so)
    assert "rows read 441 = imported 190 + rejected 0 + blank 0 + skipped 251" in out  # advice
    assert "rows read 441 = imported 102 + rejected 0 + blank 0 + skipped 339" in out  # friends
    assert "rows read 441 = imported 20 + rejected 0 + blank 0 + skipped 421" in out  # reports
    # a second copy into the same folder would overwrite: refused, nothing changed
    status, _, err = run(["sample", "--name", "krackhardt", "-o", "k"], tmp_path)
    assert status == 2 and "already has Advice.csv" in err


def test_sample_name_copies_a_workbook_into_a_folder_or_to_a_name(tmp_path):
    status, out, err = run(["sample", "--name", "sample", "-o", "."], tmp_path)
    assert status == 0, err
    copied = tmp_path / "sample-org.xlsx"
    assert copied.read_bytes() == (REPO / "orgmap" / "samples" / "sample-org.xlsx").read_bytes()
    status, out, err = run(["sample", "--name", "dirty", "-o", "mine.xlsx"], tmp_path)
    assert status == 0, err
    status, out, _ = run(["validate", "mine.xlsx"], tmp_path)
    assert status == 1  # the dirty sample's faults, listed by row
    assert "duplicate" in out.lower()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--name", "nope", "-o", "x"],
            "no bundled sample named 'nope'; choose one of sample, dirty",
        ),
        (["--name", "sample", "-o", "x.csv"], "end the name in .xlsx"),
        (["--name", "krackhardt", "-o", "k", "--csv"], "drop --csv/--dirty"),
    ],
)
def test_sample_name_refuses_what_it_cannot_do(tmp_path, argv, message):
    status, _, err = run(["sample", *argv], tmp_path)
    assert status == 2
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_gui_sample_unknown_name_is_refused_before_any_window(tmp_path):
    status, _, err = run(["gui", "--sample", "nope", "--screenshot", "s.png"], tmp_path)
    assert status == 2
    assert (
        "--sample: no bundled sample named 'nope'; choose one of sample, dirty, krackhardt" in err
    )
    status, _, err = run(["gui", "x.xlsx", "--sample", "krackhardt"], tmp_path)
    assert status == 2 and "not both" in err
    assert list(tmp_path.iterdir()) == []


# -- --install-desktop -----------------------------------------------------------------------
def _read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_install_desktop_writes_a_valid_entry_that_starts_the_app(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    status, out, err = run(["--install-desktop"], tmp_path)
    assert status == 0, err
    desktop = data / "applications" / "orgmap.desktop"
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / "orgmap.svg"
    assert f"wrote {desktop}" in out and f"wrote {icon}" in out
    entry = _read_entry(desktop)
    assert entry["Type"] == "Application" and entry["Name"] == "orgmap"
    assert entry["Terminal"] == "false"
    # Icon names the themed icon written beside it (no path, no extension)
    assert entry["Icon"] == icon.stem == "orgmap"
    assert icon.read_bytes() == (REPO / "orgmap/resources/icons/orgmap.svg").read_bytes()
    assert icon.read_text(encoding="utf-8").lstrip().startswith(("<svg", "<?xml"))
    # Exec is the orgmap-gui installed beside this Python, taking the files it opens
    command = shlex.split(entry["Exec"])
    scripts = Path(sys.executable).parent
    assert command == [str(scripts / "orgmap-gui"), "%F"]
    assert entry["TryExec"] == command[0] and os.access(command[0], os.X_OK)
    validator = shutil.which("desktop-file-validate")
    if validator:  # desktop-file-utils (CI installs it): the spec's own checker
        proc = subprocess.run([validator, str(desktop)], capture_output=True, text=True)
        assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr
    # ...and what it runs is the app: render the bundled sample as a menu click would
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    shot = tmp_path / "from-menu.png"
    proc = subprocess.run(
        [command[0], "--screenshot", str(shot)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_desktop_entry_quotes_a_path_with_spaces():
    from orgmap.desktop import desktop_entry

    text = desktop_entry(("/opt/my apps/orgmap-gui",))
    assert 'Exec="/opt/my apps/orgmap-gui" %F\n' in text
    assert "TryExec=/opt/my apps/orgmap-gui\n" in text
    frozen = desktop_entry(("/opt/orgmap/orgmap", "gui"))
    assert "Exec=/opt/orgmap/orgmap gui %F\n" in frozen


def test_install_desktop_relative_xdg_data_home_is_ignored(tmp_path, monkeypatch):
    from orgmap.desktop import data_home

    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_home({"XDG_DATA_HOME": "relative/dir"}) == tmp_path / ".local" / "share"
    assert data_home({"XDG_DATA_HOME": "/x/y"}) == Path("/x/y")
    assert data_home({}) == tmp_path / ".local" / "share"
