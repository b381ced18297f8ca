"""Step gates: recorded as undoable edits, kept in the file, and the next step waits for them."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.plan.builder import Window, plan_windows
from workbench.core.plan.gates import DecisionRecord, GateDecision, gate_snapshot, superseding
from workbench.core.project import Project
from workbench.core.services.plans import Action

START = dt.date(2025, 3, 3)
DAY = dt.timedelta(days=1)


def _plan(project: Project) -> int:
    actions = [Action(f"A-000{n}", f"Action of step {step}", step, start=START, due=START)
               for n, step in enumerate((1, 1, 2, 3), start=1)]
    return project.plans.create_plan("Plan", 3, START, actions)


def _status(project: Project, uid: str) -> str:
    return next(a.status for a in project.plans.actions(1) if a.uid == uid)


def test_the_next_step_waits_for_the_gate(tmp_path):
    path = tmp_path / "gates.owb"
    with Project.create(path) as project:
        plan = _plan(project)
        project.plans.update_action("A-0001", status="In progress")  # step 1 needs no gate
        with pytest.raises(WorkbenchError, match="Step 2 waits for the step 1 gate: record "
                                                 "the gate decision first"):
            project.plans.update_action("A-0003", status="In progress")
        with pytest.raises(WorkbenchError, match="Step 3 waits for the step 1 gate"):
            project.plans.update_actions({"A-0004": {"status": "Done"},
                                          "A-0001": {"status": "Done"}}, "Both")
        assert _status(project, "A-0001") == "In progress"  # nothing of a refused edit lands
        project.plans.update_action("A-0003", status="Blocked", notes="waits")  # not a start

        project.plans.record_gate(plan, 1, "continue", START + 99 * DAY,
                                  "Customer fixes now reach other departments", "Board",
                                  snapshot={"note": "test"})
        project.plans.update_action("A-0003", status="In progress")
        with pytest.raises(WorkbenchError, match="Step 3 waits for the step 2 gate"):
            project.plans.update_action("A-0004", status="Done")
        project.undo()  # the status change
        project.undo()  # the gate
        assert project.plans.gates(plan) == {}
        with pytest.raises(WorkbenchError, match="step 1 gate"):
            project.plans.update_action("A-0003", status="In progress")
        project.redo()
        assert set(project.plans.gates(plan)) == {1}
    with Project.open(path) as project:
        (gate,) = project.plans.gates(plan).values()
        assert (gate.step, gate.decision, gate.decided_on, gate.decided_by) == (
            1, "continue", START + 99 * DAY, "Board")
        assert gate.value_created == "Customer fixes now reach other departments"
        assert gate.snapshot == {"note": "test"}
        project.plans.update_action("A-0003", status="Done")


def test_gate_decisions_are_checked(tmp_path):
    with Project.create(tmp_path / "checks.owb") as project:
        plan = _plan(project)
        when = START + 99 * DAY
        for args, message in (
            ((plan, 1, "maybe", when, "", "Board"), "Unknown gate decision"),
            ((plan, 1, "continue", when, "", "  "), "who decided"),
            ((plan, 2, "continue", when, "", "Board"), "record the step 1 gate decision first"),
            ((plan, 6, "continue", when, "", "Board"), "between 1 and 5"),
            ((99, 1, "continue", when, "", "Board"), "no plan"),
        ):
            with pytest.raises(WorkbenchError, match=message):
                project.plans.record_gate(*args, snapshot={})
        assert project.plans.gates(plan) == {}
        assert project.history.undo_label is None or "gate" not in project.history.undo_label

        project.plans.record_gate(plan, 1, "stop", when, "", "Board", snapshot={})
        with pytest.raises(WorkbenchError, match="decided to stop"):
            project.plans.update_action("A-0003", status="In progress")
        with pytest.raises(WorkbenchError, match="decided to stop"):
            project.plans.record_gate(plan, 2, "continue", when, "", "Board", snapshot={})
        project.plans.record_gate(plan, 1, "repeat", when, "", "Board", snapshot={})
        assert project.plans.gates(plan)[1].decision == "repeat"  # replaced, not added
        with pytest.raises(WorkbenchError, match="repeat"):
            project.plans.update_action("A-0003", status="In progress")
        project.plans.record_gate(plan, 1, "continue", when + 100 * DAY, "", "Board",
                                  snapshot={})
        project.plans.record_gate(plan, 2, "continue", when + 200 * DAY, "", "Board",
                                  snapshot={})
        project.plans.update_action("A-0004", status="In progress")
        project.undo()
        project.undo()
        assert project.plans.gates(plan)[1].decision == "continue"
        assert 2 not in project.plans.gates(plan)


def _windows(project: Project, plan: int) -> dict[int, list[tuple]]:
    """Step -> its windows as (begin, end, gate, decided, repeat), read from the stored gates."""
    windows = plan_windows(START, 1, 3, project.plans.gates(plan))
    return {step: [(w.begin, w.end, w.gate, w.decided, w.repeat) for w in found]
            for step, found in windows.by_step.items()}


def test_a_repeat_then_continue_keeps_both_windows_and_both_decisions(tmp_path):
    path = tmp_path / "repeat.owb"
    end_1, end_2 = START + 99 * DAY, START + 199 * DAY  # last days of step 1's two windows
    with Project.create(path) as project:
        plan = _plan(project)
        project.plans.record_gate(plan, 1, "repeat", end_1, "Half the teams joined", "Board",
                                  snapshot={"round": "first"})
        project.plans.record_gate(plan, 1, "continue", end_2, "Every team joined", "Board",
                                  snapshot={"round": "second"})
        gate = project.plans.gates(plan)[1]
        assert (gate.decision, gate.decided_on, gate.snapshot) == (
            "continue", end_2, {"round": "second"})
        assert gate.earlier == (DecisionRecord("repeat", end_1, "Board", "Half the teams joined"),)
        assert [d.decision for d in gate.decisions] == ["repeat", "continue"]
        assert _windows(project, plan) == {
            1: [(START, end_1, end_1, True, False),
                (end_1 + DAY, end_2, end_2, True, True)],  # the repeat window stays
            2: [(end_2 + DAY, end_2 + 100 * DAY, end_2 + 100 * DAY, False, False)],
            3: [(end_2 + 101 * DAY, end_2 + 200 * DAY, end_2 + 200 * DAY, False, False)]}
        project.plans.update_action("A-0003", status="In progress")  # step 2 may start

        project.undo()  # the status change
        project.undo()  # the continue: the repeat is back, with no history
        assert project.plans.gates(plan)[1] == GateDecision(
            1, "repeat", end_1, "Half the teams joined", "Board")
        assert project.plans.gates(plan)[1].snapshot == {"round": "first"}
        assert _windows(project, plan)[1] == [(START, end_1, end_1, True, False),
                                              (end_1 + DAY, end_2, end_2, False, True)]
        with pytest.raises(WorkbenchError, match="after the repeat"):
            project.plans.update_action("A-0003", status="In progress")
        project.redo()
        assert project.plans.gates(plan)[1] == gate
    with Project.open(path) as project:  # the history is kept in the file
        assert project.plans.gates(plan)[1] == gate
        assert len(_windows(project, plan)[1]) == 2


def test_a_continue_after_a_stop_resumes_the_plan(tmp_path):
    with Project.create(tmp_path / "stop.owb") as project:
        plan = _plan(project)
        stopped_on, resumed_on = START + 99 * DAY, START + 130 * DAY
        project.plans.record_gate(plan, 1, "stop", stopped_on, "Budget frozen", "Board",
                                  snapshot={})
        assert plan_windows(START, 1, 3, project.plans.gates(plan)).stopped_after == 1
        project.plans.record_gate(plan, 1, "continue", resumed_on, "Budget back", "Board",
                                  snapshot={})
        gate = project.plans.gates(plan)[1]
        assert gate.earlier == (DecisionRecord("stop", stopped_on, "Board", "Budget frozen"),)
        windows = plan_windows(START, 1, 3, project.plans.gates(plan))
        assert windows.stopped_after is None
        assert windows.by_step[1] == (Window(1, START, stopped_on, resumed_on, decided=True),)
        assert windows.by_step[2][0].begin == resumed_on + DAY
        project.plans.update_action("A-0003", status="In progress")


def test_gate_history_keeps_every_decision_in_order_without_duplicates(tmp_path):
    with Project.create(tmp_path / "history.owb") as project:
        plan = _plan(project)
        # the second repeat is dated before its window's first day: it counts on that day
        first, second, third = START + 99 * DAY, START + 60 * DAY, START + 320 * DAY
        project.plans.record_gate(plan, 1, "repeat", first, "Pilot only", "Board", snapshot={})
        project.plans.record_gate(plan, 1, "repeat", second, "Two teams", "Board", snapshot={})
        # the very same decision again (a fresh snapshot) adds nothing to the history
        project.plans.record_gate(plan, 1, "repeat", second, " Two teams ", "Board",
                                  snapshot={"again": True})
        project.plans.record_gate(plan, 1, "continue", third, "All teams", "Steering group",
                                  snapshot={})
        gate = project.plans.gates(plan)[1]
        assert [(d.decision, d.decided_on, d.decided_by, d.value_created)
                for d in gate.decisions] == [
            ("repeat", first, "Board", "Pilot only"),
            ("repeat", second, "Board", "Two teams"),
            ("continue", third, "Steering group", "All teams")]
        repeat_1 = START + 100 * DAY
        repeat_2 = repeat_1 + DAY
        assert _windows(project, plan)[1] == [
            (START, first, first, True, False),
            (repeat_1, repeat_1 + 99 * DAY, repeat_1, True, True),
            (repeat_2, repeat_2 + 99 * DAY, third, True, True)]
        assert _windows(project, plan)[2][0][0] == third + DAY
        project.undo()
        assert [d.decision for d in project.plans.gates(plan)[1].decisions] == [
            "repeat", "repeat"]


def test_superseding_moves_the_decision_in_force_into_the_history():
    day = START + 99 * DAY
    stop = GateDecision(1, "stop", day, "Nothing yet", "Board",
                        earlier=(DecisionRecord("repeat", START, "Board"),))
    later = superseding(stop, GateDecision(1, "continue", day + DAY, decided_by="Board"))
    assert later.earlier == (DecisionRecord("repeat", START, "Board"), stop.record)
    assert superseding(stop, GateDecision(1, "stop", day, "Nothing yet", "Board")) == stop
    assert superseding(None, later) is later


def _people() -> list[Person]:
    departments = ["Sales", "Sales", "Service", "Service", "Product", "Product"]
    return [Person(f"p{n}", f"Person {n}", department=d, customer_facing=n < 3)
            for n, d in enumerate(departments, start=1)]


def test_gate_snapshot_compares_earliest_and_latest_rounds_and_networks(tmp_path):
    from workbench.core.questionnaire.loader import load_template
    from workbench.paths import templates_dir

    with Project.create(tmp_path / "snap.owb") as project:
        assert gate_snapshot(project, 1) == {
            "step": 1, "ratings": {"before": None, "after": None},
            "network": {"before": None, "after": None},
            "insights": {"before": None, "after": None}}
        template = load_template(templates_dir() / "maturity_ladder.yaml")
        tid = project.assessments.store_template(template.id, template.version, template.title,
                                                 template.model_dump_json(by_alias=True))
        for name, date, values in (("Later", START + 100 * DAY, (3, 4)),
                                   ("Baseline", START, (1, 2))):
            round_id = project.assessments.add_round(tid, name, date)
            for code in ("L1", "L2"):
                respondent = project.assessments.add_respondent(round_id, code)
                project.assessments.set_answers(respondent, {
                    "s1_communication_systems": values[0], "s1_information_sharing": values[1],
                    "s2_information_sharing": 0})
        project.people.add_many(_people())
        project.networks.add("Collaboration 2025", [Tie("p1", "p2"), Tie("p3", "p4")],
                             type="collaboration", date=START)
        project.networks.add("Collaboration 2026", [Tie("p1", "p3"), Tie("p2", "p4"),
                                                    Tie("p1", "p2")],
                             type="collaboration", date=START + 365 * DAY)
        project.networks.add("Undated", [Tie("p5", "p6")], type="collaboration")
        project.networks.add("Customer 2026", [Tie("p3", "p1"), Tie("p5", "p1"),
                                               Tie("p2", "p1")],
                             type="customer_insight", date=START + 365 * DAY)
        snapshot = gate_snapshot(project, 1)
    ratings, network = snapshot["ratings"], snapshot["network"]
    assert ratings["before"] == {"round": "Baseline", "date": START.isoformat(), "mean": 1.5,
                                 "leaders": 2}
    assert ratings["after"]["round"] == "Later" and ratings["after"]["mean"] == 3.5
    before, after = network["before"], network["after"]
    assert (before["network"], before["ties"], before["overall_ei"]) == (
        "Collaboration 2025", 2, -1.0)
    assert (after["network"], after["ties"], after["overall_ei"]) == (
        "Collaboration 2026", 3, round(1 / 3, 3))
    for side in (before, after):  # one customer network: the same on both sides
        assert side["customer_network"] == "Customer 2026"
        assert side["customer_tie_share"] == round(2 / 3, 3)
        assert side["customer_champions"] == 1  # p1, named from two other departments
        assert isinstance(side["coordinator_candidates"], int)
