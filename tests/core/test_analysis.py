"""Project-level analysis: results equal the core measures, the cache, cancel, comparisons."""

from __future__ import annotations

import dataclasses
import json

import networkx as nx
import numpy as np
import pytest
from sqlalchemy import func, select

from workbench.core.analysis import (
    AnalysisParams,
    analyse_network,
    analyse_roles,
    compare_dated,
    compare_formal,
    resolve_network,
)
from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network.findings import Thresholds, find_patterns
from workbench.core.network.graph import build_graph
from workbench.core.network.layout import force_layout, group_layout
from workbench.core.network.metrics import compute_metrics
from workbench.core.privacy import PrivacySettings, save_privacy
from workbench.core.store.schema import AnalysisCacheRow
from workbench.core.tasks import Cancelled, Progress

DEPTS = {"Sales": ["s1", "s2", "s3", "s4", "s5"], "Ops": ["o1", "o2", "o3", "o4", "o5"],
         "IT": ["i1", "i2", "i3", "i4", "i5"]}


def _people() -> list[Person]:
    people = []
    for dept, ids in DEPTS.items():
        for i, pid in enumerate(ids):
            people.append(Person(pid, name=pid.upper(), department=dept,
                                 manager_id=None if i == 0 else ids[0],
                                 customer_facing=dept == "Sales"))
    return people


def _ties(extra: list[tuple[str, str]] = ()) -> list[Tie]:
    pairs = [(a, b) for ids in DEPTS.values() for a in ids for b in ids if a != b and a < b]
    pairs += [("s1", "o1"), ("o1", "i1"), ("s2", "i3"), *extra]
    return [Tie(a, b, 2.0) for a, b in pairs] + [Tie(b, a, 1.0) for a, b in pairs[:10]]


@pytest.fixture
def filled(project):
    project.people.add_many(_people())
    project.networks.add("collab", _ties(), type="collaboration")
    project.networks.add("advice", _ties([("s3", "o4")]), type="advice")
    project.networks.add("insight", [Tie(a, "s5") for a in ("o2", "o3", "i2")],
                         type="customer_insight")
    return project


def _cache_rows(project) -> int:
    with project.read() as conn:
        return conn.execute(select(func.count()).select_from(AnalysisCacheRow.__table__)
                            ).scalar_one()


def test_results_equal_the_core_measures_on_the_same_graph(filled):
    result = analyse_network(filled, "collab")
    G = build_graph(_people(), _ties())
    reference = compute_metrics(G)
    assert result.metrics.ids == reference.ids
    for key, values in reference.columns.items():
        np.testing.assert_allclose(result.metrics.columns[key], values, equal_nan=True)
    insight = build_graph(_people(), [Tie(a, "s5") for a in ("o2", "o3", "i2")])
    expected = find_patterns(G, reference, insight_graph=insight)
    assert result.findings.roles == expected.roles
    assert result.findings.findings == expected.findings
    assert result.findings.roles["s5"] == "customer champion"
    assert set(result.positions) == set(G)


def test_second_run_uses_the_cache_and_a_changed_tie_invalidates_it(filled):
    first = analyse_network(filled, "collab")
    assert first.from_cache == ""
    second = analyse_network(filled, "collab")
    assert second.from_cache == "all"
    for key in first.metrics.columns:
        np.testing.assert_array_equal(second.metrics.columns[key], first.metrics.columns[key])
    assert second.findings == first.findings and second.positions == first.positions
    assert second.groups == first.groups and second.overlap == first.overlap

    info = resolve_network(filled, "collab")
    with filled.edit("Change a tie weight") as w:  # tie row 1 belongs to "collab"
        w.update("tie", 1, {"weight": 9.0})
    changed = analyse_network(filled, "collab")
    assert changed.from_cache == ""
    assert changed.graph.edges["s1", "s2"]["weight"] == 9.0
    assert analyse_network(filled, "collab").from_cache == "all"
    filled.undo()  # the cache holds the changed ties now, so undoing recomputes too
    restored = analyse_network(filled, "collab")
    assert restored.from_cache == "" and restored.graph.edges["s1", "s2"]["weight"] == 2.0
    for key in first.metrics.columns:
        np.testing.assert_allclose(restored.metrics.columns[key], first.metrics.columns[key],
                                   equal_nan=True)
    assert info.id == restored.network.id


def test_changed_people_or_thresholds_recompute_only_what_depends_on_them(filled):
    analyse_network(filled, "collab")
    stricter = AnalysisParams(thresholds=Thresholds(peripheral_max_ties=100))
    redone = analyse_network(filled, "collab", stricter)
    assert redone.from_cache == "metrics"
    assert redone.findings.count("peripheral") > analyse_network(
        filled, "collab", use_cache=False).findings.count("peripheral")
    person = filled.people.get("i5")
    filled.people.update(dataclasses.replace(person, department="Sales"))
    moved = analyse_network(filled, "collab", stricter)
    assert moved.from_cache == ""
    assert moved.groups.groups["Sales"].size == 6


def test_cached_payload_is_plain_json(filled):
    analyse_network(filled, "collab")
    with filled.read() as conn:
        payloads = conn.execute(select(AnalysisCacheRow.__table__.c.payload)).scalars().all()
    assert len(payloads) == 2
    decoded = [json.loads(p) for p in payloads]
    assert any("columns" in d for d in decoded) and any("findings" in d for d in decoded)


@pytest.mark.parametrize("stop_at", ["Communities", "Looking for patterns"])
def test_cancel_mid_analysis_leaves_no_cache_and_no_change(filled, stop_at):
    undo_before = filled.history.undo_label
    info = resolve_network(filled, "collab")
    fingerprint = filled.networks.fingerprint(info.id)
    progress = Progress()

    def cancel_at(fraction: float, message: str) -> None:
        if stop_at in message:
            progress.cancel()

    progress._callback = cancel_at
    with pytest.raises(Cancelled):
        analyse_network(filled, "collab", progress=progress)
    assert _cache_rows(filled) == 0
    assert filled.history.undo_label == undo_before
    assert filled.networks.fingerprint(info.id) == fingerprint
    assert analyse_network(filled, "collab").from_cache == ""


def test_default_network_prefers_advice_then_collaboration(filled, tmp_path):
    assert resolve_network(filled).name == "advice"
    filled.networks.remove(resolve_network(filled, "advice").id)
    assert resolve_network(filled).name == "collab"
    with pytest.raises(WorkbenchError, match="No network named 'nope'.*'collab'"):
        resolve_network(filled, "nope")


def test_empty_project_is_refused_with_a_message(project):
    with pytest.raises(WorkbenchError, match="no people"):
        resolve_network(project)
    project.people.add_many(_people())
    with pytest.raises(WorkbenchError, match="no networks"):
        analyse_network(project)


def test_dated_comparison_gains_losses_and_movers(filled):
    result = compare_dated(filled, "collab", "advice")
    before, after = build_graph(_people(), _ties()), build_graph(_people(), _ties([("s3", "o4")]))
    assert result.change.gained == sorted(set(after.edges()) - set(before.edges()))
    assert result.change.lost == []
    b0 = nx.betweenness_centrality(before)
    b1 = nx.betweenness_centrality(after)
    top = result.change.risers[0]
    assert top.change == pytest.approx(max(b1[p] - b0[p] for p in before))


def test_formal_comparison_counts_ties_outside_reporting_lines(filled):
    view = compare_formal(filled)
    informal = build_graph(_people(), _ties([("s3", "o4")]) + [Tie(a, "s5") for a in
                                                                 ("o2", "o3", "i2")])
    lines = {frozenset((p.manager_id, p.id)) for p in _people() if p.manager_id}
    outside = sum(frozenset(e) not in lines for e in informal.edges())
    assert view.comparison.outside_reporting_lines == outside
    assert view.comparison.share_outside == pytest.approx(outside / informal.number_of_edges())
    assert view.comparison.isolated_teams == []
    assert view.names["s1"] == "S1"


def test_layout_is_seeded_and_scaled():
    G = nx.relabel_nodes(nx.karate_club_graph(), str)
    a, b = force_layout(G, seed=3), force_layout(G, seed=3)
    assert a == b and a != force_layout(G, seed=4)
    xy = np.asarray(list(a.values()))
    assert np.abs(xy).max() == pytest.approx(1.0)
    # Tied people end up closer on average than untied ones.
    tied = np.mean([np.linalg.norm(xy[int(u)] - xy[int(v)]) for u, v in G.edges()])
    pairs = [(u, v) for u in G for v in G if u < v and not G.has_edge(u, v)]
    untied = np.mean([np.linalg.norm(xy[int(u)] - xy[int(v)]) for u, v in pairs])
    assert tied < untied


def test_group_layout_aggregates_people_and_ties():
    G = build_graph(_people(), _ties())
    groups = group_layout(G)
    assert groups.sizes == {d: len(ids) for d, ids in DEPTS.items()}
    assert groups.ties == {("Ops", "Sales"): 1, ("IT", "Ops"): 1, ("IT", "Sales"): 1}
    assert groups.internal["Sales"] == sum(
        1 for u, v in G.edges() if G.nodes[u]["department"] == G.nodes[v]["department"] == "Sales")
    assert set(groups.positions) == set(DEPTS)


@pytest.mark.parametrize("directed", [True, False])
def test_group_layout_counts_every_tie_in_the_order_groups_first_meet(directed):
    G = nx.gnm_random_graph(300, 2500, seed=5, directed=directed)
    nx.set_node_attributes(G, {p: "ABCDEFG"[p * 7 % 11 % 7] if p % 13 else "" for p in G},
                           "department")
    G = nx.relabel_nodes(G, {p: f"p{(p * 37) % 300}" for p in G})
    sizes, ties, internal = {}, {}, {}  # counted tie by tie, as a person would
    for p in G:
        group = G.nodes[p]["department"] or "(not set)"
        sizes[group] = sizes.get(group, 0) + 1
    for u, v in G.edges():
        a, b = (G.nodes[x]["department"] or "(not set)" for x in (u, v))
        if a == b:
            internal[a] = internal.get(a, 0) + 1
        else:
            key = (min(a, b), max(a, b))
            ties[key] = ties.get(key, 0) + 1
    groups = group_layout(G)
    assert list(groups.sizes.items()) == list(sizes.items())
    assert list(groups.ties.items()) == list(ties.items())
    assert list(groups.internal.items()) == list(internal.items())


def test_roles_for_the_table_equal_the_full_analysis_and_leave_no_cache(filled):
    hidden = analyse_roles(filled, "collab")  # individual labels off: no roles are worked out
    assert _cache_rows(filled) == 0
    assert hidden.findings.findings == [] and not any(hidden.findings.roles.values())
    save_privacy(filled, PrivacySettings(name_individual_labels=True))
    shown = analyse_roles(filled, "collab")
    assert _cache_rows(filled) == 0  # the cache holds whole analyses only
    full = analyse_network(filled, "collab")
    assert shown.findings.roles == full.findings.roles and any(shown.findings.roles.values())
    assert hidden.findings.notes == shown.findings.notes == full.findings.notes
    assert {f.kind for f in shown.findings.findings} == {
        f.kind for f in full.findings.findings} - {"silo", "cross_functional_team",
                                                   "coordinator_candidate"}
    for key, values in full.metrics.columns.items():
        np.testing.assert_array_equal(shown.metrics.columns[key], values)
    assert analyse_roles(filled, "collab").findings == full.findings  # now from the cache
