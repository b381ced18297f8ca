"""Templates <-> XLSForm workbooks: round trip, layout, located import errors, bad files."""

from __future__ import annotations

import os

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.loader import TemplateError, builtin_templates
from workbench.core.questionnaire.schema import Template
from workbench.core.questionnaire.xlsform import (
    SURVEY_COLUMNS,
    export_xlsform,
    import_xlsform,
    read_xlsform,
)


def tricky_template() -> Template:
    return Template.model_validate({
        "id": "tricky", "version": 3, "title": "=cmd|' /C calc'!A0",
        "description": "+1 -1 @SUM(A1)",
        "sections": [{"id": "s", "title": "@section", "help": "-minus", "questions": [
            {"id": "pick", "kind": "single_choice", "text": "=1+1", "required": True,
             "options": [{"value": "a", "label": "=A"}, {"value": "b", "label": "It's b"}],
             "default": "b", "levels": {"a": 1}, "short": "@short"},
            {"id": "many", "kind": "multiple_choice", "text": "Many?", "tags": ["x", "y"],
             "options": ["one", "two", "three"], "default": ["one", "three"],
             "show_if": {"question": "pick", "in": ["a", "b"]}},
            {"id": "rate", "kind": "rating_0_4", "text": "Rate",
             "anchors": ["0", "1", "2", "3", "4"],
             "group": {"step": 4, "foundation": "performance_measures"}, "default": 2,
             "show_if": {"question": "pick", "equals": "b"}},
            {"id": "size", "kind": "number", "text": "How big?", "min": 0.5, "max": 10,
             "show_if": {"question": "rate", "in": [3, 4]}},
            {"id": "rank", "kind": "ranking", "text": "Order", "options": ["p", "q"]},
            {"id": "weight", "kind": "scale_1_5", "text": "How important?", "weighs": "rate"},
        ]}],
        "scoring": {"bar": {"mean": 2.5, "min_cell": 1}, "min_group_size": 7},
    })


@pytest.mark.parametrize("template", [*builtin_templates(), tricky_template()],
                         ids=lambda t: t.id)
def test_round_trip_is_equal(tmp_path, template):
    path = tmp_path / f"{template.id}.xlsx"
    export_xlsform(template, path)
    assert import_xlsform(path) == template


def test_layout_and_formula_like_text_stays_text(tmp_path):
    path = tmp_path / "tricky.xlsx"
    export_xlsform(tricky_template(), path)
    book = openpyxl.load_workbook(path)
    survey = book["survey"]
    assert tuple(c.value for c in survey[1]) == SURVEY_COLUMNS
    rows = [[c for c in row] for row in survey.iter_rows(min_row=2)]
    assert [r[0].value for r in rows] == ["begin_group", "select_one pick", "select_multiple many",
                                          "select_one rate", "decimal", "rank rank", "range",
                                          "end_group"]
    assert rows[3][SURVEY_COLUMNS.index("kind")].value == "rating_0_4"
    assert rows[4][SURVEY_COLUMNS.index("constraint")].value == ". >= 0.5 and . <= 10"
    label = rows[1][SURVEY_COLUMNS.index("label")]
    assert (label.value, label.data_type) == ("=1+1", "s")
    assert rows[3][SURVEY_COLUMNS.index("relevant")].value == "${pick} = 'b'"
    assert rows[3][SURVEY_COLUMNS.index("step")].value == 4
    assert book["settings"]["C2"].value == "=cmd|' /C calc'!A0"
    assert book["settings"]["C2"].data_type == "s"
    choices = [tuple(c.value for c in r) for r in book["choices"].iter_rows(min_row=2)]
    assert choices[:2] == [("pick", "a", "=A", 1), ("pick", "b", "It's b", None)]


def edited(tmp_path, edit):
    path = tmp_path / "form.xlsx"
    export_xlsform(tricky_template(), path)
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


def problems_of(path):
    with pytest.raises(TemplateError) as caught:
        import_xlsform(path)
    return caught.value.problems


def survey_cell(book, question_row, column):
    """Cell of the n-th survey data row (1 = begin_group) under ``column``."""
    return book["survey"].cell(row=question_row + 1, column=SURVEY_COLUMNS.index(column) + 1)


def test_unknown_type_names_sheet_row_and_column(tmp_path):
    path = edited(tmp_path, lambda b: setattr(survey_cell(b, 5, "type"), "value", "slider"))
    [problem] = problems_of(path)
    assert problem.kind == "unknown_kind" and "'slider'" in problem.message
    assert (problem.row, problem.column) == (6, "survey!A (type)")


def test_missing_anchor_is_located_and_a_bad_relevant_only_warned(tmp_path):
    path = edited(tmp_path, lambda b: b["choices"].delete_rows(10))  # the rating's level 3
    [problem] = problems_of(path)
    assert (problem.kind, problem.row, problem.column) == ("missing_anchors", 5,
                                                           "survey!L (kind)")
    path = edited(tmp_path, lambda b: setattr(survey_cell(b, 5, "relevant"), "value",
                                              "rate is big"))
    loaded = read_xlsform(path)
    assert loaded.template.question("size").show_if is None
    [warning] = loaded.warnings
    assert (warning.sheet, warning.row, warning.column) == ("survey", 6, "relevant")


def test_option_problems_are_located(tmp_path):
    path = edited(tmp_path, lambda b: setattr(b["choices"]["B13"], "value", "p"))
    [problem] = problems_of(path)
    assert "duplicate option value(s): p" in problem.message
    assert (problem.row, problem.column) == (7, "survey!A (type)")
    path = edited(tmp_path, lambda b: setattr(b["choices"]["B13"], "value", None))
    [problem] = problems_of(path)
    assert (problem.kind, problem.row, problem.column) == ("missing_field", 13,
                                                           "choices!B (name)")


def test_settings_problem(tmp_path):
    path = edited(tmp_path, lambda b: setattr(b["settings"]["B2"], "value", 0))
    [problem] = problems_of(path)
    assert (problem.row, problem.column, problem.kind) == (2, "settings!B (version)", "wrong_type")
    path = edited(tmp_path, lambda b: setattr(b["settings"]["B2"], "value", "latest"))
    loaded = read_xlsform(path)
    assert loaded.template.version == 1
    assert [(w.sheet, w.row, w.column) for w in loaded.warnings] == [("settings", 2, "version")]


def test_missing_sheet(tmp_path):
    path = edited(tmp_path, lambda b: b.remove(b["survey"]))
    [problem] = problems_of(path)
    assert problem.kind == "missing_sheet" and "survey" in problem.message
    path = edited(tmp_path, lambda b: b.remove(b["choices"]))
    problems = problems_of(path)
    assert {(p.kind, p.row) for p in problems} == {("missing_list", r) for r in (3, 4, 5, 7)}


def test_random_bytes_and_zip_bomb_are_refused(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(WorkbenchError, match="junk.xlsx"):
        import_xlsform(junk)
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(WorkbenchError, match="zip bomb"):
        import_xlsform(bomb)


def test_overlong_text_is_refused_not_cut(tmp_path):
    template = tricky_template().model_copy(update={"description": "x" * 40_000})
    path = tmp_path / "long.xlsx"
    with pytest.raises(WorkbenchError, match="40,000 characters"):
        export_xlsform(template, path)
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_levels_and_weighs_problems_are_located(tmp_path):
    path = edited(tmp_path, lambda b: setattr(b["choices"]["D2"], "value", 7))
    [problem] = problems_of(path)
    assert "levels run from 0 to 4" in problem.message
    assert (problem.row, problem.column) == (2, "choices!D (level)")
    path = edited(tmp_path, lambda b: setattr(survey_cell(b, 7, "weighs"), "value", "nothing"))
    [problem] = problems_of(path)
    assert (problem.kind, problem.row) == ("unknown_question", 8)
    assert problem.column == "survey!Q (weighs)"
