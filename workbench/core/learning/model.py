"""Plain records of the customer-learning lab (no storage, no Qt).

Dates are :class:`datetime.date`; an empty text is ``""``, an unknown yes/no is ``None``.
Person fields (``received_by``, ``can_act``, ``owner``) hold a roster id when the person is on
the roster, else the text as given (a role such as "Head of Service", or a name the roster does
not know); importers read such cells with
:class:`workbench.core.learning.insights_import.PersonCells`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbench.core.wording import count

# Where an insight came from (seed: insight to action).
INSIGHT_SOURCES = ("complaint", "survey", "frontline conversation", "data", "partner")
# Relationship experiments move search -> create -> scale, or stop (seed: relationships first).
EXPERIMENT_STAGES = ("search", "create", "scale", "stopped")
CONNECTS = ("customers", "non-customers", "partners")
VALUE_KINDS = ("functional", "life-changing")
SCALING_AREAS = ("mindsets", "structures", "incentives", "skills", "strategies")
DECISIONS = ("", "scale", "stop", "extend pilot")
# Customer measures per segment; ``higher_is_better`` decides the direction of a gap.
MEASURE_KINDS = {
    "satisfaction": True,            # e.g. CSAT or NPS-like score
    "effort": False,                 # customer effort score
    "complaints unresolved": False,  # share of complaints unresolved after 30 days
    "churn": False,                  # share of customers lost or lapsed in the period
    "silent customers": False,       # share who stopped buying without complaining
}


@dataclass(frozen=True)
class Insight:
    """One customer insight and what became of it."""

    id: int
    ref: str                       # "I-0001", stable, shown to users
    source: str                    # one of INSIGHT_SOURCES
    segment: str
    summary: str
    received_on: dt.date
    received_by: str               # person id or text
    can_act: str                   # person id or role text
    action_taken: str = ""
    acted_on: dt.date | None = None
    result: str = ""
    loop_closed: bool | None = None      # was the customer told what was done
    via_gatekeeper: bool | None = None   # did it pass through a gatekeeper before reaching can_act

    @property
    def acted(self) -> bool:
        return self.acted_on is not None

    @property
    def days_to_action(self) -> int | None:
        return (self.acted_on - self.received_on).days if self.acted_on else None


@dataclass(frozen=True)
class ScalingChange:
    """One change scaling an experiment needs, with its owner."""

    area: str                      # one of SCALING_AREAS
    change: str
    owner: str = ""


@dataclass(frozen=True)
class Experiment:
    """A relationship experiment in the search -> create -> scale pipeline."""

    id: int
    ref: str                       # "E-01"
    title: str
    stage: str                     # one of EXPERIMENT_STAGES
    connects: tuple[str, ...]      # subset of CONNECTS
    value_kind: str                # one of VALUE_KINDS
    early_adopters: str = ""
    pilot_measures: str = ""
    business_case: str = ""
    decision: str = ""             # one of DECISIONS
    decided_on: dt.date | None = None
    changes: tuple[ScalingChange, ...] = ()
    action_id: str = ""            # plan action it became ("A-0042"), "" when none
    owner: str = ""


@dataclass(frozen=True)
class CustomerMeasure:
    """One customer measure for one segment and period (customer evidence)."""

    id: int
    segment: str
    kind: str                      # one of MEASURE_KINDS
    value: float
    unit: str                      # "%", "score 0-10", "count" ...
    period: str = ""               # "2026-Q3"
    source: str = ""               # where the figure comes from
    target: float | None = None    # the service level the organisation chooses to deliver


@dataclass(frozen=True)
class JourneyStage:
    """One stage of a segment's customer journey on the canvas."""

    id: int
    segment: str
    position: int                  # 1-based order within the segment's journey
    name: str
    need: str = ""                 # what the customer needs here
    feeling: str = ""              # how the customer feels here
    interaction: str = ""          # the designed interaction
    channel: str = ""
    enablers: str = ""             # skills, systems and information needed
    quality_measure: str = ""
    productivity_measure: str = ""
    owner: str = ""
    handoff_from: str = ""         # department handing the customer over (into this stage)
    handoff_to: str = ""           # department taking over
    handoff_break: str = ""        # where and how the hand-off breaks; "" when it holds


@dataclass
class LearningData:
    """Everything of the lab in one project, as the views and reports read it."""

    insights: list[Insight] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)
    measures: list[CustomerMeasure] = field(default_factory=list)
    journeys: dict[str, list[JourneyStage]] = field(default_factory=dict)  # segment -> stages


# -- drafts: records on their way in (importers, the entry workbook), before the store gives them
# an id and a ref. Added by L1; the fields and their meaning are those of the records above.

@dataclass(frozen=True)
class InsightDraft:
    """An :class:`Insight` without id and ref."""

    source: str
    segment: str
    summary: str
    received_on: dt.date
    received_by: str
    can_act: str
    action_taken: str = ""
    acted_on: dt.date | None = None
    result: str = ""
    loop_closed: bool | None = None
    via_gatekeeper: bool | None = None

    @property
    def acted(self) -> bool:
        return self.acted_on is not None


@dataclass(frozen=True)
class MeasureDraft:
    """A :class:`CustomerMeasure` without id."""

    segment: str
    kind: str
    value: float
    unit: str
    period: str = ""
    source: str = ""
    target: float | None = None


@dataclass(frozen=True)
class ImportSummary:
    """What an import into the lab changed: rows ``added``, ``skipped`` because the log already
    held the same record, and ``removed`` (replaced); ``noun`` names the rows ("insight")."""

    noun: str
    added: int
    skipped: int = 0
    removed: int = 0

    def describe(self) -> str:
        parts = [f"{count(self.added, self.noun)} added"]
        if self.skipped:
            parts.append(f"{self.skipped} already there, skipped")
        if self.removed:
            parts.append(f"{self.removed} replaced")
        return "; ".join(parts)
