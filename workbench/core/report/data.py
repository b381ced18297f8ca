"""Plain data the plan workbook and the PDF summary are written from, plus group suppression.

Callers (project services, CLI, tests) fill :class:`ReportData`; the writers only format it.
When ``pseudonymised`` is set, every ``name``, ``id``, owner and participant given here must
already be as :class:`workbench.core.privacy.ShownPeople` shows it (pseudonyms, no e-mail).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np

from workbench.core.disclosure import COMPLEMENTARY as COMPLEMENTARY_CELL
from workbench.core.disclosure import PRIMARY as PRIMARY_CELL
from workbench.core.disclosure import SHOWN, Exposure, pooled_groups, protect_table
from workbench.core.learning.report import LearningReport
from workbench.core.method.gaps import Gap
from workbench.core.method.settings import DisagreementRule
from workbench.core.plan.builder import DEFAULT_RULES, PlanAction, ScheduleRules
from workbench.core.plan.evidence import StepEvidence
from workbench.core.questionnaire.schema import Bar
from workbench.core.wording import count

MIN_GROUP_FLOOR = 3  # group figures never cover fewer people than this, whatever the setting
PRIMARY = "primary"
COMPLEMENTARY = "complementary"
UNSET_DEPARTMENT = "(not set)"  # as network.groups labels people without a department
POOLED_LABEL = "Other (small groups)"


@dataclass(frozen=True)
class EngagementSummary:
    """Who the workbook is for; ``stage_reached`` 0 means no step reached yet.

    ``target_step`` is the engagement's (:func:`workbench.core.method.target.target_step`);
    ``leaders_choice`` the step most leaders chose (0 = stay, None = nobody chose), ``votes``
    how many chose each step and ``stop_reason`` their reasons for pausing, shown beside it.
    """

    uuid: str
    client: str
    target_step: int
    stage_reached: int
    consultant: str = ""
    start_date: dt.date | None = None
    leaders_choice: int | None = None
    stop_reason: str = ""
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    votes: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionStat:
    """Aggregated answers to one question (spread = standard deviation)."""

    key: str
    text: str
    n: int
    mean: float | None
    median: float | None
    spread: float | None
    disagreement: bool


@dataclass(frozen=True)
class WrittenAnswer:
    """One written answer of the latest round of a questionnaire: ``item`` what it answers
    (the design question it belongs to), ``respondent`` as privacy shows them ("Leader 3"
    where no name may appear), ``text`` with roster names replaced when pseudonymised."""

    questionnaire: str
    item: str
    respondent: str
    text: str


@dataclass(frozen=True)
class PersonMetrics:
    """Network metrics of one person (or pseudonym) and the plain-language role found."""

    id: str
    name: str
    department: str
    role: str
    metrics: Mapping[str, float | None]


@dataclass(frozen=True)
class GroupTies:
    """Ties from department to department; ``sizes`` = respondents per department."""

    departments: tuple[str, ...]
    sizes: Mapping[str, int]
    ties: Mapping[tuple[str, str], int]
    ei: Mapping[str, float | None]


@dataclass(frozen=True)
class RosterEntry:
    id: str
    name: str
    department: str = ""
    role: str = ""
    email: str = ""


@dataclass(frozen=True)
class SteeringAnswer:
    """One steering question (``source`` = "template:question"): how many leaders of the
    latest round gave each answer (``counts``: option label -> leaders, in option order) and
    what the method did with the answers, in one sentence."""

    source: str
    label: str
    counts: tuple[tuple[str, int], ...] = ()
    unanswered: int = 0
    consequence: str = ""


@dataclass(frozen=True)
class RoundUsed:
    """An assessment round the method read; ``respondents``: answer sets counted; ``use``:
    what the report took from it."""

    name: str
    template: str
    date: dt.date | None
    respondents: int
    use: str = ""


@dataclass(frozen=True)
class NetworkUsed:
    """A network the report's figures come from and what they were used for."""

    name: str
    relation: str
    date: dt.date | None
    ties: int
    use: str


@dataclass(frozen=True)
class GateRecord:
    """A step gate as recorded (``decided_by`` already as privacy shows people)."""

    step: int
    decision: str
    decided_on: dt.date
    decided_by: str
    value_created: str = ""


@dataclass(frozen=True)
class MethodNotes:
    """How the method reached the plan: the bar of the stage rule, the steering answers,
    the rules in force and the rounds, networks and gates it read (the Method sheet);
    ``next_gate``: the step whose gate is due next and the day it falls due (None when no
    plan has a start or a gate stopped the engagement)."""

    bar: Bar = field(default_factory=Bar)
    steering: Sequence[SteeringAnswer] = ()
    disagreement: DisagreementRule = field(default_factory=DisagreementRule)
    rounds: Sequence[RoundUsed] = ()
    networks: Sequence[NetworkUsed] = ()
    schedule: ScheduleRules = DEFAULT_RULES
    gates: Sequence[GateRecord] = ()
    next_gate: tuple[int, dt.date] | None = None
    # (kind of collaboration data, the rules that made its networks in sentences)
    collaboration_rules: Sequence[tuple[str, Sequence[str]]] = ()


@dataclass(frozen=True)
class StoryLine:
    """One sentence about a network as the workbook prints it: a headline sentence or one
    entry of a finding. ``kind`` is its finding kind (a glossary key); ``who`` the people it
    names, already as privacy shows them ("" when they may not be named beside a finding);
    ``departments`` the departments it concerns, as the workbook may show them."""

    kind: str
    text: str
    who: str = ""
    departments: str = ""


@dataclass(frozen=True)
class StoryFinding:
    """The entries of one finding kind, most unusual or most useful first, with the rule
    that picked them (this network's numbers in it)."""

    kind: str
    title: str
    rule: str
    entries: Sequence[StoryLine] = ()


@dataclass(frozen=True)
class NetworkStory:
    """What one network shows, for the Summary and Network findings sheets.

    ``headline``: at most five sentences, most telling first; ``findings``: every finding,
    grouped by kind; ``figures``: (glossary key, the value in words) of the whole network.
    ``formal``: the network is the reporting lines, so nothing informal is read into it.
    ``names_people``: whether people are named beside their findings (pseudonyms, or real
    names when individual labels are switched on); otherwise a sentence says "a person in
    Sales" and the workbook names nobody beside a finding.
    """

    network: str
    relation: str
    date: dt.date | None
    people: int = 0
    ties: int = 0
    formal: bool = False
    headline: Sequence[StoryLine] = ()
    findings: Sequence[StoryFinding] = ()
    figures: Sequence[tuple[str, str]] = ()
    notes: Sequence[str] = ()
    names_people: bool = False

    def caption(self) -> str:
        """"The advice network of 2026-09-21 (297 people, 1,272 ties)"."""
        dated = f" of {self.date:%Y-%m-%d}" if self.date else ""
        named = ("" if self.network.replace("_", " ").casefold() == self.relation.casefold()
                 else f" '{self.network}'")
        what = ("The reporting lines" if self.formal
                else f"The {self.relation.lower()} network{named}")
        return f"{what}{dated} ({count(self.people, 'person', 'people')}, " \
               f"{count(self.ties, 'tie')})"


@dataclass(frozen=True)
class ReportData:
    """Everything the plan workbook shows; sequences keep the order they are written in."""

    engagement: EngagementSummary
    maturity: Mapping[tuple[int, str], float | None]  # (step, foundation key) -> mean 0..4
    top_gaps: Sequence[Gap] = ()
    questionnaire: Sequence[QuestionStat] = ()
    written: Sequence[WrittenAnswer] = ()  # latest round of each questionnaire, in order
    metric_names: Sequence[str] = ()
    network: Sequence[PersonMetrics] = ()
    groups: GroupTies | None = None
    evidence: Sequence[StepEvidence] = ()
    plan: Sequence[PlanAction] = ()
    plan_start: dt.date | None = None  # first day of the first step's 100-day window
    roster: Sequence[RosterEntry] = ()
    workshop: Sequence[Mapping[str, object]] = ()  # rows keyed by workshop.record's columns
    pseudonymised: bool = False
    min_group_size: int = 5
    # individual labels ("peripheral", "overloaded"...) beside real names: only when the
    # privacy setting name_individual_labels is on (beside pseudonyms they are always shown)
    name_individual_labels: bool = False
    method: MethodNotes = field(default_factory=MethodNotes)
    story: NetworkStory | None = None  # None: no network with ties
    # top gap source -> (library id, title) of the library action that would serve it first
    remedies: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    learning: LearningReport = field(default_factory=LearningReport)  # the customer-learning lab

    @property
    def shows_individual_labels(self) -> bool:
        """Whether the Network sheet may show each person's role label."""
        return self.pseudonymised or self.name_individual_labels


def step_means(maturity: Mapping[tuple[int, str], float | None]) -> dict[int, float | None]:
    """Mean of the rated cells of each step (None for a step without ratings)."""
    by_step: dict[int, list[float]] = {}
    for (step, _key), value in maturity.items():
        by_step.setdefault(step, [])
        if value is not None:
            by_step[step].append(value)
    return {s: statistics.fmean(v) if v else None for s, v in sorted(by_step.items())}


@dataclass(frozen=True)
class SuppressedGroups:
    """Department x department table with totals; ``hidden[r][c]`` is None when shown.

    ``values`` and ``hidden`` have one extra row and column for totals (the last cell is the
    grand total). A mark is :data:`PRIMARY` for a figure of a department below the minimum
    (or of a whole network below it) and :data:`COMPLEMENTARY` for a figure hidden so that no
    hidden one can be worked out. ``pooled`` are the departments whose totals, size and E-I
    are withheld (the small ones and those pooled with them, together at least ``min_size``
    people); people of these departments are shown as :data:`POOLED_LABEL`. ``sizes`` and
    ``ei`` are None where hidden. ``width``: every hidden figure can only be narrowed to a
    range at least this wide (capped at the grand total); ``exposed`` lists any that could not
    be protected (normally none).
    """

    departments: tuple[str, ...]
    values: list[list[int]]
    hidden: list[list[str | None]]
    ei: dict[str, float | None]
    min_size: int
    sizes: dict[str, int | None] = field(default_factory=dict)
    pooled: frozenset[str] = frozenset()
    width: float = 0.0
    exposed: tuple[Exposure, ...] = ()

    def label(self, department: str) -> str:
        """How a person's department may be shown next to them (never a pooled one)."""
        key = department or UNSET_DEPARTMENT
        if key in self.pooled or (self.departments and key not in self.departments):
            return POOLED_LABEL
        return department


def suppress_groups(groups: GroupTies, min_size: int,
                    width: float | None = None) -> SuppressedGroups:
    """Hide figures of departments under ``min_size`` (never under 3) and enough others that
    no hidden figure can be worked out from the shown cells and totals.

    Primary: every cell, total, size and E-I of a department with fewer respondents than the
    minimum; such departments are pooled with the smallest others until the pool holds at
    least the minimum, and the pool's totals are withheld. Complementary: cells (and if need
    be further totals) chosen by :func:`~workbench.core.disclosure.protect_table` until the
    linear-programming auditor finds no hidden figure narrower than ``width`` (default: the
    minimum group size, counted in ties). A department's E-I is shown only when its totals
    and its internal cell are, so it adds nothing to solve with.
    """
    k = max(min_size, MIN_GROUP_FLOOR)
    names = groups.departments
    n = len(names)
    sizes = {name: int(groups.sizes.get(name, 0)) for name in names}
    table = np.array([[groups.ties.get((a, b), 0) for b in names] for a in names],
                     dtype=float).reshape(n, n)
    small = np.array([sizes[name] < k for name in names], dtype=bool)
    pool = set(pooled_groups(sizes, [nm for nm, s in zip(names, small, strict=True) if s], k))
    position = {name: i for i, name in enumerate(names)}
    grand_shown = sum(sizes.values()) >= k
    protection = protect_table(
        table, small[:, None] | small[None, :], float(k if width is None else width),
        withheld_rows=[position[g] for g in pool], withheld_cols=[position[g] for g in pool],
        grand_total_published=grand_shown, linked=True,
        symmetric=bool(np.array_equal(table, table.T)),
        line_order=sorted(range(n), key=lambda i: (sizes[names[i]], names[i])))
    pooled = frozenset(pool | {names[i] for i in np.flatnonzero(~protection.rows_published)})
    values = [[int(v) for v in row] + [int(row.sum())] for row in table]
    values.append([int(v) for v in table.sum(axis=0)] + [int(table.sum())])
    mark = {SHOWN: None, PRIMARY_CELL: PRIMARY, COMPLEMENTARY_CELL: COMPLEMENTARY}
    hidden: list[list[str | None]] = [
        [mark[int(protection.hidden[r, c])] for c in range(n)]
        + [PRIMARY if small[r] else COMPLEMENTARY if names[r] in pooled else None]
        for r in range(n)]
    hidden.append([PRIMARY if small[c] else COMPLEMENTARY if names[c] in pooled else None
                   for c in range(n)] + [None if grand_shown else PRIMARY])
    ei = {name: None if name in pooled or hidden[i][i] is not None else groups.ei.get(name)
          for i, name in enumerate(names)}
    wanted = float(k if width is None else width)
    return SuppressedGroups(
        names, values, hidden, ei, k,
        {name: None if name in pooled else sizes[name] for name in names}, pooled,
        min(wanted, float(table.sum())) if grand_shown else wanted, protection.exposures)


def department_labels(groups: GroupTies | None, min_group_size: int,
                      roster: Iterable[str] = ()
                      ) -> tuple[Callable[[str], str], SuppressedGroups | None]:
    """How a person's department may be shown beside them, and the suppressed department
    table (None without network data): a department that is pooled (below the minimum group
    size, or pooled with such a department) reads :data:`POOLED_LABEL`. Without network data
    the roster's own department counts decide (``roster``: everyone's department)."""
    table = suppress_groups(groups, min_group_size) if groups else None
    if table is not None:
        return table.label, table
    k = max(min_group_size, MIN_GROUP_FLOOR)
    counts = Counter(department or UNSET_DEPARTMENT for department in roster)
    pooled = set(pooled_groups(counts, [d for d, c in counts.items() if c < k], k))

    def label(department: str) -> str:
        return POOLED_LABEL if (department or UNSET_DEPARTMENT) in pooled else department

    return label, None


def protect_people(data: ReportData) -> tuple[ReportData, SuppressedGroups | None]:
    """``data`` as it may be published, and its suppressed department table (None without
    network data): on the Network and Roster sheets anyone whose department is pooled
    (:func:`department_labels`) is shown as :data:`POOLED_LABEL`, so no sheet names a small
    department next to a person or lets its people's figures be added up."""
    label, table = department_labels(data.groups, data.min_group_size,
                                     (r.department for r in data.roster))
    network = [_relabelled(p, label) for p in data.network]
    roster = [_relabelled(r, label) for r in data.roster]
    return replace(data, network=network, roster=roster), table


_Entry = TypeVar("_Entry", PersonMetrics, RosterEntry)


def _relabelled(entry: _Entry, label: Callable[[str], str]) -> _Entry:
    """``entry`` with its department as ``label`` shows it (the same frozen object when that
    leaves it unchanged, so a large network is not copied person by person)."""
    shown = label(entry.department)
    return entry if shown == entry.department else replace(entry, department=shown)
