"""The xlsx report, written for real and read back with openpyxl."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from orgmap.issues import Issue
from orgmap.metrics import METRICS, compute_all, metrics_for
from orgmap.metrics.examples import OrgBuilder, example_org
from orgmap.report import write_report

SOURCES = (
    "Brin",
    "Brandes",
    "Burt",
    "Krackhardt, D. & Stern",
    "Gould, R. V. & Fernandez",
    "Cross, R. & Prusak",
)


def header(ws) -> list:
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def column(ws, title: str) -> list:
    idx = header(ws).index(title)
    return [row[idx] for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    org = example_org()
    org.issues.append(
        Issue("hr.xlsx", "People", 7, "manager", "warning", "unknown_manager", "=cmd|' /C calc'!A0")
    )
    path = tmp_path / "report.xlsx"
    write_report(org, compute_all(org), path)
    return path


def test_sheets_headers_filters_and_frozen_rows(report):
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["Summary", "People", "Projects", "Teams", "Issues", "Definitions"]
    for name in ("People", "Projects", "Teams", "Issues", "Definitions"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert all(ws.column_dimensions[c].width >= 6 for c in "ABC")
    people = wb["People"]
    labels = header(people)
    for m in metrics_for("person"):
        if m.name != "brokerage_roles":
            assert m.label in labels
    assert "Broker: gatekeeper" in labels
    assert people.max_row == 1 + 7
    assert column(people, "Name")[:2] == ["Ada", "Ben"]
    assert column(people, "Direct reports")[:3] == [2, 2, 2]


def test_number_formats_and_colour_scales(report):
    wb = openpyxl.load_workbook(report)
    people = wb["People"]
    labels = header(people)
    row = next(people.iter_rows(min_row=2, max_row=2))
    assert row[labels.index("Influence percentile")].number_format == "0%"
    assert row[labels.index("Org reach")].number_format == "0%"
    assert row[labels.index("Direct reports")].number_format == "0"
    ranges = [str(r.sqref) for r in people.conditional_formatting]
    influence_col = openpyxl.utils.get_column_letter(labels.index("Influence") + 1)
    assert f"{influence_col}2:{influence_col}8" in ranges
    assert wb["Teams"].conditional_formatting  # E-I index


def test_summary_says_how_brokerage_was_computed(report):
    ws = openpyxl.load_workbook(report)["Summary"]
    rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert ws.freeze_panes == "A2"
    assert rows["People"] == 7
    assert rows["Projects crossing teams"] == 0.5
    assert rows["Brokerage (betweenness)"] == "exact (Brandes)"
    assert rows["Hierarchy depth"] == 2


def test_summary_and_definitions_state_the_estimator_and_its_bound(tmp_path):
    from orgmap.sample import sample_org

    org = sample_org(600, seed=2)
    metrics = compute_all(org, exact_limit=100)  # estimated, as above 5,000 people
    out = write_report(org, metrics, tmp_path / "big.xlsx")
    wb = openpyxl.load_workbook(out)
    rows = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    said = rows["Brokerage (betweenness)"]
    samples = metrics["summary"]["betweenness"]["samples"]
    assert said == (
        f"estimated (KADABRA, {samples:,} sampled paths): every value within 0.01 of the "
        "exact one with probability 90%"
    )
    defs = {r[0]: r for r in wb["Definitions"].iter_rows(values_only=True)}
    assert "KADABRA" in defs["brokerage"][3] and "0.01" in defs["brokerage"][3]
    assert "Borassi" in defs["brokerage"][4]


def test_definitions_explain_every_metric_with_its_source(report):
    ws = openpyxl.load_workbook(report)["Definitions"]
    names = column(ws, "Metric")
    assert [m.name for m in METRICS] == names[: len(METRICS)]
    text = " ".join(str(v) for v in column(ws, "Source"))
    for source in SOURCES:
        assert source in text
    assert all(column(ws, "Meaning"))


def test_input_text_is_never_a_formula(tmp_path):
    b = OrgBuilder()
    b.person("1", '=HYPERLINK("http://evil","x")', team="+Team", department="@Dept")
    b.person("2", "-2+3", team="+Team", manager="1")
    b.project("=SUM(A1)", lead="1", members=["2"])
    org = b.org()
    path = tmp_path / "r.xlsx"
    write_report(org, compute_all(org), path)
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    assert "'=HYPERLINK" in column(wb["People"], "Name")[0]
    assert column(wb["Projects"], "Name") == ["'=SUM(A1)"]


def test_no_nan_anywhere_and_undefined_cells_are_blank(tmp_path):
    org = OrgBuilder().person("a", team="T").person("b", team="U").org()  # no ties at all
    path = tmp_path / "r.xlsx"
    write_report(org, compute_all(org), path)
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, float) and not math.isfinite(v))
                assert v not in ("nan", "NaN", "inf")
    assert column(wb["People"], "Constraint") == [None, None]
    assert column(wb["Teams"], "E-I index") == [None, None]


def test_save_is_atomic(tmp_path):
    org = example_org()
    metrics = compute_all(org)
    blocked = tmp_path / "r.xlsx"
    blocked.mkdir()  # the final rename fails: nothing half-written may be left behind
    with pytest.raises(OSError):
        write_report(org, metrics, blocked)
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"] and blocked.is_dir()
    path = tmp_path / "ok.xlsx"
    path.write_bytes(b"previous report")
    write_report(org, metrics, path)
    assert openpyxl.load_workbook(path).sheetnames[0] == "Summary"


def test_a_large_org_streams(tmp_path):
    from orgmap.sample import sample_org

    org = sample_org(3000, seed=2)
    path = tmp_path / "big.xlsx"
    write_report(org, compute_all(org), path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert sum(1 for _ in wb["People"].iter_rows(values_only=True)) == 3001
    finally:
        wb.close()
