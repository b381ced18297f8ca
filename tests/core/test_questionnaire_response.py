"""Response workbooks: export -> fill in with openpyxl -> import, and files that must be refused."""

from __future__ import annotations

import os

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.response_workbook import (
    ResponseFileError,
    export_response_workbook,
    read_response_workbook,
)
from workbench.core.questionnaire.schema import Template

ANCHORS = ["=none", "few", "some", "most", "all"]
KEY = bytes(range(32))  # the project's signing key (project.settings.signing_key())


def template(version: int = 1) -> Template:
    return Template.model_validate({
        "id": "pulse", "version": version, "title": "Pulse", "description": "-quick check",
        "sections": [{"id": "main", "title": "Main", "questions": [
            {"id": "climate", "kind": "rating_0_4", "text": "Climate?", "required": True,
             "anchors": ANCHORS, "help": "Think of last month."},
            {"id": "importance", "kind": "scale_1_5", "text": "Importance?", "required": True},
            {"id": "owner", "kind": "single_choice", "text": "Owner?", "required": True,
             "options": [{"value": "cco", "label": "Chief customer officer"},
                         {"value": "none", "label": "Nobody"}]},
            {"id": "why_none", "kind": "text", "text": "Why nobody?", "required": True,
             "show_if": {"question": "owner", "equals": "none"}},
            {"id": "channels", "kind": "multiple_choice", "text": "Channels?",
             "options": ["email", "chat", "meetings"], "default": ["email"]},
            {"id": "order", "kind": "ranking", "text": "Rank", "options": ["a", "b", "c"]},
            {"id": "teams", "kind": "number", "text": "How many teams?", "min": 0, "max": 50},
            {"id": "notes", "kind": "text", "text": "Notes"},
        ]}],
    })


@pytest.fixture
def exported(tmp_path):
    [path] = export_response_workbook(template(), ["L-07"], tmp_path, "R1", key=KEY)
    return path


def fill(path, answers: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Questions"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in answers:
            row[4].value = answers[row[0].value]
            if isinstance(row[4].value, str):
                row[4].data_type = "s"  # typed as text, as a leader would with a leading '='
    book.save(path)


def test_layout_protection_validation_and_hidden_meta(exported):
    assert exported.name == "pulse_R1_L-07.xlsx"
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["Instructions", "Questions", "_lists", "_meta"]
    assert book["_meta"].sheet_state == "veryHidden" and book["_lists"].sheet_state == "hidden"
    sheet = book["Questions"]
    assert sheet.protection.sheet and book["Instructions"].protection.sheet
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert ids == [q.id for q in template().questions()]
    answer_cells = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert all(not c.protection.locked for c in answer_cells)
    assert sheet["C2"].protection.locked
    guidance = sheet["D2"].value
    assert guidance.splitlines() == ["Think of last month."] + [
        f"{level} = {text}" for level, text in enumerate(ANCHORS)]
    assert sheet["D5"].value.endswith("Answer only if 'owner' is Nobody.")
    assert sheet["E6"].value == "email"  # default shown
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert rules["E2"].formula1 == '"0,1,2,3,4"' and rules["E3"].formula1 == '"1,2,3,4,5"'
    assert rules["E4"].formula1 == "'_lists'!$A$1:$A$2"
    rule = rules["E8"]
    assert (rule.type, float(rule.formula1), float(rule.formula2)) == ("decimal", 0, 50)
    assert [book["_lists"]["A1"].value, book["_lists"]["A2"].value] == [
        "Chief customer officer", "Nobody"]
    assert book["Instructions"]["A2"].value == "-quick check"
    assert book["Instructions"]["A2"].data_type == "s"


def test_round_trip_of_filled_answers(exported):
    fill(exported, {"climate": 3, "importance": "4", "owner": "Nobody", "why_none": "=no budget",
                    "channels": "chat; Meetings", "order": "c;a;b", "teams": 12.5,
                    "notes": None})
    result = read_response_workbook(exported, template(), "R1", key=KEY)
    assert result.respondent_code == "L-07"
    assert result.problems == []
    assert result.answers == {"climate": 3, "importance": 4, "owner": "none",
                              "why_none": "=no budget", "channels": ["chat", "meetings"],
                              "order": ["c", "a", "b"], "teams": 12.5}


def test_invalid_and_missing_answers_are_located(exported):
    fill(exported, {"climate": 5, "importance": None, "owner": "Nobody", "channels": "fax",
                    "order": "a;b", "teams": 51})
    result = read_response_workbook(exported, template(), "R1", key=KEY)
    found = {(p.kind, p.row, p.column) for p in result.problems}
    assert found == {
        ("invalid_answer", 2, "Questions!E"), ("invalid_answer", 6, "Questions!E"),
        ("invalid_answer", 7, "Questions!E"), ("invalid_answer", 8, "Questions!E"),
        ("missing_required", 2, "Questions!E"), ("missing_required", 3, "Questions!E"),
        ("missing_required", 5, "Questions!E"),
    }
    assert result.answers == {"owner": "none"}


def test_answer_to_hidden_question_is_a_warning(exported):
    fill(exported, {"climate": 1, "importance": 2, "owner": "cco", "why_none": "text"})
    [problem] = read_response_workbook(exported, template(), "R1", key=KEY).problems
    assert (problem.kind, problem.severity, problem.row) == ("not_applicable", "warning", 5)


def test_moved_or_unknown_question_ids(exported):
    book = openpyxl.load_workbook(exported)
    book["Questions"]["A9"].value = "shoe_size"
    book["Questions"]["A10"].value = "climate"
    book["Questions"]["E10"].value = 4
    book.save(exported)
    result = read_response_workbook(exported, template(), "R1", key=KEY)
    unknown = {(p.row, p.column) for p in result.problems if p.kind == "unknown_question"}
    assert unknown == {(9, "Questions!A"), (10, "Questions!A")}
    assert "climate" not in result.answers


def test_tampered_meta_is_refused(exported):
    book = openpyxl.load_workbook(exported)
    meta = book["_meta"]
    for row in meta.iter_rows():
        if row[0].value == "respondent":
            row[1].value = "L-08"
    book.save(exported)
    with pytest.raises(ResponseFileError, match="signature does not match"):
        read_response_workbook(exported, template(), "R1", key=KEY)


def test_missing_meta_is_refused(exported):
    book = openpyxl.load_workbook(exported)
    book.remove(book["_meta"])
    book.save(exported)
    with pytest.raises(ResponseFileError, match="not a questionnaire workbook"):
        read_response_workbook(exported, template(), "R1", key=KEY)


def test_wrong_version_template_or_round(exported):
    with pytest.raises(ResponseFileError, match="version 1"):
        read_response_workbook(exported, template(version=2), "R1", key=KEY)
    with pytest.raises(ResponseFileError, match="round 'R1'"):
        read_response_workbook(exported, template(), "R2", key=KEY)
    other = template().model_copy(update={"id": "other"})
    with pytest.raises(ResponseFileError, match="'pulse', not 'other'"):
        read_response_workbook(exported, other, "R1", key=KEY)


def test_random_bytes_file(tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(os.urandom(2048))
    with pytest.raises(WorkbenchError, match="answers.xlsx"):
        read_response_workbook(path, template(), "R1", key=KEY)


def test_several_respondents_and_bad_codes(tmp_path):
    paths = export_response_workbook(template(), ["A/1", "B 2"], tmp_path, "R1", key=KEY)
    assert [p.name for p in paths] == ["pulse_R1_A_1.xlsx", "pulse_R1_B_2.xlsx"]
    assert read_response_workbook(paths[0], template(), "R1", key=KEY).respondent_code == "A/1"
    with pytest.raises(WorkbenchError, match="same file name"):
        export_response_workbook(template(), ["A/1", "A 1"], tmp_path, "R1", key=KEY)
    with pytest.raises(WorkbenchError, match="not an existing folder"):
        export_response_workbook(template(), ["A"], tmp_path / "missing", "R1", key=KEY)


def test_export_is_atomic_when_writing_fails(tmp_path, exported):
    before = exported.read_bytes()
    bad = template().model_copy(update={"title": "x" * 40_000})
    with pytest.raises(WorkbenchError, match="Instructions!A1: cannot be written exactly"):
        export_response_workbook(bad, ["L-07"], tmp_path, "R1", key=KEY)
    assert exported.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [exported.name]
