"""Plain data the plan workbook and the PDF summary are written from, plus group suppression.

Callers (project services, CLI, tests) fill :class:`ReportData`; the writers only format it.
When ``pseudonymised`` is set, every ``name`` given here must already be a pseudonym.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbench.core.plan.builder import Gap, PlanAction
from workbench.core.plan.evidence import StepEvidence

MIN_GROUP_FLOOR = 3  # group figures never cover fewer people than this, whatever the setting
PRIMARY = "primary"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class EngagementSummary:
    """Who the workbook is for; ``stage_reached`` 0 means no step reached yet."""

    uuid: str
    client: str
    target_step: int
    stage_reached: int
    consultant: str = ""
    start_date: dt.date | None = None
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))


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
class ReportData:
    """Everything the plan workbook shows; sequences keep the order they are written in."""

    engagement: EngagementSummary
    maturity: Mapping[tuple[int, str], float | None]  # (step, foundation key) -> mean 0..4
    top_gaps: Sequence[Gap] = ()
    questionnaire: Sequence[QuestionStat] = ()
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
    grand total). ``ei`` is None for a suppressed group.
    """

    departments: tuple[str, ...]
    values: list[list[int]]
    hidden: list[list[str | None]]
    ei: dict[str, float | None]
    min_size: int


def suppress_groups(groups: GroupTies, min_size: int) -> SuppressedGroups:
    """Hide figures of groups under ``min_size`` (never under 3) and enough others so no
    hidden figure can be recovered by subtracting shown cells from a shown row or column total.

    Primary: any cell, total or E-I of a department with fewer respondents than ``min_size``.
    Complementary: while some row or column (totals included) has exactly one hidden entry,
    also hide its smallest shown entry (a total or the grand total only as a last resort).
    """
    k = max(min_size, MIN_GROUP_FLOOR)
    names = groups.departments
    n = len(names)
    values = [[groups.ties.get((a, b), 0) for b in names] for a in names]
    for row in values:
        row.append(sum(row))
    values.append([sum(values[r][c] for r in range(n)) for c in range(n + 1)])
    small = [groups.sizes.get(name, 0) < k for name in names] + [False]
    hidden: list[list[str | None]] = [
        [PRIMARY if small[r] or small[c] else None for c in range(n + 1)] for r in range(n + 1)
    ]
    _complement(values, hidden)
    ei = {name: None if small[i] else groups.ei.get(name) for i, name in enumerate(names)}
    return SuppressedGroups(names, values, hidden, ei, k)


def _complement(values: list[list[int]], hidden: list[list[str | None]]) -> None:
    size = len(values)
    lines = [[(r, c) for c in range(size)] for r in range(size)]
    lines += [[(r, c) for r in range(size)] for c in range(size)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] is not None for r, c in line) != 1:
                continue
            shown = [(r, c) for r, c in line if hidden[r][c] is None]
            if not shown:
                continue
            last = size - 1
            r, c = min(shown, key=lambda rc: ((rc[0] == last) + (rc[1] == last),
                                              values[rc[0]][rc[1]]))
            hidden[r][c] = COMPLEMENTARY
            changed = True
