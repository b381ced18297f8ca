"""The headline: at most five sentences, the planted extreme outlier's key-person risk first,
nobody named twice, names as the caller shows them."""

from __future__ import annotations

import random

from workbench.core.analysis import analyse_network
from workbench.core.model import Person, Tie
from workbench.core.network.findings import find_patterns
from workbench.core.network.graph import build_graph
from workbench.core.network.headline import headline
from workbench.core.network.metrics import compute_metrics


def _check_shape(sentences):
    assert 1 <= len(sentences) <= 5
    named = [p for s in sentences for p in s.person_ids]
    assert len(named) == len(set(named))  # nobody under two headings
    kinds = [s.kind for s in sentences if s.kind != "key_person_risk"]
    assert len(kinds) == len(set(kinds))  # one sentence per kind, one per person at risk
    order = [(s.kind != "key_person_risk", -s.unusual) for s in sentences]
    assert order == sorted(order)  # key-person risks first, then the most unusual
    for s in sentences:
        assert any(ch.isdigit() for ch in s.template), s.template  # every sentence has its number
        assert s.rules and all(s.rules)


def test_demo_headline_leads_with_the_overloaded_brokers_key_person_risk(demo):
    broker = demo.settings.get("demo.planted")["broker"]
    result = analyse_network(demo, "advice")
    sentences = headline(result.findings)
    _check_shape(sentences)
    first = sentences[0]
    assert first.person_ids == [broker] and first.kind == "key_person_risk"
    assert first.title == "Key-person risk"
    assert {"overloaded", "key_person_risk"} <= set(first.kinds)
    assert "75 people" in first.template and "the next most sought-after person has 9" in \
        first.template
    # the caller decides how people are shown: the real name never leaks from the template
    real = result.graph.nodes[broker]["name"]
    assert real not in first.template
    shown = first.text({broker: "Person 12"})
    assert "Person 12" in shown and real not in shown
    assert real in first.text(lambda p: result.graph.nodes[p]["name"])


def _random_org_with_a_star(seed: int, small: int = 0):
    """300 people in six departments tied at random, and one person forty others go to who
    are tied to no one else (and a second person ``small`` others go to the same way)."""
    rng = random.Random(seed)
    departments = ("Sales", "Service", "Product", "Ops", "Finance", "HR")
    people = [Person(f"p{i}", name=f"Name {i}", department=departments[i % 6])
              for i in range(300)]
    ties = [Tie(f"p{a}", f"p{b}") for a in range(260) for b in range(260)
            if a != b and rng.random() < 0.02]
    star = "p7"
    ties += [Tie(f"p{i}", star) for i in range(260, 300 - small)]
    ties += [Tie(f"p{i}", "p8") for i in range(300 - small, 300)]
    return people, ties, star


def test_generated_star_is_the_first_sentence():
    people, ties, star = _random_org_with_a_star(11, small=16)
    G = build_graph(people, ties)
    sentences = headline(find_patterns(G, compute_metrics(G)))
    _check_shape(sentences)
    assert sentences[0].person_ids == [star] and sentences[0].kind == "key_person_risk"
    assert {"overloaded", "key_person_risk"} <= set(sentences[0].kinds)
    assert sentences[0].figures["in_degree"] >= 24
    # the smaller star is a key-person risk too, and less unusual
    assert sentences[1].person_ids == ["p8"] and sentences[1].kind == "key_person_risk"


def test_size_and_floor_limit_the_headline():
    people, ties, star = _random_org_with_a_star(12)
    G = build_graph(people, ties)
    findings = find_patterns(G, compute_metrics(G))
    assert [s.person_ids for s in headline(findings, size=1)] == [[star]]
    assert headline(findings, min_unusual=10 ** 6) == []
