"""Manager cycles and reporting ties, checked against networkx."""

from __future__ import annotations

import random
import sys

import networkx as nx
import pytest

from workbench.core.model import Person, Tie
from workbench.core.network.hierarchy import find_manager_cycles, reporting_ties


def networkx_cycles(manager_of):
    graph = nx.DiGraph()
    graph.add_nodes_from(manager_of)
    graph.add_edges_from((p, m) for p, m in manager_of.items() if m is not None)
    return {frozenset(c) for c in nx.simple_cycles(graph)}


def assert_in_link_order(cycle, manager_of):
    for member, following in zip(cycle, cycle[1:] + cycle[:1], strict=True):
        assert manager_of[member] == following


@pytest.mark.parametrize("seed", range(20))
def test_cycles_match_networkx_on_random_manager_links(seed):
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(rng.randint(1, 300))]
    manager_of = {
        i: rng.choice([None, f"missing{rng.randint(0, 5)}", *rng.sample(ids, 1)])
        for i in ids
    }
    cycles = find_manager_cycles(manager_of)
    assert {frozenset(c) for c in cycles} == networkx_cycles(manager_of)
    assert len(cycles) == len({frozenset(c) for c in cycles})
    for cycle in cycles:
        assert len(cycle) == len(set(cycle))
        assert_in_link_order(cycle, manager_of)


def test_deep_chain_and_deep_cycle_do_not_recurse():
    depth = 50_000
    assert depth > sys.getrecursionlimit()
    chain = {f"p{i}": (f"p{i - 1}" if i else None) for i in range(depth)}
    assert find_manager_cycles(chain) == []
    ring = {f"p{i}": f"p{(i + 1) % depth}" for i in range(depth)}
    (cycle,) = find_manager_cycles(ring)
    assert len(cycle) == depth
    assert_in_link_order(cycle, ring)


def test_self_manager_is_a_cycle_of_one():
    assert find_manager_cycles({"a": "a", "b": "a"}) == [["a"]]


def test_reporting_ties_follow_known_managers():
    people = [Person("ceo"), Person("a", manager_id="ceo"), Person("b", manager_id="a"),
              Person("c", manager_id="gone"), Person("d", manager_id="d")]
    assert reporting_ties(people) == [Tie("ceo", "a", 1.0, "reporting"),
                                      Tie("a", "b", 1.0, "reporting")]
