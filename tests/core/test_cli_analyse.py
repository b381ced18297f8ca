"""`workbench analyse`: exact header, one row per person, values from compute_metrics, exit codes."""

from __future__ import annotations

import csv

import pytest

from workbench.cli import main
from workbench.core.model import Person, Tie
from workbench.core.network.findings import find_patterns
from workbench.core.network.graph import build_graph
from workbench.core.network.metrics import CSV_COLUMNS, compute_metrics
from workbench.core.privacy import PrivacySettings, save_privacy
from workbench.core.project import Project

HEADER = ["id", "in_degree", "out_degree", "betweenness", "pagerank", "eigenvector",
          "closeness_harmonic", "burt_constraint", "community", "role"]
PEOPLE = [Person(f"p{i}", name=f"P {i}", department="AB"[i % 2]) for i in range(9)]
TIES = [Tie(f"p{i}", f"p{(i + 1) % 8}", 1.0 + i % 3) for i in range(8)] + [
    Tie("p0", "p4"), Tie("p5", "p2", 2.0)]  # p8 has no ties at all


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "p.owb"
    with Project.create(path) as project:
        project.people.add_many(PEOPLE)
        project.networks.add("ring", TIES, type="collaboration")
    return path


def _read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_writes_exact_columns_with_values_from_compute_metrics(project_file, tmp_path, capsys):
    out = tmp_path / "metrics.csv"
    assert main(["analyse", str(project_file), "--out", str(out)]) == 0
    rows = _read(out)
    assert rows[0] == HEADER == list(CSV_COLUMNS)
    body = {r[0]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    assert sorted(body) == sorted(p.id for p in PEOPLE)
    G = build_graph(PEOPLE, TIES)
    reference = compute_metrics(G)
    roles = find_patterns(G, reference).roles
    for person in G:
        row = body[person]
        assert int(row["in_degree"]) == G.in_degree(person)
        assert int(row["out_degree"]) == G.out_degree(person)
        for key in ("betweenness", "pagerank", "eigenvector", "closeness_harmonic"):
            assert float(row[key]) == pytest.approx(reference.value(person, key), abs=1e-12)
        constraint = reference.value(person, "burt_constraint")
        assert row["burt_constraint"] == ("" if constraint is None else row["burt_constraint"])
        if constraint is not None:
            assert float(row["burt_constraint"]) == pytest.approx(constraint)
        assert int(row["community"]) == reference.partition.membership[person]
        assert row["role"] == ""  # no individual label beside a real id by default
    assert body["p8"]["burt_constraint"] == ""  # undefined for an isolated person
    assert f"network 'ring', {len(PEOPLE)} people" in capsys.readouterr().out
    assert any(roles.values())
    with Project.open(project_file) as project:  # the consultant switches the labels on
        save_privacy(project, PrivacySettings(name_individual_labels=True))
    assert main(["analyse", str(project_file), "--out", str(out)]) == 0
    body = {r[0]: dict(zip(HEADER, r, strict=True)) for r in _read(out)[1:]}
    assert {person: row["role"] for person, row in body.items()} == roles


def test_unknown_network_and_empty_project_exit_1(project_file, tmp_path, capsys):
    out = tmp_path / "m.csv"
    assert main(["analyse", str(project_file), "--network", "nope", "--out", str(out)]) == 1
    assert "No network named 'nope'" in capsys.readouterr().err
    assert not out.exists()
    empty = tmp_path / "empty.owb"
    Project.create(empty).close()
    assert main(["analyse", str(empty), "--out", str(out)]) == 1
    assert "no people" in capsys.readouterr().err
    assert not out.exists()


def test_existing_output_is_kept_when_the_analysis_fails(project_file, tmp_path):
    out = tmp_path / "m.csv"
    out.write_text("old")
    assert main(["analyse", str(project_file), "--network", "nope", "--out", str(out)]) == 1
    assert out.read_text() == "old"
    assert main(["analyse", str(project_file), "--out", str(project_file)]) == 1
    with Project.open(project_file) as project:
        assert project.people.count() == len(PEOPLE)
