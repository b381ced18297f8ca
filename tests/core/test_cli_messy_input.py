"""The command line on messy client files: regressions found by QA, each through `main`."""

from __future__ import annotations

import csv
import math

import networkx as nx
import openpyxl
import pytest

from workbench.cli import main
from workbench.core.project import Project

PEOPLE = "Employee ID;Full Name;Dept;Manager\r\n1001;Zoë Müller;Vertrieb;\r\n1002;Bo;Sales;1001\r\n"


def _people(path) -> dict[str, tuple[str, str, str | None]]:
    with Project.open(path) as project:
        return {p.id: (p.name, p.department, p.manager_id) for p in project.people.list()}


def _networks(path) -> dict[str, tuple[str, bool, set]]:
    with Project.open(path) as project:
        return {n.name: (n.type, n.directed, {(t.source, t.target, t.weight)
                                              for t in project.networks.ties(n.id)})
                for n in project.networks.list()}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_excel_sep_line_names_the_separator_and_rows_keep_their_numbers(tmp_path, capsys,
                                                                        encoding):
    people = tmp_path / "hr.csv"
    people.write_bytes(("sep=;\r\n" + PEOPLE + "1003;Cy;Sales;9999\r\n").encode(encoding))
    out = tmp_path / "p.owb"
    assert main(["import", str(out), "--people", str(people)]) == 0
    stdout = capsys.readouterr().out
    assert _people(out) == {"1001": ("Zoë Müller", "Vertrieb", None),
                            "1002": ("Bo", "Sales", "1001"), "1003": ("Cy", "Sales", None)}
    # line 1 is "sep=;", line 2 the header: 1001 is on line 3 and 1003 on line 5
    assert "hr.csv, row 3, column 'Manager': no manager given" in stdout
    assert "hr.csv, row 5, column 'Manager': manager '9999' is not in the file" in stdout


def test_workbook_whose_first_sheet_is_notes_reads_the_sheet_with_the_columns(tmp_path,
                                                                              capsys):
    book = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Read me"
    workbook.active["A1"] = "HR export, March"
    people = workbook.create_sheet("Staff")
    people.append(["Employee ID", "Name", "Dept", "Manager", "Customer facing?"])
    people.append([1001, "Ann", "Sales", None, "yes"])
    people.append([1002, "Bo", "Sales", 1001, "no"])
    ties = workbook.create_sheet("Ties")
    ties.append(["from", "to", "weight", "type"])
    ties.append([1002, 1001, 2.5, "Advice"])
    workbook.save(book)
    out = tmp_path / "p.owb"
    assert main(["import", str(out), "--people", str(book), "--ties", str(book)]) == 0
    stdout = capsys.readouterr().out
    assert "read sheet 'Staff'" in stdout and "read sheet 'Ties'" in stdout
    assert _people(out) == {"1001": ("Ann", "Sales", None), "1002": ("Bo", "Sales", "1001")}
    assert _networks(out) == {"advice": ("advice", True, {("1002", "1001", 2.5)})}


def test_a_network_file_without_relations_is_named_after_the_file(tmp_path, capsys):
    G = nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"k{n}")
    graphml = tmp_path / "karate club.graphml"
    nx.write_graphml(G, graphml)
    out = tmp_path / "k.owb"
    assert main(["import", str(out), "--ties", str(graphml)]) == 0
    assert "network 'karate club': 78 ties" in capsys.readouterr().out
    name, (kind, directed, ties) = next(iter(_networks(out).items()))
    assert (name, kind, directed, len(ties)) == ("karate club", "", False, 78)
    metrics = tmp_path / "m.csv"
    assert main(["analyse", str(out), "--out", str(metrics)]) == 0
    with open(metrics, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    degree = dict(G.degree())
    assert {r["id"]: (int(r["in_degree"]), int(r["out_degree"])) for r in rows} == {
        n: (d, d) for n, d in degree.items()}
    pagerank = nx.pagerank(G, alpha=0.85, tol=1e-12, max_iter=10_000)
    assert all(math.isclose(float(r["pagerank"]), pagerank[r["id"]], abs_tol=1e-9)
               for r in rows)


def test_analyse_matches_networkx_on_a_directed_karate_club_with_isolated_people(tmp_path):
    G = nx.DiGraph()
    G.add_nodes_from(f"k{n}" for n in range(36))  # k34 and k35 have no ties
    for u, v in nx.karate_club_graph().edges():
        G.add_edge(f"k{u}", f"k{v}", weight=1.0 + (u * v) % 3)
        if (u + v) % 3 == 0:
            G.add_edge(f"k{v}", f"k{u}", weight=2.0)
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("id,name\n" + "".join(f"{n},{n.upper()}\n" for n in G), encoding="utf-8")
    ties.write_text("source,target,weight,type\n" + "".join(
        f"{u},{v},{d['weight']},advice\n" for u, v, d in G.edges(data=True)), encoding="utf-8")
    project, out = tmp_path / "k.owb", tmp_path / "metrics.csv"
    assert main(["import", str(project), "--people", str(people), "--ties", str(ties)]) == 0
    assert main(["analyse", str(project), "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert list(rows) == list(G)
    # the networkx defaults, except the two choices the contract names
    reference = {
        "in_degree": dict(G.in_degree()), "out_degree": dict(G.out_degree()),
        "betweenness": nx.betweenness_centrality(G, normalized=True),
        "pagerank": nx.pagerank(G, alpha=0.85, tol=1e-12, max_iter=10_000),
        "eigenvector": {"k34": 0.0, "k35": 0.0, **nx.eigenvector_centrality_numpy(
            G.to_undirected().subgraph(f"k{i}" for i in range(34)))},
        "closeness_harmonic": nx.harmonic_centrality(G),
        "burt_constraint": nx.constraint(G),
    }
    for column, values in reference.items():
        for person, expected in values.items():
            got = rows[person][column]
            if math.isnan(expected):  # Burt constraint of someone without ties
                assert got == "", (column, person)
            else:
                assert math.isclose(float(got), expected, rel_tol=1e-6, abs_tol=1e-9), (
                    column, person, got, expected)


def test_output_paths_that_are_folders_or_missing_folders_exit_1(tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text("id,name\na,A\nb,B\n", encoding="utf-8")
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target\na,b\n", encoding="utf-8")
    project = tmp_path / "p.owb"
    assert main(["import", str(project), "--people", str(people), "--ties", str(ties)]) == 0
    capsys.readouterr()
    folder = tmp_path / "out"
    folder.mkdir()
    for argv in (["analyse", str(project), "--out", str(folder)],
                 ["export", str(project), "--network", "ties", "--graphml", str(folder)],
                 ["demo", str(folder), "--force"]):
        assert main(argv) == 1, argv
        assert "this is a folder; give a file name" in capsys.readouterr().err
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "out", "p.owb", "people.csv", "ties.csv"]
    missing = tmp_path / "no such folder" / "new.owb"
    for argv in (["import", str(missing), "--people", str(people)], ["demo", str(missing)]):
        assert main(argv) == 1, argv
        assert f"the folder {missing.parent} does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_an_unknown_command_is_a_usage_error_not_the_gui(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["improt", str(tmp_path / "p.owb")])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze"])
    assert exit_info.value.code == 2
    assert "'analyze' is neither a command nor a project file" in capsys.readouterr().err
