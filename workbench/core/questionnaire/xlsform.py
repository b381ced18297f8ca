"""Templates as XLSForm-like workbooks: sheets ``survey`` (one row per question), ``choices``
and ``settings``, so consultants can edit questionnaires in a spreadsheet.

Sections are ``begin_group`` / ``end_group`` rows. Choice questions use ``select_one LIST``,
``select_multiple LIST`` or ``rank LIST``; their options are the ``choices`` rows whose
``list_name`` is the question id. ``relevant`` holds the branching condition as
``${question} = 'value'`` or ``${question} in ('a', 'b')`` (numbers unquoted).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.questionnaire.loader import TemplateError
from workbench.core.questionnaire.schema import (
    CHOICE_KINDS,
    Loc,
    Question,
    ShowIf,
    Template,
    validate_template_data,
)
from workbench.core.xlsx_safety import (
    XLSXWRITER_OPTIONS,
    atomic_output,
    iter_untrusted_rows,
    open_untrusted_workbook,
    write_xlsxwriter_cell,
)

SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "relevant", "step", "foundation",
    "min", "max", "default", "tags", "anchor_0", "anchor_1", "anchor_2", "anchor_3", "anchor_4",
    "short", "weighs",
)
CHOICE_COLUMNS = ("list_name", "name", "label", "level")  # level: the option's ``levels`` entry
SETTINGS_COLUMNS = ("form_id", "version", "form_title", "description", "scoring")
MAX_TEMPLATE_ROWS = 5_000
_LIST_TYPES = {"single_choice": "select_one", "multiple_choice": "select_multiple",
               "ranking": "rank"}
_KIND_OF_LIST_TYPE = {v: k for k, v in _LIST_TYPES.items()}
_FIELD_COLUMN = {"kind": "type", "id": "name", "text": "label", "help": "hint",
                 "show_if": "relevant", "tags": "tags", "required": "required", "min": "min",
                 "max": "max", "default": "default", "short": "short", "weighs": "weighs"}
_RELEVANT = re.compile(r"^\$\{(?P<q>[^}]+)\}\s*(?:=\s*(?P<eq>.+)|in\s*\((?P<in>.*)\))$")
_LITERAL = re.compile(r"'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)")


def export_xlsform(template: Template, out_path: str | Path) -> None:
    """Write ``template`` as an XLSForm-like workbook (atomically)."""
    with atomic_output(out_path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), XLSXWRITER_OPTIONS)
        bold = book.add_format({"bold": True})
        survey, choices, settings = (book.add_worksheet(n)
                                     for n in ("survey", "choices", "settings"))
        _write_row(survey, 0, SURVEY_COLUMNS, bold)
        _write_row(choices, 0, CHOICE_COLUMNS, bold)
        survey_row = choice_row = 1
        for section in template.sections:
            _write_row(survey, survey_row, _survey_cells(
                {"type": "begin_group", "name": section.id, "label": section.title,
                 "hint": section.help}))
            survey_row += 1
            for question in section.questions:
                _write_row(survey, survey_row, _survey_cells(_question_cells(question)))
                survey_row += 1
                for option in question.options:
                    level = (question.levels or {}).get(option.value)
                    _write_row(choices, choice_row,
                               (question.id, option.value, option.label, level))
                    choice_row += 1
            _write_row(survey, survey_row, _survey_cells({"type": "end_group", "name": section.id}))
            survey_row += 1
        _write_row(settings, 0, SETTINGS_COLUMNS, bold)
        _write_row(settings, 1, (template.id, template.version, template.title,
                                 template.description, template.scoring.model_dump_json()))
        for sheet in (survey, choices, settings):
            sheet.freeze_panes(1, 0)
            sheet.set_column(0, len(SURVEY_COLUMNS), 24)
        book.close()


def import_xlsform(path: str | Path) -> Template:
    """Read a template workbook back; raise :class:`TemplateError` with located problems.

    Problems name the file, the row and ``sheet!COLUMN (header)``.
    """
    name = Path(path).name
    book = open_untrusted_workbook(path)
    try:
        reader = _FormReader(name)
        for sheet_name in ("settings", "survey", "choices"):
            if sheet_name not in book.sheetnames:
                raise TemplateError([Problem(name, "missing_sheet",
                                             f"the workbook has no sheet named {sheet_name!r}")])
            reader.read_sheet(book[sheet_name])
    finally:
        book.close()
    return reader.template()


def _question_cells(question: Question) -> dict[str, Any]:
    kind = question.kind
    cells: dict[str, Any] = {
        "type": f"{_LIST_TYPES[kind]} {question.id}" if kind in CHOICE_KINDS else kind,
        "name": question.id, "label": question.text, "hint": question.help,
        "required": question.required, "min": question.min, "max": question.max,
        "relevant": _relevant_text(question.show_if) if question.show_if else None,
        "default": json.dumps(question.default) if question.default is not None else None,
        "tags": ", ".join(question.tags) or None,
        "short": question.short or None, "weighs": question.weighs,
    }
    if question.group:
        cells |= {"step": question.group.step, "foundation": question.group.foundation}
    for level, anchor in enumerate(question.anchors or ()):
        cells[f"anchor_{level}"] = anchor
    return cells


def _survey_cells(values: dict[str, Any]) -> list[Any]:
    return [values.get(column) for column in SURVEY_COLUMNS]


def _write_row(sheet: Any, row: int, values: Any, cell_format: Any = None) -> None:
    for col, value in enumerate(values):
        if value is not None:
            write_cell_exactly(sheet, row, col, value, cell_format)


def write_cell_exactly(sheet: Any, row: int, col: int, value: Any,
                       cell_format: Any = None) -> None:
    """Write one XlsxWriter cell as text-safe; raise WorkbenchError rather than alter the value.

    Templates and questionnaires must read back exactly, so text that would be shortened
    (over 32,767 characters) or cleaned of control characters is refused, naming the cell.
    """
    notice = write_xlsxwriter_cell(sheet, row, col, value, cell_format)
    if notice:
        raise WorkbenchError(f"{sheet.name}!{xl_col_to_name(col)}{row + 1}: cannot be written "
                             f"exactly ({notice}; the text has {len(str(value)):,} characters)")


def _relevant_text(show_if: ShowIf) -> str:
    def literal(value: Any) -> str:
        if isinstance(value, int | float):
            return repr(value)
        return "'" + str(value).replace("'", "''") + "'"

    if show_if.in_ is None:
        return f"${{{show_if.question}}} = {literal(show_if.equals)}"
    return f"${{{show_if.question}}} in ({', '.join(literal(v) for v in show_if.in_)})"


def _parse_relevant(text: str) -> dict[str, Any]:
    match = _RELEVANT.match(text.strip())
    if not match:
        raise ValueError(
            "write the condition as ${question} = 'value' or ${question} in ('a', 'b')")
    values = [_literal_value(m) for m in _LITERAL.finditer(match["eq"] or match["in"] or "")]
    if match["eq"] is not None:
        if len(values) != 1:
            raise ValueError("after '=' give exactly one quoted text or number")
        return {"question": match["q"].strip(), "equals": values[0]}
    return {"question": match["q"].strip(), "in": values}


def _literal_value(match: re.Match[str]) -> str | int | float:
    if match[1] is not None:
        return match[1].replace("''", "'")
    number = float(match[2])
    return int(number) if number.is_integer() and "." not in match[2] else number


@dataclass
class _Where:
    sheet: str
    row: int
    columns: dict[str, int] = field(default_factory=dict)

    def column(self, header: str | None) -> str:
        if header is None or header not in self.columns:
            return self.sheet
        return f"{self.sheet}!{xl_col_to_name(self.columns[header])} ({header})"


class _FormReader:
    """Collects rows from the three sheets into template data, remembering where each came from."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.settings: dict[str, Any] = {}
        self.settings_where = _Where("settings", 2)
        self.sections: list[dict[str, Any]] = []
        self.where: dict[Loc, _Where] = {}
        self.options: dict[str, list[tuple[dict[str, Any], _Where]]] = {}
        self.levels: dict[str, dict[str, Any]] = {}  # question id -> option value -> level

    def read_sheet(self, sheet: Any) -> None:
        rows = iter_untrusted_rows(sheet, self.file, self.problems, max_rows=MAX_TEMPLATE_ROWS)
        header: dict[str, int] = {}
        for number, values in rows:
            if number == 1:
                header = {str(v).strip(): i for i, v in enumerate(values) if v is not None}
                continue
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            cells = {h: _cell(values, i) for h, i in header.items()}
            where = _Where(sheet.title, number, header)
            getattr(self, f"_{sheet.title}_row")(cells, where)

    def template(self) -> Template:
        data = {
            "id": self.settings.get("form_id"), "version": self.settings.get("version"),
            "title": self.settings.get("form_title"),
            "description": self.settings.get("description") or "",
            "sections": self.sections,
        }
        scoring = self.settings.get("scoring")
        if scoring:
            try:
                data["scoring"] = json.loads(scoring)
            except (TypeError, json.JSONDecodeError) as error:
                self._problem(self.settings_where, "scoring", "wrong_type",
                              f"scoring must be JSON ({error})")
        for section in self.sections:
            for question in section["questions"]:
                options = self.options.get(question.get("id") or "", [])
                if options:
                    question["options"] = [o for o, _ in options]
                levels = self.levels.get(question.get("id") or "")
                if levels:
                    question["levels"] = levels
        template, issues = validate_template_data(data)
        for issue in issues:
            where, column = self._locate(issue.loc)
            self._problem(where, column, issue.kind, issue.message)
        if self.problems or template is None:
            raise TemplateError(self.problems)
        return template

    def _settings_row(self, cells: dict[str, Any], where: _Where) -> None:
        if not self.settings:
            self.settings, self.settings_where = cells, where

    def _survey_row(self, cells: dict[str, Any], where: _Where) -> None:
        kind = str(cells.get("type") or "").strip()
        if kind == "begin_group":
            loc = ("sections", len(self.sections))
            self.where[loc] = where
            self.sections.append(_without_none({
                "id": cells.get("name"), "title": cells.get("label"), "help": cells.get("hint"),
                "questions": [],
            }))
            return
        if kind == "end_group":
            return
        if not self.sections:
            self._problem(where, "type", "no_group", "a question comes before any begin_group row")
            return
        section = self.sections[-1]
        self.where[("sections", len(self.sections) - 1, "questions", len(section["questions"]))] = (
            where)
        section["questions"].append(self._question(cells, where, kind))

    def _choices_row(self, cells: dict[str, Any], where: _Where) -> None:
        option = _without_none({"value": cells.get("name"), "label": cells.get("label")})
        list_name = str(cells.get("list_name") or "")
        self.options.setdefault(list_name, []).append((option, where))
        if cells.get("level") is not None:
            self.levels.setdefault(list_name, {})[str(cells.get("name"))] = cells["level"]

    def _question(self, cells: dict[str, Any], where: _Where, type_text: str) -> dict[str, Any]:
        list_type, _, list_name = type_text.partition(" ")
        kind = _KIND_OF_LIST_TYPE.get(list_type, type_text)
        if list_type in _KIND_OF_LIST_TYPE and list_name.strip() != cells.get("name"):
            self._problem(where, "type", "invalid_value",
                          f"the choice list must be named after the question ({cells.get('name')})")
        question = {
            "id": cells.get("name"), "kind": kind, "text": cells.get("label"),
            "help": cells.get("hint"), "required": _truth(cells.get("required")),
            "min": cells.get("min"), "max": cells.get("max"),
            "short": None if cells.get("short") is None else str(cells["short"]),
            "weighs": None if cells.get("weighs") is None else str(cells["weighs"]),
        }
        if cells.get("tags"):
            question["tags"] = [t.strip() for t in str(cells["tags"]).split(",") if t.strip()]
        if cells.get("step") is not None or cells.get("foundation") is not None:
            question["group"] = {"step": cells.get("step"), "foundation": cells.get("foundation")}
        anchors = [cells.get(f"anchor_{level}") for level in range(5)]
        if any(a is not None for a in anchors):
            question["anchors"] = anchors
        for column, parse, problem_kind in (("relevant", _parse_relevant, "bad_branching"),
                                            ("default", json.loads, "bad_default")):
            if cells.get(column) is None:
                continue
            try:
                question["show_if" if column == "relevant" else column] = parse(str(cells[column]))
            except ValueError as error:
                self._problem(where, column, problem_kind, str(error))
        return _without_none(question)

    def _locate(self, loc: Loc) -> tuple[_Where, str | None]:
        if len(loc) >= 6 and loc[4] == "options" and isinstance(loc[5], int):
            question = self.sections[loc[1]]["questions"][loc[3]]  # type: ignore[index]
            options = self.options.get(str(question.get("id")), [])
            if loc[5] < len(options):
                column = loc[6] if len(loc) > 6 else "name"
                return options[loc[5]][1], {"value": "name"}.get(str(column), str(column))
        if len(loc) >= 5 and loc[4] == "levels" and isinstance(loc[3], int):
            question = self.sections[loc[1]]["questions"][loc[3]]  # type: ignore[index]
            options = self.options.get(str(question.get("id")), [])
            key = str(loc[5]) if len(loc) > 5 else None
            rows = [w for o, w in options if key is None or str(o.get("value")) == key]
            if rows:
                return rows[0], "level"
        for length in range(len(loc), 0, -1):
            where = self.where.get(loc[:length])
            if where is not None:
                rest = [str(p) for p in loc[length:] if not isinstance(p, int)]
                return where, _column_for(rest)
        top = {"id": "form_id", "title": "form_title", "version": "version"}
        return self.settings_where, top.get(str(loc[0]), "scoring" if loc else None)

    def _problem(self, where: _Where, column: str | None, kind: str, message: str) -> None:
        self.problems.append(Problem(self.file, kind, message, where.row, where.column(column)))


def _column_for(fields: list[str]) -> str | None:
    if not fields:
        return None
    if fields[0] == "group":
        return fields[1] if len(fields) > 1 else "step"
    if fields[0] == "anchors":
        return "anchor_0"
    if fields[0] == "options":
        return "type"
    return _FIELD_COLUMN.get(fields[0], {"title": "label"}.get(fields[0], fields[0]))


def _cell(values: tuple[Any, ...], index: int) -> Any:
    value = values[index] if index < len(values) else None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _truth(value: Any) -> bool | Any:
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in {"true", "yes", "1"}:
        return True
    if text in {"false", "no", "0", ""}:
        return False
    return value


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
