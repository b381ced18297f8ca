"""Completed assessment rounds for the demo engagement: leaders who disagree in places."""

from __future__ import annotations

import random
from typing import Any

from workbench.core.project import Project
from workbench.core.questionnaire import Question, Template, builtin_templates

REMARKS = (
    "Good intentions, but it depends on a few individuals.",
    "We talk about it in meetings; little changes afterwards.",
    "Strong in Sales, much weaker in the back office.",
    "Customer Service sees the problems first and is rarely asked.",
    "We measure what is easy to count, not what customers value.",
    "Finance is not part of these conversations yet.",
)


def _level(value: float, low: int, high: int) -> int:
    return int(min(max(round(value), low), high))


def _answer(question: Question, leader: dict, recipe: dict, rng: random.Random,
            target_question: str | None) -> Any:
    optimism = leader["optimism"]
    if question.kind == "rating_0_4":
        base = 2.0
        if question.group is not None:
            base = recipe["maturity_baseline"][question.group.step]
            if question.group.foundation in recipe["contested_foundations"]:
                base += 1.2 if optimism > 0.3 else -0.9
        return _level(base + 0.6 * optimism + rng.gauss(0, 0.45), 0, 4)
    if question.kind == "scale_1_5":
        return _level(3.4 + 0.5 * optimism + rng.gauss(0, 0.6), 1, 5)
    values = [o.value for o in question.options]
    if question.id == target_question:
        return rng.choices(values, weights=[1, 2, 8, 3, 1, 0][: len(values)])[0]
    if question.kind == "single_choice":
        return rng.choice(values)
    if question.kind == "multiple_choice":
        return sorted(rng.sample(values, rng.randint(1, min(2, len(values)))))
    if question.kind == "ranking":
        return rng.sample(values, len(values))
    if question.kind == "number":
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 100
        return round(rng.uniform(low, high))
    return rng.choice(REMARKS)


def answer_template(template: Template, leader: dict, recipe: dict,
                    rng: random.Random) -> dict[str, Any]:
    """One leader's answers to every question they would see (branching honoured)."""
    answers: dict[str, Any] = {}
    for question in template.questions():
        if template.is_visible(question, answers):
            answers[question.id] = _answer(question, leader, recipe, rng,
                                           template.scoring.target_question)
    return answers


def add_demo_rounds(project: Project, recipe: dict, heads: dict[str, str],
                    rng: random.Random) -> None:
    """Add one completed round per built-in template, answered by the recipe's leaders."""
    people = {p.id: p for p in project.people.list()}
    for template in builtin_templates():
        template_id = project.assessments.store_template(
            template.id, template.version, template.title, template.model_dump_json())
        round_id = project.assessments.add_round(template_id, f"{template.title} — baseline",
                                                 recipe["engagement"]["start_date"])
        for leader in recipe["leaders"]:
            head = people.get(heads.get(leader["department"], ""))
            rid = project.assessments.add_respondent(
                round_id, leader["code"], name=head.name if head else leader["name"],
                role=leader["role"], department=leader["department"])
            answers = answer_template(template, leader, recipe, rng)
            project.assessments.set_answers(rid, answers, label=f"Answers of {leader['code']}")
        project.assessments.set_round_status(round_id, "closed")
