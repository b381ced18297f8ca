"""Proposals from gaps, custom actions and workbook edits applied as undoable edits.

Proposals use small libraries built here (the built-in one is data that changes on its own).
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from workbench.core.errors import WorkbenchError
from workbench.core.method.gaps import project_gaps
from workbench.core.plan.apply import (
    OPEN_OWNER,
    accept_proposal,
    add_custom_action,
    apply_plan_import,
    current_plan,
    plan_rows,
    propose_for_project,
    read_plan_edits,
    save_schedule_rules,
    schedule_rules,
    stored_action,
    window_of,
)
from workbench.core.plan.builder import WINDOW_DAYS, ScheduleRules, step_window
from workbench.core.plan.library import ActionLibrary
from workbench.core.plan.owners import confirm_owners
from workbench.core.project import Project
from workbench.core.report.assemble import export_workbook
from workbench.core.report.workbook_writer import PLAN_COLUMNS, PLAN_SHEET
from workbench.core.services.plans import Action

ROLES = ("Head of service", "Executive sponsor", "HR business partner", "Operations manager")
START = dt.date(2025, 3, 3)
DAY = dt.timedelta(days=1)


def _action(id: str, step: int, serves: str, owner: str, days: int = 20,
            depends_on: tuple[str, ...] = ()) -> dict:
    return {
        "id": id, "title": f"Act on {serves} ({id})", "purpose": "Closes the gap it serves.",
        "kind": "practice", "step": step, "applies_to": [serves], "owner_role": owner,
        "effort": "S", "duration_days": days,
        "measure": "Share of customer cases solved by two or more departments", "unit": "%",
        "baseline": 0 if id.endswith("-1") else None, "target": 30,
        "data_source": "Service desk case log", "evidence": "Cases close faster.",
        "depends_on": list(depends_on),
    }


def _library_for(gaps) -> ActionLibrary:
    """Two actions per gap item (the second depends on the first), owners taking turns."""
    actions = []
    for n, gap in enumerate(gaps):
        step = gap.step or 1
        key = f"T{n:03d}"
        actions.append(_action(f"{key}-1", step, gap.source, ROLES[n % len(ROLES)]))
        actions.append(_action(f"{key}-2", step, gap.source, ROLES[(n + 1) % len(ROLES)],
                               depends_on=(f"{key}-1",)))
    return ActionLibrary.model_validate({"format_version": 2, "actions": actions})


def _actions(project):
    return project.plans.actions(current_plan(project).id)


def test_accepting_a_proposal_adds_actions_in_one_undoable_edit(demo):
    before = _actions(demo)
    gaps = project_gaps(demo)
    library = _library_for(gaps)
    proposal = propose_for_project(demo, library=library)
    assert proposal.actions
    assert {a.source for a in proposal.actions} <= {g.source for g in gaps}
    chosen = proposal.actions[:3]
    accept_proposal(demo, proposal, chosen)
    after = _actions(demo)
    assert [a.uid for a in after] == [a.uid for a in before] + [a.uid for a in chosen]
    assert after[len(before):] == [stored_action(a) for a in chosen]  # every field kept
    plan = current_plan(demo)
    for action in after[len(before):]:  # proposals keep the plan's windows
        assert action.start >= step_window(plan.start_date, action.step, 1)[0]
        assert action.library_id and action.owner_role
    demo.undo()
    assert _actions(demo) == before
    again = {a.uid for a in propose_for_project(demo, library=library).actions}
    assert again >= {a.uid for a in chosen}


def test_proposal_into_an_empty_project_creates_the_plan(demo):
    for plan in demo.plans.plans():
        for action in demo.plans.actions(plan.id):
            demo.plans.delete_action(action.uid)
    proposal = propose_for_project(demo, library=_library_for(project_gaps(demo)))
    accept_proposal(demo, proposal)
    stored = _actions(demo)
    assert {a.uid for a in stored} == {a.uid for a in proposal.actions}
    known = {a.uid for a in stored}
    assert all(d.strip() in known for a in stored for d in a.depends_on.split(",") if d.strip())
    with pytest.raises(WorkbenchError, match="No actions"):  # all already in the plan
        accept_proposal(demo, proposal)


def test_custom_action_defaults_to_its_step_window(demo):
    uid = add_custom_action(demo, "Hold a customer day", 2, owner="Ana")
    action = next(a for a in _actions(demo) if a.uid == uid)
    assert (action.start, action.due) == window_of(demo, 2)
    assert action.owner == "Ana" and action.library_id == "" and action.source == ""
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


# -- a small engagement of its own --------------------------------------------------------------

CELLS = {"s1_communication_systems": 1, "s1_information_sharing": 0, "s2_information_sharing": 1}


def _ladder_project(path, target: int = 2) -> Project:
    """Two leaders rated three ladder cells low; people carry two of the library's roles."""
    from workbench.core.model import Person
    from workbench.core.questionnaire.loader import load_template
    from workbench.paths import templates_dir

    template = load_template(templates_dir() / "maturity_ladder.yaml")
    project = Project.create(path)
    tid = project.assessments.store_template(template.id, template.version, template.title,
                                             template.model_dump_json(by_alias=True))
    round_id = project.assessments.add_round(tid, "Baseline", START - 30 * DAY)
    for code in ("L1", "L2"):
        respondent = project.assessments.add_respondent(round_id, code)
        project.assessments.set_answers(respondent, dict(CELLS))
    project.engagement.update(target_step=target, start_date=START)
    project.people.add_many([Person("p1", "Ana Lima", role="Head of Service"),
                             Person("p2", "Bo Berg", role="Chief Executive")])
    return project


def _cell_library() -> ActionLibrary:
    def cell(step, name):
        return f"maturity_ladder:s{step}_{name}"

    actions = [
        _action("S1-COM-1", 1, cell(1, "communication_systems"), "Head of service", 30),
        _action("S1-COM-2", 1, cell(1, "communication_systems"), "Head of service", 30,
                ("S1-COM-1",)),
        _action("S1-INF-1", 1, cell(1, "information_sharing"), "Head of service", 10),
        _action("S1-INF-2", 1, cell(1, "information_sharing"), "Head of service", 10),
        _action("S1-INF-3", 1, cell(1, "information_sharing"), "Executive sponsor", 10),
        _action("S2-INF-1", 2, cell(2, "information_sharing"), "HR business partner", 20,
                ("S1-INF-1",)),
    ]
    return ActionLibrary.model_validate({"format_version": 2, "actions": actions})


def test_proposal_names_confirmed_owners_staggers_starts_and_lists_open_roles(tmp_path):
    with _ladder_project(tmp_path / "e.owb") as project:
        library = _cell_library()
        proposal = propose_for_project(project, library=library)
        assert proposal.target_step == 2 and proposal.stage == 0
        assert proposal.start_date == START and proposal.stopped_after is None
        assert {a.owner for a in proposal.actions} == {""}
        assert set(proposal.open_roles) == {"Head of service", "Executive sponsor",
                                            "HR business partner"}
        assert any("Nobody is confirmed yet" in note for note in proposal.notes)
        confirm_owners(project, {"Head of service": "p1"})
        save_schedule_rules(project, ScheduleRules(max_starts=1, period_days=7))
        proposal = propose_for_project(project, library=library)
        owned = sorted((a for a in proposal.actions if a.owner_role == "Head of service"),
                       key=lambda a: a.start)
        assert {a.owner for a in owned} == {"Ana Lima"}
        assert "Head of service" not in proposal.open_roles
        starts = [(a.start - START).days for a in owned]
        assert len(set(d // 7 for d in starts)) == len(starts)  # one start a week
        steps = {a.library_id: a.step for a in proposal.actions}
        assert steps == {"S1-COM-1": 1, "S1-COM-2": 1, "S1-INF-1": 1, "S1-INF-2": 1,
                         "S1-INF-3": 1, "S2-INF-1": 2}
        for action in proposal.actions:
            assert (action.due - action.start).days + 1 == library.by_id(
                action.library_id).duration_days
        rows = {r["action_id"]: r for r in plan_rows(proposal)}
        assert rows["S2-INF-1"]["depends_on"] == "S1-INF-1"
        assert rows["S2-INF-1"]["source"] == "maturity_ladder:s2_information_sharing"
        assert rows["S1-INF-3"]["owner"] == OPEN_OWNER
        assert rows["S1-COM-1"]["baseline"] == 0
        second = rows["S1-COM-2"]
        assert second["baseline"] == f"measure by {second['start'] + 13 * DAY:%Y-%m-%d}"


def test_schedule_rules_are_one_undoable_setting_that_survives_reopening(tmp_path):
    path = tmp_path / "rules.owb"
    with Project.create(path) as project:
        assert schedule_rules(project) == ScheduleRules(2, 14)
        save_schedule_rules(project, ScheduleRules(3, 10))
        assert schedule_rules(project) == ScheduleRules(3, 10)
        with pytest.raises(WorkbenchError):
            save_schedule_rules(project, ScheduleRules(0, 14))
        project.undo()
        assert schedule_rules(project) == ScheduleRules()
        project.redo()
        project.settings.set("plan.schedule", {"max_starts": "lots", "period_days": 7})
        assert schedule_rules(project) == ScheduleRules(2, 7)  # a bad value falls back
        project.undo()
    with Project.open(path) as project:
        assert schedule_rules(project) == ScheduleRules(3, 10)


def test_accepted_actions_are_not_proposed_twice_and_gates_move_later_windows(tmp_path):
    with _ladder_project(tmp_path / "g.owb") as project:
        library = _cell_library()
        proposal = propose_for_project(project, library=library)
        step_one = [a for a in proposal.actions if a.step == 1]
        plan_id = accept_proposal(project, proposal, step_one)
        again = propose_for_project(project, library=library)
        assert [a.library_id for a in again.actions] == ["S2-INF-1"]
        assert again.existing and again.actions[0].depends_on == (
            next(a.uid for a in step_one if a.library_id == "S1-INF-1"),)
        assert again.actions[0].start == START + WINDOW_DAYS * DAY  # gate not decided yet
        decided = START + 120 * DAY
        project.plans.record_gate(plan_id, 1, "continue", decided, "Cases shared weekly",
                                  "Steering board", snapshot={})
        moved = propose_for_project(project, library=library).actions[0]
        assert moved.start == decided + DAY
        assert window_of(project, 2) == (decided + DAY, decided + WINDOW_DAYS * DAY)
        project.plans.record_gate(plan_id, 1, "stop", decided, "", "Steering board",
                                  snapshot={})
        stopped = propose_for_project(project, library=library)
        assert stopped.actions == [] and stopped.stopped_after == 1
        assert any("nothing is planned after step 1" in n for n in stopped.notes)


def test_stored_actions_keep_every_new_field(tmp_path):
    with Project.create(tmp_path / "f.owb") as project:
        action = Action("A-0001", "Agree value with key accounts", 3, kind="design",
                        library_id="CCO-VAL-1", source="org_design:value_agreement",
                        owner_role="Head of sales", owner="Ana", start=START, due=START,
                        measure="Accounts with an agreed value statement", unit="accounts",
                        baseline=0.0, target=12.5, data_source="CRM", flag="Ends late")
        project.plans.create_plan("Plan", 3, START, [action])
        assert _actions(project) == [action]
