"""Figures of the insight-to-action log, by hand on a small log.

Every figure is computed over the insights given; an insight is *acted* when it has a date
acted on, and its *days to action* are that date less the date received.

* **Median days to action**: the median (:func:`statistics.median`: the mean of the two middle
  values for an even count) of days to action over the acted insights; None when none was
  acted. The same per source and per receiving department.
* **Share acted**: acted insights / all insights.
* **Share loop closed**: of the acted insights whose ``loop_closed`` is recorded, the share
  with the customer told (an unrecorded answer counts in neither part).
* **Share via gatekeeper**: of the insights whose ``via_gatekeeper`` is recorded, the share that
  passed one.
* **Sources never acted**: sources with at least one insight and no acted insight.
* **Receiving department**: the roster department of ``received_by`` (:data:`OFF_ROSTER` when
  the receiver is not a roster person, :data:`NO_DEPARTMENT` when their department is blank).
  For each department: insights received; of those, acted by its own people (``can_act`` is a
  roster person of the same department and the insight was acted), acted by someone else
  (another department or a role), and not acted; and how many insights name one of its people
  as the one who can act.
* **Receives but cannot act**: a department receiving at least :data:`RECEIVES_MUCH` of all
  insights whose own people acted on at most :data:`OWN_ACTION_AT_MOST` of what it received.

Network reach (:func:`receivers_vs_actors`): for each insight whose receiver and whoever can act
are both people of the network, the number of ties on the shortest path between them, ties
taken in either direction; 0 when it is the same person, None when no path joins them. A pair
is *far* at :data:`FAR` ties or more, or when no path joins them.

Hand-offs (:func:`handoff_ties`): for a journey stage whose hand-off breaks, the ties of the
network joining its two departments, against the ties touching either, and the number random
mixing would give: with ``a`` and ``b`` the two departments' shares of all tie ends, a tie joins
them with chance ``2ab``, so random mixing gives ``2ab`` x all ties. The two are *barely tied* when the joining ties are fewer than :data:`FEW_TIES_RATIO` of what random mixing gives.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.learning.model import INSIGHT_SOURCES, Insight, JourneyStage

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.model import Person

OFF_ROSTER = "(not on the roster)"
NO_DEPARTMENT = "(no department)"
RECEIVES_MUCH = 0.25
OWN_ACTION_AT_MOST = 0.2
FAR = 3
FEW_TIES_RATIO = 0.5
MIN_INSIGHTS = 3  # a source needs this many insights before "never acted" is said of it
SLOW_DAYS = 7  # a median above a week is slower than "within days" (insight_to_action)


@dataclass(frozen=True)
class Flow:
    """How a group of insights (a source, a department, all of them) fared."""

    name: str
    received: int
    acted: int
    median_days: float | None

    @property
    def share_acted(self) -> float | None:
        return self.acted / self.received if self.received else None


@dataclass(frozen=True)
class DepartmentFlow:
    """Who receives insights in one department against who can act on them."""

    department: str
    received: int
    acted_by_own: int       # acted, and whoever can act is one of its people
    acted_elsewhere: int    # acted, by another department or a role
    not_acted: int
    can_act: int            # insights (received anywhere) naming one of its people to act
    median_days: float | None

    @property
    def own_share(self) -> float | None:
        """Share of what it received that its own people acted on."""
        return self.acted_by_own / self.received if self.received else None


@dataclass(frozen=True)
class InsightMetrics:
    """The log's figures (see the module notes)."""

    insights: int
    acted: int
    median_days: float | None
    closed: int                  # acted with the customer told
    closed_known: int            # acted with loop_closed recorded
    gatekeeper: int              # passed a gatekeeper
    gatekeeper_known: int        # with via_gatekeeper recorded
    median_days_gatekeeper: float | None   # acted insights that passed a gatekeeper
    median_days_direct: float | None       # acted insights that did not
    by_source: tuple[Flow, ...]
    by_department: tuple[DepartmentFlow, ...]   # most received first
    never_acted: tuple[str, ...]                # sources with insights and no action
    cannot_act: tuple[str, ...]                 # departments that receive much, act little

    @property
    def share_acted(self) -> float | None:
        return self.acted / self.insights if self.insights else None

    @property
    def share_closed(self) -> float | None:
        return self.closed / self.closed_known if self.closed_known else None

    @property
    def share_gatekeeper(self) -> float | None:
        return self.gatekeeper / self.gatekeeper_known if self.gatekeeper_known else None

    def source(self, name: str) -> Flow | None:
        return next((f for f in self.by_source if f.name == name), None)

    def department(self, name: str) -> DepartmentFlow | None:
        return next((d for d in self.by_department if d.department == name), None)


def median_days(insights: Iterable[Insight]) -> float | None:
    """Median days to action of the acted insights among ``insights`` (None: none acted)."""
    days = [i.days_to_action for i in insights if i.days_to_action is not None]
    return float(statistics.median(days)) if days else None


def department_of(person: str, people_by_id: Mapping[str, Person]) -> str:
    """The roster department of a person field (see the module notes)."""
    found = people_by_id.get(person)
    if found is None:
        return OFF_ROSTER
    return found.department.strip() or NO_DEPARTMENT


def _flow(name: str, insights: Sequence[Insight]) -> Flow:
    return Flow(name, len(insights), sum(i.acted for i in insights), median_days(insights))


def insight_metrics(insights: Sequence[Insight],
                    people_by_id: Mapping[str, Person]) -> InsightMetrics:
    """The figures of the log (see the module notes)."""
    acted = [i for i in insights if i.acted]
    known_closed = [i for i in acted if i.loop_closed is not None]
    known_gate = [i for i in insights if i.via_gatekeeper is not None]
    sources: dict[str, list[Insight]] = {}
    for insight in insights:
        sources.setdefault(insight.source, []).append(insight)
    order = {s: n for n, s in enumerate(INSIGHT_SOURCES)}
    by_source = tuple(_flow(s, found) for s, found in
                      sorted(sources.items(), key=lambda kv: (order.get(kv[0], len(order)),
                                                              kv[0])))
    departments = _department_flows(insights, people_by_id)
    total = len(insights)
    cannot = tuple(d.department for d in departments
                   if d.department not in (OFF_ROSTER, NO_DEPARTMENT)
                   and d.received >= RECEIVES_MUCH * total
                   and (d.own_share or 0.0) <= OWN_ACTION_AT_MOST)
    return InsightMetrics(
        insights=total, acted=len(acted), median_days=median_days(acted),
        closed=sum(bool(i.loop_closed) for i in known_closed), closed_known=len(known_closed),
        gatekeeper=sum(bool(i.via_gatekeeper) for i in known_gate),
        gatekeeper_known=len(known_gate),
        median_days_gatekeeper=median_days(i for i in acted if i.via_gatekeeper),
        median_days_direct=median_days(i for i in acted if i.via_gatekeeper is False),
        by_source=by_source, by_department=departments,
        never_acted=tuple(f.name for f in by_source if f.received and not f.acted),
        cannot_act=cannot)


def _department_flows(insights: Sequence[Insight], people_by_id: Mapping[str, Person]
                      ) -> tuple[DepartmentFlow, ...]:
    received: dict[str, list[Insight]] = {}
    can_act: Counter[str] = Counter()
    for insight in insights:
        received.setdefault(department_of(insight.received_by, people_by_id), []).append(insight)
        if insight.can_act in people_by_id:
            can_act[department_of(insight.can_act, people_by_id)] += 1
    flows = []
    for department in set(received) | set(can_act):
        mine = received.get(department, [])
        own = sum(i.acted and i.can_act in people_by_id
                  and department_of(i.can_act, people_by_id) == department for i in mine)
        acted = sum(i.acted for i in mine)
        flows.append(DepartmentFlow(department, len(mine), own, acted - own, len(mine) - acted,
                                    can_act[department], median_days(mine)))
    return tuple(sorted(flows, key=lambda d: (-d.received, -d.can_act, d.department)))


# -- the network ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reach:
    """One insight's receiver and whoever can act, and the ties between them."""

    ref: str
    receiver: str
    actor: str
    distance: int | None    # None: no path joins them

    @property
    def far(self) -> bool:
        return self.distance is None or self.distance >= FAR


@dataclass(frozen=True)
class ReachFigures:
    """Network distance between receivers and those who can act (see the module notes)."""

    pairs: tuple[Reach, ...]    # insights with both people on the network, log order
    unmeasured: int             # insights where one side is not a person of the network

    @property
    def measured(self) -> int:
        return len(self.pairs)

    @property
    def far(self) -> int:
        return sum(p.far for p in self.pairs)

    @property
    def share_far(self) -> float | None:
        return self.far / self.measured if self.measured else None

    @property
    def not_tied(self) -> int:
        return sum(p.distance is None for p in self.pairs)

    def distances(self) -> dict[int | None, int]:
        """Distance -> insights at it (None: no path)."""
        return dict(Counter(p.distance for p in self.pairs))

    def far_receivers(self) -> list[tuple[str, int]]:
        """Receivers of far pairs with how many of their insights are far, most first."""
        found = Counter(p.receiver for p in self.pairs if p.far)
        return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))


def receivers_vs_actors(insights: Sequence[Insight], G: nx.Graph | None) -> ReachFigures:
    """The network distance between each insight's receiver and whoever can act on it
    (see the module notes); without a network nothing is measured."""
    import networkx as nx

    if G is None:
        return ReachFigures((), len(insights))
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    lengths: dict[str, dict[str, int]] = {}
    pairs = []
    for insight in insights:
        a, b = insight.received_by, insight.can_act
        if a not in G or b not in G:
            continue
        if a not in lengths:
            lengths[a] = dict(nx.single_source_shortest_path_length(undirected, a))
        pairs.append(Reach(insight.ref, a, b, lengths[a].get(b)))
    return ReachFigures(tuple(pairs), len(insights) - len(pairs))


@dataclass(frozen=True)
class HandoffCheck:
    """Whether the two departments of a breaking hand-off are tied in the network."""

    stage: JourneyStage
    joining: int                # ties between the two departments
    touching: int               # ties with at least one end in either
    expected: float | None      # joining ties random mixing would give; None: not measured

    @property
    def barely_tied(self) -> bool:
        return self.expected is not None and self.joining < FEW_TIES_RATIO * self.expected


def handoff_ties(stages: Iterable[JourneyStage], G: nx.Graph | None) -> list[HandoffCheck]:
    """For each stage whose hand-off breaks between two named departments, the ties of ``G``
    joining them (see the module notes); ``expected`` is None without a network or when
    either department has no tie on it."""
    breaking = [s for s in stages if s.handoff_break.strip() and s.handoff_from.strip()
                and s.handoff_to.strip()]
    if not breaking:
        return []
    department: dict[str, str] = {}
    ends: Counter[str] = Counter()
    pair_ties: Counter[frozenset[str]] = Counter()
    ties = 0
    if G is not None:
        department = {p: str(d).strip() for p, d in G.nodes(data="department", default="")}
        for u, v in G.edges():
            if u == v:
                continue
            ties += 1
            du, dv = department.get(u, ""), department.get(v, "")
            ends[du] += 1
            ends[dv] += 1
            pair_ties[frozenset((du, dv))] += 1
    checks = []
    for stage in breaking:
        x, y = stage.handoff_from.strip(), stage.handoff_to.strip()
        joining = pair_ties[frozenset((x, y))] if x != y else 0
        touching = sum(n for pair, n in pair_ties.items() if x in pair or y in pair)
        expected = None
        if ties and ends[x] and ends[y] and x != y:
            a, b = ends[x] / (2 * ties), ends[y] / (2 * ties)
            expected = 2 * a * b * ties
        checks.append(HandoffCheck(stage, joining, touching, expected))
    return checks
