"""The action library (format 2): concrete actions, each serving one or more assessed items.

The library is data (``templates/actions.yaml``), validated on load with pydantic. Every problem
names the file, the line (YAML) or row (XLSX) and the field. Consultants can export the library
to a workbook, edit it, and import it back through the same validation.

An action serves items by reference, ``template_id:question_id`` (``applies_to``), e.g.
``maturity_ladder:s1_communication_systems`` or ``org_design:transparency``. Its ``step`` is the
ladder step whose 100-day window it belongs to; an action serving a ladder cell (``s{N}_...``)
must have that cell's step. References into a built-in questionnaire must name one of its gap
items (the questions that can produce a gap, see :func:`gap_items`).

Measures, targets and data sources. ``measure``, ``unit`` and ``data_source`` are required,
non-empty texts. ``baseline`` is a number when the start is known by construction, else
``None`` ("measure it in the first two weeks from the data source"). ``target`` is a number, or
``None`` meaning "to agree with the client": a library action without a target, or whose data
source is still :data:`TO_AGREE`, is valid but listed by :func:`quality_problems`, so the
library window shows what still needs agreeing.

Format 1 (``applies_to: {step, foundation}`` or ``{design_question}``), still found in projects'
stored libraries and in old workbooks, is read through :func:`upgrade_library_document`: a
ladder cell becomes ``step`` + ``maturity_ladder:s{step}_{foundation}`` (kind ``practice``), a
design question becomes step 1 + ``org_design:{key}_current`` (kind ``design``); the missing
fields become unit ``count``, data source :data:`TO_AGREE`, no baseline and no target. Nothing is
invented: the warnings then say which targets and data sources are still to be agreed.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from ruamel.yaml.comments import CommentedMap

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.questionnaire.loader import builtin_templates, format_problem
from workbench.core.questionnaire.schema import FOUNDATION_LABELS, STEPS
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

FORMAT_VERSION = 2
KINDS = ("design", "practice", "structure")
EFFORTS = ("S", "M", "L")
# Owner roles of the built-in library (free text is allowed; these keep the role->person
# mapping short). A role listed in ROLE_FIRST_STEP only exists from that ladder step on.
COORDINATOR_ROLE = "Customer-centricity coordinator"  # the step-3 appointment (say vs show)
OWNER_ROLES = (
    "Executive sponsor", "HR business partner", "Internal communications lead",
    "Customer insight lead", "Operations manager", "Finance partner", "Head of sales",
    "Head of service", "Head of marketing", "Product lead", "Data and systems lead",
    "Learning and development lead", "Cross-functional team lead",
    COORDINATOR_ROLE, "Segment manager", "Head of customer learning",
)
ROLE_FIRST_STEP = {"Cross-functional team lead": 2, COORDINATOR_ROLE: 3, "Segment manager": 5}
TO_AGREE = "To agree with the client"
LADDER_TEMPLATE = "maturity_ladder"
CELL_ACTIONS = (2, 4)  # actions expected per ladder cell (fewest, most)
ITEM_ACTIONS = (1, 3)  # actions expected per other gap item
LIBRARY_FILE = "actions.yaml"
LIBRARY_SHEET = "Actions"
ITEMS_SHEET = "Items"
MAX_LIBRARY_BYTES = 2_000_000
# Workbook columns, in order; applies_to and depends_on are comma-separated lists.
LIBRARY_COLUMNS = (
    "id", "title", "purpose", "kind", "step", "applies_to", "owner_role", "effort",
    "duration_days", "measure", "unit", "baseline", "target", "data_source", "evidence",
    "depends_on",
)
# Columns of a format-1 workbook (read through the upgrade).
V1_COLUMNS = (
    "id", "title", "purpose", "owner_role", "effort", "duration_days", "measure", "evidence",
    "step", "foundation", "design_question", "depends_on",
)
ITEM_REF = r"^[A-Za-z][A-Za-z0-9_]*:[A-Za-z][A-Za-z0-9_]*$"
_LADDER_CELL = re.compile(r"^s([1-5])_")

Loc = tuple[str | int, ...]
ItemRef = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ITEM_REF)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ActionTemplate(_Strict):
    """One reusable action of the library."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1)
    kind: Literal["design", "practice", "structure"]
    step: int = Field(ge=1, le=5)
    applies_to: tuple[ItemRef, ...] = Field(min_length=1)
    owner_role: str = Field(min_length=1, max_length=100)
    effort: Literal["S", "M", "L"]
    duration_days: int = Field(ge=1, le=100)
    measure: str = Field(min_length=1)
    unit: str = Field(min_length=1, max_length=40)
    baseline: float | None = Field(default=None, allow_inf_nan=False)
    target: float | None = Field(default=None, allow_inf_nan=False)
    data_source: str = Field(min_length=1)
    evidence: str = Field(min_length=1)
    depends_on: tuple[str, ...] = ()

    @field_validator("applies_to", "depends_on", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("baseline", "target", mode="before")
    @classmethod
    def _not_a_yes_no(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("give a number, or leave it empty")
        return value


class ActionLibrary(_Strict):
    """The validated library; use :func:`load_library` or :func:`import_library_xlsx`."""

    format_version: Literal[2] = 2
    actions: tuple[ActionTemplate, ...]

    def by_id(self, action_id: str) -> ActionTemplate:
        """The action with this id; ``KeyError`` if there is none."""
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(action_id)

    def serving(self, source: str) -> list[ActionTemplate]:
        """The actions serving the item ``source`` ("template:question"): those whose main item
        (first in ``applies_to``) it is, then those serving it on the side; each in library
        order (by step, in the built-in library)."""
        main = [a for a in self.actions if a.applies_to[0] == source]
        return main + [a for a in self.actions if source in a.applies_to[1:]]


class LibraryError(WorkbenchError):
    """A library that cannot be used; ``problems`` locate each reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{format_problem(problems[0])}{more}")


# -- the items actions serve ------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """A gap item of a built-in questionnaire: what library actions serve."""

    ref: str
    label: str
    step: int | None  # the ladder step of a ladder cell, else None

    @property
    def expected(self) -> tuple[int, int]:
        """How many library actions it should have (fewest, most)."""
        return CELL_ACTIONS if self.step is not None else ITEM_ACTIONS


def gap_items() -> list[Item]:
    """The built-in questionnaires' gap items, in questionnaire order.

    Ladder cells (questions with a ``group``), rating_0_4 questions, scale_1_5 questions that
    are not importance ratings (tag ``importance`` or a ``weighs`` field), and single_choice
    questions that declare ``levels``.
    """
    return list(_items()[0].values())


def item_label(ref: str) -> str:
    """A readable name for an item reference: "Step 2 · Information sharing" for a ladder
    cell, the question's short label otherwise (its id made readable when unknown)."""
    from workbench.core.learning.gaps import LOG_ITEMS, LOG_TEMPLATE

    item = _items()[0].get(ref)
    if item is not None:
        return item.label
    template_id, _, question_id = ref.partition(":")
    if template_id == LOG_TEMPLATE and question_id in LOG_ITEMS:
        return LOG_ITEMS[question_id][0]
    question = _items()[1].get(ref)
    if question is not None and question.short:
        return question.short
    match = _LADDER_CELL.match(question_id)
    if template_id == LADDER_TEMPLATE and match:
        foundation = question_id[match.end():]
        return f"Step {match.group(1)} · {FOUNDATION_LABELS.get(foundation, _readable(foundation))}"
    return _readable(question_id.removesuffix("_current") or ref)


def cell_step(ref: str) -> int | None:
    """The ladder step of a maturity-ladder cell reference, else None."""
    item = _items()[0].get(ref)
    if item is not None:
        return item.step
    template_id, _, question_id = ref.partition(":")
    match = _LADDER_CELL.match(question_id)
    return int(match.group(1)) if template_id == LADDER_TEMPLATE and match else None


def _readable(key: str) -> str:
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@functools.cache
def _items() -> tuple[dict[str, Item], dict[str, Any], frozenset[str]]:
    """Gap items by ref, every built-in question by ref, and the built-in template ids."""
    from workbench.core.method.gaps import gap_items as template_gap_items
    from workbench.core.method.gaps import item_label as question_label

    items: dict[str, Item] = {}
    questions: dict[str, Any] = {}
    templates = builtin_templates()
    for template in templates:
        questions.update({f"{template.id}:{q.id}": q for q in template.questions()})
        for question in template_gap_items(template):
            step = question.group.step if question.group is not None else None
            ref = f"{template.id}:{question.id}"
            items[ref] = Item(ref, question_label(question), step)
    return items, questions, frozenset(t.id for t in templates)


# -- reading and checking -----------------------------------------------------------------------

def load_library(path: str | Path | None = None) -> ActionLibrary:
    """Read and validate a YAML library (default: the built-in one, ``templates/actions.yaml``);
    raise :class:`LibraryError`."""
    path = Path(path) if path is not None else templates_dir() / LIBRARY_FILE
    document = _read_yaml(path)
    return validate_library_document(
        document, str(path), lambda loc: (line_of(document, loc), field_path(loc)))


def upgrade_library_document(data: Any) -> Any:
    """A format-1 library document (plain data) in format 2; other data is returned unchanged.

    A document is format 1 when it says ``format_version: 1``, or says no version and has an
    action whose ``applies_to`` is a mapping. See the module docstring for the mapping.
    """
    if not isinstance(data, Mapping):
        return data
    actions = data.get("actions")
    version = data.get("format_version")
    old_shape = isinstance(actions, list) and any(
        isinstance(a, Mapping) and isinstance(a.get("applies_to"), Mapping) for a in actions)
    if not (version == 1 or (version is None and old_shape)):
        return data
    upgraded = {**data, "format_version": FORMAT_VERSION}
    if isinstance(actions, list):
        upgraded["actions"] = [_upgrade_action(a) for a in actions]
    return upgraded


def _upgrade_action(action: Any) -> Any:
    if not isinstance(action, Mapping):
        return action
    new = dict(action)
    where = new.get("applies_to")
    if isinstance(where, Mapping):
        step, foundation = where.get("step"), where.get("foundation")
        question = where.get("design_question")
        if question is not None and step is None and foundation is None:
            new.update(kind="design", step=1, applies_to=[f"org_design:{question}_current"])
        elif question is None and step is not None and foundation is not None:
            new.update(kind="practice", step=step,
                       applies_to=[f"{LADDER_TEMPLATE}:s{step}_{foundation}"])
        # any other mapping stays, and validation says applies_to must be a list
    new.setdefault("kind", "practice")
    new.setdefault("unit", "count")
    new.setdefault("data_source", TO_AGREE)
    return new


def validate_library_document(data: Any, file: str,
                              locate: Callable[[Loc], tuple[int | None, str]],
                              problems: list[Problem] | None = None, *,
                              dependencies: bool = True) -> ActionLibrary:
    """Validate plain data (format 1 is upgraded first); every error becomes a Problem placed
    by ``locate(loc)``. ``dependencies=False`` skips the checks that need the whole library
    (duplicate ids, unknown, later or cyclic dependencies), for one action on its own."""
    return _validate(upgrade_library_document(plain(data)),
                     lambda loc: (file, *locate(loc)), problems, dependencies=dependencies)


def _validate(data: Any, locate: Callable[[Loc], tuple[str, int | None, str]],
              problems: list[Problem] | None = None, *,
              dependencies: bool = True) -> ActionLibrary:
    problems = [p for p in problems or [] if p.severity == "error"]
    library = None
    try:
        library = ActionLibrary.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        for item in errors:
            loc = tuple(item["loc"])
            if item["type"] == "too_short" and any(
                    len(other["loc"]) > len(loc) and tuple(other["loc"][:len(loc)]) == loc
                    for other in errors):
                continue  # "at least 1 item" only because its items were refused: noise
            problems.append(_placed(locate, loc, item["msg"]))
    issues = list(_item_issues(_valid_actions(data, library)))
    if library is not None and dependencies:
        issues += _dependency_issues(library)
    for loc, message in issues:
        problems.append(_placed(locate, loc, message))
    if problems or library is None:
        raise LibraryError(problems)
    return library


def _placed(locate: Callable[[Loc], tuple[str, int | None, str]], loc: Loc,
            message: str) -> Problem:
    file, row, field = locate(loc)
    return Problem(file, "invalid", message, row, field)


def _valid_actions(data: Any, library: ActionLibrary | None
                   ) -> Iterator[tuple[int, ActionTemplate]]:
    """Each valid action with its index; when the library as a whole was refused, the actions
    that are valid on their own (so every problem is reported at once)."""
    if library is not None:
        yield from enumerate(library.actions)
        return
    actions = data.get("actions") if isinstance(data, Mapping) else None
    for index, raw in enumerate(actions if isinstance(actions, list) else []):
        try:
            yield index, ActionTemplate.model_validate(raw)
        except ValidationError:
            continue


def _item_issues(actions: Iterator[tuple[int, ActionTemplate]]) -> Iterator[tuple[Loc, str]]:
    """References to unknown or non-gap items of built-in questionnaires; ladder-step mismatch."""
    items, questions, builtin_ids = _items()
    for index, action in actions:
        seen: set[str] = set()
        for position, ref in enumerate(action.applies_to):
            loc = ("actions", index, "applies_to", position)
            template_id, question_id = ref.split(":")
            if ref in seen:
                yield loc, f"serves {ref} twice"
                continue
            seen.add(ref)
            if template_id in builtin_ids and ref not in items:
                yield loc, (f"{ref} is not an assessed item (it gives no gap); serve a rated "
                            f"question" if ref in questions else
                            f"the {template_id} questionnaire has no question {question_id!r}")
                continue
            step = cell_step(ref)
            if step is not None and step != action.step:
                yield loc, (f"serves {ref}, a cell of ladder step {step}, but the action is in "
                            f"step {action.step}; an action serving a ladder cell belongs to "
                            f"that cell's step")


def _dependency_issues(library: ActionLibrary) -> Iterator[tuple[Loc, str]]:
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
            elif other.step > action.step:
                yield (("actions", index, "depends_on"),
                       f"depends on {dep!r} of a later step ({other.step})")
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


# -- warnings -------------------------------------------------------------------------------------

def coverage_problems(library: ActionLibrary, file: str = LIBRARY_FILE) -> list[Problem]:
    """Warnings for gap items with too few or too many actions (ladder cells 2 to 4, other
    items 1 to 3); ``column`` is the item reference."""
    served = Counter(ref for action in library.actions for ref in set(action.applies_to))
    problems = []
    for item in gap_items():
        fewest, most = item.expected
        actions = served[item.ref]
        if not fewest <= actions <= most:
            problems.append(Problem(
                file, "coverage", f"{item.label} ({item.ref}) has {count(actions, 'action')}; "
                f"expected {fewest} to {most}", column=item.ref, severity="warning"))
    return problems


def quality_problems(library: ActionLibrary, file: str = LIBRARY_FILE) -> list[Problem]:
    """Warnings for actions whose target or data source is still to be agreed with the client,
    and for actions serving a questionnaire that is not built in (the customer-learning log's
    items, :mod:`workbench.core.learning.gaps`, are built in too); ``row`` = the action's
    position (1 = first), ``column`` = the field."""
    from workbench.core.learning.gaps import LOG_TEMPLATE

    builtin_ids = _items()[2] | {LOG_TEMPLATE}
    problems = []
    for row, action in enumerate(library.actions, start=1):
        if action.target is None:
            problems.append(Problem(file, "to_agree", f"{action.id} has no target yet "
                                    "(to agree with the client)", row, "target", "warning"))
        if action.data_source.casefold() == TO_AGREE.casefold():
            problems.append(Problem(file, "to_agree", f"{action.id} has no data source yet "
                                    "(to agree with the client)", row, "data_source",
                                    "warning"))
        for ref in action.applies_to:
            template_id = ref.split(":")[0]
            if template_id not in builtin_ids:
                problems.append(Problem(
                    file, "unknown_template", f"{action.id} serves {ref}, but there is no "
                    f"built-in questionnaire {template_id!r}; it is only proposed for a "
                    "project's own questionnaire with that id", row, "applies_to", "warning"))
    return problems


# -- workbooks ------------------------------------------------------------------------------------

def export_library_xlsx(library: ActionLibrary, path: str | Path) -> None:
    """Write the library to an editable workbook (drop-downs for kind, effort and step; a
    second sheet lists the items actions can serve)."""
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
        _add_choices(sheet, last)
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, len(library.actions), len(LIBRARY_COLUMNS) - 1)
        widths = (11, 34, 50, 10, 6, 40, 26, 7, 9, 40, 12, 9, 9, 34, 40, 18)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        _write_items_sheet(book, header)
        book.close()


def import_library_xlsx(path: str | Path) -> ActionLibrary:
    """Read a library workbook written by :func:`export_library_xlsx` (and edited); a format-1
    workbook (step, foundation and design_question columns) is upgraded."""
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
    old = not all(c in headers for c in LIBRARY_COLUMNS) and all(c in headers for c in V1_COLUMNS)
    columns = V1_COLUMNS if old else LIBRARY_COLUMNS
    missing = [c for c in columns if c not in headers]
    if missing:
        raise LibraryError([Problem(name, "missing_column", f"column {c!r} is missing", 1, c)
                            for c in missing])
    actions: list[dict[str, Any]] = []
    row_numbers: list[int] = []
    where: list[str] = []  # format 1: the column that gave each row's applies_to
    for number, values in rows[1:]:
        cells = dict(zip(headers, values, strict=False))
        if all(cells.get(c) in (None, "") for c in columns):
            continue
        actions.append(_v1_action_from_cells(cells) if old else _action_from_cells(cells))
        row_numbers.append(number)
        where.append("design_question" if cells.get("design_question") not in (None, "")
                     else "foundation")
    rename = (lambda index, field: where[index] if field == "applies_to" else field) if old \
        else (lambda _index, field: field)
    return validate_library_document(
        {"format_version": 1 if old else FORMAT_VERSION, "actions": actions}, name,
        lambda loc: _xlsx_location(loc, row_numbers, rename), problems,
    )


def _row_values(action: ActionTemplate) -> list[Any]:
    return [action.id, action.title, action.purpose, action.kind, action.step,
            ", ".join(action.applies_to), action.owner_role, action.effort, action.duration_days,
            action.measure, action.unit, action.baseline, action.target, action.data_source,
            action.evidence, ", ".join(action.depends_on)]


def _cell(cells: dict[str, Any], column: str) -> Any:
    """A cell's value: text stripped, whole numbers as int, empty as None."""
    v = cells.get(column)
    if isinstance(v, str):
        v = v.strip()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return None if v == "" else v


_NUMBER_COLUMNS = frozenset({"step", "duration_days", "baseline", "target"})


def _action_from_cells(cells: dict[str, Any]) -> dict[str, Any]:
    """A workbook row as the YAML shape; empty cells are left out so defaults apply."""
    action: dict[str, Any] = {}
    for column in LIBRARY_COLUMNS:
        value = _cell(cells, column)
        if value is None:
            continue
        if column not in _NUMBER_COLUMNS and isinstance(value, int | float) \
                and not isinstance(value, bool):
            value = str(value)  # e.g. a unit or id Excel turned into a number
        action[column] = value
    for column in ("applies_to", "depends_on"):
        action[column] = _split(action.get(column))
    return action


def _v1_action_from_cells(cells: dict[str, Any]) -> dict[str, Any]:
    """A format-1 workbook row as the format-1 YAML shape (upgraded afterwards)."""
    action = {c: _cell(cells, c) for c in V1_COLUMNS[:8] if _cell(cells, c) is not None}
    action["applies_to"] = {c: _cell(cells, c) for c in ("step", "foundation", "design_question")
                            if _cell(cells, c) is not None}
    action["depends_on"] = _split(_cell(cells, "depends_on"))
    return action


def _split(value: Any) -> list[str]:
    return [part.strip() for part in str(value).split(",") if part.strip()] if value else []


def _xlsx_location(loc: Loc, row_numbers: list[int],
                   rename: Callable[[int, str], str]) -> tuple[int | None, str]:
    """Map ``("actions", i, field, ...)`` to the sheet row and the column header."""
    if len(loc) < 2 or not isinstance(loc[1], int) or loc[1] >= len(row_numbers):
        return None, field_path(loc)
    field = next((str(p) for p in loc[2:] if p in LIBRARY_COLUMNS), None)
    if field is None:
        return row_numbers[loc[1]], field_path(loc[2:])
    return row_numbers[loc[1]], rename(loc[1], field)


def _add_choices(sheet: Any, last_row: int) -> None:
    """Drop-downs for kind, effort and step; whole-day durations."""
    column = LIBRARY_COLUMNS.index
    rules: tuple[tuple[str, dict[str, Any]], ...] = (
        ("kind", {"validate": "list", "source": list(KINDS)}),
        ("step", {"validate": "list", "source": [str(s) for s in STEPS]}),
        ("effort", {"validate": "list", "source": list(EFFORTS)}),
        ("duration_days", {"validate": "integer", "criteria": "between", "minimum": 1,
                           "maximum": 100}),
    )
    for name, rule in rules:
        sheet.data_validation(1, column(name), last_row, column(name), rule)


def _write_items_sheet(book: Any, header: Any) -> None:
    """The items an action can serve, for reference (not read back)."""
    sheet = book.add_worksheet(ITEMS_SHEET)
    for col, name in enumerate(("item", "name", "ladder step", "actions expected")):
        sheet.write_string(0, col, name, header)
    for row, item in enumerate(gap_items(), start=1):
        fewest, most = item.expected
        for col, value in enumerate((item.ref, item.label, item.step, f"{fewest} to {most}")):
            write_xlsxwriter_cell(sheet, row, col, value)
    for col, width in enumerate((48, 44, 11, 16)):
        sheet.set_column(col, col, width)
