"""Questionnaire template model (pydantic 2) and the checks that need the whole template.

Validation is in two layers so that every problem can be located in its source file:

* field-level rules live on the models (types, kinds, anchors, options, defaults);
* cross-question rules (unique ids, branching targets, the target-step question, what an
  importance question ``weighs``) are returned by :func:`template_issues` with the path
  (``loc``) of the offending field.

Three optional question fields feed the method (gaps, their weights and labels):

* ``levels`` (single_choice only): the maturity level 0..4 each option stands for, e.g.
  ``{cco: 4, shared: 2, nobody: 0}``; an option without a level does not count towards a gap;
* ``weighs`` (on a scale_1_5 question, or a number question from 1 to 5): the id of the question
  of the same template (numeric, or a choice with levels) whose gap this importance rating
  weighs; a question is weighed by one question at most;
* ``short``: a short readable label for the item (used in gap lists, the workbook and the PDF).

:func:`validate_template_data` runs both and returns :class:`Issue` objects; the YAML loader maps
each ``loc`` to a line, the XLSX importer to a sheet row and column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

Foundation = Literal[
    "communication_systems",
    "information_sharing",
    "collaborative_work_processes",
    "roles_responsibilities",
    "performance_measures",
    "working_climate",
    "other_assets_resources",
]
FOUNDATIONS: tuple[str, ...] = Foundation.__args__  # type: ignore[attr-defined]
FOUNDATION_LABELS: dict[str, str] = {
    "communication_systems": "Communication systems",
    "information_sharing": "Information sharing",
    "collaborative_work_processes": "Collaborative work processes",
    "roles_responsibilities": "Roles & responsibilities",
    "performance_measures": "Performance measures",
    "working_climate": "Working climate",
    "other_assets_resources": "Other assets & resources",
}
STEPS: dict[int, str] = {
    1: "Internal social networks",
    2: "Cross-functional teams",
    3: "Customer-centricity coordinator",
    4: "Matrix reporting organisation",
    5: "Customer segment managers",
}
QuestionKind = Literal[
    "single_choice", "multiple_choice", "rating_0_4", "scale_1_5", "number", "text", "ranking"
]
QUESTION_KINDS: tuple[str, ...] = QuestionKind.__args__  # type: ignore[attr-defined]
CHOICE_KINDS = frozenset({"single_choice", "multiple_choice", "ranking"})
NUMERIC_KINDS = frozenset({"rating_0_4", "scale_1_5", "number"})
Loc = tuple[str | int, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Option(_Strict):
    """One answer option: ``value`` is stored, ``label`` is shown."""

    value: str = Field(min_length=1)
    label: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, data: Any) -> Any:
        if isinstance(data, str | int) and not isinstance(data, bool):
            return {"value": str(data), "label": str(data)}
        return data

    @model_validator(mode="after")
    def _label_defaults_to_value(self) -> Option:
        if not self.label:
            object.__setattr__(self, "label", self.value)
        return self


class ShowIf(_Strict):
    """Branching: show the question only when an earlier answer equals a value or is in a list."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    question: str = Field(min_length=1)
    equals: str | int | float | None = None
    in_: list[str | int | float] | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def _exactly_one_condition(self) -> ShowIf:
        if (self.equals is None) == (self.in_ is None):
            raise ValueError("give exactly one of 'equals' or 'in'")
        return self

    def accepted(self) -> list[str]:
        """The answer values (as text) that make the question visible."""
        values = [self.equals] if self.in_ is None else self.in_
        return [_as_text(v) for v in values]


class Group(_Strict):
    """Where a question sits on the maturity ladder."""

    step: int = Field(ge=1, le=5)
    foundation: Foundation


class Question(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    kind: QuestionKind
    text: str = Field(min_length=1)
    help: str = ""
    required: bool = False
    options: list[Option] = Field(default_factory=list, validate_default=True)
    anchors: tuple[str, str, str, str, str] | None = Field(default=None, validate_default=True)
    min: float | None = None
    max: float | None = Field(default=None, validate_default=True)
    show_if: ShowIf | None = None
    group: Group | None = None
    tags: list[str] = Field(default_factory=list)
    default: Any = Field(default=None, validate_default=True)
    levels: dict[str, int] | None = None
    weighs: str | None = Field(default=None, min_length=1)
    short: str = Field(default="", max_length=60)

    @field_validator("options")
    @classmethod
    def _options_fit_kind(cls, options: list[Option], info: ValidationInfo) -> list[Option]:
        kind = info.data.get("kind")
        if kind in CHOICE_KINDS and len(options) < 2:
            raise ValueError(f"a {kind} question needs at least two options")
        if kind is not None and kind not in CHOICE_KINDS and options:
            raise ValueError(
                f"options are only allowed for choice and ranking questions, not {kind}")
        values = [o.value for o in options]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"duplicate option value(s): {', '.join(duplicates)}")
        return options

    @field_validator("anchors", mode="before")
    @classmethod
    def _anchors_for_every_level(cls, anchors: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        if anchors is None:
            if kind == "rating_0_4":
                raise ValueError("a rating_0_4 question needs an anchor text for each level 0..4")
            return None
        if kind is not None and kind != "rating_0_4":
            raise ValueError(f"anchors are only allowed for rating_0_4 questions, not {kind}")
        if isinstance(anchors, Mapping):
            keys = {_level_key(k) for k in anchors}
            missing = [str(level) for level in range(5) if level not in keys]
            extra = sorted(str(k) for k in keys if k not in range(5))
            if missing or extra:
                detail = f"missing level(s) {', '.join(missing)}" if missing else ""
                if extra:
                    detail += ("; " if detail else "") + f"unknown level(s) {', '.join(extra)}"
                raise ValueError(f"anchors must cover levels 0..4 exactly: {detail}")
            anchors = [anchors[k] for k in sorted(anchors, key=_level_key)]
        if isinstance(anchors, list | tuple):
            if len(anchors) != 5:
                raise ValueError(f"anchors need 5 texts (levels 0..4), found {len(anchors)}")
            empty = [str(i) for i, a in enumerate(anchors)
                     if not isinstance(a, str) or not a.strip()]
            if empty:
                raise ValueError(f"the anchor text for level(s) {', '.join(empty)} is missing")
        return anchors

    @field_validator("max")
    @classmethod
    def _range_is_ordered(cls, maximum: float | None, info: ValidationInfo) -> float | None:
        minimum = info.data.get("min")
        kind = info.data.get("kind")
        if kind is not None and kind != "number" and (minimum is not None or maximum is not None):
            raise ValueError(f"min/max are only allowed for number questions, not {kind}")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValueError(f"min ({minimum:g}) is greater than max ({maximum:g})")
        return maximum

    @field_validator("default")
    @classmethod
    def _default_is_a_valid_answer(cls, default: Any, info: ValidationInfo) -> Any:
        if default is None or "kind" not in info.data:
            return default
        error = answer_error(
            info.data["kind"],
            default,
            options=[o.value for o in info.data.get("options") or []],
            minimum=info.data.get("min"),
            maximum=info.data.get("max"),
        )
        if error:
            raise ValueError(f"default: {error}")
        return default

    @field_validator("levels", mode="before")
    @classmethod
    def _levels_keys_as_text(cls, levels: Any) -> Any:
        if isinstance(levels, Mapping):
            return {_as_text(k): v for k, v in levels.items()}
        return levels

    @field_validator("levels")
    @classmethod
    def _levels_fit_options(cls, levels: dict[str, int] | None,
                            info: ValidationInfo) -> dict[str, int] | None:
        if levels is None:
            return None
        kind = info.data.get("kind")
        if kind is not None and kind != "single_choice":
            raise ValueError(f"levels are only allowed for single_choice questions, not {kind}")
        if not levels:
            raise ValueError("give a level 0..4 for at least one option, or leave levels out")
        options = [o.value for o in info.data.get("options") or []]
        unknown = [k for k in levels if options and k not in options]
        if unknown:
            raise ValueError(f"levels name {', '.join(map(repr, unknown))}, which "
                             f"{'is not an option' if len(unknown) == 1 else 'are not options'}"
                             f" of this question")
        wrong = [f"{k!r} ({v})" for k, v in levels.items() if not 0 <= v <= 4]
        if wrong:
            raise ValueError(f"levels run from 0 to 4; found {', '.join(wrong)}")
        return levels

    def level_of(self, value: Any) -> float | None:
        """The maturity level 0..4 of one answer, or None when the answer has no level.

        rating_0_4 answers are their own level; other numeric answers are placed on 0..4 by
        their range (scale 1..5: value - 1); single_choice answers take the option's
        ``levels`` entry.
        """
        if value is None:
            return None
        if self.kind == "single_choice":
            if self.levels is None:
                return None
            level = self.levels.get(_as_text(value))
            return None if level is None else float(level)
        if self.kind not in NUMERIC_KINDS or isinstance(value, bool):
            return None
        value_range = self.value_range
        if value_range is None or value_range[1] <= value_range[0]:
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        low, high = value_range
        return (number - low) / (high - low) * 4

    @property
    def value_range(self) -> tuple[float, float] | None:
        """Lowest and highest possible numeric answer, when known."""
        if self.kind == "rating_0_4":
            return (0.0, 4.0)
        if self.kind == "scale_1_5":
            return (1.0, 5.0)
        if self.kind == "number" and self.min is not None and self.max is not None:
            return (self.min, self.max)
        return None

    def answer_error(self, value: Any) -> str | None:
        """Why ``value`` is not a valid answer to this question, or None when it is."""
        return answer_error(
            self.kind, value, [o.value for o in self.options], self.min, self.max
        )


class Section(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    title: str = Field(min_length=1)
    help: str = ""
    questions: list[Question] = Field(min_length=1)


class Bar(_Strict):
    """The bar a ladder step must meet: mean of its cell means and lowest cell mean."""

    mean: float = Field(default=3.0, ge=0, le=4)
    min_cell: float = Field(default=2.0, ge=0, le=4)


Axis = Literal["step", "foundation", "section", "tag"]


class Scoring(_Strict):
    bar: Bar = Field(default_factory=Bar)
    axes: list[Axis] = Field(default_factory=lambda: list[Axis](["step", "foundation"]))
    target_question: str | None = None
    min_group_size: int = Field(default=5, ge=3)


class Translations(_Strict):
    """The texts of a template in other languages, kept so that a multilingual XLSForm keeps
    them when it is exported again (the app itself asks in one language).

    ``language`` names the language of the template's own texts ("English (en)"; empty when
    the form did not name it). ``texts`` maps a language to its texts by key:
    ``form_title``, ``section.ID.label``, ``section.ID.hint``, ``question.ID.label``,
    ``question.ID.hint``, ``question.ID.constraint_message`` and ``choice.ID.VALUE`` (the
    option VALUE of question ID). Constraint messages are kept for every language, the
    template's own included, as the template has no field of its own for them.
    """

    language: str = ""
    texts: dict[str, dict[str, str]] = Field(default_factory=dict)


class Template(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    description: str = ""
    sections: list[Section] = Field(min_length=1)
    scoring: Scoring = Field(default_factory=Scoring)
    translations: Translations | None = None

    def questions(self) -> list[Question]:
        """All questions in display order."""
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError when there is none."""
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def is_visible(self, question: Question, answers: Mapping[str, Any]) -> bool:
        """Whether ``question`` is shown given the respondent's ``answers`` (branching)."""
        if question.show_if is None:
            return True
        value = answers.get(question.show_if.question)
        if value is None:
            return False
        given = [_as_text(v) for v in value] if isinstance(value, list) else [_as_text(value)]
        return any(v in question.show_if.accepted() for v in given)

    def target_step(self, answers: Mapping[str, Any]) -> int | None:
        """The ladder step one respondent chose as target (via ``scoring.target_question``)."""
        qid = self.scoring.target_question
        value = answers.get(qid) if qid else None
        try:
            step = int(str(value))
        except ValueError:
            return None
        return step if 0 <= step <= 5 else None


@dataclass(frozen=True)
class Issue:
    """A template problem located by the path of the field it concerns."""

    loc: Loc
    kind: str
    message: str


def answer_error(
    kind: str,
    value: Any,
    options: list[str] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> str | None:
    """Check one answer against a question kind; return a message, or None when valid."""
    options = options or []
    if kind in ("rating_0_4", "scale_1_5"):
        low, high = (0, 4) if kind == "rating_0_4" else (1, 5)
        number = _as_integer(value)
        if number is None or not low <= number <= high:
            return f"{value!r} is not a whole number from {low} to {high}"
        return None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            return f"{value!r} is not a number"
        if minimum is not None and value < minimum:
            return f"{value:g} is below the minimum {minimum:g}"
        if maximum is not None and value > maximum:
            return f"{value:g} is above the maximum {maximum:g}"
        return None
    if kind == "text":
        return None if isinstance(value, str) else f"{value!r} is not text"
    if kind == "single_choice":
        return None if _as_text(value) in options else f"{value!r} is not one of the options"
    if not isinstance(value, list):
        return f"{value!r} is not a list of options"
    unknown = [v for v in value if _as_text(v) not in options]
    if unknown:
        return f"unknown option(s): {', '.join(map(str, unknown))}"
    if len(set(map(_as_text, value))) != len(value):
        return "an option is given more than once"
    if kind == "ranking" and len(value) != len(options):
        return f"a ranking must order all {len(options)} options"
    return None


def template_issues(template: Template) -> list[Issue]:
    """Cross-question problems: duplicate ids, branching targets, what ``weighs`` names, the
    target-step question."""
    issues: list[Issue] = []
    seen_sections: set[str] = set()
    earlier: dict[str, Question] = {}
    everywhere = {q.id for q in template.questions()}
    for s_index, section in enumerate(template.sections):
        if section.id in seen_sections:
            issues.append(Issue(("sections", s_index, "id"), "duplicate_id",
                                f"section id {section.id!r} is used twice"))
        seen_sections.add(section.id)
        for q_index, question in enumerate(section.questions):
            loc: Loc = ("sections", s_index, "questions", q_index)
            if question.id in earlier:
                issues.append(Issue((*loc, "id"), "duplicate_id",
                                    f"question id {question.id!r} is used twice"))
            if question.show_if is not None:
                issues.extend(_branching_issues(question, earlier, everywhere, loc))
            earlier.setdefault(question.id, question)
    issues.extend(_weighing_issues(template))
    target = template.scoring.target_question
    if target is not None:
        target_q = earlier.get(target)
        if target_q is None:
            issues.append(Issue(("scoring", "target_question"), "unknown_question",
                                f"target question {target!r} does not exist"))
        elif target_q.kind != "single_choice":
            issues.append(Issue(("scoring", "target_question"), "wrong_kind",
                                f"target question {target!r} must be single_choice"))
        elif any(_as_integer(o.value) not in range(6) for o in target_q.options):
            issues.append(Issue(("scoring", "target_question"), "wrong_value",
                                f"the options of {target!r} must have values 0..5 (step numbers)"))
    return issues


def _weighing_issues(template: Template) -> list[Issue]:
    """``weighs``: names another numeric question of the template; the weigher rates 1..5;
    no question is weighed twice."""
    issues: list[Issue] = []
    by_id = {q.id: q for q in template.questions()}
    weighed: dict[str, str] = {}
    for s_index, section in enumerate(template.sections):
        for q_index, question in enumerate(section.questions):
            if question.weighs is None:
                continue
            where: Loc = ("sections", s_index, "questions", q_index, "weighs")
            target = by_id.get(question.weighs)
            if question.kind != "scale_1_5" and (question.kind != "number"
                                                 or (question.min, question.max) != (1, 5)):
                issues.append(Issue(where, "wrong_kind",
                                    f"{question.id!r} weighs another question, so it must be a "
                                    "scale_1_5 question (or a number from 1 to 5)"))
            elif question.weighs == question.id:
                issues.append(Issue(where, "invalid_value",
                                    f"{question.id!r} cannot weigh itself"))
            elif target is None:
                issues.append(Issue(where, "unknown_question",
                                    f"weighs names unknown question {question.weighs!r}"))
            elif target.kind not in NUMERIC_KINDS and target.levels is None:
                issues.append(Issue(where, "wrong_kind",
                                    f"weighs names {question.weighs!r}, which is {target.kind} "
                                    "and has no levels, so it has no gap to weigh"))
            elif question.weighs in weighed:
                issues.append(Issue(where, "duplicate_id",
                                    f"{question.weighs!r} is already weighed by "
                                    f"{weighed[question.weighs]!r}"))
            else:
                weighed[question.weighs] = question.id
    return issues


def validate_template_data(data: Any) -> tuple[Template | None, list[Issue]]:
    """Validate parsed template data; return the template (None if invalid) and all issues."""
    try:
        template = Template.model_validate(data)
    except ValidationError as error:
        return None, [_issue_from_pydantic(e) for e in error.errors()]
    issues = template_issues(template)
    return (None if issues else template), issues


def _branching_issues(
    question: Question, earlier: dict[str, Question], everywhere: set[str], loc: Loc
) -> list[Issue]:
    assert question.show_if is not None
    target_id = question.show_if.question
    where: Loc = (*loc, "show_if", "question")
    if target_id == question.id:
        return [Issue(where, "bad_branching", f"{question.id!r} cannot depend on itself")]
    if target_id not in earlier:
        if target_id in everywhere:
            return [Issue(where, "bad_branching",
                          f"show_if refers to {target_id!r}, which comes later; "
                          "a condition may only use an earlier question")]
        return [Issue(where, "bad_branching", f"show_if refers to unknown question {target_id!r}")]
    target = earlier[target_id]
    if target.kind in CHOICE_KINDS:
        allowed = {o.value for o in target.options}
        unknown = [v for v in question.show_if.accepted() if v not in allowed]
        if unknown:
            field = "equals" if question.show_if.in_ is None else "in"
            return [Issue((*loc, "show_if", field), "bad_branching",
                          f"{', '.join(unknown)} is not an option of {target_id!r}")]
    return []


def _issue_from_pydantic(error: Mapping[str, Any]) -> Issue:
    loc = tuple(error["loc"])
    kind = {
        "missing": "missing_field",
        "extra_forbidden": "unknown_field",
        "literal_error": "unknown_value",
        "value_error": "invalid_value",
    }.get(error["type"], "wrong_type")
    if loc and loc[-1] == "kind" and error["type"] == "literal_error":
        kind = "unknown_kind"
        message = (f"unknown question kind {error.get('input')!r}; "
                   f"use one of: {', '.join(QUESTION_KINDS)}")
    elif loc and loc[-1] == "anchors" and error["type"] == "value_error":
        kind = "missing_anchors" if "needs" in error["msg"] or "missing" in error["msg"] else kind
        message = error["msg"].removeprefix("Value error, ")
    elif loc and loc[-1] == "default" and error["type"] == "value_error":
        kind = "bad_default"
        message = error["msg"].removeprefix("Value error, ")
    else:
        message = error["msg"].removeprefix("Value error, ")
        if kind == "wrong_type" and "input" in error:
            message += f" (found {error['input']!r})"
    return Issue(loc, kind, message)


def _level_key(key: Any) -> Any:
    number = _as_integer(key)
    return number if number is not None else key


def _as_integer(value: Any) -> int | None:
    """An int from 3, 3.0 or "3"; None for anything else (bools included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
