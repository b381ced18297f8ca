"""ONA survey workbooks: export, fill in with openpyxl as a respondent would, import."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network.survey import (
    DEFAULT_QUESTIONS,
    INFO_SHEET,
    MARKER,
    ROSTER_SHEET,
    SURVEY_SHEET,
    export_survey_workbook,
    import_survey_workbooks,
    roster_entry,
)
from workbench.core.tasks import Cancelled, Progress
from workbench.core.xlsx_safety import set_openpyxl_cell

PEOPLE = [
    Person("p1", "Ann Lee", department="Sales"),
    Person("p2", "Bo Chen", department="Sales"),
    Person("p3", "Cy Diaz", department="Service"),
    Person("p4", "Di Eze", department="Service"),
    Person("p5", "=cmd|' /C calc'!A0", department="IT"),
    Person("p6", "Ann Lee", department="IT"),  # same name as p1: only "Name (id)" tells them apart
]
ENTRY = {p.id: roster_entry(p) for p in PEOPLE}
KEY = bytes(range(32))  # the project's signing key (project.settings.signing_key())


def fill(path: Path, answers: dict[str, list[tuple[object, object]]],
         own_name: str | None = None) -> None:
    """Type answers into the unlocked cells below each question, as a respondent would."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SURVEY_SHEET]
    starts = {ws.cell(r, 1).value[len(MARKER):]: r for r in range(1, ws.max_row + 1)
              if str(ws.cell(r, 1).value or "").startswith(MARKER)}
    if own_name is not None:
        ws.cell(2, 2).value = own_name
    for relation, rows in answers.items():
        for offset, (person, strength) in enumerate(rows):
            # a drop-down choice is stored as text even when it starts with "="
            set_openpyxl_cell(ws.cell(starts[relation] + 2 + offset, 2), person)
            ws.cell(starts[relation] + 2 + offset, 3).value = strength
    wb.save(path)


def ties(result, relation: str) -> set[tuple[str, str, float]]:
    return {(t.source, t.target, t.weight) for t in result.ties_by_relation.get(relation, [])}


def test_round_trip_per_respondent(tmp_path: Path) -> None:
    export = export_survey_workbook(PEOPLE, tmp_path, respondents=["p1", "p2", "p3"], key=KEY)
    assert [p.name for p in export.paths] == ["survey_p1.xlsx", "survey_p2.xlsx",
                                              "survey_p3.xlsx"]
    assert sorted(os.listdir(tmp_path)) == [p.name for p in export.paths]  # no temp files
    p1, p2, p3 = export.paths
    fill(p1, {"advice": [(ENTRY["p2"], 5), (ENTRY["p6"], 3)],
              "customer_insight": [(ENTRY["p4"], 4)],
              "extra_mile": [(ENTRY["p5"], 2)]})
    fill(p2, {"energy": [(ENTRY["p1"], "2")]})
    result = import_survey_workbooks(export.paths, PEOPLE, survey_id=export.survey_id, key=KEY)
    assert ties(result, "advice") == {("p1", "p2", 5.0), ("p1", "p6", 3.0)}
    assert ties(result, "customer_insight") == {("p1", "p4", 4.0)}
    assert ties(result, "extra_mile") == {("p1", "p5", 2.0)}
    assert ties(result, "energy") == {("p2", "p1", 2.0)}
    assert all(isinstance(t, Tie) and t.type == rel
               for rel, ts in result.ties_by_relation.items() for t in ts)
    assert result.respondents_answered == ["p1", "p2"]
    assert [(p.file, p.kind, p.severity) for p in result.problems] == [
        ("survey_p3.xlsx", "no_answers", "warning")]


def test_workbook_layout_protects_everything_but_answers(tmp_path: Path) -> None:
    path = export_survey_workbook(PEOPLE, tmp_path, respondents=["p1"], max_nominations=3,
                                  key=KEY).paths[0]
    wb = openpyxl.load_workbook(path)
    assert wb[ROSTER_SHEET].sheet_state == "hidden"
    assert wb[INFO_SHEET].sheet_state == "hidden"
    roster = [c.value for c in wb[ROSTER_SHEET]["A"]]
    assert roster == [roster_entry(p) for p in PEOPLE]
    assert wb[ROSTER_SHEET]["A5"].data_type == "s"  # the formula-like name stays text
    ws = wb[SURVEY_SHEET]
    assert ws.protection.sheet
    starts = [r for r in range(1, ws.max_row + 1)
              if str(ws.cell(r, 1).value or "").startswith(MARKER)]
    assert len(starts) == len(DEFAULT_QUESTIONS)
    first = starts[0] + 2
    answer_cells = {f"{col}{r}" for r in range(first, first + 3) for col in "BC"}
    assert all(not ws[c].protection.locked for c in answer_cells)
    assert ws.cell(starts[0], 2).protection.locked
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations[f"B{first}:B{first + 2}"] == f"'{ROSTER_SHEET}'!$A$1:$A${len(PEOPLE)}"
    assert validations[f"C{first}:C{first + 2}"] == '"1,2,3,4,5"'


def test_problems_are_reported_by_row_and_column(tmp_path: Path) -> None:
    path = export_survey_workbook(PEOPLE, tmp_path, respondents=["p1"], max_nominations=6,
                                  key=KEY).paths[0]
    fill(path, {"advice": [
        ("Nobody (x9)", 3),  # unknown
        (ENTRY["p1"], 3),  # herself
        ("Bo Chen", 4),  # typed, unique name: accepted
        (ENTRY["p2"], 2),  # the same person again
        (ENTRY["p3"], 7),  # strength out of range
        (ENTRY["p4"], None),  # no strength: warning, counted as 1
    ], "energy": [("Ann Lee", 2)]})  # ambiguous typed name (p1 and p6)
    result = import_survey_workbooks([path], PEOPLE, key=KEY)
    ws = openpyxl.load_workbook(path)[SURVEY_SHEET]
    advice = next(r for r in range(1, ws.max_row + 1)
                  if ws.cell(r, 1).value == MARKER + "advice") + 2
    energy = next(r for r in range(1, ws.max_row + 1)
                  if ws.cell(r, 1).value == MARKER + "energy") + 2
    assert {(p.kind, p.row, p.column) for p in result.problems} == {
        ("unknown_name", advice, "B"),
        ("self_nomination", advice + 1, "B"),
        ("duplicate_nomination", advice + 3, "B"),
        ("bad_strength", advice + 4, "C"),
        ("missing_strength", advice + 5, "C"),
        ("unknown_name", energy, "B"),
    }
    assert ties(result, "advice") == {("p1", "p2", 4.0), ("p1", "p4", 1.0)}
    assert result.respondents_answered == ["p1"]


def test_names_over_the_cap_are_not_counted(tmp_path: Path) -> None:
    path = export_survey_workbook(PEOPLE, tmp_path, respondents=["p1"], max_nominations=2,
                                  key=KEY).paths[0]
    # the third name goes into the spare row under the block, past the two answer rows
    fill(path, {"advice": [(ENTRY["p2"], 1), (ENTRY["p3"], 2), (ENTRY["p4"], 3)]})
    result = import_survey_workbooks([path], PEOPLE, key=KEY)
    assert ties(result, "advice") == {("p1", "p2", 1.0), ("p1", "p3", 2.0)}
    assert [(p.kind, p.column) for p in result.problems] == [("over_cap", "B")]


def test_same_respondent_twice_and_other_survey(tmp_path: Path) -> None:
    export = export_survey_workbook(PEOPLE, tmp_path, respondents=["p1"], key=KEY)
    fill(export.paths[0], {"advice": [(ENTRY["p2"], 1)]})
    again = tmp_path / "copy of survey.xlsx"
    shutil.copy(export.paths[0], again)
    result = import_survey_workbooks([export.paths[0], again], PEOPLE, key=KEY)
    assert [(p.file, p.kind) for p in result.problems] == [("copy of survey.xlsx", "answered_twice")]
    assert ties(result, "advice") == {("p1", "p2", 1.0)}
    other = import_survey_workbooks([again], PEOPLE, survey_id="another", key=KEY)
    assert [p.kind for p in other.problems] == ["other_survey"]
    assert other.ties_by_relation == {}


@pytest.mark.parametrize("sheet,cell,value", [
    (INFO_SHEET, "B3", '"p2"'),  # pretend to be someone else
    (ROSTER_SHEET, "A7", "Mallory (p9)"),  # slip a name into the drop-down list
])
def test_tampered_workbook_is_skipped(tmp_path: Path, sheet: str, cell: str, value: str) -> None:
    path = export_survey_workbook(PEOPLE, tmp_path, respondents=["p1"], key=KEY).paths[0]
    fill(path, {"advice": [(ENTRY["p2"], 1)]})
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    result = import_survey_workbooks([path], PEOPLE, key=KEY)
    assert [(p.kind, p.file) for p in result.problems] == [("altered", path.name)]
    assert result.ties_by_relation == {} and result.respondents_answered == []


def test_random_bytes_and_foreign_workbooks(tmp_path: Path) -> None:
    noise = tmp_path / "noise.xlsx"
    noise.write_bytes(os.urandom(4096))
    foreign = tmp_path / "budget.xlsx"
    openpyxl.Workbook().save(foreign)
    good = export_survey_workbook(PEOPLE, tmp_path, respondents=["p2"], key=KEY).paths[0]
    fill(good, {"energy": [(ENTRY["p3"], 5)]})
    result = import_survey_workbooks([noise, foreign, good], PEOPLE, key=KEY)
    assert [(p.file, p.kind) for p in result.problems] == [
        ("noise.xlsx", "not_our_file"), ("budget.xlsx", "not_our_file")]
    assert ties(result, "energy") == {("p2", "p3", 5.0)}


def test_shared_workbook_asks_for_the_respondent(tmp_path: Path) -> None:
    out = tmp_path / "survey.xlsx"
    export = export_survey_workbook(PEOPLE, out, shared=True, max_nominations=2, key=KEY)
    assert export.paths == [out]
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(out, first)
    shutil.copy(out, second)
    fill(first, {"advice": [(ENTRY["p1"], 2)]}, own_name=ENTRY["p4"])
    fill(second, {"advice": [(ENTRY["p1"], 2)]})  # forgot to pick their own name
    result = import_survey_workbooks([first, second], PEOPLE, key=KEY)
    assert ties(result, "advice") == {("p4", "p1", 2.0)}
    assert [(p.file, p.kind, p.row, p.column) for p in result.problems] == [
        ("b.xlsx", "unknown_respondent", 2, "B")]


def test_export_is_all_or_nothing(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="p404"):
        export_survey_workbook(PEOPLE, tmp_path, respondents=["p1", "p404"], key=KEY)
    seen = []

    def cancel_after_two(fraction: float, message: str) -> None:
        seen.append(message)
        if len(seen) == 3:
            progress.cancel()

    progress = Progress(cancel_after_two)
    with pytest.raises(Cancelled):
        export_survey_workbook(PEOPLE, tmp_path, progress=progress, key=KEY)
    assert len(seen) == 3  # two workbooks were written before Cancel...
    assert os.listdir(tmp_path) == []  # ...and none of them was left behind
    project = tmp_path / "client.owb"
    project.write_bytes(b"db")
    with pytest.raises(WorkbenchError, match="open project"):
        export_survey_workbook(PEOPLE, project, shared=True, protected=project, key=KEY)
    assert project.read_bytes() == b"db"
