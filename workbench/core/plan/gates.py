"""Step gates: at the end of each step's 100-day window the client decides how to go on.

A gate records the value the step created, the ratings and network measures before and after
(a *snapshot*), who decided and the decision:

* ``continue``: the next step's window starts the day after the decision;
* ``repeat``: the step gets one more 100-day window (from the day after the decision) before
  the next step;
* ``stop``: the engagement stops at this step; nothing is planned after it.

A step's gate may be decided again later (after a repeat window, or to go on after a stop):
the newer decision applies, and the earlier ones stay on record, oldest first, in
:attr:`GateDecision.earlier`; each earlier *repeat* keeps its window in the schedule.

The ladder's steps may be stopped at but not skipped, so the next step waits for its gate: an
action of step ``s`` cannot be set to "In progress" or "Done" while a lower step of the same
plan has actions and no ``continue`` decision (:func:`gate_blocker`), and a step's gate can only
be recorded once every lower planned step has passed its own (:func:`gate_refusal`).

This module imports nothing heavy at load time: the scheduler and the plan service use it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.method.rounds import Round
    from workbench.core.model import NetworkInfo, Person
    from workbench.core.project import Project
    from workbench.core.services.assessments import RoundInfo

CONTINUE, REPEAT, STOP = "continue", "repeat", "stop"
DECISIONS = (CONTINUE, REPEAT, STOP)
STATUSES = ("Not started", "In progress", "Done", "Blocked", "Dropped")  # of an action
STARTED_STATUSES = ("In progress", "Done")  # what a step may not reach before its gate allows
CUSTOMER_TIE_TYPES = ("customer_insight", "extra_mile")


@dataclass(frozen=True)
class DecisionRecord:
    """One decision taken at a step's gate: what, when, by whom and the value named."""

    decision: str  # one of DECISIONS
    decided_on: dt.date
    decided_by: str = ""
    value_created: str = ""

    def to_json(self) -> dict[str, str]:
        return {"decision": self.decision, "decided_on": self.decided_on.isoformat(),
                "decided_by": self.decided_by, "value_created": self.value_created}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DecisionRecord:
        return cls(str(data["decision"]), dt.date.fromisoformat(str(data["decided_on"])),
                   str(data.get("decided_by") or ""), str(data.get("value_created") or ""))


@dataclass(frozen=True)
class GateDecision:
    """The gate decision recorded at the end of ``step``'s window (the one that applies);
    ``earlier`` holds the decisions it replaced at the same gate, oldest first."""

    step: int
    decision: str  # one of DECISIONS
    decided_on: dt.date
    value_created: str = ""
    decided_by: str = ""
    snapshot: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    earlier: tuple[DecisionRecord, ...] = ()

    @property
    def passed(self) -> bool:
        """True when the next step may go ahead (the decision is ``continue``)."""
        return self.decision == CONTINUE

    @property
    def record(self) -> DecisionRecord:
        """This decision without its step, snapshot and history."""
        return DecisionRecord(self.decision, self.decided_on, self.decided_by,
                              self.value_created)

    @property
    def decisions(self) -> tuple[DecisionRecord, ...]:
        """Every decision taken at this gate, oldest first (this one last)."""
        return (*self.earlier, self.record)


def superseding(previous: GateDecision | None, gate: GateDecision) -> GateDecision:
    """``gate`` as recorded over ``previous`` (the step's gate so far, None when undecided).

    The previous decision moves into the history, after its own earlier ones; the very same
    decision recorded again (same decision, date, decider and value) adds nothing to it.
    """
    if previous is None:
        return gate
    earlier = previous.earlier
    if previous.record != gate.record:
        earlier = (*earlier, previous.record)
    return replace(gate, earlier=earlier)


def _gate_wait(step: int, lower: int, gate: GateDecision | None) -> str:
    if gate is None:
        return f"Step {step} waits for the step {lower} gate: record the gate decision first."
    if gate.decision == STOP:
        return (f"Step {step} waits for the step {lower} gate, which decided to stop there: "
                f"record a new step {lower} gate decision first.")
    return (f"Step {step} waits for the step {lower} gate, which decided to repeat step "
            f"{lower}: record the gate decision after the repeat first.")


def gate_blocker(step: int | None, planned_steps: Iterable[int | None],
                 gates: Mapping[int, GateDecision]) -> str | None:
    """Why an action of ``step`` may not start yet, or None when it may.

    ``planned_steps`` are the steps of the plan's actions. Every lower step that has actions
    needs a gate decided ``continue``; the lowest one that has not is named.
    """
    if step is None:
        return None
    for lower in sorted({s for s in planned_steps if s is not None and s < step}):
        gate = gates.get(lower)
        if gate is None or not gate.passed:
            return _gate_wait(step, lower, gate)
    return None


def gate_refusal(step: int, decision: str, decided_by: str,
                 planned_steps: Iterable[int | None],
                 gates: Mapping[int, GateDecision]) -> str | None:
    """Why a gate decision cannot be recorded (None when it can)."""
    if decision not in DECISIONS:
        return (f"Unknown gate decision {decision!r}: choose continue, repeat or stop.")
    if not 1 <= step <= 5:
        return "The step must be between 1 and 5."
    if not decided_by.strip():
        return "Say who decided at the gate."
    for lower in sorted({s for s in planned_steps if s is not None and s < step}):
        gate = gates.get(lower)
        if gate is None:
            return (f"The step {step} gate comes after the step {lower} gate: record the "
                    f"step {lower} gate decision first.")
        if not gate.passed:
            return _gate_wait(step, lower, gate)
    return None


def due_gate(planned_steps: Iterable[int | None],
             gates: Mapping[int, GateDecision]) -> int | None:
    """The step whose gate is due: the lowest planned step without a ``continue`` decision
    (None when every planned step has passed its gate)."""
    return min((s for s in set(planned_steps) if s is not None
                and not (s in gates and gates[s].passed)), default=None)


# -- snapshot --------------------------------------------------------------------------------

def gate_snapshot(project: Project, step: int) -> dict[str, Any]:
    """What the gate looks at, before and after, as plain JSON-ready data.

    ``ratings``: the step's mean ladder rating (0..4, the mean of its cells' means; a value a
    workshop agreed on stands for a cell instead of the individual ratings) in the earliest and
    the latest round of a questionnaire that rates ladder cells (by date, then as started).
    ``network``: from the earliest and the latest dated networks, the overall E-I index of the
    main network (collaboration, advice or information ties; -1 all ties inside departments, +1
    all across), its tie count and coordinator candidates, and from the customer-insight
    network the share of its ties that cross departments and the customer champions.
    ``insights``: the insight-to-action log (:mod:`workbench.core.learning.metrics`) split at
    the start of the step's window: insights received before it (*before*) and from it on
    (*after*), each with the number of insights, the median days to action, the share acted
    and the share of acted insights whose customer was told (loop closed); without a plan
    start the whole log is *after*. A side is None when there is nothing to measure; before
    and after are the same round or network when there is only one.
    """
    rounds = _ladder_rounds(project)
    ratings = {"before": _round_rating(rounds[0], step) if rounds else None,
               "after": _round_rating(rounds[-1], step) if rounds else None}
    networks = [n for n in project.networks.list() if n.date is not None and n.tie_count]
    main = sorted((n for n in networks if n.type not in CUSTOMER_TIE_TYPES),
                  key=lambda n: (n.date, n.id))
    customer = sorted((n for n in networks if n.type in CUSTOMER_TIE_TYPES),
                      key=lambda n: (n.date, n.id))
    people = project.people.list() if networks else []
    network: dict[str, Any] = {}
    for side, index in (("before", 0), ("after", -1)):
        figures: dict[str, Any] = {}
        if main:
            figures.update(_main_figures(project, people, main[index]))
        if customer:
            figures.update(_customer_figures(project, people, customer[index]))
        network[side] = figures or None
    return {"step": step, "ratings": ratings, "network": network,
            "insights": _insight_figures(project, step)}


def _insight_figures(project: Project, step: int) -> dict[str, Any]:
    from workbench.core.learning.metrics import insight_metrics
    from workbench.core.plan.apply import window_of

    insights = project.learning.data().insights
    window = window_of(project, step)
    begin = window[0] if window is not None else None
    sides = {"before": [i for i in insights if begin is not None and i.received_on < begin],
             "after": [i for i in insights if begin is None or i.received_on >= begin]}
    people = {p.id: p for p in project.people.list()} if insights else {}
    figures: dict[str, Any] = {}
    for side, chosen in sides.items():
        m = insight_metrics(chosen, people)
        figures[side] = {
            "insights": m.insights, "window_start": begin.isoformat() if begin else None,
            "median_days": m.median_days,
            "share_acted": None if m.share_acted is None else round(m.share_acted, 3),
            "share_loop_closed": None if m.share_closed is None else round(m.share_closed, 3),
        } if chosen else None
    return figures


def _ladder_rounds(project: Project) -> list[tuple[RoundInfo, Round]]:
    """Rounds of questionnaires that rate ladder cells, earliest first."""
    from workbench.core.method.rounds import Round, is_ladder
    from workbench.core.questionnaire.schema import Template

    templates: dict[int, Template] = {}
    found = []
    for info in sorted(project.assessments.rounds(), key=lambda r: (r.date or dt.date.min, r.id)):
        if info.template.id not in templates:
            templates[info.template.id] = Template.model_validate_json(
                project.assessments.template_source(info.template.id))
        if is_ladder(templates[info.template.id]):
            found.append((info, Round(info.id, info.name, templates[info.template.id],
                                      project.assessments.answers(info.id),
                                      project.assessments.consensus(info.id))))
    return found


def _round_rating(found: tuple[RoundInfo, Round], step: int) -> dict[str, Any]:
    from workbench.core.method.rounds import with_agreed
    from workbench.core.questionnaire.scoring import maturity_grid

    info, round_ = found
    answers, _agreed = with_agreed(round_)
    means = [s.mean for (cell_step, _f), s in maturity_grid(round_.template, answers).items()
             if cell_step == step and s.mean is not None]
    leaders = [code for code, given in round_.answers.items()
               if any(v is not None for v in given.values())]
    return {"round": info.name, "date": info.date.isoformat() if info.date else None,
            "mean": round(statistics.fmean(means), 2) if means else None,
            "leaders": len(leaders)}


def _graph(project: Project, people: list[Person], info: NetworkInfo) -> nx.Graph:
    from workbench.core.network.graph import build_graph

    return build_graph(people, project.networks.ties(info.id), directed=info.directed)


def _main_figures(project: Project, people: list[Person], info: NetworkInfo) -> dict[str, Any]:
    from workbench.core.network.communities import detect_communities
    from workbench.core.network.findings import Thresholds, candidate_teams, team_coordinators
    from workbench.core.network.graph import GraphArrays
    from workbench.core.network.groups import tie_counts

    G = _graph(project, people, info)
    arrays = GraphArrays.from_graph(G)
    counts = tie_counts(G, "department", arrays)
    total = int(counts.ties.sum())
    internal = int(counts.ties.trace())
    min_size = max(project.engagement.get().min_group_size, 3)
    teams = candidate_teams(G, arrays, detect_communities(G, arrays=arrays),
                            Thresholds(min_group_size=min_size))
    return {"network": info.name, "network_date": info.date.isoformat() if info.date else None,
            "ties": total,
            "overall_ei": round((total - 2 * internal) / total, 3) if total else None,
            "coordinator_candidates": len(team_coordinators(G, arrays, teams))}


def _customer_figures(project: Project, people: list[Person], info: NetworkInfo
                      ) -> dict[str, Any]:
    from workbench.core.network.findings import Thresholds, customer_champions

    G = _graph(project, people, info)
    ties = [(a, b) for a, b in G.edges() if a != b]
    crossing = sum(G.nodes[a].get("department") != G.nodes[b].get("department")
                   for a, b in ties)
    return {"customer_network": info.name,
            "customer_network_date": info.date.isoformat() if info.date else None,
            "customer_tie_share": round(crossing / len(ties), 3) if ties else None,
            "customer_champions": len(customer_champions(G, G, Thresholds()))}
