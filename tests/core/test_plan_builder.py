"""Gaps -> proposed plan: which actions, step windows and gates, staggered starts, never cut.

Every test builds its own small library (format 2), so the built-in one can change freely.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from workbench.core.method.gaps import Gap
from workbench.core.plan.builder import (
    MAX_STARTS_PER_DAY,
    WINDOW_DAYS,
    PlanAction,
    ScheduleRules,
    action_uid,
    actions_for_gap,
    plan_windows,
    propose_plan,
    step_window,
)
from workbench.core.plan.gates import STATUSES, GateDecision
from workbench.core.plan.library import ActionLibrary

START = dt.date(2025, 3, 3)
DAY = dt.timedelta(days=1)
SERVICE, SPONSOR, HR = "Head of service", "Executive sponsor", "HR business partner"


def cell(step: int, foundation: str = "information_sharing") -> str:
    return f"maturity_ladder:s{step}_{foundation}"


def action(id: str, step: int, serves: str | list[str], *, kind: str = "practice",
           owner: str = SERVICE, days: int = 20, depends_on: tuple[str, ...] = ()) -> dict:
    return {
        "id": id, "title": f"Run the {id} change with the teams concerned",
        "purpose": "Moves the item it serves towards the bar.", "kind": kind, "step": step,
        "applies_to": [serves] if isinstance(serves, str) else serves, "owner_role": owner,
        "effort": "M", "duration_days": days,
        "measure": f"Share of customer cases resolved without a hand-off ({id})", "unit": "%",
        "baseline": None, "target": 40, "data_source": "Case log of the service desk",
        "evidence": "Customers describe one conversation instead of several.",
        "depends_on": list(depends_on),
    }


def library(*actions: dict) -> ActionLibrary:
    return ActionLibrary.model_validate({"format_version": 2, "actions": list(actions)})


def gap(source: str, shortfall: float, step: int | None = None, rank: int = 0) -> Gap:
    return Gap(source, source, step, 3.0 - shortfall, shortfall, rank=rank)


def by_id(plan: list[PlanAction]) -> dict[str, PlanAction]:
    return {a.library_id: a for a in plan}


def test_each_gap_gets_one_action_per_full_point_of_shortfall_in_library_order():
    lib = library(*(action(f"S1-INF-{i}", 1, cell(1), owner=r, days=10)
                    for i, r in enumerate((SERVICE, SPONSOR, HR, SERVICE), start=1)))
    for shortfall, expected in ((0.4, 1), (1.0, 1), (1.9, 1), (2.0, 2), (2.7, 2), (3.0, 3),
                                (4.0, 3)):
        g = gap(cell(1), shortfall, 1)
        assert actions_for_gap(g) == expected
        plan = propose_plan([g], lib, 1, START)
        assert sorted(by_id(plan)) == [f"S1-INF-{i}" for i in range(1, expected + 1)]
        assert {a.source for a in plan} == {cell(1)}
        assert all(a.status == STATUSES[0] and a.step == 1 for a in plan)


def test_no_action_is_truncated_to_fit_and_an_overrun_is_flagged_with_the_choices():
    lib = library(action("S1-INF-1", 1, cell(1), days=60),
                  action("S1-INF-2", 1, cell(1), days=60, depends_on=("S1-INF-1",)),
                  action("S1-INF-3", 1, cell(1), days=100, owner=SPONSOR))
    plan = propose_plan([gap(cell(1), 3.0, 1)], lib, 1, START)
    durations = {a.id: a.duration_days for a in lib.actions}
    assert len(plan) == 3
    for a in plan:
        assert (a.due - a.start).days + 1 == durations[a.library_id]  # never cut
    first, second = by_id(plan)["S1-INF-1"], by_id(plan)["S1-INF-2"]
    assert second.start == first.due + DAY
    window_end = step_window(START, 1, 1)[1]
    assert second.due == window_end + 20 * DAY
    assert second.flag == ("Ends 20 days after the step 1 window: extend the window, split the "
                           "action, or move it to the next window.")
    assert first.flag == "" and by_id(plan)["S1-INF-3"].flag == ""  # 100 days fit exactly


def test_per_owner_start_cap_staggers_starts():
    lib = library(*(action(f"S1-INF-{i}", 1, cell(1), days=5) for i in range(1, 4)),
                  *(action(f"S1-COM-{i}", 1, cell(1, "communication_systems"), days=5)
                    for i in range(1, 4)),
                  action("S1-WC-1", 1, cell(1, "working_climate"), owner=SPONSOR, days=5))
    gaps = [gap(cell(1), 3.0, 1), gap(cell(1, "communication_systems"), 3.0, 1),
            gap(cell(1, "working_climate"), 1.0, 1)]
    plan = propose_plan(gaps, lib, 1, START)
    service = sorted(a.start for a in plan if a.owner_role == SERVICE)
    offsets = [(d - START).days for d in service]
    assert offsets == [0, 0, 14, 14, 28, 28]  # two per fortnight, the rest moved on
    assert by_id(plan)["S1-WC-1"].start == START  # another owner is not held back
    tight = propose_plan(gaps, lib, 1, START, rules=ScheduleRules(max_starts=1, period_days=7))
    offsets = sorted((a.start - START).days for a in tight if a.owner_role == SERVICE)
    assert offsets == [0, 7, 14, 21, 28, 35]
    for rules in (ScheduleRules(), ScheduleRules(3, 10)):
        starts = Counter((a.owner_role, (a.start - START).days // rules.period_days)
                         for a in propose_plan(gaps, lib, 1, START, rules=rules))
        assert max(starts.values()) <= rules.max_starts


def test_no_more_than_a_few_actions_start_on_one_day():
    owners = (SERVICE, SPONSOR, HR, "Head of sales", "Finance partner")
    foundations = ("information_sharing", "communication_systems", "working_climate",
                   "performance_measures")
    lib = library(*(action(f"S1-{f[:3].upper()}-{i}", 1, cell(1, f), owner=owners[(3 * n + i) % 5],
                           days=10)
                    for n, f in enumerate(foundations) for i in range(3)))
    gaps = [gap(cell(1, f), 3.0, 1) for f in foundations]
    plan = propose_plan(gaps, lib, 1, START, rules=ScheduleRules(max_starts=5, period_days=14))
    per_day = Counter(a.start for a in plan)
    assert len(plan) == 12  # no owner cap holds them back: only the daily limit staggers them
    assert max(per_day.values()) == MAX_STARTS_PER_DAY
    assert sorted(per_day) == [START + k * DAY for k in range(4)]


def test_design_comes_before_structure_within_a_step():
    lib = library(
        action("S2-ROL-1", 2, cell(2, "roles_responsibilities"), kind="structure", owner=HR,
               days=10),
        action("S2-ROL-2", 2, cell(2, "roles_responsibilities"), kind="practice", days=10),
        action("DQ-CUS-1", 2, "org_design:customers_offer_current", kind="design",
               owner=SPONSOR, days=30),
        action("DQ-LEA-1", 1, "org_design:leaders_current", kind="design", owner=SPONSOR,
               days=45),
    )
    gaps = [gap(cell(2, "roles_responsibilities"), 2.0, 2, rank=1),
            gap("org_design:customers_offer_current", 1.0, rank=2),
            gap("org_design:leaders_current", 1.0, rank=3)]
    plan = by_id(propose_plan(gaps, lib, 2, START, stage=1))
    begin, end = step_window(START, 2, 2)
    assert {a.step for a in plan.values()} == {2}  # design groundwork goes into step 2 too
    designs = [plan["DQ-CUS-1"], plan["DQ-LEA-1"]]
    assert all(d.start == begin for d in designs)  # same owner, two starts allowed
    assert plan["S2-ROL-1"].start == max(d.due for d in designs) + DAY
    assert plan["S2-ROL-2"].start == begin  # practice need not wait
    assert plan["S2-ROL-1"].kind == "structure" and plan["DQ-CUS-1"].kind == "design"


def test_gaps_of_steps_2_to_4_from_stage_1_to_target_5_get_windows_in_order():
    lib = library(*(action(f"S{s}-INF-1", s, cell(s), days=30, owner=o)
                    for s, o in ((2, SERVICE), (3, SPONSOR), (4, HR), (5, SERVICE))))
    gaps = [gap(cell(4), 2.0, 4, rank=1), gap(cell(2), 1.0, 2, rank=3),
            gap(cell(3), 1.5, 3, rank=2)]
    plan = propose_plan(gaps, lib, 5, START, stage=1)
    assert [a.library_id for a in plan] == ["S2-INF-1", "S3-INF-1", "S4-INF-1"]
    for a in plan:
        begin, end = step_window(START, a.step, 2)
        assert a.start == begin and a.due <= end
    assert [a.start for a in plan] == [START + k * WINDOW_DAYS * DAY for k in range(3)]
    # without a stage the lowest gap step opens the plan; a target below leaves the rest out
    assert [a.step for a in propose_plan(gaps, lib, 3, START)] == [2, 3]
    assert propose_plan(gaps, lib, 3, START)[0].start == START


def test_prerequisites_are_added_in_their_own_window_but_never_before_the_first_step():
    lib = library(action("S1-INF-1", 1, cell(1), days=10),
                  action("S2-INF-1", 2, cell(2), days=10, depends_on=("S1-INF-1",)),
                  action("S3-INF-1", 3, cell(3), days=10, depends_on=("S2-INF-1",)))
    plan = by_id(propose_plan([gap(cell(3), 1.0, 3)], lib, 3, START, stage=1))
    assert set(plan) == {"S1-INF-1", "S2-INF-1", "S3-INF-1"}
    assert (plan["S1-INF-1"].step, plan["S2-INF-1"].step, plan["S3-INF-1"].step) == (2, 2, 3)
    assert plan["S2-INF-1"].start == plan["S1-INF-1"].due + DAY
    assert plan["S3-INF-1"].depends_on == (plan["S2-INF-1"].uid,)
    assert "prerequisite" in plan["S2-INF-1"].notes and plan["S3-INF-1"].notes == ""
    assert plan["S1-INF-1"].source == cell(1)  # a prerequisite serves its own first item


def test_items_outside_the_ladder_go_into_their_steps_window_within_the_plan():
    lib = library(action("CCO-1", 3, "org_design:value_agreement", owner=SPONSOR),
                  action("SEG-1", 5, "customer_learning:recognition", owner=HR))
    gaps = [gap("org_design:value_agreement", 1.0), gap("customer_learning:recognition", 1.0)]
    plan = by_id(propose_plan(gaps, lib, 4, START, stage=1))
    assert (plan["CCO-1"].step, plan["SEG-1"].step) == (3, 4)  # min(max(step, 2), 4)
    assert plan["CCO-1"].start == step_window(START, 3, 2)[0]


def test_uids_are_stable_and_owners_come_from_the_role_mapping():
    lib = library(action("S1-INF-1", 1, cell(1)), action("S1-INF-2", 1, cell(1), owner=HR))
    owners = {SERVICE: "Dana Kim"}
    one = propose_plan([gap(cell(1), 2.0, 1)], lib, 1, START, owners=owners)
    two = propose_plan([gap(cell(1), 2.0, 1)], lib, 1, START + 7 * DAY)
    assert {a.library_id: a.uid for a in one} == {a.library_id: a.uid for a in two} == {
        "S1-INF-1": action_uid("S1-INF-1"), "S1-INF-2": action_uid("S1-INF-2")}
    owner_of = {a.owner_role: a.owner for a in one}
    assert owner_of == {SERVICE: "Dana Kim", HR: ""}  # an unmapped role stays open
    first = by_id(one)["S1-INF-1"]
    assert (first.measure, first.unit, first.baseline, first.target, first.data_source) == (
        "Share of customer cases resolved without a hand-off (S1-INF-1)", "%", None, 40.0,
        "Case log of the service desk")


def test_actions_already_planned_are_not_proposed_again_but_count():
    lib = library(action("S1-INF-1", 1, cell(1), days=10),
                  action("S1-INF-2", 1, cell(1), days=10, depends_on=("S1-INF-1",)),
                  action("S1-INF-3", 1, cell(1), days=10))
    fixed = [PlanAction("A-0001", "Stored", 1, START + 5 * DAY, START + 40 * DAY,
                        library_id="S1-INF-1", owner_role=SERVICE),
             PlanAction("A-0002", "Custom", 1, START, START + 3 * DAY, owner_role=SERVICE)]
    plan = by_id(propose_plan([gap(cell(1), 3.0, 1)], lib, 1, START, fixed=fixed))
    assert set(plan) == {"S1-INF-2", "S1-INF-3"}
    assert plan["S1-INF-2"].depends_on == ("A-0001",)
    assert plan["S1-INF-2"].start == START + 41 * DAY
    assert plan["S1-INF-3"].start == START + 14 * DAY  # the stored two hold the first fortnight


def test_an_undecided_gate_is_planned_for_the_windows_last_day():
    windows = plan_windows(START, 1, 3)
    assert [w.step for s in windows.steps for w in windows.by_step[s]] == [1, 2, 3]
    for step in (1, 2, 3):
        (window,) = windows.by_step[step]
        assert (window.begin, window.end) == step_window(START, step, 1)
        assert window.gate == window.end and not window.decided
    assert windows.stopped_after is None


def test_gates_move_repeat_and_stop_the_next_windows():
    lib = library(action("S1-INF-1", 1, cell(1), days=10),
                  action("S2-INF-1", 2, cell(2), days=10),
                  action("S3-INF-1", 3, cell(3), days=10))
    gaps = [gap(cell(1), 1.0, 1), gap(cell(2), 1.0, 2), gap(cell(3), 1.0, 3)]
    late = START + 130 * DAY  # the step 1 gate met a month after its window ended
    plan = by_id(propose_plan(gaps, lib, 3, START,
                              gates={1: GateDecision(1, "continue", late, decided_by="Board")}))
    assert plan["S2-INF-1"].start == late + DAY
    assert plan["S3-INF-1"].start == late + (1 + WINDOW_DAYS) * DAY

    repeat = START + 99 * DAY
    gates = {1: GateDecision(1, "repeat", repeat, decided_by="Board")}
    windows = plan_windows(START, 1, 3, gates)
    assert [w.repeat for w in windows.by_step[1]] == [False, True]
    plan = by_id(propose_plan(gaps, lib, 3, START, gates=gates))
    assert plan["S1-INF-1"].start == repeat + DAY  # the repeated step's actions run again
    assert plan["S2-INF-1"].start == repeat + (1 + WINDOW_DAYS) * DAY

    gates = {1: GateDecision(1, "continue", START + 99 * DAY, decided_by="Board"),
             2: GateDecision(2, "stop", START + 199 * DAY, decided_by="Board")}
    assert plan_windows(START, 1, 3, gates).stopped_after == 2
    plan = by_id(propose_plan(gaps, lib, 3, START, gates=gates))
    assert set(plan) == {"S1-INF-1", "S2-INF-1"}  # nothing after the stop


def test_a_stop_before_the_first_step_to_plan_plans_nothing():
    lib = library(action("S2-INF-1", 2, cell(2)))
    gates = {1: GateDecision(1, "stop", START + 99 * DAY, decided_by="Board")}
    assert propose_plan([gap(cell(2), 1.0, 2)], lib, 2, START, stage=1, gates=gates,
                        anchor_step=1) == []


@pytest.mark.parametrize("target", [1, 2])
def test_gaps_above_the_target_are_left_out(target):
    lib = library(action("S1-INF-1", 1, cell(1)), action("S4-INF-1", 4, cell(4)))
    plan = propose_plan([gap(cell(1), 1.0, 1), gap(cell(4), 2.0, 4)], lib, target, START)
    assert [a.library_id for a in plan] == ["S1-INF-1"]


def test_no_action_is_planned_before_its_owner_role_exists():
    coordinator = "Customer-centricity coordinator"
    lib = library(action("CCO-1", 3, "org_design:value_agreement", owner=coordinator),
                  action("CCO-2", 3, "org_design:value_agreement", owner=SPONSOR,
                         depends_on=("CCO-1",)),
                  action("CCO-3", 2, "org_design:value_agreement", owner=SPONSOR))
    gaps = [gap("org_design:value_agreement", 3.0)]
    early = propose_plan(gaps, lib, 2, START)  # step 3's actions would land in step 2
    assert [a.library_id for a in early] == ["CCO-3"]
    later = by_id(propose_plan(gaps, lib, 3, START, stage=2))
    assert set(later) == {"CCO-1", "CCO-2", "CCO-3"}
    assert later["CCO-1"].owner_role == coordinator and later["CCO-1"].step == 3


def test_without_a_stage_or_ladder_gap_the_plan_starts_at_step_1():
    lib = library(action("DQ-CUS-1", 1, "org_design:customers_offer_current", kind="design"),
                  action("CCO-1", 3, "org_design:value_agreement", owner=SPONSOR))
    gaps = [gap("org_design:customers_offer_current", 1.0), gap("org_design:value_agreement", 1.0)]
    plan = by_id(propose_plan(gaps, lib, 3, START))
    assert (plan["DQ-CUS-1"].step, plan["DQ-CUS-1"].start) == (1, START)
    assert (plan["CCO-1"].step, plan["CCO-1"].start) == (3, step_window(START, 3, 1)[0])
