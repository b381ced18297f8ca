"""The narrative report (.docx): the engagement's findings as a document a client can read.

Chapters, in order (:data:`CHAPTERS`): executive summary, maturity, design questions, network
findings, say vs show, customer learning, the plan by step, and an appendix on method and
privacy, after a title page. Everything comes from :class:`ReportData`; the summary's sentences from
:func:`workbench.core.report.summary.executive_summary` and the charts from
:func:`workbench.core.report.figures.report_figures`, so the document says what the workbook,
the deck and the PDF say. Word's own styles are used (Title, Heading 1/2, Caption, List
Bullet, a grid table style), the footer numbers the pages with a PAGE field, the plan
chapter is landscape and the file is written atomically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.network import glossary as network_glossary
from workbench.core.plan.builder import step_window
from workbench.core.plan.evidence import OVERRATE, UNDERRATE
from workbench.core.questionnaire.schema import STEPS
from workbench.core.report.data import ReportData, WrittenAnswer
from workbench.core.report.figures import report_figures
from workbench.core.report.glossary_sheet import glossary_rows
from workbench.core.report.method_notes import (
    bar_text,
    gap_place,
    schedule_texts,
    stage_rule,
    target_facts,
    target_origin,
    votes_text,
)
from workbench.core.report.summary import executive_summary
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.wording import count, count_of
from workbench.core.xlsx_safety import atomic_output

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table

    from workbench.core.plan.builder import PlanAction

CHAPTERS = ("Executive summary", "Maturity", "Design questions", "Network findings",
            "Say vs show", "Customer learning", "The plan by step",
            "Appendix: method and privacy")
TABLE_STYLE = "Light Grid Accent 1"
TABLE_FONT_PT = 9
MARGIN_CM = 2.0
A4_CM = (21.0, 29.7)
FIGURE_HEIGHT_SHARE = 0.72  # a figure takes at most this share of the text height
IMPORTANCE_SUFFIX, CURRENT_SUFFIX = "_importance", "_current"


def write_report_docx(data: ReportData, path: str | Path, progress: Progress | None = None,
                      protected: str | Path | None = None) -> None:
    """Write the report of ``data`` to ``path`` (see the module notes); ``protected`` is a
    file never to be overwritten (the open project)."""
    progress = ensure_progress(progress)
    figures = report_figures(data, progress=progress.sub(0.0, 0.7))
    progress.update(0.75, "Writing the report")
    report = _Report(data, figures)
    report.build()
    progress.update(0.95, "Saving the report")
    with atomic_output(path, protected) as tmp:
        report.doc.save(str(tmp))
    progress.update(1.0, "Report written")


class _Report:
    """The document under construction; one method per chapter."""

    def __init__(self, data: ReportData, figures: dict[str, bytes]) -> None:
        from docx import Document as new_document

        self.data, self.figures = data, figures
        self.doc: Document = new_document()
        self.figure_number = 0
        self.table_number = 0

    # -- layout helpers ------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level)

    def para(self, text: str, style: str | None = None, italic: bool = False) -> None:
        paragraph = self.doc.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.italic = italic or None

    def fact(self, label: str, text: str) -> None:
        """"Label: text" with the label in bold."""
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(text)

    def bullet(self, text: str, lead: str = "") -> None:
        paragraph = self.doc.add_paragraph(style="List Bullet")
        if lead:
            paragraph.add_run(f"{lead} ").bold = True
        paragraph.add_run(text)

    def figure(self, key: str, caption: str) -> None:
        """The chart ``key`` across the text column, with a numbered caption below it."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        png = self.figures.get(key)
        if png is None:
            return
        from PIL import Image

        section = self.doc.sections[-1]
        width = (int(section.page_width or 0) - int(section.left_margin or 0)
                 - int(section.right_margin or 0))
        room = (int(section.page_height or 0) - int(section.top_margin or 0)
                - int(section.bottom_margin or 0)) * FIGURE_HEIGHT_SHARE
        pixels_wide, pixels_high = Image.open(io.BytesIO(png)).size
        width = int(min(width, room * pixels_wide / pixels_high))  # leaves room for a caption
        self.doc.add_picture(io.BytesIO(png), width=width)
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.figure_number += 1
        self.para(f"Figure {self.figure_number}. {caption}", "Caption")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]],
              widths_cm: Sequence[float], caption: str = "") -> Table:
        """A grid table with a bold header row that repeats on every page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        if caption:
            self.table_number += 1
            self.para(f"Table {self.table_number}. {caption}", "Caption")
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=len(headers), style=TABLE_STYLE)
        table.autofit = False
        look = OxmlElement("w:tblLook")  # header row banded, first column plain
        for name, value in (("val", "0420"), ("firstRow", "1"), ("firstColumn", "0"),
                            ("lastRow", "0"), ("lastColumn", "0"), ("noHBand", "0"),
                            ("noVBand", "1")):
            look.set(qn(f"w:{name}"), value)
        table._tbl.tblPr.append(look)
        header = table.rows[0]
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(flag)
        for cell, text in zip(header.cells, headers, strict=True):
            cell.text = text
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)  # the grid LibreOffice lays out by
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(TABLE_FONT_PT)
        self.doc.add_paragraph()
        return table

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def orientation(self, landscape: bool) -> None:
        """Start a new section on a new page in the given orientation (same margins)."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        short, long = sorted((section.page_width, section.page_height))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long, short) if landscape else (short, long)

    # -- the document --------------------------------------------------------------------

    def build(self) -> None:
        self._page_setup()
        self._title_page()
        self._summary()
        self._maturity()
        self._design_questions()
        self._network()
        self._say_show()
        self._learning()
        self._plan()
        self._appendix()
        last = self.doc.paragraphs[-1]
        if not last.text and last._p.getparent() is not None:  # no blank page at the end
            last._p.getparent().remove(last._p)

    def _page_setup(self) -> None:
        from docx.shared import Cm, Pt

        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(A4_CM[0]), Cm(A4_CM[1])
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        self.doc.styles["Normal"].font.size = Pt(10.5)
        self.doc.styles["Heading 1"].paragraph_format.page_break_before = True  # a chapter
        self.doc.core_properties.title = f"Organisation design report: {self.data.engagement.client}"
        self.doc.core_properties.author = self.data.engagement.consultant
        self._footer(section)

    def _footer(self, section: object) -> None:
        """"Client · page N" centred in the footer (a PAGE field, so Word counts)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = section.footer.paragraphs[0]  # type: ignore[attr-defined]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(f"{self.data.engagement.client} · page ")
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                           ("end", None)):
            if kind is not None:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == "1":
                element = OxmlElement("w:t")
                element.text = text
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)

    def _title_page(self) -> None:
        e = self.data.engagement
        self.doc.add_paragraph(style="Title").add_run("Organisation design report")
        self.para(e.client, "Subtitle")
        self.fact("Client", e.client)
        self.fact("Engagement", self._engagement_dates())
        self.fact("Written", f"{e.generated:%Y-%m-%d}")
        self.fact("Consultant", e.consultant or "not recorded")
        self.para("")
        self.para("What the leaders' ratings, the organisation's networks and the agreed plan "
                  "show, chapter by chapter: where the organisation stands on the customer-"
                  "centricity ladder, which gaps matter most, what the network shows, where "
                  "the two views differ and who does what in the next 100 days of each step. "
                  "The appendix sets out the rules the method applied and the privacy in "
                  "force." + (" People appear under pseudonyms."
                              if self.data.pseudonymised else ""), italic=True)
        self.page_break()

    def _engagement_dates(self) -> str:
        e, plan = self.data.engagement, self.data.plan
        start = e.start_date or self.data.plan_start
        end = max((a.due for a in plan), default=None)
        if start and end:
            return f"{start:%Y-%m-%d} to {end:%Y-%m-%d} (last action due)"
        if start:
            return f"from {start:%Y-%m-%d}"
        return "no start date recorded"

    def _summary(self) -> None:
        summary = executive_summary(self.data)
        self.heading(CHAPTERS[0])
        for sentence in summary.sentences():
            self.para(sentence)
        if any(line.actions for line in summary.gaps):
            self.heading("The gaps and the actions that close them", 2)
            for line in summary.gaps:
                self.bullet("; ".join(line.actions) or "No plan action serves it yet.",
                            f"{line.label} ({line.level:.1f} of 4):")

    def _maturity(self) -> None:
        data = self.data
        self.heading(CHAPTERS[1])
        self.para(stage_rule(data.method.bar))
        for label, text in target_facts(data.engagement):
            self.fact(label, text)
        self.figure("ladder", "Mean rating per ladder step against the bar; the target step "
                    "is outlined.")
        self.figure("heatmap", "Mean rating of each micro-foundation at each step (0-4); "
                    "darker cells are lower.")
        gaps = sorted(data.top_gaps, key=lambda g: g.rank)
        if not gaps:
            self.para("No assessed item is below the bar, so there is no gap to list.")
            return
        self.heading("Largest gaps", 2)
        self.table(["Rank", "Where", "Item", "Level", "Shortfall", "Weight"],
                   [[str(g.rank), gap_place(g), g.label,
                     f"{g.mean:.1f}" + (" (agreed)" if g.agreed else ""), f"{g.shortfall:.1f}",
                     f"{g.weight:.2f}"] for g in gaps],
                   [1.4, 4.0, 5.6, 1.8, 2.0, 1.7],
                   f"The {count(len(gaps), 'gap')} the plan addresses first, ranked by "
                   "shortfall times the importance leaders gave them.")

    def _design_questions(self) -> None:
        data = self.data
        self.heading(CHAPTERS[2])
        stats = list(data.questionnaire)
        if not stats:
            self.para("No organisation design round has been answered yet, so there are no "
                      "design questions to report.")
        else:
            importance = {q.key.removesuffix(IMPORTANCE_SUFFIX): q for q in stats
                          if q.key.endswith(IMPORTANCE_SUFFIX)}
            rows = []
            for q in stats:
                if q.key.endswith(IMPORTANCE_SUFFIX):
                    continue
                weight = importance.get(q.key.removesuffix(CURRENT_SUFFIX))
                split = [part for part, stat in (("rating", q), ("importance", weight))
                         if stat is not None and stat.disagreement]
                rows.append([q.text, _number(q.mean), _number(q.spread),
                             "–" if weight is None else _number(weight.mean),
                             f"yes ({' and '.join(split)})" if split else "no", str(q.n)])
            split_count = sum(1 for row in rows if row[4] != "no")
            self.para(f"Leaders rated each question from 0 (absent) to 4 (embedded) and, for "
                      f"the design questions, how important closing the gap is (1-5). They "
                      f"disagree on {count(split_count, 'question')}: "
                      f"{data.method.disagreement.describe()}.")
            self.table(["Question", "Mean 0-4", "SD", "Importance 1-5",
                        "Leaders disagree", "n"], rows, [7.0, 1.6, 1.8, 2.8, 2.6, 0.9],
                       "The design questions, with the importance of closing each gap.")
        self._written_answers()
        if data.method.steering:
            self.heading("Steering answers and what the method did with them", 2)
            for answer in data.method.steering:
                given = [f"{label}: {n}" for label, n in answer.counts]
                if answer.unanswered:
                    given.append(f"no answer: {answer.unanswered}")
                self.bullet(f"{'; '.join(given) or 'Not asked'}. {answer.consequence}",
                            f"{answer.label}.")

    def _written_answers(self) -> None:
        """The leaders' own words, per questionnaire and the item they answer."""
        by_questionnaire: dict[str, dict[str, list[WrittenAnswer]]] = {}
        for answer in self.data.written:
            by_questionnaire.setdefault(answer.questionnaire, {}).setdefault(
                answer.item, []).append(answer)
        for questionnaire, items in by_questionnaire.items():
            self.heading(f"Written answers: {questionnaire}", 2)
            for item, answers in items.items():
                self.heading(item, 3)
                for answer in answers:
                    self.bullet(f"{answer.text} ({answer.respondent})")

    def _network(self) -> None:
        story = self.data.story
        self.heading(CHAPTERS[3])
        if story is None:
            self.para("No network with ties has been imported, so there are no network "
                      "findings.")
            return
        self.para(f"{story.caption()}.", italic=True)
        for line in story.headline:
            self.bullet(line.text)
        self.figure("map", "The people of the measured network in their departments; lines "
                    "are ties between departments, thicker for more. Small departments are "
                    "pooled as on the workbook's Groups sheet.")
        if story.figures:
            self.heading("The whole network", 2)
            for key, text in story.figures:
                self.fact(network_glossary.label(key), text)
        for finding in story.findings:
            self.heading(finding.title, 2)
            self.para(finding.rule, italic=True)
            for entry in finding.entries:
                self.bullet(entry.text)
        for note in story.notes:
            self.para(note, italic=True)

    def _say_show(self) -> None:
        self.heading(CHAPTERS[4])
        evidence = list(self.data.evidence)
        if not evidence:
            self.para("No ladder round has been rated, so there is nothing to compare with "
                      "the network.")
            return
        self.para("For each ladder step, what the leaders' ratings say beside what the "
                  "network shows, on the same 0-4 scale where the network can show it.")
        self.figure("say_show", "Leaders' rating and the network's level per step.")
        for e in evidence:
            self.heading(f"Step {e.step}: {STEPS.get(e.step, '')} ({e.verdict})", 2)
            self.para(e.finding)
            self.fact("Leaders say", e.say_text)
            self.fact("Network shows", e.show_text)
            if e.customer:
                self.fact("Customers show", "; ".join(e.customer))
            for label, text in (("Appointed coordinator", e.appointed),
                                ("People able to link departments", e.able)):
                if text:
                    self.fact(label, text)
            if e.method:
                self.para(e.method, italic=True)

    def _learning(self) -> None:
        """Customer learning: the findings, days to action by source, the log in figures and
        the customer evidence beside the leaders' ratings."""
        from workbench.core.learning.report import log_facts
        from workbench.core.report.learning_sheet import LEARNING_SHEET, NOTHING_LOGGED

        report = self.data.learning
        self.heading(CHAPTERS[5])
        if report.empty:
            self.para(NOTHING_LOGGED)
            return
        for finding in report.findings:
            self.bullet(finding.detail, lead=f"{finding.headline}.")
        if not report.findings:
            self.para("Nothing in the customer-learning lab stands out by the method's rules.")
        self.figure("learning_days", "Median days from customer insight to action for each "
                    "source of the insight log, with how many of its insights were acted on.")
        for label, text in log_facts(report):
            self.fact(label, text)
        differ = [r for r in report.evidence if r.verdict in (OVERRATE, UNDERRATE)]
        if differ:
            self.table(["Segment", "Customer figure", "Leaders' rating", "Verdict"],
                       [[r.segment, r.customer_text, r.rating_text, r.verdict]
                        for r in differ], (2.6, 5.0, 6.4, 3.0),
                       "Where what customers report and what leaders rate part ways.")
        if len(differ) < len(report.evidence):
            rest = count_of(len(report.evidence) - len(differ), len(report.evidence),
                            "customer figure")
            self.para(f"{rest} agree with the leaders' ratings or lack a target or a rating "
                      "to compare with; the workbook lists them all.")
        self.para(f"The workbook's {LEARNING_SHEET} sheet adds the log by source and "
                  "department, the experiments by stage and the journey canvas.", italic=True)

    def _plan(self) -> None:
        data = self.data
        self.orientation(landscape=True)
        self.heading(CHAPTERS[6])
        if not data.plan:
            self.para("No plan has been made yet, so there are no actions to list.")
        else:
            self.para(f"{count(len(data.plan), 'action')} over "
                      f"{count(len({a.step for a in data.plan}), 'step')}; each step has a "
                      "100-day window that ends with its gate.")
            self.figure("timeline", "The plan on a timeline: each action's start to due date "
                        "inside its step's window, coloured by status.")
            first = min(a.step for a in data.plan)
            for step in sorted({a.step for a in data.plan}):
                actions = sorted((a for a in data.plan if a.step == step),
                                 key=lambda a: (a.start, a.due, a.uid))
                window = ""
                if data.plan_start is not None:
                    begin, end = step_window(data.plan_start, step, first)
                    window = f", window {begin:%Y-%m-%d} to {end:%Y-%m-%d}"
                self.heading(f"Step {step}: {STEPS.get(step, '')}{window}", 2)
                self.table(["ID", "Action", "Owner role", "Owner", "Start – due",
                            "Measure: baseline → target"],
                           [_action_row(a) for a in actions], [1.7, 7.4, 3.4, 3.4, 2.6, 7.2])
                for a in actions:
                    if a.flag:
                        self.para(f"{a.uid}: {a.flag}", italic=True)
        self.orientation(landscape=False)

    def _appendix(self) -> None:
        data, notes = self.data, self.data.method
        self.heading(CHAPTERS[7])
        self.heading("Stage rule and target", 2)
        self.para(stage_rule(notes.bar))
        self.para(bar_text(notes.bar))
        self.para(target_origin(data.engagement))
        self.fact("Votes per step", votes_text(data.engagement.votes))
        if data.engagement.stop_reason:
            self.fact("Reason for pausing", data.engagement.stop_reason)
        self.fact("Leaders disagree", f"on a question with {notes.disagreement.describe()}.")
        self.heading("Rounds and networks used", 2)
        if notes.rounds:
            self.table(["Round", "Date", "Respondents", "Used for"],
                       [[r.name, _date(r.date), str(r.respondents), r.use] for r in notes.rounds],
                       [5.5, 2.2, 2.3, 7.0], "The questionnaire rounds the report reads.")
        else:
            self.para("No questionnaire round has been run.")
        if notes.networks:
            self.table(["Network", "Relation", "Date", "Ties", "Used for"],
                       [[n.name, n.relation, _date(n.date), f"{n.ties:,}", n.use]
                        for n in notes.networks],
                       [3.6, 2.6, 2.2, 1.6, 7.0], "The networks the report reads.")
        else:
            self.para("No network with ties has been imported.")
        self.heading("Schedule rules", 2)
        for label, text in schedule_texts(notes.schedule):
            self.fact(label, text)
        self.heading("Step gates", 2)
        if notes.gates:
            self.table(["Step", "Decision", "Date", "Decided by", "Value created"],
                       [[str(g.step), g.decision, f"{g.decided_on:%Y-%m-%d}", g.decided_by,
                         g.value_created or "Not described."] for g in notes.gates],
                       [1.2, 2.6, 2.2, 3.6, 7.4])
        else:
            due = notes.next_gate
            self.para("No gate has been recorded yet. " + (
                f"The step {due[0]} gate falls due on {due[1]:%Y-%m-%d}, at the end of its "
                "100-day window." if due else "No plan with a start date exists, so no gate "
                "is due."))
        self.heading("Privacy", 2)
        self.fact("Names", "People appear under keyed pseudonyms, without ids or e-mail "
                  "addresses." if data.pseudonymised else
                  "Real names (pseudonyms are switched off).")
        self.fact("Smallest group shown", f"{max(data.min_group_size, 3)} people: smaller "
                  "departments are pooled on the map and in the findings, so no small "
                  "department's figures can be read off.")
        self.fact("Individual labels", "Findings name the people they concern."
                  if data.shows_individual_labels else "Network roles such as 'peripheral' "
                  "are never put beside a real name: the findings say 'a person in Sales' "
                  "instead, and the map labels departments, not people.")
        self.heading("Glossary", 2)
        self.table(["Term", "Meaning", "Part"],
                   [list(row) for row in glossary_rows(notes.bar)], [3.6, 11.6, 1.8])


def _action_row(a: PlanAction) -> list[str]:
    owner = a.owner or "(open)"
    return [a.uid, a.title, a.owner_role or "–", owner,
            f"{a.start:%Y-%m-%d} – {a.due:%Y-%m-%d}", _measure(a)]


def _measure(a: PlanAction) -> str:
    """"Share of ...: 12% → 40%"; a missing baseline is measured in the first two weeks."""
    unit = f" {a.unit}" if a.unit and a.unit != "%" else a.unit
    measure = a.measure or "No measure set"
    base = ("baseline in the first two weeks" + (f" from {a.data_source}" if a.data_source
                                                  else "")
            if a.baseline is None else f"{a.baseline:g}{unit}")
    if a.target is None:
        return f"{measure} ({base})" if a.baseline is None else f"{measure}: {base} → target not set"
    return f"{measure}: {base} → {a.target:g}{unit}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _date(value: object) -> str:
    return "–" if value is None else f"{value:%Y-%m-%d}"
