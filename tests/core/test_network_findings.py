"""Roles and findings on small organisations whose answers can be worked out by hand."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network.communities import Partition
from workbench.core.network.findings import Thresholds, find_patterns
from workbench.core.network.graph import build_graph
from workbench.core.network.metrics import compute_metrics


def _both_ways(pairs):
    return [Tie(a, b) for a, b in pairs] + [Tie(b, a) for a, b in pairs]


def _clique(names):
    return list(itertools.combinations(names, 2))


def _two_cliques_and_a_bridge():
    left = [f"a{i}" for i in range(5)]
    right = [f"b{i}" for i in range(5)]
    people = [Person(p, name=p.upper(), department="Left") for p in left]
    people += [Person(p, name=p.upper(), department="Right") for p in right]
    people += [Person("k", name="Kim", department="Ops"), Person("lone", department="Ops")]
    pairs = _clique(left) + _clique(right) + [("a0", "k"), ("k", "b0")]
    ties = _both_ways(pairs) + [Tie("lone", "a3")]
    return people, ties


def test_key_person_risk_matches_removal_by_hand():
    G = build_graph(*_two_cliques_and_a_bridge())
    result = find_patterns(G, compute_metrics(G), thresholds=Thresholds(top_share=0.1))
    # Without Kim: {a0..a4, lone} (6 people) and {b0..b4} (5) stay connected inside.
    # Before (others only): 11 connected people -> 55 pairs; after 15 + 10 = 25.
    assert result.key_person_risk["k"] == pytest.approx((55 - 25) / 55)
    reference = nx.Graph(G.to_undirected())
    reference.remove_node("k")
    after = sum(len(c) * (len(c) - 1) / 2 for c in nx.connected_components(reference))
    assert after == 25
    assert result.roles["k"] == "key person risk"
    finding = next(f for f in result.of_kind("key_person_risk") if f.person_ids == ["k"])
    assert "Kim" in finding.sentence and "55%" in finding.sentence
    assert result.roles["lone"] == "peripheral"
    peripheral = result.of_kind("peripheral")[0]
    assert peripheral.person_ids == ["lone"]


def test_overloaded_and_central_connector():
    people = [Person("hub", department="IT")] + [Person(f"u{i}", department="Ops")
                                                  for i in range(10)]
    ties = [Tie(f"u{i}", "hub") for i in range(10)] + [Tie(f"u{i}", f"u{i + 1}")
                                                      for i in range(9)]
    G = build_graph(people, ties)
    metrics = compute_metrics(G)
    t = Thresholds(overloaded_min_incoming=10, key_person_min_loss=1.0)
    result = find_patterns(G, metrics, thresholds=t)
    assert [f.person_ids for f in result.of_kind("overloaded")] == [["hub"]]
    assert result.of_kind("overloaded")[0].figures["in_degree"] == 10
    assert ["hub"] in [f.person_ids for f in result.of_kind("central_connector")]
    assert result.roles["hub"] in {"broker", "central connector"}
    stricter = find_patterns(G, metrics, thresholds=Thresholds(overloaded_min_incoming=11))
    assert not stricter.of_kind("overloaded")


def test_customer_champion_needs_nominations_from_other_departments():
    people = [Person("c", department="Service"), Person("s1", department="Sales"),
              Person("s2", department="Product"), Person("same", department="Service")]
    G = build_graph(people, [Tie("s1", "c"), Tie("c", "s2"), Tie("same", "c")])
    insight = build_graph(people, [Tie("s1", "c", type="customer_insight"),
                                   Tie("s2", "c", type="extra_mile"),
                                   Tie("same", "c", type="extra_mile"),
                                   Tie("c", "same", type="extra_mile")])
    result = find_patterns(G, compute_metrics(G), insight_graph=insight)
    champions = result.of_kind("customer_champion")
    assert [f.person_ids for f in champions] == [["c"]]
    assert champions[0].figures == {"nominations_from_other_departments": 2, "departments": 2}
    # c also holds the network together; that role comes first in the priority order.
    assert result.roles["c"] == "key person risk"
    no_risk = find_patterns(G, compute_metrics(G), insight_graph=insight,
                            thresholds=Thresholds(key_person_min_loss=1.1))
    assert no_risk.roles["c"] == "customer champion"
    strict = find_patterns(G, compute_metrics(G), insight_graph=insight,
                           thresholds=Thresholds(champion_min_nominations=3))
    assert not strict.of_kind("customer_champion")


def test_silo_is_the_inward_looking_department():
    finance = [f"f{i}" for i in range(5)]
    sales = [f"s{i}" for i in range(5)]
    people = [Person(p, department="Finance") for p in finance]
    people += [Person(p, department="Sales") for p in sales]
    ties = _both_ways(_clique(finance)) + [Tie("f0", "s0")]
    ties += [Tie(s, f) for s, f in zip(sales, finance[1:], strict=False)] + [Tie("s0", "s1")]
    G = build_graph(people, ties)
    silos = find_patterns(G, compute_metrics(G)).of_kind("silo")
    assert [f.groups for f in silos] == [["Finance"]]
    # Finance: 20 ties inside, 1 out + 4 in from Sales = 5 outside.
    assert silos[0].figures["ei_index"] == pytest.approx((5 - 20) / 25)
    with pytest.raises(WorkbenchError):
        find_patterns(G, compute_metrics(G), thresholds=Thresholds(min_group_size=2))


def test_cross_functional_team_and_its_coordinator():
    people = [
        Person("x", department="Sales", customer_facing=True),
        Person("y1", department="Service"), Person("y2", department="Service"),
        Person("z1", department="Product"), Person("z2", department="Product"),
        Person("c", department="Ops"),
        Person("q1", department="Finance"), Person("q2", department="Finance"),
    ]
    ties = [Tie("y1", "c"), Tie("c", "z1"), Tie("x", "c"), Tie("c", "y2"), Tie("z2", "x"),
            Tie("q1", "q2"), Tie("q2", "y1")]
    G = build_graph(people, ties)
    team = ["x", "y1", "y2", "z1", "z2", "c"]
    partition = Partition({p.id: 0 if p.id in team else 1 for p in people}, 0.0, "manual",
                          1.0, 0)
    result = find_patterns(G, compute_metrics(G), partition=partition)
    teams = result.of_kind("cross_functional_team")
    assert len(teams) == 1  # Finance's community spans one department only
    assert teams[0].figures == {"community": 0, "people": 6, "departments": 4,
                                "customer_facing": 1}
    coordinator = result.of_kind("coordinator_candidate")
    assert [f.person_ids for f in coordinator] == [["c"]]
    # Open two-paths through c inside the team: {y1, x} -> c -> {z1, y2}: 4, all across
    # departments (x->c->y2 etc.); nobody else in the team brokers.
    assert coordinator[0].figures["cross_department_brokerage"] == 4
    no_customer_facing = Partition({p.id: 0 for p in people if p.id != "x"} | {"x": 1},
                                   0.0, "manual", 1.0, 0)
    result = find_patterns(G, compute_metrics(G), partition=no_customer_facing)
    assert not result.of_kind("cross_functional_team")


def test_sentences_use_singular_for_one():
    G = build_graph(*_two_cliques_and_a_bridge())
    result = find_patterns(G, compute_metrics(G))
    (peripheral,) = result.of_kind("peripheral")
    assert peripheral.person_ids == ["lone"]
    assert peripheral.title.startswith("1 person on the edge")
    assert f"Of {G.number_of_nodes()} people, 1 has at most one tie" in peripheral.sentence

    people = [Person("c", department="Service"), Person("s", department="Sales")]
    insight = build_graph(people, [Tie("s", "c", type="customer_insight")])
    pair = build_graph(people, [Tie("s", "c")])
    one_vote = find_patterns(pair, compute_metrics(pair), insight_graph=insight,
                             thresholds=Thresholds(champion_min_nominations=1))
    (champion,) = one_vote.of_kind("customer_champion")
    assert "by 1 person from 1 other department." in champion.sentence
    for finding in result.findings + one_vote.findings:
        text = f"{finding.title} {finding.sentence}"
        assert "(s)" not in text and "1 people" not in text and "1 times" not in text, text
