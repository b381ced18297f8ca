"""Plan changes on an open project: proposals from gaps, custom actions, workbook edits.

Each function that writes does so as one undoable edit through the plan service.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError
from workbench.core.plan.builder import (
    WINDOW_DAYS,
    Gap,
    PlanAction,
    propose_plan,
    step_window,
)
from workbench.core.services.plans import Action, PlanInfo
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.model import Person
    from workbench.core.plan.library import ActionLibrary
    from workbench.core.project import Project
    from workbench.core.report.plan_reader import PlanImport

DEFAULT_PLAN_NAME = "100-day plan"


@dataclass(frozen=True)
class Proposal:
    """Actions proposed for the ranked ``gaps``, scheduled from ``start_date``."""

    gaps: list[Gap]
    actions: list[PlanAction]
    target_step: int
    start_date: dt.date
    rated: bool = True  # False: no leader has rated the maturity ladder yet, so no gaps


def current_plan(project: Project) -> PlanInfo | None:
    """The engagement's plan (the first one), or None before any plan exists."""
    plans = project.plans.plans()
    return plans[0] if plans else None


def plan_start_date(project: Project) -> dt.date:
    """Where a new proposal starts: the plan's start, else the engagement's, else today."""
    plan = current_plan(project)
    if plan is not None and plan.start_date is not None:
        return plan.start_date
    return project.engagement.get().start_date or dt.date.today()


def owners_by_role(people: Iterable[Person]) -> dict[str, str]:
    """Role -> name for roles exactly one person of the roster holds (others stay roles)."""
    people = list(people)
    counts = Counter(p.role for p in people if p.role)
    return {p.role: p.name or p.id for p in people if p.role and counts[p.role] == 1}


def propose_for_project(project: Project, target_step: int | None = None,
                        start_date: dt.date | None = None,
                        library: ActionLibrary | None = None) -> Proposal:
    """Library actions for the project's gaps up to ``target_step`` (default: the engagement's).

    Actions already in the plan (same library action) are left out of the proposal.
    """
    from workbench.core.plan.project_library import project_library
    from workbench.core.report.assemble import MATURITY_TEMPLATE, latest_round, project_gaps

    step = target_step or project.engagement.get().target_step
    start = start_date or plan_start_date(project)
    gaps = project_gaps(project, step)
    plan = current_plan(project)
    stored = project.plans.actions(plan.id) if plan else []
    # The builder's first window is the lowest gap step; keep the plan's own windows instead.
    gap_first = min((g.step for g in gaps if g.step is not None and g.step <= step),
                    default=step)
    plan_first = min(first_step(stored), gap_first) if stored else gap_first
    shifted = start + dt.timedelta(days=(gap_first - plan_first) * WINDOW_DAYS)
    actions = propose_plan(gaps, library or project_library(project), step, shifted,
                           owners_by_role(project.people.list()))
    existing = {a.uid for a in stored}
    ladder = latest_round(project, MATURITY_TEMPLATE)
    rated = ladder is not None and any(value is not None for given in ladder.answers.values()
                                       for value in given.values())
    return Proposal(gaps, [a for a in actions if a.uid not in existing], step, start, rated)


def stored_action(action: PlanAction) -> Action:
    """A proposed action in the form the plan service stores."""
    return Action(uid=action.uid, title=action.title, step=action.step,
                  foundation=action.foundation, owner=action.owner, start=action.start,
                  due=action.due, status=action.status, measure=action.measure,
                  evidence=action.evidence, depends_on=", ".join(action.depends_on),
                  notes=action.notes, source=action.source)


def accept_proposal(project: Project, proposal: Proposal,
                    accepted: Sequence[PlanAction] | None = None) -> int:
    """Store the accepted actions (default: all) as one undoable edit; returns the plan id.

    The plan is created when there is none. Dependencies on actions that were not accepted
    and are not in the plan are dropped, and the notes say which ones.
    """
    chosen = list(proposal.actions if accepted is None else accepted)
    if not chosen:
        raise WorkbenchError("No actions were chosen.")
    plan = current_plan(project)
    known = {a.uid for a in project.plans.actions(plan.id)} if plan else set()
    known |= {a.uid for a in chosen}
    actions = [stored_action(_without_missing_dependencies(a, known)) for a in chosen]
    label = f"Add {count(len(actions), 'proposed action')}"
    if plan is None:
        return project.plans.create_plan(DEFAULT_PLAN_NAME, proposal.target_step,
                                         proposal.start_date, actions, label)
    project.plans.add_actions(plan.id, actions, label)
    return plan.id


def _without_missing_dependencies(action: PlanAction, known: set[str]) -> PlanAction:
    missing = [d for d in action.depends_on if d not in known]
    if not missing:
        return action
    note = f"Depends on {', '.join(missing)}, which was not added to the plan."
    return replace(action, depends_on=tuple(d for d in action.depends_on if d in known),
                   notes=" ".join(filter(None, [action.notes, note])))


def first_step(actions: Iterable[Action | PlanAction]) -> int:
    """The lowest step of a plan's actions: its first 100-day window (1 when empty)."""
    return min((a.step for a in actions if a.step), default=1)


def window_of(project: Project, step: int) -> tuple[dt.date, dt.date] | None:
    """The 100-day window of ``step`` in the current plan (None without a plan start)."""
    plan = current_plan(project)
    if plan is None or plan.start_date is None:
        return None
    first = first_step(project.plans.actions(plan.id))
    return step_window(plan.start_date, step, min(first, step))


def add_custom_action(project: Project, title: str, step: int, **fields: Any) -> str:
    """Add an action the user wrote; dates default to the step's window. Returns its id."""
    if not title.strip():
        raise WorkbenchError("An action needs a title.")
    if not 1 <= step <= 5:
        raise WorkbenchError("The step must be between 1 and 5.")
    window = window_of(project, step)
    if window is None:
        begin = plan_start_date(project)
        window = step_window(begin, step, step)
    values = {"start": window[0], "due": window[1], **fields}
    action = Action(uid=project.plans.next_uid(), title=title.strip(), step=step,
                    source="custom", **values)
    plan = current_plan(project)
    label = f"Add action {action.title[:40]}"
    if plan is None:
        target = project.engagement.get().target_step
        project.plans.create_plan(DEFAULT_PLAN_NAME, target, window[0], [action], label)
    else:
        project.plans.add_actions(plan.id, [action], label)
    return action.uid


def report_actions(project: Project) -> list[PlanAction]:
    """The current plan's actions as the report and the workbook reader see them (owners and
    names in texts as the project's privacy shows them, so an untouched cell reads back as
    unchanged)."""
    from workbench.core.privacy import shown_people
    from workbench.core.report.assemble import plan_action, shown_action

    plan = current_plan(project)
    if plan is None:
        return []
    shown = shown_people(project)
    return [shown_action(plan_action(a, plan.start_date), shown)
            for a in project.plans.actions(plan.id)]


def read_plan_edits(project: Project, path: str | Path) -> PlanImport:
    """Compare an edited plan workbook with the project's plan (nothing is changed)."""
    from workbench.core.report.plan_reader import read_plan_workbook

    return read_plan_workbook(path, project.engagement.uuid(), report_actions(project))


def apply_plan_import(project: Project, edits: PlanImport) -> int:
    """Apply the changes of a read workbook as one undoable edit; returns how many."""
    if not edits.changes:
        return 0
    updates: dict[str, dict[str, Any]] = defaultdict(dict)
    for change in edits.changes:
        updates[change.action_id][change.field] = change.new
    project.plans.update_actions(
        updates, f"Import plan edits ({count(len(edits.changes), 'change')})")
    return len(edits.changes)
