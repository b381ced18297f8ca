"""Customer evidence beside the leaders' ratings: what customers report against what leaders say.

Each customer measure kind relates to assessed items of the built-in questionnaires
(:data:`MEASURE_ITEMS`: ladder cells, essentials, insight-to-action and customer-learning
items); the table is data, so a consultant can read and change it in one place. For each
segment and measure kind the latest figure (highest period, then the last entered) stands
beside the leaders' rating of its items: each item's level is its mean over the leaders who
answered it in the latest round of its questionnaire (a value a workshop agreed on stands for
the answers), and the rating is the mean of the item levels found.

Verdict (the words of say vs show, :mod:`workbench.core.plan.evidence`):

* the figure *meets* its target when it is at or better than it (higher is better for
  satisfaction, lower for the others: :data:`~workbench.core.learning.model.MEASURE_KINDS`);
* a rating of :data:`HIGH_RATING` or more with the target missed: leaders overrate;
* a rating below :data:`LOW_RATING` with the target met: leaders underrate;
* otherwise aligned; with no target or no rating: insufficient data.

A measure relates to a ladder step through the ladder cells among its items; those rows are
the customer column of that step's say vs show (:func:`with_customer`).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from workbench.core.learning.model import MEASURE_KINDS, CustomerMeasure
from workbench.core.plan.evidence import ALIGNED, INSUFFICIENT, OVERRATE, UNDERRATE
from workbench.core.wording import count_of

if TYPE_CHECKING:
    from workbench.core.method.rounds import Round
    from workbench.core.plan.evidence import StepEvidence
    from workbench.core.project import Project

HIGH_RATING = 3.0  # "established" on the 0..4 scale, the default bar
LOW_RATING = 2.0   # below "developing"

# measure kind -> (how the figure is named, the assessed items it tests)
MEASURE_ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "satisfaction": ("customer satisfaction", (
        "org_design:experience_focus",
        "org_design:designed_experience_current",
        "maturity_ladder:s3_performance_measures",
        "maturity_ladder:s5_information_sharing",
    )),
    "effort": ("customer effort", (
        "org_design:journey_needs_current",
        "org_design:single_view",
        "maturity_ladder:s2_collaborative_work_processes",
    )),
    "complaints unresolved": ("complaints unresolved after 30 days", (
        "maturity_ladder:s1_collaborative_work_processes",
        "insight_to_action:power_to_act",
        "org_design:transparency",
    )),
    "churn": ("customers lost or lapsed", (
        "insight_to_action:silent_signals",
        "org_design:engagement",
        "org_design:relationship_metrics",
        "maturity_ladder:s5_performance_measures",
    )),
    "silent customers": ("customers who stopped buying without complaining", (
        "insight_to_action:silent_signals",
        "insight_to_action:say_vs_do",
        "maturity_ladder:s2_information_sharing",
    )),
}


@dataclass(frozen=True)
class RatedItem:
    """One assessed item and the leaders' level of it (None: nobody rated it)."""

    ref: str
    label: str
    mean: float | None
    n: int
    step: int | None  # the ladder step of a ladder cell


@dataclass(frozen=True)
class EvidenceRow:
    """A segment's customer figure beside the leaders' rating of the items it tests."""

    segment: str
    kind: str
    value: float
    unit: str
    period: str
    target: float | None
    items: tuple[RatedItem, ...]
    verdict: str
    finding: str

    @property
    def label(self) -> str:
        return MEASURE_ITEMS.get(self.kind, (self.kind, ()))[0]

    @property
    def meets(self) -> bool | None:
        """Whether the figure meets its target (None: no target)."""
        return None if self.target is None else meets_target(self.kind, self.value,
                                                             self.target)

    @property
    def rating(self) -> float | None:
        means = [i.mean for i in self.items if i.mean is not None]
        return statistics.fmean(means) if means else None

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(sorted({i.step for i in self.items if i.step is not None}))

    @property
    def customer_text(self) -> str:
        """"complaints unresolved after 30 days: 41 % (target 15 %, 2026-Q3)"."""
        extra = [f"target {amount(self.target, self.unit)}"] if self.target is not None else []
        extra += [self.period] if self.period else []
        tail = f" ({', '.join(extra)})" if extra else ""
        return f"{self.label}: {amount(self.value, self.unit)}{tail}"

    @property
    def rating_text(self) -> str:
        """"leaders rate these 3.4 of 4 (Designed experience 3.6, ...)"."""
        rated = [i for i in self.items if i.mean is not None]
        if not rated:
            return "no leader has rated the related items"
        parts = ", ".join(f"{i.label} {i.mean:.1f}" for i in rated)
        return f"leaders rate {'it' if len(rated) == 1 else 'these'} {self.rating:.1f} of 4 " \
               f"({parts})"


def amount(value: float, unit: str) -> str:
    """A figure with its unit: "41 %", "7.2 score 0-10"."""
    number = f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{number} %" if unit.strip() == "%" else f"{number} {unit}".strip()


def meets_target(kind: str, value: float, target: float) -> bool:
    """Whether ``value`` is at or better than ``target`` (direction from MEASURE_KINDS)."""
    return value >= target if MEASURE_KINDS.get(kind, True) else value <= target


def latest_measures(measures: Sequence[CustomerMeasure]) -> list[CustomerMeasure]:
    """The latest figure per segment and kind (highest period, then highest id), by segment
    and in the order of MEASURE_KINDS."""
    latest: dict[tuple[str, str], CustomerMeasure] = {}
    for m in sorted(measures, key=lambda m: (m.period, m.id)):
        latest[(m.segment, m.kind)] = m
    order = {k: n for n, k in enumerate(MEASURE_KINDS)}
    return sorted(latest.values(), key=lambda m: (m.segment, order.get(m.kind, len(order)),
                                                  m.kind))


def rated_items(refs: Sequence[str], rounds: Mapping[str, Round]) -> tuple[RatedItem, ...]:
    """The leaders' level of each item (see the module notes); an item of a questionnaire
    without a round has no level."""
    from workbench.core.method.gaps import item_label, item_level
    from workbench.core.method.rounds import with_agreed
    from workbench.core.plan import library

    found = []
    for ref in refs:
        template_id, _, question_id = ref.partition(":")
        round_ = rounds.get(template_id)
        question = next((q for q in round_.template.questions() if q.id == question_id),
                        None) if round_ is not None else None
        if round_ is None or question is None:
            found.append(RatedItem(ref, library.item_label(ref), None, 0,
                                   library.cell_step(ref)))
            continue
        answers, _agreed = with_agreed(round_, [question_id])
        n = sum(question.level_of(a.get(question_id)) is not None for a in answers.values())
        found.append(RatedItem(ref, item_label(question), item_level(question, answers), n,
                               question.group.step if question.group is not None else None))
    return tuple(found)


def beside_ratings(measures: Sequence[CustomerMeasure], rounds: Mapping[str, Round]
                   ) -> list[EvidenceRow]:
    """Each segment's latest figure per kind beside the leaders' ratings of its items, with
    a verdict (see the module notes); ``rounds``: template id -> its latest round."""
    cache: dict[str, tuple[RatedItem, ...]] = {}
    rows = []
    for m in latest_measures(measures):
        if m.kind not in cache:
            cache[m.kind] = rated_items(MEASURE_ITEMS.get(m.kind, ("", ()))[1], rounds)
        row = EvidenceRow(m.segment, m.kind, m.value, m.unit, m.period, m.target,
                          cache[m.kind], INSUFFICIENT, "")
        verdict, finding = _verdict(row)
        rows.append(replace(row, verdict=verdict, finding=finding))
    return rows


def _verdict(row: EvidenceRow) -> tuple[str, str]:
    rating, meets = row.rating, row.meets
    if row.target is None and rating is None:
        return INSUFFICIENT, ("Neither a target for this figure nor a leaders' rating of what "
                              "it tests exists yet.")
    if row.target is None:
        return INSUFFICIENT, (f"No target is set for {row.label} in {row.segment}, so the "
                              "figure cannot confirm or contradict the leaders: agree the "
                              "service level to deliver first.")
    if rating is None:
        return INSUFFICIENT, (f"No leader has rated the practices behind {row.label} yet, so "
                              "there is nothing to set the figure against.")
    gap = (f"{amount(abs(row.value - row.target), '')} percentage points"
           if row.unit.strip() == "%" else amount(abs(row.value - row.target), row.unit))
    if rating >= HIGH_RATING and not meets:
        return OVERRATE, (f"Leaders rate the practices {rating:.1f}, yet {row.segment} "
                          f"customers are {gap} short of the target: ask for recent cases "
                          "before building on these practices.")
    if rating < LOW_RATING and meets:
        return UNDERRATE, (f"{row.segment} customers already get what the target asks while "
                           f"leaders rate the practices only {rating:.1f}: find out what "
                           "works there before changing it.")
    if meets:
        return ALIGNED, (f"The target is met in {row.segment} and leaders rate the practices "
                         f"{rating:.1f}: customers and leaders agree.")
    return ALIGNED, (f"Leaders see room to improve ({rating:.1f}) and {row.segment} "
                     f"customers confirm it: {gap} short of the target.")


def evidence_beside_ratings(project: Project) -> list[EvidenceRow]:
    """:func:`beside_ratings` for the project's customer measures and latest rounds."""
    from workbench.core.method.rounds import latest_rounds

    return beside_ratings(project.learning.data().measures, latest_rounds(project))


def customer_lines(rows: Sequence[EvidenceRow], step: int) -> tuple[str, ...]:
    """The customer column of a step's say vs show: one line per measure kind testing a
    ladder cell of ``step``, its segments' figures and how their verdicts fall: "Complaints
    unresolved after 30 days: Households 18 % (target 10 %), Small business 41 % (target
    15 %): leaders overrate in 2 of 2 segments."."""
    lines = []
    for kind in dict.fromkeys(r.kind for r in rows if step in r.steps):
        found = [r for r in rows if r.kind == kind and step in r.steps]
        units = {r.unit.strip() for r in found}
        shared = units.pop() if len(units) == 1 and "%" not in units else ""
        figures = ", ".join(f"{r.segment} {amount(r.value, '' if shared else r.unit)}" + (
            f" (target {amount(r.target, '' if shared else r.unit)})"
            if r.target is not None else "") for r in found)
        verdicts = Counter(r.verdict for r in found)
        if len(found) == 1:
            fall = found[0].verdict
        else:
            fall = "; ".join(f"{verdict} in {count_of(n, len(found), 'segment')}"
                             for verdict, n in verdicts.most_common())
        label = found[0].label + (f" ({shared})" if shared else "")
        lines.append(f"{label[:1].upper()}{label[1:]}: {figures}: {fall}.")
    return tuple(lines)


def with_customer(evidence: Sequence[StepEvidence], rows: Sequence[EvidenceRow]
                  ) -> list[StepEvidence]:
    """``evidence`` with each step's customer column filled from ``rows``."""
    return [replace(e, customer=customer_lines(rows, e.step)) for e in evidence]
