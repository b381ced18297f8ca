"""From gaps to a proposed plan of actions, scheduled step by step in 100-day windows.

The rule, as the consultant and the client read it:

* **Which steps.** The ladder's steps may be stopped at, never skipped. The plan covers every
  step from the first unmet one (the step after the stage reached; without a stage, the lowest
  step with a gap, or step 1) up to the target step, in order, each in its own 100-day window.
* **Which actions.** Each gap takes the library actions that serve its item, in the order of
  :meth:`~workbench.core.plan.library.ActionLibrary.serving` (made for the item first):
  one per full point of shortfall, at least one and at most three. An action's prerequisites
  are added before it, in their own step's window but never before the first planned step.
  An action serving another item (not a ladder cell) goes into the window of its own step,
  brought within the planned steps. An action is not proposed for a window before its owner
  role exists (a customer-centricity coordinator only from step 3, for example).
* **Windows and gates.** The first window starts on the start date. Each window ends with a
  gate where the client decides to continue, repeat or stop. The next step's window starts the
  day after that decision; while it is not decided yet, the gate is planned for the window's
  last day and the next window starts the day after. *Repeat* gives the step one more window
  before the next step; *stop* plans nothing after that step. A gate decided again later keeps
  the window of each earlier *repeat*; its newest decision says how the plan goes on.
* **Within a window.** Design actions (answering the design questions) come first; practice
  actions may start from the window's first day; structure actions (reporting lines, formal
  roles and teams) start only after every design action of the same step is due. An action
  starts after the last of its dependencies is due. No owner role starts more than
  ``max_starts`` actions in a period of ``period_days`` days (periods counted from the start
  date); further starts move to the next period. Across all owners at most
  ``MAX_STARTS_PER_DAY`` actions start on one day (a team can launch only so much at once), so
  starts are staggered over the first days of a window rather than piled on its first day.
* **Never cut.** An action always keeps its full duration (due dates are inclusive). When it
  ends after its window, its ``flag`` says by how much and which choice is needed: extend the
  window, split the action, or move it to the next window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workbench.core.method.gaps import Gap
from workbench.core.plan.gates import REPEAT, STOP, GateDecision
from workbench.core.plan.library import ROLE_FIRST_STEP, ActionLibrary, ActionTemplate
from workbench.core.wording import count

KINDS = ("design", "practice", "structure")  # the order actions of one window go in
WINDOW_DAYS = 100
MAX_ACTIONS_PER_GAP = 3
MAX_STARTS_PER_DAY = 3
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ScheduleRules:
    """How starts are staggered: at most ``max_starts`` per owner role per ``period_days``."""

    max_starts: int = 2
    period_days: int = 14


DEFAULT_RULES = ScheduleRules()


@dataclass(frozen=True)
class PlanAction:
    """One action of a plan.

    ``library_id`` is the library action it comes from ("" for an action the user wrote);
    ``source`` the assessed item it serves ("template_id:question_id", "" when none);
    ``owner_role`` the role the library names and ``owner`` the person confirmed for it ("" while
    the role is open). ``baseline`` None means "measure it in the first two weeks from
    ``data_source``". ``flag`` is empty unless the action ends after its step's window; it then
    names the overrun and the choice needed.
    """

    uid: str
    title: str
    step: int
    start: dt.date
    due: dt.date
    kind: str = "practice"
    library_id: str = ""
    source: str = ""
    owner_role: str = ""
    owner: str = ""
    status: str = "Not started"
    measure: str = ""
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    data_source: str = ""
    evidence: str = ""
    depends_on: tuple[str, ...] = ()
    notes: str = ""
    flag: str = ""


@dataclass(frozen=True)
class Window:
    """One 100-day window of a step, both ends inclusive.

    ``gate`` is the day of the step's gate: the decision date once decided, else the planned
    day (the window's last day). ``repeat`` marks the extra window a *repeat* decision adds.
    """

    step: int
    begin: dt.date
    end: dt.date
    gate: dt.date
    decided: bool = False
    repeat: bool = False


@dataclass(frozen=True)
class Windows:
    """The windows of the planned steps; ``stopped_after`` is the step a gate stopped at."""

    by_step: Mapping[int, tuple[Window, ...]]
    stopped_after: int | None = None

    def current(self, step: int) -> Window | None:
        """The window new actions of ``step`` go into: its last (a repeat window if any)."""
        found = self.by_step.get(step)
        return found[-1] if found else None

    @property
    def steps(self) -> list[int]:
        return sorted(self.by_step)


def step_window(start_date: dt.date, step: int, first_step: int) -> tuple[dt.date, dt.date]:
    """First and last day of ``step``'s window while no gate is decided (consecutive windows)."""
    begin = start_date + dt.timedelta(days=(step - first_step) * WINDOW_DAYS)
    return begin, begin + dt.timedelta(days=WINDOW_DAYS - 1)


def plan_windows(start_date: dt.date, first_step: int, last_step: int,
                 gates: Mapping[int, GateDecision] | None = None) -> Windows:
    """The windows of steps ``first_step`` .. ``last_step`` (see the module notes).

    Each earlier *repeat* of a step's gate adds its window, from the day after that decision;
    the gate's current decision then closes the last of them. A decision dated before its own
    window began counts as taken on the window's first day, so windows never run backwards.
    """
    gates = gates or {}
    by_step: dict[int, tuple[Window, ...]] = {}
    begin = start_date
    for step in range(first_step, last_step + 1):
        end = begin + dt.timedelta(days=WINDOW_DAYS - 1)
        gate = gates.get(step)
        if gate is None:
            by_step[step] = (Window(step, begin, end, end),)
            begin = end + _DAY
            continue
        own: list[Window] = []
        for earlier in gate.earlier:
            if earlier.decision == REPEAT:
                decided_on = max(earlier.decided_on, begin)
                own.append(Window(step, begin, end, decided_on, decided=True, repeat=bool(own)))
                begin = decided_on + _DAY
                end = begin + dt.timedelta(days=WINDOW_DAYS - 1)
        decided_on = max(gate.decided_on, begin)
        own.append(Window(step, begin, end, decided_on, decided=True, repeat=bool(own)))
        if gate.decision == STOP:
            by_step[step] = tuple(own)
            return Windows(by_step, step)
        if gate.decision == REPEAT:
            again = decided_on + _DAY
            again_end = again + dt.timedelta(days=WINDOW_DAYS - 1)
            own.append(Window(step, again, again_end, again_end, repeat=True))
            decided_on = again_end
        by_step[step] = tuple(own)
        begin = decided_on + _DAY
    return Windows(by_step)


def action_uid(library_id: str) -> str:
    """Provisional id of a proposed library action: the same library id always gives the
    same one. Proposals and accepted actions carry the plan's own sequence ids instead
    (:func:`workbench.core.plan.apply.numbered`)."""
    return "A-" + hashlib.sha1(library_id.encode()).hexdigest()[:8].upper()


def actions_for_gap(gap: Gap, max_per_gap: int = MAX_ACTIONS_PER_GAP) -> int:
    """How many actions a gap gets: one per full point of shortfall (1..max_per_gap)."""
    return min(max(math.floor(gap.shortfall + 1e-9), 1), max_per_gap)


def first_planned_step(gaps: Iterable[Gap], target_step: int, stage: int = 0) -> int:
    """The first step the plan covers: the step after ``stage`` when a stage is reached, else
    the lowest ladder step with a gap (step 1 when no ladder cell has one); never above
    ``target_step``."""
    if stage > 0:
        return min(stage + 1, target_step)
    steps = [g.step for g in gaps if g.step is not None and g.step <= target_step]
    return min(steps, default=1)


def overrun_flag(due: dt.date, window: Window) -> str:
    """The sentence flagging an action that ends after its window ("" when it fits)."""
    late = (due - window.end).days
    if late <= 0:
        return ""
    return (f"Ends {count(late, 'day')} after the step {window.step} window: extend the "
            "window, split the action, or move it to the next window.")


@dataclass
class _Pick:
    template: ActionTemplate
    step: int  # the window's step
    source: str
    note: str
    order: int


def propose_plan(
    gaps: Iterable[Gap],
    library: ActionLibrary,
    target_step: int,
    start_date: dt.date,
    *,
    stage: int = 0,
    owners: Mapping[str, str] | None = None,
    rules: ScheduleRules = DEFAULT_RULES,
    gates: Mapping[int, GateDecision] | None = None,
    anchor_step: int | None = None,
    fixed: Sequence[PlanAction] = (),
) -> list[PlanAction]:
    """Pick library actions for the gaps and schedule them (see the module notes).

    ``owners`` maps an owner role to the person confirmed for it. ``gates`` holds the gate
    decisions already taken, by step. ``anchor_step`` is the step whose window starts on
    ``start_date`` (default: the first planned step), so a proposal keeps an existing plan's
    windows. ``fixed`` are actions already in the plan: a library action among them is not
    proposed again, and their dates count for dependencies and for the owners' starts.
    Returns the new actions, by step, start and due date.
    """
    gaps = list(gaps)
    first = first_planned_step(gaps, target_step, stage)
    anchor = min(anchor_step if anchor_step is not None else first, first)
    windows = plan_windows(start_date, anchor, target_step, gates)
    last = min(windows.stopped_after or target_step, target_step)
    if last < first:
        return []  # a gate stopped the engagement before the first step still to plan
    picked = _pick(gaps, library, first, last)
    return _schedule(picked, windows, start_date, owners or {}, rules, fixed)


def _gap_order(gap: Gap) -> tuple:
    return (gap.rank if gap.rank > 0 else math.inf, -gap.priority, gap.step or 0, gap.source)


def _pick(gaps: list[Gap], library: ActionLibrary, first: int, last: int) -> dict[str, _Pick]:
    """Library id -> what was picked, prerequisites before the actions needing them."""
    picked: dict[str, _Pick] = {}
    for gap in sorted(gaps, key=_gap_order):
        if gap.step is not None and gap.step > last:
            continue  # a ladder cell above the target (or after a stop) is not planned yet
        for template in library.serving(gap.source)[: actions_for_gap(gap)]:
            step = min(max(template.step, first), last)
            _pick_with_prerequisites(template, step, gap.source, first, library, picked)
    return picked


def _pick_with_prerequisites(template: ActionTemplate, step: int, source: str, first: int,
                             library: ActionLibrary, picked: dict[str, _Pick]) -> None:
    """Add ``template`` after its not-yet-picked dependencies (depth first, no recursion).

    Nothing of the chain is added when one of its actions would fall into a window before its
    owner role exists (a coordinator before step 3, say).
    """
    chain: dict[str, _Pick] = {}
    stack = [(template, step, source, "")]
    while stack:
        current, current_step, current_source, note = stack[-1]
        missing = [d for d in current.depends_on if d not in picked and d not in chain]
        if not missing:
            stack.pop()
            if current_step < ROLE_FIRST_STEP.get(current.owner_role, 1):
                return
            chain.setdefault(current.id, _Pick(current, current_step, current_source, note, 0))
            continue
        dep = library.by_id(missing[0])
        if any(dep.id == s[0].id for s in stack):
            raise ValueError(f"library dependencies form a cycle at {dep.id!r}")
        dep_step = max(min(dep.step, current_step), first)
        dep_source = dep.applies_to[0] if dep.applies_to else ""
        stack.append((dep, dep_step, dep_source,
                      f"Added as a prerequisite of {current.title!r}."))
    for lid, pick in chain.items():
        pick.order = len(picked)
        picked[lid] = pick


def _schedule(picked: dict[str, _Pick], windows: Windows,
              start_date: dt.date, owners: Mapping[str, str], rules: ScheduleRules,
              fixed: Sequence[PlanAction]) -> list[PlanAction]:
    """Dates for each picked action that is not in ``fixed`` and whose window exists."""
    max_starts, period = max(rules.max_starts, 1), max(rules.period_days, 1)

    def period_of(day: dt.date) -> int:
        return (day - start_date).days // period

    existing = {a.library_id: a for a in fixed if a.library_id}
    starts: Counter[tuple[str, int]] = Counter(
        (a.owner_role, period_of(a.start)) for a in fixed if a.owner_role)
    on_day: Counter[dt.date] = Counter(a.start for a in fixed)
    due_of: dict[str, dt.date] = {lid: a.due for lid, a in existing.items()}
    uid_of: dict[str, str] = {lid: a.uid for lid, a in existing.items()}
    design_due: dict[int, dt.date] = {}
    for a in fixed:
        if a.kind == "design":
            design_due[a.step] = max(design_due.get(a.step, a.due), a.due)

    pending = {lid: p for lid, p in picked.items()
               if lid not in existing and windows.current(p.step) is not None}
    dropped = {lid for lid in picked if lid not in existing and lid not in pending}
    designs_left: Counter[int] = Counter(p.step for p in pending.values()
                                         if p.template.kind == "design")
    planned: list[PlanAction] = []
    while pending:
        ready = [p for p in pending.values()
                 if all(d in due_of or d in dropped for d in p.template.depends_on)]
        waiting = [p for p in ready
                   if p.template.kind != "structure" or not designs_left[p.step]]
        # a structure action some design of its step depends on cannot wait for that design
        choice = min(waiting or ready, key=lambda p: (p.step, KINDS.index(p.template.kind)
                                                      if p.template.kind in KINDS else 1,
                                                      p.order), default=None)
        if choice is None:
            raise ValueError("library dependencies form a cycle")
        template = choice.template
        window = windows.current(choice.step)
        assert window is not None
        earliest = window.begin
        for dep in template.depends_on:
            if dep in due_of:
                earliest = max(earliest, due_of[dep] + _DAY)
        if template.kind == "structure" and choice.step in design_due:
            earliest = max(earliest, design_due[choice.step] + _DAY)
        start = earliest
        role = template.owner_role
        while True:
            if starts[(role, period_of(start))] >= max_starts:
                start = start_date + dt.timedelta(days=(period_of(start) + 1) * period)
            elif on_day[start] >= MAX_STARTS_PER_DAY:
                start += _DAY
            else:
                break
        starts[(role, period_of(start))] += 1
        on_day[start] += 1
        due = start + dt.timedelta(days=template.duration_days - 1)
        due_of[template.id] = due
        uid = uid_of.setdefault(template.id, action_uid(template.id))
        if template.kind == "design":
            design_due[choice.step] = max(design_due.get(choice.step, due), due)
            designs_left[choice.step] -= 1
        planned.append(PlanAction(
            uid=uid, title=template.title, step=choice.step, start=start, due=due,
            kind=template.kind, library_id=template.id, source=choice.source,
            owner_role=role, owner=owners.get(role, ""), measure=template.measure,
            unit=template.unit, baseline=template.baseline, target=template.target,
            data_source=template.data_source, evidence=template.evidence,
            depends_on=tuple(uid_of.get(d) or action_uid(d) for d in template.depends_on
                             if d in due_of),
            notes=choice.note, flag=overrun_flag(due, window),
        ))
        del pending[template.id]
    return sorted(planned, key=lambda a: (a.step, a.start, a.due, a.uid))
