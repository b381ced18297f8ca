"""`workbench import` and `workbench export`: the exact command-line contract."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from workbench.cli import main
from workbench.core.project import Project

PEOPLE = ("id,name,department,manager_id\n"
          "e1,Ann Lee,Sales,\ne2,Bo Chen,Sales,e1\ne3,Cy Diaz,Service,e1\n")
TIES = "source,target,weight,type\ne1,e2,2,advice\ne2,e3,1,collaboration\ne3,e1,1,advice\n"


@pytest.fixture
def files(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    ties = tmp_path / "ties.csv"
    ties.write_text(TIES, encoding="utf-8")
    return people, ties


def networks(path: Path) -> dict[str, tuple[str, set]]:
    with Project.open(path) as project:
        return {n.name: (n.type, {(t.source, t.target, t.weight)
                                  for t in project.networks.ties(n.id)})
                for n in project.networks.list()}


def test_import_creates_the_project_and_one_network_per_relation(tmp_path, files, capsys):
    people, ties = files
    out = tmp_path / "new.owb"
    assert main(["import", str(out), "--people", str(people), "--ties", str(ties)]) == 0
    stdout = capsys.readouterr().out
    assert "people.csv: 3 to add, 0 to change, 0 to remove" in stdout
    assert "advice (2 ties)" in stdout and "collaboration (1 tie)" in stdout
    assert networks(out) == {"advice": ("advice", {("e1", "e2", 2.0), ("e3", "e1", 1.0)}),
                             "collaboration": ("collaboration", {("e2", "e3", 1.0)})}


def test_ties_alone_with_network_name_and_type(tmp_path, files, capsys):
    people, _ = files
    out = tmp_path / "p.owb"
    assert main(["import", str(out), "--people", str(people)]) == 0
    untyped = tmp_path / "contacts.csv"
    untyped.write_text("from;to\ne1;e3\ne3;e2\n", encoding="cp1252")
    assert main(["import", str(out), "--ties", str(untyped), "--type", "Energy"]) == 0
    assert networks(out)["energy"] == ("energy", {("e1", "e3", 1.0), ("e3", "e2", 1.0)})
    _, ties = files
    assert main(["import", str(out), "--ties", str(ties), "--network", "Q1 ties"]) == 0
    assert networks(out)["Q1 ties"][0] == "mixed" and len(networks(out)["Q1 ties"][1]) == 3
    capsys.readouterr()


def test_errors_refuse_with_located_messages_unless_accept_valid(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(PEOPLE + ",No Id,IT,e1\ne2,Twice,IT,e1\n", encoding="utf-8")
    out = tmp_path / "refused.owb"
    assert main(["import", str(out), "--people", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "bad.csv, row 5, column 'id'" in captured.err
    assert "bad.csv, row 6, column 'id'" in captured.err
    assert "--accept-valid" in captured.err and captured.out == ""
    assert not out.exists()  # a refused import leaves no new project behind
    assert main(["import", str(out), "--people", str(bad), "--accept-valid"]) == 0
    captured = capsys.readouterr()
    assert "bad.csv, row 5, column 'id'" in captured.out
    with Project.open(out) as project:
        assert [p.id for p in project.people.list()] == ["e1", "e2", "e3"]


def test_refusal_keeps_an_existing_project_unchanged(tmp_path, files, capsys):
    people, _ = files
    out = tmp_path / "p.owb"
    assert main(["import", str(out), "--people", str(people)]) == 0
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("source,target\ne1,e9\ne1,e2\n", encoding="utf-8")
    before = out.read_bytes()
    assert main(["import", str(out), "--ties", str(unknown)]) == 1
    assert "unknown.csv, row 2, column 'target'" in capsys.readouterr().err
    assert out.read_bytes() == before and networks(out) == {}


def test_unreadable_files_and_missing_people(tmp_path, files, capsys):
    _, ties = files
    out = tmp_path / "p.owb"
    assert main(["import", str(out), "--ties", str(ties)]) == 1
    assert "import the people list first" in capsys.readouterr().err
    assert main(["import", str(out), "--people", str(tmp_path / "missing.csv")]) == 1
    assert "missing.csv" in capsys.readouterr().err
    assert not out.exists()


def test_usage_errors_exit_2(tmp_path, files, capsys):
    people, _ = files
    assert main(["import", str(tmp_path / "p.owb")]) == 2
    assert main(["import", str(tmp_path / "p.owb"), "--people", str(people),
                 "--network", "x"]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(tmp_path / "p.owb"), "--network", "x"])
    assert exit_info.value.code == 2
    capsys.readouterr()


def test_network_file_as_ties_and_export_round_trip(tmp_path, files, capsys):
    people, _ = files
    G = nx.DiGraph()
    G.add_edge("e1", "e2", weight=3.0, type="advice")
    G.add_edge("e2", "e3", weight=1.0, type="advice")
    pajek = tmp_path / "net.net"
    pajek.write_text('*Vertices 3\n1 "e1"\n2 "e2"\n3 "e3"\n*Arcs\n1 2 3\n2 3 1\n',
                     encoding="utf-8")
    out = tmp_path / "p.owb"
    assert main(["import", str(out), "--people", str(people), "--ties", str(pajek),
                 "--type", "advice"]) == 0
    assert networks(out) == {"advice": ("advice", {("e1", "e2", 3.0), ("e2", "e3", 1.0)})}
    graphml, gexf = tmp_path / "a.graphml", tmp_path / "a.gexf"
    assert main(["export", str(out), "--network", "advice", "--graphml", str(graphml)]) == 0
    assert main(["export", str(out), "--network", "advice", "--gexf", str(gexf)]) == 0
    for read in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        assert {(u, v) for u, v in read.edges} == set(G.edges)
        assert read.number_of_nodes() == 3
    assert nx.read_graphml(graphml).nodes["e2"]["department"] == "Sales"
    assert "Wrote" in capsys.readouterr().out
    assert main(["export", str(out), "--network", "nope", "--gexf", str(tmp_path / "x.gexf")]) == 1
    assert "No network named 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.gexf").exists()
