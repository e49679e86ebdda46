"""Fuzzing the readers: any mutated workbook or CSV either loads or gives one clear
fatal issue for its file; it never raises and never aborts the process (issue 11).

Each case runs ``orgmap.loader.load`` in a forked child, so an abort inside calamine
(exit 134 before the address screen) or a hang is caught and reported, not fatal to
pytest. Inputs are mutations of the committed seeds (``seeds/``); every input that
ever broke the property is kept in ``regressions/`` and replayed on every run.

``make test`` runs a fixed, derandomized set of 150 examples per target (about 30 s); ``make fuzz``
runs many more, randomized (``ORGMAP_FUZZ_EXAMPLES``, default there 3000), and saves
any failing input to ``regressions/`` to commit.
"""

from __future__ import annotations

import faulthandler
import hashlib
import io
import os
import pickle
import select
import signal
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Imported here, once: every forked child inherits the loaded modules (an import per
# child would cost half a second a case).
import orgmap.loader

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE / "seeds").iterdir())
REGRESSIONS = HERE / "regressions"
XLSX_SEEDS = [p for p in SEEDS if p.suffix == ".xlsx"]
TEXT_SEEDS = [p for p in SEEDS if p.suffix != ".xlsx"]

LONG = os.environ.get("ORGMAP_FUZZ_LONG") == "1"
EXAMPLES = int(os.environ.get("ORGMAP_FUZZ_EXAMPLES", "3000" if LONG else "150"))
#: A case may take this long (the rule: no input hangs past 10 s per MB; these are KBs).
CASE_SECONDS = 20.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    database=None if not LONG else settings.default.database,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Address-like values calamine parses: the forms that aborted it, and their neighbours.
ADDRESSES = [
    b"A4294967295",
    b"ZZZZZZZZ1",
    b"XFD1048576",
    b"XFE1",
    b"A1048577",
    b"a1",
    b"zz999999",
    b"A0",
    b"0",
    b"",
    b"$A$1",
    b"A1:XFD1048576",
    b"B5:A1",
    b"A1:A4294967297",
    b"AAAA1",
    b"A" + b"9" * 40,
    b"Z" * 30 + b"1",
    b"A1 B2",
    b"-1",
    b"A-1",
]
TOKENS = [
    b"<",
    b">",
    b"/>",
    b"&",
    b"&amp;",
    b"\x00",
    b"\xff",
    b'"',
    b"'",
    b"<!DOCTYPE x>",
    b"<c>",
    b"<row>",
    b"</row>",
    b"<v>1e308</v>",
    b'<c r="A1" t="s"><v>99999</v></c>',
    b'<dimension ref="A1:XFD1048576"/>',
    b"\xe9",
    b"\r",
    b"\n",
    b",",
    b";",
    b"\t",
    b'"' * 3,
    b"x" * 200_000,
    "Zoë".encode(),
    "José".encode("cp1252"),
]


# --- running one case in a child --------------------------------------------------------


def _child(path: str, write_fd: int) -> None:
    try:
        org = orgmap.loader.load([path])
        fatal = [str(i) for i in org.issues if i.severity == "fatal"]
        result = ("loaded", fatal, len(org.unreadable))
    except BaseException as exc:  # the property under test: nothing escapes load
        import traceback

        result = ("raised", [traceback.format_exc()], 0)
        del exc
    os.write(write_fd, pickle.dumps(result))
    os.close(write_fd)


def run_case(path: Path) -> tuple[str, list[str], int]:
    """``(outcome, details, unreadable files)`` of loading ``path`` in a forked child.

    Outcomes: ``loaded`` (details = the fatal issues), ``raised`` (a traceback),
    ``died`` (killed by a signal: an abort), ``hung`` (past CASE_SECONDS).
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        os.close(read_fd)
        faulthandler.disable()  # an abort is the parent's to report, not a dump's
        code = 0
        try:
            _child(str(path), write_fd)
        except BaseException:
            code = 3
        os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + CASE_SECONDS
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "hung", [f"over {CASE_SECONDS:.0f} s"], 0
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                data = os.read(read_fd, 1 << 20)
                if not data:
                    break
                chunks.append(data)
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return "died", [f"signal {os.WTERMSIG(status)}"], 0
    if not chunks:
        return "died", [f"exit {os.WEXITSTATUS(status)} without a result"], 0
    return pickle.loads(b"".join(chunks))


def check(path: Path) -> None:
    outcome, details, unreadable = run_case(path)
    if outcome != "loaded" or len(details) > 1 or len(details) != unreadable:
        if LONG:
            _save_regression(path)
        pytest.fail(f"{path.name}: {outcome}: {details}")
    for message in details:
        # One clear message: the file's name, a reason, no traceback.
        assert message.startswith(f"{path.name}:-:-: fatal: "), message
        assert "Traceback" not in message and len(message) < 600, message


def _save_regression(path: Path) -> None:
    data = path.read_bytes()
    REGRESSIONS.mkdir(exist_ok=True)
    name = hashlib.sha256(data).hexdigest()[:16] + path.suffix
    (REGRESSIONS / name).write_bytes(data)


# --- mutations ------------------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes, tokens: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(out)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "token"]))
        if op == "flip" and out:
            pos = min(pos, len(out) - 1)
            out[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            out[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del out[pos : pos + draw(st.integers(1, 64))]
        elif op == "repeat":
            chunk = bytes(out[pos : pos + draw(st.integers(1, 300))])
            out[pos:pos] = chunk * draw(st.integers(1, 50))
        else:
            out[pos:pos] = draw(st.sampled_from(tokens))
    if draw(st.booleans()) and draw(st.booleans()):
        del out[draw(st.integers(0, len(out))) :]
    return bytes(out)


@st.composite
def mutated_sheet_xml(draw: st.DrawFn, xml: bytes) -> bytes:
    """Replace attribute values that calamine reads as addresses with hostile ones."""
    import re

    spots = [m.span(1) for m in re.finditer(rb'\s(?:r|ref|sqref)="([^"]*)"', xml)]
    if spots and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            start, end = draw(st.sampled_from(spots))
            value = draw(st.sampled_from(ADDRESSES))
            xml = xml[:start] + value + xml[end:]
            spots = [m.span(1) for m in re.finditer(rb'\s(?:r|ref|sqref)="([^"]*)"', xml)]
    if draw(st.booleans()):
        xml = draw(mutated_bytes(xml, TOKENS + [b'r="' + a + b'"' for a in ADDRESSES]))
    return xml


@st.composite
def mutated_workbook(draw: st.DrawFn) -> bytes:
    seed = draw(st.sampled_from(XLSX_SEEDS))
    with zipfile.ZipFile(seed) as zf:
        parts = [(i, zf.read(i)) for i in zf.infolist()]
    if draw(st.integers(0, 9)) == 0:  # the container itself
        return draw(mutated_bytes(seed.read_bytes(), TOKENS))
    index = draw(st.integers(0, len(parts) - 1))
    sheet_like = [i for i, (info, _) in enumerate(parts) if "worksheets/" in info.filename]
    if sheet_like and draw(st.booleans()):
        index = draw(st.sampled_from(sheet_like))
    info, xml = parts[index]
    parts[index] = (info, draw(mutated_sheet_xml(xml)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info.filename, data)
    return out.getvalue()


@st.composite
def mutated_text(draw: st.DrawFn) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(TEXT_SEEDS))
    return seed.suffix, draw(mutated_bytes(seed.read_bytes(), TOKENS))


# --- the properties ---------------------------------------------------------------------------


@FUZZ
@given(blob=mutated_workbook())
def test_mutated_workbooks_load_or_give_one_clear_fatal_issue(tmp_path, blob):
    path = tmp_path / "fuzzed.xlsx"
    path.write_bytes(blob)
    check(path)


@FUZZ
@given(case=mutated_text())
def test_mutated_text_tables_load_or_give_one_clear_fatal_issue(tmp_path, case):
    suffix, blob = case
    path = tmp_path / f"fuzzed{suffix}"
    path.write_bytes(blob)
    check(path)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.*")), ids=lambda p: p.name)
def test_every_input_that_ever_broke_the_readers(path):
    check(path)


def test_the_harness_sees_an_abort(tmp_path, monkeypatch):
    # The child's abort must show as "died", or the fuzz property proves nothing.
    monkeypatch.setattr(orgmap.loader, "load", lambda paths: os.abort())
    path = tmp_path / "x.csv"
    path.write_text("ID\n1\n")
    assert run_case(path)[0] == "died"
