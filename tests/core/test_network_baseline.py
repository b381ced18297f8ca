"""The yardsticks: random mixing worked out by hand and against networkx's degree-preserving
edge swaps, and the seeded random baseline of bridge scores and pairs lost."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from workbench.core.network import baseline
from workbench.core.network.baseline import pairs_lost, random_baseline, random_mixing
from workbench.core.network.communities import undirected_igraph
from workbench.core.network.graph import GraphArrays
from workbench.core.tasks import Cancelled, Progress


def _arrays(G: nx.Graph) -> GraphArrays:
    return GraphArrays.from_graph(G)


def test_random_mixing_by_hand():
    # a -> b -> c -> d -> a; a, b in X and c, d in Y; everyone has one tie in and one out.
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    mixing = random_mixing(_arrays(G), ["X", "X", "Y", "Y"])
    assert mixing.names == ["X", "Y"] and mixing.sizes == [2, 2]
    np.testing.assert_array_equal(mixing.inside, [1, 1])
    np.testing.assert_array_equal(mixing.outside, [2, 2])
    # 12 ordered pairs of different people, each 1 x 1 = 1, scaled to 4 ties: 1/3 a pair;
    # inside X: a->b, b->a = 2/3; outside X: 8 pairs with one end in X = 8/3.
    np.testing.assert_allclose(mixing.expected_inside, [2 / 3, 2 / 3])
    np.testing.assert_allclose(mixing.expected_outside, [8 / 3, 8 / 3])
    assert mixing.crossing_share == 0.5
    assert mixing.expected_crossing_share == pytest.approx(2 / 3)


def _groups(n: int, seed: int) -> dict[int, str]:
    rng = random.Random(seed)
    return {p: rng.choices("ABC", weights=(6, 3, 1))[0] for p in range(n)}


@pytest.mark.parametrize("directed", [True, False])
def test_random_mixing_is_what_degree_preserving_swaps_give(directed):
    n = 120
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    rng = random.Random(5)
    hubs = range(10)
    for a in range(n):  # uneven degrees: ten people draw many more ties
        for b in range(n):
            if a != b and rng.random() < (0.12 if b in hubs else 0.02):
                G.add_edge(a, b)
    group = _groups(n, 5)
    labels = [group[p] for p in G]
    mixing = random_mixing(_arrays(G), labels)
    inside = np.zeros(3)
    rounds = 60
    for i in range(rounds):
        H = G.copy()
        if directed:
            nx.directed_edge_swap(H, nswap=2 * H.number_of_edges(), max_tries=10 ** 6, seed=i)
        else:
            nx.double_edge_swap(H, nswap=2 * H.number_of_edges(), max_tries=10 ** 6, seed=i)
        for a, b in H.edges():
            if group[a] == group[b]:
                inside["ABC".index(group[a])] += 1 / rounds
    np.testing.assert_allclose(mixing.expected_inside, inside, rtol=0.1, atol=1.0)


def _bridge() -> nx.DiGraph:
    """Two close groups of eight joined only through one person, "k"."""
    G = nx.DiGraph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(8)]
        G.add_edges_from((x, y) for x in members for y in members if x != y)
    G.add_edges_from([("a0", "k"), ("k", "a0"), ("k", "b0"), ("b0", "k")])
    return G


def test_baseline_repeats_with_its_seed_and_keeps_the_ties():
    arrays = _arrays(_bridge())
    k = arrays.ids.index("k")
    first = random_baseline(arrays, samples=10, seed=7, watch=[k])
    again = random_baseline(arrays, samples=10, seed=7, watch=[k])
    other = random_baseline(arrays, samples=10, seed=8, watch=[k])
    np.testing.assert_array_equal(first.betweenness_mean, again.betweenness_mean)
    assert first.pairs_lost == again.pairs_lost
    assert not np.array_equal(first.betweenness_mean, other.betweenness_mean)
    # In the real network k carries every route between the groups (bridge score about a
    # half); in random networks with the same ties per person k is just another person.
    assert first.betweenness_mean[k] < 0.2
    assert first.pairs_lost[k][0] < 0.1 < pairs_lost(undirected_igraph(arrays), k)


def test_sampled_bridge_scores_agree_with_exact_ones(monkeypatch):
    G = nx.gnp_random_graph(150, 0.04, seed=3, directed=True)
    arrays = _arrays(G)
    exact = random_baseline(arrays, samples=20, seed=1)
    monkeypatch.setattr(baseline, "EXACT_BUDGET", 0)  # every sample estimated from 32 sources
    sampled = random_baseline(arrays, samples=20, seed=1)
    assert np.corrcoef(exact.betweenness_mean, sampled.betweenness_mean)[0, 1] > 0.8
    assert sampled.betweenness_mean.mean() == pytest.approx(exact.betweenness_mean.mean(),
                                                            rel=0.15)


def test_pairs_lost_by_hand():
    # a - b - c and d - e: without b, a and c are cut apart (1 of the 2 pairs of others).
    G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    arrays = _arrays(G)
    g = undirected_igraph(arrays)
    assert pairs_lost(g, arrays.ids.index("b")) == pytest.approx(1 / 2)
    assert pairs_lost(g, arrays.ids.index("a")) == 0.0


def test_baseline_started_in_a_second_process_gives_the_same_numbers(monkeypatch):
    arrays = _arrays(_bridge())
    k = arrays.ids.index("k")
    monkeypatch.setattr(baseline, "EXACT_BUDGET", 0)  # bridge scores from sampled sources
    monkeypatch.setattr(baseline, "PARALLEL_WORK", 0)  # and worth a second process
    monkeypatch.setattr(baseline, "available_cores", lambda: 2)
    here = random_baseline(arrays, samples=6, seed=3, watch=[k])
    pending = baseline.start_baseline(arrays, samples=6, seed=3)
    assert pending._process is not None and pending._process.is_alive()
    there = pending.result([k])
    assert pending._process is None and pending._edges_file is None  # closed, file removed
    np.testing.assert_array_equal(there.betweenness_mean, here.betweenness_mean)
    np.testing.assert_array_equal(there.betweenness_sd, here.betweenness_sd)
    assert there.pairs_lost == here.pairs_lost and there.samples == here.samples == 6


def test_cancel_while_waiting_stops_the_second_process(monkeypatch):
    G = nx.gnm_random_graph(3000, 30000, seed=1, directed=True)
    monkeypatch.setattr(baseline, "PARALLEL_WORK", 0)
    monkeypatch.setattr(baseline, "available_cores", lambda: 2)
    pending = baseline.start_baseline(_arrays(G), samples=30, seed=1)
    process = pending._process
    assert process is not None
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        pending.result([], progress)
    pending.close()
    assert not process.is_alive() and pending._edges_file is None


def test_small_networks_stay_in_this_process():
    pending = baseline.start_baseline(_arrays(_bridge()), samples=10, seed=7)
    assert pending._process is None
    assert pending.result().samples == 10
