"""The demo's 100-day plan carries a measure and evidence for every action, as in the recipe."""

from __future__ import annotations

from workbench.core.demo import build_demo, load_recipe
from workbench.core.project import Project


def test_every_demo_action_has_the_recipe_measure_and_evidence(tmp_path):
    path = tmp_path / "demo.owb"
    build_demo(path)
    recipe = load_recipe()["plan"]["actions"]
    with Project.open(path) as project:
        (plan,) = project.plans.plans()
        stored = project.plans.actions(plan.id)
    assert len(stored) == len(recipe) == 8
    by_title = {a.title: a for a in stored}
    for entry in recipe:
        action = by_title[entry["title"]]
        assert action.measure.strip() and action.evidence.strip()
        assert (action.measure, action.evidence) == (entry["measure"], entry["evidence"])
    assert len({a.measure for a in stored}) == len(stored)  # each action measured its own way
