"""The report's charts as PNG bytes, drawn from :class:`ReportData` only (matplotlib, no Qt).

:func:`report_figures` gives every chart there is data for, keyed "ladder", "heatmap", "map",
"timeline", "say_show" and "learning_days" (days from customer insight to action by
source); the document and the deck place them. The ladder and heat map are
the Maturity page's charts (:mod:`workbench.core.questionnaire.charts`), the timeline is the
plan timeline (:mod:`workbench.core.report.timeline`).

The map shows the departments of the network the report measures (``data.groups``): each
person a dot in the disc of their department, the most sought-out nearest its centre, the
discs placed by :func:`workbench.core.network.layout.force_layout` over the department ties
(seeded, so the same data always gives the same map). Departments are as the Network sheet
shows them (small ones pooled, :func:`~workbench.core.report.data.protect_people`) and only
tie counts the Groups sheet shows are drawn. People named in the story's headline are
ringed and labelled (by name or pseudonym) only when the story names people; departments its
headline speaks of without naming anyone are ringed.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.core.questionnaire.charts import PALETTE, heatmap_figure, ladder_figure
from workbench.core.questionnaire.schema import STEPS
from workbench.core.questionnaire.scoring import QuestionStats, StageResult, StepResult
from workbench.core.report.data import POOLED_LABEL, ReportData, protect_people, step_means
from workbench.core.tasks import Progress, ensure_progress

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_KEYS = ("ladder", "heatmap", "map", "timeline", "say_show", "learning_days")
DEPARTMENT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7",
                      "#F0E442", "#8C564B", "#332288", "#88CCEE", "#44AA99", "#AA4499")
POOLED_COLOUR = PALETTE["grey"]
HIGHLIGHT = "#000000"
MAP_SIZE = (10.0, 7.5)  # inches; the document scales it to its text width
DOTS_AREA = 3600.0  # points² shared by all dots: 12 each up to 300 people
SOUGHT_OUT = "Sought out by"  # the metric label that orders people within their disc
_EPS = 1e-9


def report_figures(data: ReportData, dpi: int = 200,
                   progress: Progress | None = None) -> dict[str, bytes]:
    """PNG bytes of each chart there is data for (see the module notes), at ``dpi``."""
    progress = ensure_progress(progress)
    makers: dict[str, Callable[[], Figure | None]] = {
        "ladder": lambda: _ladder(data), "heatmap": lambda: _heatmap(data),
        "map": lambda: map_figure(data), "timeline": lambda: _timeline(data),
        "say_show": lambda: say_show_figure(data),
        "learning_days": lambda: learning_days_figure(data)}
    figures: dict[str, bytes] = {}
    for done, key in enumerate(FIGURE_KEYS):
        progress.update(done / len(FIGURE_KEYS), f"Drawing the {key.replace('_', ' ')} chart")
        figure = makers[key]()
        if figure is not None:
            figures[key] = png_bytes(figure, dpi)
    progress.update(1.0, "Charts drawn")
    return figures


def png_bytes(figure: Figure, dpi: int = 200) -> bytes:
    """``figure`` as PNG at ``dpi`` on a white background."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def stage_result(data: ReportData) -> StageResult:
    """The ladder per step from the report's maturity grid, judged against the method's bar;
    the stage is the engagement's (``data.engagement.stage_reached``)."""
    bar = data.method.bar
    means = step_means(data.maturity)
    steps = []
    for step in STEPS:
        cells = [v for (s, _k), v in data.maturity.items() if s == step]
        rated = [v for v in cells if v is not None]
        low = min(rated) if rated else None
        mean = means.get(step)
        meets = (bool(cells) and len(rated) == len(cells) and mean is not None
                 and low is not None and mean >= bar.mean - _EPS and low >= bar.min_cell - _EPS)
        steps.append(StepResult(step, mean, low, len(rated), len(cells), meets))
    stage = data.engagement.stage_reached
    return StageResult(stage, steps, bar, [s.step for s in steps if s.step > stage and
                                           s.meets_bar])


def _ladder(data: ReportData) -> Figure | None:
    if not any(v is not None for v in data.maturity.values()):
        return None
    return ladder_figure(stage_result(data), data.engagement.target_step or None)


def _heatmap(data: ReportData) -> Figure | None:
    if not any(v is not None for v in data.maturity.values()):
        return None
    grid = {cell: QuestionStats(f"{cell[0]}:{cell[1]}", 0, 0, mean, None, None, None, None,
                                None) for cell, mean in data.maturity.items()}
    return heatmap_figure(grid)


def _timeline(data: ReportData) -> Figure | None:
    from workbench.core.report.timeline import timeline_figure

    return timeline_figure(data.plan, data.plan_start) if data.plan else None


def say_show_figure(data: ReportData) -> Figure | None:
    """Per ladder step, the leaders' rating beside the level the network shows (0-4)."""
    rows = [e for e in data.evidence if e.say_value is not None or e.show_value is not None]
    if not rows:
        return None
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 5.5), layout="constrained")
    ax = figure.add_subplot()
    width = 0.38
    x = list(range(len(rows)))
    for offset, values, colour, label in (
            (-width / 2, [e.say_value for e in rows], PALETTE["blue"], "leaders say"),
            (width / 2, [e.show_value for e in rows], PALETTE["orange"], "network shows")):
        ax.bar([i + offset for i in x], [v or 0.0 for v in values], width, color=colour,
               edgecolor="black", linewidth=0.8, label=label)
        for i, value in zip(x, values, strict=True):
            ax.text(i + offset, (value or 0.0) + 0.06,
                    "–" if value is None else f"{value:.1f}", ha="center", fontsize=12)
    ax.set_xticks(x, [f"Step {e.step}\n" + "\n".join(textwrap.wrap(e.verdict, 16))
                      for e in rows], fontsize=12)
    ax.set_ylim(0, 4.4)
    ax.set_ylabel("level (0-4)", fontsize=14)
    ax.tick_params(axis="y", labelsize=12)
    ax.legend(fontsize=12, loc="upper right", ncols=2)
    differ = sum(1 for e in rows if e.verdict != "aligned")
    ax.set_title(f"Leaders' view and the network differ on {differ} of {len(rows)} steps",
                 fontsize=18)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure


def learning_days_figure(data: ReportData) -> Figure | None:
    """Median days from insight to action per source of the customer-learning log, each bar
    labelled with how many of the source's insights were acted on; a source never acted on
    has no bar and says so. None when nothing was acted on."""
    m = data.learning.metrics
    if m is None or m.median_days is None:
        return None
    from matplotlib.figure import Figure

    rows = list(reversed(m.by_source))  # the first source on top
    figure = Figure(figsize=(10, 5.5), layout="constrained")
    ax = figure.add_subplot()
    y = list(range(len(rows)))
    days = [f.median_days or 0.0 for f in rows]
    ax.barh(y, days, 0.6, color=[PALETTE["blue"] if f.median_days is not None
                                 else PALETTE["grey"] for f in rows],
            edgecolor="black", linewidth=0.8)
    longest = max(days)
    for i, f in zip(y, rows, strict=True):
        label = (f"never acted on ({f.received} received)" if f.median_days is None else
                 f"{f.median_days:g} days ({f.acted} of {f.received} acted on)")
        ax.text((f.median_days or 0.0) + longest * 0.02, i, label, va="center", fontsize=12)
    ax.set_yticks(y, [f.name for f in rows], fontsize=12)
    ax.set_xlim(0, longest * 1.6 or 1)
    ax.set_xlabel("median days from insight to action", fontsize=14)
    ax.tick_params(axis="x", labelsize=12)
    ax.axvline(m.median_days, color=PALETTE["orange"], linewidth=1.5, linestyle="--",
               label=f"all sources: {m.median_days:g} days")
    ax.legend(fontsize=12, loc="lower right")
    ax.set_title("Days from customer insight to action, by source", fontsize=18)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure


def map_figure(data: ReportData, seed: int = 42) -> Figure | None:
    """The department map of the measured network (see the module notes); None without one."""
    if not data.network or data.groups is None:
        return None
    import networkx as nx
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    from workbench.core.network.layout import force_layout

    shown, table = protect_people(data)
    people_of: dict[str, list] = {}
    for person in shown.network:
        people_of.setdefault(person.department or POOLED_LABEL, []).append(person)
    departments = sorted(people_of, key=lambda d: (d == POOLED_LABEL, d))
    graph = nx.Graph()
    graph.add_nodes_from(departments)
    if table is not None:
        index = {name: i for i, name in enumerate(table.departments)}
        for a in departments:
            for b in departments:
                if a >= b or a not in index or b not in index:
                    continue
                i, j = index[a], index[b]
                if table.hidden[i][j] is None and table.hidden[j][i] is None:
                    ties = table.values[i][j] + table.values[j][i]
                    if ties:
                        graph.add_edge(a, b, weight=float(ties))
    positions = (force_layout(graph, seed) if len(departments) > 1
                 else {departments[0]: (0.0, 0.0)})
    largest = max(len(p) for p in people_of.values())
    radius = {d: 0.07 + 0.16 * math.sqrt(len(people_of[d]) / largest) for d in departments}
    spread = _spread(positions, radius)
    colours = {d: POOLED_COLOUR if d == POOLED_LABEL
               else DEPARTMENT_COLOURS[i % len(DEPARTMENT_COLOURS)]
               for i, d in enumerate(departments)}

    figure = Figure(figsize=MAP_SIZE, layout="constrained")
    ax = figure.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    heaviest = max((w for _a, _b, w in graph.edges(data="weight")), default=1.0)
    for a, b, weight in graph.edges(data="weight"):
        (xa, ya), (xb, yb) = spread[a], spread[b]
        ax.plot([xa, xb], [ya, yb], color="#B0B0B0", zorder=1,
                linewidth=0.5 + 5.0 * weight / heaviest)
    story = data.story
    lines = story.headline if story else ()
    named = bool(story and story.names_people)
    headline_people = [name.strip() for line in lines for name in line.who.split(",")
                       if named and name.strip()]
    headline_departments = {d.strip() for line in lines if not (named and line.who)
                            for d in line.departments.split(",") if d.strip()}
    first = {name: i for i, name in reversed(list(enumerate(headline_people)))}
    labelled = 0
    dot = min(12.0, DOTS_AREA / len(shown.network))  # big networks get finer dots
    for department in departments:
        cx, cy = spread[department]
        r = radius[department]
        ringed = department in headline_departments
        ax.add_patch(Circle((cx, cy), r, facecolor=(*to_rgb(colours[department]), 0.12),
                            edgecolor=HIGHLIGHT if ringed else colours[department],
                            linewidth=2.5 if ringed else 1.0, zorder=2))
        members = sorted(people_of[department],  # headline people, then the most sought out
                         key=lambda p: (first.get(p.name, len(first)),
                                        -(p.metrics.get(SOUGHT_OUT) or 0.0), p.id))
        points = [(cx + x, cy + y) for x, y in _sunflower(len(members), r * 0.9)]
        ax.scatter([x for x, _y in points], [y for _x, y in points], s=dot, zorder=3,
                   color=colours[department], edgecolors="none")
        for (x, y), person in zip(points, members, strict=True):
            if person.name not in first:
                break  # the headline's people come first in the disc
            ax.scatter([x], [y], s=70, zorder=4, color=colours[department],
                       edgecolors=HIGHLIGHT, linewidths=1.5)
            below = labelled % 2
            labelled += 1
            ax.annotate(person.name, (x, y), xytext=(8, -14 if below else 6),
                        textcoords="offset points", fontsize=11, weight="bold", zorder=5,
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8,
                              "pad": 1})
        ax.text(cx, cy - r - 0.03, f"{department} ({len(members)})", ha="center", va="top",
                fontsize=12, zorder=5)
    xs = [spread[d][0] for d in departments]
    ys = [spread[d][1] for d in departments]
    pad = max(radius.values()) + 0.12
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    marked = ("" if not lines else "; people and departments in the headline ringed" if named
              else "; departments in the headline ringed")
    ax.set_title(f"{len(shown.network)} people by department\nlines: ties between "
                 f"departments{marked}", fontsize=14)
    return figure


def _sunflower(n: int, radius: float) -> list[tuple[float, float]]:
    """``n`` evenly spread points in a disc, the first at the centre."""
    golden = math.pi * (3 - math.sqrt(5))
    return [(radius * math.sqrt(i / n) * math.cos(i * golden),
             radius * math.sqrt(i / n) * math.sin(i * golden)) for i in range(n)]


def _spread(positions: dict[str, tuple[float, float]], radius: dict[str, float],
            rounds: int = 200) -> dict[str, tuple[float, float]]:
    """Positions pushed apart until no two discs (plus room for a label) overlap."""
    placed = {k: [float(x), float(y)] for k, (x, y) in positions.items()}
    names = sorted(placed)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                dx = placed[b][0] - placed[a][0]
                dy = placed[b][1] - placed[a][1]
                distance = math.hypot(dx, dy) or _EPS
                need = radius[a] + radius[b] + 0.1
                if distance < need:
                    push = (need - distance) / 2
                    ux, uy = (dx / distance, dy / distance) if distance > _EPS else (1.0, 0.0)
                    placed[a][0] -= ux * push
                    placed[a][1] -= uy * push
                    placed[b][0] += ux * push
                    placed[b][1] += uy * push
                    moved = True
        if not moved:
            break
    return {k: (x, y) for k, (x, y) in placed.items()}
