"""Roster-based ONA survey: export answer workbooks, import the filled ones as ties.

Each workbook has an Instructions sheet, a protected Survey sheet whose only unlocked cells are
the answers (a roster drop-down "Name (id)" and a 1-5 strength drop-down per row), a hidden
Roster sheet feeding the drop-downs, and a hidden "Survey info" sheet holding the survey id,
the respondent id, the question layout and an HMAC-SHA256 signature over these and the roster,
keyed with the project's secret (:mod:`workbench.core.signing`). A workbook relabelled to another
respondent, edited in its structure, or exported by another project is refused; so is one from
before signatures (format 1, a plain checksum anyone could recompute), with a request to
re-export.

On the Survey sheet, column A (hidden) marks where each question's block starts, so the import
still finds the answers when someone unprotects the sheet and inserts rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.signing import RE_EXPORT, sign, verify
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.xlsx_safety import (
    XLSXWRITER_OPTIONS,
    atomic_output,
    iter_untrusted_rows,
    open_untrusted_workbook,
    write_xlsxwriter_cell,
)

FORMAT_VERSION = 2  # 1: checksum only (refused); 2: signed with the project key
INFO_SHEET = "Survey info"
ROSTER_SHEET = "Roster"
SURVEY_SHEET = "Survey"
MARKER = "question:"
NOTE = "note"
STRENGTHS = (1, 2, 3, 4, 5)
ANSWER_COLUMNS = ("B", "C")  # person, strength


@dataclass(frozen=True)
class SurveyQuestion:
    """One roster question; ``relation`` is the tie type its answers become."""

    relation: str
    text: str
    strength_hint: str


DEFAULT_QUESTIONS: tuple[SurveyQuestion, ...] = (
    SurveyQuestion("advice",
                   "When you are stuck on a work problem, whose advice do you ask for?",
                   "How often do you ask? 1 = now and then, 5 = all the time"),
    SurveyQuestion("customer_insight",
                   "Whose knowledge of customers (what they need, do and say) do you rely on?",
                   "How much do you rely on it? 1 = a little, 5 = a great deal"),
    SurveyQuestion("extra_mile",
                   "Who, in your experience, goes out of their way to do right by customers?",
                   "How often have you seen it? 1 = once or twice, 5 = again and again"),
    SurveyQuestion("energy",
                   "After working with whom do you usually feel more energy, not less?",
                   "How much more energy? 1 = slightly, 5 = a lot"),
)

INSTRUCTIONS = (
    "This short survey maps how work really gets done: who people turn to, who knows "
    "customers and who lifts others.",
    "Go to the Survey sheet. For each question, pick up to {cap} colleagues from the drop-down "
    "list (type the first letters to jump) and rate each one from 1 to 5.",
    "Leave rows empty when you have nobody more to name. Do not name yourself.",
    "Only the answer cells can be changed. Save the file and send it back as it is; "
    "do not rename sheets or copy answers into a new workbook.",
    "Your answers are used to draw the network as a whole. Results are only shown for "
    "groups large enough that no individual can be singled out.",
)


@dataclass(frozen=True)
class SurveyExport:
    """What an export wrote: the survey id (kept with the project) and the workbook paths."""

    survey_id: str
    paths: list[Path]


@dataclass
class SurveyImport:
    """Ties per relation from the accepted workbooks, who answered, and located problems."""

    ties_by_relation: dict[str, list[Tie]] = field(default_factory=dict)
    respondents_answered: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def roster_entry(person: Person) -> str:
    """The drop-down text for a person: ``Name (id)``, or just the id without a name."""
    return f"{person.name} ({person.id})" if person.name else f"({person.id})"


def export_survey_workbook(
    people: Sequence[Person],
    out: str | os.PathLike[str],
    questions: Sequence[SurveyQuestion] = DEFAULT_QUESTIONS,
    respondents: Sequence[str] | None = None,
    max_nominations: int = 10,
    shared: bool = False,
    protected: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    *,
    key: bytes,
) -> SurveyExport:
    """Write one survey workbook per respondent into folder ``out``, or (``shared``) one
    workbook at path ``out`` in which the respondent picks their own name.

    ``key`` is the project's signing key (``project.settings.signing_key()``); the import
    accepts only workbooks signed with the same key.

    All files are staged as temporary files and only renamed into place once every one was
    written, so a failure or Cancel leaves no partial set. Raises :class:`WorkbenchError` for
    an empty or inconsistent roster, unknown respondents or a bad destination.
    """
    progress = ensure_progress(progress)
    _check_roster(people, questions, max_nominations)
    known = {p.id for p in people}
    chosen = list(respondents) if respondents is not None else [p.id for p in people]
    unknown = [r for r in chosen if r not in known]
    if unknown:
        raise WorkbenchError(f"Respondents not in the roster: {', '.join(unknown[:10])}.")
    survey_id = uuid.uuid4().hex
    target = Path(out)
    if shared:
        jobs = [(target, "")]
    else:
        if not target.is_dir():
            raise WorkbenchError(f"{target}: choose an existing folder for the survey files.")
        jobs = list(zip(_file_names(target, chosen), chosen, strict=True))
    with contextlib.ExitStack() as stack:
        for index, (path, respondent) in enumerate(jobs):
            progress.update(index / len(jobs), f"Writing survey {index + 1} of {len(jobs)}")
            tmp = stack.enter_context(atomic_output(path, protected))
            _write_workbook(tmp, people, questions, survey_id, respondent, max_nominations,
                            key)
    progress.update(1.0, "Survey files written")
    return SurveyExport(survey_id, [path for path, _ in jobs])


def _check_roster(people: Sequence[Person], questions: Sequence[SurveyQuestion],
                  max_nominations: int) -> None:
    if not people:
        raise WorkbenchError("The roster is empty; import people before exporting a survey.")
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise WorkbenchError("The roster has repeated person ids; fix them before exporting.")
    relations = [q.relation for q in questions]
    if not questions or len(set(relations)) != len(relations):
        raise WorkbenchError("Each survey question needs its own relation name.")
    if not 1 <= max_nominations <= 100:
        raise WorkbenchError("The number of names per question must be between 1 and 100.")


def _file_names(folder: Path, respondents: Iterable[str]) -> list[Path]:
    names: list[Path] = []
    used: set[str] = set()
    for respondent in respondents:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", respondent).strip("_")[:60] or "respondent"
        candidate, number = f"survey_{stem}", 2
        while candidate.lower() in used:
            candidate, number = f"survey_{stem}_{number}", number + 1
        used.add(candidate.lower())
        names.append(folder / f"{candidate}.xlsx")
    return names


def _signed(info: dict[str, Any], roster: Sequence[str]) -> list[Any]:
    """What the signature covers: the hidden survey information and the roster, in order."""
    return [info, list(roster)]


def _write_workbook(path: Path, people: Sequence[Person], questions: Sequence[SurveyQuestion],
                    survey_id: str, respondent: str, cap: int, key: bytes) -> None:
    import xlsxwriter  # heavy import, only when exporting

    roster = [roster_entry(p) for p in people]
    names = {p.id: p.name or p.id for p in people}
    workbook = xlsxwriter.Workbook(str(path), XLSXWRITER_OPTIONS)
    bold = workbook.add_format({"bold": True, "font_size": 14})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    heading = workbook.add_format({"bold": True, "text_wrap": True, "bg_color": "#DDE7F0"})
    answer = workbook.add_format({"locked": False, "bg_color": "#FFF8DC", "border": 1})

    intro = workbook.add_worksheet("Instructions")
    intro.set_column(0, 0, 100)
    who = names[respondent] if respondent else "everyone (choose your name on the Survey sheet)"
    write_xlsxwriter_cell(intro, 0, 0, f"Network survey for {who}", bold)
    for row, text in enumerate(INSTRUCTIONS, start=2):
        write_xlsxwriter_cell(intro, row, 0, text.format(cap=cap), wrap)

    sheet = workbook.add_worksheet(SURVEY_SHEET)
    roster_ref = f"='{ROSTER_SHEET}'!$A$1:$A${len(roster)}"
    sheet.set_column(0, 0, None, None, {"hidden": True})
    sheet.set_column(1, 1, 45)
    sheet.set_column(2, 2, 14)
    row = 0
    if not respondent:
        write_xlsxwriter_cell(sheet, row, 0, "respondent")
        write_xlsxwriter_cell(sheet, row, 1, "Your name:", heading)
        write_xlsxwriter_cell(sheet, row + 1, 1, None, answer)
        sheet.data_validation(row + 1, 1, row + 1, 1, {"validate": "list", "source": roster_ref})
        row += 3
    layout = []
    for number, question in enumerate(questions, start=1):
        write_xlsxwriter_cell(sheet, row, 0, MARKER + question.relation)
        write_xlsxwriter_cell(sheet, row, 1, f"{number}. {question.text}", heading)
        write_xlsxwriter_cell(sheet, row, 2, "Strength 1-5", heading)
        sheet.set_row(row, 32)
        write_xlsxwriter_cell(sheet, row + 1, 0, NOTE)
        write_xlsxwriter_cell(sheet, row + 1, 1, question.strength_hint)
        first = row + 2
        for r in range(first, first + cap):
            sheet.write_blank(r, 1, None, answer)
            sheet.write_blank(r, 2, None, answer)
        sheet.data_validation(first, 1, first + cap - 1, 1, {
            "validate": "list", "source": roster_ref,
            "error_title": "Not on the list", "error_message": "Choose a name from the list.",
        })
        sheet.data_validation(first, 2, first + cap - 1, 2, {
            "validate": "list", "source": list(map(str, STRENGTHS)),
            "error_title": "Strength", "error_message": "Choose a number from 1 to 5.",
        })
        layout.append(question.relation)
        row = first + cap + 1
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    sheet.activate()

    roster_sheet = workbook.add_worksheet(ROSTER_SHEET)
    for r, entry in enumerate(roster):
        write_xlsxwriter_cell(roster_sheet, r, 0, entry)
    roster_sheet.protect()
    roster_sheet.hide()

    info = {"format": FORMAT_VERSION, "survey_id": survey_id, "respondent_id": respondent,
            "relations": layout, "max_nominations": cap}
    info_sheet = workbook.add_worksheet(INFO_SHEET)
    signature = sign(key, _signed(info, roster))
    for r, (name, value) in enumerate([*info.items(), ("signature", signature)]):
        write_xlsxwriter_cell(info_sheet, r, 0, name)
        write_xlsxwriter_cell(info_sheet, r, 1, json.dumps(value))
    info_sheet.protect()
    info_sheet.hide()
    workbook.close()


# --------------------------------------------------------------------------- import


@dataclass
class _Answers:
    """One workbook's structure and raw answers as read from its sheets."""

    info: dict[str, Any]
    respondent: str
    rows: list[tuple[str, int, Any, Any]]  # relation, row, person cell, strength cell


def import_survey_workbooks(
    paths: Sequence[str | os.PathLike[str]],
    people: Sequence[Person],
    survey_id: str | None = None,
    progress: Progress | None = None,
    *,
    key: bytes,
) -> SurveyImport:
    """Read filled survey workbooks into ties (respondent -> nominee, weight = strength).

    ``key`` is the project's signing key: a workbook whose signature does not match it
    (relabelled, altered, from another project, or unsigned from an earlier version) is
    skipped with a problem saying so.

    Relations come from the questions' relation names (advice, customer_insight, extra_mile,
    energy by default). A file that is unreadable, not a survey workbook, altered, from another
    survey (when ``survey_id`` is given) or from a respondent already read is skipped with a
    problem; within a file, unknown names, self-nominations, repeated names, nominations over
    the cap and bad strengths are reported by row and column.
    """
    progress = ensure_progress(progress)
    result = SurveyImport()
    lookup = _Roster(people)
    first_file: dict[str, str] = {}
    for index, raw_path in enumerate(paths):
        progress.update(index / max(len(paths), 1), f"Reading {Path(raw_path).name}")
        file = Path(raw_path).name
        try:
            answers = _read_answers(Path(raw_path), lookup, result.problems, key)
        except WorkbenchError as exc:
            result.problems.append(Problem(file, "not_our_file", str(exc)))
            continue
        if answers is None:
            continue
        if survey_id is not None and answers.info["survey_id"] != survey_id:
            result.problems.append(Problem(file, "other_survey",
                                           "this file belongs to another survey; skipped"))
            continue
        respondent = answers.respondent
        if respondent not in lookup.by_id:
            result.problems.append(Problem(
                file, "unknown_respondent",
                f"respondent {respondent!r} is not in the roster; file skipped"))
            continue
        if respondent in first_file:
            result.problems.append(Problem(
                file, "answered_twice",
                f"{lookup.display(respondent)} already answered in "
                f"{first_file[respondent]}; this file was skipped"))
            continue
        first_file[respondent] = file
        ties = _nominations(file, answers, lookup, result.problems)
        for tie in ties:
            result.ties_by_relation.setdefault(tie.type, []).append(tie)
        if ties:
            result.respondents_answered.append(respondent)
        else:
            result.problems.append(Problem(file, "no_answers", "no names were given",
                                           severity="warning"))
    progress.update(1.0, "Survey answers read")
    return result


def _read_answers(path: Path, roster_lookup: _Roster, problems: list[Problem],
                  key: bytes) -> _Answers | None:
    file = path.name
    workbook = open_untrusted_workbook(path)
    try:
        names = workbook.sheetnames
        if not {INFO_SHEET, ROSTER_SHEET, SURVEY_SHEET} <= set(names):
            raise WorkbenchError(f"{file}: not a survey workbook from this app.")
        info_rows = {str(r[0]): r[1] for _, r in iter_untrusted_rows(
            workbook[INFO_SHEET], file, problems, max_rows=50) if len(r) >= 2 and r[0]}
        roster = [str(r[0]) for _, r in iter_untrusted_rows(
            workbook[ROSTER_SHEET], file, problems) if r and r[0] is not None]
        info = _decode_info(info_rows, file)
        if info is not None and info["format"] < FORMAT_VERSION and "signature" not in info_rows:
            problems.append(Problem(
                file, "unsigned",
                "exported by an earlier version of the app, without a signature, so a copy "
                f"relabelled to another respondent could not be told apart; {RE_EXPORT}; "
                "file skipped"))
            return None
        if info is None or not verify(key, _signed(info, roster),
                                      _json_text(info_rows.get("signature"))):
            problems.append(Problem(
                file, "altered",
                "the hidden survey information or roster was changed, or the file was "
                "exported by another project (signature does not match); file skipped"))
            return None
        respondent = info["respondent_id"]
        rows: list[tuple[str, int, Any, Any]] = []
        relation: str | None = None
        own_name_row: int | None = None
        for number, values in iter_untrusted_rows(workbook[SURVEY_SHEET], file, problems):
            marker, person, strength = (tuple(values) + (None, None, None))[:3]
            if own_name_row is not None and number == own_name_row + 1:
                respondent = roster_lookup.resolve(person) or ""
            if marker == "respondent" and not info["respondent_id"]:
                own_name_row = number
            elif isinstance(marker, str) and marker.startswith(MARKER):
                relation = marker[len(MARKER):]
            elif marker != NOTE and relation is not None and (person, strength) != (None, None):
                rows.append((relation, number, person, strength))
        if not respondent:
            problems.append(Problem(
                file, "unknown_respondent", "the respondent's own name is missing or not on "
                "the roster; file skipped", (own_name_row or 0) + 1, ANSWER_COLUMNS[0]))
            return None
        return _Answers(info, respondent, rows)
    finally:
        workbook.close()


def _decode_info(rows: dict[str, Any], file: str) -> dict[str, Any] | None:
    keys = ("format", "survey_id", "respondent_id", "relations", "max_nominations")
    try:
        info = {key: json.loads(rows[key]) for key in keys}
    except (KeyError, TypeError, ValueError):
        return None
    version = info["format"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return None
    if version > FORMAT_VERSION:
        raise WorkbenchError(f"{file}: made by a newer version of the app (format "
                             f"{version}); update the app to read it.")
    return info


def _json_text(value: Any) -> Any:
    """A JSON-encoded cell value decoded, or ``None`` when it is not valid JSON text."""
    try:
        return json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None


_ENTRY_ID = re.compile(r"\(([^()]*)\)\s*$")


class _Roster:
    """Finds people by drop-down entry, by the id in its brackets, or by a unique name."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.by_id = {p.id: p for p in people}
        self.by_entry = {roster_entry(p).casefold(): p.id for p in people}
        self.by_name: dict[str, list[str]] = {}
        for p in people:
            if p.name:
                self.by_name.setdefault(p.name.strip().casefold(), []).append(p.id)

    def resolve(self, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        if text.casefold() in self.by_entry:
            return self.by_entry[text.casefold()]
        match = _ENTRY_ID.search(text)
        if match and match.group(1) in self.by_id:
            return match.group(1)
        candidates = self.by_name.get(text.casefold(), [])
        return candidates[0] if len(candidates) == 1 else None

    def display(self, person_id: str) -> str:
        return self.by_id[person_id].name or person_id


def _nominations(file: str, answers: _Answers, roster: _Roster,
                 problems: list[Problem]) -> list[Tie]:
    person_col, strength_col = ANSWER_COLUMNS
    cap = int(answers.info["max_nominations"])
    known_relations = set(answers.info["relations"])
    seen: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    ties = []
    for relation, row, person, strength in answers.rows:
        def report(kind: str, message: str, column: str = person_col,
                   severity: str = "error", row: int = row) -> None:
            problems.append(Problem(file, kind, message, row, column, severity))

        if relation not in known_relations:
            report("unknown_question", f"question {relation!r} is not part of this survey",
                   column="A")
            continue
        if person is None:
            report("strength_without_name", "a strength without a name was ignored",
                   strength_col, "warning")
            continue
        nominee = roster.resolve(person)
        if nominee is None:
            report("unknown_name", f"{str(person)[:80]!r} is not on the roster")
            continue
        if nominee == answers.respondent:
            report("self_nomination", "respondents cannot name themselves; ignored")
            continue
        if (relation, nominee) in seen:
            report("duplicate_nomination", f"{roster.display(nominee)} is named again "
                   f"(first on row {seen[relation, nominee]}); ignored", severity="warning")
            continue
        counts[relation] = counts.get(relation, 0) + 1
        if counts[relation] > cap:
            report("over_cap", f"more than {cap} names for this question; ignored")
            continue
        if strength is None or strength == "":
            report("missing_strength", "no strength given; counted as 1", strength_col,
                   "warning")
            strength = 1
        weight = _strength(strength)
        if weight is None:
            report("bad_strength", f"strength {strength!r} is not a whole number from 1 to 5",
                   strength_col)
            continue
        seen[relation, nominee] = row
        ties.append(Tie(answers.respondent, nominee, weight, relation))
    return ties


def _strength(value: Any) -> float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if number.is_integer() and int(number) in STRENGTHS else None
