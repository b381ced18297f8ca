"""Reading XLSForm workbooks (KoboToolbox, ODK, SurveyCTO and the app's own exports) into
templates.

What the app can ask is kept; what it cannot ask (locations, photos, dates, calculations,
metadata such as ``start`` or ``deviceid``) is skipped with a warning naming sheet, row and
column; what makes the whole form unusable (no ``survey`` sheet, a repeat, a missing choice
list, an invalid question) is refused with located problems. Notes become help texts: a note
that opens a group introduces its section, any other note the question after it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from workbench.core.errors import Problem
from workbench.core.questionnaire.loader import TemplateError
from workbench.core.questionnaire.schema import (
    QUESTION_KINDS,
    Loc,
    Template,
    validate_template_data,
)
from workbench.core.questionnaire.xlsform_syntax import (
    TRANSLATABLE,
    Header,
    parse_constraint,
    parse_default,
    parse_header,
    parse_range_parameters,
    parse_relevant,
    parse_required,
    parse_select,
    plain_text,
)
from workbench.core.xlsx_safety import iter_untrusted_rows, open_untrusted_workbook

MAX_TEMPLATE_ROWS = 5_000
_APP_KINDS = frozenset({"rating_0_4", "scale_1_5"})  # the ``kind`` column's values
_NUMBER_TYPES = frozenset({"integer", "int", "decimal", "number"})
_TEXT_TYPES = frozenset({"text", "string"})
_METADATA = frozenset({"start", "end", "today", "deviceid", "imei", "username", "phonenumber",
                       "simserial", "subscriberid", "email", "audit", "start-geopoint",
                       "background-audio", "background-geopoint", "uri:deviceid",
                       "uri:username", "uri:phonenumber", "uri:simserial", "uri:subscriberid",
                       "uri:email", "xml-external", "csv-external"})
_NOT_ASKED = {
    **dict.fromkeys(("geopoint", "geotrace", "geoshape", "gps", "location"), "a location"),
    **dict.fromkeys(("image", "photo", "audio", "video", "file", "barcode"),
                    "a photo, recording, file or barcode"),
    **dict.fromkeys(("date", "time", "datetime"), "a date or time"),
    "calculate": "a calculation", "hidden": "a hidden value",
    "acknowledge": "an acknowledgement", "trigger": "an acknowledgement",
}
_FROM_FILE = re.compile(r"^(select_one_from_file|select_multiple_from_file|select one from file"
                        r"|select multiple from file|select_one_external)\b", re.IGNORECASE)
_GROUP = re.compile(r"^(begin|end)[ _](group|repeat|lgroup|loop|looped group)\b", re.IGNORECASE)
_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class FormWarning:
    """Something of the form that the app skipped or changed; the template still loads."""

    file: str
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.file, f"sheet {self.sheet!r}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class XLSFormImport:
    """A template read from an XLSForm, with what was skipped or changed on the way."""

    template: Template
    warnings: list[FormWarning]
    notes: int  # note rows, kept as help texts
    skipped: int  # survey rows the app cannot ask


def read_xlsform(path: str | Path) -> XLSFormImport:
    """Read an XLSForm workbook; raise :class:`TemplateError` with located problems.

    Problems name the file, the row and ``sheet!COLUMN (header)``; warnings name the sheet,
    row and column header.
    """
    file = Path(path).name
    book = open_untrusted_workbook(path)
    try:
        reader = _FormReader(file, Path(path).stem)
        sheets = {re.sub(r"\s+", "", title).lower(): book[title] for title in book.sheetnames}
        if "survey" not in sheets:
            raise TemplateError([Problem(file, "missing_sheet", "the workbook has no sheet "
                                         "named 'survey', where an XLSForm lists its questions")])
        loaded: dict[str, _Sheet] = {name: reader.load(sheets[name]) for name in ("settings", "choices", "survey")
                  if name in sheets}
    finally:
        book.close()
    return reader.read(loaded)


@dataclass
class _Sheet:
    title: str
    columns: dict[str, int]  # "label" / "label::Français (fr)" -> column index
    headers: list[Header]
    rows: list[tuple[int, tuple[Any, ...]]]


@dataclass
class _Where:
    sheet: str
    row: int
    columns: dict[str, int] = field(default_factory=dict)

    def column(self, header: str | None) -> str:
        if header is None or header not in self.columns:
            return self.sheet
        return f"{self.sheet}!{xl_col_to_name(self.columns[header])} ({header})"


@dataclass
class _Row:
    where: _Where
    cells: dict[str, Any]  # column key -> value (stripped; None when empty)

    def get(self, column: str) -> Any:
        return self.cells.get(column)


@dataclass(eq=False)  # one group is one object: sections compare groups by identity
class _Group:
    name: str | None
    label: dict[str, str]
    hint: dict[str, str]
    show_if: dict[str, Any] | None
    where: _Where


class _FormReader:
    """Turns the rows of the three sheets into template data, remembering where each came
    from so that every problem can name its sheet, row and column."""

    def __init__(self, file: str, stem: str) -> None:
        self.file, self.stem = file, stem
        self.problems: list[Problem] = []
        self.warnings: list[FormWarning] = []
        self.notes = self.skipped = 0
        self.settings: dict[str, Any] = {}
        self.settings_where = _Where("settings", 2)
        self.languages: list[str] = []
        self.main = self.main_name = ""
        self.texts: dict[str, dict[str, str]] = {}
        self.sections: list[dict[str, Any]] = []
        self.section_groups: list[_Group | None] = []
        self.where: dict[Loc, _Where] = {}
        self.list_of: dict[Loc, str] = {}
        self.options: dict[str, list[tuple[dict[str, Any], _Where, dict[str, str]]]] = {}
        self.levels: dict[str, dict[str, Any]] = {}
        self.groups: list[_Group] = []
        self.repeats = 0
        self.pending_notes: list[dict[str, str]] = []
        self.ids: dict[str, str] = {}  # XLSForm name -> question id
        self.not_asked: set[str] = set()
        self.broken: set[Loc] = set()  # questions already refused: no follow-on problems

    # -- loading ------------------------------------------------------------------------------

    def load(self, sheet: Any) -> _Sheet:
        """All non-blank rows of a sheet under its first non-blank row (the header)."""
        loaded = _Sheet(sheet.title, {}, [], [])
        sink: list[Problem] = []
        header_seen = False
        for number, values in iter_untrusted_rows(sheet, self.file, sink,
                                                  max_rows=MAX_TEMPLATE_ROWS):
            if all(plain_text(v) is None for v in values):
                continue
            if not header_seen:
                header_seen = True
                for index, value in enumerate(values):
                    header = parse_header(value)
                    if header and _key(header) not in loaded.columns:
                        loaded.columns[_key(header)] = index
                        loaded.headers.append(header)
                continue
            loaded.rows.append((number, values))
        for problem in sink:
            if problem.severity == "warning":
                self.warnings.append(FormWarning(self.file, sheet.title, problem.row, "",
                                                 problem.message))
            else:
                self.problems.append(problem)
        return loaded

    def read(self, sheets: dict[str, _Sheet]) -> XLSFormImport:
        if "settings" in sheets:
            self._read_settings(sheets["settings"])
        self._choose_language([sheets[n] for n in ("survey", "choices") if n in sheets])
        if "choices" in sheets:
            for row in self._rows(sheets["choices"]):
                self._choice_row(row)
        for row in self._rows(sheets["survey"]):
            self._survey_row(row)
        if self.pending_notes and self.sections:
            section = self.sections[-1]
            self._add_help(section, f"section.{section['id']}.hint", self.pending_notes)
        template = self._template()
        return XLSFormImport(template, self.warnings, self.notes, self.skipped)

    def _rows(self, sheet: _Sheet) -> list[_Row]:
        return [_Row(_Where(sheet.title, number, sheet.columns),
                     {key: _cell(values, index) for key, index in sheet.columns.items()})
                for number, values in sheet.rows]

    # -- settings and languages ---------------------------------------------------------------

    def _read_settings(self, sheet: _Sheet) -> None:
        rows = self._rows(sheet)
        if not rows:
            return
        first = rows[0]
        self.settings, self.settings_where = first.cells, first.where
        version = first.get("version")
        if version is not None and _whole_number(version) is None:
            self._warn(first.where, "version", f"version {version!r} is not a whole number; "
                       "the template takes version 1")
            self.settings["version"] = 1

    def _choose_language(self, sheets: list[_Sheet]) -> None:
        """The settings' default language, else English, else the first language found."""
        for sheet in sheets:
            for header in sheet.headers:
                if header.column in TRANSLATABLE and header.language not in self.languages:
                    self.languages.append(header.language)
        wanted = str(self.settings.get("default_language") or "").strip()
        named = [lang for lang in self.languages if lang]
        english = [lang for lang in named if re.match(r"(english\b|en\b)", lang.lower())
                   or "(en)" in lang.lower()]
        same = [lang for lang in named if lang.casefold() == wanted.casefold()]
        if wanted and same:
            self.main = same[0]
        elif wanted and "" in self.languages:
            self.main = ""  # unsuffixed columns are in the default language
        elif english:
            self.main = english[0]
        elif self.languages:
            self.main = self.languages[0]
        self.main_name = wanted if wanted and self.main == "" else self.main

    def _texts(self, row: _Row, column: str) -> dict[str, str]:
        """Language -> text of one translatable column (empty texts left out)."""
        texts = {}
        for language in self.languages:
            text = plain_text(row.get(_key(Header(column, language))))
            if text is not None:
                texts[language] = text
        return texts

    def _main_text(self, texts: dict[str, str], fallback: bool = False) -> str | None:
        if self.main in texts:
            return texts[self.main]
        return next(iter(texts.values()), None) if fallback else None

    def _translate(self, key: str, texts: dict[str, str]) -> None:
        for language, text in texts.items():
            if language != self.main:
                self.texts.setdefault(language, {})[key] = text

    # -- choices ------------------------------------------------------------------------------

    def _choice_row(self, row: _Row) -> None:
        list_name = plain_text(row.get("list_name"))
        if list_name is None:
            self._warn(row.where, "list_name", "this choice has no list_name, so no question "
                       "can offer it; skipped")
            return
        labels = self._texts(row, "label")
        option: dict[str, Any] = {"value": plain_text(row.get("name"))}
        label = self._main_text(labels, fallback=True)
        if label is not None:
            option["label"] = label
        self.options.setdefault(list_name, []).append(
            (_without_none(option), row.where, labels))
        if row.get("level") is not None:
            self.levels.setdefault(list_name, {})[str(option["value"])] = row.get("level")

    # -- survey -------------------------------------------------------------------------------

    def _survey_row(self, row: _Row) -> None:
        type_text = " ".join(str(plain_text(row.get("type")) or "").split())
        group = _GROUP.match(type_text)
        if group:
            self._group_row(row, group[1].lower(), group[2].lower())
            return
        if self.repeats:
            return  # inside a refused repeat
        if not type_text:
            if plain_text(row.get("name")) or self._texts(row, "label"):
                self._skip(row, "type", "the row has no type, so the app cannot tell what to "
                           "ask; skipped")
            return
        lowered = type_text.lower()
        if lowered == "note":
            self.notes += 1
            self.pending_notes.append(self._texts(row, "label"))
            return
        skip_reason = _not_asked(type_text)
        if skip_reason:
            name = plain_text(row.get("name"))
            if name:
                self.not_asked.add(name)
            self._skip(row, "type", f"type {type_text!r} is {skip_reason}, which the app "
                       "cannot ask; skipped")
            return
        self._question_row(row, type_text)

    def _group_row(self, row: _Row, begin_end: str, what: str) -> None:
        if what != "group":
            if begin_end == "begin":
                if not self.repeats:
                    self._problem(row.where, "type", "repeat", "repeats are not supported: the "
                                  "app asks each question once per respondent; turn the repeat "
                                  "into a group or into separate questions")
                self.repeats += 1
            else:
                self.repeats = max(0, self.repeats - 1)
            return
        if self.repeats:
            return
        if begin_end == "end":
            if self.pending_notes and self.sections:  # a closing note ends the section
                section = self.sections[-1]
                self._add_help(section, f"section.{section['id']}.hint", self.pending_notes)
            if self.groups:
                self.groups.pop()
            else:
                self._warn(row.where, "type", "this end group has no begin group; ignored")
            return
        show_if = None
        if row.get("relevant") is not None:
            show_if = self._condition(row, "group's condition")
        self.groups.append(_Group(plain_text(row.get("name")), self._texts(row, "label"),
                                  self._texts(row, "hint"), show_if, row.where))

    def _question_row(self, row: _Row, type_text: str) -> None:
        select = parse_select(type_text)
        lowered = type_text.lower()
        kind = (select.kind if select else "number" if lowered in _NUMBER_TYPES | {"range"}
                else "text" if lowered in _TEXT_TYPES else lowered if lowered in QUESTION_KINDS
                else type_text)
        app_kind = plain_text(row.get("kind"))
        if app_kind is not None and app_kind not in _APP_KINDS:
            self._warn(row.where, "kind", f"kind {app_kind!r} is not one the app knows "
                       "(rating_0_4 or scale_1_5); the type column decides")
        elif app_kind is not None:
            kind = app_kind
        section = self._section_for(row)
        s_index = len(self.sections) - 1
        loc: Loc = ("sections", s_index, "questions", len(section["questions"]))
        self.where[loc] = row.where
        question = self._question(row, kind, section, loc)
        if select is not None:
            self._attach_options(question, row, select.list_name, kind, loc)
        if kind == "number" and lowered == "range":
            try:
                question["min"], question["max"] = parse_range_parameters(
                    row.get("parameters") or "")
            except ValueError:
                self._warn(row.where, "parameters", f"parameters {row.get('parameters')!r} "
                           "do not give a number for start and end; the range is not kept")
        if kind == "number":
            self._number_rules(row, question)
        elif row.get("constraint") is not None:
            self._warn(row.where, "constraint", f"constraint {row.get('constraint')!r} is not "
                       "kept: the app checks ranges of number questions only")
        other = select is not None and select.or_other
        if other and not any(o.get("value") == "other" for o in question.get("options", [])):
            question.setdefault("options", []).append({"value": "other", "label": "Other"})
        section["questions"].append(_without_none(question))
        if other:
            self._add_other_text(question.get("id"), row, section, s_index)

    def _section_for(self, row: _Row) -> dict[str, Any]:
        """The section of the innermost open group; a new one when the group changes."""
        group = self.groups[-1] if self.groups else None
        if self.sections and self.section_groups[-1] is group:
            return self.sections[-1]
        taken = {s["id"] for s in self.sections}
        if group is None:
            title = {self.main: self._form_title()}
            hint: dict[str, str] = {}
            section_id = _unique(_identifier(self._form_id(), "section"), taken)
            where = row.where
        else:
            title, hint = group.label, group.hint
            section_id = _unique(_identifier(group.name or "", "section"), taken)
            where = group.where
            if group.name and section_id != group.name and group not in self.section_groups:
                self._warn(where, "name", f"the group {group.name!r} is called "
                           f"{section_id!r} in the app (ids are letters, digits and _, "
                           "used once)")
        section: dict[str, Any] = {"id": section_id, "questions": [],
                   "title": self._main_text(title, fallback=True) or group and group.name,
                   "help": self._main_text(hint)}
        self.where[("sections", len(self.sections))] = where
        self._translate(f"section.{section_id}.label", title)
        self._translate(f"section.{section_id}.hint", hint)
        self.sections.append(section)
        self.section_groups.append(group)
        if self.pending_notes:
            self._add_help(section, f"section.{section_id}.hint", self.pending_notes)
        return section

    def _question(self, row: _Row, kind: str, section: dict[str, Any],
                  loc: Loc) -> dict[str, Any]:
        qid = self._question_id(row)
        labels, hints = self._texts(row, "label"), self._texts(row, "hint")
        question: dict[str, Any] = {
            "id": qid, "kind": kind, "text": self._main_text(labels, fallback=True),
            "help": self._main_text(hints), "required": self._required(row),
            "short": plain_text(row.get("short")), "weighs": plain_text(row.get("weighs")),
        }
        if qid:
            self._translate(f"question.{qid}.label", labels)
            self._translate(f"question.{qid}.hint", hints)
        if self.pending_notes:
            self._add_help(question, f"question.{qid}.hint", self.pending_notes, before=True)
        if row.get("tags") is not None:
            question["tags"] = [t.strip() for t in str(row.get("tags")).split(",") if t.strip()]
        if row.get("step") is not None or row.get("foundation") is not None:
            question["group"] = {"step": row.get("step"), "foundation": row.get("foundation")}
        anchors = [plain_text(row.get(f"anchor_{level}")) for level in range(5)]
        if any(a is not None for a in anchors):
            question["anchors"] = anchors
        show_if = self._condition(row, "condition") if row.get("relevant") is not None else None
        inherited = next((g for g in reversed(self.groups) if g.show_if), None)
        if show_if is None and inherited is not None:
            show_if = inherited.show_if
        elif show_if is not None and inherited is not None:
            self._warn(row.where, "relevant", f"the condition of group {inherited.name!r} is "
                       "not kept for this question, which has a condition of its own")
        if show_if is not None:
            question["show_if"] = show_if
        if row.get("default") is not None:
            question["default"] = parse_default(kind, row.get("default"))
        return question

    def _question_id(self, row: _Row) -> str | None:
        name = plain_text(row.get("name"))
        if name is None:
            return None
        qid = _identifier(name, "q")
        if qid != name:
            qid = _unique(qid, set(self.ids.values()))
            self._warn(row.where, "name", f"the name {name!r} is called {qid!r} in the app "
                       "(ids are letters, digits and _)")
        self.ids[name] = qid
        return qid

    def _required(self, row: _Row) -> bool:
        required = parse_required(row.get("required"))
        if required is None:
            self._warn(row.where, "required", f"required {row.get('required')!r} is a "
                       "condition the app cannot follow; the question is optional")
            return False
        return required

    def _condition(self, row: _Row, what: str) -> dict[str, Any] | None:
        text = str(row.get("relevant"))
        try:
            show_if = parse_relevant(text)
        except ValueError as error:
            self._warn(row.where, "relevant", f"the {what} {text!r} is not kept ({error}); "
                       "shown to everyone")
            return None
        name = show_if["question"]
        if name in self.not_asked:
            self._warn(row.where, "relevant", f"the {what} {text!r} is not kept: it looks at "
                       f"{name!r}, which the app skipped; shown to everyone")
            return None
        show_if["question"] = self.ids.get(name, name)
        return show_if

    def _attach_options(self, question: dict[str, Any], row: _Row, list_name: str,
                        kind: str, loc: Loc) -> None:
        rows = self.options.get(list_name)
        if not rows:
            self.broken.add(loc)
            self._problem(row.where, "type", "missing_list", f"the choice list {list_name!r} "
                          "has no rows in the choices sheet")
            return
        self.list_of[loc] = list_name
        qid = question.get("id")
        for option, _where, labels in rows:
            if qid and "value" in option:
                self._translate(f"choice.{qid}.{option['value']}", labels)
        if kind == "rating_0_4":
            by_value = {str(o.get("value")): o.get("label") for o, _w, _l in rows}
            if sorted(by_value) != [str(level) for level in range(5)]:
                self.broken.add(loc)
                self._problem(row.where, "kind", "missing_anchors", "a rating_0_4 question "
                              "needs a choice list with the values 0, 1, 2, 3 and 4")
                return
            question["anchors"] = [by_value[str(level)] for level in range(5)]
            return
        question["options"] = [o for o, _w, _l in rows]
        if list_name in self.levels:
            question["levels"] = self.levels[list_name]

    def _add_other_text(self, qid: str | None, row: _Row, section: dict[str, Any],
                        s_index: int) -> None:
        """``or_other``: the text question XLSForm adds, shown when "other" is chosen."""
        loc: Loc = ("sections", s_index, "questions", len(section["questions"]))
        self.where[loc] = row.where
        section["questions"].append({"id": f"{qid}_other", "kind": "text",
                                     "text": "Specify other.",
                                     "show_if": {"question": qid, "equals": "other"}})
        self.ids[f"{qid}_other"] = f"{qid}_other"

    def _number_rules(self, row: _Row, question: dict[str, Any]) -> None:
        for column in ("min", "max"):
            if row.get(column) is not None:
                question[column] = row.get(column)
        text = row.get("constraint")
        if text is None:
            return
        try:
            low, high = parse_constraint(str(text))
        except ValueError as error:
            self._warn(row.where, "constraint", f"constraint {text!r} is not kept ({error})")
            return
        question |= _without_none({"min": low, "max": high})
        messages = self._texts(row, "constraint_message")
        for language, message in messages.items():
            self.texts.setdefault(language, {})[
                f"question.{question.get('id')}.constraint_message"] = message

    def _add_help(self, item: dict[str, Any], key: str, notes: list[dict[str, str]],
                  before: bool = False) -> None:
        """Join the pending notes into the help text of a section or question."""
        texts = {self.main: item.get("help") or ""} | {
            lang: t.get(key, "") for lang, t in self.texts.items() if key in t}
        for language in {lang for note in notes for lang in note} | set(texts):
            parts = [n.get(language) or self._main_text(n, fallback=True) or "" for n in notes]
            own = texts.get(language, "")
            joined = "\n\n".join(p for p in ([*parts, own] if before else [own, *parts]) if p)
            if language == self.main:
                item["help"] = joined
            else:
                self.texts.setdefault(language, {})[key] = joined
        self.pending_notes = []

    # -- the template -------------------------------------------------------------------------

    def _form_id(self) -> str:
        return plain_text(self.settings.get("form_id")) or self.stem

    def _form_title(self) -> str:
        return (plain_text(self.settings.get("form_title"))
                or re.sub(r"[_-]+", " ", self._form_id()).strip() or self._form_id())

    def _template(self) -> Template:
        form_id = self._form_id()
        template_id = _identifier(form_id, "form")
        if template_id != form_id and self.settings.get("form_id") is not None:
            self._warn(self.settings_where, "form_id", f"the form id {form_id!r} is "
                       f"{template_id!r} in the app (ids are letters, digits and _)")
        data: dict[str, Any] = {
            "id": template_id, "version": _version(self.settings.get("version")),
            "title": self._form_title(),
            "description": plain_text(self.settings.get("description")) or "",
            "sections": [_without_none(s) for s in self.sections],
        }
        if self.texts:
            data["translations"] = {"language": self.main_name, "texts": self.texts}
        scoring = self.settings.get("scoring")
        if scoring:
            try:
                data["scoring"] = json.loads(scoring)
            except (TypeError, json.JSONDecodeError) as error:
                self._problem(self.settings_where, "scoring", "wrong_type",
                              f"scoring must be JSON ({error})")
        template, issues = validate_template_data(data)
        for issue in issues:
            if issue.loc[:4] in self.broken:
                continue
            where, column = self._locate(issue.loc)
            message = issue.message
            if issue.kind == "unknown_kind":
                message = (f"the app cannot ask type {_kind_at(data, issue.loc)!r}; use "
                           "select_one LIST, select_multiple LIST, rank LIST, integer, "
                           "decimal, range, text or note")
            self._problem(where, column, issue.kind, message)
        if self.problems or template is None:
            raise TemplateError(self.problems)
        return template

    def _locate(self, loc: Loc) -> tuple[_Where, str | None]:
        if len(loc) >= 5 and loc[4] in ("options", "levels") and isinstance(loc[3], int):
            rows = self.options.get(self.list_of.get(loc[:4], ""), [])
            if loc[4] == "options" and len(loc) >= 6 and isinstance(loc[5], int):
                if loc[5] < len(rows):
                    column = loc[6] if len(loc) > 6 else "name"
                    return rows[loc[5]][1], {"value": "name"}.get(str(column), str(column))
            elif loc[4] == "levels":
                key = str(loc[5]) if len(loc) > 5 else None
                found = [w for o, w, _l in rows if key is None or str(o.get("value")) == key]
                if found:
                    return found[0], "level"
        if len(loc) >= 5 and loc[4] == "anchors" and loc[:4] in self.list_of:
            return self.where[loc[:4]], "kind"
        for length in range(len(loc), 0, -1):
            where = self.where.get(loc[:length])
            if where is not None:
                rest = [str(p) for p in loc[length:] if not isinstance(p, int)]
                return where, _column_for(rest, where)
        top = {"id": "form_id", "title": "form_title", "version": "version"}
        return self.settings_where, top.get(str(loc[0]), "scoring" if loc else None)

    # -- problems and warnings ----------------------------------------------------------------

    def _problem(self, where: _Where, column: str | None, kind: str, message: str) -> None:
        self.problems.append(Problem(self.file, kind, message, where.row, where.column(column)))

    def _warn(self, where: _Where, column: str, message: str) -> None:
        self.warnings.append(FormWarning(self.file, where.sheet, where.row or None, column,
                                         message))

    def _skip(self, row: _Row, column: str, message: str) -> None:
        self.skipped += 1
        self._warn(row.where, column, message)


_FIELD_COLUMN = {"kind": "type", "id": "name", "text": "label", "help": "hint",
                 "show_if": "relevant", "min": "constraint", "max": "constraint"}


def _column_for(fields: list[str], where: _Where) -> str | None:
    if not fields:
        return None
    if fields[0] == "group":
        return fields[1] if len(fields) > 1 else "step"
    if fields[0] == "anchors":
        return "anchor_0" if "anchor_0" in where.columns else "kind"
    if fields[0] == "options":
        return "type"
    column = _FIELD_COLUMN.get(fields[0], {"title": "label"}.get(fields[0], fields[0]))
    if fields[0] in ("min", "max") and fields[0] in where.columns:
        return fields[0]
    return column


def _kind_at(data: dict[str, Any], loc: Loc) -> Any:
    try:
        return data["sections"][loc[1]]["questions"][loc[3]]["kind"]  # type: ignore[index]
    except (IndexError, KeyError, TypeError):
        return loc[-1]


def _not_asked(type_text: str) -> str | None:
    lowered = type_text.lower()
    if lowered in _METADATA:
        return "metadata the form records by itself"
    if _FROM_FILE.match(type_text):
        return "a choice list kept in a separate file"
    return _NOT_ASKED.get(lowered)


def _key(header: Header) -> str:
    return f"{header.column}::{header.language}" if header.language else header.column


def _cell(values: tuple[Any, ...], index: int) -> Any:
    value = values[index] if index < len(values) else None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _version(value: Any) -> int:
    number = _whole_number(value)
    return 1 if number is None else number


def _identifier(name: str, prefix: str) -> str:
    """``name`` as an id of the app: letters, digits and _, starting with a letter."""
    ident = _NOT_IDENT.sub("_", name.strip())
    if not ident[:1].isalpha():
        ident = f"{prefix}_{ident}".replace("__", "_") if ident else prefix
    return ident


def _unique(ident: str, taken: set[str]) -> str:
    candidate, number = ident, 2
    while candidate in taken:
        candidate, number = f"{ident}_{number}", number + 1
    return candidate


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
