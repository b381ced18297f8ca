"""The plan timeline: complete action labels, every label inside the figure."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from workbench.core.plan.builder import PlanAction, step_window
from workbench.core.report.timeline import MAX_LINES, action_label, timeline_figure

START = dt.date(2026, 10, 5)
TITLES = [
    "Name and thank the customer champions the network revealed",
    "Relieve the overloaded Operations go-to person by documenting the top 20 questions",
    "Connect Finance to the billing-complaint champions",
    "Form two pilot cross-functional teams around the Households and Small business value "
    "propositions",
    "Fund team time",
]


def _actions() -> list[PlanAction]:
    actions = []
    for i, title in enumerate(TITLES):
        step = 1 if i < 3 else 2
        begin, _end = step_window(START, step, 1)
        start = begin + dt.timedelta(days=7 * i)
        actions.append(PlanAction(f"A-{i + 1:04d}", title, step, start,
                                  start + dt.timedelta(days=40 + 9 * i),
                                  source=f"maturity_ladder:s{step}_information_sharing",
                                  owner="Lena Gallo"))
    return actions


def _drawn(figure, size: tuple[float, float] | None = None):
    FigureCanvasAgg(figure)
    if size is not None:
        figure.set_size_inches(*size)
    figure.canvas.draw()
    return figure.canvas.get_renderer()


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_every_action_label_is_complete_and_wrapped():
    actions = _actions()
    figure = timeline_figure(actions, START)
    _drawn(figure)
    shown = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert sorted(_squash(t) for t in shown) == sorted(
        _squash(f"{a.uid} {a.title}") for a in actions)
    assert not any("…" in t for t in shown)
    assert any("\n" in t for t in shown), "long titles wrap onto more lines"
    assert all(t.count("\n") < MAX_LINES for t in shown)


@pytest.mark.parametrize("size", [None, (9.0, 5.0), (12.0, 7.0)])
def test_all_labels_and_dates_stay_inside_the_figure(size):
    figure = timeline_figure(_actions(), START, today=START + dt.timedelta(days=30))
    renderer = _drawn(figure, size)
    ax = figure.axes[0]
    box = figure.bbox
    low, high = ax.get_xlim()
    dates = [t for t, loc in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
             if low <= loc <= high and t.get_text()]
    assert len(dates) >= 3
    texts = [*dates, *ax.get_yticklabels(), *ax.texts, *ax.get_legend().get_texts()]
    for text in texts:
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= box.x0 and extent.x1 <= box.x1, text.get_text()
        assert extent.y0 >= box.y0 and extent.y1 <= box.y1, text.get_text()
    last = max(dates, key=lambda t: t.get_window_extent(renderer).x1)
    assert box.x1 - last.get_window_extent(renderer).x1 >= 0.1 * figure.dpi


def test_labels_do_not_overlap_each_other():
    figure = timeline_figure(_actions(), START)
    renderer = _drawn(figure)
    extents = sorted((t.get_window_extent(renderer) for t in figure.axes[0].get_yticklabels()),
                     key=lambda e: e.y0)
    for lower, upper in zip(extents, extents[1:], strict=False):
        assert lower.y1 <= upper.y0


def test_only_an_overlong_title_is_shortened_as_a_last_resort():
    base = _actions()[0]
    long = dataclasses.replace(base, title="customer " * 40)
    text = action_label(long)
    assert text.count("\n") == MAX_LINES - 1
    assert text.endswith("…")
    assert action_label(base).replace("\n", " ") == f"{base.uid}  {base.title}"
