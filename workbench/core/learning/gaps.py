"""Gaps read from the insight-to-action log, so the plan answers what the log shows.

Each item below is placed on the 0..4 scale of the questionnaires and is a gap when it falls
below the bar (:attr:`~workbench.core.questionnaire.schema.Bar.mean`, 3 by default), exactly as
a rated item is (:mod:`workbench.core.method.gaps`). Gap sources are ``insight_log:<item>``;
library actions serve them through ``applies_to`` like any other item.

* ``days_to_action``: the median days from insight to action on the anchors of the question
  "How soon does insight reach the people in contact with customers?" (:data:`DAY_LEVELS`: at
  most 1 day 4, a week 3, a month 2, a quarter 1, longer 0);
* ``every_source_acted``: 4 x the share acted of the weakest source among those with
  :data:`~workbench.core.learning.metrics.MIN_INSIGHTS` or more insights (0 when one source
  never reaches action);
* ``loop_closed``: 4 x the share of acted insights whose customer was told;
* ``receivers_can_act``: 4 x the share the department receiving most acts on itself;
* ``direct_route``: 4 x the share of insights that reach someone able to act without a
  gatekeeper.

An item needs :data:`MIN_LOGGED` insights in the log to count; otherwise it gives no gap. A log
gap weighs :data:`LOG_WEIGHT`: the log records a few months of one practice, where each rated
item carries the leaders' considered view, so a log item at level 0 ranks beside a rated item
1.5 points below the bar.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from workbench.core.learning.metrics import (
    MIN_INSIGHTS,
    NO_DEPARTMENT,
    OFF_ROSTER,
    SLOW_DAYS,
    InsightMetrics,
    insight_metrics,
)
from workbench.core.method.gaps import Gap

if TYPE_CHECKING:
    from workbench.core.learning.model import Insight
    from workbench.core.model import Person
    from workbench.core.project import Project

LOG_TEMPLATE = "insight_log"
MIN_LOGGED = 10
LOG_WEIGHT = 0.5
DAY_LEVELS = ((1, 4.0), (SLOW_DAYS, 3.0), (30, 2.0), (92, 1.0))  # at most so many days -> level


def _days_level(m: InsightMetrics) -> float | None:
    if m.median_days is None:
        return None
    return next((level for days, level in DAY_LEVELS if m.median_days <= days), 0.0)


def _weakest_source(m: InsightMetrics) -> float | None:
    shares = [f.share_acted for f in m.by_source if f.received >= MIN_INSIGHTS]
    return 4.0 * min(s for s in shares if s is not None) if shares else None


def _scaled(share: float | None) -> float | None:
    return None if share is None else 4.0 * share


def _receiver_acts(m: InsightMetrics) -> float | None:
    top = next((d for d in m.by_department if d.department not in (OFF_ROSTER, NO_DEPARTMENT)),
               None)
    return None if top is None else _scaled(top.own_share)


def _direct(m: InsightMetrics) -> float | None:
    share = m.share_gatekeeper
    return None if share is None else 4.0 * (1.0 - share)


# item -> (label, level of the log's figures)
LOG_ITEMS: dict[str, tuple[str, Callable[[InsightMetrics], float | None]]] = {
    "days_to_action": ("Days from customer insight to action", _days_level),
    "every_source_acted": ("Every insight source reaches action", _weakest_source),
    "loop_closed": ("Customers hear what changed", lambda m: _scaled(m.share_closed)),
    "receivers_can_act": ("Those who receive insight can act on it", _receiver_acts),
    "direct_route": ("Insight reaches who can act without a gatekeeper", _direct),
}


def log_gaps(insights: Sequence[Insight], people_by_id: Mapping[str, Person],
             bar: float = 3.0) -> list[Gap]:
    """The log's items below ``bar``, unranked, in the order of :data:`LOG_ITEMS`."""
    if len(insights) < MIN_LOGGED:
        return []
    m = insight_metrics(insights, people_by_id)
    found = []
    for item, (label, level_of) in LOG_ITEMS.items():
        level = level_of(m)
        if level is not None and level < bar - 1e-9:
            found.append(Gap(f"{LOG_TEMPLATE}:{item}", label, None, level, bar - level,
                             LOG_WEIGHT))
    return found


def learning_gaps(project: Project) -> list[Gap]:
    """:func:`log_gaps` of the project's insight-to-action log against the ladder's bar."""
    from workbench.core.method.rounds import ladder_round
    from workbench.core.questionnaire.schema import Bar

    insights = project.learning.data().insights
    if len(insights) < MIN_LOGGED:
        return []
    ladder = ladder_round(project)
    bar = ladder.template.scoring.bar if ladder is not None else Bar()
    return log_gaps(insights, {p.id: p for p in project.people.list()}, bar.mean)
