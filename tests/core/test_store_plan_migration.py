"""Schema 5: plan actions of older files keep every row, with the new item references.
Schema 6: step gates of older files keep their decision and start an empty history."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from workbench.core.plan.gates import DecisionRecord
from workbench.core.project import Project, schema_version
from workbench.core.services.plans import Action

ROWS = [  # schema 4 plan_action rows: id, uid, title, step, foundation, owner, status, source
    (1, "A-1", "Map the customer champions", 1, "information_sharing", "Ana", "Done",
     "S1-INF-1"),
    (2, "A-2", "Decide whom we serve", None, "leaders", "", "Not started", "DQ-LEA-1"),
    (3, "A-0003", "Our own idea", 2, "working_climate", "Bo", "In progress", "custom"),
    (4, "A-0004", "Demo action", 2, "other_assets_resources", "Cy", "Blocked", "demo"),
    (5, "A-0005", "Unknown area", 3, "something_else", "", "Not started", "S3-X-1"),
    (6, "A-0006", "Nulls everywhere", None, None, None, "Not started", None),
]


def _columns(path, table: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def _old_plan_file(path, schema: str, *statements: str) -> None:
    """A project at ``schema`` (e.g. "0004") holding one plan, then ``statements`` run on it."""
    with Project.create(path, _schema_target=schema):
        pass
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("INSERT INTO plan (id, name, target_step, start_date) "
                         "VALUES (1, '100-day plan', 2, '2025-03-03')")
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()


def _schema_4_file(path) -> None:
    _old_plan_file(path, "0004")
    conn = sqlite3.connect(path)
    try:
        with conn:
            for position, (pk, uid, title, step, foundation, owner, status, source) in \
                    enumerate(ROWS):
                conn.execute(
                    "INSERT INTO plan_action (id, plan_id, uid, title, step, foundation, owner,"
                    " start, due, status, measure, evidence, depends_on, notes, source, position)"
                    " VALUES (?, 1, ?, ?, ?, ?, ?, '2025-03-03', '2025-04-01', ?, 'Measure',"
                    " 'Evidence', ?, 'Note', ?, ?)",
                    (pk, uid, title, step, foundation, owner, status,
                     "A-1" if pk == 2 else "", source, position))
    finally:
        conn.close()


def test_schema_4_plan_rows_survive_the_upgrade(tmp_path):
    path = tmp_path / "old.owb"
    _schema_4_file(path)
    assert "foundation" in _columns(path, "plan_action")
    with Project.open(path) as project:
        assert project.migrated_from == 4
        assert project.backup_path is not None and project.backup_path.exists()
        actions = project.plans.actions(1)
        assert [a.uid for a in actions] == [r[1] for r in ROWS]
        assert [(a.title, a.step, a.owner, a.status) for a in actions] == [
            (r[2], r[3], r[5] or "", r[6]) for r in ROWS]
        assert [(a.library_id, a.source) for a in actions] == [
            ("S1-INF-1", "maturity_ladder:s1_information_sharing"),
            ("DQ-LEA-1", "org_design:leaders_current"),
            ("", ""),  # custom: no library action and no item
            ("", "maturity_ladder:s2_other_assets_resources"),
            ("S3-X-1", ""),
            ("", ""),
        ]
        for a in actions:
            assert (a.owner_role, a.kind, a.unit, a.data_source, a.flag) == ("", "", "", "", "")
            assert (a.baseline, a.target) == (None, None)
            assert (a.start, a.due) == (dt.date(2025, 3, 3), dt.date(2025, 4, 1))
        assert actions[1].depends_on == "A-1" and actions[0].notes == "Note"
        # the upgraded file works like a new one: gates, edits and undo
        project.plans.record_gate(1, 1, "continue", dt.date(2025, 6, 10), "Shared fixes",
                                  "Board", snapshot={})
        project.plans.update_action("A-0004", status="Done", owner_role="Head of service")
        project.undo()
        assert project.plans.actions(1)[3].status == "Blocked"
    assert "foundation" not in _columns(path, "plan_action")
    fresh = tmp_path / "new.owb"
    Project.create(fresh).close()
    for table in ("plan_action", "step_gate"):
        assert _columns(path, table) == _columns(fresh, table)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # uids stay unique
            conn.execute("INSERT INTO plan_action (plan_id, uid, title) VALUES (1, 'A-1', 'x')")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # one gate per step
            conn.execute("INSERT INTO step_gate (plan_id, step, decided_on, decision) "
                         "VALUES (1, 1, '2025-06-11', 'stop')")
    finally:
        conn.close()
    backup = sqlite3.connect(project.backup_path)
    try:  # the backup keeps the file as it was
        assert backup.execute("SELECT count(*), min(foundation) FROM plan_action").fetchone() \
            == (len(ROWS), "information_sharing")
    finally:
        backup.close()


def test_new_files_store_every_action_field(tmp_path):
    with Project.create(tmp_path / "new.owb") as project:
        action = Action("A-0001", "Agree the value", 3, kind="design", library_id="CCO-1",
                        source="org_design:value_agreement", owner_role="Head of sales",
                        baseline=0.0, target=10.0, unit="accounts", data_source="CRM",
                        flag="Ends 3 days after the step 3 window: extend the window, split "
                             "the action, or move it to the next window.")
        project.plans.create_plan("Plan", 3, dt.date(2025, 3, 3), [action])
        assert project.plans.actions(1) == [action]


def test_schema_5_gates_get_an_empty_history(tmp_path):
    path = tmp_path / "gates.owb"
    _old_plan_file(
        path, "0005",
        "INSERT INTO plan_action (id, plan_id, uid, title, step, status) "
        "VALUES (1, 1, 'A-0001', 'Step 2 work', 2, 'Not started')",
        "INSERT INTO step_gate (plan_id, step, decided_on, decision, value_created, "
        "decided_by, snapshot) VALUES (1, 1, '2025-06-10', 'repeat', 'Half the teams', "
        "'Board', '{\"step\": 1}')")
    assert "history" not in _columns(path, "step_gate")
    with Project.open(path) as project:
        assert project.migrated_from == 5
        assert project.backup_path is not None and project.backup_path.exists()
        (gate,) = project.plans.gates(1).values()
        assert (gate.decision, gate.decided_on, gate.decided_by, gate.value_created) == (
            "repeat", dt.date(2025, 6, 10), "Board", "Half the teams")
        assert gate.snapshot == {"step": 1} and gate.earlier == ()
        gate = project.plans.record_gate(1, 1, "continue", dt.date(2025, 9, 18), "All teams",
                                         "Board", snapshot={})
        assert gate.earlier == (DecisionRecord("repeat", dt.date(2025, 6, 10), "Board",
                                               "Half the teams"),)
        project.undo()
        assert project.plans.gates(1)[1].earlier == ()
    fresh = tmp_path / "new.owb"
    Project.create(fresh).close()
    assert _columns(path, "step_gate") == _columns(fresh, "step_gate")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert conn.execute("SELECT history FROM step_gate").fetchall() == [("[]",)]
    finally:
        conn.close()
