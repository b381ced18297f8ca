"""`workbench report`: writes the deliverable its extension names, refuses bad targets and
unknown extensions without leaving a file."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from workbench.cli import main
from workbench.core.report.deliverables import FORMATS
from workbench.core.report.workbook_writer import SHEETS


def test_report_writes_a_workbook_with_every_sheet(demo_copy, tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    assert main(["report", str(demo_copy), "--out", str(out)]) == 0
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1 and summary[0].startswith(f"Wrote {out}")
    book = load_workbook(out)
    assert set(SHEETS) <= set(book.sheetnames)
    assert book["Plan"].max_row > 1 and book["Roster"].max_row > 1


@pytest.mark.parametrize("suffix", [".docx", ".pptx", ".pdf"])
def test_the_extension_chooses_the_deliverable(demo_copy, tmp_path, capsys, suffix):
    out = tmp_path / f"Deliverable{suffix.upper()}"  # the case of the extension does not matter
    assert main(["report", str(demo_copy), "--out", str(out)]) == 0
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1 and summary[0].startswith(f"Wrote {out}: stage reached 1, ")
    magic = {".pdf": b"%PDF-"}.get(suffix, b"PK\x03\x04")  # .docx and .pptx are zip files
    assert out.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file


@pytest.mark.parametrize("name", ["plan.xls", "plan.csv", "plan"])
def test_an_unknown_extension_exits_1_naming_the_four_and_writes_nothing(demo_copy, tmp_path,
                                                                        capsys, name):
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["report", str(demo_copy), "--out", str(tmp_path / name)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"workbench report: {name} ")
    assert all(f"{suffix} ({form.name.lower()})" in error for suffix, form in FORMATS.items())
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("make_target", [
    lambda tmp: tmp / "a-file" / "plan.xlsx",  # the "folder" is a regular file
    lambda tmp: tmp / "folder.xlsx",  # the target is a folder
])
def test_unwritable_target_exits_1_without_partial_file(demo_copy, tmp_path, capsys,
                                                       make_target):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "folder.xlsx").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["report", str(demo_copy), "--out", str(make_target(tmp_path))]) == 1
    assert "workbench report:" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert list((tmp_path / "folder.xlsx").iterdir()) == []


def test_the_project_file_itself_is_refused(demo_copy, tmp_path, capsys):
    copy = tmp_path / "demo.owb"
    copy.write_bytes(demo_copy.read_bytes())
    assert main(["report", str(copy), "--out", str(copy)]) == 1
    assert "open project file" in capsys.readouterr().err
    assert copy.read_bytes() == demo_copy.read_bytes()
