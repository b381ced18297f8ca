"""Scoring with hand-computed fixtures: stats, stage and bar edges, gaps, disagreement,
round change, anonymity threshold."""

from __future__ import annotations

import math

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.loader import builtin_templates
from workbench.core.questionnaire.schema import FOUNDATIONS, Bar, Template
from workbench.core.questionnaire.scoring import (
    chosen_target_step,
    disagreements,
    gaps,
    group_figures,
    maturity_grid,
    question_stats,
    round_change,
    stage_reached,
    target_votes,
)

FOUNDATIONS3 = ("communication_systems", "information_sharing", "working_climate")
ANCHORS = ["none", "first signs", "patchy", "in place", "embedded"]


def mini_template() -> Template:
    """Steps 1 and 2, three micro-foundations each, plus a target question and a branch."""
    cells = [{"id": f"s{step}_{f[:4]}", "kind": "rating_0_4", "text": f"{step} {f}",
              "anchors": ANCHORS, "group": {"step": step, "foundation": f}}
             for step in (1, 2) for f in FOUNDATIONS3]
    extra = [
        {"id": "target", "kind": "single_choice", "text": "Target?",
         "options": ["0", "1", "2", "3", "4", "5"]},
        {"id": "why", "kind": "scale_1_5", "text": "Why so high?",
         "show_if": {"question": "target", "in": ["4", "5"]}},
    ]
    return Template.model_validate({
        "id": "mini", "version": 1, "title": "Mini ladder",
        "sections": [{"id": "all", "title": "All", "questions": cells + extra}],
        "scoring": {"target_question": "target"},
    })


def answers_from(cells: dict[str, list]) -> dict[str, dict]:
    """{question: [value per respondent]} -> {respondent: {question: value}} (None = no answer)."""
    count = max(len(v) for v in cells.values())
    return {f"R{i}": {q: vals[i] for q, vals in cells.items() if i < len(vals)}
            for i in range(count)}


def test_question_stats_by_hand():
    t = mini_template()
    split = question_stats(t, answers_from({"s1_comm": [0, 4]}), "s1_comm")
    assert (split.n, split.mean, split.median, split.std, split.spread) == (2, 2.0, 2.0, 2.0, 4)
    assert split.agreement == 0.0
    same = question_stats(t, answers_from({"s1_comm": [2, 2, 2]}), "s1_comm")
    assert (same.std, same.agreement) == (0.0, 1.0)
    four = question_stats(t, answers_from({"s1_comm": [1, 2, 3, 4]}), "s1_comm")
    assert four.mean == 2.5 and four.median == 2.5
    assert four.std == pytest.approx(math.sqrt(1.25))
    assert four.agreement == pytest.approx(1 - math.sqrt(1.25) / 2)


def test_missing_answers_are_excluded_and_counted():
    t = mini_template()
    answers = answers_from({"s1_comm": [4, None, 2], "target": ["1", "4", "5"],
                            "why": [None, 5, None]})
    stats = question_stats(t, answers, "s1_comm")
    assert (stats.n, stats.missing, stats.mean) == (2, 1, 3.0)
    why = question_stats(t, answers, "why")  # hidden for R0 (target 1): not missing
    assert (why.n, why.missing, why.mean) == (1, 1, 5.0)
    empty = question_stats(t, {"R0": {}}, "s2_work")
    assert (empty.n, empty.missing, empty.mean, empty.agreement) == (0, 1, None, None)


def test_invalid_value_is_a_user_error():
    with pytest.raises(WorkbenchError, match="R1, question s1_comm"):
        question_stats(mini_template(), answers_from({"s1_comm": [2, 7]}), "s1_comm")


def test_exactly_at_the_bar_meets_it():
    # step 1 cells: 3, (2+4)/2 = 3, 3 -> mean 3.0; step 2 cells: 4, 2, 3 -> mean 3.0, min 2.0
    answers = answers_from({"s1_comm": [3, 3], "s1_info": [2, 4], "s1_work": [3, 3],
                            "s2_comm": [4, 4], "s2_info": [2, 2], "s2_work": [3, 3]})
    result = stage_reached(mini_template(), answers)
    assert [s.meets_bar for s in result.steps[:2]] == [True, True]
    assert (result.steps[1].mean, result.steps[1].min_cell) == (3.0, 2.0)
    assert result.stage == 2 and result.met_above == []
    assert [s.cells_total for s in result.steps] == [3, 3, 0, 0, 0]


def test_one_cell_below_min_fails_a_high_mean():
    # step 2: 4, 4, 1.5 -> mean 3.17 >= 3 but one cell < 2
    answers = answers_from({"s1_comm": [3, 3], "s1_info": [3, 3], "s1_work": [3, 3],
                            "s2_comm": [4, 4], "s2_info": [4, 4], "s2_work": [1, 2]})
    result = stage_reached(mini_template(), answers)
    assert result.steps[1].mean == pytest.approx(19 / 6)
    assert not result.steps[1].meets_bar and result.stage == 1
    # with a configurable bar that accepts 1.5 the step passes
    assert stage_reached(mini_template(), answers, Bar(mean=3.0, min_cell=1.5)).stage == 2


def test_a_lower_step_below_the_bar_holds_the_stage_and_the_higher_one_is_shown():
    # step 1: 3, 3, 2.5 -> 2.83 < 3; step 2 all 3
    answers = answers_from({"s1_comm": [3], "s1_info": [3], "s1_work": [2.5],
                            "s2_comm": [3], "s2_info": [3], "s2_work": [3]})
    with pytest.raises(WorkbenchError):  # 2.5 is not a valid rating
        stage_reached(mini_template(), answers)
    answers = answers_from({"s1_comm": [3, 3], "s1_info": [3, 3], "s1_work": [2, 3],
                            "s2_comm": [3], "s2_info": [3], "s2_work": [3]})
    result = stage_reached(mini_template(), answers)
    assert not result.steps[0].meets_bar and result.steps[1].meets_bar
    # steps may be stopped at, not skipped: step 2 meets the bar on its own but does not count
    assert (result.stage, result.met_above, result.first_unmet) == (0, [2], 1)


def test_stage_is_the_top_of_the_unbroken_run_from_step_1():
    ladder = next(t for t in builtin_templates() if t.id == "maturity_ladder")
    level = {1: 4, 2: 3, 3: 1, 4: 3, 5: 4}
    answers = {"R1": {q.id: level[q.group.step] for q in ladder.questions() if q.group}}
    result = stage_reached(ladder, answers)
    assert [s.meets_bar for s in result.steps] == [True, True, False, True, True]
    assert (result.stage, result.met_above, result.first_unmet) == (2, [4, 5], 3)


def test_a_cell_without_answers_blocks_the_step():
    answers = answers_from({"s1_comm": [4], "s1_info": [4], "s1_work": [None]})
    result = stage_reached(mini_template(), answers)
    step1 = result.steps[0]
    assert (step1.cells_answered, step1.meets_bar, result.stage) == (2, False, 0)


def test_gaps_ranked_with_ties_and_unanswered_cells_last():
    # step 2 cells: comm 1.5 (short 1.5), info 2 (short 1), work 2 (short 1) -> tie by order
    answers = answers_from({"s2_comm": [1, 2], "s2_info": [2, 2], "s2_work": [3, 1],
                            "s1_comm": [None, None]})
    found = gaps(mini_template(), answers, target_step=2, from_step=2)
    assert [(g.rank, g.foundation, g.shortfall) for g in found] == [
        (1, "communication_systems", 1.5), (2, "information_sharing", 1.0),
        (3, "working_climate", 1.0)]
    assert [g.below_min_cell for g in found] == [True, False, False]
    step1 = gaps(mini_template(), answers, target_step=1)
    assert [(g.foundation, g.mean, g.shortfall) for g in step1] == [
        ("communication_systems", None, None), ("information_sharing", None, None),
        ("working_climate", None, None)]
    at_bar = answers_from({"s2_comm": [3], "s2_info": [4], "s2_work": [3]})
    assert gaps(mini_template(), at_bar, target_step=2, from_step=2) == []
    # by default gaps start at the first step not reached: step 1, unrated, comes first
    both = gaps(mini_template(), answers, target_step=2)
    assert [(g.step, g.mean is None) for g in both] == [(1, True)] * 3 + [(2, False)] * 3
    assert [g.rank for g in both] == [1, 2, 3, 4, 5, 6]


def test_gaps_cover_every_step_from_the_first_unmet_one_to_the_target_in_order():
    ladder = next(t for t in builtin_templates() if t.id == "maturity_ladder")
    level = {1: 3, 2: 2, 3: 1, 4: 0, 5: 3}
    answers = {"R1": {q.id: level[q.group.step] for q in ladder.questions() if q.group},
               "R2": {q.id: level[q.group.step] for q in ladder.questions() if q.group}}
    answers["R2"]["s3_working_climate"] = 0  # step 3: climate 0.5, the rest 1
    answers["R1"]["s2_roles_responsibilities"] = None  # measured from R2 alone: still 2
    del answers["R2"]["s4_information_sharing"]
    answers["R1"]["s4_information_sharing"] = None  # step 4: one cell nobody rated
    assert stage_reached(ladder, answers).stage == 1
    found = gaps(ladder, answers, target_step=5)
    assert {g.step for g in found} == {2, 3, 4}  # step 5 meets the bar cell by cell
    assert [g.step for g in found] == sorted(g.step for g in found)
    step3 = [g for g in found if g.step == 3]
    assert step3[0].foundation == "working_climate" and step3[0].shortfall == 2.5
    assert [g.foundation for g in step3[1:]] == [f for f in FOUNDATIONS if f != "working_climate"]
    step4 = [g for g in found if g.step == 4]
    assert step4[-1].foundation == "information_sharing" and step4[-1].mean is None
    assert all(g.mean == 0 for g in step4[:-1])
    assert [g.rank for g in found] == list(range(1, 22))
    assert gaps(ladder, answers, target_step=3) == found[:14]
    assert gaps(ladder, answers, target_step=1) == []  # the target is already reached


def test_chosen_target_step_tie_goes_to_lower_step():
    t = mini_template()
    assert chosen_target_step(t, answers_from({"target": ["3", "2", "3", "2", "5"]})) == 2
    assert chosen_target_step(t, answers_from({"target": ["3", "3", None]})) == 3
    assert chosen_target_step(t, {"R0": {}}) is None


def test_disagreement_needs_a_real_split_not_one_outlier():
    answers = answers_from({
        "s1_comm": [1, 1, 3, 3],        # two against two, 2 levels apart: a split
        "s1_info": [0, 3, 3, 3, 3],     # one outlier: not a split
        "s1_work": [2, 3, 4],           # too few answers for two on each side
        "s2_comm": [0, 0, 4, 4, 4, 2],  # 4 apart
        "s2_info": [1, 2, 2, 3],        # 2nd lowest 2, 2nd highest 2: no split
    })
    found = disagreements(mini_template(), answers)
    assert [(d.question_id, d.levels_apart) for d in found] == [("s2_comm", 4), ("s1_comm", 2)]
    assert (found[1].low, found[1].high, found[1].n) == (1, 3, 4)
    assert (found[0].lowest, found[0].highest) == (0, 4)
    # the rule is configurable: one leader on each side is the old "any spread" rule
    loose = disagreements(mini_template(), answers, min_levels=2, min_each_side=1)
    assert {d.question_id for d in loose} == {"s1_comm", "s1_info", "s1_work", "s2_comm",
                                              "s2_info"}
    assert [d.question_id for d in disagreements(mini_template(), answers, min_levels=3)] == [
        "s2_comm"]


def test_target_votes_count_staying_as_step_0():
    t = mini_template()
    answers = answers_from({"target": ["0", "0", "2", None]})
    assert target_votes(t, answers) == {0: 2, 2: 1}
    assert chosen_target_step(t, answers) == 0


def test_round_change_per_cell():
    before = answers_from({"s1_comm": [1, 2], "s1_info": [3, 3]})
    after = answers_from({"s1_comm": [3, 3], "s1_info": [2, 3], "s2_comm": [4]})
    changes = {c.question_id: c for c in round_change(mini_template(), before, after)}
    assert changes["s1_comm"].delta == 1.5
    assert changes["s1_info"].delta == -0.5
    assert (changes["s2_comm"].before, changes["s2_comm"].after, changes["s2_comm"].delta) == (
        None, 4.0, None)


def group_answers(sizes: dict[str, int]) -> tuple[dict, dict]:
    answers, group_of = {}, {}
    for group, size in sizes.items():
        for i in range(size):
            answers[f"{group}{i}"] = {"s1_comm": i % 5}
            group_of[f"{group}{i}"] = group
    return answers, group_of


def test_small_groups_hidden_with_complementary_suppression():
    t = mini_template()
    answers, group_of = group_answers({"A": 6, "B": 5, "C": 2})
    figures = group_figures(t, answers, group_of)
    # C (2) alone could be derived from the total minus A and B, so B (smallest) goes too
    assert figures.hidden == ["B", "C"] and list(figures.stats) == ["A"]
    assert figures.stats["A"]["s1_comm"].n == 6
    answers, group_of = group_answers({"A": 6, "B": 5, "C": 2, "D": 3})
    assert group_figures(t, answers, group_of).hidden == ["C", "D"]  # 2 + 3 >= 5 together
    answers, group_of = group_answers({"A": 5, "B": 5})
    figures = group_figures(t, answers, group_of)
    assert figures.hidden == [] and figures.sizes == {"A": 5, "B": 5}
    assert figures.stats["A"]["s1_info"] is None  # nobody answered: suppressed, not shown as 0
    with pytest.raises(WorkbenchError):
        group_figures(t, answers, group_of, min_group_size=2)


def test_a_question_too_few_answered_in_one_group_is_hidden_in_the_next_one_too():
    """Overall figure minus the shown groups' must never cover fewer than the minimum."""
    t = mini_template()
    answers, group_of = group_answers({"A": 8, "B": 6, "C": 5})
    for code in ("A0", "A1", "A2", "A3", "A4"):  # only 3 people of A answer s1_comm
        del answers[code]["s1_comm"]
    figures = group_figures(t, answers, group_of)
    assert figures.hidden == []
    # A's three answers alone would be the overall minus B and C; C (5) goes with them
    assert figures.stats["A"]["s1_comm"] is None and figures.stats["C"]["s1_comm"] is None
    assert figures.stats["B"]["s1_comm"].n == 6
    # the hidden groups' answers count too: D (2 people) pooled with C, but only D answered
    answers, group_of = group_answers({"A": 6, "B": 7, "C": 5, "D": 2})
    for code in ("C0", "C1", "C2", "C3", "C4"):
        del answers[code]["s1_comm"]
    figures = group_figures(t, answers, group_of)
    assert figures.hidden == ["C", "D"]
    assert figures.stats["A"]["s1_comm"] is None  # 2 + 6 >= 5 left out together
    assert figures.stats["B"]["s1_comm"].n == 7


def test_respondents_without_group_form_their_own_group():
    answers, group_of = group_answers({"A": 5})
    answers |= {"X1": {"s1_comm": 4}}
    figures = group_figures(mini_template(), answers, group_of, min_group_size=3)
    assert figures.hidden == ["(no group)", "A"]


def test_builtin_ladder_grid_and_stage():
    ladder = next(t for t in builtin_templates() if t.id == "maturity_ladder")
    answers = {"R1": {q.id: (3 if q.group.step <= 3 else 1)
                      for q in ladder.questions() if q.group}}
    answers["R1"]["target_step"] = "4"
    grid = maturity_grid(ladder, answers)
    assert len(grid) == 35
    assert stage_reached(ladder, answers).stage == 3
    assert len(gaps(ladder, answers, chosen_target_step(ladder, answers))) == 7
