"""Real-shaped vendor exports open untouched: every column becomes the field its vendor
means, every table the kind it is, and every row is accounted for.

Each folder under ``tests/data/exports/`` holds small files written in one vendor's
documented export shape (sources in its ``expected.json``) and the expected outcome,
written by hand from the vendor's documentation, not from orgmap's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgmap.loader import load

CORPUS = Path(__file__).parent / "data" / "exports"
CASES = sorted(p.parent for p in CORPUS.glob("*/expected.json"))


def test_the_corpus_covers_the_vendors_users_have():
    # the systems SPEC names (section 1), each with at least one export in the corpus
    assert len(CASES) >= 15
    vendors = {json.loads((c / "expected.json").read_text())["vendor"].lower() for c in CASES}
    for vendor in ("workday", "adp", "successfactors", "bamboohr", "hibob", "personio"):
        assert any(vendor in v.replace(" ", "").replace("sap", "") for v in vendors), vendor
    for vendor in ("rippling", "gusto", "viva", "jira", "asana", "linear", "github"):
        assert any(vendor in v.lower() for v in vendors), vendor


def _load(case: Path):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    org = load([case])
    return expected, org


def _sheet(org, file: str, sheet: str):
    for s in org.sheets:
        if s.file == file and s.sheet == sheet:
            return s
    raise AssertionError(
        f"{file}:{sheet} not read; sheets: {[(s.file, s.sheet) for s in org.sheets]}"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_table_kind_header_and_field(case):
    expected, org = _load(case)
    assert not org.unreadable, [str(i) for i in org.issues if i.severity == "fatal"]
    for table in expected["tables"]:
        sheet = _sheet(org, table["file"], table["sheet"])
        kind = None if table["kind"] == "skipped" else table["kind"]
        assert sheet.kind == kind, f"{table['sheet']}: {sheet.kind} != {kind}"
        if kind is None:
            continue
        if "header_row" in table:
            assert sheet.header_row == table["header_row"]
        got = {c["header"]: c["field"] for c in sheet.columns}
        # a header cell left empty (R's row-name column) is shown as "column N"
        got.update({"": None} if any(h.startswith("column ") for h in got) else {})
        wrong = {
            header: (got.get(header, "<missing>"), want)
            for header, want in table["fields"].items()
            if got.get(header, "<missing>") != want
        }
        assert not wrong, f"{table['sheet']}: (got, want) per header: {wrong}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_row_is_accounted_for(case):
    expected, org = _load(case)
    for s in org.sheets:
        assert s.rows_read == s.imported + s.rejected + s.blank + s.skipped, s
    for table in expected["tables"]:
        sheet = _sheet(org, table["file"], table["sheet"])
        rows = table["rows"]
        got = {
            "read": sheet.rows_read,
            "imported": sheet.imported,
            "rejected": sheet.rejected,
            "blank": sheet.blank,
            "skipped": sheet.skipped,
        }
        assert got == {k: rows.get(k, 0) for k in got}, f"{table['sheet']}: {got} != {rows}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_org_has_the_expected_shape(case):
    expected, org = _load(case)
    counts = org.counts()
    assert {k: counts[k] for k in expected["counts"]} == expected["counts"]
    if "ties_by_type" in expected:
        assert org.ties_by_type() == expected["ties_by_type"]
    if "snapshots" in expected:
        assert max(len(s.snapshots) for s in org.sheets) == expected["snapshots"]
    for want in expected.get("issues", []):
        hits = [
            i
            for i in org.issues
            if (want.get("row") is None or i.covers(want["row"]))
            and i.sheet == want["sheet"]
            and i.severity == want["severity"]
        ]
        assert hits, f"no {want['severity']} issue at {want['sheet']}:{want.get('row')}: {want}"
