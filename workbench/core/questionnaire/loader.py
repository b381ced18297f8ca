"""Load questionnaire templates from YAML, reporting every problem by file, line and field."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.questionnaire.schema import Issue, Template, validate_template_data
from workbench.core.yaml_source import field_path, line_of, plain, read_yaml_mapping
from workbench.paths import templates_dir

MAX_TEMPLATE_BYTES = 2_000_000
QUESTIONNAIRE_FILES = (
    "maturity_ladder.yaml",
    "org_design.yaml",
    "customer_learning.yaml",
    "insight_to_action.yaml",
)


class TemplateError(WorkbenchError):
    """A template that cannot be used; ``problems`` locate each reason (row = line)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0] if problems else None
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{format_problem(first)}{more}" if first else "invalid template")


def load_template(path: str | Path) -> Template:
    """Read and validate one YAML template; raise :class:`TemplateError` listing all problems."""
    template, problems = _load(Path(path))
    if template is None:
        raise TemplateError(problems)
    return template


def check_template(path: str | Path) -> list[Problem]:
    """All problems of one YAML template (empty when it is valid); never raises for bad input."""
    return _load(Path(path))[1]


def format_problem(problem: Problem) -> str:
    """One ``FILE:LINE: field: message`` line (line and field left out when unknown)."""
    where = problem.file if problem.row is None else f"{problem.file}:{problem.row}"
    field = f" {problem.column}:" if problem.column else ""
    return f"{where}:{field} {problem.message}"


def format_problems(problems: Iterable[Problem]) -> str:
    """The report printed by ``workbench check-template FILE`` (one line per problem)."""
    return "\n".join(format_problem(p) for p in problems)


def builtin_templates() -> list[Template]:
    """The questionnaires shipped with the app, in a fixed order (parsed once per process)."""
    return list(_builtin_templates())


@functools.cache
def _builtin_templates() -> tuple[Template, ...]:
    return tuple(load_template(templates_dir() / name) for name in QUESTIONNAIRE_FILES)


def _load(path: Path) -> tuple[Template | None, list[Problem]]:
    document, problems = read_yaml_mapping(path, MAX_TEMPLATE_BYTES,
                                           "a mapping (id, version, ...)")
    if document is None:
        return None, problems
    template, issues = validate_template_data(plain(document))
    return template, [_locate(str(path), document, issue) for issue in issues]


def _locate(file: str, document: CommentedMap, issue: Issue) -> Problem:
    return Problem(file, issue.kind, issue.message, line_of(document, issue.loc),
                   field_path(issue.loc) or None)
