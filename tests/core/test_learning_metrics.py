"""Figures of the insight-to-action log on a six-insight log computed by hand."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from workbench.core.learning.metrics import (
    OFF_ROSTER,
    handoff_ties,
    insight_metrics,
    receivers_vs_actors,
)
from workbench.core.learning.model import Insight, JourneyStage
from workbench.core.model import Person

DAY = dt.date(2026, 1, 5)
PEOPLE = {p.id: p for p in (Person("p1", "Ann", department="Service"),
                            Person("p2", "Bo", department="Service"),
                            Person("p3", "Cy", department="Billing"),
                            Person("p4", "Di", department="Sales"))}


def insight(n: int, source: str, received_by: str, can_act: str, days: int | None,
            loop: bool | None = None, gate: bool | None = None) -> Insight:
    return Insight(n, f"I-{n:04d}", source, "Households", f"insight {n}", DAY, received_by,
                   can_act, acted_on=None if days is None else DAY + dt.timedelta(days=days),
                   loop_closed=loop, via_gatekeeper=gate)


LOG = [
    insight(1, "complaint", "p1", "p3", 10, loop=True, gate=False),
    insight(2, "complaint", "p1", "p3", 20, loop=False, gate=True),
    insight(3, "survey", "p4", "p4", 5, loop=True),
    insight(4, "partner", "p1", "Head of Billing", None, gate=True),
    insight(5, "partner", "p2", "p3", None, gate=False),
    insight(6, "data", "visitor", "p2", 40, gate=True),
]


def test_log_figures_match_the_hand_count():
    m = insight_metrics(LOG, PEOPLE)
    assert (m.insights, m.acted) == (6, 4)
    assert m.share_acted == pytest.approx(4 / 6)
    assert m.median_days == 15  # days 5, 10, 20, 40: the mean of 10 and 20
    assert (m.closed, m.closed_known) == (2, 3)  # insight 6 has no answer recorded
    assert (m.gatekeeper, m.gatekeeper_known) == (3, 5)  # insight 3 has no answer recorded
    assert m.median_days_gatekeeper == 30  # insights 2 and 6
    assert m.median_days_direct == 10  # insight 1
    assert m.never_acted == ("partner",)


def test_figures_by_source_follow_the_list_of_sources():
    m = insight_metrics(LOG, PEOPLE)
    assert [(f.name, f.received, f.acted, f.median_days) for f in m.by_source] == [
        ("complaint", 2, 2, 15), ("survey", 1, 1, 5), ("data", 1, 1, 40),
        ("partner", 2, 0, None)]
    assert m.source("partner").share_acted == 0


def test_receiving_departments_against_who_can_act():
    m = insight_metrics(LOG, PEOPLE)
    rows = [(d.department, d.received, d.acted_by_own, d.acted_elsewhere, d.not_acted,
             d.can_act, d.median_days) for d in m.by_department]
    assert rows == [
        ("Service", 4, 0, 2, 2, 1, 15),   # insights 1, 2 acted by Billing; 4, 5 never
        ("Sales", 1, 1, 0, 0, 1, 5),
        (OFF_ROSTER, 1, 0, 1, 0, 0, 40),
        ("Billing", 0, 0, 0, 0, 3, None),  # named to act on insights 1, 2 and 5
    ]
    # Service receives 4 of 6 (at least a quarter) and acts on none itself
    assert m.cannot_act == ("Service",)


def test_an_empty_log_has_no_figures():
    m = insight_metrics([], PEOPLE)
    assert m.median_days is None and m.share_acted is None and m.share_closed is None
    assert m.by_source == () and m.cannot_act == ()


def test_network_distance_between_receiver_and_actor():
    G = nx.DiGraph()
    G.add_nodes_from(["p1", "p2", "p3", "p4", "x"])
    G.add_edges_from([("p1", "p2"), ("x", "p2"), ("x", "p3")])  # read in either direction
    reach = receivers_vs_actors(LOG, G)
    assert [(p.ref, p.distance) for p in reach.pairs] == [
        ("I-0001", 3), ("I-0002", 3), ("I-0003", 0), ("I-0005", 2)]
    assert reach.unmeasured == 2  # a role and a visitor are not people of the network
    assert (reach.far, reach.share_far) == (2, 0.5)
    assert reach.far_receivers() == [("p1", 2)]
    apart = receivers_vs_actors([insight(7, "survey", "p4", "p1", None)], G)
    assert apart.pairs[0].distance is None and apart.pairs[0].far and apart.not_tied == 1
    assert receivers_vs_actors(LOG, None).measured == 0


def _stage(name: str, a: str, b: str, broken: str = "Customers repeat their details") -> \
        JourneyStage:
    return JourneyStage(1, "Households", 1, name, handoff_from=a, handoff_to=b,
                        handoff_break=broken)


def test_hand_off_ties_against_random_mixing():
    G = nx.Graph()
    for team in ("A", "B"):
        members = [f"{team}{n}" for n in range(4)]
        G.add_nodes_from(members, department=team)
        G.add_edges_from((u, v) for i, u in enumerate(members) for v in members[i + 1:])
    G.add_edge("A0", "B0")  # 13 ties: 6 inside each, 1 between
    checks = handoff_ties([_stage("Switch", "A", "B"), _stage("Fine", "A", "B", ""),
                           _stage("Unknown", "A", "Z")], G)
    assert [c.stage.name for c in checks] == ["Switch", "Unknown"]  # no break: not checked
    switch, unknown = checks
    assert (switch.joining, switch.touching) == (1, 13)
    # each department holds 13 of the 26 tie ends: 2 x 0.5 x 0.5 x 13 ties = 6.5
    assert switch.expected == pytest.approx(6.5)
    assert switch.barely_tied  # 1 < half of 6.5
    assert unknown.expected is None and not unknown.barely_tied
    assert handoff_ties([_stage("Switch", "A", "B")], None)[0].expected is None
