"""The slide deck (.pptx): one message per slide, the slide's title being that message.

The deck is planned first as plain :class:`Slide` records (title, speaker notes, and blocks of
text, tables and pictures placed in inches), then drawn with python-pptx. Planning is where
the layout is made to fit: a title must wrap onto at most two lines at 28 pt and a text block
must fit its box at 18 pt, else 16 pt, with anything that still does not fit moved into the
speaker notes. Widths are estimated from character counts (a bold character of Arial takes
about 0.52 of the point size, a regular one about 0.5), which errs on the safe side.

Everything comes from :class:`~workbench.core.report.data.ReportData`, the key sentences from
:func:`~workbench.core.report.summary.executive_summary` and the charts from
:func:`~workbench.core.report.figures.report_figures` (the plan timeline redrawn to the slide's
shape, :func:`slide_figures`), so the deck says what the workbook and the report say, with
people as privacy shows them.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.network.glossary import label as term_label
from workbench.core.plan.builder import PlanAction
from workbench.core.plan.evidence import ALIGNED, OVERRATE, UNDERRATE
from workbench.core.questionnaire.schema import FOUNDATION_LABELS, STEPS
from workbench.core.report.data import ReportData, step_means
from workbench.core.report.figures import png_bytes, report_figures, stage_result
from workbench.core.report.method_notes import (
    DESIGN_TEMPLATE,
    bar_text,
    schedule_texts,
    stage_rule,
    target_origin,
    votes_text,
)
from workbench.core.report.network_sheet import NO_NETWORK, NOTHING_STANDS_OUT, not_named
from workbench.core.report.summary import (
    ExecutiveSummary,
    GapLine,
    action_text,
    executive_summary,
)
from workbench.core.report.timeline import timeline_figure
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.wording import count, count_of
from workbench.core.xlsx_safety import atomic_output

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide as Page
    from pptx.text.text import TextFrame

SLIDE_SIZE = (13.333, 7.5)  # inches: 16:9
MARGIN = 0.5  # inches on every side
TITLE_TOP, TITLE_HEIGHT = 0.35, 1.25
BODY_TOP = 1.8
BODY_BOTTOM = SLIDE_SIZE[1] - MARGIN
GUTTER = 0.35  # between two columns
INSET = 0.1  # python-pptx's default left/right text inset (top/bottom: half of it)
TITLE_PT, TITLE_LINES = 28, 2
BODY_PT, MIN_BODY_PT = 18, 16
SPACE_AFTER_PT = 8
LINE_HEIGHT = 1.2  # line pitch as a multiple of the point size
BOLD_EM, TEXT_EM = 0.52, 0.5  # average character width as a share of the point size
BULLET_INDENT = 0.3  # inches
OWNER_UIDS = 3  # action ids listed per owner on the owners slide (all are in the notes)
TIMELINE_ROWS = 8  # actions a timeline slide shows; a longer plan shows its first ones
SLIDE_DPI = 150  # 13.3 in x 150 = 2,000 px: sharp on a projector, small in the file
FONT = "Arial"
TITLE_COLOUR, TEXT_COLOUR = "1F3B5A", "222222"
NUMBERS = {1: "one", 2: "two", 3: "three"}


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches."""

    left: float
    top: float
    width: float
    height: float


CONTENT = Box(MARGIN, BODY_TOP, SLIDE_SIZE[0] - 2 * MARGIN, BODY_BOTTOM - BODY_TOP)


def columns(share: float, box: Box = CONTENT) -> tuple[Box, Box]:
    """``box`` split into a left column taking ``share`` of the width and a right one."""
    left = (box.width - GUTTER) * share
    return (Box(box.left, box.top, left, box.height),
            Box(box.left + left + GUTTER, box.top, box.width - left - GUTTER, box.height))


@dataclass(frozen=True)
class Para:
    """A paragraph: ``lead`` is set in bold before the text; ``bullet`` indents it."""

    text: str
    lead: str = ""
    bullet: bool = False

    @property
    def full(self) -> str:
        return f"{self.lead}{self.text}"


@dataclass(frozen=True)
class Text:
    paras: tuple[Para, ...]
    box: Box
    size: int = BODY_PT


@dataclass(frozen=True)
class Table:
    """A table: the first row is the header; ``widths`` are shares of the box width."""

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    box: Box
    size: int = MIN_BODY_PT


@dataclass(frozen=True)
class Picture:
    key: str  # a key of report_figures
    box: Box


Block = Text | Table | Picture


@dataclass
class Slide:
    """One slide: ``title`` is its message; ``subtitle`` only on the title slide."""

    title: str
    notes: list[str]
    blocks: list[Block] = field(default_factory=list)
    subtitle: tuple[str, ...] = ()


# -- fitting text -----------------------------------------------------------------------------

def chars_per_line(width: float, size: float, em: float = TEXT_EM) -> int:
    """About how many characters fit on a line ``width`` inches wide at ``size`` points."""
    return max(1, int((width - 2 * INSET) * 72 / (size * em)))


def wrapped(text: str, width: float, size: float, em: float = TEXT_EM) -> list[str]:
    """``text`` as it would wrap in a box ``width`` inches wide (an estimate)."""
    return textwrap.wrap(text, chars_per_line(width, size, em), break_on_hyphens=False) or [""]


def title_fits(title: str) -> bool:
    """Whether ``title`` wraps onto at most two lines at 28 pt across the slide."""
    return len(wrapped(title, CONTENT.width, TITLE_PT, BOLD_EM)) <= TITLE_LINES


def fit_title(*candidates: str) -> str:
    """The first candidate that fits the title area; the last one shortened if none does."""
    for text in candidates:
        if title_fits(text):
            return text
    limit = chars_per_line(CONTENT.width, TITLE_PT, BOLD_EM) * TITLE_LINES
    return textwrap.shorten(candidates[-1], limit, placeholder=" …")


def short_sentence(text: str) -> str:
    """The first clause of ``text`` (up to its first semicolon or full stop), as a sentence."""
    for stop in ("; ", ". "):
        text = text.split(stop, 1)[0]
    return text.rstrip(".") + "."


def text_height(paras: Sequence[Para], width: float, size: float) -> float:
    """Inches the paragraphs take in a box ``width`` wide at ``size`` points."""
    lines = sum(len(wrapped(p.full, width - (BULLET_INDENT if p.bullet else 0.0), size))
                for p in paras)
    gaps = max(0, len(paras) - 1) * SPACE_AFTER_PT
    return (lines * size * LINE_HEIGHT + gaps) / 72 + INSET


def fit_text(paras: Sequence[Para], box: Box, notes: list[str]) -> Text:
    """The paragraphs at 18 pt, else 16 pt; paragraphs that still do not fit go to ``notes``."""
    kept = list(paras)
    for size in (BODY_PT, MIN_BODY_PT):
        if text_height(kept, box.width, size) <= box.height:
            return Text(tuple(kept), box, size)
    while kept and text_height(kept, box.width, MIN_BODY_PT) > box.height:
        notes.append(f"Not on the slide for lack of room: {kept.pop().full}")
    return Text(tuple(kept), box, MIN_BODY_PT)


def row_height(row: Sequence[str], widths: Sequence[float], size: float) -> float:
    """Inches a table row takes (a cell's line breaks start new lines)."""
    lines = max(sum(len(wrapped(part, width, size)) for part in cell.split("\n"))
                for cell, width in zip(row, widths, strict=True))
    return (lines * size * LINE_HEIGHT) / 72 + 2 * INSET


def fit_table(rows: Sequence[tuple[str, ...]], shares: tuple[float, ...], box: Box,
              notes: list[str]) -> Table:
    """A table of ``rows`` (header first) at 16 pt; rows that do not fit go to ``notes``, and
    a last row says how many did not."""
    widths = [box.width * s for s in shares]

    def height(some: Sequence[tuple[str, ...]]) -> float:
        return sum(row_height(r, widths, MIN_BODY_PT) for r in some)

    kept, dropped = list(rows), list[tuple[str, ...]]()
    more: tuple[str, ...] = ()
    while len(kept) > 1 and height([*kept, *([more] if more else [])]) > box.height:
        dropped.insert(0, kept.pop())
        more = (f"… and {len(dropped)} more, listed in the notes", *[""] * (len(shares) - 1))
    notes += ["Not on the slide for lack of room: " + "; ".join(r) for r in dropped]
    return Table((*kept, *([more] if more else [])), shares, box)


def table_height(table: Table) -> float:
    widths = [table.box.width * s for s in table.widths]
    return sum(row_height(r, widths, table.size) for r in table.rows)


# -- the slides -------------------------------------------------------------------------------

def _fmt(value: float | None, digits: int = 1) -> str:
    return "not rated" if value is None else f"{value:.{digits}f}"


def _mid_sentence(label: str) -> str:
    """A label inside a sentence: "How fast ..." -> "how fast ..." (acronyms kept)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _steps_words(steps: Sequence[int]) -> str:
    named = [str(s) for s in steps]
    body = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"step{'s' if len(named) > 1 else ''} {body}"


def _owner(action: PlanAction) -> str:
    return action.owner or (f"{action.owner_role} (owner open)" if action.owner_role
                            else "Owner open")


def title_slide(data: ReportData, summary: ExecutiveSummary) -> Slide:
    e = data.engagement
    title = fit_title(f"{e.client}: where the organisation stands and how it reaches step "
                      f"{e.target_step}", f"{e.client}: findings and plan")
    people = max((r.respondents for r in data.method.rounds), default=0)
    sources = [count(len(data.method.rounds), "questionnaire round")]
    if people:
        sources[0] += f" answered by up to {count(people, 'leader')}"
    if data.method.networks:
        sources.append(count(len(data.method.networks), "network"))
    by = f"Prepared by {e.consultant}, " if e.consultant else ""
    return Slide(title, [
        f"Deck written {e.generated:%Y-%m-%d %H:%M} from the project's data.",
        "Each slide title is its message; the notes give the numbers behind it.",
        f"Sources: {' and '.join(sources)}.",
        *summary.sentences()[:2]],
        subtitle=(f"{by}{e.generated:%Y-%m-%d}", f"Based on {' and '.join(sources)}"))


def stage_slide(data: ReportData, summary: ExecutiveSummary, figures: dict[str, bytes]
                ) -> Slide:
    result = stage_result(data)
    bar = data.method.bar
    notes = [stage_rule(bar)]
    paras = []
    for step in result.steps:
        verdict = ("meets the bar" if step.meets_bar else
                   "not fully rated" if step.cells_answered < step.cells_total else
                   "below the bar")
        paras.append(Para(f"mean {_fmt(step.mean)}, lowest cell {_fmt(step.min_cell)}: "
                          f"{verdict}", f"Step {step.step} ", bullet=True))
        notes.append(f"Step {step.step} ({STEPS.get(step.step, '')}): mean {_fmt(step.mean, 2)}"
                     f", lowest cell mean {_fmt(step.min_cell, 2)}, {step.cells_answered} of "
                     f"{step.cells_total} cells rated; {verdict}.")
    if result.met_above:
        notes.append(f"{_steps_words(result.met_above).capitalize()} meet the bar on their own "
                     "but do not count: a lower step does not.")
    notes += [f"Round: {r.name}, {count(r.respondents, 'respondent')}"
              + (f", {r.date:%Y-%m-%d}" if r.date else "") for r in data.method.rounds[:1]]
    paras.append(Para(f"Bar: mean at least {bar.mean:g}, no cell below {bar.min_cell:g}; steps "
                      "may be stopped at, not skipped."))
    return _chart_and_text(fit_title(summary.stage, short_sentence(summary.stage)), notes,
                           figures, "ladder", paras, share=0.6)


def target_slide(data: ReportData, summary: ExecutiveSummary, figures: dict[str, bytes]
                 ) -> Slide:
    e = data.engagement
    notes = [target_origin(e), f"Votes: {votes_text(e.votes)}."]
    if e.stop_reason:
        notes.append(f"Reason for pausing given: {e.stop_reason}")
    paras = [Para(votes_text(e.votes), "Leaders' votes: ")]
    cells = {k: v for (s, k), v in data.maturity.items() if s == e.target_step}
    if cells:
        below = [k for k, v in cells.items() if v is None or v < data.method.bar.mean]
        paras.append(Para(f"mean {_fmt(step_means(data.maturity).get(e.target_step))} of 4 "
                          f"against the bar of {data.method.bar.mean:g}; "
                          f"{count_of(len(below), len(cells), 'cell')} below it",
                          f"Step {e.target_step} today: "))
        notes.append(f"Step {e.target_step} cells below the bar: "
                     + ", ".join(f"{FOUNDATION_LABELS.get(k, k)} {_fmt(cells[k], 2)}"
                                 for k in below) + ".")
    paras.append(Para(f"Stage reached: step {e.stage_reached}" if e.stage_reached in STEPS
                      else "Stage reached: none yet"))
    return _chart_and_text(fit_title(summary.target, short_sentence(summary.target)), notes,
                           figures, "heatmap", paras, share=0.66)


def _chart_and_text(title: str, notes: list[str], figures: dict[str, bytes], key: str,
                    paras: Sequence[Para], share: float) -> Slide:
    """A chart on the left and text on the right (the text alone when there is no chart)."""
    if key not in figures:
        return Slide(title, notes, [fit_text(paras, CONTENT, notes)])
    left, right = columns(share)
    return Slide(title, notes, [Picture(key, left), fit_text(paras, right, notes)])


def _gap_sources(data: ReportData, summary: ExecutiveSummary) -> list[str]:
    """The item reference of each summary gap (the summary takes them in rank order)."""
    ranked = sorted(data.top_gaps, key=lambda g: g.rank)[:len(summary.gaps)]
    return [g.source for g in ranked]


def _closed_by(line: GapLine, source: str, data: ReportData) -> list[str]:
    if line.actions:
        return list(line.actions)
    remedy = data.remedies.get(source)
    if remedy is None:
        return ["No plan or library action serves it yet."]
    return [f"No plan action yet; the library's {remedy[0]} would: '{remedy[1]}'"]


def gaps_slide(data: ReportData, summary: ExecutiveSummary) -> Slide:
    notes = [summary.gaps_sentence, bar_text(data.method.bar)]
    if not summary.gaps:
        return Slide(fit_title(summary.gaps_sentence), notes,
                     [fit_text([Para("Every assessed item meets the bar of "
                                     f"{data.method.bar.mean:g}.")], CONTENT, notes)])
    labels = [_mid_sentence(g.label) for g in summary.gaps]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    number = NUMBERS.get(len(labels), str(len(labels)))
    first = summary.gaps[0]
    title = fit_title(
        f"The {number} gaps that matter most are {listed}." if len(labels) > 1 else
        f"The only gap below the bar is {listed}.",
        f"{number.capitalize()} gaps matter most, led by {labels[0]} at {first.level:.1f} "
        "of 4.", f"{number.capitalize()} gaps matter most.")
    rows = [("Gap", "Level (0-4)", "Below the bar", "What closes it")]
    for line, source in zip(summary.gaps, _gap_sources(data, summary), strict=True):
        uids = [a.uid for a in data.plan if a.source == source]  # as the summary finds them
        remedy = data.remedies.get(source)
        closing = (f"{count(len(uids), 'plan action')}: {', '.join(uids)}" if uids else
                   f"No plan action yet; the library's {remedy[0]} would serve it" if remedy
                   else "No plan or library action serves it yet")
        rows.append((line.label, f"{line.level:.1f}", f"{line.shortfall:.1f}", closing))
    return Slide(title, notes, [fit_table(rows, (0.27, 0.12, 0.13, 0.48), CONTENT, notes)])


def gap_slide(data: ReportData, line: GapLine, source: str) -> Slide:
    gap = next((g for g in data.top_gaps if g.source == source), None)
    level = f"{line.label} stands at {line.level:.1f} of 4"
    n = len(line.actions)
    title = fit_title(
        f"{level}; {count(n, 'plan action')} close{'s' if n == 1 else ''} the gap." if n
        else f"{level} and no plan action serves it yet.",
        f"{level}, {line.shortfall:.1f} below the bar.")
    notes = [f"{line.label}: level {line.level:.2f} of 4, {line.shortfall:.2f} below the bar "
             f"of {data.method.bar.mean:g}."]
    if gap is not None:
        notes.append(f"Gap {gap.rank} in planning order (item {gap.source}); importance weight "
                     f"{gap.weight:.2f}, so priority {gap.priority:.2f}"
                     + ("; level agreed in the workshop." if gap.agreed else "."))
    closing = [Para("", "What closes it"),
               *(Para(text, bullet=True) for text in _closed_by(line, source, data))]
    why, answered = _answers(data, source, line.step, notes)
    lead = fit_text([Para(why)], CONTENT, notes)
    below = under(lead)
    if not answered:
        return Slide(title, notes, [lead, fit_text(closing, below, notes)])
    left, right = columns(0.55, below)
    return Slide(title, notes, [lead, fit_text(closing, left, notes),
                                fit_text(answered, right, notes)])


def under(block: Text, space: float = 0.25) -> Box:
    """The rest of the content area below ``block`` (which starts at its top)."""
    top = block.box.top + text_height(block.paras, block.box.width, block.size) + space
    return Box(CONTENT.left, top, CONTENT.width, BODY_BOTTOM - top)


def _answers(data: ReportData, source: str, step: int | None, notes: list[str]
             ) -> tuple[str, list[Para]]:
    """Why the item is a gap in one sentence, and what leaders answered on its question
    (the steering answers' counts, else the rating and whether leaders disagree)."""
    bar = f"the bar is {data.method.bar.mean:g}"
    if step is not None:
        return (f"A cell of step {step} of the ladder: step {step} meets the bar only when "
                f"its cells average at least {data.method.bar.mean:g} with none below "
                f"{data.method.bar.min_cell:g}."), []
    steering = next((s for s in data.method.steering if s.source == source), None)
    if steering is not None and steering.counts:
        total = sum(n for _label, n in steering.counts) + steering.unanswered
        return steering.consequence, [
            Para("", "What leaders answered"),
            *(Para(f"{count_of(n, total, 'leader')}", f"{label}: ", bullet=True)
              for label, n in steering.counts)]
    template, _, key = source.partition(":")
    stat = next((q for q in data.questionnaire if q.key == key), None) \
        if template == DESIGN_TEMPLATE else None
    if stat is None or stat.mean is None:
        return f"Leaders' ratings put it below the bar; {bar}.", []
    notes.append(f"Question: {stat.text} n={stat.n}, mean {stat.mean:.2f}, median "
                 f"{_fmt(stat.median, 1)}, spread (SD) {_fmt(stat.spread, 2)}"
                 + ("; leaders disagree." if stat.disagreement else "."))
    paras = [Para("", "What leaders answered"),
             Para(f"{stat.mean:.1f} of 4 on average from {count(stat.n, 'leader')}",
                  "Rating: ", bullet=True)]
    if stat.disagreement:
        paras.append(Para(f"leaders disagree ({data.method.disagreement.describe()})",
                          "Split: ", bullet=True))
    return f"Leaders were asked: {stat.text} Their ratings fall short of the bar; {bar}.", paras


def network_slides(data: ReportData, summary: ExecutiveSummary, figures: dict[str, bytes]
                   ) -> list[Slide]:
    story = data.story
    if story is None:
        return [Slide(fit_title(NO_NETWORK), [NO_NETWORK], [])]
    notes = [story.caption() + ".", *story.notes]
    notes += [f"{term_label(key)}: {value}" for key, value in story.figures]
    if story.formal or not summary.network:
        title = fit_title(short_sentence(story.notes[0]) if story.formal and story.notes
                          else NOTHING_STANDS_OUT.split(". ")[0] + ".")
        return [_chart_and_text(title, notes, figures, "map",
                                [Para(story.caption() + "."), *(Para(n) for n in story.notes)],
                                share=0.58)]
    kinds = [line.kind for line in story.headline]
    first = Para(summary.network[0], f"{term_label(kinds[0])}: ")
    slides = [_chart_and_text(
        fit_title(short_sentence(summary.network[0])), notes, figures, "map",
        [first, Para(story.caption() + "."), *([Para(not_named(story))]
                                               if not story.names_people else [])],
        share=0.58)]
    rest = summary.network[1:]
    if rest:
        more = [f"{story.caption()}.", *(f"Rule. {f.rule}" for f in story.findings
                                          if f.kind in kinds[1:len(rest) + 1])]
        paras = [Para(text, f"{term_label(kind)}: ", bullet=True)
                 for text, kind in zip(rest, kinds[1:], strict=False)]
        paras += [Para(value, f"{term_label(key).capitalize()}: ", bullet=True)
                  for key, value in story.figures if key in ("reciprocity", "ei_index",
                                                             "modularity")]
        slides.append(Slide(fit_title(short_sentence(rest[0])), more,
                            [fit_text(paras, CONTENT, more)]))
    return slides


def say_show_slide(data: ReportData, summary: ExecutiveSummary, figures: dict[str, bytes]
                   ) -> Slide:
    higher = [e.step for e in data.evidence if e.verdict == OVERRATE]
    lower = [e.step for e in data.evidence if e.verdict == UNDERRATE]
    if higher or lower:
        parts = ([f"leaders rate {_steps_words(higher)} higher"] if higher else []) + \
                ([f"{'and ' if higher else 'leaders rate '}{_steps_words(lower)} lower"]
                 if lower else [])
        title = " ".join(parts) + " than the network shows."
        title = fit_title(title[0].upper() + title[1:])
    elif any(e.verdict == ALIGNED for e in data.evidence):
        title = fit_title("Leaders' view and the network agree wherever they can be compared.")
    else:
        title = fit_title("Leaders' view cannot be set against the network yet.")
    notes = [f"Step {e.step}: {e.say_text}; the network: {e.show_text}; {e.verdict}."
             + "".join(f" Customers: {line}" for line in e.customer) for e in data.evidence]
    paras = [Para(text, bullet=True) for text in summary.differences]
    paras += [Para(e.finding, bullet=True) for e in data.evidence
              if e.verdict not in (OVERRATE, UNDERRATE)]
    if not paras:
        paras = [Para("No ladder ratings or network figures to compare.")]
    return _chart_and_text(title, notes, figures, "say_show", paras, share=0.5)


def learning_slide(data: ReportData, figures: dict[str, bytes]) -> Slide | None:
    """Customer learning: the first finding is the message, the chart of days to action by
    source beside the findings; the log's figures in the notes. None when the lab is empty."""
    from workbench.core.learning.report import log_facts

    report = data.learning
    if report.empty:
        return None
    notes = [f"{label}: {text}" for label, text in log_facts(report)]
    notes += [f"{f.headline}. {f.detail}" for f in report.findings]
    notes += [f"{r.segment}, {r.customer_text}; {r.rating_text}: {r.verdict}."
              for r in report.evidence]
    if not report.findings:
        title = fit_title("Nothing in the customer-learning lab stands out yet.")
        return _chart_and_text(title, notes or ["No figures yet."], figures, "learning_days",
                               [Para(text, f"{label}: ") for label, text in
                                log_facts(report)[:3]] or [Para("No insight logged yet.")],
                               share=0.55)
    first, *rest = report.findings
    paras = [Para(first.detail)]
    paras += [Para(f.headline + ".", bullet=True) for f in rest]
    return _chart_and_text(fit_title(first.headline + "."), notes, figures, "learning_days",
                           paras, share=0.55)


def plan_slide(data: ReportData, figures: dict[str, bytes]) -> Slide:
    plan = sorted(data.plan, key=lambda a: (a.start, a.uid))
    if not plan:
        return Slide(fit_title("No plan has been built yet, so there is no timeline."),
                     ["Build the plan on the Plan page; the deck then shows it here."], [])
    steps = sorted({a.step for a in plan})
    end = max(a.due for a in plan)
    title = fit_title(f"The plan runs {count(len(plan), 'action')} from {plan[0].start:%Y-%m-%d} "
                      f"to {end:%Y-%m-%d}, over {_steps_words(steps)}.")
    notes = [action_text(a) + (f"; measure: {a.measure}" if a.measure else "")
             + (f"; {a.flag}" if a.flag else "") for a in plan]
    if "timeline" not in figures:
        return Slide(title, notes, [])
    if len(plan) <= TIMELINE_ROWS:
        return Slide(title, notes, [Picture("timeline", CONTENT)])
    caption = fit_text([Para(f"The first {TIMELINE_ROWS} of {count(len(plan), 'action')} by "
                             "start; the notes and the workbook's Plan sheet list them all.")],
                       CONTENT, notes)
    return Slide(title, notes, [caption, Picture("timeline", under(caption, 0.1))])


def owners_slide(data: ReportData) -> Slide:
    windows = dict(schedule_texts(data.method.schedule))["Windows"]
    notes = [windows]
    due = data.method.next_gate
    gate = f"The step {due[0]} gate falls due on {due[1]:%Y-%m-%d}" if due else ""
    if not data.plan:
        return Slide(fit_title("No plan exists yet, so no owner or gate is set."), notes, [])
    owners: dict[str, list[PlanAction]] = {}
    for action in sorted(data.plan, key=lambda a: (a.start, a.uid)):
        owners.setdefault(_owner(action), []).append(action)
    carry = (f"{count(len(owners), 'owner')} carr{'ies' if len(owners) == 1 else 'y'} the "
             f"{count(len(data.plan), 'action')}")
    title = fit_title(f"{gate}; {carry}." if gate else f"{carry[0].upper()}{carry[1:]}; "
                      "no gate is due yet.", f"{gate}." if gate else "No gate is due yet.")
    rows = [("Owner", "Actions", "First start", "Last due")]
    for owner, actions in sorted(owners.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        uids = [a.uid for a in actions]
        listed = ", ".join(uids[:OWNER_UIDS]) + (f" and {len(uids) - OWNER_UIDS} more"
                                                 if len(uids) > OWNER_UIDS else "")
        rows.append((owner, listed,
                     f"{min(a.start for a in actions):%Y-%m-%d}",
                     f"{max(a.due for a in actions):%Y-%m-%d}"))
        notes.append(f"{owner}: " + "; ".join(f"{a.uid} {a.title} (due {a.due:%Y-%m-%d})"
                                              for a in actions))
    if data.method.gates:
        notes += [f"Gate of step {g.step}: {g.decision} on {g.decided_on:%Y-%m-%d} by "
                  f"{g.decided_by}." for g in data.method.gates]
    lead = fit_text([Para(windows.split(". ")[0] + ".")], CONTENT, notes)
    return Slide(title, notes, [lead, fit_table(rows, (0.3, 0.44, 0.13, 0.13), under(lead),
                                                notes)])


def method_slide(data: ReportData) -> Slide:
    m = data.method
    respondents = max((r.respondents for r in m.rounds), default=0)
    title = "No questionnaire round or network has been read yet, so nothing is measured." \
        if not m.rounds and not m.networks else fit_title(
        f"The findings rest on {count(len(m.rounds), 'questionnaire round')} answered by "
        f"{count(respondents, 'leader')} and {count(len(m.networks), 'network')}.",
        f"The findings rest on {count(len(m.rounds), 'round')} and "
        f"{count(len(m.networks), 'network')}.")
    privacy = ("People appear under pseudonyms." if data.pseudonymised else
               "Real names are shown only where the privacy settings allow.")
    if not data.shows_individual_labels:
        privacy += " Network roles are never put beside a name."
    privacy += (f" Figures of departments under {max(data.min_group_size, 3)} people are "
                "hidden.")
    rounds = "; ".join(f"{r.template} ({r.date:%Y-%m-%d}, {r.respondents})" if r.date else
                       f"{r.template} ({r.respondents})" for r in m.rounds)
    networks = "; ".join(f"{n.relation} ({n.date:%Y-%m-%d}, {count(n.ties, 'tie')})"
                         if n.date else f"{n.relation} ({count(n.ties, 'tie')})"
                         for n in m.networks)
    paras = [Para(stage_rule(m.bar), "Stage rule: ", bullet=True),
             Para(rounds or "none yet", "Rounds (respondents): ", bullet=True),
             Para(networks or "none yet", "Networks: ", bullet=True),
             Para(privacy, "Privacy: ", bullet=True)]
    notes = [bar_text(m.bar), f"Leaders disagree on a question with {m.disagreement.describe()}."]
    notes += [f"{label}: {text}" for label, text in schedule_texts(m.schedule)]
    notes += [f"{r.name}: {r.use}." for r in m.rounds]
    notes += [f"{n.name}: {n.use}." for n in m.networks]
    return Slide(title, notes, [fit_text(paras, CONTENT, notes)])


def plan_deck(data: ReportData, figures: dict[str, bytes]) -> list[Slide]:
    """Every slide of the deck, in order (see the module notes)."""
    summary = executive_summary(data)
    slides = [title_slide(data, summary), stage_slide(data, summary, figures),
              target_slide(data, summary, figures), gaps_slide(data, summary)]
    slides += [gap_slide(data, line, source) for line, source
               in zip(summary.gaps, _gap_sources(data, summary), strict=True)]
    slides += network_slides(data, summary, figures)
    slides.append(say_show_slide(data, summary, figures))
    learning = learning_slide(data, figures)
    slides += [learning] if learning is not None else []
    slides += [plan_slide(data, figures), owners_slide(data), method_slide(data)]
    return slides


def slide_figures(data: ReportData) -> dict[str, bytes]:
    """The report's charts at slide resolution. The timeline is drawn as wide as the slide's
    content area is for its height (so its labels are not shrunk to fit the width), with at
    most the first :data:`TIMELINE_ROWS` actions by start."""
    figures = report_figures(data, dpi=SLIDE_DPI)
    if data.plan:
        first = sorted(data.plan, key=lambda a: (a.start, a.uid))[:TIMELINE_ROWS]
        figure = timeline_figure(first, data.plan_start)
        width, height = figure.get_size_inches()
        figure.set_size_inches(max(width, height * CONTENT.width / CONTENT.height), height)
        figures["timeline"] = png_bytes(figure, SLIDE_DPI)
    return figures


# -- drawing ----------------------------------------------------------------------------------

def write_deck_pptx(data: ReportData, path: str | Path, progress: Progress | None = None,
                    protected: str | Path | None = None) -> None:
    """Write the deck of ``data`` to ``path`` atomically (never onto ``protected``)."""
    from pptx import Presentation as new_deck
    from pptx.util import Inches

    progress = ensure_progress(progress)
    progress.update(0.0, "Drawing the charts")
    figures = slide_figures(data)
    progress.update(0.6, "Laying out the slides")
    slides = plan_deck(data, figures)
    deck = new_deck()
    deck.slide_width, deck.slide_height = Inches(SLIDE_SIZE[0]), Inches(SLIDE_SIZE[1])
    for index, slide in enumerate(slides):
        progress.update(0.6 + 0.35 * index / len(slides), f"Slide {index + 1}: {slide.title}")
        _draw(deck, slide, figures, first=index == 0)
    progress.update(0.95, "Saving the deck")
    with atomic_output(path, protected) as tmp:
        deck.save(str(tmp))
    progress.update(1.0, "Deck written")


def _draw(deck: Presentation, slide: Slide, figures: dict[str, bytes], first: bool) -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    page = deck.slides.add_slide(deck.slide_layouts[0 if first else 5])
    title = page.shapes.title
    assert title is not None  # both layouts have a title
    top = 2.3 if first else TITLE_TOP
    height = 1.9 if first else TITLE_HEIGHT
    title.left, title.top = Inches(MARGIN), Inches(top)
    title.width, title.height = Inches(CONTENT.width), Inches(height)
    _fill(title.text_frame, [Para(slide.title)], TITLE_PT + (8 if first else 0), bold=True,
          colour=TITLE_COLOUR)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM if first else MSO_ANCHOR.TOP
    if first:
        sub = page.placeholders[1]
        sub.left, sub.top = Inches(MARGIN), Inches(top + height + 0.3)
        sub.width, sub.height = Inches(CONTENT.width), Inches(1.2)
        _fill(sub.text_frame, [Para(line) for line in slide.subtitle], 20, colour="555555")
        sub.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    for block in slide.blocks:
        if isinstance(block, Picture):
            if block.key in figures:
                _picture(page, figures[block.key], block.box)
        elif isinstance(block, Text):
            box = block.box
            shape = page.shapes.add_textbox(Inches(box.left), Inches(box.top),
                                            Inches(box.width), Inches(box.height))
            _fill(shape.text_frame, block.paras, block.size)
        else:
            _table(page, block)
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    page.notes_slide.notes_text_frame.text = "\n".join(slide.notes)


def _fill(frame: TextFrame, paras: Sequence[Para], size: int, bold: bool = False,
          colour: str = TEXT_COLOUR) -> None:
    """Replace the text of ``frame`` with ``paras`` (word-wrapped, never auto-shrunk)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.clear()
    for index, para in enumerate(paras):
        p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        p.space_after = Pt(SPACE_AFTER_PT)
        runs = [(para.lead, True), (para.text, bold)] if para.lead else [(para.text, bold)]
        for text, strong in runs:
            run = p.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.name = Pt(size), strong, FONT
            run.font.color.rgb = RGBColor.from_string(colour)
        if para.bullet:
            props = p._p.get_or_add_pPr()
            props.set("marL", str(Inches(BULLET_INDENT)))
            props.set("indent", str(-Inches(BULLET_INDENT)))
            props.append(props.makeelement(qn("a:buChar"), {"char": "•"}))


def _picture(page: Page, png: bytes, box: Box) -> None:
    """``png`` as large as fits ``box`` with its aspect kept, centred in it."""
    from PIL import Image
    from pptx.util import Inches

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    scale = min(box.width / width, box.height / height)
    w, h = width * scale, height * scale
    page.shapes.add_picture(
        io.BytesIO(png), Inches(box.left + (box.width - w) / 2), Inches(box.top),
        Inches(w), Inches(h))


def _table(page: Page, table: Table) -> None:
    from pptx.util import Inches

    box = table.box
    frame = page.shapes.add_table(
        len(table.rows), len(table.widths), Inches(box.left), Inches(box.top),
        Inches(box.width), Inches(table_height(table)))
    grid = frame.table
    widths = [box.width * s for s in table.widths]
    for index, width in enumerate(widths):
        grid.columns[index].width = Inches(width)
    for r, (row, values) in enumerate(zip(grid.rows, table.rows, strict=True)):
        row.height = Inches(row_height(values, widths, table.size))
        for cell, value in zip(row.cells, values, strict=True):
            _fill(cell.text_frame, [Para(part) for part in value.split("\n")], table.size,
                  bold=r == 0, colour="FFFFFF" if r == 0 else TEXT_COLOUR)
