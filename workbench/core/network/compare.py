"""Comparisons: the same organisation at two dates, and the informal network vs reporting lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.network.metrics import MetricsResult, compute_metrics

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Mover:
    person: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class NetworkChange:
    """What changed between an earlier and a later network."""

    measure: str
    gained: list[tuple[str, str]]
    lost: list[tuple[str, str]]
    joined: list[str]
    left: list[str]
    risers: list[Mover]  # biggest increases first
    fallers: list[Mover]  # biggest decreases first


def compare_networks(
    before: nx.Graph,
    after: nx.Graph,
    metrics_before: MetricsResult | None = None,
    metrics_after: MetricsResult | None = None,
    measure: str = "betweenness",
    top: int = 10,
) -> NetworkChange:
    """Ties gained and lost, people who joined or left, and the ``top`` risers and fallers on
    ``measure`` among people present at both dates. Metrics are computed when not given."""
    metrics_before = metrics_before or compute_metrics(before)
    metrics_after = metrics_after or compute_metrics(after)
    old, new = set(before.edges()), set(after.edges())
    if not before.is_directed() or not after.is_directed():
        old = {tuple(sorted(edge)) for edge in old}
        new = {tuple(sorted(edge)) for edge in new}
    movers = []
    for person in before:
        if person in after:
            a = metrics_before.value(person, measure)
            b = metrics_after.value(person, measure)
            if a is not None and b is not None and a != b:
                movers.append(Mover(person, a, b))
    movers.sort(key=lambda m: (-m.change, m.person))
    return NetworkChange(
        measure, sorted(new - old), sorted(old - new),
        sorted(p for p in after if p not in before), sorted(p for p in before if p not in after),
        [m for m in movers if m.change > 0][:top],
        [m for m in reversed(movers) if m.change < 0][:top],
    )


@dataclass(frozen=True)
class FormalComparison:
    """How far the informal network (e.g. advice, customer insight) follows reporting lines."""

    ties: int
    outside_reporting_lines: int
    share_outside: float | None
    isolated_teams: list[str]  # managers whose team (them + direct reports) has no outside ties
    team_sizes: dict[str, int]  # manager -> people in the team, manager included


def informal_vs_formal(informal: nx.Graph, formal: nx.DiGraph) -> FormalComparison:
    """Share of informal ties that are not a manager-report pair, and isolated teams.

    Build ``informal`` with only the tie types of interest (``build_graph(..., tie_types=...)``)
    and ``formal`` with :func:`~workbench.core.network.graph.formal_graph`.
    """
    lines = {frozenset(edge) for edge in formal.edges()}
    ties = [(u, v) for u, v in informal.edges() if u != v]
    outside = sum(1 for u, v in ties if frozenset((u, v)) not in lines)
    teams = {m: {m, *formal.successors(m)} for m in formal if formal.out_degree(m)}
    neighbours = informal.to_undirected(as_view=True) if informal.is_directed() else informal
    isolated = []
    for manager, members in teams.items():
        reaches_out = any(
            other not in members
            for person in members if person in neighbours
            for other in neighbours[person]
        )
        if not reaches_out:
            isolated.append(manager)
    return FormalComparison(
        len(ties), outside, outside / len(ties) if ties else None, sorted(isolated),
        {m: len(members) for m, members in sorted(teams.items())},
    )
