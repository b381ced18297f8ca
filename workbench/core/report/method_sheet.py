"""The Method sheet of the plan workbook: how the plan was reached, in words a client can check.

Sections, top to bottom: the stage rule and the bar; the target step and where it comes from,
beside the leaders' choice and their reasons for pausing; the steering answers and what the
method did with them; the disagreement rule; the rounds and networks read (and the rules
that made networks from collaboration data, when such data was imported); the schedule
rules; the step gates recorded; privacy in force; where the glossary is (the Glossary
sheet). An empty section says why.
Texts come from :mod:`workbench.core.report.method_notes`, shared with the Summary sheet and
the PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.core.report.glossary_sheet import GLOSSARY_SHEET
from workbench.core.report.method_notes import (
    bar_text,
    schedule_texts,
    stage_rule,
    target_facts,
    target_origin,
    votes_text,
)
from workbench.core.report.sheet_lines import Lines

if TYPE_CHECKING:
    from workbench.core.report.data import ReportData
    from workbench.core.report.workbook_writer import _Formats, _Sheet

METHOD_SHEET = "Method"
WIDTHS = (26, 40, 14, 24, 60)
LAST = len(WIDTHS) - 1


def write_method_sheet(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    """The Method sheet (see the module notes); prints landscape, fit to width, with the
    title row repeated on every page."""
    e, notes = data.engagement, data.method
    out = Lines(sheet, fmt, LAST)
    sheet.columns(WIDTHS)
    out.line([f"How this plan was reached: {e.client}", *[""] * LAST], fmt.title, {0: LAST})
    out.line(["The rules the workbench applied and the answers it used, as they stood when "
              f"this workbook was written ({e.generated:%Y-%m-%d %H:%M})."], fmt.note,
             {0: LAST})

    out.section("Stage rule")
    out.fact("Rule", stage_rule(notes.bar))
    out.fact("The bar", bar_text(notes.bar))
    out.fact("Stopped at, not skipped", "Each step builds what the next one needs. A higher "
             "step that meets the bar while a lower one does not is shown on the Maturity "
             "sheet but does not count, and the gaps come from every step between the stage "
             "and the target.")

    out.section("Target step")
    facts = dict(target_facts(e))
    out.fact("Target step", facts.pop("Target step"))
    out.fact("Where it comes from", target_origin(e))
    for label, text in facts.items():
        out.fact(label, text)
    out.fact("Votes per step", votes_text(e.votes))
    out.fact("Reason for pausing", e.stop_reason or "No leader gave a reason for pausing.")

    _steering(out, data)

    out.section("Disagreement rule in force")
    out.fact("Leaders disagree", f"On a question with {notes.disagreement.describe()}. Such "
             "questions read 'yes' under 'Leaders disagree' on the Questionnaire sheet; a "
             "value agreed in the workshop then replaces the individual answers when the gap "
             "is sized.")

    _rounds_and_networks(out, data)

    out.section("Schedule rules")
    for label, text in schedule_texts(notes.schedule):
        out.fact(label, text)

    _gates(out, data)

    out.section("Privacy in force")
    out.fact("Names shown", "Pseudonyms: people appear under keyed pseudonyms, without ids "
             "or e-mail addresses." if data.pseudonymised else
             "Real names (pseudonyms are switched off).")
    smallest = max(data.min_group_size, 3)
    out.fact("Smallest group shown", f"{smallest} people: figures of smaller departments are "
             "hidden, together with enough others that none can be worked out.")
    out.fact("Individual labels", "Shown: each person's network role is on the Network "
             "sheet, and the findings name the people they concern."
             if data.shows_individual_labels else "Left out: network roles such as "
             "'peripheral' are not put beside real names, and the findings say 'a person in "
             "Sales' instead of a name.")

    out.section("Glossary")
    out.fact("Terms", f"The {GLOSSARY_SHEET} sheet defines every term of this workbook in "
             "one place: the method's (step, stage, bar, gap, gate...) and the network's "
             "(sought out by, broker, possible silo, random mixing...).")
    sheet.print_setup(0)


def _steering(out: Lines, data: ReportData) -> None:
    out.section("Steering answers and what the method did with them")
    if not data.method.steering:
        out.why_empty("No steering answers: this workbook was written without the project's "
                      "questionnaire rounds.")
        return
    out.header(["Question", "Answers given (leaders, latest round)", "Consequence"], {2: LAST})
    for answer in data.method.steering:
        given = [f"{label}: {n}" for label, n in answer.counts]
        if answer.unanswered:
            given.append(f"No answer: {answer.unanswered}")
        out.line([answer.label,
                  "\n".join(given) or "Not asked", answer.consequence],
                 out.fmt.wrap, {2: LAST})


def _rounds_and_networks(out: Lines, data: ReportData) -> None:
    fmt = out.fmt
    out.section("Rounds used")
    if data.method.rounds:
        out.header(["Round", "Questionnaire", "Date", "Respondents counted", "Used for"])
        for r in data.method.rounds:
            out.line([r.name, r.template, r.date, r.respondents, r.use],
                     [fmt.wrap, fmt.wrap, fmt.date, fmt.int, fmt.wrap])
    else:
        out.why_empty("No questionnaire round has been run, so no stage, gap or steering "
                      "answer could be measured.")
    out.section("Networks used")
    if data.method.networks:
        out.header(["Network", "Relation", "Date", "Ties", "Used for"])
        for n in data.method.networks:
            out.line([n.name, n.relation, n.date, n.ties, n.use],
                     [fmt.wrap, fmt.wrap, fmt.date, fmt.int, fmt.wrap])
    else:
        out.why_empty("No network with ties has been imported, so the Network, Groups and "
                      "Evidence sheets carry no network figures.")
    if data.method.collaboration_rules:
        out.section("Networks from collaboration data")
        for label, sentences in data.method.collaboration_rules:
            out.fact(label, " ".join(sentences))


def _gates(out: Lines, data: ReportData) -> None:
    fmt = out.fmt
    out.section("Step gates recorded")
    if data.method.gates:
        out.header(["Step", "Decision", "Date", "Decided by", "Value created"])
        for g in data.method.gates:
            out.line([g.step, g.decision, g.decided_on, g.decided_by,
                      g.value_created or "Not described."],
                     [fmt.int, fmt.wrap, fmt.date, fmt.wrap, fmt.wrap])
        return
    due = data.method.next_gate
    out.why_empty("No gate has been recorded yet. " + (
        f"The step {due[0]} gate falls due on {due[1]:%Y-%m-%d}, at the end of its 100-day "
        "window." if due else "No plan with a start date exists, so no gate is due."))
