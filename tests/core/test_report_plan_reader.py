"""Export -> edit the Plan sheet (openpyxl, as a client would) -> re-import the changes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest
from test_report_workbook import make_report_data

from workbench.core.errors import WorkbenchError
from workbench.core.report.plan_reader import ActionChange, read_plan_workbook
from workbench.core.report.workbook_writer import MARKER_SHEET, PLAN_COLUMNS, write_plan_workbook

COL = {f: i + 1 for i, (f, _h, _w) in enumerate(PLAN_COLUMNS)}


@pytest.fixture
def exported(tmp_path):
    data = make_report_data()
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(data, path)
    return data, path


def _read(data, path):
    return read_plan_workbook(path, data.engagement.uuid, data.plan)


def test_untouched_workbook_has_no_changes(exported):
    data, path = exported
    result = _read(data, path)
    assert (result.changes, result.unmatched_rows, result.problems, result.notices) == \
        ([], [], [], [])


def test_edits_round_trip_as_changes(exported):
    data, path = exported
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    first, second = data.plan[0], data.plan[1]
    new_due = first.due + dt.timedelta(days=5)
    sheet.cell(2, COL["status"]).value = "in progress"  # case is forgiven
    sheet.cell(2, COL["owner"]).value = "=Jo Bloggs"  # formula-like text stays text
    sheet.cell(2, COL["owner"]).data_type = "s"
    sheet.cell(2, COL["due"]).value = new_due
    sheet.cell(3, COL["notes"]).value = "Waiting for budget"
    sheet.cell(3, COL["start"]).value = first.start.isoformat()  # typed as text
    sheet.cell(2, COL["title"]).value = "A title edit is not imported"
    book.save(path)
    result = _read(data, path)
    expected = {
        ActionChange(first.uid, "status", first.status, "In progress"),
        ActionChange(first.uid, "owner", first.owner, "=Jo Bloggs"),
        ActionChange(first.uid, "due", first.due, new_due),
        ActionChange(second.uid, "notes", second.notes, "Waiting for budget"),
    }
    if second.start != first.start:
        expected.add(ActionChange(second.uid, "start", second.start, first.start))
    assert set(result.changes) == expected
    assert result.problems == [] and result.notices == []


def test_bad_cells_are_reported_by_row_and_column(exported):
    data, path = exported
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    sheet.cell(3, COL["status"]).value = "Nearly done"
    sheet.cell(4, COL["start"]).value = "31/02/2025"
    sheet.cell(5, COL["due"]).value = data.plan[3].start - dt.timedelta(days=3)
    sheet.cell(6, COL["action_id"]).value = sheet.cell(2, COL["action_id"]).value
    last = len(data.plan) + 2
    sheet.cell(last, COL["title"]).value = "A new action typed by the client"
    sheet.cell(last + 1, COL["action_id"]).value = "A-UNKNOWN"
    book["Network"]["B2"].value = "Someone else"
    book.save(path)
    result = _read(data, path)
    located = {(p.kind, p.row, p.column) for p in result.problems}
    assert located == {
        ("invalid_status", 3, "J (Status)"),
        ("invalid_start", 4, "H (Start)"),
        ("invalid_dates", 5, "I (Due)"),
        ("duplicate_action", 6, "A (Action ID)"),
    }
    assert [u.row for u in result.unmatched_rows] == [last, last + 1]
    assert result.unmatched_rows[0].values["title"] == "A new action typed by the client"
    assert any("'Network' was edited" in n for n in result.notices)
    assert result.changes == []


def test_renamed_and_deleted_columns_are_reported(exported):
    data, path = exported
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    sheet.cell(1, COL["owner"]).value = "Responsible"
    sheet.delete_cols(COL["notes"])
    book.save(path)
    result = _read(data, path)
    kinds = {(p.kind, p.column) for p in result.problems}
    assert kinds == {("renamed_column", "G (Responsible)"), ("deleted_column", "Q (Notes)")}
    assert any("Responsible" in n for n in result.notices)


def test_other_engagement_or_foreign_file_is_refused(exported, tmp_path):
    data, path = exported
    with pytest.raises(WorkbenchError, match="another engagement"):
        read_plan_workbook(path, "some-other-uuid", data.plan)
    foreign = tmp_path / "foreign.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Plan"
    book.save(foreign)
    with pytest.raises(WorkbenchError, match="not a plan workbook"):
        read_plan_workbook(foreign, data.engagement.uuid, data.plan)
    book = openpyxl.load_workbook(path)
    book[MARKER_SHEET]["B2"].value = 99
    book.save(tmp_path / "newer.xlsx")
    with pytest.raises(WorkbenchError, match="newer version"):
        read_plan_workbook(tmp_path / "newer.xlsx", data.engagement.uuid, data.plan)


def test_unreadable_or_damaged_file_is_a_clear_error(exported, tmp_path):
    data, path = exported
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(WorkbenchError, match="damaged.xlsx"):
        read_plan_workbook(damaged, data.engagement.uuid, data.plan)
    with pytest.raises(WorkbenchError, match="missing.xlsx"):
        read_plan_workbook(tmp_path / "missing.xlsx", data.engagement.uuid, data.plan)


def test_open_in_excel_gives_a_notice(exported):
    data, path = exported
    (path.parent / f"~${path.name}").write_bytes(b"owner")
    assert any("open in Excel" in n for n in _read(data, path).notices)


def test_works_with_actions_from_another_plan_state(exported):
    data, path = exported
    changed = [dataclasses.replace(data.plan[0], status="Done"), *data.plan[1:]]
    result = read_plan_workbook(path, data.engagement.uuid, changed)
    assert result.changes == [ActionChange(data.plan[0].uid, "status", "Done", "Not started")]
