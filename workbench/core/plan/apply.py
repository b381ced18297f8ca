"""Plan changes on an open project: proposals from gaps, custom actions, workbook edits.

Each function that writes does so as one undoable edit through the plan service. Proposals
follow the scheduling rule of :mod:`workbench.core.plan.builder`, with the project's schedule
rules (setting ``plan.schedule``), confirmed owners (setting ``plan.owners``) and step gates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError
from workbench.core.method.gaps import Gap
from workbench.core.plan.builder import (
    DEFAULT_RULES,
    PlanAction,
    ScheduleRules,
    Windows,
    first_planned_step,
    plan_windows,
    propose_plan,
    step_window,
)
from workbench.core.services.plans import Action, PlanInfo
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.plan.library import ActionLibrary
    from workbench.core.privacy import ShownPeople
    from workbench.core.project import Project
    from workbench.core.report.plan_reader import PlanImport

DEFAULT_PLAN_NAME = "100-day plan"
SCHEDULE_SETTING = "plan.schedule"
OPEN_OWNER = "(open)"
BASELINE_DAYS = 14  # an unknown baseline is measured in the first two weeks
_SEQUENCE_UID = re.compile(r"A-(\d{4,7})")  # the plans' sequence ids, not 8-digit hash ids


@dataclass(frozen=True)
class Proposal:
    """Actions proposed for the ranked ``gaps``, scheduled from ``start_date``.

    ``stage`` is the stage reached; ``open_roles`` the owner roles of the actions nobody is
    confirmed for yet; ``stopped_after`` the step a gate stopped the engagement at (nothing
    is proposed after it); ``notes`` plain sentences about what the proposal could not do.
    ``existing`` maps the uids of actions already in the plan to their library ids.
    """

    gaps: list[Gap]
    actions: list[PlanAction]
    target_step: int
    start_date: dt.date
    rated: bool = True  # False: no leader has rated the maturity ladder yet
    stage: int = 0
    open_roles: tuple[str, ...] = ()
    stopped_after: int | None = None
    notes: tuple[str, ...] = ()
    existing: Mapping[str, str] = field(default_factory=dict)


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


# -- schedule rules ----------------------------------------------------------------------------

def schedule_rules(project: Project) -> ScheduleRules:
    """The project's schedule rules (setting ``plan.schedule``; defaults where not set)."""
    stored = project.settings.get(SCHEDULE_SETTING)
    if not isinstance(stored, Mapping):
        return DEFAULT_RULES
    values = {}
    for name, low, high in (("max_starts", 1, 50), ("period_days", 1, 100)):
        value = stored.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            values[name] = value
    return replace(DEFAULT_RULES, **values)


def save_schedule_rules(project: Project, rules: ScheduleRules,
                        label: str = "Change the schedule rules") -> None:
    """Store the schedule rules as one undoable edit (1..50 starts per 1..100 days)."""
    if not 1 <= rules.max_starts <= 50:
        raise WorkbenchError("Starts per owner must be between 1 and 50.")
    if not 1 <= rules.period_days <= 100:
        raise WorkbenchError("The period must be between 1 and 100 days.")
    project.settings.set(SCHEDULE_SETTING, {"max_starts": rules.max_starts,
                                            "period_days": rules.period_days}, label)


# -- proposals ---------------------------------------------------------------------------------

def propose_for_project(project: Project, target_step: int | None = None,
                        start_date: dt.date | None = None,
                        library: ActionLibrary | None = None, *,
                        fresh: bool = False) -> Proposal:
    """Library actions for the project's gaps, step by step up to ``target_step`` (default:
    the engagement's target step), from ``start_date`` (default: :func:`plan_start_date`).

    By default the proposal continues the stored plan: its windows keep the plan's first step
    and the gates already decided, actions already in the plan (same library action) are not
    proposed again, and their dates count for dependencies and owners' starts. ``fresh=True``
    ignores the stored plan and its gates: a new plan from the gaps, whose first planned step's
    window starts on the start date. Owners are the people confirmed for the roles
    (:mod:`workbench.core.plan.owners`); the rest stay open.
    """
    from workbench.core.method.gaps import project_gaps
    from workbench.core.method.rounds import ladder_round
    from workbench.core.method.target import target_step as find_target
    from workbench.core.plan.owners import assigned_names, open_roles
    from workbench.core.plan.project_library import project_library

    found = find_target(project)
    step = target_step or found.step
    stage = found.stage
    start = start_date or plan_start_date(project)
    gaps = project_gaps(project, step)
    plan = None if fresh else current_plan(project)
    stored = project.plans.actions(plan.id) if plan else []
    gates = project.plans.gates(plan.id) if plan else {}
    first = first_planned_step(gaps, step, stage)
    anchor = min(first_step(stored), first) if stored else first
    library = library or project_library(project)
    fixed = [planned_action(a, start) for a in stored]
    actions = propose_plan(gaps, library, step, start, stage=stage,
                           owners=assigned_names(project), rules=schedule_rules(project),
                           gates=gates, anchor_step=anchor, fixed=fixed)
    actions = numbered(actions, next_uids(project, len(actions)))
    windows = plan_windows(start, anchor, step, gates)
    ladder = ladder_round(project)
    rated = ladder is not None and any(value is not None for given in ladder.answers.values()
                                       for value in given.values())
    roles = tuple(open_roles(project, actions))
    notes = _notes(gaps, library, windows, roles, step, stage)
    return Proposal(gaps, actions, step, start, rated, stage, roles, windows.stopped_after,
                    tuple(notes), {a.uid: a.library_id for a in stored})


def _notes(gaps: list[Gap], library: ActionLibrary, windows: Windows, roles: tuple[str, ...],
           target: int, stage: int) -> list[str]:
    notes = []
    if stage >= target:
        notes.append(f"Stage {stage} already reaches target step {target}: only items outside "
                     "the ladder still have gaps.")
    stopped = windows.stopped_after
    if stopped is not None:
        gate = windows.by_step[stopped][-1].gate
        notes.append(f"The step {stopped} gate decided on {gate:%Y-%m-%d} to stop there: "
                     f"nothing is planned after step {stopped}.")
    unserved = [g.label or g.source for g in gaps if not library.serving(g.source)]
    if unserved:
        notes.append("No library action serves " + ", ".join(unserved) + ".")
    if roles:
        notes.append("Nobody is confirmed yet for " + ", ".join(roles) + ".")
    return notes


def plan_rows(proposal: Proposal, shown: ShownPeople | None = None) -> list[dict[str, Any]]:
    """One row per proposed action with the columns of ``workbench plan`` (library ids for
    ``action_id`` and ``depends_on``, ";"-separated; owner "(open)" while nobody is
    confirmed; an unknown baseline says by when to measure it). ``shown`` applies the
    project's privacy to owners and texts."""
    library_ids = {**proposal.existing, **{a.uid: a.library_id for a in proposal.actions}}
    rows = []
    for a in proposal.actions:
        owner = a.owner if shown is None else shown.owner(a.owner)
        title = a.title if shown is None else shown.scrub(a.title)
        baseline: Any = a.baseline
        if baseline is None:
            by = a.start + dt.timedelta(days=BASELINE_DAYS - 1)
            baseline = f"measure by {by:%Y-%m-%d}"
        rows.append({
            "action_id": a.library_id or a.uid, "step": a.step, "source": a.source,
            "title": title, "owner_role": a.owner_role, "owner": owner or OPEN_OWNER,
            "start": a.start, "due": a.due,
            "depends_on": ";".join(library_ids.get(d) or d for d in a.depends_on),
            "measure": a.measure, "baseline": baseline, "target": a.target, "unit": a.unit,
            "flag": a.flag,
        })
    return rows


def stored_action(action: PlanAction) -> Action:
    """A proposed action in the form the plan service stores."""
    return Action(uid=action.uid, title=action.title, step=action.step, kind=action.kind,
                  library_id=action.library_id, source=action.source,
                  owner_role=action.owner_role, owner=action.owner, start=action.start,
                  due=action.due, status=action.status, measure=action.measure,
                  unit=action.unit, baseline=action.baseline, target=action.target,
                  data_source=action.data_source, evidence=action.evidence,
                  depends_on=", ".join(action.depends_on), notes=action.notes,
                  flag=action.flag)


def planned_action(action: Action, fallback_start: dt.date | None = None) -> PlanAction:
    """A stored action as a :class:`PlanAction` (missing dates: ``fallback_start``)."""
    start = action.start or fallback_start or dt.date.today()
    return PlanAction(
        uid=action.uid, title=action.title, step=action.step or 1, start=start,
        due=action.due or start, kind=action.kind, library_id=action.library_id,
        source=action.source, owner_role=action.owner_role, owner=action.owner,
        status=action.status, measure=action.measure, unit=action.unit,
        baseline=action.baseline, target=action.target, data_source=action.data_source,
        evidence=action.evidence,
        depends_on=tuple(d.strip() for d in action.depends_on.split(",") if d.strip()),
        notes=action.notes, flag=action.flag)


def next_uids(project: Project, n: int) -> list[str]:
    """``n`` ids in the plans' own sequence ("A-0007", "A-0008"...), continuing after the
    highest stored one (an old 8-character hash id does not count) and skipping any taken."""
    taken = {a.uid for plan in project.plans.plans() for a in project.plans.actions(plan.id)}
    number = max((int(m.group(1)) for uid in taken if (m := _SEQUENCE_UID.fullmatch(uid))),
                 default=0)
    uids: list[str] = []
    while len(uids) < n:
        number += 1
        if (uid := f"A-{number:04d}") not in taken:
            uids.append(uid)
    return uids


def numbered(actions: Sequence[PlanAction], uids: Sequence[str]) -> list[PlanAction]:
    """``actions`` with the ``uids`` given in order, their dependencies on one another
    following them (dependencies on other actions are kept)."""
    new = {a.uid: uid for a, uid in zip(actions, uids, strict=True)}
    return [replace(a, uid=new[a.uid], depends_on=tuple(new.get(d, d) for d in a.depends_on))
            for a in actions]


def accept_proposal(project: Project, proposal: Proposal,
                    accepted: Sequence[PlanAction] | None = None) -> int:
    """Store the accepted actions (default: all) as one undoable edit; returns the plan id.

    The plan is created when there is none. Actions whose library action is already in the
    plan are skipped. The others get the next ids of the plan's sequence, in the order given
    ("A-0009", "A-0010"...), and their dependencies follow. Dependencies on actions that were
    not accepted and are not in the plan are dropped, and the notes say which ones.
    """
    chosen = list(proposal.actions if accepted is None else accepted)
    plan = current_plan(project)
    stored = project.plans.actions(plan.id) if plan else []
    in_plan = {a.library_id for a in stored if a.library_id}
    chosen = [a for a in chosen if not a.library_id or a.library_id not in in_plan]
    if not chosen:
        raise WorkbenchError("No actions were chosen.")
    proposed = {a.uid: a for a in proposal.actions}
    # a dependency holds on a chosen action, or on a stored one (never on a proposed action
    # left out, even if a stored action took its proposal id meanwhile)
    known = {a.uid for a in chosen} | ({a.uid for a in stored} - proposed.keys())
    chosen = numbered([_without_missing_dependencies(a, known, proposed) for a in chosen],
                      next_uids(project, len(chosen)))
    actions = [stored_action(a) for a in chosen]
    label = f"Add {count(len(actions), 'proposed action')}"
    if plan is None:
        return project.plans.create_plan(DEFAULT_PLAN_NAME, proposal.target_step,
                                         proposal.start_date, actions, label)
    project.plans.add_actions(plan.id, actions, label)
    return plan.id


def _without_missing_dependencies(action: PlanAction, known: set[str],
                                  proposed: Mapping[str, PlanAction]) -> PlanAction:
    """``action`` without its dependencies outside ``known``; its notes name them by
    library id and title (their proposal ids are not kept)."""
    missing = [d for d in action.depends_on if d not in known]
    if not missing:
        return action
    named = [f"{p.library_id or p.uid} '{p.title}'" if (p := proposed.get(d)) else d
             for d in missing]
    verb = "was" if len(named) == 1 else "were"
    note = f"Depends on {', '.join(named)}, which {verb} not added to the plan."
    return replace(action, depends_on=tuple(d for d in action.depends_on if d in known),
                   notes=" ".join(filter(None, [action.notes, note])))


def first_step(actions: Iterable[Action | PlanAction]) -> int:
    """The lowest step of a plan's actions: its first 100-day window (1 when empty)."""
    return min((a.step for a in actions if a.step), default=1)


def window_of(project: Project, step: int) -> tuple[dt.date, dt.date] | None:
    """The current window of ``step`` in the current plan (after the gates decided so far;
    the repeat window of a repeated step), None without a plan start."""
    plan = current_plan(project)
    if plan is None or plan.start_date is None:
        return None
    first = min(first_step(project.plans.actions(plan.id)), step)
    window = plan_windows(plan.start_date, first, step, project.plans.gates(plan.id)
                          ).current(step)
    if window is None:  # after a stop: where the window would be had the plan gone on
        return step_window(plan.start_date, step, first)
    return window.begin, window.end


def add_custom_action(project: Project, title: str, step: int, **fields: Any) -> str:
    """Add an action the user wrote (no library action; ``source`` may name the item it
    serves); dates default to the step's current window. Returns its id."""
    if not title.strip():
        raise WorkbenchError("An action needs a title.")
    if not 1 <= step <= 5:
        raise WorkbenchError("The step must be between 1 and 5.")
    window = window_of(project, step)
    if window is None:
        begin = plan_start_date(project)
        window = step_window(begin, step, step)
    values = {"start": window[0], "due": window[1], **fields}
    action = Action(uid=project.plans.next_uid(), title=title.strip(), step=step, **values)
    plan = current_plan(project)
    label = f"Add action {action.title[:40]}"
    if plan is None:
        from workbench.core.method.target import engagement_step

        target = engagement_step(project)
        project.plans.create_plan(DEFAULT_PLAN_NAME, target, window[0], [action], label)
    else:
        project.plans.add_actions(plan.id, [action], label)
    return action.uid


def report_actions(project: Project) -> list[PlanAction]:
    """The current plan's actions as the report and the workbook reader see them (owners and
    names in texts as the project's privacy shows them, so an untouched cell reads back as
    unchanged)."""
    from workbench.core.privacy import shown_people
    from workbench.core.report.assemble import shown_action

    plan = current_plan(project)
    if plan is None:
        return []
    shown = shown_people(project)
    return [shown_action(planned_action(a, plan.start_date), shown)
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
