"""The demo engagement's customer-learning lab, from ``resources/demo/learning.yaml``.

The texts come from the resource; who received and who can act, the dates and the yes/no
answers are drawn here from the resource's own seed (the rest of the demo's draws stay as they
were). Two patterns are planted for the findings to discover:

* Customer Service receives most insights, but each needs another department to act: its
  insights pass a gatekeeper more often, are rarely acted on, and then only after weeks;
* partner insights never reach action.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML

from workbench.core.learning.model import MEASURE_KINDS, InsightDraft, MeasureDraft
from workbench.core.model import Person
from workbench.core.project import Project
from workbench.paths import resource

RESOURCE = "demo/learning.yaml"
SLOW_DEPARTMENT = "Customer Service"  # hears most, can act on none of it
PERIOD = "2026-Q3"
UNITS = {"satisfaction": "score 0-10", "effort": "score 1-7"}  # the others are percentages


def add_demo_learning(project: Project, people: Sequence[Person]) -> None:
    """Fill the lab of the demo ``project`` (one undo step) from the resource."""
    data = YAML(typ="safe").load(resource(RESOURCE).read_text(encoding="utf-8"))
    rng = random.Random(data["seed"])
    by_role = {p.role: p.id for p in people if p.role.startswith(("Head of", "Chief"))}
    insights = _insights(data, people, rng)
    with project.edit("Demo customer-learning lab"):
        project.learning.import_insights(insights)
        for spec in data["experiments"]:
            changes = [{**c, "owner": by_role.get(c["owner"], c["owner"])}
                       for c in spec.get("changes", ())]
            project.learning.add_experiment(**{**spec, "owner": by_role[spec["owner"]],
                                               "changes": changes})
        project.learning.replace_measures(_measures(data))
        journey = data["journey"]
        for stage in journey["stages"]:
            fields = {k: v for k, v in stage.items() if k != "name"}
            fields["owner"] = by_role.get(fields.get("owner", ""), fields.get("owner", ""))
            project.learning.add_stage(journey["segment"], stage["name"], **fields)


def _insights(data: dict[str, Any], people: Sequence[Person],
              rng: random.Random) -> list[InsightDraft]:
    start, end = (dt.date.fromisoformat(str(d)) for d in data["window"])
    span = (end - start).days
    frontline: dict[str, list[str]] = {}
    deciders: dict[str, list[str]] = {}
    for p in people:
        if p.role.startswith("Head of") or p.role == "Team lead":
            deciders.setdefault(p.department, []).append(p.id)
        if p.customer_facing or p.role == "Specialist":
            frontline.setdefault(p.department, []).append(p.id)
    drafts = []
    for spec in data["insights"]:
        slow = spec["heard"] == SLOW_DEPARTMENT
        acted = "action" in spec
        days = (rng.randint(34, 96) if slow else rng.randint(1, 21)) if acted else 0
        received = start + dt.timedelta(days=rng.randint(0, span - days))
        receiver = rng.choice(frontline[spec["heard"]])
        actor = rng.choice(deciders[spec["acts"]])  # the receiver, now and then, in one team
        told: bool | None = rng.random() < (0.3 if slow else 0.7) if acted else False
        if rng.random() < 0.08:
            told = None  # nobody remembers
        drafts.append(InsightDraft(
            spec["src"], spec["seg"], spec["text"], received, receiver, actor,
            action_taken=spec.get("action", ""),
            acted_on=received + dt.timedelta(days=days) if acted else None,
            result=spec.get("result", ""), loop_closed=told,
            via_gatekeeper=rng.random() < (0.75 if slow else 0.1)))
    return sorted(drafts, key=lambda d: d.received_on)


def _measures(data: dict[str, Any]) -> list[MeasureDraft]:
    return [MeasureDraft(segment, kind, float(value), UNITS.get(kind, "%"), PERIOD,
                         data["measure_sources"][kind], float(target))
            for segment, figures in data["measures"].items()
            for kind, (value, target) in zip(MEASURE_KINDS, figures, strict=True)]
