"""Templates as XLSForm workbooks: sheets ``survey`` (one row per question), ``choices`` and
``settings``, so consultants can edit questionnaires in a spreadsheet and run them in
KoboToolbox, ODK or SurveyCTO as well.

The export is a valid XLSForm: sections are groups, choice questions ``select_one LIST`` /
``select_multiple LIST`` / ``rank LIST`` with their options in ``choices`` by list name
(questions with the same options share a list), ratings a ``select_one`` of the levels 0..4
labelled with their anchors, 1-5 scales a ``range``, number limits a ``constraint``, branching
``relevant``. What only the app uses sits in extra columns that XLSForm tools ignore:
``kind`` (rating_0_4 or scale_1_5), ``step``, ``foundation``, ``tags``, ``short``, ``weighs``,
the choices' ``level`` and the settings' ``description`` and ``scoring``. Reading is in
:mod:`workbench.core.questionnaire.xlsform_read`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.schema import CHOICE_KINDS, Question, Section, Template
from workbench.core.questionnaire.xlsform_read import (
    MAX_TEMPLATE_ROWS,
    FormWarning,
    XLSFormImport,
    read_xlsform,
)
from workbench.core.questionnaire.xlsform_syntax import (
    SELECT_WORD,
    constraint_text,
    default_text,
    relevant_text,
)
from workbench.core.xlsx_safety import (
    XLSXWRITER_OPTIONS,
    atomic_output,
    write_xlsxwriter_cell,
)

__all__ = ["CHOICE_COLUMNS", "MAX_TEMPLATE_ROWS", "SETTINGS_COLUMNS", "SURVEY_COLUMNS",
           "FormWarning", "XLSFormImport", "export_xlsform", "import_xlsform", "read_xlsform",
           "write_cell_exactly"]

SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "relevant", "constraint",
    "constraint_message", "default", "appearance", "parameters",
    "kind", "step", "foundation", "tags", "short", "weighs",
)
CHOICE_COLUMNS = ("list_name", "name", "label", "level")  # level: the option's ``levels`` entry
SETTINGS_COLUMNS = ("form_id", "version", "form_title", "default_language", "description",
                    "scoring")
_TRANSLATED = ("label", "hint", "constraint_message")
_SCALE_PARAMETERS = "start=1 end=5 step=1"


def import_xlsform(path: str | Path) -> Template:
    """The template of an XLSForm workbook (warnings dropped; see :func:`read_xlsform`)."""
    return read_xlsform(path).template


def export_xlsform(template: Template, out_path: str | Path) -> None:
    """Write ``template`` as an XLSForm workbook (atomically)."""
    languages = _languages(template)
    survey_columns = _columns(SURVEY_COLUMNS, languages)
    choice_columns = _columns(CHOICE_COLUMNS, languages)
    with atomic_output(out_path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), XLSXWRITER_OPTIONS)
        bold = book.add_format({"bold": True})
        survey, choices, settings = (book.add_worksheet(n)
                                     for n in ("survey", "choices", "settings"))
        _write_row(survey, 0, survey_columns, bold)
        _write_row(choices, 0, choice_columns, bold)
        writer = _Writer(template, languages)
        rows = [cells for section in template.sections for cells in writer.section(section)]
        for number, cells in enumerate(rows, start=1):
            _write_row(survey, number, [cells.get(c) for c in survey_columns])
        for number, cells in enumerate(writer.choice_rows, start=1):
            _write_row(choices, number, [cells.get(c) for c in choice_columns])
        _write_row(settings, 0, SETTINGS_COLUMNS, bold)
        _write_row(settings, 1, (template.id, template.version, template.title,
                                 template.translations.language or None
                                 if template.translations else None,
                                 template.description, template.scoring.model_dump_json()))
        for sheet in (survey, choices, settings):
            sheet.freeze_panes(1, 0)
            sheet.set_column(0, len(survey_columns), 24)
        book.close()


def _languages(template: Template) -> list[str]:
    """The languages of the label columns, the template's own first ([""] for one unnamed)."""
    if template.translations is None:
        return [""]
    main = template.translations.language
    return [main, *(lang for lang in template.translations.texts if lang != main)]


def _columns(columns: tuple[str, ...], languages: list[str]) -> list[str]:
    """``label`` becomes ``label::English (en)``, ``label::Français (fr)`` ... when named."""
    out: list[str] = []
    for column in columns:
        if column in _TRANSLATED and languages != [""]:
            out.extend(f"{column}::{lang}" if lang else column for lang in languages)
        else:
            out.append(column)
    return out


class _Writer:
    """Survey rows of each section, and the choice lists they use (shared when equal)."""

    def __init__(self, template: Template, languages: list[str]) -> None:
        self.template = template
        self.languages = languages
        self.main = languages[0]
        self.texts = template.translations.texts if template.translations else {}
        self.choice_rows: list[dict[str, Any]] = []
        self.lists: dict[tuple[Any, ...], str] = {}
        self.kinds = {q.id: q.kind for q in template.questions()}

    def _translated(self, column: str, own: str | None, key: str) -> dict[str, Any]:
        cells = {self._column(column, self.main): own or None}
        for language in self.languages[1:]:
            cells[self._column(column, language)] = self.texts.get(language, {}).get(key)
        return cells

    def _column(self, column: str, language: str) -> str:
        return f"{column}::{language}" if language and self.languages != [""] else column

    def section(self, section: Section) -> list[dict[str, Any]]:
        key = f"section.{section.id}"
        rows = [{"type": "begin_group", "name": section.id,
                 **self._translated("label", section.title, f"{key}.label"),
                 **self._translated("hint", section.help, f"{key}.hint")}]
        rows += [self.question(q) for q in section.questions]
        return [*rows, {"type": "end_group", "name": section.id}]

    def question(self, question: Question) -> dict[str, Any]:
        key = f"question.{question.id}"
        cells: dict[str, Any] = {
            "type": question.kind, "name": question.id,
            **self._translated("label", question.text, f"{key}.label"),
            **self._translated("hint", question.help, f"{key}.hint"),
            "required": "yes" if question.required else None,
            "relevant": relevant_text(question.show_if, self.kinds.get(question.show_if.question))
            if question.show_if else None,
            "default": default_text(question.kind, question.default)
            if question.default is not None else None,
            "tags": ", ".join(question.tags) or None,
            "short": question.short or None, "weighs": question.weighs,
        }
        if question.group:
            cells |= {"step": question.group.step, "foundation": question.group.foundation}
        if question.kind in CHOICE_KINDS:
            options = [(o.value, o.label) for o in question.options]
            cells["type"] = f"{SELECT_WORD[question.kind]} {self._list(question, options)}"
        elif question.kind == "rating_0_4":
            levels = [(str(level), anchor) for level, anchor in enumerate(question.anchors or ())]
            cells |= {"type": f"select_one {self._list(question, levels)}",
                      "kind": question.kind, "appearance": "likert"}
        elif question.kind == "scale_1_5":
            cells |= {"type": "range", "kind": question.kind, "parameters": _SCALE_PARAMETERS}
        elif question.kind == "number":
            cells |= {"type": "decimal", "constraint": constraint_text(question.min, question.max)}
            if cells["constraint"]:
                cells |= {self._column("constraint_message", lang):
                          self.texts.get(lang, {}).get(f"{key}.constraint_message")
                          for lang in self.languages}
        return cells

    def _list(self, question: Question, options: list[tuple[str, str]]) -> str:
        """The name of the choice list holding ``options``; a new list when none is equal."""
        levels = question.levels or {}
        rows = [{"name": value, "level": levels.get(value),
                 **self._translated("label", label, f"choice.{question.id}.{value}")}
                for value, label in options]
        signature = tuple(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)
        if signature not in self.lists:
            self.lists[signature] = question.id
            self.choice_rows += [{"list_name": question.id, **row} for row in rows]
        return self.lists[signature]


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
