"""The action library: concrete actions per ladder step x micro-foundation and per design question.

The library is data (``templates/actions.yaml``), validated on load with pydantic. Every problem
names the file, the line (YAML) or row (XLSX) and the field. Consultants can export the library
to a workbook, edit it, and import it back through the same validation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from ruamel.yaml.comments import CommentedMap

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.questionnaire.loader import format_problem
from workbench.core.questionnaire.schema import FOUNDATION_LABELS, FOUNDATIONS, STEPS
from workbench.core.wording import count
from workbench.core.xlsx_safety import (
    XLSXWRITER_OPTIONS,
    atomic_output,
    iter_untrusted_rows,
    open_untrusted_workbook,
    write_xlsxwriter_cell,
)
from workbench.core.yaml_source import field_path, line_of, plain, read_yaml_mapping
from workbench.paths import templates_dir

DESIGN_QUESTIONS: dict[str, str] = {
    "customers_offer": "Chosen customers and offer",
    "journey_needs": "Journey stages and needs",
    "designed_experience": "Designed experience",
    "skills_systems": "Skills and systems",
    "quality_productivity_measures": "Quality and productivity measures",
    "continuous_improvement": "Continuous improvement",
    "data_driven_decisions": "Data-driven decisions",
    "incentives": "Incentives",
    "collaboration_mechanisms": "Collaboration mechanisms",
    "values_behaviours": "Values and behaviours",
    "leaders": "Leaders",
}
EFFORTS = ("S", "M", "L")
MIN_PER_AREA, MAX_PER_AREA = 2, 4
LIBRARY_FILE = "actions.yaml"
LIBRARY_SHEET = "Actions"
MAX_LIBRARY_BYTES = 2_000_000
# Workbook columns, in order; applies_to is split into three columns, depends_on is comma-separated.
LIBRARY_COLUMNS = (
    "id", "title", "purpose", "owner_role", "effort", "duration_days", "measure", "evidence",
    "step", "foundation", "design_question", "depends_on",
)

Loc = tuple[str | int, ...]


def area_label(key: str) -> str:
    """Readable name of a micro-foundation or design-question key (the key itself if unknown)."""
    return FOUNDATION_LABELS.get(key) or DESIGN_QUESTIONS.get(key) or key


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class AppliesTo(_Strict):
    """Either a ladder cell (step + micro-foundation) or one organisation-design question."""

    step: int | None = Field(default=None, ge=1, le=5)
    foundation: str | None = None
    design_question: str | None = None

    @field_validator("foundation")
    @classmethod
    def _known_foundation(cls, value: str | None) -> str | None:
        if value is not None and value not in FOUNDATIONS:
            raise ValueError(
                f"unknown micro-foundation {value!r}; use one of {', '.join(FOUNDATIONS)}"
            )
        return value

    @field_validator("design_question")
    @classmethod
    def _known_question(cls, value: str | None) -> str | None:
        if value is not None and value not in DESIGN_QUESTIONS:
            raise ValueError(
                f"unknown design question {value!r}; use one of {', '.join(DESIGN_QUESTIONS)}"
            )
        return value

    @model_validator(mode="after")
    def _cell_or_question(self) -> AppliesTo:
        cell = self.step is not None and self.foundation is not None
        if self.design_question is not None:
            if self.step is not None or self.foundation is not None:
                raise ValueError("give either step + foundation or design_question, not both")
        elif not cell:
            raise ValueError("give step and foundation together, or design_question")
        return self

    @property
    def key(self) -> str:
        """The micro-foundation or design-question key this action addresses."""
        return self.design_question or self.foundation or ""


class ActionTemplate(_Strict):
    """One reusable action of the library."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1)
    owner_role: str = Field(min_length=1, max_length=100)
    effort: Literal["S", "M", "L"]
    duration_days: int = Field(ge=1, le=100)
    measure: str = Field(min_length=1)
    evidence: str = Field(min_length=1)
    applies_to: AppliesTo
    depends_on: tuple[str, ...] = ()


class ActionLibrary(_Strict):
    """The validated library; use :func:`load_library` or :func:`import_library_xlsx`."""

    format_version: Literal[1] = 1
    actions: tuple[ActionTemplate, ...]

    def by_id(self, action_id: str) -> ActionTemplate:
        """The action with this id; ``KeyError`` if there is none."""
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(action_id)

    def for_area(self, key: str, step: int | None = None) -> list[ActionTemplate]:
        """Actions for a ladder cell (``step`` + foundation key) or a design question key."""
        return [a for a in self.actions if a.applies_to.key == key
                and (a.applies_to.design_question is not None or a.applies_to.step == step)]


class LibraryError(WorkbenchError):
    """A library that cannot be used; ``problems`` locate each reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{format_problem(problems[0])}{more}")


def load_library(path: str | Path | None = None) -> ActionLibrary:
    """Read and validate a YAML library (default: the built-in one); raise :class:`LibraryError`."""
    path = Path(path) if path is not None else templates_dir() / LIBRARY_FILE
    document = _read_yaml(path)
    return validate_library_document(document, str(path), lambda loc: (line_of(document, loc), field_path(loc)))


def coverage_problems(library: ActionLibrary, file: str = LIBRARY_FILE) -> list[Problem]:
    """Warnings for ladder cells and design questions with fewer than 2 or more than 4 actions."""
    areas: list[tuple[int | None, str]] = [(step, key) for step in STEPS for key in FOUNDATIONS]
    areas += [(None, key) for key in DESIGN_QUESTIONS]
    problems = []
    for step, key in areas:
        actions = len(library.for_area(key, step))
        if not MIN_PER_AREA <= actions <= MAX_PER_AREA:
            where = f"step {step}, {area_label(key)}" if step else f"question {area_label(key)}"
            problems.append(Problem(file, "coverage", f"{where} has {count(actions, 'action')}; "
                                    f"expected {MIN_PER_AREA} to {MAX_PER_AREA}",
                                    severity="warning"))
    return problems


def export_library_xlsx(library: ActionLibrary, path: str | Path) -> None:
    """Write the library to an editable workbook (drop-downs for effort, keys and steps)."""
    import xlsxwriter

    with atomic_output(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), XLSXWRITER_OPTIONS)
        sheet = book.add_worksheet(LIBRARY_SHEET)
        header = book.add_format({"bold": True, "bg_color": "#DDE5EE", "text_wrap": True})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for col, name in enumerate(LIBRARY_COLUMNS):
            sheet.write_string(0, col, name, header)
        for row, action in enumerate(library.actions, start=1):
            for col, value in enumerate(_row_values(action)):
                write_xlsxwriter_cell(sheet, row, col, value, wrap)
        last = max(len(library.actions), 1) + 500  # room for new rows typed by the consultant
        _add_choices(book, sheet, last)
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, len(library.actions), len(LIBRARY_COLUMNS) - 1)
        for col, width in enumerate((11, 34, 60, 26, 7, 9, 40, 40, 6, 28, 28, 18)):
            sheet.set_column(col, col, width)
        book.close()


def import_library_xlsx(path: str | Path) -> ActionLibrary:
    """Read a library workbook written by :func:`export_library_xlsx` (and edited)."""
    name = str(path)
    book = open_untrusted_workbook(path)
    problems: list[Problem] = []
    try:
        if LIBRARY_SHEET not in book.sheetnames:
            raise LibraryError([Problem(name, "missing_sheet",
                                        f"no sheet named {LIBRARY_SHEET!r}")])
        rows = list(iter_untrusted_rows(book[LIBRARY_SHEET], name, problems))
    finally:
        book.close()
    if not rows:
        raise LibraryError([Problem(name, "empty", f"sheet {LIBRARY_SHEET!r} is empty", 1)])
    headers = [str(v).strip().lower() if v is not None else "" for v in rows[0][1]]
    missing = [c for c in LIBRARY_COLUMNS if c not in headers]
    if missing:
        raise LibraryError([Problem(name, "missing_column", f"column {c!r} is missing", 1, c)
                            for c in missing])
    actions: list[dict[str, Any]] = []
    row_numbers: list[int] = []
    for number, values in rows[1:]:
        cells = dict(zip(headers, values, strict=False))
        if all(cells.get(c) in (None, "") for c in LIBRARY_COLUMNS):
            continue
        actions.append(_action_from_cells(cells))
        row_numbers.append(number)
    library = validate_library_document(
        {"format_version": 1, "actions": actions}, name,
        lambda loc: _xlsx_location(loc, row_numbers), problems,
    )
    return library


def validate_library_document(data: Any, file: str,
                              locate: Callable[[Loc], tuple[int | None, str]],
               problems: list[Problem] | None = None) -> ActionLibrary:
    """Validate plain data; every error becomes a Problem placed by ``locate(loc)``."""
    problems = [p for p in problems or [] if p.severity == "error"]
    library = None
    try:
        library = ActionLibrary.model_validate(plain(data))
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(item["loc"])
            row, field = locate(loc)
            problems.append(Problem(file, "invalid", item["msg"], row, field))
    if library is not None:
        for loc, message in _cross_issues(library):
            row, field = locate(loc)
            problems.append(Problem(file, "invalid", message, row, field))
    if problems or library is None:
        raise LibraryError(problems)
    return library


def _cross_issues(library: ActionLibrary) -> Iterator[tuple[Loc, str]]:
    """Duplicate ids, unknown or cyclic dependencies, dependencies on a later step."""
    seen: dict[str, int] = {}
    for index, action in enumerate(library.actions):
        if action.id in seen:
            yield (("actions", index, "id"),
                   f"id {action.id!r} is already used by action {seen[action.id] + 1}")
        seen.setdefault(action.id, index)
    for index, action in enumerate(library.actions):
        for dep in action.depends_on:
            other = library.actions[seen[dep]] if dep in seen else None
            if other is None:
                yield ("actions", index, "depends_on"), f"depends on unknown action {dep!r}"
            elif (other.applies_to.step or 0) > (action.applies_to.step or 5):
                yield ("actions", index, "depends_on"), f"depends on {dep!r} of a later step"
    for index in _cycle_members(library.actions, seen):
        yield ("actions", index, "depends_on"), "dependencies form a cycle"


def _cycle_members(actions: tuple[ActionTemplate, ...], index_of: dict[str, int]) -> list[int]:
    """Indexes of actions that lie on a dependency cycle (iterative colouring DFS)."""
    state = [0] * len(actions)  # 0 new, 1 on stack, 2 done
    on_cycle: set[int] = set()
    for root in range(len(actions)):
        if state[root]:
            continue
        stack = [(root, iter(actions[root].depends_on))]
        path = [root]
        state[root] = 1
        while stack:
            node, deps = stack[-1]
            dep = next(deps, None)
            if dep is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            child = index_of.get(dep)
            if child is None:
                continue
            if state[child] == 1:
                on_cycle.update(path[path.index(child):])
            elif state[child] == 0:
                state[child] = 1
                stack.append((child, iter(actions[child].depends_on)))
                path.append(child)
    return sorted(on_cycle)


def _read_yaml(path: Path) -> CommentedMap:
    document, problems = read_yaml_mapping(path, MAX_LIBRARY_BYTES, "a mapping with 'actions'")
    if document is None:
        raise LibraryError(problems)
    return document


def _row_values(action: ActionTemplate) -> list[Any]:
    where = action.applies_to
    return [action.id, action.title, action.purpose, action.owner_role, action.effort,
            action.duration_days, action.measure, action.evidence, where.step, where.foundation,
            where.design_question, ", ".join(action.depends_on)]


def _action_from_cells(cells: dict[str, Any]) -> dict[str, Any]:
    """A workbook row as the YAML shape; empty cells are left out so defaults apply."""
    def value(column: str) -> Any:
        v = cells.get(column)
        if isinstance(v, str):
            v = v.strip()
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return None if v == "" else v

    action = {c: value(c) for c in LIBRARY_COLUMNS[:8] if value(c) is not None}
    applies = {c: value(c) for c in ("step", "foundation", "design_question")
               if value(c) is not None}
    action["applies_to"] = applies
    deps = value("depends_on")
    action["depends_on"] = [d.strip() for d in str(deps).split(",") if d.strip()] if deps else []
    return action


def _xlsx_location(loc: Loc, row_numbers: list[int]) -> tuple[int | None, str]:
    """Map ``("actions", i, field, ...)`` to the sheet row and the column header."""
    if len(loc) < 2 or not isinstance(loc[1], int) or loc[1] >= len(row_numbers):
        return None, field_path(loc)
    column = next((str(p) for p in loc[2:] if p in LIBRARY_COLUMNS), field_path(loc[2:]))
    return row_numbers[loc[1]], column


def _add_choices(book: Any, sheet: Any, last_row: int) -> None:
    """Drop-downs for effort, step, foundation and design question (lists on a hidden sheet)."""
    lists = book.add_worksheet("Lists")
    for col, values in enumerate((FOUNDATIONS, tuple(DESIGN_QUESTIONS))):
        for row, value in enumerate(values):
            lists.write_string(row, col, value)
    lists.hide()
    column = LIBRARY_COLUMNS.index
    rules: Iterable[tuple[str, dict[str, Any]]] = (
        ("effort", {"validate": "list", "source": list(EFFORTS)}),
        ("step", {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5}),
        ("duration_days", {"validate": "integer", "criteria": "between", "minimum": 1,
                           "maximum": 100}),
        ("foundation", {"validate": "list", "source": f"=Lists!$A$1:$A${len(FOUNDATIONS)}"}),
        ("design_question", {"validate": "list",
                             "source": f"=Lists!$B$1:$B${len(DESIGN_QUESTIONS)}"}),
    )
    for name, rule in rules:
        sheet.data_validation(1, column(name), last_row, column(name), rule)
