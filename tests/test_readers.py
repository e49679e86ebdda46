"""The readers: files on disk become raw tables with the row numbers a user sees."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from orgmap.readers import (
    SUPPORTED_EXTENSIONS,
    ReadLimits,
    Table,
    UnreadableFile,
    _registry,
    dialog_filter,
    expand_paths,
    read_path,
    reader_labels,
    register,
)
from orgmap.readers.delimited import parse_delimited, sniff_delimiter

KRACKHARDT = Path(__file__).resolve().parents[1] / "orgmap" / "samples" / "krackhardt-hightech"


def write_xlsx(path: Path, sheets: dict[str, list[list]], **kwargs) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


# --- registry -----------------------------------------------------------------------


def test_supported_extensions_and_labels():
    assert set(SUPPORTED_EXTENSIONS) == {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}
    labels = dict(reader_labels())
    assert labels["Delimited text"] == (".csv", ".tsv", ".txt")
    assert labels["Excel workbook"] == (".xlsx", ".xlsm")
    assert dialog_filter().startswith("Organization data (*.csv *.tsv *.txt *.xlsm *.xlsx)")


def test_a_registered_reader_is_used_by_read_path_and_expand_paths(tmp_path, monkeypatch):
    monkeypatch.setattr(_registry, "_BY_EXTENSION", dict(_registry._BY_EXTENSION))
    monkeypatch.setattr(_registry, "_READERS", list(_registry._READERS))

    @register(".people", label="People list")
    def read_people(path: Path, limits: ReadLimits) -> list[Table]:
        names = path.read_text().split()
        return [Table(path.name, "list", [["Name"]] + [[n] for n in names], path=str(path))]

    (tmp_path / "a.people").write_text("Ann Bob")
    (tmp_path / "notes.md").write_text("ignored")
    assert ("People list", (".people",)) in reader_labels()
    assert expand_paths([tmp_path]) == [tmp_path / "a.people"]
    (table,) = read_path(tmp_path / "A.PEOPLE".lower())
    assert table.rows == [["Name"], ["Ann"], ["Bob"]]


def test_unexpected_reader_error_becomes_unreadable_file(tmp_path, monkeypatch):
    monkeypatch.setattr(_registry, "_BY_EXTENSION", dict(_registry._BY_EXTENSION))
    monkeypatch.setattr(_registry, "_READERS", list(_registry._READERS))

    @register(".boom", label="Broken")
    def broken(path: Path, limits: ReadLimits) -> list[Table]:
        raise KeyError("surprise")

    target = tmp_path / "x.boom"
    target.write_text("data")
    with pytest.raises(UnreadableFile, match=r"x\.boom: could not be read \(KeyError"):
        read_path(target)


# --- expand_paths -----------------------------------------------------------------


def test_folder_yields_supported_files_sorted_skipping_hidden_and_lock_files(tmp_path):
    for rel in [
        "b.csv",
        "A.xlsx",
        "sub/c.tsv",
        "sub/deeper/d.txt",
        ".hidden/e.csv",
        ".secret.csv",
        "~$A.xlsx",
        "README.md",
        "photo.png",
    ]:
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("x,y\n1,2\n")
    found = expand_paths([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "A.xlsx",
        "b.csv",
        "sub/c.tsv",
        "sub/deeper/d.txt",
    ]
    # A file named twice (directly and through its folder) is read once.
    again = expand_paths([tmp_path / "b.csv", str(tmp_path)])
    assert again[0] == tmp_path / "b.csv" and len(again) == 4


def test_missing_path_and_folder_without_tables_are_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file or folder"):
        expand_paths([tmp_path / "nope.xlsx"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("hi")
    with pytest.raises(UnreadableFile, match="holds no readable file.*\\.xlsx"):
        expand_paths(tmp_path / "empty")


def test_a_named_file_with_another_extension_is_kept_and_refused_by_read_path(tmp_path):
    pdf = tmp_path / "org.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert expand_paths([pdf]) == [pdf]
    with pytest.raises(UnreadableFile, match=r"unsupported file type \.pdf: orgmap reads"):
        read_path(pdf)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnreadableFile, match=r"unsupported file type \.xls: .*save it as \.xlsx"):
        read_path(xls)
    with pytest.raises(UnreadableFile, match="no such file"):
        read_path(tmp_path / "missing.csv")
    with pytest.raises(UnreadableFile, match="is a folder"):
        read_path(tmp_path)


# --- delimited text -----------------------------------------------------------------


def test_european_csv_semicolon_bom_cp1252_and_decimal_commas(tmp_path):
    text = "ID;Name;Tenure;Dept\r\n1;Zoé Müller;9,333;4\r\n2;Doe, Jane;19,583;2\r\n"
    cp = tmp_path / "people-cp1252.csv"
    cp.write_bytes(text.encode("cp1252"))
    utf = tmp_path / "people-bom.csv"
    utf.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for path in (cp, utf):
        (table,) = read_path(path)
        assert table.file == path.name and table.sheet == path.stem and table.path == str(path)
        assert table.first_row == 1 and table.decimal_comma is True
        assert table.rows == [
            ["ID", "Name", "Tenure", "Dept"],
            ["1", "Zoé Müller", "9,333", "4"],
            ["2", "Doe, Jane", "19,583", "2"],
        ]


def test_quoted_member_list_with_newlines_is_one_row_and_row_numbers_hold(tmp_path):
    path = tmp_path / "projects.csv"
    path.write_bytes(
        b'Project,Members,Lead\r\n"Apollo","ann@x.org\r\nbob@x.org\r\ncy@x.org",ann@x.org\r\n'
        b"\r\nZeus,,dee@x.org\r\n\r\n\r\n"
    )
    (table,) = read_path(path)
    assert table.decimal_comma is False
    assert table.rows == [
        ["Project", "Members", "Lead"],
        ["Apollo", "ann@x.org\nbob@x.org\ncy@x.org", "ann@x.org"],
        [None, None, None],  # the blank line: row 3 in a spreadsheet, kept so row 4 is 4
        ["Zeus", None, "dee@x.org"],
    ]


@pytest.mark.parametrize(
    ("delim", "ext"), [("\t", ".tsv"), ("\t", ".txt"), ("|", ".txt"), (";", ".csv")]
)
def test_delimiter_is_sniffed(tmp_path, delim, ext):
    rows = [["ID", "Name", "Manager"], ["1", "Doe, Jane", ""], ["2", "Roe, Rick", "1"]]
    path = tmp_path / f"people{ext}"
    path.write_text("\n".join(delim.join(r) for r in rows) + "\n", encoding="utf-8")
    (table,) = read_path(path)
    assert table.rows[1] == ["1", "Doe, Jane", None]
    assert table.rows[2] == ["2", "Roe, Rick", "1"]


def test_sniffer_prefers_consistent_counts_over_frequent_characters():
    # Commas are the most frequent character, but only `;` splits every line alike.
    text = "Name;Members\nApollo;a, b, c, d\nZeus;e\nHera;f, g\n"
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("just one column\nsecond\n") == ","


def test_decimal_comma_in_a_tab_file_and_not_in_a_comma_file():
    rows, delim, dec = parse_delimited("ID\tTenure\n1\t12,75\n2\t7,5\n")
    assert delim == "\t" and dec is True
    rows, delim, dec = parse_delimited('ID,Tenure\n1,"12,75"\n')
    assert delim == "," and dec is False
    rows, delim, dec = parse_delimited("ID\tTenure\n1\t12.75\n2\t7.5\n")
    assert dec is False


def test_excel_sep_line_names_the_delimiter_and_is_not_a_row(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("sep=|\nID|Name\n1|Doe, Jane; PhD\n")
    (table,) = read_path(path)
    assert table.rows == [["ID", "Name"], ["1", "Doe, Jane; PhD"]]


def test_utf16_unicode_text_from_excel(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes("ID\tName\r\n7\tRenée\r\n".encode("utf-16"))
    (table,) = read_path(path)
    assert table.rows == [["ID", "Name"], ["7", "Renée"]]


def test_ragged_rows_are_padded(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2\n1,2,3,4\n")
    (table,) = read_path(path)
    assert [len(r) for r in table.rows] == [4, 4, 4]


# --- workbooks ----------------------------------------------------------------------


def test_title_rows_and_empty_columns_keep_excel_row_and_column_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "HRIS Export"
    ws["B2"] = "ACME Corp - headcount report"
    ws["B3"] = "Generated 2024-05-01"
    ws["C6"] = "Employee ID"
    ws["D6"] = "Name"
    ws["E6"] = "Start Date"
    ws["F6"] = "Active"
    ws.append([None, None, 1001, "Ann", dt.datetime(2019, 4, 1), True])
    ws.append([None, None, 1002, "Bob", dt.datetime(2020, 6, 15), False])
    path = tmp_path / "hris.xlsx"
    wb.save(path)
    (table,) = read_path(path)
    assert table.sheet == "HRIS Export" and table.file == "hris.xlsx"
    # rows[0] is Excel row 2 (the title), the header sits on row 6, Ann on row 7.
    assert table.first_row == 2
    header_index = next(i for i, r in enumerate(table.rows) if "Employee ID" in r)
    assert table.first_row + header_index == 6
    ann = table.rows[header_index + 1]
    # Column C is index 2 as in Excel; ints come back as floats, dates as dates.
    # (calamine gives a date for a midnight datetime)
    assert ann == [None, None, 1001.0, "Ann", dt.date(2019, 4, 1), True]
    assert table.rows[0][1] == "ACME Corp - headcount report"
    assert table.rows[-1][5] is False


def test_merged_cells_take_their_top_left_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Team roster", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["Department", "Name", "ID"])
    ws.append(["Engineering", "Ann", 1])
    ws.append([None, "Bob", 2])
    ws.append([None, "Cy", 3])
    ws.merge_cells("A3:A5")
    ws.append(["Sales", "Dee", 4])
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    (table,) = read_path(path)
    assert table.rows == [
        ["Team roster", "Team roster", "Team roster"],
        ["Department", "Name", "ID"],
        ["Engineering", "Ann", 1.0],
        ["Engineering", "Bob", 2.0],
        ["Engineering", "Cy", 3.0],
        ["Sales", "Dee", 4.0],
    ]


def _with_cached_formula_value(src: Path, dst: Path, cell: str, value: str) -> None:
    """openpyxl writes formulas without a cached value (`<v />`); add one, as Excel would."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                marker = f'<c r="{cell}"><f>'
                start = text.index(marker)
                end = text.index("<v />", start)
                text = text[:end] + f"<v>{value}</v>" + text[end + len("<v />") :]
                data = text.encode()
            zout.writestr(info, data)


def test_formulas_are_read_as_their_cached_values(tmp_path):
    src = write_xlsx(
        tmp_path / "f.xlsx", {"People": [["Name", "Reports"], ["Ann", "=COUNTIF(C:C,1)"]]}
    )
    dst = tmp_path / "cached.xlsx"
    _with_cached_formula_value(src, dst, "B2", "3")
    (table,) = read_path(dst)
    assert table.rows == [["Name", "Reports"], ["Ann", 3.0]]
    # Without a cached value (never opened in Excel) the cell is simply empty.
    (raw,) = read_path(src)
    assert raw.rows == [["Name", "Reports"], ["Ann", None]]


def test_every_worksheet_is_read_hidden_ones_too_charts_and_empty_sheets_skipped(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "People"
    wb.active.append(["ID", "Name"])
    wb.active.append([1, "Ann"])
    lists = wb.create_sheet("Lists")
    lists.append(["Department"])
    lists.append(["Sales"])
    lists.sheet_state = "hidden"
    wb.create_sheet("Empty")
    wb.create_chartsheet("Chart")
    path = tmp_path / "book.xlsm"
    wb.save(path)
    tables = read_path(path)
    assert [t.sheet for t in tables] == ["People", "Lists"]
    assert tables[1].rows == [["Department"], ["Sales"]]


def test_workbook_with_only_empty_sheets_is_unreadable(tmp_path):
    path = write_xlsx(tmp_path / "blank.xlsx", {"Sheet1": [], "Sheet2": []})
    with pytest.raises(UnreadableFile, match="empty workbook"):
        read_path(path)


def test_row_limit(tmp_path):
    path = write_xlsx(tmp_path / "rows.xlsx", {"S": [[i] for i in range(30)]})
    with pytest.raises(UnreadableFile, match="30 rows; the limit is 20"):
        read_path(path, ReadLimits(max_rows_per_table=20))
    csv = tmp_path / "rows.csv"
    csv.write_text("\n".join(str(i) for i in range(30)))
    with pytest.raises(UnreadableFile, match="the limit is 20"):
        read_path(csv, ReadLimits(max_rows_per_table=20))


# --- the real Krackhardt folder ------------------------------------------------------


def test_krackhardt_folder_reads_into_four_tables():
    files = expand_paths([KRACKHARDT])
    assert [p.name for p in files] == [
        "Advice.csv",
        "Friendship.csv",
        "Krack-High-Tec-Attributes.csv",
        "Reports_To.csv",
    ]
    tables = {t.sheet: t for p in files for t in read_path(p)}
    assert {name: len(t.rows) for name, t in tables.items()} == {
        "Advice": 442,  # header + 21 x 21 ordered pairs
        "Friendship": 442,
        "Krack-High-Tec-Attributes": 22,  # header + 21 managers
        "Reports_To": 442,
    }
    attrs = tables["Krack-High-Tec-Attributes"]
    assert attrs.decimal_comma is True
    assert attrs.rows[0] == ["ID", "AGE", "TENURE", "LEVEL", "DEPT"]
    assert attrs.rows[1] == ["1", "33", "9,333", "3", "4"]
    advice = tables["Advice"]
    assert advice.rows[0] == ["ego", "alter", "edge"]
    assert sum(r[2] == "1" for r in advice.rows[1:]) == 190
    assert all(t.first_row == 1 for t in tables.values())
