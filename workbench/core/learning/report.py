"""The customer-learning lab as the deliverables show it: findings, log figures, experiments,
customer evidence and journeys, with people and free text already as privacy shows them.

Built once per deliverable by :func:`learning_report` from the same :class:`ShownPeople` as
the rest of the report (pseudonyms when privacy is on); the insight log itself is not
listed, only its figures, so no insight names its receiver in a deliverable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from workbench.core.learning.evidence import EvidenceRow, beside_ratings
from workbench.core.learning.findings import LearningFinding, findings_of
from workbench.core.learning.metrics import (
    HandoffCheck,
    InsightMetrics,
    ReachFigures,
    handoff_ties,
    insight_metrics,
    receivers_vs_actors,
)
from workbench.core.learning.model import EXPERIMENT_STAGES, Experiment, JourneyStage

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.method.rounds import Round
    from workbench.core.model import Person
    from workbench.core.privacy import ShownPeople
    from workbench.core.project import Project
    from workbench.core.report.network_story import PeopleWords


@dataclass(frozen=True)
class JourneyLine:
    """One stage of a journey, with the network check of its hand-off when it breaks."""

    stage: JourneyStage
    joining: int | None = None     # ties between the two departments (breaking hand-offs)
    touching: int | None = None
    expected: float | None = None
    barely_tied: bool = False


@dataclass(frozen=True)
class LearningReport:
    """What the deliverables show of the lab (see the module notes)."""

    findings: tuple[LearningFinding, ...] = ()  # person ids as the deliverable shows them
    metrics: InsightMetrics | None = None   # None: nothing logged
    reach: ReachFigures | None = None       # pairs carry the ids as the report shows them
    experiments: tuple[Experiment, ...] = ()
    evidence: tuple[EvidenceRow, ...] = ()
    journeys: tuple[tuple[str, tuple[JourneyLine, ...]], ...] = ()  # (segment, stages)

    @property
    def empty(self) -> bool:
        return not (self.metrics or self.experiments or self.evidence or self.journeys)

    def by_stage(self) -> list[tuple[str, list[Experiment]]]:
        """Experiments per stage, in pipeline order (stages without any left out)."""
        return [(stage, found) for stage in EXPERIMENT_STAGES
                if (found := [e for e in self.experiments if e.stage == stage])]


def learning_report(project: Project, people: list[Person], shown: ShownPeople,
                    words: PeopleWords, rounds: dict[str, Round],
                    graph: nx.Graph | None) -> LearningReport:
    """The lab of ``project`` for a deliverable: ``words`` and ``shown`` show people as the
    rest of the deliverable does; ``rounds``: template id -> latest round; ``graph``: the main
    network (:func:`~workbench.core.learning.findings.learning_graph`)."""
    data = project.learning.data()
    by_id = {p.id: p for p in people}
    reach = receivers_vs_actors(data.insights, graph)
    stages = [s for found in data.journeys.values() for s in found]
    checks = {c.stage.id: c for c in handoff_ties(stages, graph)}
    journeys = tuple(
        (segment, tuple(_journey_line(_shown_stage(s, shown), checks.get(s.id)) for s in found))
        for segment, found in data.journeys.items())
    return LearningReport(
        findings=tuple(replace(f, person_ids=tuple(shown.id(p) for p in f.person_ids))
                       for f in findings_of(data, people, graph, words)),
        metrics=insight_metrics(data.insights, by_id) if data.insights else None,
        reach=replace(reach, pairs=tuple(replace(p, receiver=shown.id(p.receiver),
                                                 actor=shown.id(p.actor))
                                         for p in reach.pairs)),
        experiments=tuple(_shown_experiment(e, shown) for e in data.experiments),
        evidence=tuple(beside_ratings(data.measures, rounds)),
        journeys=journeys)


def _journey_line(stage: JourneyStage, check: HandoffCheck | None) -> JourneyLine:
    if check is None:
        return JourneyLine(stage)
    return JourneyLine(stage, check.joining, check.touching, check.expected, check.barely_tied)


def _owner(text: str, shown: ShownPeople) -> str:
    """An owner field (a roster id, a name or a role) as the deliverable shows owners."""
    person = shown.resolve(text)
    return shown.label(person, owner=True) if person is not None else shown.owner(text)


def _shown_stage(stage: JourneyStage, shown: ShownPeople) -> JourneyStage:
    scrub = shown.scrub
    return replace(stage, owner=_owner(stage.owner, shown), need=scrub(stage.need),
                   feeling=scrub(stage.feeling), interaction=scrub(stage.interaction),
                   channel=scrub(stage.channel), enablers=scrub(stage.enablers),
                   quality_measure=scrub(stage.quality_measure),
                   productivity_measure=scrub(stage.productivity_measure),
                   handoff_break=scrub(stage.handoff_break))


def _shown_experiment(e: Experiment, shown: ShownPeople) -> Experiment:
    return replace(e, owner=_owner(e.owner, shown), title=shown.scrub(e.title),
                   early_adopters=shown.scrub(e.early_adopters),
                   pilot_measures=shown.scrub(e.pilot_measures),
                   business_case=shown.scrub(e.business_case),
                   changes=tuple(replace(c, change=shown.scrub(c.change),
                                         owner=_owner(c.owner, shown)) for c in e.changes))


def _days(days: float | None) -> str:
    return "nothing acted on yet" if days is None else f"{days:g} days"


def log_facts(report: LearningReport) -> list[tuple[str, str]]:
    """(label, sentence) of the log's figures, as every deliverable states them."""
    from workbench.core.network.explain import percent
    from workbench.core.wording import count, count_of

    m = report.metrics
    if m is None:
        return []
    facts = [
        ("Insights logged", f"{count(m.insights, 'insight')}, of which {m.acted:,} acted on"
         + (f" ({percent(m.share_acted)})" if m.share_acted is not None else "") + "."),
        ("Median days to action", _days(m.median_days).capitalize() + " from receiving an "
         "insight to acting on it." if m.median_days is not None else
         "Not measured: no insight has been acted on yet."),
        ("Customers told", f"{count_of(m.closed, m.closed_known, 'acted insight')} with the "
         "answer recorded closed the loop with the customer"
         + (f" ({percent(m.share_closed)})." if m.share_closed is not None else ".")),
        ("Through a gatekeeper", f"{count_of(m.gatekeeper, m.gatekeeper_known, 'insight')} "
         "with the route recorded passed a gatekeeper before reaching someone who can act"
         + (f" ({percent(m.share_gatekeeper)})." if m.share_gatekeeper is not None else ".")),
    ]
    reach = report.reach
    if reach is not None and reach.measured:
        from workbench.core.learning.metrics import FAR

        untied = f", {reach.not_tied} of them with no path at all" if reach.not_tied else ""
        facts.append(("Receivers and those who act", f"Of {count(reach.measured, 'insight')} "
                      "whose receiver and whoever can act are both on the network, "
                      f"{reach.far} join people {FAR} or more ties apart{untied}."))
    elif reach is not None:
        facts.append(("Receivers and those who act", "Not measured: no insight has both its "
                      "receiver and whoever can act among the people of the network."))
    return facts


def handoff_text(line: JourneyLine) -> str:
    """"Sales to Operations: <where it breaks>. 2 of 310 ties join them (random mixing: about
    27)." ("" when the hand-off holds)."""
    s = line.stage
    if not s.handoff_break.strip():
        return f"{s.handoff_from} to {s.handoff_to}: holds." if s.handoff_from and \
            s.handoff_to else ""
    text = (f"{s.handoff_from or '?'} to {s.handoff_to or '?'}: {s.handoff_break.strip()}"
            .rstrip("."))
    if line.joining is not None and line.expected is not None:
        text += (f". {line.joining:,} of their {line.touching:,} ties join the two departments "
                 f"(random mixing: about {line.expected:.0f})")
        if line.barely_tied:
            text += ": barely tied"
    return text + "."
