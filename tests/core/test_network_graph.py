"""Building graphs from people and ties, with clear errors for bad input."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network.graph import GraphArrays, build_graph, formal_graph


def _people():
    return [Person("a", name="Ann", department="Sales", customer_facing=True, manager_id="c"),
            Person("b", department="Ops", manager_id="c"),
            Person("c", department="Ops", manager_id="zz")]


def test_build_graph_merges_repeated_ties_and_drops_self_ties():
    ties = [Tie("a", "b", 1.0, "advice"), Tie("a", "b", 2.5, "energy"), Tie("b", "b"),
            Tie("c", "a", 1.0, "advice")]
    G = build_graph(_people(), ties)
    assert G["a"]["b"]["weight"] == 3.5
    assert not G.has_edge("b", "b")
    assert G.nodes["a"]["customer_facing"] is True and G.nodes["a"]["name"] == "Ann"
    advice = build_graph(_people(), ties, tie_types={"advice"})
    assert advice["a"]["b"]["weight"] == 1.0 and advice.number_of_edges() == 2
    undirected = build_graph(_people(), ties, directed=False)
    assert not undirected.is_directed() and undirected.has_edge("b", "a")


@pytest.mark.parametrize(("people", "ties", "message"), [
    (_people() + [Person("a")], [], "'a' appears more than once"),
    (_people(), [Tie("a", "nobody"), Tie("ghost", "b")], "tie 1: 'nobody'; tie 2: 'ghost'"),
    (_people(), [Tie("a", "b", float("nan"))], "Tie 1 \\(a -> b\\) has weight nan"),
    (_people(), [Tie("a", "b", 0.0)], "weights must be positive"),
])
def test_bad_input_names_the_problem(people, ties, message):
    with pytest.raises(WorkbenchError, match=message):
        build_graph(people, ties)


def test_formal_graph_follows_known_managers():
    G = formal_graph(_people())
    assert sorted(G.edges()) == [("c", "a"), ("c", "b")]  # "zz" is not a known person


def test_arrays_keep_node_order_and_weights():
    G = build_graph(_people(), [Tie("b", "a", 2.0), Tie("a", "c")])
    arrays = GraphArrays.from_graph(G)
    assert arrays.ids == ["a", "b", "c"]
    A = arrays.adjacency(weighted=True).toarray()
    assert A[1, 0] == 2.0 and A[0, 2] == 1.0 and A.sum() == 3.0
    g = arrays.to_igraph()
    assert g.is_directed()
    assert {(e.source, e.target): e["weight"] for e in g.es} == {(1, 0): 2.0, (0, 2): 1.0}
