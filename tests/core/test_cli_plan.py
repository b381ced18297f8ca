"""`workbench plan`: a proposal written as CSV, nothing saved; --start proposes a fresh plan."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib

from workbench.cli import main
from workbench.core.plan.apply import accept_proposal, current_plan, propose_for_project
from workbench.core.project import Project

COLUMNS = ["action_id", "step", "source", "title", "owner_role", "owner", "start", "due",
           "depends_on", "measure", "baseline", "target", "unit", "flag"]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plan(project_path, out, *extra: str) -> tuple[list[str], list[dict[str, str]]]:
    assert main(["plan", str(project_path), "--out", str(out), *extra]) == 0
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_start_proposes_a_fresh_plan_whose_first_step_starts_that_day(demo_copy, tmp_path,
                                                                      capsys):
    before = _digest(demo_copy)
    header, rows = _plan(demo_copy, tmp_path / "plan.csv", "--start", "2027-01-04")
    assert header == COLUMNS
    assert rows and min(r["start"] for r in rows) == "2027-01-04"
    first_step = min(int(r["step"]) for r in rows)
    assert min(r["start"] for r in rows if int(r["step"]) == first_step) == "2027-01-04"
    assert all(r["source"].count(":") == 1 and r["owner"] for r in rows)
    assert "from 2027-01-04" in capsys.readouterr().out
    assert _digest(demo_copy) == before  # nothing saved


def test_without_start_the_proposal_continues_the_stored_plan(demo_copy, tmp_path):
    with Project.open(demo_copy) as project:
        plan = current_plan(project)
        assert plan is not None and plan.start_date is not None
        stored_steps = {a.step for a in project.plans.actions(plan.id)}
    assert min(stored_steps) == 1  # the demo's plan holds step-1 actions
    before = _digest(demo_copy)
    header, rows = _plan(demo_copy, tmp_path / "plan.csv")
    assert header == COLUMNS
    step_2 = [r["start"] for r in rows if r["step"] == "2"]
    # step 2's window follows the stored plan's step-1 window
    assert min(step_2) == (plan.start_date + dt.timedelta(days=100)).isoformat()
    assert _digest(demo_copy) == before


def test_start_neither_keeps_nor_excludes_the_stored_actions_and_gates(demo_copy, tmp_path,
                                                                        capsys):
    with Project.open(demo_copy) as project:
        taken = propose_for_project(project).actions[0]
        plan_id = accept_proposal(project, propose_for_project(project), [taken])
        project.plans.record_gate(plan_id, 1, "stop", dt.date(2026, 12, 1),
                                  decided_by="Steering board", snapshot={})
    before = _digest(demo_copy)

    _, continued = _plan(demo_copy, tmp_path / "continued.csv")
    assert continued == []  # the stored step-1 gate stopped the engagement
    assert "to stop there" in capsys.readouterr().out

    _, fresh = _plan(demo_copy, tmp_path / "fresh.csv", "--start", "2027-01-04")
    assert taken.library_id in {r["action_id"] for r in fresh}
    assert min(r["start"] for r in fresh) == "2027-01-04"
    assert _digest(demo_copy) == before
