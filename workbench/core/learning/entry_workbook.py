"""An offline workbook in which frontline teams log the customer insights they hear.

Sheets:

* ``Insights`` - one row per insight, under the header the insight importer reads; drop-downs
  for the source, the segment, the people of the roster (as outputs show them: pseudonyms when
  privacy is on) and yes/no; the date columns accept dates only;
* ``How to fill in`` - what each column asks for and how to return the file (the sheet the
  workbook opens on);
* ``_lists`` (hidden) - the values the drop-downs offer.

A filled workbook is read back by
:func:`workbench.core.learning.insights_import.read_insights_file`, like any insight log: the
people labels turn back into roster ids, roles typed instead stay text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from workbench.core.learning.insights_import import entry_labels
from workbench.core.learning.model import INSIGHT_SOURCES
from workbench.core.xlsx_safety import XLSXWRITER_OPTIONS, atomic_output, write_xlsxwriter_cell

if TYPE_CHECKING:
    from workbench.core.project import Project

ENTRY_SHEET = "Insights"
HELP_SHEET = "How to fill in"
LISTS_SHEET = "_lists"
ENTRY_ROWS = 1000
YES_NO = ("yes", "no")
# (header the importer maps, column width, what the column asks for)
COLUMNS = (
    ("Source", 16, "Where the insight came from: pick complaint, survey, frontline "
     "conversation, data or partner."),
    ("Segment", 16, "The customer segment it concerns (pick one, or type a segment the list "
     "lacks)."),
    ("What the customer said", 40, "The insight in a sentence or two, in the customer's terms: "
     "what happened, what they needed."),
    ("Date received", 12, "The day it reached us (a date: 2026-03-05 or 05/03/2026)."),
    ("Who received it", 20, "The person who heard or read it first (pick from the list)."),
    ("Who can act", 20, "The person who can change what the customer met (pick from the list "
     "or type a role, e.g. 'Billing team lead')."),
    ("Action taken", 30, "What was changed because of it. Leave blank while nothing has been "
     "done."),
    ("Date acted on", 12, "The day the action was taken; blank while nothing has been done."),
    ("Result", 22, "What the action achieved, if known."),
    ("Customer told", 10, "Was the customer told what was done? yes or no; blank if not known."),
    ("Passed a gatekeeper", 12, "Did it wait for a manager or a central team before reaching "
     "the person who can act? yes or no."),
)
SOURCE_COL, SEGMENT_COL, RECEIVED_ON_COL, RECEIVED_BY_COL, CAN_ACT_COL, ACTED_ON_COL = \
    0, 1, 3, 4, 5, 7
YES_NO_COLS = (9, 10)
HELP_WIDTH, HELP_LINE = 80, 88  # the help column's width; characters of prose on one line


def write_insight_workbook(project: Project, path: str | Path) -> Path:
    """Write the entry workbook for ``project`` to ``path`` (atomically; never over the open
    project file) and return the path."""
    from workbench.core.privacy import shown_people

    roster = project.people.list()
    shown = shown_people(project, people=roster)
    people = sorted(entry_labels(shown, [p.id for p in roster]).values(), key=str.casefold)
    segments = project.learning.segments()
    client = project.engagement.get().client
    target = Path(path)
    with atomic_output(target, protected=project.path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), XLSXWRITER_OPTIONS)
        formats = {
            "title": book.add_format({"bold": True, "font_size": 16}),
            "head": book.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1,
                                     "text_wrap": True, "valign": "top"}),
            "text": book.add_format({"text_wrap": True, "valign": "top"}),
            "entry": book.add_format({"text_wrap": True, "valign": "top", "border": 1,
                                      "border_color": "#C8C8C8"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "border": 1,
                                     "border_color": "#C8C8C8"}),
        }
        entry = book.add_worksheet(ENTRY_SHEET)
        help_sheet = book.add_worksheet(HELP_SHEET)
        lists = book.add_worksheet(LISTS_SHEET)
        lists.hide()
        ranges = _write_lists(lists, (INSIGHT_SOURCES, segments, people, YES_NO))
        _write_entry(entry, formats, *ranges)
        _write_help(help_sheet, formats, client, bool(people), bool(segments))
        help_sheet.activate()
        book.close()
    return target


def _write_lists(sheet: Any, columns: Sequence[Sequence[str]]) -> list[str | None]:
    """One column per list; the absolute range of each (None for an empty list)."""
    ranges: list[str | None] = []
    for col, values in enumerate(columns):
        for row, value in enumerate(values):
            write_xlsxwriter_cell(sheet, row, col, value)
        if not values:
            ranges.append(None)
            continue
        first = xl_rowcol_to_cell(0, col, row_abs=True, col_abs=True)
        last = xl_rowcol_to_cell(len(values) - 1, col, row_abs=True, col_abs=True)
        ranges.append(f"='{LISTS_SHEET}'!{first}:{last}")
    return ranges


def _write_entry(sheet: Any, formats: dict[str, Any], sources: str | None,
                 segments: str | None, people: str | None, yes_no: str | None) -> None:
    for col, (header, width, _help) in enumerate(COLUMNS):
        write_xlsxwriter_cell(sheet, 0, col, header, formats["head"])
        date = col in (RECEIVED_ON_COL, ACTED_ON_COL)
        sheet.set_column(col, col, width, formats["date"] if date else formats["entry"])
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 30)
    sheet.set_landscape()  # printed: all columns on the width of a page, header on each page
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    last = ENTRY_ROWS

    def pick(col: int, source: str | None, strict: bool, message: str) -> None:
        if source is None:
            return
        sheet.data_validation(1, col, last, col, {
            "validate": "list", "source": source, "error_message": message,
            "error_type": "stop" if strict else "information"})

    pick(SOURCE_COL, sources, True, "Pick one of the five sources in the list.")
    pick(SEGMENT_COL, segments, False, "This segment is not in the list; keep it only if it "
         "is a segment of its own.")
    for col in (RECEIVED_BY_COL, CAN_ACT_COL):
        pick(col, people, False, "This name is not on the list; a role is fine for "
             "'Who can act'.")
    for col in YES_NO_COLS:
        pick(col, yes_no, True, "Answer yes or no, or leave it blank.")
    for col in (RECEIVED_ON_COL, ACTED_ON_COL):
        sheet.data_validation(1, col, last, col, {
            "validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1),
            "maximum": dt.date(2100, 12, 31), "error_message": "Enter a date, e.g. 2026-03-05."})


def _write_help(sheet: Any, formats: dict[str, Any], client: str, has_people: bool,
                has_segments: bool) -> None:
    whose = f" for {client}" if client else ""
    lines: list[tuple[str, Any]] = [
        (f"Customer insight log{whose}", formats["title"]),
        ("Write down every customer insight your team hears, one row each on the sheet "
         f"'{ENTRY_SHEET}', and what became of it. The log shows how long insight takes to "
         "reach someone who can act, and whether customers hear back.", formats["text"]),
        ("", None),
        ("The columns", formats["head"]),
        *((f"{header}: {help_text}", formats["text"]) for header, _w, help_text in COLUMNS),
        ("", None),
        ("Good to know", formats["head"]),
        ("The first five columns are needed; a row without them cannot be read. Fill in the "
         "action, its date and the result later, in the same row, once something has been "
         "done.", formats["text"]),
    ]
    if not has_people:
        lines.append(("The project has no people list yet, so the name columns have no "
                      "drop-down: type names as they appear in the staff list.",
                      formats["text"]))
    if not has_segments:
        lines.append(("No customer segments are known yet: type the segment names your "
                      "organisation uses.", formats["text"]))
    lines.append(("Save the file as .xlsx under any name and send it back; it is read like "
                  "any insight log, and rows with problems are listed by row and column.",
                  formats["text"]))
    sheet.set_column(0, 0, HELP_WIDTH)
    sheet.fit_to_pages(1, 0)
    for row, (text, cell_format) in enumerate(lines):
        write_xlsxwriter_cell(sheet, row, 0, text or None, cell_format)
        if cell_format is formats["text"]:  # spreadsheets do not grow wrapped rows by themselves
            sheet.set_row(row, 15 * (len(text) // HELP_LINE + 1))
