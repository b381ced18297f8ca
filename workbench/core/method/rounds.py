"""The assessment rounds the method reads: the latest round of each questionnaire, with the
values a workshop agreed on kept apart from the individual answers.

"Latest" = highest round id. The maturity-ladder round is the latest round of a template that
rates ladder cells (questions with a step and micro-foundation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.questionnaire.schema import Template

if TYPE_CHECKING:
    from workbench.core.project import Project

MATURITY_TEMPLATE = "maturity_ladder"


@dataclass(frozen=True)
class Round:
    """One assessment round's template and answers (respondent code -> question -> value).

    ``agreed`` holds the values a workshop agreed on (question id -> value), kept apart from
    the individual ``answers``.
    """

    id: int
    name: str
    template: Template
    answers: Mapping[str, Mapping[str, Any]]
    agreed: Mapping[str, Any] = field(default_factory=dict)


def _template_of(project: Project, template_row_id: int) -> Template:
    return Template.model_validate_json(project.assessments.template_source(template_row_id))


def _round(project: Project, info: Any, template: Template | None = None) -> Round:
    template = template or _template_of(project, info.template.id)
    return Round(info.id, info.name, template, project.assessments.answers(info.id),
                 project.assessments.consensus(info.id))


def latest_round(project: Project, template_key: str) -> Round | None:
    """The newest round of a template, with its parsed template snapshot and answers."""
    rounds = [r for r in project.assessments.rounds() if r.template.key == template_key]
    if not rounds:
        return None
    return _round(project, max(rounds, key=lambda r: r.id))


def latest_rounds(project: Project) -> dict[str, Round]:
    """The newest round of every questionnaire used in the project (template id -> round).

    Templates that rate ladder cells come first, then the others in the order their first
    round was started.
    """
    newest: dict[str, Any] = {}  # first round's order, newest round of each
    for info in sorted(project.assessments.rounds(), key=lambda r: r.id):
        newest[info.template.key] = info
    found = {key: _round(project, info) for key, info in newest.items()}
    return dict(sorted(found.items(), key=lambda kv: not is_ladder(kv[1].template)))


def ladder_round(project: Project) -> Round | None:
    """The newest round of a questionnaire that rates ladder cells (None before any)."""
    templates: dict[int, Template] = {}
    for info in sorted(project.assessments.rounds(), key=lambda r: -r.id):
        if info.template.id not in templates:
            templates[info.template.id] = _template_of(project, info.template.id)
        if is_ladder(templates[info.template.id]):
            return _round(project, info, templates[info.template.id])
    return None


def is_ladder(template: Template) -> bool:
    """Whether a template rates ladder cells (questions with a step and micro-foundation)."""
    return any(q.group is not None for q in template.questions())


def with_agreed(round_: Round, question_ids: Iterable[str] | None = None
                ) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The round's answers with each agreed question answered only by the workshop consensus.

    So the agreed value, not the individual answers, sizes that question's gap. Only the
    questions in ``question_ids`` (default: all) are replaced. Returns the answers and the ids
    of the questions whose value was agreed.
    """
    from workbench.core.services.assessments import CONSENSUS_CODE

    wanted = None if question_ids is None else set(question_ids)
    agreed = {q: v for q, v in round_.agreed.items()
              if v is not None and (wanted is None or q in wanted)}
    answers = {code: {q: v for q, v in given.items() if q not in agreed}
               for code, given in round_.answers.items()}
    if agreed:
        answers[CONSENSUS_CODE] = agreed
    return answers, set(agreed)
