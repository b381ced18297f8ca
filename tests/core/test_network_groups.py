"""Group figures, privacy suppression and Gould-Fernandez brokerage on hand-checked graphs."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.network.groups import BROKERAGE_ROLES, brokerage, group_report


def _graph(departments: dict[str, str], edges: list[tuple[str, str]]) -> nx.DiGraph:
    G = nx.DiGraph()
    for person, dept in departments.items():
        G.add_node(person, department=dept)
    G.add_edges_from(edges, weight=1.0)
    return G


def _two_teams() -> nx.DiGraph:
    # Sales s1..s5, Ops o1..o5. Inside Sales: s1->s2, s2->s3, s3->s1 (3 internal).
    # Inside Ops: o1->o2 (1 internal). Across: s1->o1, o2->s2 (2 external).
    depts = {f"s{i}": "Sales" for i in range(1, 6)} | {f"o{i}": "Ops" for i in range(1, 6)}
    edges = [("s1", "s2"), ("s2", "s3"), ("s3", "s1"), ("o1", "o2"), ("s1", "o1"), ("o2", "s2")]
    return _graph(depts, edges)


def test_ei_index_density_and_matrix_by_hand():
    report = group_report(_two_teams(), min_group_size=5)
    sales, ops = report.groups["Sales"], report.groups["Ops"]
    assert (sales.internal_ties, sales.external_ties) == (3, 2)
    assert sales.ei_index == pytest.approx((2 - 3) / (2 + 3))
    assert sales.density == pytest.approx(3 / (5 * 4))
    assert (ops.internal_ties, ops.external_ties) == (1, 2)
    assert ops.ei_index == pytest.approx((2 - 1) / 3)
    # Overall: 4 internal, 2 external ties.
    assert report.overall_ei == pytest.approx((2 - 4) / 6)
    assert report.matrix["Sales"] == {"Sales": 3, "Ops": 1}
    assert report.matrix["Ops"] == {"Sales": 1, "Ops": 1}
    assert not report.notes


def test_small_group_is_hidden_with_complementary_suppression():
    G = _two_teams()
    for person in ("x1", "x2"):
        G.add_node(person, department="Legal")
    G.add_edge("x1", "s1", weight=1.0)
    report = group_report(G, min_group_size=5)
    assert report.groups["Legal"].suppressed == "small"
    assert report.groups["Legal"].ei_index is None
    # Legal alone would be derivable from the overall figure; the next smallest group
    # (Ops and Sales are both 5; "Ops" sorts first) is hidden as well.
    assert report.groups["Ops"].suppressed == "complementary"
    assert report.groups["Ops"].internal_ties is None
    assert report.groups["Sales"].suppressed is None
    assert report.matrix["Sales"]["Legal"] is None and report.matrix["Legal"]["Legal"] is None
    assert report.matrix["Sales"]["Sales"] == 3
    assert report.notes


def test_min_group_size_below_three_is_refused():
    with pytest.raises(WorkbenchError, match="at least 3"):
        group_report(_two_teams(), min_group_size=2)


def test_brokerage_roles_by_hand():
    # b brokers for every role: a is the source, c the target in each two-path.
    depts = {"b": "X", "a1": "X", "c1": "X", "a2": "Y", "c2": "Y", "c3": "Z"}
    edges = [("a1", "b"), ("a2", "b"), ("b", "c1"), ("b", "c2"), ("b", "c3")]
    counts = brokerage(_graph(depts, edges))["b"]
    # a1(X)->b(X)->c1(X) go-between; a2(Y)->b->c1(X) receiver;
    # a1(X)->b->c2(Y), a1->b->c3(Z) representative; a2(Y)->b->c2(Y) outside adviser;
    # a2(Y)->b(X)->c3(Z) liaison.
    assert counts == {
        "go_between": 1, "receiver": 1, "representative": 2, "outside_adviser": 1, "liaison": 1,
    }


def test_brokerage_ignores_closed_and_returning_paths():
    depts = {"a": "X", "b": "X", "c": "X"}
    closed = _graph(depts, [("a", "b"), ("b", "c"), ("a", "c")])
    assert brokerage(closed)["b"]["go_between"] == 0
    back_and_forth = _graph(depts, [("a", "b"), ("b", "a")])
    assert sum(brokerage(back_and_forth)["b"].values()) == 0
    # c -> a does not close a -> b -> c: only the tie a -> c does.
    reverse = _graph(depts, [("a", "b"), ("b", "c"), ("c", "a")])
    assert brokerage(reverse)["b"]["go_between"] == 1


def _naive_brokerage(G: nx.DiGraph) -> dict[str, dict[str, int]]:
    dept = nx.get_node_attributes(G, "department")
    counts = {p: dict.fromkeys(BROKERAGE_ROLES, 0) for p in G}
    for b in G:
        for a, c in itertools.product(G.predecessors(b), G.successors(b)):
            if a == c or G.has_edge(a, c) or b in (a, c):
                continue
            ga, gb, gc = dept[a], dept[b], dept[c]
            if ga == gb == gc:
                role = "go_between"
            elif gb == gc:
                role = "receiver"
            elif ga == gb:
                role = "representative"
            elif ga == gc:
                role = "outside_adviser"
            else:
                role = "liaison"
            counts[b][role] += 1
    return counts


def test_brokerage_matches_a_direct_count_on_a_random_graph():
    G = nx.gnp_random_graph(120, 0.05, seed=11, directed=True)
    rng = random.Random(11)
    nx.set_node_attributes(G, {p: rng.choice("ABCD") for p in G}, "department")
    G = nx.relabel_nodes(G, {p: f"p{p}" for p in G})
    assert brokerage(G) == _naive_brokerage(G)


def test_undirected_ties_count_once_and_the_matrix_is_symmetric():
    G = _two_teams().to_undirected()  # the 6 ties stay 6 (no pair was reciprocated)
    report = group_report(G, min_group_size=5)
    sales = report.groups["Sales"]
    assert (sales.internal_ties, sales.external_ties) == (3, 2)
    assert sales.density == pytest.approx(3 / 10)  # 10 possible pairs among 5 people
    assert report.matrix["Sales"]["Ops"] == report.matrix["Ops"]["Sales"] == 2
