"""Round-level questionnaire work on an open project: start a round, answer progress, offline
workbooks out and back in (preview, then one undoable merge), findings and round comparison.

Everything here goes through ``project.assessments``; nothing touches the database directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.method.settings import DisagreementRule
from workbench.core.method.target import leaders_choice_note
from workbench.core.questionnaire import scoring
from workbench.core.questionnaire.loader import load_template
from workbench.core.questionnaire.response_workbook import (
    export_response_workbook,
    read_response_workbook,
)
from workbench.core.questionnaire.schema import Question, Template
from workbench.core.questionnaire.xlsform import FormWarning, read_xlsform
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.project import Project

READY, ALREADY_ANSWERED, REFUSED = "ready", "already answered", "refused"


@dataclass(frozen=True)
class RespondentProgress:
    """How far one respondent got: answers given out of the questions they see."""

    respondent_id: int
    code: str
    name: str
    role: str
    department: str
    answered: int
    visible: int
    position: str

    @property
    def complete(self) -> bool:
        return self.visible > 0 and self.answered >= self.visible


@dataclass(frozen=True)
class FilePreview:
    """What one returned workbook would change (``status``: ready, already answered, refused)."""

    path: Path
    status: str
    respondent_code: str = ""
    respondent_id: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class MergePreview:
    round_id: int
    files: list[FilePreview]

    def mergeable(self, replace_existing: bool = False) -> list[FilePreview]:
        """Files whose answers :func:`apply_merge` would write."""
        accepted = {READY, ALREADY_ANSWERED} if replace_existing else {READY}
        return [f for f in self.files if f.status in accepted and f.answers]


@dataclass(frozen=True)
class RoundFindings:
    """Stage, target step, gaps and disagreements of one round (maturity figures if any).

    ``target_step`` is the engagement's (the one truth, see :mod:`workbench.core.method.target`);
    ``leaders_choice`` the step most respondents of this round chose (0 = stay where we are,
    None = nobody chose), shown beside it. ``gaps`` are the cells below the bar of every step
    from the first one not reached up to the target; ``disagreements`` follow the project's
    rule (``rule``).
    """

    template: Template
    answers: dict[str, dict[str, Any]]
    stage: scoring.StageResult
    target_step: int
    leaders_choice: int | None
    grid: dict[scoring.Cell, scoring.QuestionStats]
    gaps: list[scoring.Gap]
    disagreements: list[scoring.Disagreement]
    stats: dict[str, scoring.QuestionStats]
    rule: DisagreementRule = field(default_factory=lambda: DisagreementRule())

    @property
    def choice_note(self) -> str:
        """"Most leaders chose step 3; the engagement aims at step 2 — change it in Engagement."
        (empty when they agree or nobody chose)."""
        return leaders_choice_note(self.leaders_choice, self.target_step)


def load_template_file(path: str | Path,
                       warnings: list[FormWarning] | None = None) -> Template:
    """A template from a YAML or XLSX file; :class:`TemplateError` lists located problems.

    What an XLSForm had that the app skipped or changed is added to ``warnings``.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        loaded = read_xlsform(path)
        if warnings is not None:
            warnings.extend(loaded.warnings)
        return loaded.template
    return load_template(path)


def start_round(project: Project, template: Template, name: str = "",
                date: dt.date | None = None) -> int:
    """Store the template version (once) and open a new round on it; return the round id.

    A template with the same id and version but different content is refused, since the
    stored snapshot is what earlier rounds were answered against.
    """
    source = template.model_dump_json()
    template_id = project.assessments.store_template(template.id, template.version,
                                                     template.title, source)
    stored = Template.model_validate_json(project.assessments.template_source(template_id))
    if stored != template:
        raise WorkbenchError(
            f"The project already holds version {template.version} of {template.id!r} with "
            "different questions. Give the changed template a higher version number.")
    return project.assessments.add_round(template_id, name or template.title,
                                         date or dt.date.today())


def round_template(project: Project, round_id: int) -> Template:
    """The template snapshot a round was started with."""
    info = project.assessments.round(round_id)
    return Template.model_validate_json(project.assessments.template_source(info.template.id))


def visible_questions(template: Template, answers: Mapping[str, Any]) -> list[Question]:
    """The questions a respondent sees given their answers so far (branching honoured)."""
    return [q for q in template.questions() if template.is_visible(q, answers)]


def respondent_progress(project: Project, round_id: int) -> list[RespondentProgress]:
    """Each respondent of a round with answered / visible question counts."""
    template = round_template(project, round_id)
    by_code = project.assessments.answers(round_id)
    result = []
    for r in project.assessments.respondents(round_id):
        given = by_code.get(r.code, {})
        visible = visible_questions(template, given)
        answered = sum(1 for q in visible if given.get(q.id) is not None)
        result.append(RespondentProgress(r.id, r.code, r.name, r.role, r.department,
                                         answered, len(visible), r.position))
    return result


def workbook_round_key(project: Project, round_id: int) -> str:
    """The round identifier written into response workbooks: unique to this engagement."""
    return f"{project.engagement.uuid()[:8]}-{round_id}"


def export_round_workbooks(project: Project, round_id: int, folder: str | Path,
                           progress: Progress | None = None) -> list[Path]:
    """Write one response workbook per respondent of the round into ``folder``."""
    progress = ensure_progress(progress)
    template = round_template(project, round_id)
    codes = [r.code for r in project.assessments.respondents(round_id)]
    if not codes:
        raise WorkbenchError("This round has no respondents yet; add them first.")
    round_key = workbook_round_key(project, round_id)
    signing_key = project.settings.signing_key()
    paths: list[Path] = []
    for index, code in enumerate(codes):
        progress.update(index / len(codes), f"Writing the workbook for {code}")
        paths += export_response_workbook(template, [code], folder, round_key,
                                          key=signing_key)
    progress.update(1.0, f"{count(len(paths), 'workbook')} written")
    return paths


def preview_returned_files(project: Project, round_id: int, paths: Sequence[str | Path],
                           progress: Progress | None = None) -> MergePreview:
    """Read returned workbooks; say per file what would be merged and what is wrong."""
    progress = ensure_progress(progress)
    template = round_template(project, round_id)
    round_key = workbook_round_key(project, round_id)
    signing_key = project.settings.signing_key()
    respondents = {r.code: r for r in project.assessments.respondents(round_id)}
    already = {code for code, given in project.assessments.answers(round_id).items() if given}
    seen: dict[str, Path] = {}
    files: list[FilePreview] = []
    for index, raw_path in enumerate(paths):
        path = Path(raw_path)
        progress.update(index / max(len(paths), 1), f"Reading {path.name}")
        try:
            result = read_response_workbook(path, template, round_key, key=signing_key)
        except WorkbenchError as error:  # not a workbook, not ours, other template or round
            files.append(FilePreview(path, REFUSED, reason=str(error)))
            continue
        code = result.respondent_code
        respondent = respondents.get(code)
        if respondent is None:
            reason = f"{path.name}: respondent {code!r} is not part of this round"
            files.append(FilePreview(path, REFUSED, code, None, result.answers, result.problems,
                                     reason))
            continue
        if code in seen:
            reason = f"{path.name}: {code!r} was already read from {seen[code].name}"
            files.append(FilePreview(path, REFUSED, code, respondent.id, result.answers,
                                     result.problems, reason))
            continue
        seen[code] = path
        status, reason = READY, ""
        if code in already:
            status = ALREADY_ANSWERED
            reason = (f"{code} has already answered in the project; merging replaces those "
                      "answers")
        files.append(FilePreview(path, status, code, respondent.id, result.answers,
                                 result.problems, reason))
    progress.update(1.0, "Files read")
    return MergePreview(round_id, files)


def apply_merge(project: Project, preview: MergePreview, replace_existing: bool = False) -> int:
    """Write the mergeable files' answers as one undoable edit; return how many were merged.

    Only the respondents named by those files are touched.
    """
    chosen = preview.mergeable(replace_existing)
    if not chosen:
        return 0
    template = round_template(project, preview.round_id)
    answers: dict[int, dict[str, Any]] = {}
    for item in chosen:
        assert item.respondent_id is not None
        given: dict[str, Any] = dict.fromkeys(
            (q.id for q in template.questions()), None) if replace_existing else {}
        given.update(item.answers)
        answers[item.respondent_id] = given
    names = ", ".join(item.respondent_code for item in chosen)
    project.assessments.set_many_answers(answers, f"Import answers of {names}")
    return len(chosen)


def is_maturity_template(template: Template) -> bool:
    """Whether a template rates ladder cells (questions with a step and micro-foundation)."""
    return any(q.group is not None for q in template.questions())


def round_findings(project: Project, round_id: int) -> RoundFindings:
    """Stage reached, the engagement's target step (with what most respondents chose beside
    it), the gaps of every step from the first one not reached up to the target, and the
    questions on which leaders are split under the project's disagreement rule."""
    from workbench.core.method.settings import disagreement_rule
    from workbench.core.method.target import engagement_step

    template = round_template(project, round_id)
    answers = project.assessments.answers(round_id)
    target = engagement_step(project)
    rule = disagreement_rule(project)
    stage = scoring.stage_reached(template, answers)
    return RoundFindings(
        template, answers, stage, target, scoring.chosen_target_step(template, answers),
        scoring.maturity_grid(template, answers),
        scoring.gaps(template, answers, target, from_step=stage.stage + 1),
        scoring.disagreements(template, answers, rule.min_levels, rule.min_each_side),
        scoring.all_question_stats(template, answers), rule)


def compare_rounds(project: Project, earlier_id: int, later_id: int) -> list[scoring.Change]:
    """Mean per numeric question in two rounds of the same questionnaire, with the change.

    Questions are matched by id using the later round's template; rounds of different
    questionnaires are refused.
    """
    earlier, later = round_template(project, earlier_id), round_template(project, later_id)
    if earlier.id != later.id:
        raise WorkbenchError(f"Only rounds of the same questionnaire can be compared "
                             f"({earlier.title!r} and {later.title!r} differ).")
    before = project.assessments.answers(earlier_id)
    after = project.assessments.answers(later_id)
    known = {q.id for q in later.questions()}
    before = {code: {k: v for k, v in given.items() if k in known}
              for code, given in before.items()}
    return scoring.round_change(later, before, after)
