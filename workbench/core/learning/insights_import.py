"""Read an insight log (CSV or XLSX, or a filled entry workbook) into insight drafts.

Columns are matched by name (mapping kind ``insights``: "Date received", "Who can act"...).
Each row becomes an :class:`~workbench.core.learning.model.InsightDraft` or located problems:

* errors (the row is left out): a blank source, segment, summary, date received or receiver;
  a source that is not one of the five (the nearest one is suggested); a date that cannot be
  read; a date acted on before the date received;
* warnings (the row is kept): a yes/no cell that is neither (kept as unknown); a receiver or
  actor that looks like a person id but is not on the roster (kept as text); an action
  described without the date it was taken.

Person cells may hold an id, a name or an e-mail address of the roster, or the label the
entry workbook lists (pseudonyms when privacy is on); those are stored as the person's id,
anything else as the text given (a role such as "Head of Service").
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.learning.model import INSIGHT_SOURCES, ImportSummary, InsightDraft
from workbench.core.learning.reading import (
    FileImport,
    apply_file_import,
    mapped_table,
    match_choice,
    parse_day,
    unknown_choice,
)
from workbench.core.network.mapping import ColumnMapping
from workbench.core.network.people_import import parse_yes_no
from workbench.core.network.tabular import ProblemLog, ReadOptions
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.privacy import ShownPeople
    from workbench.core.project import Project

InsightsImport = FileImport[InsightDraft]
KIND = "insights"
REQUIRED_TEXT = {"source": "the source", "segment": "the segment",
                 "summary": "what the customer said", "received_by": "who received it"}
# Other words people use for a source, reduced like header names.
SOURCE_ALIASES = {
    "partnerthirdparty": "partner", "thirdparty": "partner", "reseller": "partner",
    "supplier": "partner", "frontline": "frontline conversation",
    "conversation": "frontline conversation", "frontlineconversations": "frontline conversation",
    "staffconversation": "frontline conversation", "callcentre": "frontline conversation",
    "feedbacksurvey": "survey", "nps": "survey", "csat": "survey", "questionnaire": "survey",
    "analytics": "data", "usagedata": "data", "complain": "complaint",
}
PERSON_FIELDS = ("received_by", "can_act")
# Text that looks like a person id rather than a name or role: "E1043", "P-0012", "10234".
_LOOKS_LIKE_ID = re.compile(r"[A-Za-z]{0,4}[-_]?\d{2,}")
PROGRESS_EVERY = 500


class PersonCells:
    """Turns what a person cell says into a roster id, or keeps the text."""

    def __init__(self, shown: ShownPeople, ids: Sequence[str]) -> None:
        self._shown = shown
        self._ids = set(ids)
        self._labels = {entry.casefold(): person_id
                        for person_id, entry in entry_labels(shown, ids).items()}

    def read(self, text: str) -> tuple[str, bool]:
        """(id or text, whether it looks like an unknown id)."""
        if text in self._ids:
            return text, False
        found = self._labels.get(text.casefold()) or self._shown.resolve(text)
        if found is not None:
            return found, False
        return text, bool(_LOOKS_LIKE_ID.fullmatch(text))


def entry_labels(shown: ShownPeople, ids: Sequence[str]) -> dict[str, str]:
    """Person id -> the one label that names them in an entry workbook: as outputs show them
    (a pseudonym when privacy is on), with the id shown beside labels two people share."""
    labels = {person_id: shown.label(person_id) for person_id in ids}
    taken: dict[str, int] = {}
    for label in labels.values():
        taken[label] = taken.get(label, 0) + 1
    return {person_id: label if taken[label] == 1 else f"{label} ({shown.id(person_id)})"
            for person_id, label in labels.items()}


def import_insights(path: str | os.PathLike[str], people: PersonCells,
                    mapping: ColumnMapping | None = None, options: ReadOptions | None = None,
                    progress: Progress | None = None) -> InsightsImport:
    """Read and check an insight file; rows with errors are left out of ``records``."""
    progress = ensure_progress(progress)
    with mapped_table(path, KIND, mapping, options) as (table, mapping, index):
        problems = table.problems
        drafts = []
        for number, (row, cells) in enumerate(table.rows):
            if number % PROGRESS_EVERY == 0:
                progress.update(0.95 * table.fraction_read(), "Reading insights")
            values = {name: cells[at].strip() for name, at in index.items()}
            draft = _draft(values, row, mapping.columns, people, problems)
            if draft is not None:
                drafts.append(draft)
    progress.update(1.0, "Insights read")
    return InsightsImport(drafts, problems.to_list(), mapping)


def _draft(values: dict[str, str], row: int, columns: dict[str, str], people: PersonCells,
           problems: ProblemLog) -> InsightDraft | None:
    """One row's draft, or None (its errors reported) when the row must be left out."""
    errors: list[tuple[str, str, str]] = []    # (kind, message, field)
    warnings: list[tuple[str, str, str]] = []
    for name, what in REQUIRED_TEXT.items():
        if not values.get(name):
            errors.append(("blank", f"{what} is blank", name))
    fields: dict[str, Any] = {name: values.get(name, "") for name in
                              ("segment", "summary", "action_taken", "result")}
    source = values.get("source", "")
    fields["source"] = match_choice(source, INSIGHT_SOURCES, SOURCE_ALIASES) if source else ""
    if fields["source"] is None:
        errors.append(("unknown_source", unknown_choice("source", source, INSIGHT_SOURCES),
                       "source"))
    for name, what in (("received_on", "the date received"), ("acted_on", "the date acted on")):
        fields[name] = None
        if not values.get(name):
            if name == "received_on":
                errors.append(("blank", f"{what} is blank", name))
            continue
        try:
            fields[name] = parse_day(values[name])
        except ValueError as exc:
            errors.append(("bad_date", f"{what}: {exc}", name))
    received, acted = fields["received_on"], fields["acted_on"]
    if received is not None and acted is not None and acted < received:
        errors.append(("acted_before_received", f"acted on {acted.isoformat()}, before it was "
                       f"received on {received.isoformat()}", "acted_on"))
    if fields["action_taken"] and not values.get("acted_on"):
        warnings.append(("no_date_acted", "an action is described but not the date it was "
                         "taken; counted as not acted on yet",
                         "acted_on" if "acted_on" in columns else "action_taken"))
    for name in PERSON_FIELDS:
        fields[name], unknown = people.read(values.get(name, ""))
        if unknown:
            warnings.append(("unknown_person", f"{fields[name]!r} looks like a person id but "
                             "is not on the roster; kept as text", name))
    for name in ("loop_closed", "via_gatekeeper"):
        text = values.get(name, "")
        fields[name] = parse_yes_no(text) if text else None
        if text and fields[name] is None:
            warnings.append(("yes_no", f"{text!r} is not yes or no (use yes, no, y, n, true, "
                             "false, 1 or 0); kept as unknown", name))
    for kind, message, name in errors:
        problems.add(kind, f"{message}; row skipped", row, columns.get(name))
    for kind, message, name in warnings:
        problems.add(kind, message, row, columns.get(name), severity="warning")
    return None if errors else InsightDraft(**fields)


def read_insights_file(project: Project, path: str | os.PathLike[str],
                       mapping: ColumnMapping | None = None, options: ReadOptions | None = None,
                       progress: Progress | None = None) -> InsightsImport:
    """:func:`import_insights` with the project's roster and privacy (a filled entry
    workbook reads back the same way)."""
    from workbench.core.privacy import shown_people

    roster = project.people.list()
    people = PersonCells(shown_people(project, people=roster), [p.id for p in roster])
    return import_insights(path, people, mapping, options, progress)


def apply_insights(project: Project, result: InsightsImport, *, accept_valid: bool = False,
                   replace: bool = False, file: str | os.PathLike[str] = "") -> ImportSummary:
    """Add the read insights to the log as one undoable edit (see
    :func:`~workbench.core.learning.reading.apply_file_import`); ``replace`` empties the log
    first."""
    where = f" from {Path(file).name}" if file else ""
    label = f"Import {count(len(result.records), 'insight')}{where}"
    return apply_file_import(
        project, result, lambda: project.learning.import_insights(result.records,
                                                                  replace=replace),
        label=label, accept_valid=accept_valid)
