"""Gaps -> proposed plan: choice of actions, 100-day windows, dependencies, stable ids."""

from __future__ import annotations

import datetime as dt
import math

from workbench.core.plan.builder import (
    STATUSES,
    WINDOW_DAYS,
    Gap,
    actions_for_gap,
    propose_plan,
    step_window,
)
from workbench.core.plan.library import ActionLibrary, load_library

START = dt.date(2025, 3, 3)
GAPS = [
    Gap("roles_responsibilities", mean=0.8, shortfall=2.2, rank=1, step=2),
    Gap("collaborative_work_processes", mean=1.6, shortfall=1.4, rank=2, step=1),
    Gap("leaders", mean=2.5, shortfall=0.5, rank=3),
    Gap("working_climate", mean=0.5, shortfall=2.5, rank=4, step=4),  # above the target
]


def test_each_gap_gets_actions_of_its_own_area_by_size():
    library = load_library()
    plan = propose_plan(GAPS, library, target_step=2, start_date=START)
    by_source = {a.source: a for a in plan}
    for gap in GAPS[:3]:
        expected = library.for_area(gap.key, gap.step)[: actions_for_gap(gap)]
        assert len(expected) == min(math.ceil(gap.shortfall), 3, len(expected))
        for template in expected:
            assert template.id in by_source
            assert by_source[template.id].foundation == gap.key
    assert not any(a.step == 4 for a in plan)  # gaps above the target step are left out


def test_actions_sit_inside_their_step_window_after_their_dependencies():
    plan = propose_plan(GAPS, load_library(), target_step=2, start_date=START)
    by_uid = {a.uid: a for a in plan}
    first_step = 1
    for action in plan:
        begin, end = step_window(START, action.step, first_step)
        assert begin <= action.start <= action.due <= end
        for dep in action.depends_on:
            assert by_uid[dep].due < action.start
        assert action.status == STATUSES[0]
    assert step_window(START, 2, 1) == (START + dt.timedelta(days=WINDOW_DAYS),
                                        START + dt.timedelta(days=2 * WINDOW_DAYS - 1))
    # the design-question gap goes into the first window
    assert {a.step for a in plan if a.foundation == "leaders"} == {1}


def test_prerequisites_are_added_and_noted():
    library = load_library()
    gap = Gap("collaborative_work_processes", mean=2.0, shortfall=1.0, rank=1, step=1)
    plan = propose_plan([gap], library, target_step=1, start_date=START)
    chosen = library.for_area(gap.key, 1)[0]
    assert chosen.depends_on  # S1-CWP-1 needs the network map first
    sources = [a.source for a in plan]
    for dep in chosen.depends_on:
        assert dep in sources
        assert "prerequisite" in next(a.notes for a in plan if a.source == dep)


def test_uids_are_stable_and_unique_and_owners_come_from_the_roster():
    library = load_library()
    owners = {"Executive sponsor": "Dana Kim"}
    one = propose_plan(GAPS, library, target_step=2, start_date=START, roster_owners=owners)
    two = propose_plan(list(reversed(GAPS)), library, target_step=2,
                       start_date=START + dt.timedelta(days=7))
    assert {a.source: a.uid for a in one} == {a.source: a.uid for a in two}
    assert len({a.uid for a in one}) == len(one)
    for action in one:
        role = library.by_id(action.source).owner_role
        assert action.owner == owners.get(role, role)


def test_overlong_chain_is_cut_at_the_window_end_with_a_note():
    base = load_library()
    data = base.model_dump()
    first, second = data["actions"][0], data["actions"][1]  # S1-COM-2 depends on S1-COM-1
    first["duration_days"], second["duration_days"] = 60, 60
    library = ActionLibrary.model_validate(data)
    gap = Gap("communication_systems", mean=1.0, shortfall=2.0, rank=1, step=1)
    plan = propose_plan([gap], library, target_step=1, start_date=START)
    late = next(a for a in plan if a.source == second["id"])
    assert late.due == step_window(START, 1, 1)[1]
    assert late.start == START + dt.timedelta(days=60)
    assert "cut" in late.notes
