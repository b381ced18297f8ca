"""One-page A4 landscape PDF summary: target step, stage reached and the leaders' choice with
the stage rule, step means, top gaps and the first plan actions.

The lines at the top come from :func:`summary_lines`, which takes the stage and target
sentences from :func:`workbench.core.report.summary.executive_summary`, so they read exactly
as on the workbook's Summary sheet and in the other deliverables.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from workbench.core.questionnaire.schema import STEPS
from workbench.core.report.data import ReportData, step_means
from workbench.core.report.method_notes import stage_rule
from workbench.core.report.summary import executive_summary
from workbench.core.wording import count
from workbench.core.xlsx_safety import atomic_output

A4_LANDSCAPE_INCHES = (11.69, 8.27)
FIRST_ACTIONS = 8
TOP_GAPS = 6
BAR_COLOUR = "#4F81BD"
LINE_CHARS = 165  # a header line wraps after about this many characters (9 pt on A4 width)
LINE_STEP = 0.024  # height of one header line, as a fraction of the page


def _clip(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


def summary_lines(data: ReportData) -> list[str]:
    """The text lines at the top of the page, in order: the title; the stage, target, gaps and
    first network sentences of :func:`executive_summary` (word for word as in every other
    deliverable; the target's names the leaders' choice); the stage rule; the date. Long lines
    are wrapped."""
    e = data.engagement
    summary = executive_summary(data)
    sentences = [summary.stage, summary.target, summary.gaps_sentence, *summary.network[:1]]
    return [f"Organisation design summary: {e.client}",
            *(line for sentence in sentences if sentence
              for line in textwrap.wrap(sentence, LINE_CHARS)),
            *textwrap.wrap(f"Stage rule: {stage_rule(data.method.bar)}", LINE_CHARS),
            f"Generated {e.generated:%Y-%m-%d}"]


def write_summary_pdf(data: ReportData, path: str | Path,
                      protected: str | Path | None = None) -> None:
    """Write the one-page summary atomically (the chart's dashed line is the method's bar)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=A4_LANDSCAPE_INCHES)
    title, *lines = summary_lines(data)
    figure.text(0.04, 0.955, title, fontsize=18, weight="bold")
    for index, line in enumerate(lines):
        figure.text(0.04, 0.915 - index * LINE_STEP, line, fontsize=9,
                    weight="bold" if index == 0 else "normal")
    bar = data.method.bar.mean
    # the charts sit below however many lines the sentences took; the plan table below them
    charts_top = min(0.74, 0.915 - len(lines) * LINE_STEP - 0.04)
    charts_bottom = charts_top - 0.22

    chart = figure.add_axes((0.06, charts_bottom, 0.38, 0.22))
    means = step_means(data.maturity)
    steps = list(STEPS)
    chart.bar(steps, [means.get(s) or 0.0 for s in steps], color=BAR_COLOUR)
    chart.axhline(bar, color="#C0504D", linestyle="--", linewidth=1)
    chart.set_ylim(0, 4)
    chart.set_xticks(steps)
    chart.set_xlabel("Ladder step")
    chart.set_ylabel("Mean rating (0-4)")
    chart.set_title("Maturity per step (dashed: bar)", fontsize=11)

    gaps = figure.add_axes((0.52, charts_bottom, 0.44, 0.24))
    gaps.axis("off")
    gaps.set_title("Largest gaps", fontsize=11, loc="left")
    gap_rows = [[str(g.rank), "-" if g.step is None else str(g.step), _clip(g.label, 40),
                 f"{g.mean:.1f}", f"{g.shortfall:.1f}"] for g in list(data.top_gaps)[:TOP_GAPS]]
    if gap_rows:
        table = gaps.table(cellText=gap_rows, colLabels=["#", "Step", "Area", "Mean", "Short"],
                           colWidths=[0.06, 0.1, 0.56, 0.12, 0.12], loc="upper left",
                           cellLoc="left")
        table.auto_set_font_size(False)
        table.set_fontsize(9)
    else:
        gaps.text(0, 0.8, "No gaps below the bar.", fontsize=10)

    plan = figure.add_axes((0.04, 0.03, 0.92, charts_bottom - 0.11))
    plan.axis("off")
    plan.set_title("First actions of the 100-day plan", fontsize=11, loc="left")
    first = sorted(data.plan, key=lambda a: (a.start, a.due))[:FIRST_ACTIONS]
    action_rows = [[a.uid, _clip(a.title, 55), str(a.step), _clip(a.owner, 28),
                    f"{a.start:%Y-%m-%d}", f"{a.due:%Y-%m-%d}", a.status] for a in first]
    if action_rows:
        table = plan.table(cellText=action_rows,
                           colLabels=["ID", "Action", "Step", "Owner", "Start", "Due", "Status"],
                           colWidths=[0.1, 0.38, 0.05, 0.2, 0.09, 0.09, 0.09],
                           loc="upper left", cellLoc="left")
        table.auto_set_font_size(False)
        table.set_fontsize(9)
        table.scale(1, 1.3)
    else:
        plan.text(0, 0.9, "No actions planned yet.", fontsize=10)
    if len(data.plan) > len(first):
        more = count(len(data.plan) - len(first), "more action")
        plan.text(0, 0.0, f"... and {more} in the plan workbook.", fontsize=9)

    with atomic_output(path, protected) as tmp:
        figure.savefig(tmp, format="pdf")
