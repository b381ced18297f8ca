"""One truth for the target step: the engagement's, which every screen, the workbook and the
PDF show. What most leaders chose in the latest maturity round is shown beside it when it
differs, never used in its place; the consultant changes the target on the Engagement page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.core.questionnaire.schema import STEPS

if TYPE_CHECKING:
    from workbench.core.project import Project

STOP_REASON_QUESTION = "stop_reason"


@dataclass(frozen=True)
class TargetStep:
    """``step``: the engagement's target step (1..5), the one every output uses; ``stage``:
    the stage reached in the latest maturity round (0 = none); ``leaders_choice``: the step most
    leaders chose there (0 = stay where we are; a tie goes to the lower step; None = nobody
    chose); ``votes``: step -> how many leaders chose it; ``stop_reason``: the leaders' reasons
    for pausing, joined."""

    step: int
    stage: int
    leaders_choice: int | None = None
    votes: dict[int, int] = field(default_factory=dict)
    stop_reason: str = ""

    @property
    def leaders_differ(self) -> bool:
        """Whether most leaders chose another step than the engagement's."""
        return self.leaders_choice is not None and self.leaders_choice != self.step

    def choice_note(self) -> str:
        """One sentence when the leaders' choice differs from the target, else ''."""
        return leaders_choice_note(self.leaders_choice, self.step)


def leaders_choice_note(leaders_choice: int | None, step: int) -> str:
    """"Most leaders chose step 3; the engagement aims at step 2 — change it in Engagement."""
    if leaders_choice is None or leaders_choice == step:
        return ""
    chose = ("chose to stay where the organisation is" if leaders_choice == 0 else
             f"chose step {leaders_choice}")
    return (f"Most leaders {chose}; the engagement aims at step {step} — change it in "
            "Engagement.")


def engagement_step(project: Project) -> int:
    """The engagement's target step: the single source every service reads."""
    step = project.engagement.get().target_step
    return step if step in STEPS else 1


def target_step(project: Project) -> TargetStep:
    """The engagement's target step with the stage reached and the leaders' choice beside it."""
    from workbench.core.method.rounds import ladder_round
    from workbench.core.questionnaire.scoring import (
        chosen_target_step,
        stage_reached,
        target_votes,
    )

    step = engagement_step(project)
    ladder = ladder_round(project)
    if ladder is None:
        return TargetStep(step, 0)
    template, answers = ladder.template, ladder.answers
    reasons = [str(given[STOP_REASON_QUESTION]).strip() for given in answers.values()
               if str(given.get(STOP_REASON_QUESTION) or "").strip()]
    return TargetStep(step, stage_reached(template, answers).stage,
                      chosen_target_step(template, answers), target_votes(template, answers),
                      "; ".join(reasons))
