"""Scoring of questionnaire answers: pure functions on plain data (no storage, no Qt).

Answers are ``{respondent_code: {question_id: value}}``. A question counts as *missing* for a
respondent who sees it (branching allows it) but gave no value (absent or ``None``); questions
hidden by branching are neither answered nor missing. Missing answers are left out of every
mean and counted.

Decisions, documented here because the GUI and reports explain them to users:

* **Agreement** of a numeric question = ``1 - std / max_std``, where ``std`` is the population
  standard deviation and ``max_std = (high - low) / 2`` is the largest possible one on the scale
  (half the answers at each end). 1 = everyone gave the same answer, 0 = split between extremes.
* **A step meets the bar** when every one of its cells has answers, the mean of its cell means
  is at least ``bar.mean`` and no cell mean is below ``bar.min_cell`` (both inclusive).
* **Stage reached** = the highest step that meets the bar *and* every step below it meets it
  too. Steps may be stopped at, not skipped: each builds the capability the next one needs.
  A higher step that meets the bar on its own while a lower one does not is listed in
  :attr:`StageResult.met_above` so the user sees it, but it does not count.
* **Gaps** are the cells below ``bar.mean`` of every step from the first one not reached
  (stage + 1) up to the target step, in step order; within a step the largest shortfall
  (``bar.mean - mean``) comes first, ties in foundation order. Cells without any answer are
  gaps of unknown size, listed after the measured ones of their step.
* **Disagreement**: a question is disputed when, with its answers sorted, the k-th lowest and
  the k-th highest answer (k = ``min_each_side``, default 2) lie ``min_levels`` (default 2) or
  more apart: a real split, with at least k leaders on each side. One outlier is not a split.
* **Group figures** are shown only for groups of at least ``min_group_size`` respondents. If
  hiding leaves the hidden respondents fewer than that in total (so they could be derived by
  subtracting the shown groups from the overall figure), the smallest shown groups are hidden
  too until they are not. Inside a shown group, a question answered by fewer than
  ``min_group_size`` people is suppressed as well; when that (or a hidden group) leaves fewer
  than the minimum answers out of a question's shown figures, the question is hidden in the
  next smallest groups too, so the overall figure minus the shown ones covers enough people.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.core.disclosure import pooled_groups
from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.schema import (
    FOUNDATIONS,
    NUMERIC_KINDS,
    Bar,
    Question,
    Template,
)

Answers = Mapping[str, Mapping[str, Any]]
Cell = tuple[int, str]
NO_GROUP = "(no group)"
_EPS = 1e-9


@dataclass(frozen=True)
class QuestionStats:
    """Summary of one numeric question (or ladder cell) across respondents."""

    question_id: str
    n: int
    missing: int
    mean: float | None
    median: float | None
    std: float | None
    low: float | None
    high: float | None
    agreement: float | None

    @property
    def spread(self) -> float | None:
        """Range between the lowest and highest answer."""
        return None if self.low is None or self.high is None else self.high - self.low


@dataclass(frozen=True)
class StepResult:
    step: int
    mean: float | None
    min_cell: float | None
    cells_answered: int
    cells_total: int
    meets_bar: bool


@dataclass(frozen=True)
class StageResult:
    """``stage`` reached (0 = none); ``met_above``: steps above the stage that meet the bar on
    their own but do not count, because a step below them does not."""

    stage: int
    steps: list[StepResult]
    bar: Bar
    met_above: list[int]

    @property
    def first_unmet(self) -> int | None:
        """The lowest step that does not meet the bar (None when all five do)."""
        return self.stage + 1 if self.stage < len(self.steps) else None


@dataclass(frozen=True)
class Gap:
    rank: int
    step: int
    foundation: str
    question_id: str
    mean: float | None
    shortfall: float | None
    below_min_cell: bool


@dataclass(frozen=True)
class Disagreement:
    """A split: ``low`` is the k-th lowest answer and ``high`` the k-th highest (k leaders or
    more at or below ``low``, and at or above ``high``); ``lowest``/``highest`` the extremes."""

    question_id: str
    low: float
    high: float
    n: int
    lowest: float
    highest: float
    each_side: int = 2

    @property
    def levels_apart(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Change:
    question_id: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class GroupFigures:
    """Per-group statistics after anonymity suppression."""

    stats: dict[str, dict[str, QuestionStats | None]]
    sizes: dict[str, int]
    hidden: list[str]
    min_group_size: int


def question_stats(template: Template, answers: Answers, question_id: str) -> QuestionStats:
    """n, missing, mean, median, spread and agreement of one numeric question."""
    question = template.question(question_id)
    if question.kind not in NUMERIC_KINDS:
        raise WorkbenchError(f"question {question_id!r} is {question.kind}, not numeric")
    values, missing = _numeric_values(template, question, answers)
    if not values:
        return QuestionStats(question_id, 0, missing, None, None, None, None, None, None)
    std = statistics.pstdev(values)
    value_range = question.value_range
    agreement = None
    if value_range is not None and value_range[1] > value_range[0]:
        agreement = max(0.0, 1 - std / ((value_range[1] - value_range[0]) / 2))
    return QuestionStats(question_id, len(values), missing, statistics.fmean(values),
                         float(statistics.median(values)), std, min(values), max(values),
                         agreement)


def all_question_stats(template: Template, answers: Answers) -> dict[str, QuestionStats]:
    """Statistics of every numeric question, in template order."""
    return {q.id: question_stats(template, answers, q.id)
            for q in template.questions() if q.kind in NUMERIC_KINDS}


def maturity_grid(template: Template, answers: Answers) -> dict[Cell, QuestionStats]:
    """Statistics per (step, foundation) cell, from the questions that carry a ``group``."""
    return {(q.group.step, q.group.foundation): question_stats(template, answers, q.id)
            for q in template.questions() if q.group is not None and q.kind in NUMERIC_KINDS}


def stage_reached(template: Template, answers: Answers, bar: Bar | None = None) -> StageResult:
    """The highest step that meets the bar with every step below it (see module doc)."""
    bar = bar or template.scoring.bar
    grid = maturity_grid(template, answers)
    steps = []
    for step in range(1, 6):
        means = [s.mean for (k, _), s in grid.items() if k == step]
        answered = [m for m in means if m is not None]
        mean = statistics.fmean(answered) if answered else None
        low = min(answered) if answered else None
        meets = (bool(means) and len(answered) == len(means) and mean is not None
                 and low is not None and mean >= bar.mean - _EPS and low >= bar.min_cell - _EPS)
        steps.append(StepResult(step, mean, low, len(answered), len(means), meets))
    stage = 0
    for result in steps:
        if not result.meets_bar:
            break
        stage = result.step
    met_above = [s.step for s in steps if s.step > stage and s.meets_bar]
    return StageResult(stage, steps, bar, met_above)


def gaps(template: Template, answers: Answers, target_step: int, bar: Bar | None = None,
         from_step: int | None = None) -> list[Gap]:
    """Cells below ``bar.mean`` of every step from ``from_step`` (default: the first step not
    reached) to ``target_step``: by step, then largest shortfall, then foundation order;
    unrated cells after the measured ones of their step (see module doc)."""
    bar = bar or template.scoring.bar
    if from_step is None:
        from_step = stage_reached(template, answers, bar).stage + 1
    order = {f: i for i, f in enumerate(FOUNDATIONS)}
    found: list[tuple[int, float, int, str, str, float | None]] = []
    for (step, foundation), stats in maturity_grid(template, answers).items():
        if not from_step <= step <= target_step:
            continue
        if stats.mean is None:
            found.append((step, math.inf, order[foundation], foundation, stats.question_id,
                          None))
        elif stats.mean < bar.mean - _EPS:
            found.append((step, -(bar.mean - stats.mean), order[foundation], foundation,
                          stats.question_id, stats.mean))
    found.sort(key=lambda item: item[:3])
    return [Gap(rank, step, foundation, qid, mean,
                None if mean is None else bar.mean - mean,
                mean is not None and mean < bar.min_cell - _EPS)
            for rank, (step, _, _, foundation, qid, mean) in enumerate(found, start=1)]


def target_votes(template: Template, answers: Answers) -> dict[int, int]:
    """How many respondents chose each target step (0 = stay where we are), by step."""
    votes = Counter(step for code in answers
                    if (step := template.target_step(answers[code])) is not None)
    return dict(sorted(votes.items()))


def chosen_target_step(template: Template, answers: Answers) -> int | None:
    """The target step most respondents chose (0 = stay); on a tie the lower (more cautious)
    step; None when nobody chose."""
    votes = target_votes(template, answers)
    if not votes:
        return None
    top = max(votes.values())
    return min(step for step, count in votes.items() if count == top)


def disagreements(template: Template, answers: Answers, min_levels: float = 2,
                  min_each_side: int = 2) -> list[Disagreement]:
    """Numeric questions split between leaders (see module doc), widest split first."""
    if min_each_side < 1:
        raise WorkbenchError("a disagreement needs at least one answer on each side")
    found = []
    for question in template.questions():
        if question.kind not in NUMERIC_KINDS:
            continue
        values, _ = _numeric_values(template, question, answers)
        if len(values) < 2 * min_each_side:
            continue
        values.sort()
        low, high = values[min_each_side - 1], values[-min_each_side]
        if high - low >= min_levels - _EPS:
            found.append(Disagreement(question.id, low, high, len(values), values[0],
                                      values[-1], min_each_side))
    return sorted(found, key=lambda d: -d.levels_apart)


def round_change(template: Template, before: Answers, after: Answers) -> list[Change]:
    """Per numeric question (ladder cells included): mean in each round and the change."""
    first, second = all_question_stats(template, before), all_question_stats(template, after)
    return [Change(qid, first[qid].mean, second[qid].mean) for qid in first]


def group_figures(template: Template, answers: Answers, group_of: Mapping[str, str],
                  min_group_size: int | None = None) -> GroupFigures:
    """Numeric statistics per respondent group, hiding groups that are too small."""
    size_limit = template.scoring.min_group_size if min_group_size is None else min_group_size
    if size_limit < 3:
        raise WorkbenchError("the smallest group shown must have at least 3 respondents")
    members: dict[str, dict[str, Mapping[str, Any]]] = {}
    for code, given in answers.items():
        members.setdefault(group_of.get(code) or NO_GROUP, {})[code] = given
    sizes = {group: len(people) for group, people in members.items()}
    hidden = set(pooled_groups(sizes, [g for g, n in sizes.items() if n < size_limit],
                               size_limit))
    figures = {group: all_question_stats(template, members[group]) for group in sorted(sizes)}
    stats: dict[str, dict[str, QuestionStats | None]] = {
        group: {qid: (s if s.n >= size_limit else None) for qid, s in found.items()}
        for group, found in figures.items() if group not in hidden}
    for qid in all_question_stats(template, {}):
        # the overall figure minus the shown groups' gives the rest: they must be enough
        answered = {group: found[qid].n for group, found in figures.items()}
        rest = [g for g in answered if g in hidden or stats[g][qid] is None]
        if 0 < sum(answered[g] for g in rest) < size_limit:
            for group in pooled_groups(answered, rest, size_limit):
                if group in stats:
                    stats[group][qid] = None
    return GroupFigures(stats, {g: sizes[g] for g in stats}, sorted(hidden), size_limit)


def _numeric_values(template: Template, question: Question,
                    answers: Answers) -> tuple[list[float], int]:
    values: list[float] = []
    missing = 0
    for code, given in answers.items():
        value = given.get(question.id)
        if value is None:
            missing += template.is_visible(question, given)
            continue
        error = question.answer_error(value)
        if error:
            raise WorkbenchError(f"respondent {code}, question {question.id}: {error}")
        values.append(float(value))
    return values, missing
