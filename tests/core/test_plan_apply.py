"""Proposals from gaps, custom actions and workbook edits applied as undoable edits."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from workbench.core.errors import WorkbenchError
from workbench.core.plan.apply import (
    accept_proposal,
    add_custom_action,
    apply_plan_import,
    current_plan,
    propose_for_project,
    read_plan_edits,
    window_of,
)
from workbench.core.plan.builder import step_window
from workbench.core.report.assemble import export_workbook, project_gaps
from workbench.core.report.workbook_writer import PLAN_COLUMNS, PLAN_SHEET


def _actions(project):
    return project.plans.actions(current_plan(project).id)


def test_accepting_a_proposal_adds_actions_in_one_undoable_edit(demo):
    before = _actions(demo)
    proposal = propose_for_project(demo)
    gap_keys = {g.key for g in project_gaps(demo)}
    assert proposal.actions and {a.foundation for a in proposal.actions} <= gap_keys
    chosen = proposal.actions[:3]
    accept_proposal(demo, proposal, chosen)
    after = _actions(demo)
    assert [a.uid for a in after] == [a.uid for a in before] + [a.uid for a in chosen]
    # proposals keep the plan's windows: a step-2 action starts inside step 2's window
    plan = current_plan(demo)
    for action in after[len(before):]:
        begin, end = step_window(plan.start_date, action.step, 1)
        assert begin <= action.start <= action.due <= end
    demo.undo()
    assert _actions(demo) == before
    assert {a.uid for a in propose_for_project(demo).actions} >= {a.uid for a in chosen}


def test_proposal_into_an_empty_project_creates_the_plan(demo, tmp_path):
    for plan in demo.plans.plans():
        for action in demo.plans.actions(plan.id):
            demo.plans.delete_action(action.uid)
    proposal = propose_for_project(demo)
    accept_proposal(demo, proposal)
    stored = _actions(demo)
    assert {a.uid for a in stored} == {a.uid for a in proposal.actions}
    known = {a.uid for a in stored}
    assert all(d.strip() in known for a in stored for d in a.depends_on.split(",") if d.strip())


def test_custom_action_defaults_to_its_step_window(demo):
    uid = add_custom_action(demo, "Hold a customer day", 2, owner="Ana")
    action = next(a for a in _actions(demo) if a.uid == uid)
    assert (action.start, action.due) == window_of(demo, 2)
    assert action.owner == "Ana" and action.source == "custom"
    demo.undo()
    assert uid not in {a.uid for a in _actions(demo)}
    with pytest.raises(WorkbenchError):
        add_custom_action(demo, "  ", 2)


def _edit_plan_sheet(path, changes):
    book = load_workbook(path)
    sheet = book[PLAN_SHEET]
    headers = [c.value for c in sheet[1]]
    col = {key: headers.index(header) + 1 for key, header, _w in PLAN_COLUMNS}
    for row in range(2, sheet.max_row + 1):
        uid = sheet.cell(row, col["action_id"]).value
        for field, value in changes.get(uid, {}).items():
            sheet.cell(row, col[field]).value = value
    book.save(path)


def test_export_edit_import_apply_and_undo(demo, tmp_path):
    out = tmp_path / "plan.xlsx"
    export_workbook(demo, out)
    before = {a.uid: a for a in _actions(demo)}
    first, second = list(before)[:2]
    new_due = before[second].due - dt.timedelta(days=1)
    _edit_plan_sheet(out, {first: {"status": "Blocked"},
                           second: {"owner": "New Owner", "due": new_due}})
    edits = read_plan_edits(demo, out)
    assert {(c.action_id, c.field, c.new) for c in edits.changes} == {
        (first, "status", "Blocked"), (second, "owner", "New Owner"), (second, "due", new_due)}
    assert apply_plan_import(demo, edits) == 3
    after = {a.uid: a for a in _actions(demo)}
    assert after[first].status == "Blocked"
    assert (after[second].owner, after[second].due) == ("New Owner", new_due)
    demo.undo()  # one edit undoes the whole import
    assert {a.uid: a for a in _actions(demo)} == before


def test_a_foreign_workbook_is_refused_and_changes_nothing(demo, tmp_path):
    foreign = tmp_path / "other.xlsx"
    book = Workbook()
    book.active.title = PLAN_SHEET
    book.active.append(["Action ID", "Status"])
    book.save(foreign)
    before = _actions(demo)
    with pytest.raises(WorkbenchError, match="not a plan workbook"):
        read_plan_edits(demo, foreign)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbenchError):
        read_plan_edits(demo, broken)
    assert _actions(demo) == before


def test_invalid_update_changes_nothing(demo):
    action = _actions(demo)[0]
    with pytest.raises(WorkbenchError):
        demo.plans.update_actions({action.uid: {"status": "Done"},
                                   "A-NOPE": {"status": "Done"}}, "bad")
    with pytest.raises(WorkbenchError):
        demo.plans.update_action(action.uid, due=action.start - dt.timedelta(days=1))
    assert _actions(demo)[0] == action
