"""Findings on organisations whose answers can be worked out by hand or are planted: one
finding per kind, rules relative to the network, plain words."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from workbench.core.analysis import analyse_network
from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network import glossary
from workbench.core.network.communities import Partition
from workbench.core.network.explain import (
    agreement_text,
    crossing_text,
    density_text,
    figure_text,
    value_text,
)
from workbench.core.network.findings import (
    FORMAL_RELATIONS,
    KINDS,
    ROLE_LABELS,
    Thresholds,
    find_patterns,
)
from workbench.core.network.graph import build_graph
from workbench.core.network.groups import BROKERAGE_ROLES, group_report
from workbench.core.network.metrics import METRIC_KEYS, compute_metrics


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


def _patterns(people, ties, **kwargs):
    G = build_graph(people, ties)
    return G, find_patterns(G, compute_metrics(G), **kwargs)


def _random_org(departments: dict[str, int], p: float, seed: int, inward: str | None = None,
                drop_outside: float = 1.0):
    """People in departments, ties drawn at random with probability ``p`` between any two;
    the ``inward`` department drops each tie with an outsider with probability
    ``drop_outside``."""
    rng = random.Random(seed)
    people = [Person(f"{d[:2]}{i}", department=d, customer_facing=i % 3 == 0)
              for d, size in departments.items() for i in range(size)]
    ties = []
    for a, b in itertools.permutations(people, 2):
        if rng.random() >= p:
            continue
        crossing = a.department != b.department
        if crossing and inward in (a.department, b.department) and rng.random() < drop_outside:
            continue
        ties.append(Tie(a.id, b.id))
    return people, ties


def test_key_person_risk_matches_removal_by_hand():
    G, result = _patterns(*_two_cliques_and_a_bridge())
    # Without Kim: {a0..a4, lone} (6 people) and {b0..b4} (5) stay connected inside.
    # Before (others only): 11 connected people -> 55 pairs; after 15 + 10 = 25.
    assert result.key_person_risk["k"] == pytest.approx((55 - 25) / 55)
    reference = nx.Graph(G.to_undirected())
    reference.remove_node("k")
    assert sum(len(c) * (len(c) - 1) / 2 for c in nx.connected_components(reference)) == 25
    assert result.roles["k"] == "key person risk"
    (finding,) = result.of_kind("key_person_risk")  # a0, b0 and a3 hold parts on too
    assert finding.person_ids[0] == "k" and set(finding.person_ids) <= set(result.key_person_risk)
    assert "Kim" in finding.sentence and "55%" in finding.sentence
    # random networks with the same numbers of ties would not hang on Kim like this
    assert finding.entries[0].figures["expected_pairs_lost_share"] < 0.2
    assert result.roles["lone"] == "peripheral"
    assert result.of_kind("peripheral")[0].person_ids == ["lone"]


def _hub_in_a_random_org(incoming: int, seed: int = 3):
    people, ties = _random_org({"Sales": 40, "Ops": 40, "IT": 40}, 0.03, seed)
    hub = people[5].id
    askers = random.Random(seed).sample([p.id for p in people if p.id != hub], incoming)
    return people, ties + [Tie(a, hub) for a in askers], hub


def test_overloaded_means_far_above_this_network_and_is_listed_once():
    people, ties, hub = _hub_in_a_random_org(50)
    G, result = _patterns(people, ties)
    (overloaded,) = result.of_kind("overloaded")
    assert overloaded.person_ids == [hub]  # nobody else is far above the rest
    figures = overloaded.entries[0].figures
    assert figures["in_degree"] > 2 * figures["next_highest"]
    # the rule states the cut-off this network gave, from its own quartiles
    assert "upper quartile" in overloaded.rule and "more than" in overloaded.rule
    go_to = result.of_kind("central_connector")
    assert all(hub not in f.person_ids for f in go_to)  # one heading for one reason
    assert result.roles[hub] in ("key person risk", "broker", "overloaded")
    # the same number of askers in a network where many are sought out that much: no overload
    stricter = find_patterns(G, compute_metrics(G),
                             thresholds=Thresholds(overloaded_min_incoming=1000))
    assert not stricter.of_kind("overloaded")


def test_go_to_people_and_brokers_are_capped_and_ranked():
    people, ties, _hub = _hub_in_a_random_org(20)
    _G, result = _patterns(people, ties, thresholds=Thresholds(top_share=0.02))
    for kind in ("central_connector", "broker"):
        for finding in result.of_kind(kind):
            assert len(finding.entries) <= round(0.02 * len(people))
            scores = [e.unusual for e in finding.entries]
            assert scores == sorted(scores, reverse=True)


def test_broker_needs_more_than_chance_gives_for_the_same_ties():
    G, result = _patterns(*_two_cliques_and_a_bridge())
    (brokers,) = result.of_kind("broker")
    assert brokers.person_ids[0] == "k"
    entry = brokers.entries[0]
    assert entry.figures["betweenness"] > 3 * entry.figures["expected_betweenness"]
    assert "random networks with the same numbers of ties" in entry.text({"k": "Kim"})
    # In random networks hardly anyone bridges more than chance gives (the top 10 % on bridge
    # scores alone would name 40 people in these four).
    named = 0
    for seed in range(4):
        _G, plain = _patterns(*_random_org({"A": 50, "B": 50}, 0.05, seed))
        named += plain.count("broker")
    assert named <= 2


def test_customer_champion_is_named_far_more_than_others_from_other_departments():
    people = [Person("c", department="Service")] + [
        Person(f"s{i}", department=("Sales", "Product", "Ops")[i % 3]) for i in range(12)]
    G = build_graph(people, [Tie(f"s{i}", f"s{i + 1}") for i in range(11)] + [Tie("s0", "c")])
    nominations = [Tie(f"s{i}", "c", type="customer_insight") for i in range(6)]
    nominations += [Tie(f"s{i}", f"s{i + 2}", type="extra_mile") for i in range(10)]
    insight = build_graph(people, nominations + [Tie("c", "s1", type="extra_mile")])
    result = find_patterns(G, compute_metrics(G), insight_graph=insight)
    (champions,) = result.of_kind("customer_champion")
    assert champions.person_ids == ["c"]  # one nomination each is what everyone gets
    assert champions.entries[0].figures == {"nominations_from_other_departments": 6,
                                            "departments": 3}
    assert "by 6 people from 3 other departments" in champions.sentence
    strict = find_patterns(G, compute_metrics(G), insight_graph=insight,
                           thresholds=Thresholds(champion_min_nominations=7))
    assert not strict.of_kind("customer_champion")
    assert find_patterns(G, compute_metrics(G)).notes  # no insight network: said so


def test_department_size_alone_is_no_silo():
    # Ties at random: the big department keeps two thirds of its ties inside only because it
    # holds four people in five.
    people, ties = _random_org({"Big": 100, "Small": 25}, 0.05, 1)
    G, result = _patterns(people, ties)
    big = group_report(G).groups["Big"]
    assert big.ei_index < -0.2  # what a fixed cut-off called a silo
    assert not result.of_kind("silo")
    assert result.figures["crossing_share"] == pytest.approx(
        result.figures["expected_crossing_share"], abs=0.05)


def test_planted_silo_is_found_with_expected_beside_observed():
    departments = {"Sales": 30, "Ops": 30, "IT": 30, "Finance": 30}
    people, ties = _random_org(departments, 0.05, 2, inward="Finance", drop_outside=0.9)
    _G, result = _patterns(people, ties)
    (silo,) = result.of_kind("silo")
    assert silo.groups == ["Finance"] and silo.title == "Possible silo: Finance"
    figures = silo.entries[0].figures
    assert figures["outside_share"] < 0.5 * figures["expected_outside_share"]
    assert figures["ei_index"] < figures["expected_ei_index"]
    assert "random mixing" in silo.sentence and "random mixing" in silo.rule
    with pytest.raises(WorkbenchError):
        _patterns(people, ties, thresholds=Thresholds(min_group_size=2))


def _team_org():
    """Three close-knit groups of 8 from three departments each, and a 40-person community
    that also spans departments."""
    depts = ("Sales", "Service", "Product", "Ops", "Finance")
    people, pairs = [], []
    for t in range(3):
        members = [f"t{t}m{i}" for i in range(8)]
        people += [Person(m, department=depts[(t + i) % 3], customer_facing=i == 0)
                   for i, m in enumerate(members)]
        pairs += _clique(members)
    big = [f"big{i}" for i in range(40)]
    people += [Person(m, department=depts[i % 5], customer_facing=True)
               for i, m in enumerate(big)]
    rng = random.Random(4)
    pairs += [(a, b) for a, b in _clique(big) if rng.random() < 0.3]
    pairs += [("t0m1", "t1m1"), ("t1m2", "t2m2"), ("t2m3", "big0")]
    return people, _both_ways(pairs)


def test_candidate_teams_are_small_and_mix_departments():
    people, ties = _team_org()
    G, result = _patterns(people, ties)
    (teams,) = result.of_kind("cross_functional_team")
    t = Thresholds()
    for entry in teams.entries:
        assert t.team_min_size <= len(entry.person_ids) <= t.team_max_size
        assert len({G.nodes[p]["department"] for p in entry.person_ids}) >= 3
    assert not any(len(e.person_ids) == 40 for e in teams.entries)
    assert {tuple(sorted(e.person_ids)) for e in teams.entries} >= {
        tuple(sorted(f"t{k}m{i}" for i in range(8))) for k in range(3)}
    smaller = find_patterns(G, compute_metrics(G), thresholds=Thresholds(team_max_size=7))
    for finding in smaller.of_kind("cross_functional_team"):
        assert all(len(e.person_ids) <= 7 for e in finding.entries)


def test_team_coordinator_by_hand():
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
    (teams,) = result.of_kind("cross_functional_team")
    assert teams.entries[0].figures == {"team": 1, "people": 6, "departments": 4,
                                        "customer_facing": 1}
    (coordinator,) = result.of_kind("coordinator_candidate")
    assert coordinator.person_ids == ["c"]
    # Open two-paths through c inside the team: {y1, x} -> c -> {z1, y2}: 4, all across
    # departments; nobody else in the team brokers.
    assert coordinator.entries[0].figures["cross_department_brokerage"] == 4
    assert "appointment" in coordinator.rule  # able to coordinate is not the step-3 role
    no_customer_facing = Partition({p.id: 0 for p in people if p.id != "x"} | {"x": 1},
                                   0.0, "manual", 1.0, 0)
    result = find_patterns(G, compute_metrics(G), partition=no_customer_facing)
    assert not result.of_kind("cross_functional_team")


@pytest.mark.parametrize("network", ["advice", "collaboration"])
def test_demo_findings_one_per_kind_each_with_its_rule(demo, network):
    result = analyse_network(demo, network)
    kinds = [f.kind for f in result.findings.findings]
    assert len(kinds) == len(set(kinds)) and kinds == [k for k in KINDS if k in kinds]
    for finding in result.findings.findings:
        reasons = [tuple(e.person_ids) or tuple(e.groups) for e in finding.entries]
        assert len(reasons) == len(set(reasons)), finding.kind  # nobody twice for one reason
        assert finding.rule and any(ch.isdigit() for ch in finding.rule), finding.kind
        text = f"{finding.title} {finding.sentence}"
        assert "are named by fewer" not in text and "100% of the network" not in text
        assert "{" not in finding.sentence  # placeholders filled with names
    teams = result.findings.of_kind("cross_functional_team")
    assert all(len(e.person_ids) <= 12 for f in teams for e in f.entries)


@pytest.mark.parametrize("relation", sorted(FORMAL_RELATIONS))
def test_reporting_lines_give_a_note_not_informal_findings(relation):
    G, result = _patterns(*_two_cliques_and_a_bridge(), relation=relation)
    assert result.findings == [] and not any(result.roles.values())
    assert "reporting lines" in result.notes[0]
    assert set(result.roles) == set(G)


def test_entries_name_people_as_the_caller_decides():
    G, result = _patterns(*_two_cliques_and_a_bridge())
    entry = result.of_kind("key_person_risk")[0].entries[0]
    finding = result.of_kind("key_person_risk")[0]
    assert "{0}" in entry.template
    assert "Person 7" in entry.text({"k": "Person 7"}) and "Kim" not in entry.text({"k": "P"})
    assert entry.text(lambda p: G.nodes[p]["name"]) in finding.sentence


def test_sentences_use_singular_for_one():
    G, result = _patterns(*_two_cliques_and_a_bridge())
    (peripheral,) = result.of_kind("peripheral")
    assert peripheral.person_ids == ["lone"]
    assert peripheral.title == "On the edge: 1 person"
    assert "1 person of 12" in peripheral.rule
    for finding in result.findings:
        for text in (finding.title, finding.sentence, finding.rule,
                     *(e.text(lambda p: p) for e in finding.entries)):
            assert "(s)" not in text and "1 people" not in text and "1 times" not in text, text


def test_glossary_defines_every_label_a_leader_sees():
    G = build_graph(*_two_cliques_and_a_bridge())
    shown = [*METRIC_KEYS, *compute_metrics(G).network, *KINDS, *ROLE_LABELS,
             *BROKERAGE_ROLES, "community", "role", "ei_index", "agreement", "resolution",
             "rank_agreement", "mean_of_cell_means"]
    for key in shown:
        term = glossary.GLOSSARY.get(key)
        assert term is not None, key
        assert term.definition.endswith(".") and "\n" not in term.definition, key
    labels = [t.label.casefold() for t in glossary.terms()]
    assert len(labels) == len(set(labels))
    # brokerage roles never borrow the method's own terms
    for role in BROKERAGE_ROLES:
        assert glossary.label(role).casefold() not in {"gatekeeper", "coordinator", "consultant"}


def test_numbers_carry_their_meaning():
    assert density_text(0.01) == "1 in 100 possible ties exist"
    assert density_text(0.0145) == "1 in 69 possible ties exist"
    assert density_text(0.62) == "62% of possible ties exist"
    assert figure_text("modularity", {"modularity": 0.70, "communities": 9}) == (
        "9 communities, sharply separate (0.70, where 0.3 is a visible split)")
    assert figure_text("components", {"components": 1, "largest_component": 12}) == (
        "Everyone is connected")
    assert figure_text("components", {"components": 2, "largest_component": 273}) == (
        "2 separate parts; the largest has 273 people")
    assert crossing_text(0.16, 0.87) == (
        "16% of ties link two departments; random mixing would give 87%")
    assert value_text("betweenness", 0.004) == "on 0.4% of the routes between others"
    assert value_text("in_degree", 1.0) == "named by 1 person"
    assert value_text("pagerank", None) == "–"
    assert agreement_text(0.05).startswith("Communities cut across the departments")
