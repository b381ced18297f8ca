"""The action library: built-in coverage, located YAML errors, XLSX export/import."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.plan.library import (
    DESIGN_QUESTIONS,
    LIBRARY_COLUMNS,
    LibraryError,
    coverage_problems,
    export_library_xlsx,
    import_library_xlsx,
    load_library,
)
from workbench.core.questionnaire.schema import FOUNDATIONS, STEPS
from workbench.paths import templates_dir


def test_builtin_library_covers_every_cell_and_question():
    library = load_library()
    assert coverage_problems(library) == []
    for step in STEPS:
        for key in FOUNDATIONS:
            assert 2 <= len(library.for_area(key, step)) <= 4, (step, key)
    for key in DESIGN_QUESTIONS:
        assert 2 <= len(library.for_area(key)) <= 4, key
    ids = [a.id for a in library.actions]
    assert len(ids) == len(set(ids))


def _copy_with(tmp_path, old: str, new: str):
    text = (templates_dir() / "actions.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "actions.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return path, line


def test_bad_field_is_reported_with_file_line_and_field(tmp_path):
    path, line = _copy_with(tmp_path, "    effort: S\n    duration_days: 15\n",
                            "    effort: XL\n    duration_days: 15\n")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.row == line
    assert problem.column == "actions[0].effort"
    assert str(path) in str(caught.value)


def test_unknown_foundation_and_unknown_dependency_are_located(tmp_path):
    path, line = _copy_with(tmp_path, "depends_on: [S1-COM-1]", "depends_on: [NOPE-1]")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    (problem,) = caught.value.problems
    assert problem.row == line and "NOPE-1" in problem.message
    assert problem.column.endswith("depends_on")


def test_dependency_cycle_is_refused(tmp_path):
    text = (templates_dir() / "actions.yaml").read_text(encoding="utf-8")
    first = text.index("  - id: S1-COM-1")
    insert_at = text.index("    applies_to:", first)
    text = text[:insert_at] + "    depends_on: [S1-COM-2]\n" + text[insert_at:]
    path = tmp_path / "cycle.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    assert {p.column for p in caught.value.problems} == {"actions[0].depends_on",
                                                          "actions[1].depends_on"}
    assert all("cycle" in p.message for p in caught.value.problems)


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format_version: 1\nactions:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    assert caught.value.problems[0].kind == "broken_yaml"
    assert caught.value.problems[0].row is not None


def test_xlsx_round_trip_keeps_the_library(tmp_path):
    library = load_library()
    path = tmp_path / "library.xlsx"
    export_library_xlsx(library, path)
    assert import_library_xlsx(path) == library
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    assert [c.value for c in sheet[1]] == list(LIBRARY_COLUMNS)
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    assert "E2" in validated  # effort drop-down


def test_xlsx_edits_are_imported_and_errors_name_row_and_column(tmp_path):
    path = tmp_path / "library.xlsx"
    export_library_xlsx(load_library(), path)
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    col = {name: i + 1 for i, name in enumerate(LIBRARY_COLUMNS)}
    sheet.cell(2, col["title"]).value = "A sharper title"
    book.save(path)
    assert import_library_xlsx(path).actions[0].title == "A sharper title"

    sheet.cell(5, col["effort"]).value = "huge"
    sheet.cell(7, col["foundation"]).value = "vibes"
    book.save(path)
    with pytest.raises(LibraryError) as caught:
        import_library_xlsx(path)
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(5, "effort"), (7, "foundation")}


def test_not_a_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "library.xlsx"
    shutil.copy(templates_dir() / "actions.yaml", path)
    with pytest.raises(WorkbenchError, match="library.xlsx"):
        import_library_xlsx(path)
