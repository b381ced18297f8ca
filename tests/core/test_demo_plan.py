"""The demo's 100-day plan carries a measure and evidence for every action, as in the recipe."""

from __future__ import annotations

from workbench.core.demo import load_recipe


def test_every_demo_action_has_the_recipe_measure_and_evidence(demo):
    recipe = load_recipe()["plan"]["actions"]
    (plan,) = demo.plans.plans()
    stored = demo.plans.actions(plan.id)
    assert len(stored) == len(recipe) == 8
    by_title = {a.title: a for a in stored}
    for entry in recipe:
        action = by_title[entry["title"]]
        assert action.measure.strip() and action.evidence.strip()
        assert (action.measure, action.evidence) == (entry["measure"], entry["evidence"])
    assert len({a.measure for a in stored}) == len(stored)  # each action measured its own way
