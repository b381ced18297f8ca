"""Completed assessment rounds for the demo engagement (leaders who disagree in places)."""

from __future__ import annotations

import random

from workbench.core.project import Project


def add_demo_rounds(project: Project, recipe: dict, heads: dict[str, str],
                    rng: random.Random) -> None:
    """Add one completed round per built-in template, answered by the recipe's leaders."""
    try:
        from workbench.core.questionnaire.demo_answers import answer_template
        from workbench.core.questionnaire.loader import builtin_templates
    except ImportError:  # the questionnaire engine is not installed in this build
        return
    people = {p.id: p for p in project.people.list()}
    for template in builtin_templates():
        template_id = project.assessments.store_template(
            template.id, template.version, template.title, template.source_text)
        round_id = project.assessments.add_round(template_id, f"{template.title} — baseline",
                                                 recipe["engagement"]["start_date"])
        for leader in recipe["leaders"]:
            head = people.get(heads.get(leader["department"], ""))
            rid = project.assessments.add_respondent(
                round_id, leader["code"], name=head.name if head else leader["name"],
                role=leader["role"], department=leader["department"])
            answers = answer_template(template, leader, recipe, rng)
            project.assessments.set_answers(rid, answers, label=f"Answers of {leader['code']}")
