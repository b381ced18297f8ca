"""The column paths (ties read as columns, graphs merged with numpy) give exactly what the
per-tie paths give: same nodes, neighbour order, weights, errors and fingerprints."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from test_bulk_paths import _reference_graph  # one per-tie reference for both files

from workbench.core.analysis import network_graph, typed_graph
from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network.communities import undirected_igraph
from workbench.core.network.graph import (
    LIST_SLICE,
    GraphArrays,
    as_list,
    build_graph,
    graph_from_columns,
)
from workbench.core.network.metrics import compute_metrics


def _people(n: int) -> list[Person]:
    return [Person(f"p{i}", f"Person {i}", department=f"D{i % 4}", manager_id=f"p{i // 3}")
            for i in range(n)]


def _ties(n_people: int, count: int, seed: int, kind: str = "advice") -> list[Tie]:
    rng = random.Random(seed)
    return [Tie(f"p{rng.randrange(n_people)}", f"p{rng.randrange(n_people)}",
                rng.choice((0.5, 1, 2.0, True, 0.1)), kind) for _ in range(count)]


def _layout(G: nx.Graph) -> list:
    """Everything order-sensitive about a graph: nodes with data, and each neighbour dict."""
    pred = [(u, list(nbrs.items())) for u, nbrs in G.pred.items()] if G.is_directed() else []
    return [list(G.nodes(data=True)), [(u, list(nbrs.items())) for u, nbrs in G.adjacency()],
            pred, G.is_directed()]


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("seed", [1, 2])
def test_columns_graph_equals_the_reference_graph(directed, seed):
    people, ties = _people(70), _ties(70, 1500, seed)  # repeats, reversed pairs, self-ties
    got = graph_from_columns(people, [t.source for t in ties], [t.target for t in ties],
                             [t.weight for t in ties], directed)
    want = _reference_graph(people, ties, directed)
    assert _layout(got) == _layout(want)
    assert _layout(build_graph(people, ties, directed)) == _layout(want)
    got.add_edge("p1", "new", weight=1.0)  # a normal, editable networkx graph
    assert got.has_edge("p1", "new") and "new" in got


def _arrays(a: GraphArrays) -> list:
    return [a.ids, a.src.tolist(), a.dst.tolist(), a.weight.tolist(), a.directed,
            a.negative_ties]


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_arrays_from_columns_equal_the_arrays_of_the_graph(directed, seed):
    people, ties = _people(70), _ties(70, 1500, seed)
    ties += [Tie("p3", "p4", -1.0), Tie("p5", "p5", -2.0)]  # a signed tie, a signed self-tie
    columns = [t.source for t in ties], [t.target for t in ties], [t.weight for t in ties]
    G = graph_from_columns(people, *columns, directed)
    got = GraphArrays.from_columns([p.id for p in people], *columns, directed)
    assert _arrays(got) == _arrays(GraphArrays.from_graph(G))
    assert got.negative_ties == 1
    # so the measures, and the undirected projection communities use, are the same too
    by_graph, by_arrays = compute_metrics(G), compute_metrics(got)
    assert by_arrays.notes == by_graph.notes and by_arrays.network == by_graph.network
    for key, values in by_graph.columns.items():
        assert by_arrays.columns[key].tolist() == pytest.approx(values.tolist(), nan_ok=True)
    u = undirected_igraph(got)
    want = nx.Graph()
    for a, b, w in G.edges(data="weight"):
        if a != b:
            want.add_edge(a, b, weight=want.get_edge_data(a, b, {"weight": 0})["weight"] + w
                          * (1 if directed else 2))
    index = {p.id: i for i, p in enumerate(people)}
    assert sorted((e.tuple, e["weight"]) for e in u.es) == sorted(
        (tuple(sorted((index[a], index[b]))), w) for a, b, w in want.edges(data="weight"))


def test_arrays_from_columns_refuse_what_the_graph_refuses():
    with pytest.raises(WorkbenchError, match="Person id 'p1' appears more than once"):
        GraphArrays.from_columns(["p0", "p1", "p1"], [], [], [])
    with pytest.raises(WorkbenchError, match="Tie 2 \\(p1 -> p2\\) has weight '2'"):
        GraphArrays.from_columns(["p0", "p1", "p2"], ["p0", "p1"], ["p1", "p2"], [1.0, "2"])
    with pytest.raises(WorkbenchError, match="not in the people list: tie 1: 'x'"):
        GraphArrays.from_columns(["p0"], ["p0"], ["x"], [1.0])


def test_columns_graph_of_no_ties_keeps_every_person():
    G = graph_from_columns(_people(5), [], [], [], directed=True)
    assert list(G) == [f"p{i}" for i in range(5)] and G.number_of_edges() == 0


@pytest.mark.parametrize(("weights", "message"), [
    ([1.0, "2", 1.0], "Tie 2 \\(p1 -> p2\\) has weight '2'"),
    ([1.0, 1.0, None], "Tie 3 \\(p2 -> p0\\) has weight None"),
    ([1.0, float("inf"), 0], "Tie 2 \\(p1 -> p2\\) has weight inf"),
])
def test_columns_graph_reports_the_first_bad_weight(weights, message):
    with pytest.raises(WorkbenchError, match=message):
        graph_from_columns(_people(3), ["p0", "p1", "p2"], ["p1", "p2", "p0"], weights)


def test_unknown_people_are_named_by_tie_number_as_before():
    people = _people(3)
    ties = [Tie("p0", "x"), Tie("p1", "p2", 5.0, "energy"), Tie("y", "z"), Tie("p0", "p1")]
    ties += [Tie(f"ghost{i}", "p0") for i in range(4)]
    with pytest.raises(WorkbenchError) as caught:
        build_graph(people, ties, tie_types={"advice", ""})
    assert str(caught.value) == (
        "Ties name people who are not in the people list: tie 1: 'x'; tie 3: 'y'; "
        "tie 3: 'z'; tie 5: 'ghost0'; tie 6: 'ghost1' and 2 more.")
    # a bad weight between known people is reported first, numbered among all ties
    with pytest.raises(WorkbenchError, match="Tie 4 \\(p0 -> p1\\) has weight nan"):
        build_graph(people, [*ties[:3], Tie("p0", "p1", float("nan"))],
                    tie_types={"advice", ""})


def test_stored_columns_equal_the_tie_objects_and_fingerprint(project):
    project.people.add_many(_people(40))
    ties = [t for t in _ties(40, 600, seed=4) if t.source != t.target]
    network_id = project.networks.add("advice", ties, type="advice")
    columns = project.networks.tie_columns(network_id)
    stored = project.networks.ties(network_id)
    assert list(zip(columns.sources, columns.targets, columns.weights, strict=True)) == [
        (t.source, t.target, t.weight) for t in stored]
    assert columns.fingerprint == project.networks.fingerprint(network_id)
    assert project.networks.tie_columns(network_id + 1).sources == []


@pytest.mark.parametrize("directed", [True, False])
def test_project_graphs_equal_graphs_built_from_tie_objects(project, directed):
    people = _people(50)
    project.people.add_many(people)
    advice = [t for t in _ties(50, 500, seed=5) if t.source != t.target]
    insight = [t for t in _ties(50, 200, seed=6, kind="customer_insight")
               if t.source != t.target]
    first = project.networks.add("advice", advice, type="advice", directed=directed)
    second = project.networks.add("insight", insight, type="customer_insight")
    info = next(n for n in project.networks.list() if n.id == first)
    roster = project.people.list()
    assert _layout(network_graph(project, info, roster)) == _layout(
        build_graph(roster, project.networks.ties(first), directed=directed))
    both = project.networks.ties(first) + project.networks.ties(second)
    assert _layout(typed_graph(project, ("advice", "customer_insight"), roster)) == _layout(
        build_graph(roster, both, directed=True))
    assert typed_graph(project, ("energy",), roster) is None


@pytest.mark.parametrize("shape", [(7,), (LIST_SLICE * 2 + 3,), (LIST_SLICE + 1, 2), (5, 2)])
def test_as_list_is_tolist_made_in_slices(shape):
    import numpy as np

    values = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    assert as_list(values) == values.tolist()
    assert as_list(values.astype(float)) == values.astype(float).tolist()


def test_a_large_projection_is_built_from_its_slices_unchanged():
    people, ties = _people(3000), _ties(3000, 2 * LIST_SLICE + 500, seed=3)
    G = graph_from_columns(people, [t.source for t in ties], [t.target for t in ties],
                           [t.weight for t in ties], directed=True)
    arrays = GraphArrays.from_graph(G)
    g = undirected_igraph(arrays)
    expected: dict[tuple[int, int], float] = {}
    index = {p: i for i, p in enumerate(arrays.ids)}
    for u, v, w in G.edges(data="weight"):
        pair = tuple(sorted((index[u], index[v])))
        expected[pair] = expected.get(pair, 0.0) + w
    assert g.ecount() == len(expected) > LIST_SLICE
    assert {e.tuple: e["weight"] for e in g.es} == pytest.approx(expected)
