"""The plan as a timeline: one bar per action inside the shaded 100-day window of its step."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.core.plan.builder import STATUSES, PlanAction, step_window
from workbench.core.questionnaire.schema import STEPS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STATUS_COLOURS = dict(zip(STATUSES, ("#9AA5B1", "#4F81BD", "#5B9B5B", "#C0504D", "#D9D9D9"),
                          strict=True))
WINDOW_SHADES = ("#EEF3F8", "#F8F5EE")
ROW_INCHES = 0.32
LABEL_CHARS = 48


def timeline_figure(actions: Sequence[PlanAction], plan_start: dt.date | None,
                    today: dt.date | None = None, width: float = 10.0) -> Figure:
    """Gantt-like chart of ``actions`` (earliest first), coloured by status.

    Windows are drawn from ``plan_start`` with the lowest step of the plan as the first
    window; a dashed line marks ``today`` when it falls inside the chart.
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    ordered = sorted(actions, key=lambda a: (a.step, a.start, a.due, a.uid))
    height = max(2.6, 1.4 + ROW_INCHES * len(ordered))
    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    if not ordered:
        ax.axis("off")
        ax.text(0.5, 0.5, "No actions in the plan yet.", ha="center", va="center")
        return figure
    first = min(a.step for a in ordered)
    if plan_start is not None:
        for step in sorted({a.step for a in ordered}):
            begin, end = step_window(plan_start, step, first)
            ax.axvspan(begin, end + dt.timedelta(days=1), color=WINDOW_SHADES[step % 2], zorder=0)
            ax.text(begin + dt.timedelta(days=2), -0.9, f"Step {step}: {STEPS.get(step, '')}",
                    fontsize=8, va="bottom", color="#444444")
    for row, action in enumerate(ordered):
        days = (action.due - action.start).days + 1
        ax.barh(row, days, left=action.start, height=0.6, zorder=2,
                color=STATUS_COLOURS.get(action.status, "#9AA5B1"), edgecolor="white")
    ax.set_yticks(range(len(ordered)),
                  [textwrap.shorten(f"{a.uid}  {a.title}", LABEL_CHARS, placeholder="…")
                   for a in ordered], fontsize=8)
    ax.set_ylim(len(ordered) - 0.4, -1.2)
    if today is not None:
        low, high = ax.get_xlim()
        if low <= mdates.date2num(today) <= high:
            ax.axvline(today, color="#C0504D", linestyle="--", linewidth=1, zorder=3)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6, zorder=1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    used = [s for s in STATUSES if any(a.status == s for a in ordered)]
    ax.legend(handles=[Patch(color=STATUS_COLOURS[s], label=s) for s in used],
              loc="lower right", fontsize=8, frameon=False, ncols=len(used),
              bbox_to_anchor=(1.0, 1.0))
    return figure
