"""Patterns worth a conversation: roles per person and findings with the numbers behind them."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from workbench.core.network.communities import Partition, undirected_igraph
from workbench.core.network.graph import GraphArrays
from workbench.core.network.groups import (
    BROKERAGE_ROLES,
    brokerage_counts,
    group_of,
    group_report,
)
from workbench.core.network.metrics import MetricsResult
from workbench.core.wording import count

ROLE_LABELS = {  # priority order: a person gets the first role that applies
    "key_person_risk": "key person risk",
    "customer_champion": "customer champion",
    "broker": "broker",
    "central_connector": "central connector",
    "overloaded": "overloaded",
    "peripheral": "peripheral",
}
CROSS_GROUP_ROLES = tuple(r for r in BROKERAGE_ROLES if r != "coordinator")


@dataclass(frozen=True)
class Thresholds:
    """Adjustable cut-offs; shares are fractions of the people in the network."""

    top_share: float = 0.10  # central connectors and brokers: top 10 % on their measure
    overloaded_share: float = 0.05  # overloaded: top 5 % of incoming ties ...
    overloaded_min_incoming: int = 8  # ... and at least this many
    peripheral_max_ties: int = 1  # ties in and out together
    key_person_candidates: int = 20  # people checked for removal (highest bridge scores)
    key_person_min_loss: float = 0.05  # share of connected pairs lost
    champion_min_nominations: int = 2  # nominations from people in other departments
    silo_count: int = 3
    silo_max_ei: float = -0.2
    team_min_departments: int = 3
    min_group_size: int = 5
    listed_per_kind: int = 10  # people named in findings per kind (roles cover everyone)


@dataclass(frozen=True)
class Finding:
    kind: str
    title: str
    sentence: str
    person_ids: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Findings:
    findings: list[Finding]
    roles: dict[str, str]  # person -> one role label ("" when none applies)
    key_person_risk: dict[str, float]  # candidates checked -> share of connected pairs lost

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


def find_patterns(
    G: nx.Graph,
    metrics: MetricsResult,
    partition: Partition | None = None,
    thresholds: Thresholds | None = None,
    insight_graph: nx.Graph | None = None,
) -> Findings:
    """Roles and findings for ``G`` from its metrics and communities.

    ``insight_graph`` holds customer-insight / extra-mile nominations (ties nominator ->
    nominee); without it no customer champions are named.
    """
    t = thresholds or Thresholds()
    partition = partition or metrics.partition
    arrays = metrics.arrays or GraphArrays.from_graph(G)
    ids, col = metrics.ids, metrics.columns
    flagged: dict[str, set[str]] = {kind: set() for kind in ROLE_LABELS}
    findings: list[Finding] = []

    connectors = _top(ids, col["in_degree"], t.top_share)
    flagged["central_connector"] = set(connectors)
    brokers = _top(ids, col["betweenness"], t.top_share)
    flagged["broker"] = set(brokers)
    overloaded = [
        p for p in _top(ids, col["in_degree"], t.overloaded_share)
        if (metrics.value(p, "in_degree") or 0) >= t.overloaded_min_incoming
    ]
    flagged["overloaded"] = set(overloaded)
    total_ties = col["in_degree"] + col["out_degree"]
    flagged["peripheral"] = {p for p, k in zip(ids, total_ties, strict=True)
                             if k <= t.peripheral_max_ties}
    listed = t.listed_per_kind
    findings += _person_findings(G, metrics, connectors[:listed], brokers[:listed],
                                 overloaded[:listed], sorted(flagged["peripheral"]))

    risk = _key_person_risk(arrays, col["betweenness"], t.key_person_candidates)
    at_risk = sorted((p for p, loss in risk.items() if loss >= t.key_person_min_loss),
                     key=lambda p: -risk[p])
    flagged["key_person_risk"] = set(at_risk)
    for person in at_risk[:listed]:
        findings.append(Finding(
            "key_person_risk", f"Key-person risk: {_name(G, person)}",
            f"If {_name(G, person)} left, {risk[person]:.0%} of the pairs of people who can "
            "reach each other today would lose every connecting path.",
            [person], [], {"pairs_lost_share": risk[person]},
        ))

    if insight_graph is not None:
        champions = _champions(G, insight_graph, t.champion_min_nominations)
        flagged["customer_champion"] = set(champions)
        for person, (nominators, departments) in list(champions.items())[:listed]:
            findings.append(Finding(
                "customer_champion", f"Customer champion: {_name(G, person)}",
                f"{_name(G, person)} is named for customer insight or going the extra mile "
                f"by {count(nominators, 'person', 'people')} from "
                f"{count(len(departments), 'other department')}.",
                [person], sorted(departments),
                {"nominations_from_other_departments": nominators,
                 "departments": len(departments)},
            ))

    findings += _silos(G, arrays, t)
    teams = _teams(G, partition, t)
    findings += teams
    findings += _coordinators(G, arrays, teams)
    roles = {p: next((ROLE_LABELS[k] for k in ROLE_LABELS if p in flagged[k]), "") for p in ids}
    return Findings(findings, roles, risk)


def _top(ids: list[str], values: np.ndarray, share: float) -> list[str]:
    """People in the top ``share`` on ``values`` (at least one, positive values only)."""
    if not len(ids):
        return []
    size = max(1, int(round(share * len(ids))))
    order = np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable")[:size]
    return [ids[i] for i in order if values[i] > 0]


def _name(G: nx.Graph, person: str) -> str:
    return str((G.nodes[person].get("name") if person in G else None) or person)


def _person_findings(G, metrics, connectors, brokers, overloaded, peripheral) -> list[Finding]:
    n = len(metrics.ids)
    in_degrees = np.sort(metrics.columns["in_degree"])
    out = []
    for person in connectors:
        k = int(metrics.value(person, "in_degree"))
        below = np.searchsorted(in_degrees, k) / n
        out.append(Finding(
            "central_connector", f"Central connector: {_name(G, person)}",
            f"{_name(G, person)} is named by {count(k, 'person', 'people')} as someone to go "
            f"to; {below:.0%} of the network are named by fewer people.",
            [person], [], {"in_degree": k},
        ))
    for person in brokers:
        b = metrics.value(person, "betweenness") or 0.0
        out.append(Finding(
            "broker", f"Broker: {_name(G, person)}",
            f"{_name(G, person)} sits on {b:.1%} of the shortest paths between other people, "
            "linking people who would otherwise be far apart.",
            [person], [], {"betweenness": b},
        ))
    for person in overloaded:
        k = int(metrics.value(person, "in_degree"))
        out.append(Finding(
            "overloaded", f"Possibly overloaded: {_name(G, person)}",
            f"{count(k, 'person comes', 'people come')} to {_name(G, person)}; "
            f"{_name(G, person)} goes to {int(metrics.value(person, 'out_degree'))}. "
            "Requests may pile up here.",
            [person], [], {"in_degree": k},
        ))
    if peripheral:
        out.append(Finding(
            "peripheral", f"{count(len(peripheral), 'person', 'people')} on the edge of the "
            "network",
            f"Of {count(n, 'person', 'people')}, {count(len(peripheral), 'has', 'have')} at most "
            "one tie in or out; they may miss what others know.",
            list(peripheral), [], {"people": len(peripheral), "share": len(peripheral) / n},
        ))
    return out


def _key_person_risk(arrays: GraphArrays, betweenness: np.ndarray, candidates: int
                     ) -> dict[str, float]:
    """Share of connected (unordered) pairs of other people lost when one person is removed.

    Only cut vertices (people whose removal splits their component) can lose pairs, so the
    check runs on the ``candidates`` cut vertices with the highest bridge scores.
    """
    if arrays.n < 3:
        return {}
    g = undirected_igraph(arrays)
    components = g.connected_components()
    sizes = np.asarray(components.sizes(), dtype=float)
    membership = np.asarray(components.membership)
    cut = np.asarray(g.articulation_points(), dtype=np.int64)
    order = cut[np.argsort(-betweenness[cut], kind="stable")][:candidates]
    risk = {}
    for v in order.tolist():
        own = sizes.copy()
        own[membership[v]] -= 1
        before = float((own * (own - 1) / 2).sum())
        h = g.copy()
        h.delete_vertices(v)
        after_sizes = np.asarray(h.connected_components().sizes(), dtype=float)
        after = float((after_sizes * (after_sizes - 1) / 2).sum())
        risk[arrays.ids[v]] = (before - after) / before if before else 0.0
    return risk


def _champions(G: nx.Graph, insight: nx.Graph, min_nominations: int
               ) -> dict[str, tuple[int, set[str]]]:
    """Nominees with enough nominators from other departments -> (count, their departments)."""
    def dept(person: str) -> str:
        graph = G if person in G else insight
        return group_of(graph, person, "department")

    result = {}
    for person in insight:
        nominators = insight.predecessors(person) if insight.is_directed() else insight[person]
        others = [p for p in nominators if p != person and dept(p) != dept(person)]
        if len(others) >= min_nominations:
            result[person] = (len(others), {dept(p) for p in others})
    return dict(sorted(result.items(), key=lambda item: -item[1][0]))


def _silos(G: nx.Graph, arrays: GraphArrays, t: Thresholds) -> list[Finding]:
    report = group_report(G, "department", t.min_group_size, arrays)
    # groups shown (not suppressed) have every figure: ei_index, internal and external ties
    shown = [(g, g.ei_index, g.internal_ties or 0, g.external_ties or 0)
             for g in report.groups.values() if g.ei_index is not None]
    silos = sorted((s for s in shown if s[1] <= t.silo_max_ei),
                   key=lambda s: s[1])[: t.silo_count]
    return [Finding(
        "silo", f"Possible silo: {g.name}",
        f"{g.name} ({count(g.size, 'person', 'people')}) keeps {count(internal, 'tie')} "
        f"inside and {external} with other departments (silo score {ei:+.2f}, "
        "where -1 means all inside).",
        [], [g.name],
        {"ei_index": ei, "internal_ties": internal, "external_ties": external, "size": g.size},
    ) for g, ei, internal, external in silos]


def _teams(G: nx.Graph, partition: Partition, t: Thresholds) -> list[Finding]:
    out = []
    for index, members in enumerate(partition.members()):
        departments = sorted({group_of(G, p, "department") for p in members})
        facing = [p for p in members if G.nodes[p].get("customer_facing")]
        if len(departments) < t.team_min_departments or not facing:
            continue
        out.append(Finding(
            "cross_functional_team", f"Candidate cross-functional team: community {index}",
            f"Community {index} already links {count(len(members), 'person', 'people')} from "
            f"{count(len(departments), 'department')} ({', '.join(departments)}), "
            f"{len(facing)} of them customer-facing.",
            sorted(members), departments,
            {"community": index, "people": len(members), "departments": len(departments),
             "customer_facing": len(facing)},
        ))
    return out


def _coordinators(G: nx.Graph, arrays: GraphArrays, teams: list[Finding]) -> list[Finding]:
    """For each candidate team, the member brokering most between its departments.

    Brokerage is counted inside the team (open two-paths among its members) so the figure
    says how much this person links the team's own departments.
    """
    out = []
    for team in teams:
        inside = arrays.subgraph(team.person_ids)
        counts = brokerage_counts(inside, [group_of(G, p, "department") for p in inside.ids])
        across = np.sum([counts[r] for r in CROSS_GROUP_ROLES], axis=0)
        best = int(np.argmax(across))
        score = int(across[best])
        if score <= 0:
            continue
        person = inside.ids[best]
        out.append(Finding(
            "coordinator_candidate", f"Coordinator candidate: {_name(G, person)}",
            f"Inside community {team.figures['community']}, {_name(G, person)} links people "
            f"of different departments who have no direct tie {count(score, 'time')}, more "
            "than anyone else in it.",
            [person], team.groups, {"cross_department_brokerage": score,
                                    "community": team.figures["community"]},
        ))
    return out
