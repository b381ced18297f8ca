"""The plan as a timeline: one bar per action inside the shaded 100-day window of its step."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from workbench.core.plan.builder import PlanAction, step_window
from workbench.core.plan.gates import STATUSES
from workbench.core.questionnaire.schema import STEPS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STATUS_COLOURS = dict(zip(STATUSES, ("#9AA5B1", "#4F81BD", "#5B9B5B", "#C0504D", "#D9D9D9"),
                          strict=True))
WINDOW_SHADES = ("#EEF3F8", "#F8F5EE")
FONT_SIZE = 9  # points: still readable when the chart is projected
LINE_CHARS = 40  # an action label wraps after about this many characters ...
MAX_LINES = 3  # ... onto at most this many lines; only longer titles are shortened
LINE_INCHES = 0.17
EDGE_PAD_INCHES = 0.15  # keeps the outermost date labels clear of the figure edge


def action_label(action: PlanAction) -> str:
    """The y-axis label of an action: its id and title, wrapped onto up to three lines."""
    lines = textwrap.wrap(f"{action.uid}  {action.title}", LINE_CHARS, break_on_hyphens=False)
    if len(lines) > MAX_LINES:
        rest = " ".join(lines[MAX_LINES - 1:])
        lines = [*lines[:MAX_LINES - 1], textwrap.shorten(rest, LINE_CHARS, placeholder=" …")]
    return "\n".join(lines)


def timeline_figure(actions: Sequence[PlanAction], plan_start: dt.date | None,
                    today: dt.date | None = None, width: float = 10.0,
                    format_date: Callable[[dt.date], str] | None = None) -> Figure:
    """Gantt-like chart of ``actions`` (earliest first), coloured by status.

    Windows are drawn from ``plan_start`` with the lowest step of the plan as the first
    window; a dashed line marks ``today`` when it falls inside the chart. Dates on the axis
    are ISO (YYYY-MM-DD) unless ``format_date`` is given (the GUI passes the locale's).
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    from matplotlib.patches import Patch

    ordered = sorted(actions, key=lambda a: (a.step, a.start, a.due, a.uid))
    labels = [action_label(a) for a in ordered]
    lines = max((text.count("\n") + 1 for text in labels), default=1)
    height = max(2.6, 1.4 + (0.12 + LINE_INCHES * lines) * len(ordered))
    figure = Figure(figsize=(width, height), layout=ConstrainedLayoutEngine(
        w_pad=EDGE_PAD_INCHES, h_pad=EDGE_PAD_INCHES / 2))
    ax = figure.add_subplot()
    if not ordered:
        ax.axis("off")
        ax.text(0.5, 0.5, "No actions in the plan yet.", ha="center", va="center")
        return figure
    first = min(a.step for a in ordered)
    if plan_start is not None:
        for step in sorted({a.step for a in ordered}):
            begin, end = step_window(plan_start, step, first)
            ax.axvspan(begin, end + dt.timedelta(days=1),  # type: ignore[arg-type]  # dates
                       color=WINDOW_SHADES[step % 2], zorder=0)
            ax.text(begin + dt.timedelta(days=2),  # type: ignore[arg-type]  # a date
                    -0.9, f"Step {step}: {STEPS.get(step, '')}",
                    fontsize=FONT_SIZE, va="bottom", color="#444444")
    ax.barh(range(len(ordered)), [(a.due - a.start).days + 1 for a in ordered],
            left=[a.start for a in ordered],  # type: ignore[arg-type]  # dates (units)
            height=0.6, zorder=2, edgecolor="white",
            color=[STATUS_COLOURS.get(a.status, "#9AA5B1") for a in ordered])
    ax.set_yticks(range(len(ordered)), labels, fontsize=FONT_SIZE)
    ax.set_ylim(len(ordered) - 0.4, -1.2)
    ax.margins(x=0.01)  # the axis ends with the plan, so no date tick sits past it
    if today is not None:
        low, high = ax.get_xlim()
        if low <= mdates.date2num(today) <= high:
            ax.axvline(today,  # type: ignore[arg-type]  # a date (matplotlib units)
                       color="#C0504D", linestyle="--", linewidth=1, zorder=3)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
    if format_date is None:
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    else:
        ax.xaxis.set_major_formatter(
            lambda value, _pos: format_date(mdates.num2date(value).date()))
    ax.tick_params(axis="x", labelsize=FONT_SIZE)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6, zorder=1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    used = [s for s in STATUSES if any(a.status == s for a in ordered)]
    ax.legend(handles=[Patch(color=STATUS_COLOURS[s], label=s) for s in used],
              loc="lower right", fontsize=FONT_SIZE, frameon=False, ncols=len(used),
              bbox_to_anchor=(1.0, 1.0))
    return figure
