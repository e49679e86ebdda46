"""Saves are atomic: a killed, refused or full write leaves the previous file as it was.

Every writer (report xlsx, metrics JSON, HTML map, GraphML, GEXF, node-link JSON, profile
page, session ``.orgmap``) runs in a real subprocess that is SIGKILLed mid-save: at the
moment its temporary file is complete and about to be renamed over the target (an audit
hook in the child fires on that rename and kills the process, so the moment is exact,
not a race). The previous target must be intact; the next save must succeed and leave no
temporary file behind. Refused writes (a read-only folder, for an unprivileged user) and
full disks (RLIMIT_FSIZE, /dev/full) must print one line, exit 2 and print no traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from orgmap.safety import TEMP_PREFIX, atomic_write_text, stale_temp_files

REPO = Path(__file__).resolve().parents[1]
SAMPLE = next(
    p
    for p in (REPO / "orgmap" / "samples" / "sample-org.xlsx", REPO / "samples" / "sample-org.xlsx")
    if p.exists()
)
PREVIOUS = b"previous contents: must survive a failed save\n"

# The child: optionally die by SIGKILL at the rename of an orgmap temporary file, then
# run one writer. argv: kill(0/1) writer target
CHILD = r"""
import os, signal, sys
kill, writer, target = sys.argv[1] == "1", sys.argv[2], sys.argv[3]
if kill:
    def hook(event, args):
        if event == "os.rename" and ".orgmap-tmp-" in os.fspath(args[0]):
            os.kill(os.getpid(), signal.SIGKILL)
    sys.addaudithook(hook)
sample = os.environ["ORGMAP_TEST_SAMPLE"]
if writer == "session":
    from orgmap.gui.state import Session
    Session(sources=[sample]).save(target)
    sys.exit(0)
from orgmap.cli import main
argv = {
    "report": ["analyze", sample, "-o", target],
    "json": ["analyze", sample, "--json", target],
    "html": ["html", sample, "-o", target],
    "graphml": ["export", sample, "-o", target],
    "gexf": ["export", sample, "-o", target],
    "export-json": ["export", sample, "-o", target],
    "profile": ["profile", sample, "--person", os.environ["ORGMAP_TEST_PERSON"], "-o", target],
}[writer]
sys.exit(main(argv))
"""

WRITERS = {
    "report": "report.xlsx",
    "json": "metrics.json",
    "html": "map.html",
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "export-json": "graph.json",
    "profile": "profile.html",
    "session": "work.orgmap",
}


@pytest.fixture(scope="module")
def person() -> str:
    from orgmap.loader import load

    org = load([SAMPLE])
    return str(org.graph.nodes[sorted(org.people())[0]]["id"])


def run_child(
    kill: bool, writer: str, target: Path, person: str, **kw
) -> subprocess.CompletedProcess:
    env = dict(os.environ, ORGMAP_TEST_SAMPLE=str(SAMPLE), ORGMAP_TEST_PERSON=person)
    return subprocess.run(
        [sys.executable, "-c", CHILD, "1" if kill else "0", writer, str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        **kw,
    )


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def check_valid(writer: str, path: Path) -> None:
    """The file a user opens next is complete and well-formed."""
    if writer == "report":
        with zipfile.ZipFile(path) as z:
            assert "xl/workbook.xml" in z.namelist()
    elif writer in ("json", "session", "export-json"):
        json.loads(path.read_text(encoding="utf-8"))
    elif writer == "graphml":
        assert nx.read_graphml(path).number_of_nodes() > 300
    elif writer == "gexf":
        assert nx.read_gexf(path).number_of_nodes() > 300
    else:
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_sigkill_mid_save_keeps_the_previous_file(tmp_path, writer, person):
    target = tmp_path / WRITERS[writer]
    target.write_bytes(PREVIOUS)
    killed = run_child(True, writer, target, person)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr[-2000:])
    # killed with its temporary file complete and the rename not done: the target is the
    # old one, and the killed process could not clean up its temporary file
    assert target.read_bytes() == PREVIOUS
    left = temp_files(tmp_path)
    assert len(left) == 1 and left[0].endswith(target.name), left
    assert stale_temp_files(target) == [tmp_path / left[0]]

    done = run_child(False, writer, target, person)
    assert done.returncode == 0, done.stderr[-2000:]
    assert target.read_bytes() != PREVIOUS
    check_valid(writer, target)
    assert temp_files(tmp_path) == []  # the next save removed the stale one


def test_stale_cleanup_touches_only_our_pattern_for_that_target(tmp_path):
    target = tmp_path / "map.html"
    dead = 2**22 + 12345  # above pid_max's default: no such process
    ours_dead = tmp_path / f"{TEMP_PREFIX}{dead}-abcd1234-map.html"
    ours_other_target = tmp_path / f"{TEMP_PREFIX}{dead}-abcd1234-old-map.html"
    ours_alive = tmp_path / f"{TEMP_PREFIX}{os.getppid()}-abcd1234-map.html"
    theirs = tmp_path / ".map.html.swp"
    for p in (ours_dead, ours_other_target, ours_alive, theirs):
        p.write_text("x")
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"
    remaining = sorted(p.name for p in tmp_path.iterdir())
    assert ours_dead.name not in remaining  # a killed save of this target: removed
    # another target's temporary file, a live writer's, and a stranger's file stay
    assert ours_other_target.name in remaining
    assert ours_alive.name in remaining
    assert theirs.name in remaining


def test_a_save_fsyncs_the_file_before_the_rename_and_the_folder_after(tmp_path):
    assert shutil.which("strace"), "strace watches the save's system calls: apt-get install strace"
    target = tmp_path / "out.json"
    code = f"from orgmap.safety import atomic_write_text; atomic_write_text({str(target)!r}, 'x')"
    trace = tmp_path / "trace.txt"
    subprocess.run(
        [
            "strace",
            "-f",
            "-o",
            str(trace),
            "-e",
            "trace=openat,fsync,rename,renameat2",
            sys.executable,
            "-c",
            code,
        ],
        check=True,
        capture_output=True,
    )
    calls = [
        line.split(" ", 1)[1].strip()
        for line in trace.read_text().splitlines()
        if any(k in line for k in ("fsync(", "rename", str(tmp_path)))
    ]
    fsyncs = [i for i, c in enumerate(calls) if c.startswith("fsync(")]
    renames = [i for i, c in enumerate(calls) if "rename" in c and str(target) in c]
    assert len(renames) == 1 and len(fsyncs) >= 2, calls
    assert fsyncs[0] < renames[0] < fsyncs[-1], calls
    # the last fsync is of the folder: opened with O_DIRECTORY just before
    opened_dir = [c for c in calls if "O_DIRECTORY" in c and f'"{tmp_path}"' in c]
    assert opened_dir, calls


# -- refused and full writes ----------------------------------------------------------
def orgmap(*args: str, prefix: list[str] | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "orgmap", *args],
        capture_output=True,
        text=True,
        timeout=300,
        **kw,
    )


def as_nobody() -> list[str]:
    """The command prefix that runs the child as an unprivileged user: root ignores folder
    permissions, so a read-only folder only refuses a write from someone else."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root: setpriv (util-linux) is needed to drop privileges"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def small_file_limit() -> None:
    """A disk that fills at 2 kB: writes past it fail with EFBIG (not a signal)."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2_000, 2_000))


CASES = [
    ("report.xlsx", ["analyze", "{sample}", "-o", "{target}"]),
    ("metrics.json", ["analyze", "{sample}", "--json", "{target}"]),
    ("map.html", ["html", "{sample}", "-o", "{target}"]),
    ("graph.graphml", ["export", "{sample}", "-o", "{target}"]),
    ("graph.gexf", ["export", "{sample}", "-o", "{target}"]),
    ("graph.json", ["export", "{sample}", "-o", "{target}"]),
    ("profile.html", ["profile", "{sample}", "--person", "{person}", "-o", "{target}"]),
]


def assert_one_clean_line(result: subprocess.CompletedProcess, target: Path, reason: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("orgmap ") and "cannot write" in lines[0] and reason in lines[0]
    assert target.name in lines[0]


@pytest.fixture
def shared_dir():
    """A folder an unprivileged user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="orgmap-ro-test-"))
    os.chmod(folder, 0o755)
    yield folder
    for sub in folder.rglob("*"):
        if sub.is_dir():
            os.chmod(sub, 0o755)
    shutil.rmtree(folder)


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_read_only_folder_one_line_exit_2_previous_kept(shared_dir, name, args, person):
    folder = shared_dir / "ro"
    folder.mkdir()
    target = folder / name
    target.write_bytes(PREVIOUS)
    sample = shared_dir / "sample.xlsx"  # readable by the unprivileged user
    shutil.copy(SAMPLE, sample)
    os.chmod(sample, 0o644)
    os.chmod(folder, 0o555)
    argv = [a.format(sample=sample, target=target, person=person) for a in args]
    env = dict(os.environ, HOME=str(shared_dir))
    result = orgmap(*argv, prefix=as_nobody(), cwd=shared_dir, env=env)
    os.chmod(folder, 0o755)
    assert_one_clean_line(result, target, "Permission denied")
    assert target.read_bytes() == PREVIOUS
    assert temp_files(folder) == []


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_full_disk_one_line_exit_2_previous_kept(tmp_path, name, args, person):
    target = tmp_path / name
    target.write_bytes(PREVIOUS)
    argv = [a.format(sample=SAMPLE, target=target, person=person) for a in args]
    result = orgmap(*argv, preexec_fn=small_file_limit)
    assert_one_clean_line(result, target, "File too large")
    assert target.read_bytes() == PREVIOUS
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "{sample}", "--json", "-"],
        ["validate", "{sample}"],
        ["validate", "{sample}", "--json"],
    ],
)
def test_full_stdout_one_line_exit_2(args):
    argv = [a.format(sample=SAMPLE) for a in args]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "orgmap", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "No space left on device" in lines[0], result.stderr
