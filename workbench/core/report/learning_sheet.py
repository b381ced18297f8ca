"""The Customer learning sheet of the plan workbook, from :attr:`ReportData.learning
<workbench.core.report.data.ReportData.learning>` (people already as privacy shows them).

Top to bottom: the findings, the point of each first; the insight-to-action log in figures,
by source and by receiving department; the relationship experiments by stage; the customer
evidence beside the leaders' ratings; each journey canvas, stage by stage, with the network
check of every hand-off that breaks. A part with nothing to show says why. It prints like the
Method sheet: landscape, fit to the page width, wrapped text, the title row on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.core.learning.report import handoff_text, log_facts
from workbench.core.report.sheet_lines import Lines

if TYPE_CHECKING:
    from workbench.core.learning.report import LearningReport
    from workbench.core.report.data import ReportData
    from workbench.core.report.workbook_writer import _Formats, _Sheet

LEARNING_SHEET = "Customer learning"
WIDTHS = (24, 30, 16, 14, 14, 18, 14, 44)
LAST = len(WIDTHS) - 1
NOTHING_LOGGED = ("Nothing has been recorded in the customer-learning lab yet: log insights "
                  "and what became of them, run relationship experiments, import customer "
                  "measures or draw a journey on the Customer learning page.")


def write_learning_sheet(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    """The Customer learning sheet (see the module notes)."""
    report = data.learning
    out = Lines(sheet, fmt, LAST)
    sheet.columns(WIDTHS)
    out.line([f"Customer learning: {data.engagement.client}", *[""] * LAST], fmt.title,
             {0: LAST})
    out.line(["What the insight-to-action log, the relationship experiments, the customer "
              "measures and the journey canvas show, as they stood when this workbook was "
              f"written ({data.engagement.generated:%Y-%m-%d %H:%M})."], fmt.note, {0: LAST})
    if report.empty:
        out.why_empty(NOTHING_LOGGED)
        sheet.print_setup(0)
        return
    _findings(out, report)
    _log(out, report)
    _experiments(out, report)
    _evidence(out, report)
    _journeys(out, report)
    sheet.print_setup(0)


def _findings(out: Lines, report: LearningReport) -> None:
    out.section("Findings")
    if not report.findings:
        out.why_empty("Nothing stands out: insights are acted on quickly, customers hear back, "
                      "experiments move and hand-offs hold, by the rules the method notes on "
                      "this sheet's sections state.")
        return
    out.header(["Finding", "What it shows"], {1: LAST})
    for f in report.findings:
        out.line([f.title, f"{f.headline}.\n{f.detail}"], [out.fmt.label, out.fmt.wrap],
                 {1: LAST})


def _log(out: Lines, report: LearningReport) -> None:
    fmt = out.fmt
    out.section("Insight-to-action log")
    m = report.metrics
    if m is None:
        out.why_empty("No insight has been logged, so there are no figures on how fast "
                      "customer insight turns into action.")
        return
    for label, text in log_facts(report):
        out.fact(label, text)
    out.at += 1
    out.header(["Source", "Received", "Acted on", "Share acted", "Median days", "", "", ""])
    for f in m.by_source:
        out.line([f.name, f.received, f.acted, f.share_acted, f.median_days, "", "", ""],
                 [fmt.text, fmt.int, fmt.int, fmt.percent, fmt.one, fmt.text, fmt.text,
                  fmt.text])
    out.at += 1
    out.header(["Receiving department", "Received", "Acted on by its own people",
                "Acted on by others", "Not acted on", "Its people named to act",
                "Median days", ""])
    for d in m.by_department:
        out.line([d.department, d.received, d.acted_by_own, d.acted_elsewhere, d.not_acted,
                  d.can_act, d.median_days, ""],
                 [fmt.text, *[fmt.int] * 5, fmt.one, fmt.text])


def _experiments(out: Lines, report: LearningReport) -> None:
    out.section("Relationship experiments by stage")
    stages = report.by_stage()
    if not stages:
        out.why_empty("No relationship experiment has been recorded: the search for new "
                      "relationships with customers, non-customers and partners has not "
                      "started here.")
        return
    out.header(["Stage", "Experiment", "Connects", "Value", "Decision", "Owner",
                "Plan action", "Changes scaling needs"])
    for stage, found in stages:
        for e in found:
            changes = "\n".join(f"{c.area}: {c.change} ({c.owner or 'no owner'})"
                                for c in e.changes)
            out.line([stage, f"{e.ref} {e.title}", ", ".join(e.connects), e.value_kind,
                      e.decision or "not decided", e.owner or "no owner",
                      e.action_id or "none", changes or "none named"], out.fmt.wrap)


def _evidence(out: Lines, report: LearningReport) -> None:
    out.section("Customer evidence beside the leaders' ratings")
    if not report.evidence:
        out.why_empty("No customer measure has been imported, so the leaders' ratings stand "
                      "without what customers report.")
        return
    spans = {1: 2, 3: 5}
    out.header(["Segment", "Customer figure", "", "Leaders' rating", "", "", "Verdict",
                "Finding"], spans)
    for row in report.evidence:
        out.line([row.segment, row.customer_text, "", row.rating_text, "", "", row.verdict,
                  row.finding], out.fmt.wrap, spans)


def _journeys(out: Lines, report: LearningReport) -> None:
    if not report.journeys:
        out.section("Journey canvas")
        out.why_empty("No customer journey has been drawn yet.")
        return
    spans = {3: 4}
    for segment, lines in report.journeys:
        out.section(f"Journey canvas: {segment}")
        out.header(["Stage", "Customer need and feeling", "Interaction and channel",
                    "Skills, systems and information", "", "Quality and productivity measures",
                    "Owner", "Hand-off"], spans)
        for line in lines:
            s = line.stage
            out.line([f"{s.position}. {s.name}",
                      "\n".join(filter(None, [s.need, s.feeling and f"Feels: {s.feeling}"])),
                      "\n".join(filter(None, [s.interaction, s.channel and
                                              f"Channel: {s.channel}"])),
                      s.enablers, "",
                      "\n".join(filter(None, [s.quality_measure and
                                              f"Quality: {s.quality_measure}",
                                              s.productivity_measure and
                                              f"Productivity: {s.productivity_measure}"])),
                      s.owner, handoff_text(line)], out.fmt.wrap, spans)
