"""Reading CSV/XLSX tables: encodings, delimiters, row problems, untrusted workbooks."""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.network.tabular import preview, read_table

NAMES = ["Zoë Müller", "José García", "Łukasz Żółć", "Björn Ångström"]


def write_text(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def all_rows(path, **options):
    with read_table(path, **options) as table:
        rows = list(table.rows)
        return table, rows, table.problems.to_list()


def write_xlsx(path, sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def rewrite_zip(path, change):
    """Rewrite every member of a zip through ``change(name, data) -> data``."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(name, change(name, data))


@pytest.mark.parametrize("names", [NAMES[:1] + NAMES[3:], ["Zoë Müller", "François Lefèvre"]])
def test_cp1252_with_semicolons(tmp_path, names):
    text = "id;name;department\n" + "".join(f"{i};{n};Sales\n" for i, n in enumerate(names))
    table, rows, problems = all_rows(write_text(tmp_path / "p.csv", text, "cp1252"))
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.columns == ["id", "name", "department"]
    assert [cells[1] for _, cells in rows] == names
    assert problems == []


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-be", "utf-16"),
    ("utf-8", "utf-8"),
])
def test_unicode_encodings(tmp_path, encoding, expected):
    text = "id\tname\n" + "".join(f"{i}\t{n}\n" for i, n in enumerate(NAMES))
    raw = text.encode(encoding)
    if encoding == "utf-16-be":  # with its byte order mark
        raw = b"\xfe\xff" + raw
    path = tmp_path / "p.csv"
    path.write_bytes(raw)
    table, rows, problems = all_rows(path)
    assert table.encoding == expected
    assert table.delimiter == "\t"
    assert table.columns == ["id", "name"]  # no BOM glued to the first column name
    assert [cells[1] for _, cells in rows] == NAMES
    assert problems == []


def test_utf16_without_bom_is_recognised(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("id,name\n1,Zoë\n".encode("utf-16-le"))
    table, rows, problems = all_rows(path)
    assert rows == [(2, ["1", "Zoë"])]
    assert problems == []


def test_pipe_delimiter_and_quoted_delimiters(tmp_path):
    text = 'id|name|note\n1|Ann|"a, b; c"\n2|Bo|"x|y"\n'
    table, rows, _ = all_rows(write_text(tmp_path / "p.csv", text))
    assert table.delimiter == "|"
    assert rows == [(2, ["1", "Ann", "a, b; c"]), (3, ["2", "Bo", "x|y"])]


def test_explicit_encoding_and_delimiter_win(tmp_path):
    path = write_text(tmp_path / "p.csv", "id,name\n1,Zoë\n", "latin-1")
    table, rows, _ = all_rows(path, encoding="latin-1", delimiter=";")
    assert table.columns == ["id,name"]
    assert rows == [(2, ["1,Zoë"])]


@pytest.mark.parametrize(("options", "message"), [
    ({"encoding": "klingon"}, "unknown encoding"), ({"encoding": "rot13"}, "not a text"),
    ({"delimiter": ";;"}, "one character"),
])
def test_bad_read_options(tmp_path, options, message):
    with pytest.raises(WorkbenchError, match=message):
        read_table(write_text(tmp_path / "p.csv", "id\n1\n"), **options)


def test_nul_bytes_are_reported_and_removed(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"id,name\n1,Ann\n2,B\x00ob\n3,Cy\n")
    _, rows, problems = all_rows(path)
    assert rows[1] == (3, ["2", "Bob"])
    assert [(p.kind, p.row) for p in problems] == [("nul_bytes", 3)]


def test_row_numbers_are_editor_lines_after_multiline_cells(tmp_path):
    text = 'id,name,note\n1,Ann,"two\nlines"\n2,Bo,ok,EXTRA\n3,Cy\n\n\n4,Di,fine\n'
    _, rows, problems = all_rows(write_text(tmp_path / "p.csv", text))
    assert rows == [(2, ["1", "Ann", "two\nlines"]), (5, ["3", "Cy", ""]),
                    (8, ["4", "Di", "fine"])]
    found = [(p.kind, p.row, p.severity) for p in problems]
    assert found == [("ragged_row", 4, "error"), ("ragged_row", 5, "warning"),
                     ("empty_row", 6, "warning")]
    assert "6 to 7" in problems[2].message


def test_trailing_blank_cells_are_not_ragged(tmp_path):
    _, rows, problems = all_rows(write_text(tmp_path / "p.csv", "id,name,,\n1,Ann,,\n2,Bo\n"))
    assert rows == [(2, ["1", "Ann"]), (3, ["2", "Bo"])]
    assert problems == []


def test_header_row_and_duplicate_column_names(tmp_path):
    text = "Exported from HR\n\nid,name,name\n1,Ann,A\n"
    table, rows, problems = all_rows(write_text(tmp_path / "p.csv", text), header_row=3)
    assert table.header_row == 3
    assert table.columns == ["id", "name", "name (2)"]
    assert rows == [(4, ["1", "Ann", "A"])]
    assert [(p.kind, p.row, p.column) for p in problems] == [("duplicate_column", 3, "name")]


def test_first_non_empty_row_is_the_default_header(tmp_path):
    table, rows, _ = all_rows(write_text(tmp_path / "p.csv", "\n\nid,name\n1,Ann\n"))
    assert table.header_row == 3
    assert rows == [(4, ["1", "Ann"])]


def test_row_cap(tmp_path):
    text = "id\n" + "".join(f"{i}\n" for i in range(10))
    _, rows, problems = all_rows(write_text(tmp_path / "p.csv", text), max_rows=4)
    assert [cells[0] for _, cells in rows] == ["0", "1", "2", "3"]
    assert [(p.kind, p.row) for p in problems] == [("too_many_rows", 6)]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_file_without_header_is_an_error(tmp_path, content):
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    with pytest.raises(WorkbenchError, match="p.csv"):
        read_table(path)


def test_oversized_field_is_a_located_error(tmp_path):
    path = write_text(tmp_path / "p.csv", "id,note\n1,ok\n2," + "x" * 200_000 + "\n")
    with pytest.raises(WorkbenchError, match="row 3"), read_table(path) as table:
        list(table.rows)


def test_preview_reads_only_the_first_rows(tmp_path):
    text = "id,name\n" + "".join(f"{i},n{i}\n" for i in range(100))
    result = preview(write_text(tmp_path / "p.csv", text), n=5)
    assert result.columns == ["id", "name"]
    assert [cells[0] for _, cells in result.rows] == ["0", "1", "2", "3", "4"]
    assert result.delimiter == ","


def test_csv_rows_stream_instead_of_loading_the_file(tmp_path):
    path = tmp_path / "ties.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("source,target,weight,type\n")
        for i in range(100_000):
            handle.write(f"p{i},p{i + 1},1,advice\n")
    tracemalloc.start()
    try:
        with read_table(path) as table:
            count = sum(1 for _ in table.rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100_000
    # Holding the rows as lists of strings would take about 30 MB.
    assert peak < 5_000_000


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_sheet_choice_and_cell_values(tmp_path):
    path = write_xlsx(tmp_path / "people.xlsx", {
        "Notes": [["nothing here"]],
        "People": [["id", "name", "customer_facing"], [1001, "Zoë Müller", True],
                   [1002.0, "Ann", False], [None, None, None], [1003, "Bo", None]],
    })
    table, rows, problems = all_rows(path, sheet="People")
    assert table.sheet_names == ["Notes", "People"]
    assert table.sheet == "People"
    assert rows == [(2, ["1001", "Zoë Müller", "TRUE"]), (3, ["1002", "Ann", "FALSE"]),
                    (5, ["1003", "Bo", ""])]
    assert [(p.kind, p.row) for p in problems] == [("empty_row", 4)]
    first, first_rows, _ = all_rows(path)
    assert first.sheet == "Notes"
    assert first_rows == []
    by_index, _, _ = all_rows(path, sheet=1)
    assert by_index.sheet == "People"


def test_xlsx_unknown_sheet(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"A": [["id"]], "B": [["id"]]})
    with pytest.raises(WorkbenchError, match="no sheet named 'C'; the sheets are A, B"):
        read_table(path, sheet="C")


def test_xlsx_misdeclared_dimension_is_read_fully_and_reported(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"S": [["id", "name"]] + [[i, f"n{i}"]
                                                                    for i in range(1, 6)]})

    def shrink(name, data):
        if name == "xl/worksheets/sheet1.xml":
            # openpyxl writes the tag with or without a space, depending on lxml being present
            return re.sub(rb'<dimension ref="A1:B6"\s*/>', b'<dimension ref="A1:A2"/>', data)
        return data

    rewrite_zip(path, shrink)
    _, rows, problems = all_rows(path)
    assert [cells for _, cells in rows] == [[str(i), f"n{i}"] for i in range(1, 6)]
    assert [p.kind for p in problems] == ["misdeclared_dimension"]


def test_xlsx_row_cap(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"S": [["id"]] + [[i] for i in range(10)]})
    _, rows, problems = all_rows(path, max_rows=3)
    assert len(rows) == 3
    assert "too_many_rows" in [p.kind for p in problems]


def test_zip_declaring_a_huge_size_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", {"S": [["id"], [1]]})
    raw = bytearray(path.read_bytes())
    central = raw.find(b"PK\x01\x02")
    assert central > 0
    # uncompressed size field of the first central directory entry
    struct.pack_into("<I", raw, central + 24, 0xFFFF0000)
    path.write_bytes(bytes(raw))
    with pytest.raises(WorkbenchError, match="bomb"):
        read_table(path)


def test_highly_compressed_member_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 20_000_000)
    with pytest.raises(WorkbenchError, match="bomb"):
        read_table(path)


@pytest.mark.parametrize("content", [
    b"id,name\n1,Ann\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, b"PK\x03\x04junk",
])
def test_file_that_is_not_an_xlsx(tmp_path, content):
    path = tmp_path / "people.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbenchError, match="people.xlsx"):
        read_table(path)


def test_zip_without_a_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(WorkbenchError, match="not an Excel workbook"):
        read_table(path)


def test_damaged_sheet_xml_is_a_workbench_error(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"S": [["id"], [1], [2]]})
    rewrite_zip(path, lambda name, data: data[: len(data) // 2]
                if name == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(WorkbenchError, match="p.xlsx"), read_table(path) as table:
        list(table.rows)
