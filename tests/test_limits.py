"""Hostile and huge inputs end as one clear message or a loaded org: never an abort,
never a hang, never gigabytes for a kilobyte file (issue 11, SPEC sections 2 and 6).

Each crafted file is read by a real ``orgmap`` process: an abort inside calamine kills
the process (exit 134) and would kill pytest with it, and the process's own peak
memory is what a user's machine pays.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fuzz.craft import HEADER_ROWS, inline_row, write_workbook

from orgmap.readers import ReadLimits, UnreadableFile, read_path

MB = 1024 * 1024

# Runs the CLI, then reports its peak memory on stderr's last line. VmHWM, not
# ru_maxrss: ru_maxrss survives exec, so a child of a big pytest would report pytest's.
_RUNNER = """
import sys
from orgmap.cli import main
rc = main(sys.argv[1:])
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(int(ln.split()[1]) for ln in status if ln.startswith("VmHWM:"))
print("PEAK_KB", peak, file=sys.stderr)
sys.exit(rc)
"""


def run_orgmap(*args: str, timeout: float = 120) -> tuple[int, str, float, float]:
    """``(exit status, stdout + stderr, seconds, peak MB)`` of ``orgmap ARGS``."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    elapsed = time.perf_counter() - start
    peak = 0.0
    for line in proc.stderr.splitlines():
        if line.startswith("PEAK_KB "):
            peak = int(line.split()[1]) / 1024
    return proc.returncode, proc.stdout + proc.stderr, elapsed, peak


# --- addresses calamine would turn into a 256 GiB grid ---------------------------------

BEYOND = {
    # (sheet xml, what the message quotes)
    "row of 10 digits": (
        HEADER_ROWS + '<row r="4"><c r="A4294967295"><v>1</v></c></row>',
        "cell A4294967295",
    ),
    "8-letter column": (
        HEADER_ROWS + '<row r="4"><c r="ZZZZZZZZ1"><v>1</v></c></row>',
        "cell ZZZZZZZZ1",
    ),
    "row that wraps to a small one": (
        HEADER_ROWS + '<row r="4"><c r="A4294967297"><v>1</v></c></row>',
        "cell A4294967297",
    ),
    "row just past the last": (
        HEADER_ROWS + '<row r="4"><c r="B1048577"><v>1</v></c></row>',
        "cell B1048577",
    ),
    "column just past XFD": (
        HEADER_ROWS + '<row r="4"><c r="XFE4"><v>1</v></c></row>',
        "cell XFE4",
    ),
    "lower-case letters": (
        HEADER_ROWS + '<row r="4"><c r="zzzzzzzz4"><v>1</v></c></row>',
        "cell zzzzzzzz4",
    ),
    "single quotes": (
        HEADER_ROWS + "<row r='4'><c r='A99999999999'><v>1</v></c></row>",
        "cell A99999999999",
    ),
    "spaces around =": (
        HEADER_ROWS + '<row r="4"><c r = "A99999999999"><v>1</v></c></row>',
        "cell A99999999999",
    ),
    "a row's r, cells placed by position": (
        HEADER_ROWS + '<row r="4294967295"><c><v>1</v></c></row>',
        "row 4294967295",
    ),
}
BEYOND_OUTSIDE_SHEETDATA = {
    "dimension": ('<dimension ref="A1:ZZZZZZZZ4294967295"/>', "cell ZZZZZZZZ4294967295"),
    "merged cells": (
        '<mergeCells count="1"><mergeCell ref="A1:B4294967295"/></mergeCells>',
        "cell B4294967295",
    ),
    "hyperlink": (
        '<hyperlinks><hyperlink ref="A99999999999" location="S1!A1"/></hyperlinks>',
        "cell A99999999999",
    ),
    "conditional format": (
        '<conditionalFormatting sqref="A1:A4294967295"><cfRule type="expression" priority="1">'
        "<formula>1</formula></cfRule></conditionalFormatting>",
        "cell A4294967295",
    ),
}


def _crafted(tmp_path: Path) -> list[tuple[str, Path, str]]:
    out = []
    for i, (case, (xml, quoted)) in enumerate(BEYOND.items()):
        out.append(
            (
                case,
                write_workbook(
                    tmp_path / f"beyond{i}.xlsx", [("People", f"<sheetData>{xml}</sheetData>")]
                ),
                quoted,
            )
        )
    for i, (case, (xml, quoted)) in enumerate(BEYOND_OUTSIDE_SHEETDATA.items()):
        if case == "dimension":
            body = xml + f"<sheetData>{HEADER_ROWS}</sheetData>"
        else:
            body = f"<sheetData>{HEADER_ROWS}</sheetData>" + xml
        out.append(
            (case, write_workbook(tmp_path / f"outside{i}.xlsx", [("People", body)]), quoted)
        )
    return out


def test_addresses_beyond_the_sheet_are_refused_by_name_not_an_abort(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("ID,Name,Manager\n1,Cy,\n2,Di,1\n", encoding="utf-8")
    cases = _crafted(tmp_path)
    # One process reads every crafted file and a good one: before the fix the first of
    # them aborted it (exit 134) and nothing at all was reported.
    rc, out, elapsed, peak = run_orgmap("validate", *(str(p) for _, p, _ in cases), str(good))
    assert rc == 2, out
    for case, path, quoted in cases:
        line = next((ln for ln in out.splitlines() if ln.startswith(f"{path.name}:")), None)
        assert line is not None, f"{case}: no message for {path.name}\n{out}"
        assert (
            f"fatal: unsafe workbook: sheet 'People' (xl/worksheets/sheet1.xml) refers to {quoted}, "
            "beyond the last cell a worksheet can have (XFD1048576)"
        ) in line, case
    assert f"{len(cases)} unreadable files" in out
    assert "people 2," in out  # the good CSV still loads
    assert elapsed < 30 and peak < 400, (elapsed, peak)


def test_the_two_reported_addresses_alone_exit_2_with_their_message(tmp_path):
    # The issue's two files, each in its own process (exit 134 before the fix).
    for case, path, quoted in _crafted(tmp_path)[:2]:
        rc, out, _, _ = run_orgmap("validate", str(path))
        assert rc == 2, f"{case}: exit {rc}\n{out}"
        assert f"refers to {quoted}, beyond the last cell" in out, case


def test_addresses_up_to_the_last_cell_are_read(tmp_path):
    # Excel's own limits are legal: XFD, row 1,048,576, leading zeros, lower case,
    # single quotes. None of them may be refused by the screen.
    xml = (
        "<sheetData>"
        + inline_row(1, ["ID", "Name"])
        + "<row r='2'><c r='A2'><v>7</v></c><c r = \"b02\" t=\"inlineStr\"><is><t>Ann</t></is></c></row>"
        + '<row r="3"><c r="XFD3"><v>5</v></c></row>'
        + "</sheetData>"
        + '<mergeCells count="1"><mergeCell ref="C1048576:D1048576"/></mergeCells>'
    )
    path = write_workbook(tmp_path / "edges.xlsx", [("People", xml)])
    (table,) = read_path(path)
    assert table.rows[0][:2] == ["ID", "Name"]
    assert table.rows[1][:2] == [7.0, "Ann"]
    assert len(table.rows[2]) == 16384 and table.rows[2][16383] == 5.0


# --- tiny files, huge grids --------------------------------------------------------------


def test_a_declared_dimension_alone_costs_nothing(tmp_path):
    path = write_workbook(
        tmp_path / "dim.xlsx",
        [("People", f'<dimension ref="A1:Z999999"/><sheetData>{HEADER_ROWS}</sheetData>')],
    )
    assert path.stat().st_size < 2000
    rc, out, elapsed, peak = run_orgmap("validate", str(path))
    assert rc == 0, out
    assert "people 2," in out
    assert elapsed < 10 and peak < 300, (elapsed, peak)


def test_one_far_value_in_a_tiny_file_is_refused_fast_and_small(tmp_path):
    far = f'<dimension ref="A1:Z999999"/><sheetData>{HEADER_ROWS}<row r="999999"><c r="T999999"><v>1</v></c></row></sheetData>'
    one = write_workbook(tmp_path / "far.xlsx", [("People", far)])
    six = write_workbook(tmp_path / "far6.xlsx", [(f"P{i}", far) for i in range(6)])
    assert one.stat().st_size < 2000 and six.stat().st_size < 5000
    for path in (one, six):
        # Before: 7-15 s and 1.1 GB for one such sheet, 38-77 s and 2.5 GB for six.
        rc, out, elapsed, peak = run_orgmap("validate", str(path))
        assert rc == 2, out
        assert (
            "reaches cell T999999 (19,999,980 cells) but holds only 9 values; "
            "delete stray cells far from the data"
        ) in out
        assert elapsed < 10 and peak < 300, (path.name, elapsed, peak)


def test_the_cell_budget_is_a_total_across_sheets(tmp_path):
    dense = (
        "<sheetData>"
        + "".join(inline_row(r, [r, f"P{r}", r // 2]) for r in range(1, 201))
        + "</sheetData>"
    )
    path = write_workbook(tmp_path / "two.xlsx", [("A", dense), ("B", dense)])
    limits = ReadLimits(max_total_cells=1000)  # each sheet is 600 cells: one fits, two do not
    assert len(read_path(write_workbook(tmp_path / "one.xlsx", [("A", dense)]), limits)) == 1
    with pytest.raises(UnreadableFile) as info:
        read_path(path, limits)
    assert info.value.reason == (
        "workbook too large: with sheet 'B' (xl/worksheets/sheet2.xml) (to cell C200) its "
        "sheets span 1,200 cells; the limit is 1,000 (split the workbook, or save the "
        "sheets as CSV files)"
    )


# --- delimited text ---------------------------------------------------------------------


def test_a_members_cell_listing_100k_people_is_read(tmp_path):
    # csv's default field limit (131,072 characters) made the whole file unreadable.
    members = ";".join(f"p{i}@example.com" for i in range(100_000))
    assert len(members) > 1_500_000
    people = tmp_path / "people.csv"
    people.write_text(
        "Email,Name\n" + "".join(f"p{i}@example.com,Person {i}\n" for i in range(100_000)),
        encoding="utf-8",
    )
    projects = tmp_path / "projects.csv"
    projects.write_text(f'Project,Members\nAtlas,"{members}"\nBeacon,p1@example.com\n', "utf-8")
    (table,) = read_path(projects)
    assert len(table.rows) == 3 and len(table.rows[1][1]) == len(members)
    from orgmap.loader import load
    from orgmap.model import WORKS_ON

    org = load([people, projects])
    assert not [i for i in org.issues if i.severity == "fatal"]
    on_atlas = [
        u for u, v, _ in org.edges_of(WORKS_ON) if org.graph.nodes[v].get("name") == "Atlas"
    ]
    assert len(on_atlas) == 100_000


def test_a_stray_cp1252_byte_is_decoded_for_its_row_only_and_listed(tmp_path):
    from orgmap.loader import load

    path = tmp_path / "people.csv"
    path.write_bytes(
        "ID,Name,Manager\n1,Zoë Adams,\n".encode()
        + "2,José Ruiz,1\n".encode("cp1252")  # one row saved by an older tool
        + '3,"Ana\nMüller",1\n'.encode()  # a quoted name across two lines, in UTF-8
        + "4,Renée Blanc,1\n".encode("cp1252")
    )
    org = load([path])
    names = sorted(org.graph.nodes[p]["name"] for p in org.people())
    assert names == ["Ana\nMüller", "José Ruiz", "Renée Blanc", "Zoë Adams"]
    mixed = [i for i in org.issues if i.code == "mixed-encoding"]
    # Rows as the spreadsheet shows them: the header is row 1, Ana's two lines are row 4.
    assert [(i.file, i.row, i.severity) for i in mixed] == [
        ("people.csv", 3, "warning"),
        ("people.csv", 5, "warning"),
    ]
    assert "read as Windows-1252 (cp1252)" in mixed[0].message


def test_a_file_wholly_in_cp1252_reads_without_warnings(tmp_path):
    from orgmap.loader import load

    path = tmp_path / "people.csv"
    path.write_bytes("ID,Name\n1,José\n2,Renée\n3,Ann\n".encode("cp1252"))
    org = load([path])
    assert sorted(org.graph.nodes[p]["name"] for p in org.people()) == ["Ann", "José", "Renée"]
    assert not [i for i in org.issues if i.code == "mixed-encoding"]


def test_repeated_header_names_keep_every_column_in_the_table(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("ID,Full Name,Full Name,Team\n1,Ann Lee,Ann L.,Core\n", encoding="utf-8")
    (table,) = read_path(path)
    assert table.rows == [
        ["ID", "Full Name", "Full Name", "Team"],
        ["1", "Ann Lee", "Ann L.", "Core"],
    ]


# --- metrics without quadratic products -----------------------------------------------


def _hub_and_leaves():
    """H - A, H - B, H - C and A - B (indices 0..3 = H, A, B, C)."""
    import scipy.sparse as sp

    edges = [(0, 1), (0, 2), (0, 3), (1, 2)]
    rows = [u for u, v in edges] + [v for u, v in edges]
    cols = [v for u, v in edges] + [u for u, v in edges]
    return sp.csr_array(([1.0] * len(rows), (rows, cols)), shape=(4, 4))


def test_structural_holes_and_reach_by_hand():
    from orgmap.metrics.reach import reach_matrix
    from orgmap.metrics.structural_holes import constraint_matrix, effective_size_matrix

    w = _hub_and_leaves()
    # p_H. = 1/3, p_A. = p_B. = 1/2, p_CH = 1. c_A = (1/2 + 1/4)^2 + (1/2 + 1/6)^2.
    assert constraint_matrix(w).tolist() == pytest.approx([11 / 18, 145 / 144, 145 / 144, 1.0])
    # e_H = 3 - (1/3 + 1/3): A and B are redundant with each other once each.
    assert effective_size_matrix(w).tolist() == pytest.approx([7 / 3, 1.0, 1.0, 1.0])
    assert reach_matrix(w).tolist() == [3, 3, 3, 3]


def _previous_definitions(w):
    """The products the metrics were defined by (dense, fine for small graphs)."""
    import numpy as np

    d = w.toarray()
    s = d.sum(axis=1)
    p = np.divide(d, s[:, None], out=np.zeros_like(d), where=s[:, None] > 0)
    z = (p @ p) * (d != 0)
    constraint = ((p + z) ** 2).sum(axis=1)
    rowmax = d.max(axis=1)
    m = np.divide(d, rowmax[:, None], out=np.zeros_like(d), where=rowmax[:, None] > 0)
    a = (d != 0).astype(float)
    effective = a.sum(axis=1) - (p * (a @ m)).sum(axis=1)
    two = ((a @ a + a + np.eye(len(d))) != 0).sum(axis=1) - 1
    constraint[s == 0] = np.nan
    effective[s == 0] = np.nan
    return constraint, effective, two


def _random_org_like_graph(seed: int, n: int = 400):
    """Random weighted graph with a few hubs (heavy nodes), cliques and isolated nodes."""
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for hub in range(3):  # managers of many
        leaves = rng.choice(np.arange(10, n), size=int(rng.integers(60, 200)), replace=False)
        rows += [hub] * len(leaves)
        cols += leaves.tolist()
    for _ in range(8):  # project cliques
        team = rng.choice(n - 20, size=int(rng.integers(3, 12)), replace=False)
        for i in team:
            for j in team:
                if i < j:
                    rows.append(int(i))
                    cols.append(int(j))
    extra = rng.integers(0, n - 20, size=(300, 2))  # the last 20 stay mostly alone
    rows += extra[:, 0].tolist()
    cols += extra[:, 1].tolist()
    w = sp.coo_array((rng.integers(1, 4, size=len(rows)).astype(float), (rows, cols)), shape=(n, n))
    w = (w + w.T).tocsr()
    w.setdiag(0)
    w.eliminate_zeros()
    return w


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_structural_holes_and_reach_match_the_previous_products_and_networkx(seed):
    import networkx as nx
    import numpy as np

    from orgmap.metrics.reach import reach_matrix
    from orgmap.metrics.structural_holes import constraint_matrix, effective_size_matrix, triangles

    w = _random_org_like_graph(seed)
    constraint, effective, two = _previous_definitions(w)
    np.testing.assert_allclose(constraint_matrix(w), constraint, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(effective_size_matrix(w), effective, rtol=1e-12, equal_nan=True)
    assert reach_matrix(w).tolist() == two.tolist()
    g = nx.from_scipy_sparse_array(w)
    assert len(triangles(w)[0]) == sum(nx.triangles(g).values()) // 3
    nx_c = nx.constraint(g, weight="weight")
    for i in range(0, w.shape[0], 37):
        if not np.isnan(nx_c[i]):
            assert constraint_matrix(w)[i] == pytest.approx(nx_c[i])


def test_one_manager_of_100k_people_in_seconds():
    # Before: A @ A of the star is 10^10 entries (constraint, effective size and reach
    # ran out of memory; analyze ran past 400 s at up to 19 GB).
    import time

    import numpy as np
    import scipy.sparse as sp

    from orgmap.metrics.reach import reach_matrix
    from orgmap.metrics.structural_holes import constraint_matrix, effective_size_matrix

    n = 100_001
    leaves = np.arange(1, n)
    w = sp.csr_array(
        (
            np.ones(2 * (n - 1)),
            (np.r_[np.zeros(n - 1, int), leaves], np.r_[leaves, np.zeros(n - 1, int)]),
        ),
        shape=(n, n),
    )
    start = time.perf_counter()
    c, e, r = constraint_matrix(w), effective_size_matrix(w), reach_matrix(w)
    assert time.perf_counter() - start < 20
    # The hub: 100k contacts of 1/100k each, none redundant; a report: one contact.
    assert c[0] == pytest.approx(1 / 100_000) and c[1] == 1.0
    assert e[0] == 100_000 and e[1] == 1.0
    assert r[0] == 100_000 and r[1] == 100_000 and r[-1] == 100_000


def _project_org(members: int, lead: int | None):
    from orgmap.builder import build_org
    from orgmap.tables import Table

    people = Table.from_dicts(
        [{"ID": i, "Name": f"P{i}", "Team": f"T{i % 2}"} for i in range(1, members + 3)],
        file="people.csv",
        sheet="people",
    )
    rows = [
        {"Project": "Big", "Member": i, "Role": "lead" if i == lead else "contributor"}
        for i in range(1, members + 1)
    ]
    rows += [
        {"Project": "Small", "Member": i, "Role": "contributor"}
        for i in (1, members + 1, members + 2)
    ]
    return build_org([people, Table.from_dicts(rows, file="projects.csv", sheet="projects")])


def test_a_project_over_the_clique_limit_is_a_star_around_its_first_lead(monkeypatch):
    import orgmap.views as views
    from orgmap.metrics.compute import summary

    monkeypatch.setattr(views, "CLIQUE_LIMIT", 3)
    org = _project_org(4, lead=3)  # Big: P1..P4 led by P3; Small: P1, P5, P6
    people = views.people_index(org)
    mat = views.collaboration_matrix(org, ["projects"])
    pairs = {
        tuple(sorted((people.nodes[i], people.nodes[j])))
        for i, j in zip(*mat.nonzero(), strict=True)
        if i < j
    }
    p = lambda i: f"person:{i}"  # noqa: E731
    # Big: everyone with P3 only; Small (3 members, at the limit): every pair.
    assert pairs == {
        (p(1), p(3)),
        (p(2), p(3)),
        (p(3), p(4)),
        (p(1), p(5)),
        (p(1), p(6)),
        (p(5), p(6)),
    }
    assert views.large_projects(org) == ["project:Big"]
    assert summary(org)["large_projects"] == 1


def test_a_project_without_a_lead_is_a_star_around_its_first_member(monkeypatch):
    import orgmap.views as views

    monkeypatch.setattr(views, "CLIQUE_LIMIT", 3)
    org = _project_org(5, lead=None)
    people = views.people_index(org)
    mat = views.collaboration_matrix(org, ["projects"]).tocsr()
    first = people.index["person:1"]
    assert sorted(people.nodes[j] for j in mat[[first]].nonzero()[1]) == [
        "person:2",
        "person:3",
        "person:4",
        "person:5",
        "person:6",
        "person:7",
    ]
    assert mat[[people.index["person:2"]]].nnz == 1  # P2 only with the hub


def test_a_project_of_20k_members_makes_no_quadratic_collaboration_matrix():
    import orgmap.views as views

    org = _project_org(20_000, lead=7)
    mat = views.collaboration_matrix(org)
    # a clique would be 20,000 * 19,999 = 4e8 entries (3.2 GB); the star is 2 * 19,999,
    # plus the three pairs of Small (P1, P20001, P20002)
    assert mat.nnz == 2 * 19_999 + 2 * 3


def test_only_the_attributes_calamine_reads_as_addresses_are_judged(tmp_path):
    # A long number in another attribute (or a prefixed r/ref calamine ignores) is no
    # cell address: the file reads.
    xml = (
        '<sheetPr foor="99999999999" x:ref="A1:A99999999999" xmlns:x="urn:x"/>'
        f"<sheetData>{HEADER_ROWS}</sheetData>"
        '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" undef="ZZZZZZZZ1"/></extLst>'
    )
    (table,) = read_path(write_workbook(tmp_path / "other-attrs.xlsx", [("People", xml)]))
    assert table.rows[0] == ["ID", "Name", "Manager"]


def test_a_sheet_name_with_markup_is_shown_plainly_in_the_message(tmp_path):
    xml = f'<sheetData>{HEADER_ROWS}<row r="4"><c r="A4294967295"><v>1</v></c></row></sheetData>'
    path = write_workbook(tmp_path / "named.xlsx", [("R&D <Team>", xml)])
    with pytest.raises(UnreadableFile) as info:
        read_path(path)
    assert info.value.reason.startswith(
        "unsafe workbook: sheet 'R&D <Team>' (xl/worksheets/sheet1.xml) refers to cell A4294967295"
    )
