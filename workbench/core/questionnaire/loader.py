"""Load questionnaire templates from YAML, reporting every problem by file, line and field."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.questionnaire.schema import Issue, Loc, Template, validate_template_data
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


def field_path(loc: Loc) -> str:
    """``("sections", 0, "questions", 2, "kind")`` -> ``sections[0].questions[2].kind``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _load(path: Path) -> tuple[Template | None, list[Problem]]:
    name = str(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_TEMPLATE_BYTES else None
    except OSError as error:
        return None, [Problem(name, "unreadable", f"cannot read the file: {error.strerror}")]
    if raw is None:
        return None, [Problem(name, "too_large",
                              f"the file is larger than {MAX_TEMPLATE_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Problem(name, "encoding",
                              f"not UTF-8 text (byte {error.start}); save the file as UTF-8")]
    try:
        document = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(str(p) for p in (error.context, error.problem) if p)
        return None, [Problem(name, "broken_yaml", f"YAML syntax error: {reason}", line)]
    except YAMLError as error:
        return None, [Problem(name, "broken_yaml", f"YAML syntax error: {error}")]
    if not isinstance(document, CommentedMap):
        return None, [Problem(name, "wrong_type", "the file must hold a mapping (id, version, ...)",
                              1)]
    template, issues = validate_template_data(_plain(document))
    return template, [_locate(name, document, issue) for issue in issues]


def _locate(file: str, document: CommentedMap, issue: Issue) -> Problem:
    return Problem(file, issue.kind, issue.message, _line_of(document, issue.loc),
                   field_path(issue.loc) or None)


def _line_of(node: Any, loc: Loc) -> int:
    """1-based line of the deepest YAML node on ``loc`` that exists."""
    line = node.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _plain(node: Any) -> Any:
    """Convert ruamel's round-trip containers and scalar subclasses into plain Python values."""
    if isinstance(node, dict):
        return {_plain(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    for kind in (str, int, float):
        if isinstance(node, kind):
            return kind(node)
    return node
