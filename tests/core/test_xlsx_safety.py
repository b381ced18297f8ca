"""Spreadsheet safety helpers, checked on real workbooks written by openpyxl and XlsxWriter."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.xlsx_safety import (
    MAX_CELL_CHARS,
    XLSXWRITER_OPTIONS,
    atomic_output,
    check_untrusted_xlsx,
    iter_untrusted_rows,
    open_untrusted_workbook,
    safe_cell_text,
    safe_sheet_title,
    set_openpyxl_cell,
    write_xlsxwriter_cell,
)

RISKY = ["=SUM(A1:A2)", "+1+2", "-3", "@cmd", "\tTab", "\rReturn", "=HYPERLINK(\"x\")"]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def written_with_openpyxl(tmp_path: Path, values: list) -> Path:
    wb = openpyxl.Workbook()
    for row, value in enumerate(values, start=1):
        set_openpyxl_cell(wb.active.cell(row, 1), value)
    path = tmp_path / "openpyxl.xlsx"
    wb.save(path)
    return path


def written_with_xlsxwriter(tmp_path: Path, values: list) -> Path:
    path = tmp_path / "xlsxwriter.xlsx"
    wb = xlsxwriter.Workbook(str(path), XLSXWRITER_OPTIONS)
    ws = wb.add_worksheet()
    for row, value in enumerate(values):
        write_xlsxwriter_cell(ws, row, 0, value)
    wb.close()
    return path


@pytest.mark.parametrize("writer", [written_with_openpyxl, written_with_xlsxwriter])
def test_formula_like_text_is_stored_as_text(tmp_path: Path, writer) -> None:
    values = [*RISKY, "\x00=NUL", 42, 2.5, True, None, dt.datetime(2026, 1, 2, 3, 4)]
    path = writer(tmp_path, values)
    assert "<f>" not in sheet_xml(path)  # no formula element anywhere
    ws = openpyxl.load_workbook(path).active
    read = [ws.cell(row, 1) for row in range(1, len(values) + 1)]
    for cell, text in zip(read, RISKY, strict=False):
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")
    assert read[len(RISKY)].value == "=NUL"
    assert [c.value for c in read[len(RISKY) + 1:]] == values[len(RISKY) + 1:]


def test_long_text_is_marked_not_silently_cut(tmp_path: Path) -> None:
    text = "".join(chr(65 + i % 26) for i in range(40_000))
    safe = safe_cell_text(text)
    assert safe.notice is not None and MAX_CELL_CHARS - 2 <= len(safe.value) <= MAX_CELL_CHARS
    kept = safe.value.index(" […")
    assert safe.value[:kept] == text[:kept]
    hidden = int(re.search(r"…(\d+) more", safe.value).group(1))
    assert kept + hidden == len(text)
    for writer in (written_with_openpyxl, written_with_xlsxwriter):
        cell = openpyxl.load_workbook(writer(tmp_path, [text])).active["A1"]
        assert cell.value == safe.value


def test_notices_for_control_characters_and_non_finite_numbers() -> None:
    assert safe_cell_text("a\x00b\x07c") == ("abc", safe_cell_text("a\x00b\x07c").notice)
    assert safe_cell_text("a\x00b").notice
    assert safe_cell_text("plain").notice is None
    assert safe_cell_text(float("nan")).value == "nan"
    assert safe_cell_text(float("-inf")).notice


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.lists(st.text(max_size=40), max_size=5))
def test_sheet_titles_are_always_accepted(title: str, existing: list[str]) -> None:
    wb = xlsxwriter.Workbook(os.devnull)  # add_worksheet validates names; nothing is written
    taken = []
    for name in existing:
        taken.append(safe_sheet_title(name, taken))
        wb.add_worksheet(taken[-1])
    new = safe_sheet_title(title, taken)
    wb.add_worksheet(new)  # raises on an invalid or duplicate (case-insensitive) title
    assert len(new.encode("utf-16-le")) <= 2 * 31
    assert new.lower() not in {t.lower() for t in taken}


def test_sheet_title_examples() -> None:
    assert safe_sheet_title("Q1: Sales/Service [draft]?") == "Q1_ Sales_Service _draft__"
    long = "Customer insight by department and segment"
    first = safe_sheet_title(long)
    second = safe_sheet_title(long, [first])
    assert first == long[:31] and second.endswith(" (2)") and len(second) <= 31
    assert safe_sheet_title("abcdefghijklmnopqrstuvwxyz1234'x") == "abcdefghijklmnopqrstuvwxyz1234"
    assert safe_sheet_title("''") == "Sheet" and safe_sheet_title("history") == "history_"


def make_workbook(tmp_path: Path, rows: int = 5) -> Path:
    wb = openpyxl.Workbook()
    for r in range(1, rows + 1):
        wb.active.append([f"id{r}", r])
    path = tmp_path / "real.xlsx"
    wb.save(path)
    return path


def rewrite_member(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def test_untrusted_checks(tmp_path: Path) -> None:
    good = make_workbook(tmp_path)
    check_untrusted_xlsx(good)
    with pytest.raises(WorkbenchError, match="real.xlsx: declares more than 1,000 bytes"):
        check_untrusted_xlsx(good, max_uncompressed=1000)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(WorkbenchError, match="bomb.xlsx: part 'xl/worksheets/sheet1.xml' expands"):
        check_untrusted_xlsx(bomb)
    noise = tmp_path / "noise.xlsx"
    noise.write_bytes(os.urandom(1000).replace(b"PK", b"pk"))
    with pytest.raises(WorkbenchError, match="noise.xlsx: not an Excel workbook"):
        check_untrusted_xlsx(noise)
    other_zip = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("a.jpg", b"x")
    with pytest.raises(WorkbenchError, match="photos.xlsx: a zip file, but not"):
        check_untrusted_xlsx(other_zip)
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(WorkbenchError, match="old.xls: this is an old-style"):
        check_untrusted_xlsx(legacy)


def test_damaged_workbook_is_a_workbench_error(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    rewrite_member(path, "xl/workbook.xml", lambda data: data[: len(data) // 2])
    with pytest.raises(WorkbenchError, match="real.xlsx: damaged workbook"):
        open_untrusted_workbook(path)


def test_rows_are_read_past_a_misdeclared_dimension_and_capped(tmp_path: Path) -> None:
    path = make_workbook(tmp_path, rows=5)
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda data: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data))
    trusting = openpyxl.load_workbook(path, read_only=True)
    assert len(list(trusting.active.iter_rows())) == 2  # what openpyxl alone would read
    trusting.close()
    wb = open_untrusted_workbook(path)
    problems: list[Problem] = []
    rows = list(iter_untrusted_rows(wb.active, "real.xlsx", problems))
    assert rows == [(r, (f"id{r}", r)) for r in range(1, 6)]
    assert [(p.kind, p.severity) for p in problems] == [("misdeclared_dimension", "warning")]
    problems.clear()
    wb = open_untrusted_workbook(path)
    capped = list(iter_untrusted_rows(wb.active, "real.xlsx", problems, max_rows=3))
    assert [r for r, _ in capped] == [1, 2, 3]
    assert [(p.kind, p.row, p.file) for p in problems] == [("too_many_rows", 4, "real.xlsx")]


def test_atomic_output(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["report.xlsx"]
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_bytes(b"new")
        assert target.read_bytes() == b"old"  # replaced only at the end
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["report.xlsx"]
    with pytest.raises(WorkbenchError, match="open project"), \
            atomic_output(tmp_path / "sub" / ".." / "report.xlsx", protected=target):
        pass
    with pytest.raises(WorkbenchError, match="does not exist"), \
            atomic_output(tmp_path / "missing" / "x.xlsx"):
        pass
