"""The fast bulk paths (driver-level inserts and reads, dict-merged graph building, array
conversion) give exactly what the straightforward per-row code gives."""

from __future__ import annotations

import random
import sqlite3

import networkx as nx
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network.graph import NODE_ATTRIBUTES, GraphArrays, build_graph


def _people(n: int) -> list[Person]:
    return [Person(f"p{i}", f"Person {i}", department=f"D{i % 3}", customer_facing=i % 2 == 0,
                   attributes={"grade": str(i % 4)}) for i in range(n)]


def _random_ties(n_people: int, count: int, seed: int) -> list[Tie]:
    rng = random.Random(seed)
    return [Tie(f"p{rng.randrange(n_people)}", f"p{rng.randrange(n_people)}",
                rng.choice((0.5, 1.0, 2.0, 3)), "advice") for _ in range(count)]


def _reference_graph(people: list[Person], ties: list[Tie], directed: bool) -> nx.Graph:
    """What build_graph promises, written one networkx call per tie."""
    G = nx.DiGraph() if directed else nx.Graph()
    for p in people:
        G.add_node(p.id, **{k: getattr(p, k) for k in NODE_ATTRIBUTES})
    for t in ties:
        if t.source != t.target:
            data = G.get_edge_data(t.source, t.target)
            G.add_edge(t.source, t.target,
                       weight=float(t.weight) + (data["weight"] if data else 0.0))
    return G


@pytest.mark.parametrize("directed", [True, False])
def test_build_graph_equals_per_tie_reference_including_order(directed):
    people = _people(60)
    ties = _random_ties(60, 900, seed=3)  # many repeats, reversed pairs and self-ties
    G = build_graph(people, ties, directed=directed)
    ref = _reference_graph(people, ties, directed)
    assert list(G.nodes(data=True)) == list(ref.nodes(data=True))
    # same neighbour order per person, so every array view and measure is unchanged
    assert [(u, list(nbrs.items())) for u, nbrs in G.adjacency()] == [
        (u, list(nbrs.items())) for u, nbrs in ref.adjacency()]
    assert list(G.edges(data="weight")) == list(ref.edges(data="weight"))


def test_build_graph_still_reports_bad_input_by_tie_number():
    people = _people(3)
    with pytest.raises(WorkbenchError, match="Tie 2 .*weight 0"):
        build_graph(people, [Tie("p0", "p1"), Tie("p1", "p2", 0)])
    with pytest.raises(WorkbenchError, match="tie 2: 'x'.*tie 3: 'y'"):
        build_graph(people, [Tie("p0", "p1"), Tie("x", "p1"), Tie("p2", "y")])
    with pytest.raises(WorkbenchError, match="'p1' appears more than once"):
        build_graph([*people, Person("p1")], [])


@pytest.mark.parametrize("directed", [True, False])
def test_arrays_match_the_edge_list(directed):
    G = build_graph(_people(40), _random_ties(40, 300, seed=5), directed=directed)
    arrays = GraphArrays.from_graph(G)
    got = [(arrays.ids[a], arrays.ids[b], w)
           for a, b, w in zip(arrays.src, arrays.dst, arrays.weight, strict=True)]
    assert got == list(G.edges(data="weight"))


def test_network_ties_round_trip_with_undo_and_redo(project):
    project.people.add_many(_people(50))
    ties = [t for t in _random_ties(50, 400, seed=7) if t.source != t.target]
    network_id = project.networks.add("advice", ties, type="advice")
    assert project.networks.ties(network_id) == [Tie(t.source, t.target, float(t.weight),
                                                     "advice") for t in ties]
    stored = project.networks.ties(network_id)
    project.undo()
    assert project.networks.list() == []
    project.redo()
    assert project.networks.ties(network_id) == stored


def test_bulk_people_keep_typed_columns_through_undo_and_redo(project, project_path):
    people = _people(30)
    project.people.add_many(people)
    assert project.people.list() == people
    project.undo()
    assert project.people.list() == []
    project.redo()
    assert project.people.list() == people
    # JSON and Boolean columns are stored as the SQLAlchemy types would store them
    with sqlite3.connect(project_path) as raw:
        attributes, facing = raw.execute(
            "SELECT attributes, customer_facing FROM person WHERE person_id = 'p2'").fetchone()
    assert (attributes, facing) == ('{"grade": "2"}', 1)


def test_fingerprint_follows_the_stored_ties_in_order(project):
    project.people.add_many(_people(20))
    ties = [t for t in _random_ties(20, 100, seed=9) if t.source != t.target]
    network_id = project.networks.add("advice", ties)
    same = project.networks.add("copy", ties)
    reordered = project.networks.add("reordered", [*ties[1:], ties[0]])
    last = ties[-1]
    other = next(p.id for p in _people(20) if p.id not in (last.source, last.target))
    reweighted = project.networks.add("reweighted", [
        *ties[:-1], Tie(last.source, last.target, last.weight + 1)])
    retargeted = project.networks.add("retargeted", [
        *ties[:-1], Tie(last.source, other, last.weight)])
    prints = {n: project.networks.fingerprint(n)
              for n in (network_id, same, reordered, reweighted, retargeted)}
    assert prints[network_id] == prints[same] == project.networks.tie_columns(
        network_id).fingerprint
    assert len({prints[n] for n in (network_id, reordered, reweighted, retargeted)}) == 4
    project.networks.add("other", ties[:5])
    assert project.networks.fingerprint(network_id) == prints[network_id]


def test_reads_inside_an_edit_see_its_own_uncommitted_ties(project):
    project.people.add_many(_people(5))
    with project.edit("Two networks"):
        first = project.networks.add("a", [Tie("p0", "p1", 2.0)])
        assert [(t.source, t.target, t.weight) for t in project.networks.ties(first)] == [
            ("p0", "p1", 2.0)]
    assert project.networks.ties(first) == [Tie("p0", "p1", 2.0)]


@pytest.mark.parametrize("directed", [True, False])
def test_arrays_subgraph_equals_arrays_of_the_networkx_subgraph(directed):
    G = build_graph(_people(80), _random_ties(80, 700, seed=11), directed=directed)
    G.add_edge("p3", "p3", weight=2.0)  # a self-loop added by hand is kept like networkx keeps it
    members = random.Random(2).sample(list(G), 35) + ["p3", "not a person"]
    got = GraphArrays.from_graph(G).subgraph(members)
    want = GraphArrays.from_graph(G.subgraph(members))
    # the same people (in the full graph's order: a networkx subgraph view follows set order)
    assert got.ids == [p for p in G if p in set(want.ids)]
    assert got.directed == want.directed

    def edges(a: GraphArrays) -> list:
        pairs = [(a.ids[s], a.ids[t], w) for s, t, w in zip(a.src, a.dst, a.weight, strict=True)]
        return sorted(pairs if directed else [(*sorted(p[:2]), p[2]) for p in pairs])

    assert edges(got) == edges(want)


def _tie_index(path) -> list[tuple]:
    with sqlite3.connect(path) as raw:
        return raw.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'tie' AND "
                           "type = 'index'").fetchall()


def test_a_bulk_load_rebuilds_the_tie_index_and_a_failed_one_keeps_it(project, project_path):
    from workbench.core.store.history import BULK_LOAD_ROWS

    index = _tie_index(project_path)
    assert index == [("ix_tie_network", "CREATE INDEX ix_tie_network ON tie (network_id)")]
    project.people.add_many(_people(200))
    small = project.networks.add("small", _random_ties(200, 50, seed=3))
    ties = _random_ties(200, BULK_LOAD_ROWS + 10, seed=4)
    with pytest.raises(Exception, match="NOT NULL"):  # the last tie cannot be stored
        project.networks.add("broken", [*ties, Tie("p1", None, 1.0)])  # type: ignore[arg-type]
    assert _tie_index(project_path) == index
    assert [n.name for n in project.networks.list()] == ["small"]
    big = project.networks.add("big", ties)  # dropped, loaded, built again
    assert _tie_index(project_path) == index
    with sqlite3.connect(project_path) as raw:
        plan = raw.execute("EXPLAIN QUERY PLAN SELECT * FROM tie WHERE network_id = ?",
                           (big,)).fetchall()
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert "USING INDEX ix_tie_network" in plan[0][-1]
    assert [(t.source, t.target) for t in project.networks.ties(big)] == [
        (t.source, t.target) for t in ties]
    assert len(project.networks.ties(small)) == 50
    project.undo()
    project.redo()
    assert _tie_index(project_path) == index
    assert len(project.networks.ties(big)) == len(ties)
