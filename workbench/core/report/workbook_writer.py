"""Write the plan workbook (XlsxWriter) from :class:`ReportData`.

Every text goes through the shared safety helpers, so text that looks like a formula stays
text and over-long text is shortened with a visible marker and a returned notice. A hidden
sheet ``_workbench`` marks the file as ours (engagement uuid, format version) and keeps a
fingerprint of each read-only sheet, so the re-import can tell that one was edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from workbench.core.plan.builder import PlanAction, step_window
from workbench.core.plan.gates import STATUSES
from workbench.core.plan.library import item_label
from workbench.core.questionnaire.schema import FOUNDATION_LABELS, FOUNDATIONS, STEPS
from workbench.core.report.data import (
    POOLED_LABEL,
    PRIMARY,
    ReportData,
    SuppressedGroups,
    protect_people,
    step_means,
)
from workbench.core.report.glossary_sheet import GLOSSARY_SHEET, write_glossary_sheet
from workbench.core.report.learning_sheet import LEARNING_SHEET, write_learning_sheet
from workbench.core.report.method_notes import gap_place, stage_rule, step_label, target_facts
from workbench.core.report.method_sheet import METHOD_SHEET, write_method_sheet
from workbench.core.report.network_sheet import (
    FINDINGS_SHEET,
    write_findings_sheet,
    write_headline,
)
from workbench.core.report.sheet_lines import Lines
from workbench.core.report.summary import executive_summary
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.xlsx_safety import (
    XLSXWRITER_OPTIONS,
    atomic_output,
    is_clean_text,
    safe_cell_text,
    write_xlsxwriter_cell,
)

FORMAT_NAME = "organisation-design-workbench/plan-workbook"
FORMAT_VERSION = 1
MARKER_SHEET = "_workbench"
PLAN_SHEET = "Plan"
WRITTEN_ANSWERS = "Written answers"  # the Questionnaire sheet's section under the figures
CHART_ROWS = 19  # rows the Summary's first chart covers (default row height)
IN_BRIEF = "In brief"  # the Summary's first section: the executive summary's sentences
SHEETS = ("Summary", METHOD_SHEET, "Maturity", "Questionnaire", FINDINGS_SHEET, "Network",
          "Groups", "Evidence", LEARNING_SHEET, PLAN_SHEET, "Workshop", "Roster",
          GLOSSARY_SHEET)
# (field, header, width) of the Plan sheet; the reader finds columns by these headers.
PLAN_COLUMNS = (
    ("action_id", "Action ID", 11), ("title", "Title", 34), ("step", "Step", 6),
    ("source", "Serves", 20), ("window", "100-day window", 12),
    ("owner_role", "Owner role", 16), ("owner", "Owner", 18), ("start", "Start", 11),
    ("due", "Due", 11), ("status", "Status", 12), ("measure", "Measure", 28),
    ("outcome", "From → to", 14), ("data_source", "Data source", 20),
    ("evidence", "Evidence", 28), ("depends_on", "Depends on", 11),
    ("flag", "Flag", 26), ("notes", "Notes", 30),
)
EDITABLE_FIELDS = ("owner", "start", "due", "status", "notes")
LARGE_SHEET_ROWS = 5_000  # above this, XlsxWriter streams rows to disk (constant_memory)
SPARE_PLAN_ROWS = 200  # the status drop-down also covers rows the client adds
DATE_FORMAT = "yyyy-mm-dd"
MAX_ROW_LINES = 12  # taller rows than this are left to the reader to expand
FONT_POINTS = 11  # the workbook's body type (XlsxWriter's default, Calibri 11)
MIN_PRINT_POINTS = 8  # no printed text smaller than this
# A4 landscape (11.69 in) less XlsxWriter's default side margins (0.7 in each), in pixels
PRINT_WIDTH_PX = round((11.69 - 2 * 0.7) * 96)


def column_pixels(width: float) -> int:
    """How wide Excel draws a column of ``width`` characters (Calibri 11), in pixels."""
    if width <= 0:
        return 0
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def fit_scale(pixels: Sequence[int], pages: int, repeated: int = 0) -> float:
    """The print scale (at most 1) at which columns ``pixels`` wide fit on ``pages`` page
    widths of A4 landscape, each page breaking between whole columns and each page after the
    first repeating the first ``repeated`` columns: what Excel's "fit to ``pages`` pages
    wide" prints at (0 when even the smallest scale cannot fit them)."""
    base = sum(pixels[:repeated]) if pages > 1 else 0

    def fits(scale: float) -> bool:
        room = PRINT_WIDTH_PX / scale
        used, count = 0, 1
        for px in pixels:
            if px > room - (base if count > 1 else 0):
                return False
            if used + px > room:
                used, count = base, count + 1
            used += px
        return count <= pages

    low, high = 0.0, 1.0
    if fits(high):
        return high
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return math.floor(low * 100) / 100 if low >= 0.1 else 0.0  # Excel scales in whole %


def cell_token(value: Any) -> str | None:
    """Canonical text of a cell value for sheet fingerprints (None for an empty cell).

    Numbers are compared as floats rounded to 9 decimals (-0 as 0, which is how it reads
    back) and dates without a time of day as dates, so a value survives the trip through
    Excel or LibreOffice unchanged. :meth:`_Sheet._plain_row` spells out the text and number
    cases inline.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return f"s:{value}"
    if isinstance(value, bool):
        return f"b:{int(value)}"
    if isinstance(value, int | float):
        return f"n:{round(float(value), 9) + 0.0!r}"
    if isinstance(value, dt.datetime):
        return f"d:{value.date() if value.time() == dt.time() else value.isoformat()}"
    if isinstance(value, dt.date):
        return f"d:{value.isoformat()}"
    return f"s:{value}"


class _Sheet:
    """One worksheet: safe cell writing, a running fingerprint and the common table setup."""

    def __init__(self, book: Any, name: str, notices: list[str]) -> None:
        self.ws = book.add_worksheet(name)
        self.name = name
        self.notices = notices
        self.digest = hashlib.sha256()
        self.widths: list[float] = []
        self.key_columns = 1  # the columns repeated on each page width after the first

    def columns(self, widths: Sequence[float]) -> None:
        """Column widths (characters); also used to give wrapped text enough row height."""
        self.widths = list(widths)
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)

    def row(self, row: int, values: Sequence[Any], formats: Sequence[Any] | Any = None,
            first_col: int = 0, spans: Mapping[int, int] | None = None) -> None:
        """Write ``values`` from ``first_col``; ``spans`` merges the cell of a value's column
        with the columns up to the one given (column -> last column). Rows with wrapped text
        get enough height for their lines (up to :data:`MAX_ROW_LINES`)."""
        if not isinstance(formats, list | tuple):
            formats = (formats,) * len(values)
        formats = formats[:len(values)]
        if not spans and not any(getattr(fmt, "text_wrap", 0) for fmt in formats):
            self._plain_row(row, first_col, values, formats)
            return
        lines = 1
        spans = spans or {}
        for col, value, fmt in zip(range(first_col, first_col + len(values)), values, formats,
                                   strict=True):
            last = spans.get(col, col)
            if last > col:
                self.ws.merge_range(row, col, row, last, "", fmt)
            tokens: list[str] = []
            value = self._cell(row, col, value, fmt, tokens)
            self.digest.update("".join(tokens).encode())
            if getattr(fmt, "text_wrap", 0) and isinstance(value, str) and last < len(self.widths):
                width = sum(self.widths[col:last + 1])
                lines = max(lines, sum(max(1, math.ceil(len(part) * 1.1 / width))
                                       for part in value.split("\n")))
        if lines > 1:
            self.ws.set_row(row, 15 * min(lines, MAX_ROW_LINES))

    def _plain_row(self, row: int, first_col: int, values: Sequence[Any],
                   formats: Sequence[Any]) -> None:
        """A row without merged cells or wrapped text, as nearly every row of a large table:
        plain text and finite numbers are written directly, with their :func:`cell_token`
        fingerprint lines spelt out (a call per cell would cost a few per cent); anything
        else goes through :meth:`_cell`."""
        ws, tokens = self.ws, []
        for col, value, fmt in zip(range(first_col, first_col + len(values)), values, formats,
                                   strict=True):
            kind = type(value)
            if kind is str and is_clean_text(value):
                ws.write_string(row, col, value, fmt)
                if value:
                    tokens.append(f"{row}\t{col}\ts:{value}\n")
            elif (kind is float and math.isfinite(value)) or kind is int:
                ws.write_number(row, col, value, fmt)
                tokens.append(f"{row}\t{col}\tn:{round(float(value), 9) + 0.0!r}\n")
            elif value is None:
                ws.write_blank(row, col, None, fmt)
            else:
                self._cell(row, col, value, fmt, tokens)
        self.digest.update("".join(tokens).encode())

    def _cell(self, row: int, col: int, value: Any, fmt: Any, tokens: list[str]) -> Any:
        """Write one value safely (see :mod:`workbench.core.xlsx_safety`) and add the
        fingerprint line of what was written to ``tokens``; returns that value."""
        value, notice = safe_cell_text(value)
        write_xlsxwriter_cell(self.ws, row, col, value, fmt)  # ``value`` is safe: no notice
        if notice:
            self.notices.append(f"{self.name} row {row + 1}, column {col + 1}: {notice}")
        token = cell_token(value)
        if token is not None:
            tokens.append(f"{row}\t{col}\t{token}\n")
        return value

    def finish_table(self, header_row: int, last_row: int, key_columns: int = 1) -> None:
        """Frozen header, filter and print setup (see :meth:`print_setup`) of a table sheet."""
        self.ws.freeze_panes(header_row + 1, 0)
        self.ws.autofilter(header_row, 0, max(last_row, header_row), len(self.widths) - 1)
        self.print_setup(header_row, key_columns)

    def print_setup(self, header_row: int | None = None, key_columns: int = 1) -> None:
        """A4 landscape, fit to the page width, ``header_row`` repeated on every page. A
        sheet too wide for its type to print at :data:`MIN_PRINT_POINTS` or more on one page
        width is spread over as few as keep it so, each repeating its first ``key_columns``
        columns so every row stays identified."""
        self.key_columns = key_columns
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        pages = self.pages_wide()
        self.ws.fit_to_pages(pages, 0)
        if pages > 1:
            self.ws.repeat_columns(0, key_columns - 1)
        if header_row is not None:
            self.ws.repeat_rows(header_row)

    def note(self, row: int, sentence: str, fmt: Any) -> None:
        """A wrapped sentence across the columns that print on the first page width (a note
        under a table, or why a sheet has nothing to show)."""
        room = 0.9 * sum(self.widths) / self.pages_wide()
        last, used = 0, 0.0
        for col, width in enumerate(self.widths):
            used += width
            if used > room:
                break
            last = col
        self.row(row, [sentence], fmt, spans={0: last} if last else None)

    def pages_wide(self) -> int:
        """Page widths the sheet prints on: the fewest at which its type stays at
        :data:`MIN_PRINT_POINTS` or more (:func:`fit_scale`)."""
        legible = MIN_PRINT_POINTS / FONT_POINTS
        pixels = [column_pixels(w) for w in self.widths]
        return next((pages for pages in range(1, len(self.widths) + 1)
                     if fit_scale(pixels, pages, self.key_columns) >= legible),
                    max(1, len(self.widths)))


class _Formats:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.bold = book.add_format({"bold": True})
        self.header = book.add_format({"bold": True, "bg_color": "#DDE5EE", "text_wrap": True,
                                       "valign": "top", "border": 1})
        self.text = book.add_format({"valign": "top"})
        self.fact_date = book.add_format({"align": "left", "num_format": DATE_FORMAT})
        self.fact_wrap = book.add_format({"align": "left", "valign": "top", "text_wrap": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.date = book.add_format({"num_format": DATE_FORMAT, "valign": "top",
                                     "align": "center"})
        self.one = book.add_format({"num_format": "0.0", "valign": "top"})
        self.two = book.add_format({"num_format": "0.00", "valign": "top"})
        self.num = book.add_format({"num_format": "0.000", "valign": "top"})
        self.percent = book.add_format({"num_format": "0%", "valign": "top"})
        self.int = book.add_format({"num_format": "0", "valign": "top", "align": "center"})
        self.rank = book.add_format({"num_format": "0", "valign": "top", "align": "left"})
        self.hidden = book.add_format({"italic": True, "font_color": "#666666", "align": "right",
                                       "text_wrap": True, "valign": "top"})
        self.section = book.add_format({"bold": True, "font_size": 12, "bottom": 1,
                                        "valign": "bottom"})
        self.label = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.note = book.add_format({"italic": True, "text_wrap": True, "valign": "top",
                                     "font_color": "#444444"})


def write_plan_workbook(data: ReportData, path: str | Path, protected: str | Path | None = None,
                        progress: Progress | None = None) -> list[str]:
    """Write the plan workbook atomically to ``path``; returns notices about changed cells.

    ``protected`` (e.g. the open project file) is refused as a target.
    """
    import xlsxwriter

    progress = ensure_progress(progress)
    data, groups = protect_people(data)  # no sheet may single out a group below the minimum
    largest = max(len(data.network), len(data.roster), len(data.plan))
    notices: list[str] = []
    with atomic_output(path, protected) as tmp:
        options = {**XLSXWRITER_OPTIONS, "constant_memory": largest > LARGE_SHEET_ROWS}
        book = xlsxwriter.Workbook(str(tmp), options)
        fmt = _Formats(book)
        sheets = {name: _Sheet(book, name, notices) for name in SHEETS}
        writers = (_summary, write_method_sheet, _maturity, _questionnaire, write_findings_sheet,
                   _network,
                   lambda sheet, data, fmt, book: _groups(sheet, data, fmt, book, table=groups),
                   _evidence, write_learning_sheet, _plan, _workshop, _roster,
                   write_glossary_sheet)
        for index, (name, writer) in enumerate(zip(SHEETS, writers, strict=True)):
            progress.update(index / (len(SHEETS) + 1), f"Writing sheet {name}")
            writer(sheets[name], data, fmt, book)
        _marker(book, data, sheets)
        book.set_custom_property("workbench_engagement_uuid", data.engagement.uuid)
        book.set_custom_property("workbench_format_version", FORMAT_VERSION)
        book.set_properties({"title": f"Organisation design plan - {data.engagement.client}",
                             "comments": "Created by Organisation Design Workbench"})
        progress.update(len(SHEETS) / (len(SHEETS) + 1), "Saving the workbook")
        book.close()
    progress.update(1.0, "Workbook written")
    return notices


def _summary(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    """The executive summary's sentences first, then what this network shows, the
    engagement's facts, the top gaps and two charts of the Maturity sheet under them."""
    e = data.engagement
    sheet.columns([22, 34, 30, 11, 10])
    sheet.row(0, [f"Organisation design plan: {e.client}"], fmt.title)
    out = Lines(sheet, fmt, 4, at=1)
    out.section(IN_BRIEF)
    for sentence in executive_summary(data).sentences():
        out.sentence(sentence)
    write_headline(out, data)
    facts: list[tuple[str, Any]] = [
        ("Client", e.client), ("Consultant", e.consultant), ("Engagement start", e.start_date),
        *target_facts(e),
        ("Stage rule", f"{stage_rule(data.method.bar)} The Method sheet explains the rest."),
        ("Names shown", "pseudonyms" if data.pseudonymised else "real names"),
        ("Individual labels", "shown" if data.shows_individual_labels
         else "left out beside real names"),
        ("Smallest group shown", max(data.min_group_size, 3)),
        ("Generated", e.generated.strftime("%Y-%m-%d %H:%M")),
    ]
    first = out.at + 1
    for row, (label, value) in enumerate(facts, start=first):
        sheet.row(row, [label, value], [fmt.label, fmt.fact_date if isinstance(value, dt.date)
                                        else fmt.fact_wrap], spans={1: 4})
    top = first + len(facts) + 1
    sheet.row(top, ["Top gaps"], fmt.bold)
    sheet.row(top + 1, ["Rank", "Step or questionnaire", "Item", "Mean (0-4)", "Shortfall"],
              fmt.header)
    for offset, gap in enumerate(data.top_gaps, start=top + 2):
        sheet.row(offset, [gap.rank, gap_place(gap), gap.label, gap.mean, gap.shortfall],
                  [fmt.int, fmt.wrap, fmt.wrap, fmt.one, fmt.one])
    if not data.top_gaps:
        sheet.row(top + 2, ["No gaps: no assessed item is below the bar, or nothing has been "
                            "rated yet."], fmt.note, spans={0: 4})
    sheet.print_setup(0)
    charts = top + 3 + max(len(data.top_gaps), 1)  # under the tables: the page stays legible
    target_row = e.target_step  # Maturity rows: header at 0, step s at row s
    radar = book.add_chart({"type": "radar", "subtype": "filled"})
    radar.add_series({
        "name": f"Step {e.target_step}",
        "categories": ["Maturity", 0, 2, 0, 1 + len(FOUNDATIONS)],
        "values": ["Maturity", target_row, 2, target_row, 1 + len(FOUNDATIONS)],
    })
    radar.set_title({"name": f"Target step {step_label(e.target_step)}"})
    radar.set_y_axis({"min": 0, "max": 4, "major_unit": 1})
    radar.set_legend({"none": True})
    bars = book.add_chart({"type": "column"})
    mean_col = 2 + len(FOUNDATIONS)
    bars.add_series({"name": "Step mean", "categories": ["Maturity", 1, 0, len(STEPS), 0],
                     "values": ["Maturity", 1, mean_col, len(STEPS), mean_col],
                     "data_labels": {"value": True, "num_format": "0.0"}})
    bars.set_title({"name": "Mean rating per step"})
    bars.set_y_axis({"min": 0, "max": 4, "major_unit": 1})
    bars.set_x_axis({"name": "Step"})
    bars.set_legend({"none": True})
    sheet.ws.insert_chart(charts, 0, radar, {"x_scale": 1.1, "y_scale": 1.2})
    sheet.ws.insert_chart(charts + CHART_ROWS, 0, bars, {"x_scale": 1.1})


def _maturity(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    sheet.columns([6, 30, *[16] * len(FOUNDATIONS), 10])
    headers = ["Step", "Name", *(FOUNDATION_LABELS[k] for k in FOUNDATIONS), "Step mean"]
    sheet.row(0, headers, fmt.header)
    means = step_means(data.maturity)
    for step, name in STEPS.items():
        cells = [data.maturity.get((step, key)) for key in FOUNDATIONS]
        sheet.row(step, [step, name, *cells, means.get(step)],
                  [fmt.int, fmt.text, *[fmt.one] * (len(cells) + 1)])
    sheet.ws.conditional_format(1, 2, len(STEPS), 1 + len(FOUNDATIONS), {
        "type": "3_color_scale", "min_type": "num", "min_value": 0, "min_color": "#F8696B",
        "mid_type": "num", "mid_value": 2, "mid_color": "#FFEB84",
        "max_type": "num", "max_value": 4, "max_color": "#63BE7B"})
    sheet.note(len(STEPS) + 2, "Scale: 0 absent, 1 emerging, 2 developing, 3 established, "
               "4 embedded. Empty = not rated.", fmt.wrap)
    sheet.finish_table(0, len(STEPS))


def _questionnaire(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    sheet.columns([24, 60, 11, 8, 8, 11, 15])
    sheet.row(0, ["Key", "Question", "Answers (n)", "Mean", "Median", "Spread (SD)",
                  "Leaders disagree"], fmt.header)
    formats = [fmt.text, fmt.wrap, fmt.int, fmt.two, fmt.two, fmt.two, fmt.text]
    for row, q in enumerate(data.questionnaire, start=1):
        sheet.row(row, [q.key, q.text, q.n, q.mean, q.median, q.spread,
                        "yes" if q.disagreement else "no"], formats)
    if not data.questionnaire:
        sheet.note(1, "No organisation design round has answers yet, so there are no "
                   "question figures to show.", fmt.note)
    last = len(data.questionnaire)
    sheet.finish_table(0, last)
    out = Lines(sheet, fmt, len(sheet.widths) - 1, at=max(last, 1) + 1)
    out.section(WRITTEN_ANSWERS)
    if not data.written:
        out.why_empty("No leader has written an answer in the latest round of any "
                      "questionnaire, so there is no text to show.")
    questionnaire = None
    for answer in data.written:
        if answer.questionnaire != questionnaire:
            questionnaire = answer.questionnaire
            out.line([questionnaire], fmt.bold)
            out.header(["Item", "Written answer", "Respondent"], {2: out.last})
        out.line([answer.item, answer.text, answer.respondent], fmt.wrap, {2: out.last})


def _people_columns(data: ReportData) -> list[str]:
    name = "Pseudonym" if data.pseudonymised else "Name"
    return [name] if data.pseudonymised else ["ID", name]


def _network(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    """People and their measures; the "Network role" column (peripheral, overloaded...) only
    beside pseudonyms or when individual labels beside names were switched on."""
    people = _people_columns(data)
    roles = ["Network role"] if data.shows_individual_labels else []
    sheet.columns([*[22] * len(people), 20, *[18] * len(roles),
                   *[14] * len(data.metric_names)])
    sheet.row(0, [*people, "Department", *roles, *data.metric_names], fmt.header)
    formats = [*[fmt.text] * (len(people) + 1 + len(roles)),
               *[fmt.num] * len(data.metric_names)]
    for row, person in enumerate(data.network, start=1):
        who = [person.name] if data.pseudonymised else [person.id, person.name]
        role = [person.role] if roles else []
        metrics = [person.metrics.get(m) for m in data.metric_names]
        sheet.row(row, [*who, person.department, *role, *metrics], formats)
    if not data.network:
        sheet.note(1, "No network with ties has been imported, so nobody's network measures "
                   "can be shown.", fmt.note)
    sheet.finish_table(0, len(data.network))


def _groups(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any,
            table: SuppressedGroups | None = None) -> None:
    """Department x department ties after :func:`~workbench.core.report.data.suppress_groups`
    (``table``): hidden cells say so, and a sentence under the table says why."""
    if data.groups is None or table is None:
        sheet.row(0, ["No network data: department ties are not available."])
        sheet.print_setup(0)
        return
    names = table.departments
    n = len(names)
    small = f"hidden (< {table.min_size} people)"

    def shown(value: Any, mark: str | None) -> Any:
        return value if mark is None else small if mark == PRIMARY else "hidden"

    sheet.columns([22, *[15] * (n + 1), 15, 15])
    sheet.row(0, ["From \\ to", *names, "Total", "Respondents", "E-I (silo score)"], fmt.header)
    for r in range(n + 1):
        cells: list[Any] = [names[r] if r < n else "Total"]
        formats: list[Any] = [fmt.label]
        for c in range(n + 1):
            mark = table.hidden[r][c]
            cells.append(shown(table.values[r][c], mark))
            formats.append(fmt.int if mark is None else fmt.hidden)
        if r < n:
            size = table.sizes.get(names[r])
            ei = table.ei.get(names[r])
            size_mark = None if size is not None else table.hidden[r][n]
            ei_hidden = names[r] in table.pooled or table.hidden[r][r] is not None
            cells += [shown(size, size_mark), "hidden" if ei_hidden else ei]
            formats += [fmt.int if size_mark is None else fmt.hidden,
                        fmt.hidden if ei_hidden else fmt.two]
        sheet.row(r + 1, cells, formats)
    sheet.note(n + 3, (
        f"Privacy: figures of departments with fewer than {table.min_size} people are marked "
        f"'{small}'. Cells and totals marked 'hidden' are left out as well, so that no hidden "
        f"figure can be worked out from the shown ones: each stays uncertain by at least "
        f"{table.width:g} ties. People of these departments are shown as '{POOLED_LABEL}' on "
        "the Network and Roster sheets."), fmt.wrap)
    sheet.note(n + 4, "E-I runs from -1 (all ties inside the department) to +1 (all ties to "
               "other departments).", fmt.wrap)
    sheet.finish_table(0, n + 1)


def _evidence(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    sheet.columns([6, 22, 26, 9, 30, 10, 34, 18, 40, 50])
    sheet.row(0, ["Step", "Name", "Leaders say", "Say (0-4)", "Network shows", "Show (0-4)",
                  "Customers show", "Verdict", "Finding", "How it is read"], fmt.header)
    formats = [fmt.int, fmt.text, fmt.wrap, fmt.one, fmt.wrap, fmt.one, fmt.wrap, fmt.text,
               fmt.wrap, fmt.wrap]
    for row, ev in enumerate(data.evidence, start=1):
        shows = "\n".join(filter(None, [ev.show_text, ev.appointed, ev.able]))
        customers = "\n".join(ev.customer) or "No customer measure tests this step."
        sheet.row(row, [ev.step, STEPS.get(ev.step, ""), ev.say_text, ev.say_value, shows,
                        ev.show_value, customers, ev.verdict, ev.finding, ev.method], formats)
    sheet.finish_table(0, len(data.evidence))


def _outcome(action: PlanAction) -> str:
    """Baseline to target with the unit, e.g. "0 → 12 cases per month" ("" without target)."""
    if action.target is None:
        return ""

    def number(value: float) -> str:
        return f"{value:g}"
    start = "measure first" if action.baseline is None else number(action.baseline)
    return f"{start} → {number(action.target)} {action.unit}".strip()


def _plan(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    sheet.columns([w for _f, _h, w in PLAN_COLUMNS])
    fields = [f for f, _h, _w in PLAN_COLUMNS]
    sheet.row(0, [h for _f, h, _w in PLAN_COLUMNS], fmt.header)
    first_step = min((a.step for a in data.plan), default=1)
    formats = [fmt.date if f in ("start", "due") else fmt.int if f == "step" else fmt.wrap
               for f in fields]
    for row, action in enumerate(data.plan, start=1):
        window = ""
        if data.plan_start is not None:
            begin, end = step_window(data.plan_start, action.step, first_step)
            window = f"{begin:%Y-%m-%d} to {end:%Y-%m-%d}"
        values = {
            "action_id": action.uid, "title": action.title, "step": action.step,
            "source": item_label(action.source) if action.source else "", "window": window,
            "owner_role": action.owner_role,
            "owner": action.owner or ("(open)" if action.owner_role else ""), "start": action.start, "due": action.due,
            "status": action.status, "measure": action.measure, "outcome": _outcome(action),
            "data_source": action.data_source, "evidence": action.evidence,
            "depends_on": ", ".join(action.depends_on), "notes": action.notes, "flag": action.flag,
        }
        sheet.row(row, [values[f] for f in fields], formats)
    status_col = fields.index("status")
    sheet.ws.data_validation(1, status_col, len(data.plan) + SPARE_PLAN_ROWS, status_col, {
        "validate": "list", "source": list(STATUSES),
        "error_title": "Status", "error_message": "Choose one of: " + ", ".join(STATUSES)})
    for name in ("start", "due"):
        col = fields.index(name)
        sheet.ws.data_validation(1, col, len(data.plan) + SPARE_PLAN_ROWS, col, {
            "validate": "date", "criteria": ">", "value": dt.date(2000, 1, 1),
            "error_title": "Date", "error_message": "Enter a date, e.g. 2025-03-31"})
    sheet.finish_table(0, len(data.plan), key_columns=2)  # ID and title on every page


def _workshop(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    """Votes, consensus, notes and timings of the live workshop sessions, one row per item."""
    from workbench.core.workshop.record import WORKSHOP_COLUMNS

    sheet.columns([18, 8, 18, 36, 12, 8, 20, 12, 30, 10, 10])
    sheet.row(0, list(WORKSHOP_COLUMNS), fmt.header)
    for row, item in enumerate(data.workshop, start=1):
        sheet.row(row, [item.get(column) for column in WORKSHOP_COLUMNS], fmt.wrap)
    if not data.workshop:
        sheet.note(1, "No workshop session has been recorded yet: votes, consensus and notes "
                   "appear here once one has been run.", fmt.note)
    sheet.finish_table(0, len(data.workshop))


def _roster(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    people = _people_columns(data)
    extra = [] if data.pseudonymised else ["Email"]
    sheet.columns([*[22] * len(people), 20, 24, *[30] * len(extra)])
    sheet.row(0, [*people, "Department", "Role", *extra], fmt.header)
    for row, p in enumerate(data.roster, start=1):
        who = [p.name] if data.pseudonymised else [p.id, p.name]
        sheet.row(row, [*who, p.department, p.role, *([] if data.pseudonymised else [p.email])],
                  fmt.text)
    if not data.roster:
        sheet.note(1, "Nobody is on the roster yet: import people on the People & Network "
                   "page.", fmt.note)
    sheet.finish_table(0, len(data.roster))


def _marker(book: Any, data: ReportData, sheets: dict[str, _Sheet]) -> None:
    """The hidden sheet that identifies the workbook and fingerprints the read-only sheets."""
    ws = book.add_worksheet(MARKER_SHEET)
    rows = [("format", FORMAT_NAME), ("format_version", FORMAT_VERSION),
            ("engagement_uuid", data.engagement.uuid)]
    rows += [(f"fingerprint:{name}", sheet.digest.hexdigest())
             for name, sheet in sheets.items() if name != PLAN_SHEET]
    for row, (key, value) in enumerate(rows):
        write_xlsxwriter_cell(ws, row, 0, key)
        write_xlsxwriter_cell(ws, row, 1, value)
    ws.hide()
