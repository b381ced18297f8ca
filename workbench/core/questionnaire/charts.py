"""Questionnaire charts as matplotlib ``Figure`` objects (no pyplot, safe with the Agg backend).

Large fonts for projectors, the Okabe-Ito colour-blind-safe palette, the ``cividis`` colour
map for the heat map, and titles that state the finding rather than the chart type.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from workbench.core.network import glossary
from workbench.core.questionnaire.schema import FOUNDATION_LABELS, FOUNDATIONS, STEPS
from workbench.core.questionnaire.scoring import Cell, Change, QuestionStats, StageResult
from workbench.core.wording import count_of

PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "grey": "#999999",
}
TITLE_SIZE = 18
LABEL_SIZE = 14
TICK_SIZE = 12
# Colours that captions name in words: the words come from here, so text and chart agree.
MEETS_BAR = PALETTE["green"]
TARGET_OUTLINE = PALETTE["vermillion"]
WIDE_SPREAD = PALETTE["vermillion"]
HEATMAP_FULL_WIDTH = 10.0  # inches from which the heat map's step names get full size
COLOUR_NAMES = {PALETTE["green"]: "green", PALETTE["vermillion"]: "orange-red",
                PALETTE["blue"]: "blue", PALETTE["grey"]: "grey"}


def ladder_figure(result: StageResult, target_step: int | None) -> Figure:
    """Mean per step as bars against the bar line; steps meeting the bar in green."""
    fig = Figure(figsize=(10, 6), layout="constrained")
    ax = fig.add_subplot()
    steps = [s.step for s in result.steps]
    heights = [s.mean or 0.0 for s in result.steps]
    colours = [MEETS_BAR if s.meets_bar else PALETTE["grey"] for s in result.steps]
    bars = ax.bar(steps, heights, color=colours, edgecolor="black", linewidth=1)
    if target_step in steps:
        bars[steps.index(target_step)].set_edgecolor(TARGET_OUTLINE)
        bars[steps.index(target_step)].set_linewidth(4)
    ax.axhline(result.bar.mean, color=PALETTE["blue"], linestyle="--", linewidth=2,
               label=f"bar: mean ≥ {result.bar.mean:g}, no cell < {result.bar.min_cell:g}")
    for step in result.steps:
        text = "no answers" if step.mean is None else f"{step.mean:.1f}"
        ax.text(step.step, (step.mean or 0) + 0.08, text, ha="center", fontsize=LABEL_SIZE)
    ax.set_xticks(steps, [f"{k}\n{_wrap(STEPS[k], 16)}" for k in steps], fontsize=TICK_SIZE)
    ax.set_ylim(0, 4.4)
    ax.set_ylabel(f"{glossary.label('mean_of_cell_means')} (0-4)", fontsize=LABEL_SIZE)
    ax.tick_params(axis="y", labelsize=TICK_SIZE)
    handles, names = ax.get_legend_handles_labels()
    if target_step in steps:  # the caption's colour word and the outline share one constant
        handles.append(Patch(facecolor="none", edgecolor=TARGET_OUTLINE, linewidth=3))
        names.append(f"target step ({COLOUR_NAMES[TARGET_OUTLINE]} outline)")
    ax.legend(handles, names, fontsize=TICK_SIZE, loc="upper right")
    target = f"target {target_step}" if target_step else "no target chosen"
    ax.set_title(f"Stage reached: {result.stage} of 5 — {target}", fontsize=TITLE_SIZE)
    return fig


def heatmap_figure(grid: Mapping[Cell, QuestionStats]) -> Figure:
    """Micro-foundation x step grid of cell means, each cell labelled with its value.

    The seven micro-foundations run down the side, where their names have room; the five
    steps run across as short, level, wrapped labels that never overlap.
    """
    fig = Figure(figsize=(12, 6.5), layout="constrained")
    ax = fig.add_subplot()
    data = [[_mean_or_nan(grid.get((step, f))) for step in STEPS] for f in FOUNDATIONS]
    image = ax.imshow(data, cmap="cividis", vmin=0, vmax=4, aspect="auto")
    for row, values in enumerate(data):
        for col, value in enumerate(values):
            label = "–" if math.isnan(value) else f"{value:.1f}"
            colour = "black" if not math.isnan(value) and value > 2.5 else "white"
            ax.text(col, row, label, ha="center", va="center", fontsize=LABEL_SIZE, color=colour)
    ax.set_xticks(range(len(STEPS)), [f"Step {k}\n{_wrap(v, 12)}" for k, v in STEPS.items()],
                  fontsize=TICK_SIZE)
    ax.xaxis.tick_top()  # the step names read first, like a table's header row
    ax.set_yticks(range(len(FOUNDATIONS)),
                  [_wrap(FOUNDATION_LABELS[f], 20) for f in FOUNDATIONS], fontsize=TICK_SIZE)
    ax.tick_params(length=0)

    def fit_step_labels(_event=None) -> None:
        """Narrow windows get smaller step names, so neighbours never overlap."""
        size = max(8.0, min(TICK_SIZE, TICK_SIZE * fig.get_figwidth() / HEATMAP_FULL_WIDTH))
        for tick in ax.get_xticklabels():
            tick.set_fontsize(size)

    fit_step_labels()
    fig.canvas.mpl_connect("resize_event", fit_step_labels)
    colour_bar = fig.colorbar(image, ax=ax)
    colour_bar.set_label("mean rating (0-4)", fontsize=LABEL_SIZE)
    answered = [(s.mean, step, FOUNDATIONS.index(foundation))
                for (step, foundation), s in grid.items() if s.mean is not None]
    if answered:  # ties go to the first cell in ladder order
        mean, step, index = min(answered)
        foundation = FOUNDATIONS[index]
        title = (f"Weakest cell: step {step} · {FOUNDATION_LABELS[foundation]} ({mean:.1f})")
    else:
        title = "No ratings yet"
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


def radar_figure(grid: Mapping[Cell, QuestionStats], step: int) -> Figure:
    """The seven micro-foundations of one step on a radar (0-4)."""
    fig = Figure(figsize=(8, 8), layout="constrained")
    ax = fig.add_subplot(projection="polar")
    values = [_mean_or_nan(grid.get((step, f))) for f in FOUNDATIONS]
    plotted = [0.0 if math.isnan(v) else v for v in values]
    angles = [2 * math.pi * i / len(FOUNDATIONS) for i in range(len(FOUNDATIONS))]
    ax.plot([*angles, angles[0]], [*plotted, plotted[0]], color=PALETTE["blue"], linewidth=3)
    ax.fill([*angles, angles[0]], [*plotted, plotted[0]], color=PALETTE["sky"], alpha=0.35)
    ax.set_xticks(angles, [_wrap(FOUNDATION_LABELS[f], 14) for f in FOUNDATIONS],
                  fontsize=TICK_SIZE)
    ax.set_ylim(0, 4)
    ax.set_yticks([1, 2, 3, 4])
    # scale numbers on a white patch, so the outline of the values never hides them
    ax.tick_params(axis="y", labelsize=TICK_SIZE - 2)
    for tick in ax.get_yticklabels():
        tick.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.8})
    known = [(v, i) for i, v in enumerate(values) if not math.isnan(v)]
    if known:  # ties go to the first foundation in ladder order
        value, index = min(known)
        foundation = FOUNDATIONS[index]
        title = (f"Step {step}: weakest foundation is "
                 f"{FOUNDATION_LABELS[foundation].lower()} ({value:.1f})")
    else:
        title = f"Step {step}: no ratings yet"
    ax.set_title(title, fontsize=TITLE_SIZE, pad=24)
    return fig


def spread_figure(stats: Sequence[QuestionStats], labels: Mapping[str, str] | None = None,
                  min_levels: float = 2) -> Figure:
    """Lowest-to-highest answer per question with the mean; wide spreads highlighted."""
    labels = labels or {}
    rows = [s for s in stats if s.mean is not None]
    fig = Figure(figsize=(11, max(3.0, 0.55 * len(rows) + 1.8)), layout="constrained")
    ax = fig.add_subplot()
    wide = 0
    for y, s in enumerate(rows):
        assert s.low is not None and s.high is not None and s.mean is not None
        is_wide = s.high - s.low >= min_levels
        wide += is_wide
        colour = WIDE_SPREAD if is_wide else PALETTE["blue"]
        ax.plot([s.low, s.high], [y, y], color=colour, linewidth=6, solid_capstyle="round")
        ax.plot([s.mean], [y], marker="D", markersize=11, color="black")
    ax.set_yticks(range(len(rows)), [_wrap(labels.get(s.question_id, s.question_id), 40)
                                     for s in rows], fontsize=TICK_SIZE)
    ax.invert_yaxis()
    ax.set_xlabel("answers: lowest to highest (◆ mean)", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=TICK_SIZE)
    ax.set_title(f"{count_of(wide, len(rows), 'question')} {'has' if wide == 1 else 'have'} "
                 f"answers {min_levels:g}+ levels apart",
                 fontsize=TITLE_SIZE)
    return fig


def round_comparison_figure(changes: Sequence[Change],
                            labels: Mapping[str, str] | None = None) -> Figure:
    """Mean before and after per question, joined by an arrow coloured by direction."""
    labels = labels or {}
    rows = [c for c in changes if c.delta is not None]
    fig = Figure(figsize=(11, max(3.0, 0.55 * len(rows) + 1.8)), layout="constrained")
    ax = fig.add_subplot()
    for y, change in enumerate(rows):
        assert change.before is not None and change.after is not None
        colour = PALETTE["green"] if (change.delta or 0) >= 0 else PALETTE["vermillion"]
        ax.annotate("", xy=(change.after, y), xytext=(change.before, y),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 3})
        ax.plot([change.before], [y], "o", color=PALETTE["grey"], markersize=10)
    ax.set_yticks(range(len(rows)), [_wrap(labels.get(c.question_id, c.question_id), 40)
                                     for c in rows], fontsize=TICK_SIZE)
    ax.invert_yaxis()
    ax.set_xlabel("mean: earlier round ● → later round", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=TICK_SIZE)
    up = sum(1 for c in rows if (c.delta or 0) > 0)
    down = sum(1 for c in rows if (c.delta or 0) < 0)
    if rows:
        biggest = max(rows, key=lambda c: abs(c.delta or 0))  # first in template order
        name = labels.get(biggest.question_id, biggest.question_id)
        title = f"{up} improved, {down} declined — biggest: {name} ({biggest.delta:+.1f})"
    else:
        title = "No question was answered in both rounds"
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


def _mean_or_nan(stats: QuestionStats | None) -> float:
    return math.nan if stats is None or stats.mean is None else stats.mean


def _wrap(text: str, width: int) -> str:
    """Lines of at most ``width`` characters where the words allow; a longer word breaks
    after a hyphen ("Customer-" / "centricity")."""
    words: list[str] = []
    for word in text.split():
        while len(word) > width and "-" in word[:-1]:
            cut = word.rfind("-", 0, width) + 1 or word.index("-") + 1
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    lines: list[str] = []
    for word in words:
        joined = lines[-1] + ("" if lines[-1].endswith("-") else " ") + word if lines else ""
        if lines and len(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    return "\n".join(lines)
