"""Charts are plain matplotlib Figures whose artists carry the findings."""

from __future__ import annotations

import io
import subprocess
import sys

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from workbench.core.questionnaire.charts import (
    PALETTE,
    heatmap_figure,
    ladder_figure,
    radar_figure,
    round_comparison_figure,
    spread_figure,
)
from workbench.core.questionnaire.loader import builtin_templates
from workbench.core.questionnaire.scoring import (
    all_question_stats,
    maturity_grid,
    round_change,
    stage_reached,
)


def ladder_and_answers():
    ladder = next(t for t in builtin_templates() if t.id == "maturity_ladder")
    values = {1: [3, 4], 2: [3, 3], 3: [1, 4], 4: [0, 1], 5: [0, 0]}
    answers = {f"R{i}": {q.id: values[q.group.step][i] for q in ladder.questions() if q.group}
               for i in range(2)}
    answers["R0"]["s3_working_climate"] = None  # one missing answer
    return ladder, answers


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def render(fig: Figure) -> None:
    fig.savefig(io.BytesIO(), format="png", dpi=40)


def test_no_pyplot_import():
    """Charts are plain Figures: making and rendering one never loads pyplot's global state."""
    code = ("import io, sys\n"
            "from workbench.core.questionnaire import charts\n"
            "from workbench.core.questionnaire.loader import builtin_templates\n"
            "from workbench.core.questionnaire.scoring import stage_reached\n"
            "t = next(t for t in builtin_templates() if t.id == 'maturity_ladder')\n"
            "fig = charts.ladder_figure(stage_reached(t, {}), target_step=2)\n"
            "fig.savefig(io.BytesIO(), format='png')\n"
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_ladder_figure_states_stage_and_target():
    ladder, answers = ladder_and_answers()
    result = stage_reached(ladder, answers)
    fig = ladder_figure(result, target_step=3)
    ax = fig.axes[0]
    assert ax.get_title() == "Stage reached: 2 of 5 — target 3"
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [round(b.get_height(), 2) for b in bars] == [3.5, 3.0, round(19 / 7, 2), 0.5, 0.0]
    assert [b.get_facecolor() for b in bars[:2]] == [bars[0].get_facecolor()] * 2
    assert bars[2].get_linewidth() == 4  # the target step is outlined
    assert "3.5" in texts(fig) and "0.0" in texts(fig)
    render(fig)


def test_heatmap_has_a_labelled_cell_for_every_cell():
    ladder, answers = ladder_and_answers()
    fig = heatmap_figure(maturity_grid(ladder, answers))
    labels = texts(fig)
    assert len(labels) == 35
    assert labels.count("3.5") == 7 and labels.count("0.0") == 7
    assert labels.count("4.0") == 1  # step 3 working climate: only R1 (4) answered
    assert fig.axes[0].get_title() == "Weakest cell: step 5 · Communication systems (0.0)"
    render(fig)


def test_radar_for_one_step():
    ladder, answers = ladder_and_answers()
    fig = radar_figure(maturity_grid(ladder, answers), step=3)
    ax = fig.axes[0]
    assert ax.name == "polar"
    assert list(ax.lines[0].get_ydata()) == [2.5] * 5 + [4.0, 2.5, 2.5]
    assert ax.get_title() == "Step 3: weakest foundation is communication systems (2.5)"
    render(fig)


def test_spread_plot_highlights_disagreement():
    ladder, answers = ladder_and_answers()
    stats = [s for s in all_question_stats(ladder, answers).values() if s.mean is not None]
    fig = spread_figure(stats, labels={stats[0].question_id: "First cell"})
    ax = fig.axes[0]
    wide = [line for line in ax.lines if line.get_color() == PALETTE["vermillion"]]
    assert len(wide) == 6  # step 3: answers 1 and 4, except the half-answered cell
    assert ax.get_title() == "6 of 35 questions have answers 2+ levels apart"
    assert ax.get_yticklabels()[0].get_text() == "First cell"


def test_round_comparison_arrows_and_title():
    ladder, answers = ladder_and_answers()
    later = {code: {q: (v + 1 if v is not None and v < 4 else v) for q, v in given.items()}
             for code, given in answers.items()}
    later["R0"]["s1_communication_systems"] = 1
    fig = round_comparison_figure(round_change(ladder, answers, later))
    ax = fig.axes[0]
    arrows = [t for t in ax.texts if t.arrow_patch is not None]
    assert len(arrows) == 35
    # s3_working_climate is unchanged (only R1 answered, already at 4)
    assert ax.get_title() == "33 improved, 1 declined — biggest: s1_communication_systems (-1.0)"


def _tick_boxes(fig: Figure, axis: str, width: float, height: float):
    from matplotlib.backend_bases import ResizeEvent
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.set_size_inches(width, height)
    ResizeEvent("resize_event", fig.canvas)._process()  # what a window resize sends
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_window_extent() for t in ticks]


def test_heatmap_labels_never_overlap_from_laptop_to_projector_width():
    ladder, answers = ladder_and_answers()
    for width, height in ((12, 6.5), (10, 5), (7, 4)):  # default, 1280-px window, narrowest
        fig = heatmap_figure(maturity_grid(ladder, answers))
        for axis in ("x", "y"):
            boxes = _tick_boxes(fig, axis, width, height)
            assert len(boxes) == (5 if axis == "x" else 7)
            for a, b in zip(boxes, boxes[1:], strict=False):
                assert not a.overlaps(b), (axis, width)
            figure_box = fig.bbox
            assert all(figure_box.x0 <= b.x0 and b.x1 <= figure_box.x1 and
                       figure_box.y0 <= b.y0 and b.y1 <= figure_box.y1 for b in boxes)


def test_ladder_legend_names_the_target_outline_colour():
    from matplotlib.colors import to_rgba

    from workbench.core.questionnaire.charts import COLOUR_NAMES, TARGET_OUTLINE

    ladder, answers = ladder_and_answers()
    fig = ladder_figure(stage_reached(ladder, answers), target_step=3)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert bars[2].get_edgecolor() == to_rgba(TARGET_OUTLINE)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"target step ({COLOUR_NAMES[TARGET_OUTLINE]} outline)" in legend
    assert COLOUR_NAMES[TARGET_OUTLINE] == "orange-red"
