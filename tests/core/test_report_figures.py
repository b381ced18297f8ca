"""The report's charts from ReportData alone: every key there is data for, at print size,
the same map every time, and people on the map only as privacy lets the room see them."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace

import pytest
from PIL import Image

from workbench.core.network.pseudonyms import PseudonymKey
from workbench.core.project import Project
from workbench.core.report.assemble import build_report_data
from workbench.core.report.data import EngagementSummary, ReportData
from workbench.core.report.figures import (
    FIGURE_KEYS,
    map_figure,
    png_bytes,
    report_figures,
    stage_result,
)


@pytest.fixture(scope="module")
def demo_data(demo_file, tmp_path_factory):
    """The demo's report data with real names and pseudonymised, and the roster's names."""
    path = tmp_path_factory.mktemp("figures") / "demo.owb"
    shutil.copy(demo_file, path)
    with Project.open(path) as project:
        from workbench.core.method.rounds import ladder_round
        from workbench.core.questionnaire.scoring import stage_reached

        ladder = ladder_round(project)
        assert ladder is not None
        stage = stage_reached(ladder.template, ladder.answers)
        names = {p.name for p in project.people.list()}
        real = build_report_data(project, pseudonymise=False)
        private = build_report_data(project, pseudonymise=True, key=PseudonymKey(b"f" * 32))
    return real, private, names, stage


def _texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]


def test_every_chart_of_the_demo_at_print_resolution(demo_data):
    real, _private, _names, _stage = demo_data
    figures = report_figures(real, dpi=100)
    assert set(figures) == set(FIGURE_KEYS)
    for key, png in figures.items():
        assert png.startswith(b"\x89PNG"), key
    width, height = Image.open(io.BytesIO(report_figures(real, dpi=200)["ladder"])).size
    assert (width, height) == (2000, 1200)  # the 10 x 6 inch ladder at 200 dpi


def test_charts_without_data_are_left_out():
    bare = ReportData(EngagementSummary("u", "Client", 2, 0), maturity={})
    assert report_figures(bare, dpi=50) == {}
    rated = replace(bare, maturity={(1, "information_sharing"): 2.5})
    assert set(report_figures(rated, dpi=50)) == {"ladder", "heatmap"}


def test_ladder_judges_the_steps_as_the_stage_rule_does(demo_data):
    real, _private, _names, stage = demo_data
    result = stage_result(real)
    assert result.stage == real.engagement.stage_reached == stage.stage
    assert [(s.step, round(s.mean or 0, 6), s.meets_bar) for s in result.steps] == \
        [(s.step, round(s.mean or 0, 6), s.meets_bar) for s in stage.steps]


def test_the_map_is_the_same_every_time(demo_data):
    real, _private, _names, _stage = demo_data
    first = map_figure(real)
    assert first is not None
    assert png_bytes(first, 60) == png_bytes(map_figure(real), 60)


def test_map_names_people_only_as_the_room_may_see_them(demo_data):
    real, private, names, _stage = demo_data
    assert real.story is not None and not real.story.names_people  # the default privacy
    shown = _texts(map_figure(real))
    assert not {text for text in shown if text in names}
    assert any("Finance" in text for text in shown)  # departments label the map instead
    assert private.story is not None and private.story.names_people
    headline = {line.who for line in private.story.headline if line.who}
    private_texts = _texts(map_figure(private))
    assert headline and headline <= set(private_texts)  # the headline's pseudonyms, ringed
    assert not {text for text in private_texts if text in names}


def test_no_map_without_a_network(demo_data):
    real, _private, _names, _stage = demo_data
    assert "map" not in report_figures(replace(real, network=(), groups=None, story=None),
                                       dpi=40)
