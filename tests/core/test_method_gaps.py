"""The method's gaps from every questionnaire: ladder cells of every step up to the target,
rated items, choice levels, importance weights, steering by value kind, agreed values; the
disagreement setting; one truth for the target step."""

from __future__ import annotations

import pytest

from workbench.core.method.gaps import (
    Gap,
    assessment_gaps,
    gap_items,
    importance_ids,
    item_label,
    project_gaps,
)
from workbench.core.method.rounds import Round, latest_rounds
from workbench.core.method.settings import (
    DISAGREEMENT_SETTING,
    DisagreementRule,
    disagreement_rule,
)
from workbench.core.method.target import target_step
from workbench.core.questionnaire import rounds as R
from workbench.core.questionnaire.loader import builtin_templates
from workbench.core.questionnaire.schema import Template, validate_template_data

BUILTIN = {t.id: t for t in builtin_templates()}
NON_LADDER = ("org_design", "customer_learning", "insight_to_action")

# the gap items the method spec lists for the three non-ladder templates
SPEC_ITEMS = {
    "org_design": {
        *(f"{k}_current" for k in (
            "customers_offer", "journey_needs", "designed_experience", "skills_systems",
            "collaboration_mechanisms", "quality_productivity_measures",
            "continuous_improvement", "data_driven_decisions", "incentives",
            "values_behaviours", "leaders")),
        "experience_focus", "single_view", "transparency", "engagement", "legacy_mindsets",
        "relationship_metrics", "value_agreement", "shared_accountability",
        "common_way_of_working", "cco_owner"},
    "customer_learning": {
        "communications", "core_competency", "performance_management", "recruitment",
        "recognition", "learning_events", "search_relationships", "create_relationships",
        "scale_relationships", "less_is_more", "value_kind", "human_and_ai",
        "non_customer_incubation"},
    "insight_to_action": {
        "democratised", "say_vs_do", "silent_signals", "power_to_act", "insight_timing",
        "chosen_service_level"},
}


def a_round(template: Template, answers: dict, agreed: dict | None = None) -> Round:
    return Round(1, "Round", template, answers, agreed or {})


def lowest_answer(question) -> object:
    """The answer that gives the lowest level (0)."""
    if question.kind == "single_choice":
        return min(question.levels, key=question.levels.get)
    return 1 if question.kind == "scale_1_5" else 0


def by_source(gaps: list[Gap]) -> dict[str, Gap]:
    return {g.source: g for g in gaps}


@pytest.mark.parametrize("template_id", NON_LADDER)
def test_every_gap_item_of_the_builtin_templates_yields_a_gap_when_rated_lowest(template_id):
    template = BUILTIN[template_id]
    items = gap_items(template)
    assert {q.id for q in items} == SPEC_ITEMS[template_id]
    answers = {"L1": {q.id: lowest_answer(q) for q in items},
               "L2": {q.id: lowest_answer(q) for q in items}}
    found = assessment_gaps({template_id: a_round(template, answers)}, target_step=5, stage=0)
    assert {g.source for g in found} == {f"{template_id}:{q}" for q in SPEC_ITEMS[template_id]}
    lowest = {f"{template_id}:{q.id}": min(q.levels.values()) if q.levels else 0 for q in items}
    assert all(g.mean == lowest[g.source] and g.shortfall == 3 - g.mean and g.step is None
               for g in found)
    assert sum(v != 0 for v in lowest.values()) <= 1  # only value_kind starts at level 1
    assert [g.rank for g in found] == list(range(1, len(found) + 1))
    for gap in found:  # readable labels, never the raw id or a cut-off question
        assert gap.label and "_" not in gap.label and not gap.label.endswith("…")
        assert len(gap.label) <= 45


def test_importance_questions_weigh_their_item_and_are_no_gaps_themselves():
    template = BUILTIN["org_design"]
    assert {q.weighs for q in template.questions() if q.weighs} == {
        i for i in SPEC_ITEMS["org_design"] if i.endswith("_current")}
    assert all(q.id not in importance_ids(template) for q in gap_items(template))
    plain = {"L1": {"incentives_current": 2, "leaders_current": 1}}
    found = assessment_gaps({"org_design": a_round(template, plain)}, 5, 0)
    assert [g.item_id for g in found] == ["leaders_current", "incentives_current"]
    assert [g.weight for g in found] == [1.0, 1.0]
    # leaders call incentives critical (5 and 5) and leadership minor (1 and 2): rank changes
    weighed = {"L1": {**plain["L1"], "incentives_importance": 5, "leaders_importance": 1},
               "L2": {"incentives_importance": 5, "leaders_importance": 2}}
    found = assessment_gaps({"org_design": a_round(template, weighed)}, 5, 0)
    assert [g.item_id for g in found] == ["incentives_current", "leaders_current"]
    incentives, leaders = found
    assert incentives.weight == pytest.approx(5 / 3)
    assert leaders.weight == pytest.approx(1.5 / 3)
    assert incentives.priority == pytest.approx(1 * 5 / 3)
    assert leaders.priority == pytest.approx(2 * 0.5)


def test_choice_levels_produce_gaps_from_the_mean_level():
    template = BUILTIN["insight_to_action"]
    answers = {"L1": {"insight_timing": "quarterly", "chosen_service_level": "good"},
               "L2": {"insight_timing": "weeks", "chosen_service_level": "none"},
               "L3": {"insight_timing": "moment", "chosen_service_level": "basic"}}
    found = by_source(assessment_gaps({"insight_to_action": a_round(template, answers)}, 5, 0))
    timing = found["insight_to_action:insight_timing"]
    assert timing.mean == pytest.approx((1 + 2 + 4) / 3)
    assert timing.shortfall == pytest.approx(3 - 7 / 3)
    assert found["insight_to_action:chosen_service_level"].mean == pytest.approx(2)
    chosen = {"L1": {"insight_timing": "days", "chosen_service_level": "exceptional"}}
    assert assessment_gaps({"insight_to_action": a_round(template, chosen)}, 5, 0) == []


def test_scale_items_are_placed_on_0_to_4():
    template = BUILTIN["insight_to_action"]
    answers = {"L1": {"power_to_act": 2}, "L2": {"power_to_act": 3}}
    [gap] = assessment_gaps({"insight_to_action": a_round(template, answers)}, 5, 0)
    assert (gap.source, gap.mean, gap.shortfall) == ("insight_to_action:power_to_act", 1.5, 1.5)
    assert gap.label == "Frontline power to act"


def test_functional_value_weighs_the_relationships_first_items_more():
    template = BUILTIN["customer_learning"]
    ratings = {"search_relationships": 1, "recognition": 1}
    mixed = {"L1": {**ratings, "value_kind": "mixed"}, "L2": {"value_kind": "functional"}}
    functional = {"L1": {**ratings, "value_kind": "functional"},
                  "L2": {"value_kind": "functional"}, "L3": {"value_kind": "mixed"}}
    before = by_source(assessment_gaps({"customer_learning": a_round(template, mixed)}, 5, 0))
    after = by_source(assessment_gaps({"customer_learning": a_round(template, functional)}, 5,
                                      0))
    search, recognition = "customer_learning:search_relationships", "customer_learning:recognition"
    assert before[search].weight == 1.0 and after[search].weight == 1.5
    assert before[recognition].weight == after[recognition].weight == 1.0
    assert after[search].rank < after[recognition].rank
    assert after[search].label == "Searching for new relationships"


def test_ladder_cells_count_from_the_first_unmet_step_to_the_target():
    ladder = BUILTIN["maturity_ladder"]
    level = {1: 3, 2: 2, 3: 2, 4: 1, 5: 0}
    answers = {"L1": {q.id: level[q.group.step] for q in ladder.questions() if q.group}}
    found = assessment_gaps({"maturity_ladder": a_round(ladder, answers)}, target_step=4,
                            stage=1)
    assert sorted({g.step for g in found}) == [2, 3, 4]
    assert len(found) == 21
    # step 4 cells (shortfall 2) first; equal priority keeps ladder order (step, foundation)
    assert [g.step for g in found] == [4] * 7 + [2] * 7 + [3] * 7
    assert found[0].source == "maturity_ladder:s4_communication_systems"
    assert found[0].label == "Step 4 · Communication systems"
    assert found[7].label == "Step 2 · Communication systems"


def test_agreed_values_size_the_gap():
    template = BUILTIN["org_design"]
    answers = {"L1": {"transparency": 3, "cco_owner": "cco"},
               "L2": {"transparency": 3, "cco_owner": "cco"}}
    assert assessment_gaps({"org_design": a_round(template, answers)}, 5, 0) == []
    agreed = {"transparency": 1, "cco_owner": "nobody"}
    found = by_source(assessment_gaps({"org_design": a_round(template, answers, agreed)}, 5, 0))
    assert found["org_design:transparency"].mean == 1 and found["org_design:transparency"].agreed
    assert found["org_design:cco_owner"].mean == 0 and found["org_design:cco_owner"].agreed
    assert found["org_design:transparency"].label == "Transparency and honesty"


def test_labels_fall_back_to_the_text_before_a_colon_or_a_shortened_text():
    template = Template.model_validate({"id": "own", "version": 1, "title": "Own", "sections": [
        {"id": "s", "title": "S", "questions": [
            {"id": "a", "kind": "scale_1_5", "text": "Openness: do we share bad news early?"},
            {"id": "b", "kind": "scale_1_5", "text": "How " + "very " * 20 + "good are we?"},
        ]}]})
    labels = [item_label(q) for q in template.questions()]
    assert labels[0] == "Openness" and labels[1].endswith("…") and len(labels[1]) <= 60


def test_levels_and_weighs_are_checked_with_their_location():
    def issues(question_extra: dict, extra_questions: tuple = ()) -> list:
        data = {"id": "t", "version": 1, "title": "T", "sections": [{"id": "s", "title": "S",
                "questions": [
                    {"id": "rate", "kind": "rating_0_4", "text": "Rate?",
                     "anchors": ["a", "b", "c", "d", "e"]},
                    {"id": "pick", "kind": "single_choice", "text": "Pick?",
                     "options": ["x", "y"]},
                    {"id": "imp", "kind": "scale_1_5", "text": "Important?"},
                    *extra_questions]}]}
        data["sections"][0]["questions"][question_extra.pop("at")].update(question_extra)
        return [(i.loc, i.kind) for i in validate_template_data(data)[1]]

    assert issues({"at": 1, "levels": {"x": 4, "y": 0}}) == []
    assert issues({"at": 1, "levels": {"x": 5}}) == [
        (("sections", 0, "questions", 1, "levels"), "invalid_value")]
    assert issues({"at": 1, "levels": {"z": 1}}) == [
        (("sections", 0, "questions", 1, "levels"), "invalid_value")]
    assert issues({"at": 0, "levels": {"1": 1}}) == [
        (("sections", 0, "questions", 0, "levels"), "invalid_value")]
    assert issues({"at": 2, "weighs": "rate"}) == []
    weighs_loc = ("sections", 0, "questions", 2, "weighs")
    assert issues({"at": 2, "weighs": "nothing"}) == [(weighs_loc, "unknown_question")]
    assert issues({"at": 2, "weighs": "pick"}) == [(weighs_loc, "wrong_kind")]
    assert issues({"at": 0, "weighs": "imp"}) == [
        (("sections", 0, "questions", 0, "weighs"), "wrong_kind")]
    second = ({"id": "imp2", "kind": "scale_1_5", "text": "Again?", "weighs": "rate"},)
    assert issues({"at": 2, "weighs": "rate"}, second) == [
        (("sections", 0, "questions", 3, "weighs"), "duplicate_id")]


def test_the_yaml_loader_points_at_the_line_of_a_bad_level(tmp_path):
    from workbench.core.questionnaire.loader import check_template
    from workbench.paths import templates_dir

    text = (templates_dir() / "insight_to_action.yaml").read_text()
    bad = text.replace("          weeks: 2\n", "          weeks: 9\n")
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    [problem] = check_template(path)
    line = bad.splitlines().index("          weeks: 9") + 1
    assert "levels run from 0 to 4" in problem.message
    assert problem.row is not None and problem.row <= line


def test_disagreement_rule_setting_with_defaults(project):
    assert disagreement_rule(project) == DisagreementRule(2, 2)
    project.settings.set(DISAGREEMENT_SETTING, {"min_levels": 3, "min_each_side": 1})
    assert disagreement_rule(project) == DisagreementRule(3, 1)
    project.settings.set(DISAGREEMENT_SETTING, {"min_levels": "lots", "min_each_side": 0})
    assert disagreement_rule(project) == DisagreementRule(2, 2)
    assert "2 leaders on each side, 2 or more levels apart" in DisagreementRule().describe()


def test_one_target_step_across_services_and_the_report(demo):
    from workbench.core.report.assemble import build_report_data

    ladder_id = max(r.id for r in demo.assessments.rounds()
                    if r.template.key == "maturity_ladder")
    for step in (1, 4):
        demo.engagement.update(target_step=step)
        target = target_step(demo)
        findings = R.round_findings(demo, ladder_id)
        data = build_report_data(demo)
        assert target.step == findings.target_step == data.engagement.target_step == step
        assert target.stage == findings.stage.stage == data.engagement.stage_reached
        assert target.leaders_choice == findings.leaders_choice == data.engagement.leaders_choice
        assert sum(target.votes.values()) >= 1
        gaps = project_gaps(demo)
        assert [g.source for g in data.top_gaps] == [g.source for g in gaps[:len(data.top_gaps)]]
        assert all(g.step is None or target.stage < g.step <= step for g in gaps)
    assert set(latest_rounds(demo)) >= {"maturity_ladder", "org_design"}


def test_target_step_without_a_ladder_round(project):
    project.engagement.update(target_step=3)
    target = target_step(project)
    assert (target.step, target.stage, target.leaders_choice, target.votes) == (3, 0, None, {})
    assert target.choice_note() == ""


def test_stop_reasons_are_joined_and_staying_is_a_choice(project):
    ladder = BUILTIN["maturity_ladder"]
    round_id = R.start_round(project, ladder, "Ladder")
    for code, reason in (("A", "Results are good enough"), ("B", "Other priorities first"),
                         ("C", None)):
        rid = project.assessments.add_respondent(round_id, code)
        given = {"target_step": "0" if reason else "2"}
        if reason:
            given["stop_reason"] = reason
        project.assessments.set_answers(rid, given)
    project.engagement.update(target_step=2)
    target = target_step(project)
    assert (target.leaders_choice, target.votes) == (0, {0: 2, 2: 1})
    assert target.stop_reason == "Results are good enough; Other priorities first"
    assert target.choice_note() == ("Most leaders chose to stay where the organisation is; the "
                                    "engagement aims at step 2 — change it in Engagement.")
