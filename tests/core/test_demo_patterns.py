"""The demo engagement's planted patterns are found by the analysis the app runs."""

from __future__ import annotations

import pytest

from workbench.core.analysis import analyse_network
from workbench.core.project import Project


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("patterns") / "demo.owb"
    path.write_bytes(demo_file.read_bytes())
    with Project.open(path) as project:
        yield project, project.settings.get("demo.planted")


def test_planted_champions_are_found_as_customer_champions(demo):
    project, planted = demo
    result = analyse_network(project, "collaboration")
    champions = {p for p, role in result.findings.roles.items() if role == "customer champion"}
    named = {p for f in result.findings.of_kind("customer_champion") for p in f.person_ids}
    found = set(planted["champions"]) & (champions | named)
    assert len(found) >= 0.75 * len(planted["champions"])
    # and they are what the findings list leads with, not lost among many others
    assert len(set(planted["champions"]) & named) >= len(named) * 0.75


def test_overloaded_broker_is_found(demo):
    project, planted = demo
    result = analyse_network(project, "advice")
    broker = planted["broker"]
    kinds = {f.kind for f in result.findings.findings if broker in f.person_ids}
    assert {"overloaded", "broker"} <= kinds
    assert result.findings.roles[broker] in ("key person risk", "broker", "overloaded")
    assert result.metrics.value(broker, "in_degree") == max(result.metrics.columns["in_degree"])


@pytest.mark.parametrize("network", ["advice", "collaboration"])
def test_silo_department_has_the_lowest_ei_and_is_named(demo, network):
    project, planted = demo
    result = analyse_network(project, network)
    shown = {g.name: g.ei_index for g in result.groups.groups.values() if g.ei_index is not None}
    assert min(shown, key=shown.get) == planted["silo"]
    assert result.findings.of_kind("silo")[0].groups == [planted["silo"]]


def test_cross_functional_teams_with_coordinators_are_proposed(demo):
    project, _ = demo
    result = analyse_network(project, "collaboration")
    teams = result.findings.of_kind("cross_functional_team")
    coordinators = result.findings.of_kind("coordinator_candidate")
    assert teams and coordinators
    for finding in coordinators:
        assert any(finding.person_ids[0] in team.person_ids for team in teams)
