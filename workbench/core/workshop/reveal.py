"""What the reveal of an agenda item shows, computed from a project's stored data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.schema import Question
from workbench.core.workshop.agenda import (
    PICKS_PER_PARTICIPANT,
    PREDICT_PAIRS,
    PREDICT_PEOPLE,
    choices,
)
from workbench.core.workshop.predictions import (
    PredictionScore,
    department_pair_density,
    insight_nominations,
    pair_label,
    score_prediction,
)
from workbench.core.workshop.votes import VoteStats, vote_stats

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["PICKS_PER_PARTICIPANT", "TOP_K", "measured_answer", "prediction_candidates",
           "prediction_score", "question_stats"]

TOP_K = 5


def question_stats(question: Question, votes: list[object]) -> VoteStats:
    """Reveal statistics of the votes on one questionnaire question."""
    scale = [value for value, _ in choices(question)]
    return vote_stats(votes, scale, numeric=question.kind != "single_choice")


def _network_ties(project: Project, tie_type: str):
    networks = sorted((n for n in project.networks.list() if n.type == tie_type),
                      key=lambda n: (n.date is None, n.date, n.id))
    if not networks:
        raise WorkbenchError(f"No {tie_type.replace('_', '-')} network in this project; "
                             "import one to reveal this answer.")
    return project.networks.ties(networks[0].id)


def measured_answer(project: Project, kind: str) -> dict[str, float]:
    """The network's figures for a prediction item (the earliest network of the right type).

    People: nominations received for customer insight. Department pairs: the share of cross
    pairs of people linked in the collaboration network.
    """
    if kind == PREDICT_PEOPLE:
        return {p: float(n) for p, n in
                insight_nominations(_network_ties(project, "customer_insight")).items()}
    if kind == PREDICT_PAIRS:
        return department_pair_density(project.people.list(),
                                       _network_ties(project, "collaboration"),
                                       project.engagement.get().min_group_size)
    raise WorkbenchError(f"Unknown prediction {kind!r}.")


def prediction_score(project: Project, item_id: int, kind: str) -> PredictionScore:
    """The team's predictions on an item scored against the measured network answer."""
    picks = [b.value for b in project.workshop.predictions(item_id)]
    return score_prediction(picks, measured_answer(project, kind), TOP_K,
                            lowest=kind == PREDICT_PAIRS)


def prediction_candidates(project: Project, kind: str) -> list[tuple[str, str]]:
    """What a participant may pick on a prediction item: (key, text shown), in list order.

    People: everyone, by name. Department pairs: the pairs the network answer covers.
    """
    if kind == PREDICT_PEOPLE:
        return [(p.id, f"{p.name or p.id}  ({p.department})")
                for p in sorted(project.people.list(), key=lambda p: p.name)]
    if kind == PREDICT_PAIRS:
        return [(key, pair_label(key)) for key in sorted(measured_answer(project, PREDICT_PAIRS))]
    raise WorkbenchError(f"Unknown prediction {kind!r}.")
