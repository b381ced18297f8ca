"""The agenda of a workshop: one item per votable question, in the template's section order."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from workbench.core.questionnaire.schema import Question, Template

VOTABLE_KINDS = frozenset({"rating_0_4", "scale_1_5", "single_choice"})
PREDICT_PEOPLE = "predict_insight_people"
PREDICT_PAIRS = "predict_department_pairs"
PREDICTION_KINDS = (PREDICT_PEOPLE, PREDICT_PAIRS)
PICKS_PER_PARTICIPANT = 3  # names one participant may give on a prediction item
PREDICTION_TITLES = {
    PREDICT_PEOPLE: "Who do people go to for customer insight?",
    PREDICT_PAIRS: "Which departments rarely work together?",
}


@dataclass(frozen=True)
class AgendaItem:
    """``kind`` is "question" (``ref`` = question id) or one of the prediction kinds."""

    kind: str
    ref: str
    title: str
    section: str = ""
    minutes: float = 3.0


def votable(question: Question) -> bool:
    """Whether a question can be voted on live (a rating, a scale or a single choice)."""
    return question.kind in VOTABLE_KINDS


def agenda_from_template(template: Template, sections: Collection[str] | None = None,
                         minutes: float = 3.0, predictions: bool = False) -> list[AgendaItem]:
    """Votable questions of the chosen sections (all when None), then prediction items."""
    items = [AgendaItem("question", q.id, q.text, s.title, minutes)
             for s in template.sections if sections is None or s.id in sections
             for q in s.questions if votable(q)]
    if predictions:
        items += [AgendaItem(kind, "", title, "Predict, then reveal", minutes)
                  for kind, title in PREDICTION_TITLES.items()]
    return items


def choices(question: Question) -> list[tuple[object, str]]:
    """The values a participant can vote for, with the text shown beside each."""
    if question.kind == "rating_0_4":
        anchors = question.anchors or ("",) * 5
        return [(level, anchors[level]) for level in range(5)]
    if question.kind == "scale_1_5":
        return [(level, "") for level in range(1, 6)]
    return [(o.value, o.label) for o in question.options]
