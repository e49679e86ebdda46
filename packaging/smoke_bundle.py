"""Smoke test of the one-folder bundle: ``python packaging/smoke_bundle.py [dist/orgmap]``.

Run by ``make bundle`` and CI. From a temporary folder (not the checkout), with no
display: ``--version``, the first-run screenshot (the bundled sample), Krackhardt by
name, a 2,500-person org (loaded in the helper process), ``validate`` and ``html`` on
the copied Krackhardt folder, ``--install-desktop``
(checked by desktop-file-validate when installed). Exits non-zero on the first failure;
prints the bundle's size.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PNG = b"\x89PNG\r\n\x1a\n"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else "dist/orgmap").resolve()
    exe = bundle / "orgmap"
    if not exe.is_file():
        print(f"smoke: no bundle at {exe}; run `make bundle` first", file=sys.stderr)
        return 2
    failures: list[str] = []
    checked = [0]  # every command run and every check made
    with tempfile.TemporaryDirectory(prefix="orgmap-bundle-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(work / "xdg"))

        def run(*args: str, expect: int = 0) -> str:
            start = time.perf_counter()
            proc = subprocess.run(
                [str(exe), *args], cwd=work, env=env, capture_output=True, text=True, timeout=600
            )
            took = time.perf_counter() - start
            print(f"smoke: orgmap {' '.join(args)} -> {proc.returncode} ({took:.1f} s)")
            checked[0] += 1
            if proc.returncode != expect:
                failures.append(f"orgmap {' '.join(args)}: exit {proc.returncode}\n{proc.stderr}")
            return proc.stdout

        def check(ok: bool, what: str) -> None:
            checked[0] += 1
            if not ok:
                failures.append(what)

        version = run("--version")
        check(version.startswith("orgmap ") and "PySide6 " in version, f"--version: {version!r}")
        run("gui", "--screenshot", "first-run.png")
        shot = work / "first-run.png"
        check(shot.is_file() and shot.read_bytes()[:8] == PNG, "no first-run screenshot")
        check(shot.is_file() and shot.stat().st_size > 50_000, "first-run screenshot is blank")
        run("gui", "--sample", "krackhardt", "--screenshot", "krackhardt.png")
        check((work / "krackhardt.png").is_file(), "no Krackhardt screenshot")
        # past 100 kB the app loads in a spawned helper process: a frozen executable must
        # run the helper when it is started as one (multiprocessing.freeze_support)
        run("sample", "-o", "big.xlsx", "--people", "2500")
        check((work / "big.xlsx").stat().st_size > 100_000, "big.xlsx is not past 100 kB")
        run("gui", "big.xlsx", "--screenshot", "big.png", "--layout", "teams")
        check((work / "big.png").is_file(), "no screenshot of the big org")
        # past 5,000 people --json is streamed through orjson, and the program leaves
        # with os._exit after flushing: the whole document must be there
        run("sample", "-o", "six.xlsx", "--people", "6000")
        run("analyze", "six.xlsx", "--json", "six.json")
        try:
            people = len(json.loads((work / "six.json").read_text(encoding="utf-8"))["people"])
        except (OSError, ValueError, KeyError):
            people = -1
        check(people == 6000, f"analyze six.xlsx --json: {people} people")
        run("sample", "--name", "krackhardt", "-o", "k")
        out = run("validate", "k")
        check("rows read 21 = imported 21" in out, f"validate k: {out!r}")
        run("html", "k", "-o", "map.html")
        page = (
            (work / "map.html").read_text(encoding="utf-8") if (work / "map.html").is_file() else ""
        )
        check("__orgmapReady" in page and "vis-network" in page, "map.html lacks its scripts")
        out = run("--install-desktop")
        desktop = work / "xdg" / "applications" / "orgmap.desktop"
        entry = desktop.read_text(encoding="utf-8") if desktop.is_file() else ""
        check(f"Exec={exe} gui %F" in entry, f"desktop entry: {entry!r}")
        validator = shutil.which("desktop-file-validate")
        if validator and desktop.is_file():
            proc = subprocess.run([validator, str(desktop)], capture_output=True, text=True)
            check(proc.returncode == 0 and not proc.stdout, f"desktop-file-validate: {proc.stdout}")
    size = folder_size(bundle)
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    print(f"smoke: bundle {bundle}: {size / 1e6:.0f} MB in {files} files")
    for failure in failures:
        print(f"smoke: FAILED {failure}", file=sys.stderr)
    # the plain closing line a CI log reader takes as a test count
    print(f"smoke: {checked[0] - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
