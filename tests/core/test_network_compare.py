"""Two dated networks, and the informal network against reporting lines."""

from __future__ import annotations

import networkx as nx
import pytest

from workbench.core.model import Person, Tie
from workbench.core.network.compare import compare_networks, informal_vs_formal
from workbench.core.network.explain import label, sentence
from workbench.core.network.glossary import GLOSSARY
from workbench.core.network.graph import build_graph, formal_graph
from workbench.core.network.groups import BROKERAGE_ROLES
from workbench.core.network.metrics import CSV_COLUMNS, METRIC_KEYS

PEOPLE = [Person(p) for p in "abcde"]


def test_ties_gained_lost_and_movers():
    before = build_graph(PEOPLE[:4], [Tie("a", "b"), Tie("b", "c"), Tie("c", "d")])
    after = build_graph(PEOPLE[:3] + PEOPLE[4:],
                        [Tie("a", "b"), Tie("a", "c"), Tie("c", "e"), Tie("b", "c")])
    change = compare_networks(before, after, measure="in_degree")
    assert change.gained == [("a", "c"), ("c", "e")]
    assert change.lost == [("c", "d")]
    assert change.joined == ["e"] and change.left == ["d"]
    # in-degree: c goes 1 -> 2; a, b unchanged.
    assert [(m.person, m.before, m.after) for m in change.risers] == [("c", 1.0, 2.0)]
    assert change.fallers == []
    bridge = compare_networks(before, after)  # default measure: betweenness
    expected = nx.betweenness_centrality(after)["c"] - nx.betweenness_centrality(before)["c"]
    movers = {m.person: m.change for m in bridge.risers + bridge.fallers}
    assert movers.get("c", 0.0) == pytest.approx(expected)


def test_informal_ties_outside_reporting_lines_and_isolated_teams():
    people = [Person("boss"), Person("m1", manager_id="boss"), Person("m2", manager_id="boss"),
              Person("r1", manager_id="m1"), Person("r2", manager_id="m1"),
              Person("r3", manager_id="m2"), Person("r4", manager_id="m2")]
    informal = build_graph(people, [
        Tie("r1", "m1", type="advice"),  # reporting line
        Tie("r2", "r1", type="advice"),  # same team, not a reporting line
        Tie("r3", "m2", type="customer_insight"),  # reporting line
        Tie("m1", "boss", type="advice"),  # reporting line
        Tie("r4", "m2", type="energy"),  # not counted: other type
    ], tie_types={"advice", "customer_insight"})
    result = informal_vs_formal(informal, formal_graph(people))
    assert (result.ties, result.outside_reporting_lines) == (4, 1)
    assert result.share_outside == pytest.approx(1 / 4)
    # m2's team {m2, r3, r4} has no tie to anyone outside it; m1's team reaches boss.
    assert result.isolated_teams == ["m2"]
    assert result.team_sizes == {"boss": 3, "m1": 3, "m2": 3}


def test_every_shown_figure_has_a_plain_explanation():
    keys = set(METRIC_KEYS) | set(CSV_COLUMNS[1:]) | set(BROKERAGE_ROLES) | {
        "ei_index", "density", "modularity", "key_person_risk"}
    for key in keys:
        assert key in GLOSSARY, key
        assert label(key) and sentence(key).endswith("."), key
    assert label("unknown") == "unknown" and sentence("unknown") == ""
