"""Pajek partitions and vectors as person attributes, time intervals as one network per
point, and negative weights kept as signed ties that the measures leave out (and say so).
Every file is written by hand; the expected values are worked out in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import importing
from workbench.core.analysis import analyse_network
from workbench.core.network.formats import NetworkFile, read_network_file
from workbench.core.project import Project

FACTIONS = """\
*Vertices 4
1 "ann"
2 "bo"
3 "cy"
4 "di"
*Arcs
1 2
3 4 2
*Partition faction.clu
*Vertices 4
1
2
1
x
*Vector tenure
*Vertices 4
2.5
10
0,5
"""

TIMED = """\
*Vertices 3
1 "ann"
2 "bo"
3 "cy"
*Arcs :1 "advice"
1 2 1 [3]
2 3 2 [1-2]
3 1 1 [1-2,4]
1 3 1
2 1 1 [3-*]
"""

SIGNED = """\
*Vertices 4
1 "ann"
2 "bo"
3 "cy"
4 "di"
*Arcs :1 "advice"
1 2 1
2 3 2
3 1 -1
4 1 -3
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def pairs(ties) -> set[tuple[str, str]]:
    return {(t.source, t.target) for t in ties}


def imported(project_path: Path, path: Path, **options) -> Project:
    project = Project.open(project_path) if project_path.exists() else Project.create(
        project_path, client="Test")
    plan = importing.read_ties_file(project, path, **options)
    importing.apply_import(project, plan)
    return project


# --------------------------------------------------------------------------- partitions, vectors


def test_partition_and_vector_become_node_attributes(tmp_path):
    result = read_network_file(write(tmp_path, "factions.net", FACTIONS))
    attributes = {node: result.node_attributes[node] for node in result.people_ids}
    assert attributes == {"ann": {"faction": 1, "tenure": 2.5}, "bo": {"faction": 2, "tenure": 10},
                          "cy": {"faction": 1, "tenure": 0.5}, "di": {}}
    assert result.person_attributes == ["faction", "tenure"]
    located = {(p.kind, p.row, p.column, p.severity) for p in result.problems}
    assert located == {
        ("bad_value", 14, "faction", "warning"),  # "x" is not a class number
        ("attribute_count", 15, None, "warning"),  # 3 tenure values for 4 vertices
    }


def test_partitions_reach_a_new_roster_and_an_existing_one(tmp_path):
    path = write(tmp_path, "factions.net", FACTIONS)
    first = tmp_path / "new.owb"
    with imported(first, path) as project:
        roster = {p.id: p.attributes for p in project.people.list()}
    assert roster == {"ann": {"faction": "1", "tenure": "2.5"},
                      "bo": {"faction": "2", "tenure": "10"},
                      "cy": {"faction": "1", "tenure": "0.5"}, "di": {}}
    # a roster from a people file; the network's vertices match its ids
    people = write(tmp_path, "people.csv", "id,name,location\nann,Ann,North\nbo,Bo,South\n"
                   "cy,Cy,North\ndi,Di,East\n")
    second = tmp_path / "roster.owb"
    assert main(["import", str(second), "--people", str(people)]) == 0

    def roster_of(project: Project) -> dict[str, tuple[str, dict[str, str]]]:
        return {p.id: (p.location, p.attributes) for p in project.people.list()}

    with imported(second, path) as project:
        roster = roster_of(project)
        project.undo()  # one undo step takes back the ties and the attributes
        assert project.networks.list() == []
        assert roster_of(project) == {"ann": ("North", {}), "bo": ("South", {}),
                                      "cy": ("North", {}), "di": ("East", {})}
    assert roster == {"ann": ("North", {"faction": "1", "tenure": "2.5"}),
                      "bo": ("South", {"faction": "2", "tenure": "10"}),
                      "cy": ("North", {"faction": "1", "tenure": "0.5"}),
                      "di": ("East", {})}


def test_cli_people_and_partitioned_network_in_one_run(tmp_path, capsys):
    people = write(tmp_path, "people.csv", "id,name\nann,Ann\nbo,Bo\ncy,Cy\ndi,Di\n")
    net = write(tmp_path, "factions.net", FACTIONS)
    project = tmp_path / "p.owb"
    assert main(["import", str(project), "--people", str(people), "--ties", str(net)]) == 0
    out = capsys.readouterr().out
    assert "factions.net: networks: factions (2 ties); new attribute values for 3 people" in out
    with Project.open(project) as opened:
        assert {p.id: p.attributes.get("faction") for p in opened.people.list()} == {
            "ann": "1", "bo": "2", "cy": "1", "di": None}


def test_a_partition_no_network_fits_is_a_warning(tmp_path):
    text = '*Vertices 2\n1 "a"\n2 "b"\n*Edges\n1 2\n*Partition site\n*Vertices 3\n1\n1\n2\n'
    result = read_network_file(write(tmp_path, "odd.net", text))
    [problem] = result.problems
    assert (problem.kind, problem.row) == ("unmatched_attribute", 6)
    assert "is for 3 vertices, and no network here has 3" in problem.message
    assert result.node_attributes == {"a": {}, "b": {}}


# --------------------------------------------------------------------------- time points


def test_time_intervals_give_the_ties_of_each_point(tmp_path):
    result = read_network_file(write(tmp_path, "timed.net", TIMED))
    by_time = {t: pairs(ties) for t, ties in result.ties_by_time["advice"].items()}
    # points 1..4 appear; "1 3" has no interval so is there at every point; "[3-*]" runs to 4
    assert by_time == {
        1: {("bo", "cy"), ("cy", "ann"), ("ann", "cy")},
        2: {("bo", "cy"), ("cy", "ann"), ("ann", "cy")},
        3: {("ann", "bo"), ("ann", "cy"), ("bo", "ann")},
        4: {("cy", "ann"), ("ann", "cy"), ("bo", "ann")},
    }
    [note] = [p for p in result.problems if p.kind == "time_points"]
    assert "time points (1, 2, 3, 4)" in note.message and "no dates" in note.message


def test_one_network_per_time_point_on_import(tmp_path):
    path = write(tmp_path, "timed.net", TIMED)
    with imported(tmp_path / "p.owb", path) as project:
        found = {n.name: (n.type, n.tie_count) for n in project.networks.list()}
    assert found == {"advice, time 1": ("advice", 3), "advice, time 2": ("advice", 3),
                     "advice, time 3": ("advice", 3), "advice, time 4": ("advice", 3)}


def test_a_bad_interval_skips_its_tie_and_too_many_points_are_merged(tmp_path):
    text = '*Vertices 2\n1 "a"\n2 "b"\n*Arcs\n1 2 1 [4-2]\n2 1 1 [x]\n'
    result = read_network_file(write(tmp_path, "bad.net", text))
    assert [(p.kind, p.row, p.column) for p in result.problems] == [
        ("bad_time", 5, "time"), ("bad_time", 6, "time")]
    many = '*Vertices 2\n1 "a"\n2 "b"\n*Arcs\n1 2 1 [1-500]\n'
    result = read_network_file(write(tmp_path, "many.net", many))
    assert result.ties_by_time == {}
    assert pairs(result.ties_by_relation["ties"]) == {("a", "b")}
    [note] = result.problems
    assert note.kind == "time_points" and "all points were merged" in note.message


# --------------------------------------------------------------------------- signed ties


def test_negative_weights_are_kept_and_reported(tmp_path, capsys):
    path = write(tmp_path, "signed.net", SIGNED)
    result = read_network_file(path)
    assert {(t.source, t.target, t.weight) for t in result.ties_by_relation["advice"]} == {
        ("ann", "bo", 1.0), ("bo", "cy", 2.0), ("cy", "ann", -1.0), ("di", "ann", -3.0)}
    [note] = result.problems
    assert (note.kind, note.row, note.column, note.severity) == (
        "signed_ties", 9, "weight", "warning")
    assert note.message.startswith("2 negative (signed) ties kept, e.g. dislike")
    project = tmp_path / "p.owb"
    assert main(["import", str(project), "--ties", str(path)]) == 0
    assert "2 negative (signed) ties kept, e.g. dislike" in capsys.readouterr().out
    with Project.open(project) as opened:
        [info] = opened.networks.list()
        assert sorted(t.weight for t in opened.networks.ties(info.id)) == [-3.0, -1.0, 1.0, 2.0]


def test_the_measures_use_the_positive_ties_and_say_how_many_were_left_out(tmp_path, capsys):
    project_path = tmp_path / "p.owb"
    with imported(project_path, write(tmp_path, "signed.net", SIGNED)) as project:
        result = analyse_network(project, "advice")
    degrees = {person: (result.metrics.columns["in_degree"][i],
                        result.metrics.columns["out_degree"][i])
               for i, person in enumerate(result.metrics.ids)}
    # positive ties only: ann -> bo, bo -> cy
    assert degrees == {"ann": (0, 1), "bo": (1, 1), "cy": (1, 0), "di": (0, 0)}
    assert ("2 negative (signed) ties, e.g. dislike, left out: every measure here counts the "
            "positive ties only.") in result.metrics.notes
    out = tmp_path / "m.csv"
    assert main(["analyse", str(project_path), "--network", "advice", "--out", str(out)]) == 0
    assert "2 negative (signed) ties, e.g. dislike, left out" in capsys.readouterr().out


@pytest.mark.parametrize("weight", ["0", "nan", "1e400"])
def test_zero_and_non_finite_weights_are_still_refused(tmp_path, weight):
    text = f'*Vertices 2\n1 "a"\n2 "b"\n*Arcs\n1 2 {weight}\n'
    result: NetworkFile = read_network_file(write(tmp_path, "w.net", text))
    assert result.ties_by_relation == {}
    assert [(p.kind, p.row, p.column) for p in result.problems] == [("bad_weight", 5, "weight")]


def test_time_points_without_a_relation_get_one_note_not_one_per_point(tmp_path):
    text = '*Vertices 2\n1 "a"\n2 "b"\n*Edges\n1 2 1 [1-2]\n'
    with Project.create(tmp_path / "p.owb", client="Test") as project:
        plan = importing.read_ties_file(project, write(tmp_path, "visits.net", text))
    assert [d.name for d in plan.networks] == ["visits, time 1", "visits, time 2"]
    [note] = [p for p in plan.problems if p.kind == "no_relation"]
    assert note.message.startswith("network 'visits, time 1' (and 1 more network like it) has "
                                   "no relation")
