"""One respondent's answers from a two-column table (``question,value``), checked as a whole.

Used by ``workbench answer``. The file may be CSV (any common encoding and separator) or XLSX.
Every problem names the file, the row and the column; when any problem is an error nothing is
written. Otherwise the round (created when missing), the respondent (added when new) and the
answers are saved as one undoable edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.network.tabular import read_table
from workbench.core.questionnaire.response_workbook import parse_answer
from workbench.core.questionnaire.schema import Template

if TYPE_CHECKING:
    from workbench.core.project import Project

QUESTION_COLUMN, VALUE_COLUMN = "question", "value"
MAX_ANSWER_ROWS = 5_000


@dataclass
class AnswerFile:
    """What a file holds for one template: the answers and every problem found."""

    answers: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True)
class SavedAnswers:
    round_name: str
    round_created: bool
    respondent: str
    respondent_added: bool
    answers: int
    warnings: list[Problem]


def read_answer_file(path: str | Path, template: Template) -> AnswerFile:
    """Parse and check ``path`` against ``template`` (nothing is written)."""
    name = Path(path).name
    result = AnswerFile()
    with read_table(path, max_rows=MAX_ANSWER_ROWS) as table:
        lowered = [c.strip().casefold() for c in table.columns]
        missing = [c for c in (QUESTION_COLUMN, VALUE_COLUMN) if c not in lowered]
        if missing:
            raise WorkbenchError(f"{name}: row {table.header_row}: the header needs the columns "
                                 f"'question' and 'value' (missing: {', '.join(missing)}).")
        q_col, v_col = lowered.index(QUESTION_COLUMN), lowered.index(VALUE_COLUMN)
        known = {q.id: q for q in template.questions()}
        seen: dict[str, int] = {}
        for number, cells in table.rows:
            qid, text = cells[q_col].strip(), cells[v_col].strip()
            if not qid:
                result.problems.append(Problem(name, "no_question", "a value without a question "
                                               "id", number, QUESTION_COLUMN))
                continue
            question = known.get(qid)
            if question is None:
                close = [k for k in known if k.casefold() == qid.casefold()]
                hint = f"; did you mean {close[0]!r}?" if close else ""
                result.problems.append(Problem(name, "unknown_question", f"{qid!r} is not a "
                                               f"question of {template.id!r}{hint}", number,
                                               QUESTION_COLUMN))
                continue
            if qid in seen:
                result.problems.append(Problem(name, "duplicate_question", f"{qid!r} is "
                                               f"answered again (first on row {seen[qid]})",
                                               number, QUESTION_COLUMN))
                continue
            seen[qid] = number
            if not text:
                continue
            value, error = parse_answer(question, text)
            if error:
                result.problems.append(Problem(name, "invalid_answer", f"{qid}: {error}", number,
                                               VALUE_COLUMN))
            else:
                result.answers[qid] = value
        result.problems[:0] = table.problems.to_list()
    for qid in result.answers:
        if not template.is_visible(known[qid], result.answers):
            result.problems.append(Problem(name, "not_applicable", f"{qid}: answered although "
                                           "its condition is not met; the answer is kept",
                                           seen[qid], VALUE_COLUMN, severity="warning"))
    return result


def resolve_template(project: Project, template_id: str) -> Template:
    """The project's newest stored version of ``template_id``, else the built-in template."""
    from workbench.core.questionnaire.loader import builtin_templates

    stored = [r.template for r in project.assessments.rounds() if r.template.key == template_id]
    if stored:
        newest = max(stored, key=lambda t: t.version)
        return Template.model_validate_json(project.assessments.template_source(newest.id))
    builtin = {t.id: t for t in builtin_templates()}
    if template_id in builtin:
        return builtin[template_id]
    known = sorted(set(builtin) | {r.template.key for r in project.assessments.rounds()})
    raise WorkbenchError(f"There is no questionnaire {template_id!r}; known ones: "
                         f"{', '.join(known)}.")


def save_answer_file(project: Project, template_id: str, respondent: str, path: str | Path,
                     round_name: str | None = None) -> SavedAnswers:
    """Check ``path`` and, when it has no error, save it as ``respondent``'s answers.

    The round is ``round_name`` of this questionnaire (created when missing), or without a name
    the newest round of it (one named after the questionnaire when there is none). Raises
    :class:`AnswerFileError` listing every problem when any is an error.
    """
    from workbench.core.questionnaire.rounds import start_round

    respondent = respondent.strip()
    if not respondent:
        raise WorkbenchError("The respondent needs a name.")
    rounds = project.assessments.rounds()
    if round_name is not None:
        round_name = round_name.strip()
        clash = [r for r in rounds if r.name == round_name and r.template.key != template_id]
        if clash:
            raise WorkbenchError(f"Round {round_name!r} belongs to the questionnaire "
                                 f"{clash[0].template.key!r}, not {template_id!r}.")
    mine = [r for r in rounds if r.template.key == template_id
            and (round_name is None or r.name == round_name)]
    existing = max(mine, key=lambda r: r.id) if mine else None
    if existing is not None:
        template = Template.model_validate_json(
            project.assessments.template_source(existing.template.id))
    else:
        template = resolve_template(project, template_id)
    found = read_answer_file(path, template)
    if found.errors:
        raise AnswerFileError(found.problems)
    name = round_name or (existing.name if existing else template.title)
    with project.edit(f"Answers of {respondent} from {Path(path).name}"):
        round_id = existing.id if existing else start_round(project, template, name)
        people = project.assessments.respondents(round_id)
        match = next((r for r in people if respondent in (r.code, r.name)), None)
        respondent_id = match.id if match else project.assessments.add_respondent(
            round_id, respondent, name=respondent)
        project.assessments.set_answers(respondent_id, found.answers)
    return SavedAnswers(name, existing is None, respondent, match is None, len(found.answers),
                        [p for p in found.problems if p.severity != "error"])


class AnswerFileError(WorkbenchError):
    """An answer file with errors; ``problems`` holds all of them, warnings included."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        lines = [str(p) for p in errors[:20]]
        if len(errors) > 20:
            lines.append(f"... and {len(errors) - 20} more")
        super().__init__(f"{len(errors)} problem(s); nothing was saved:\n  " + "\n  ".join(lines))
