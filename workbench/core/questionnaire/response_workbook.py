"""Questionnaire workbooks for leaders to fill in offline, and reading them back.

One workbook per respondent, with sheets:

* ``Instructions`` - how to fill in and return the file;
* ``Questions`` - one row per question: id, section, question, guidance (help, anchor texts or
  options, branching), and an unlocked answer cell with a drop-down or range check; the rest of
  the sheet is protected (no password: protection guards against slips, not people);
* ``_lists`` (hidden) - option labels the drop-downs point to;
* ``_meta`` (very hidden) - format, template id and version, round id, respondent code, the
  question id of every answer row, and an HMAC-SHA256 signature of all of these keyed with the
  project's secret (:mod:`workbench.core.signing`), so a workbook relabelled to another
  respondent, or exported by another project, does not pass.

Reading checks the file as untrusted input. A file that cannot be matched back (not a workbook,
not ours, signature wrong or missing, another template, version or round) raises
:class:`ResponseFileError`; problems with single answers are returned as located
:class:`Problem` objects. Workbooks from before signatures (format version 1, a plain checksum
anyone could recompute) are refused with a request to re-export them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.questionnaire.schema import CHOICE_KINDS, Question, Template
from workbench.core.questionnaire.xlsform import write_cell_exactly
from workbench.core.signing import RE_EXPORT, sign, verify
from workbench.core.xlsx_safety import (
    XLSXWRITER_OPTIONS,
    atomic_output,
    iter_untrusted_rows,
    open_untrusted_workbook,
)

FORMAT = "workbench-questionnaire-response"
FORMAT_VERSION = 2  # 1: checksum only (refused); 2: signed with the project key
QUESTIONS_SHEET = "Questions"
META_SHEET = "_meta"
LISTS_SHEET = "_lists"
HEADER = ("Question id", "Section", "Question", "Guidance", "Your answer")
ID_COL, ANSWER_COL = 0, 4
MAX_ROWS = 10_000
_LIST_SEPARATOR = re.compile(r"\s*[;\n]\s*")


class ResponseFileError(WorkbenchError):
    """A response workbook that cannot be matched to this template and round."""


@dataclass(frozen=True)
class ResponseImport:
    respondent_code: str
    answers: dict[str, Any]
    problems: list[Problem]


def export_response_workbook(template: Template, respondents: Sequence[str],
                             out_path: str | Path, round_id: str, *, key: bytes) -> list[Path]:
    """Write one workbook per respondent into the folder ``out_path``; return the paths.

    Files are named ``<template>_<round>_<respondent>.xlsx`` (unsafe characters replaced) and
    written atomically. ``key`` is the project's signing key
    (``project.settings.signing_key()``).
    """
    folder = Path(out_path)
    if not folder.is_dir():
        raise WorkbenchError(f"{folder}: not an existing folder")
    paths: list[Path] = []
    for code in respondents:
        if not str(code).strip():
            raise WorkbenchError("a respondent code is empty")
        name = _file_part(f"{template.id}_{round_id}_{code}")
        path = folder / f"{name}.xlsx"
        if path in paths:
            raise WorkbenchError(f"respondent codes give the same file name twice: {path.name}")
        _write_workbook(template, str(code), round_id, path, key)
        paths.append(path)
    return paths


def read_response_workbook(path: str | Path, template: Template, round_id: str, *,
                           key: bytes) -> ResponseImport:
    """Read a filled-in workbook back; see the module docstring for what is checked.

    ``key`` is the signing key of the project that exported the workbook.
    """
    name = Path(path).name
    book = open_untrusted_workbook(path)
    try:
        problems: list[Problem] = []
        meta = _read_meta(book, name, problems, key)
        _check_meta(meta, name, template, round_id)
        if QUESTIONS_SHEET not in book.sheetnames:
            raise ResponseFileError(f"{name}: the sheet {QUESTIONS_SHEET!r} is missing")
        rows = list(iter_untrusted_rows(book[QUESTIONS_SHEET], name, problems, MAX_ROWS))
    finally:
        book.close()
    answers = _answers_from_rows(rows, meta["rows"], template, name, problems)
    _check_required(template, answers, meta["rows"], name, problems)
    return ResponseImport(meta["respondent"], answers, problems)


def _write_workbook(template: Template, code: str, round_id: str, path: Path,
                    key: bytes) -> None:
    with atomic_output(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), XLSXWRITER_OPTIONS)
        formats = {
            "title": book.add_format({"bold": True, "font_size": 16}),
            "head": book.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1}),
            "section": book.add_format({"bold": True, "bg_color": "#F2F2F2", "text_wrap": True,
                                        "valign": "top"}),
            "text": book.add_format({"text_wrap": True, "valign": "top"}),
            "answer": book.add_format({"locked": False, "bg_color": "#FFF7D6", "border": 1,
                                       "text_wrap": True, "valign": "top"}),
        }
        _write_instructions(book.add_worksheet("Instructions"), template, code, round_id, formats)
        sheet = book.add_worksheet(QUESTIONS_SHEET)
        lists = book.add_worksheet(LISTS_SHEET)
        lists.hide()
        rows = _write_questions(sheet, lists, template, formats)
        meta = book.add_worksheet(META_SHEET)
        meta.very_hidden()
        payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "template_id": template.id,
                   "template_version": template.version, "round_id": round_id,
                   "respondent": code, "rows": rows}
        for row, (name, value) in enumerate([*payload.items(), ("signature",
                                                                 sign(key, payload))]):
            write_cell_exactly(meta, row, 0, name)
            write_cell_exactly(meta, row, 1, value if isinstance(value, str | int)
                                  else json.dumps(value, sort_keys=True))
        sheet.activate()
        book.close()


def _write_instructions(sheet: Any, template: Template, code: str, round_id: str,
                        formats: dict[str, Any]) -> None:
    lines = [
        (template.title, formats["title"]),
        (template.description, formats["text"]),
        ("", None),
        (f"Respondent: {code}    Round: {round_id}    Questionnaire version: {template.version}",
         formats["text"]),
        ("", None),
        ("How to fill in this file", formats["head"]),
        ("1. Open the sheet 'Questions'. Answer in the yellow cells only; the rest is locked.",
         formats["text"]),
        ("2. Ratings 0-4: pick the level whose description (in 'Guidance') fits today best.",
         formats["text"]),
        ("3. Choices: use the drop-down. Several choices or a ranking: type the options "
         "separated by semicolons (;), in order for a ranking.", formats["text"]),
        ("4. Questions marked 'Answer only if' can be left empty when the condition is not met. "
         "Questions marked (required) need an answer.", formats["text"]),
        ("5. Save the file under any name, keep it as .xlsx, and return it. Do not copy answers "
         "into another workbook: the file carries a check that links it to you and this round.",
         formats["text"]),
    ]
    sheet.set_column(0, 0, 110)
    for row, (text, cell_format) in enumerate(lines):
        write_cell_exactly(sheet, row, 0, text or None, cell_format)
    sheet.protect()


def _write_questions(sheet: Any, lists: Any, template: Template,
                     formats: dict[str, Any]) -> dict[str, str]:
    """Write the question rows; return {excel row number: question id}."""
    sheet.set_column(ID_COL, ID_COL, 16)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 50)
    sheet.set_column(3, 3, 70)
    sheet.set_column(ANSWER_COL, ANSWER_COL, 28)
    for col, text in enumerate(HEADER):
        write_cell_exactly(sheet, 0, col, text, formats["head"])
    sheet.freeze_panes(1, 0)
    rows: dict[str, str] = {}
    row = 1
    list_col = 0
    for section in template.sections:
        for question in section.questions:
            required = " (required)" if question.required else ""
            for col, value in enumerate((question.id, section.title, question.text + required,
                                         _guidance(template, question))):
                write_cell_exactly(sheet, row, col, value,
                                      formats["section"] if col == 1 else formats["text"])
            write_cell_exactly(sheet, row, ANSWER_COL, _shown_default(question),
                                  formats["answer"])
            validation = _validation(question, lists, list_col)
            list_col += question.kind == "single_choice"
            if validation:
                sheet.data_validation(row, ANSWER_COL, row, ANSWER_COL, validation)
            rows[str(row + 1)] = question.id
            row += 1
    sheet.protect("", {"format_columns": True, "format_rows": True})
    return rows


def _shown_default(question: Question) -> Any:
    """The default answer as a leader would type it (option labels, ';' between several)."""
    labels = {o.value: o.label for o in question.options}
    if isinstance(question.default, list):
        return "; ".join(labels.get(str(v), str(v)) for v in question.default)
    if question.kind == "single_choice" and question.default is not None:
        return labels.get(str(question.default), str(question.default))
    return question.default


def _guidance(template: Template, question: Question) -> str:
    parts = [question.help] if question.help else []
    if question.anchors:
        parts += [f"{level} = {text}" for level, text in enumerate(question.anchors)]
    elif question.kind == "scale_1_5":
        parts.append("1 = lowest … 5 = highest")
    elif question.kind == "number":
        bounds = [f"at least {question.min:g}" if question.min is not None else "",
                  f"at most {question.max:g}" if question.max is not None else ""]
        parts.append("A number" + (" " + " and ".join(b for b in bounds if b) if any(bounds)
                                   else ""))
    if question.kind in ("multiple_choice", "ranking"):
        how = "all options in your order of priority" if question.kind == "ranking" else \
            "any of these"
        parts.append(f"Type {how}, separated by ';': "
                     + "; ".join(o.label for o in question.options))
    if question.show_if is not None:
        target = template.question(question.show_if.question)
        labels = {o.value: o.label for o in target.options}
        accepted = " or ".join(labels.get(v, v) for v in question.show_if.accepted())
        parts.append(f"Answer only if '{target.id}' is {accepted}.")
    return "\n".join(parts)


def _validation(question: Question, lists: Any, list_col: int) -> dict[str, Any] | None:
    kind = question.kind
    if kind in ("rating_0_4", "scale_1_5"):
        levels = range(0, 5) if kind == "rating_0_4" else range(1, 6)
        return {"validate": "list", "source": [str(v) for v in levels],
                "error_message": f"Choose a whole number from {levels[0]} to {levels[-1]}."}
    if kind == "single_choice":
        for row, option in enumerate(question.options):
            write_cell_exactly(lists, row, list_col, option.label)
        first = xl_rowcol_to_cell(0, list_col, row_abs=True, col_abs=True)
        last = xl_rowcol_to_cell(len(question.options) - 1, list_col, row_abs=True, col_abs=True)
        return {"validate": "list", "source": f"='{LISTS_SHEET}'!{first}:{last}",
                "error_message": "Choose one of the options in the list."}
    if kind == "number":
        low = question.min if question.min is not None else -1e15
        high = question.max if question.max is not None else 1e15
        return {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": high,
                "error_message": f"Enter a number from {low:g} to {high:g}."}
    return None


def _read_meta(book: Any, name: str, problems: list[Problem], key: bytes) -> dict[str, Any]:
    if META_SHEET not in book.sheetnames:
        raise ResponseFileError(f"{name}: not a questionnaire workbook exported by the workbench "
                                "(its hidden identification sheet is missing)")
    values: dict[str, Any] = {}
    for _, cells in iter_untrusted_rows(book[META_SHEET], name, problems, max_rows=50):
        if cells and cells[0] is not None:
            values[str(cells[0])] = cells[1] if len(cells) > 1 else None
    try:
        payload = {
            "format": values["format"], "format_version": int(values["format_version"]),
            "template_id": values["template_id"],
            "template_version": int(values["template_version"]),
            "round_id": str(values["round_id"]), "respondent": str(values["respondent"]),
            "rows": json.loads(values["rows"]),
        }
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise ResponseFileError(f"{name}: the identification sheet is damaged ({error})") from error
    if payload["format"] != FORMAT:
        raise ResponseFileError(f"{name}: not a questionnaire workbook exported by the workbench "
                                "(its identification sheet names another format)")
    if payload["format_version"] > FORMAT_VERSION:
        raise ResponseFileError(f"{name}: made by a newer version of the workbench")
    if "signature" not in values and payload["format_version"] < FORMAT_VERSION:
        raise ResponseFileError(f"{name}: exported by an earlier version of the workbench, "
                                "without a signature, so a copy relabelled to another "
                                f"respondent could not be told apart; {RE_EXPORT}")
    if not verify(key, payload, values.get("signature")):
        raise ResponseFileError(f"{name}: the identification data was changed, or the file was "
                                "exported by another project (signature does not match); ask "
                                "for a fresh copy of the file")
    return payload


def _check_meta(meta: dict[str, Any], name: str, template: Template, round_id: str) -> None:
    if meta["format_version"] > FORMAT_VERSION:
        raise ResponseFileError(f"{name}: made by a newer version of the workbench")
    if meta["template_id"] != template.id:
        raise ResponseFileError(f"{name}: this file is for the questionnaire "
                                f"{meta['template_id']!r}, not {template.id!r}")
    if meta["template_version"] != template.version:
        raise ResponseFileError(f"{name}: this file is for version {meta['template_version']} of "
                                f"{template.id!r}; the round uses version {template.version}")
    if meta["round_id"] != str(round_id):
        raise ResponseFileError(f"{name}: this file belongs to round {meta['round_id']!r}, "
                                f"not {round_id!r}")


def _answers_from_rows(rows: list[tuple[int, tuple[Any, ...]]], expected: dict[str, str],
                       template: Template, name: str, problems: list[Problem]) -> dict[str, Any]:
    known = {q.id: q for q in template.questions()}
    answers: dict[str, Any] = {}
    answer_column = f"{QUESTIONS_SHEET}!{xl_col_to_name(ANSWER_COL)}"
    id_column = f"{QUESTIONS_SHEET}!{xl_col_to_name(ID_COL)}"
    for number, cells in rows[1:]:
        qid = cells[ID_COL] if cells else None
        value = cells[ANSWER_COL] if len(cells) > ANSWER_COL else None
        if qid is None and value is None:
            continue
        question = known.get(str(qid))
        if question is None or expected.get(str(number)) != question.id:
            problems.append(Problem(name, "unknown_question",
                                    f"row {number} holds question id {qid!r}, which does not "
                                    "belong here; its answer was ignored", number, id_column))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        parsed, error = parse_answer(question, value)
        if error:
            problems.append(Problem(name, "invalid_answer", f"{question.id}: {error}", number,
                                    answer_column))
        else:
            answers[question.id] = parsed
    return answers


def _check_required(template: Template, answers: dict[str, Any], expected: dict[str, str],
                    name: str, problems: list[Problem]) -> None:
    row_of = {qid: int(row) for row, qid in expected.items()}
    for question in template.questions():
        if question.id in answers and not template.is_visible(question, answers):
            problems.append(Problem(
                name, "not_applicable", f"{question.id}: answered although its condition is not "
                "met; the answer was kept", row_of.get(question.id),
                f"{QUESTIONS_SHEET}!{xl_col_to_name(ANSWER_COL)}", severity="warning"))
        elif (question.required and question.id not in answers
              and template.is_visible(question, answers)):
            problems.append(Problem(name, "missing_required",
                                    f"{question.id}: a required question has no answer",
                                    row_of.get(question.id),
                                    f"{QUESTIONS_SHEET}!{xl_col_to_name(ANSWER_COL)}"))


def parse_answer(question: Question, value: Any) -> tuple[Any, str | None]:
    """Convert a cell value into the answer type of ``question``; (value, error or None)."""
    kind = question.kind
    if kind in ("rating_0_4", "scale_1_5", "number") and isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None, f"{value!r} is not a number"
    if kind in ("rating_0_4", "scale_1_5") and isinstance(value, float) and value.is_integer():
        value = int(value)
    if kind == "text":
        value = str(value)
    elif kind in CHOICE_KINDS:
        by_label = {o.label.casefold(): o.value for o in question.options}
        by_value = {o.value.casefold(): o.value for o in question.options}
        items = [str(value).strip()] if kind == "single_choice" else \
            [p for p in _LIST_SEPARATOR.split(str(value).strip()) if p]
        chosen = [by_label.get(i.casefold(), by_value.get(i.casefold(), i)) for i in items]
        value = chosen[0] if kind == "single_choice" else chosen
    error = question.answer_error(value)
    return (None, error) if error else (value, None)


def _file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "respondent"
