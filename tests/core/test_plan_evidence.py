"""Say vs show: verdicts follow the documented levels; missing data is never guessed."""

from __future__ import annotations

import pytest

from workbench.core.plan.evidence import (
    ALIGNED,
    INSUFFICIENT,
    NOT_APPLICABLE,
    OVERRATE,
    UNDERRATE,
    LeaderRating,
    NetworkFigures,
    say_vs_show,
)

FULL = NetworkFigures(cross_dept_customer_tie_share=0.2, champions_count=4, overall_ei=0.0,
                      cross_dept_communities=2, coordinator_candidates=1)


def _one(step, rating, figures=FULL):
    (result,) = say_vs_show({step: rating}, figures, steps=(step,))
    return result


@pytest.mark.parametrize(("step", "level"), [(1, 4 * 0.2 / 0.4), (2, 2.0), (3, 2.0)])
def test_show_levels_and_verdicts(step, level):
    assert _one(step, LeaderRating(level, 5)).show_value == pytest.approx(level)
    assert _one(step, LeaderRating(level, 5)).verdict == ALIGNED
    assert _one(step, LeaderRating(min(level + 1.5, 4), 5)).verdict == OVERRATE
    assert _one(step, LeaderRating(max(level - 1.5, 0), 5)).verdict == UNDERRATE


def test_no_champions_means_no_step_one_practice():
    figures = NetworkFigures(cross_dept_customer_tie_share=0.9, champions_count=0)
    result = _one(1, LeaderRating(3.5, 6), figures)
    assert result.show_value == 0 and result.verdict == OVERRATE
    assert "3.5" in result.finding


def test_no_spanning_community_caps_step_two():
    figures = NetworkFigures(overall_ei=0.8, cross_dept_communities=0)
    assert _one(2, LeaderRating(1.0, 3), figures).show_value == 1.0


def test_missing_network_or_ratings_is_insufficient():
    no_network = _one(2, LeaderRating(3.0, 4), None)
    assert no_network.verdict == INSUFFICIENT and no_network.show_value is None
    assert "network data" in no_network.finding
    no_rating = _one(3, LeaderRating(None, 0))
    assert no_rating.verdict == INSUFFICIENT and no_rating.say_value is None


def test_formal_steps_have_no_network_evidence():
    results = say_vs_show({4: LeaderRating(3.0, 4), 5: LeaderRating(1.0, 4)}, FULL)
    assert [r.verdict for r in results[3:]] == [NOT_APPLICABLE, NOT_APPLICABLE]
    assert results[3].say_value == 3.0 and results[3].show_value is None


def test_network_side_counts_read_as_plain_english():
    one = NetworkFigures(cross_dept_customer_tie_share=0.2, champions_count=1, overall_ei=0.0,
                         cross_dept_communities=1, coordinator_candidates=1)
    two = NetworkFigures(cross_dept_customer_tie_share=0.2, champions_count=2, overall_ei=0.0,
                         cross_dept_communities=2, coordinator_candidates=2)
    rating = LeaderRating(2.0, 3)
    assert [_one(s, rating, one).show_text.split("; ")[-1] for s in (1, 2, 3)] == [
        "1 customer champion", "1 community spanning departments",
        "1 person already bridging teams"]
    assert [_one(s, rating, two).show_text.split("; ")[-1] for s in (1, 2, 3)] == [
        "2 customer champions", "2 communities spanning departments",
        "2 people already bridging teams"]
