"""Gaps: assessed items below the bar, from every template, ranked for planning.

What counts as a gap item of a questionnaire (any template, built-in or a consultant's):

* a ladder cell (a question with a step and micro-foundation) of every step from the first one
  not reached (stage + 1) up to the target step: steps may be stopped at, not skipped;
* any other rated question: rating_0_4 (its value is the level), scale_1_5 that does not weigh
  another question (level = value - 1), and single_choice with ``levels`` (the option's level).
  Plain number questions are not gap items: whether more is better is not known.

An item's level is the mean over the respondents who answered it (an answer whose option has
no level does not count), or the value a workshop agreed on (then ``agreed``). Below the
template's bar (``scoring.bar.mean``, default 3) it is a gap of ``bar - level``. Ladder cells
nobody rated have no size and are left out (the Maturity views show them empty).

Weights: an importance question (``weighs: <item>``) gives its item ``mean importance / 3``.
Steering: when the leaders mostly describe the value of their customer relationships as
functional (``value_kind``), the relationships-first items of that questionnaire (tag
``relationships``) weigh 1.5 times as much: building those relationships is the way out.
Rank 1 = the largest priority (shortfall x weight); ties: ladder cells first, in ladder order,
then the other items in questionnaire order.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from workbench.core.method.rounds import Round, with_agreed
from workbench.core.questionnaire.schema import (
    FOUNDATION_LABELS,
    NUMERIC_KINDS,
    Question,
    Template,
)

if TYPE_CHECKING:
    from workbench.core.project import Project

IMPORTANCE_TAG = "importance"
IMPORTANCE_MIDPOINT = 3.0  # importance 3 of 5 leaves a gap's weight at 1
STEER_QUESTION = "value_kind"
STEER_ANSWER = "functional"
STEER_TAG = "relationships"
STEER_FACTOR = 1.5
SHORT_TEXT = 60
_EPS = 1e-9


@dataclass(frozen=True)
class Gap:
    """One assessed item below the bar.

    ``source`` is the item reference ``template_id:question_id``; ``step`` the ladder step of a
    ladder cell (None for other items); ``mean`` the level on the 0..4 scale (the agreed value
    when a workshop agreed one, then ``agreed`` is true); ``shortfall`` = bar - mean;
    ``weight`` the importance leaders gave the item (importance / 3 on a 1..5 scale, 1.0 when
    not asked); ``rank`` 1 = planned first.
    """

    source: str
    label: str
    step: int | None
    mean: float
    shortfall: float
    weight: float = 1.0
    rank: int = 0
    agreed: bool = False

    @property
    def priority(self) -> float:
        """Shortfall weighted by importance: what orders gaps within a step."""
        return self.shortfall * self.weight

    @property
    def template_id(self) -> str:
        return self.source.split(":", 1)[0]

    @property
    def item_id(self) -> str:
        return self.source.split(":", 1)[1]


def item_label(question: Question) -> str:
    """A short readable label: "Step 2 · Information sharing" for a ladder cell, else the
    question's ``short`` label, else its text up to a colon, else its (shortened) text."""
    if question.group is not None:
        return f"Step {question.group.step} · {FOUNDATION_LABELS[question.group.foundation]}"
    if question.short:
        return question.short
    head, colon, _ = question.text.partition(":")
    if colon and len(head.strip()) <= 40:
        return head.strip()
    text = question.text
    return text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT - 1].rstrip() + "…"


def importance_ids(template: Template) -> set[str]:
    """Questions that rate the importance of another item (they are weights, not gaps)."""
    return {q.id for q in template.questions() if q.weighs or IMPORTANCE_TAG in q.tags}


def gap_items(template: Template) -> list[Question]:
    """Every question of ``template`` that can produce a gap (see the module notes)."""
    weights = importance_ids(template)
    return [q for q in template.questions()
            if q.group is not None and q.kind in NUMERIC_KINDS
            or q.group is None and (q.kind == "rating_0_4"
                                    or q.kind == "scale_1_5" and q.id not in weights
                                    or q.kind == "single_choice" and q.levels)]


def item_level(question: Question, answers: Mapping[str, Mapping[str, Any]]) -> float | None:
    """Mean level 0..4 of one item over the respondents who answered it (None: no level)."""
    levels = [level for given in answers.values()
              if (level := question.level_of(given.get(question.id))) is not None]
    return statistics.fmean(levels) if levels else None


def steered(template: Template, answers: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether most answers to ``value_kind`` say the relationships deliver functional value
    (the most common answer, ahead of every other)."""
    if not any(q.id == STEER_QUESTION for q in template.questions()):
        return False
    given = Counter(str(a[STEER_QUESTION]) for a in answers.values()
                    if a.get(STEER_QUESTION) is not None)
    if not given:
        return False
    ranked = given.most_common()
    return ranked[0][0] == STEER_ANSWER and (len(ranked) == 1 or ranked[1][1] < ranked[0][1])


def template_gaps(round_: Round, target_step: int, stage: int) -> list[Gap]:
    """The gaps of one round, unranked, in questionnaire order (see the module notes)."""
    from workbench.core.questionnaire.scoring import gaps as ladder_cell_gaps

    template = round_.template
    answers, agreed = with_agreed(round_)
    bar = template.scoring.bar.mean
    weighers = {q.weighs: q for q in template.questions() if q.weighs}
    boost = STEER_FACTOR if steered(template, answers) else 1.0
    cells = {}
    if any(q.group is not None for q in template.questions()):
        cells = {g.question_id: g for g in ladder_cell_gaps(template, answers, target_step,
                                                            from_step=stage + 1)}
    found: list[Gap] = []
    for question in gap_items(template):
        if question.group is not None:
            cell = cells.get(question.id)
            if cell is None or cell.mean is None:
                continue
            level: float | None = cell.mean
        else:
            level = item_level(question, answers)
        if level is None or level >= bar - _EPS:
            continue
        weight = _importance_weight(weighers.get(question.id), answers)
        if question.group is None and STEER_TAG in question.tags:
            weight *= boost
        found.append(Gap(f"{template.id}:{question.id}", item_label(question),
                         question.group.step if question.group else None, level, bar - level,
                         weight, agreed=question.id in agreed))
    return found


def assessment_gaps(rounds: Mapping[str, Round], target_step: int, stage: int,
                    extra: Sequence[Gap] = ()) -> list[Gap]:
    """Every gap of the given rounds (template id -> latest round) and the ``extra`` gaps
    (those the customer-learning log shows, :mod:`workbench.core.learning.gaps`), ranked
    together (rank 1 first).

    Ladder cells count from step ``stage + 1`` up to ``target_step``.
    """
    found = [gap for round_ in rounds.values() for gap in template_gaps(round_, target_step,
                                                                       stage)]
    found += extra
    position = {id(gap): index for index, gap in enumerate(found)}
    order = sorted(found, key=lambda g: (-round(g.priority, 9), g.step is None, g.step or 0,
                                         position[id(g)]))
    return [replace(gap, rank=rank) for rank, gap in enumerate(order, start=1)]


def project_gaps(project: Project, target_step: int | None = None) -> list[Gap]:
    """:func:`assessment_gaps` of the open project's latest round of each questionnaire and
    its customer-learning log, up to ``target_step`` (default: the engagement's, see
    :mod:`workbench.core.method.target`)."""
    from workbench.core.learning.gaps import learning_gaps
    from workbench.core.method.rounds import latest_rounds
    from workbench.core.method.target import target_step as the_target

    target = the_target(project)
    return assessment_gaps(latest_rounds(project), target_step or target.step, target.stage,
                           learning_gaps(project))


def _importance_weight(weigher: Question | None,
                       answers: Mapping[str, Mapping[str, Any]]) -> float:
    if weigher is None:
        return 1.0
    values = [number for given in answers.values()
              if (number := _number(given.get(weigher.id))) is not None]
    return statistics.fmean(values) / IMPORTANCE_MIDPOINT if values else 1.0


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
