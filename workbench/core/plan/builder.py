"""From maturity gaps to a proposed plan of actions scheduled in 100-day windows.

Scheduling rule: the plan starts at ``start_date`` with the lowest ladder step that has a gap
(the *first step*). Step ``s`` gets the window ``start_date + (s - first) * 100 days`` up to 99
days later (both ends inclusive), so step after step follows in consecutive 100-day windows.
Design-question actions are organisation-design groundwork and go into the first window.
An action starts at its window start, or the day after the last of its dependencies is due;
it is due ``duration_days - 1`` days after it starts (due dates are inclusive). When it would
overrun its window it is cut to end on the window's last day, and its notes say so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.core.plan.library import ActionLibrary, ActionTemplate
from workbench.core.wording import count

STATUSES = ("Not started", "In progress", "Done", "Blocked", "Dropped")
WINDOW_DAYS = 100
MAX_ACTIONS_PER_GAP = 3


@dataclass(frozen=True)
class Gap:
    """A ladder cell or design question scoring below the bar.

    ``key`` is a micro-foundation key (then ``step`` is the ladder step) or a design-question
    key (``step`` None). ``shortfall`` = bar - mean on the 0..4 scale; ``rank`` 1 = largest gap.
    ``agreed``: the value is the one a workshop agreed on, not the mean of individual ratings.
    """

    key: str
    mean: float
    shortfall: float
    rank: int
    step: int | None = None
    agreed: bool = False


@dataclass(frozen=True)
class PlanAction:
    """One action of a plan; ``foundation`` holds a micro-foundation or design-question key."""

    uid: str
    title: str
    step: int
    foundation: str
    owner: str
    start: dt.date
    due: dt.date
    status: str = "Not started"
    measure: str = ""
    evidence: str = ""
    depends_on: tuple[str, ...] = ()
    notes: str = ""
    source: str = "custom"


def step_window(start_date: dt.date, step: int, first_step: int) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the 100-day window of ``step``."""
    begin = start_date + dt.timedelta(days=(step - first_step) * WINDOW_DAYS)
    return begin, begin + dt.timedelta(days=WINDOW_DAYS - 1)


def action_uid(library_id: str) -> str:
    """Stable plan id of a library action: the same library id always gives the same uid."""
    return "A-" + hashlib.sha1(library_id.encode()).hexdigest()[:8].upper()


def actions_for_gap(gap: Gap, max_per_gap: int = MAX_ACTIONS_PER_GAP) -> int:
    """How many actions a gap gets: one per full scale point of shortfall (1..max_per_gap)."""
    return min(max(math.ceil(gap.shortfall), 1), max_per_gap)


def propose_plan(
    gaps: Iterable[Gap],
    library: ActionLibrary,
    target_step: int,
    start_date: dt.date,
    roster_owners: Mapping[str, str] | None = None,
    max_per_gap: int = MAX_ACTIONS_PER_GAP,
) -> list[PlanAction]:
    """Pick library actions for the largest gaps first and schedule them (see module notes).

    Gaps on steps above ``target_step`` are left out. A picked action's library dependencies
    are added before it (noted as prerequisites). ``roster_owners`` maps an owner role to a
    person; roles without a person stay as the owner text, to be assigned.
    """
    wanted = sorted((g for g in gaps if g.step is None or g.step <= target_step),
                    key=lambda g: (g.rank, -g.shortfall))
    steps = [g.step for g in wanted if g.step is not None]
    first_step = min(steps, default=target_step)
    picked: dict[str, tuple[ActionTemplate, int, str]] = {}  # id -> (template, step, note)
    for gap in wanted:
        step = gap.step if gap.step is not None else first_step
        for template in library.for_area(gap.key, gap.step)[: actions_for_gap(gap, max_per_gap)]:
            _pick_with_prerequisites(template, step, first_step, library, picked)
    return _schedule(picked, start_date, first_step, roster_owners or {})


def _pick_with_prerequisites(template: ActionTemplate, step: int, first_step: int,
                             library: ActionLibrary,
                             picked: dict[str, tuple[ActionTemplate, int, str]]) -> None:
    """Add ``template`` after its not-yet-picked dependencies (depth first, no recursion).

    A prerequisite goes into its own step's window, but never before the plan's first step.
    """
    stack = [(template, step, "")]
    while stack:
        current, current_step, note = stack[-1]
        missing = [d for d in current.depends_on if d not in picked]
        if not missing:
            stack.pop()
            picked.setdefault(current.id, (current, current_step, note))
            continue
        dep = library.by_id(missing[0])
        dep_step = max(min(dep.applies_to.step or current_step, current_step), first_step)
        stack.append((dep, dep_step, f"Added as a prerequisite of {current.title!r}."))


def _schedule(picked: dict[str, tuple[ActionTemplate, int, str]], start_date: dt.date,
              first_step: int, owners: Mapping[str, str]) -> list[PlanAction]:
    """Dates for each picked action; ``picked`` is already in dependency order."""
    planned: dict[str, PlanAction] = {}
    for template, step, note in picked.values():
        begin, end = step_window(start_date, step, first_step)
        deps = [planned[d] for d in template.depends_on]
        start = max([begin, *(d.due + dt.timedelta(days=1) for d in deps)])
        due = start + dt.timedelta(days=template.duration_days - 1)
        notes = [note] if note else []
        if due > end:
            start, due = min(start, end), end
            notes.append(f"Needs {count(template.duration_days, 'day')}; cut to the end of the "
                         f"step {step} window ({count((due - start).days + 1, 'day')}).")
        planned[template.id] = PlanAction(
            uid=action_uid(template.id), title=template.title, step=step,
            foundation=template.applies_to.key,
            owner=owners.get(template.owner_role, template.owner_role),
            start=start, due=due, measure=template.measure, evidence=template.evidence,
            depends_on=tuple(d.uid for d in deps), notes=" ".join(notes), source=template.id,
        )
    return sorted(planned.values(), key=lambda a: (a.step, a.start, a.due, a.uid))
