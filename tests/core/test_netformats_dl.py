"""UCINET DL files told by content (.dat, .txt, .csv, no suffix), their header keywords, and
data that does not match the header refused with the line and both counts. Every file is
written by hand; expected ties are read off the matrices by eye."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import importing
from workbench.core.errors import WorkbenchError
from workbench.core.network.formats import NetworkFile, read_network_file
from workbench.core.project import Project

TWO_RELATIONS = """\
DL N=3 NM=2
FORMAT = FULLMATRIX
LEVEL LABELS:
advice
lunch
LABELS:
ann,bo,cy
DATA:
0 1 0
0 0 1
1 0 0
0 1 1
1 0 0
0 0 0
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def ties(result: NetworkFile, relation: str) -> set[tuple[str, str, float]]:
    return {(t.source, t.target, t.weight) for t in result.ties_by_relation[relation]}


def names(path: Path) -> dict[str, set[tuple[str, str]]]:
    with Project.open(path) as project:
        return {n.name: {(t.source, t.target) for t in project.networks.ties(n.id)}
                for n in project.networks.list()}


# --------------------------------------------------------------------------- told by content


@pytest.mark.parametrize("name", ["net.dat", "net.txt", "net.csv", "net"])
def test_a_dl_file_is_read_as_dl_whatever_its_name(tmp_path, name):
    path = write(tmp_path, name, TWO_RELATIONS)
    assert importing.is_network_file(path)
    result = read_network_file(path)
    assert result.people_ids == ["ann", "bo", "cy"]
    assert ties(result, "advice") == {("ann", "bo", 1), ("bo", "cy", 1), ("cy", "ann", 1)}
    assert ties(result, "lunch") == {("ann", "bo", 1), ("ann", "cy", 1), ("bo", "ann", 1)}
    assert result.problems == []


def test_byte_order_mark_blank_lines_and_lower_case_still_say_dl(tmp_path):
    text = "\n\n  dl n=2\nlabels:\nx y\ndata:\n0 2\n0 0\n"
    for name, raw in (("bom.txt", b"\xef\xbb\xbf" + text.encode()),
                      ("wide.dat", text.encode("utf-16"))):  # with its byte order mark
        path = write(tmp_path, name, raw)
        assert importing.is_network_file(path), name
        assert ties(read_network_file(path), "ties") == {("x", "y", 2.0)}
    # a CSV whose first word merely starts with "dl" stays a table
    table = write(tmp_path, "dlist.csv", "dlist,source,target\n1,a,b\n")
    assert not importing.is_network_file(table)


def test_level_labels_name_the_networks_of_an_import(tmp_path):
    path = write(tmp_path, "net.dat", TWO_RELATIONS)
    project_path = tmp_path / "p.owb"
    with Project.create(project_path, client="Test") as project:
        plan = importing.read_ties_file(project, path)
        importing.apply_import(project, plan)
    found = names(project_path)
    # "advice" is a relation the app knows; "lunch" keeps the file's name
    assert found == {"advice": {("ann", "bo"), ("bo", "cy"), ("cy", "ann")},
                     "lunch": {("ann", "bo"), ("ann", "cy"), ("bo", "ann")}}


# --------------------------------------------------------------------------- header keywords


def test_diagonal_absent_rows_hold_n_minus_one_values(tmp_path):
    # row a: (b, c); row b: (a, c); row c: (a, b)
    text = "DL N=3 DIAGONAL ABSENT\nLABELS:\na b c\nDATA:\n2 0\n0 3\n1 0\n"
    result = read_network_file(write(tmp_path, "nodiag.txt", text))
    assert ties(result, "ties") == {("a", "b", 2.0), ("b", "c", 3.0), ("c", "a", 1.0)}
    with_equals = text.replace("DIAGONAL ABSENT", "diagonal = absent")
    assert ties(read_network_file(write(tmp_path, "eq.dl", with_equals)), "ties") == ties(
        result, "ties")
    present = "DL N=2 DIAGONAL PRESENT\nDATA:\n0 1\n0 0\n"
    assert ties(read_network_file(write(tmp_path, "present.dl", present)), "ties") == {
        ("1", "2", 1.0)}


def test_row_and_column_labels_and_embedded_labels(tmp_path):
    text = ("DL NR=2 NC=3\nROW LABELS:\nr1 r2\nCOLUMN LABELS:\nc1 c2 c3\nDATA:\n"
            "1 0 0\n0 0 4\n")
    assert ties(read_network_file(write(tmp_path, "rect.dat", text)), "ties") == {
        ("r1", "c1", 1.0), ("r2", "c3", 4.0)}
    embedded = "DL N=2 FORMAT=FULLMATRIX LABELS EMBEDDED\nDATA:\n x y\nx 0 5\ny 0 0\n"
    assert ties(read_network_file(write(tmp_path, "emb.dat", embedded)), "ties") == {
        ("x", "y", 5.0)}


def test_edgelist1_by_number_and_by_label(tmp_path):
    numbered = "DL N=4 FORMAT = EDGELIST1\nLABELS:\na,b,c,d\nDATA:\n1 2 3\n4 1\n2 3 0.5\n"
    result = read_network_file(write(tmp_path, "el.dat", numbered))
    assert result.people_ids == ["a", "b", "c", "d"]  # d has a tie; all four are nodes
    assert ties(result, "ties") == {("a", "b", 3.0), ("d", "a", 1.0), ("b", "c", 0.5)}
    named = "dl n=3 format=el1 labels embedded\ndata:\nann bo 2\nbo \"cy d\"\n"
    assert ties(read_network_file(write(tmp_path, "named.txt", named)), "ties") == {
        ("ann", "bo", 2.0), ("bo", "cy d", 1.0)}


def test_nodelist1_gives_each_ego_its_alters(tmp_path):
    numbered = "DL N=4 FORMAT = NODELIST1\nDATA:\n1 2 3\n3 4\n4 1 2 3\n"
    result = read_network_file(write(tmp_path, "nl.dat", numbered))
    assert ties(result, "ties") == {("1", "2", 1.0), ("1", "3", 1.0), ("3", "4", 1.0),
                                    ("4", "1", 1.0), ("4", "2", 1.0), ("4", "3", 1.0)}
    named = "DL N=3 FORMAT = NL1\nLABELS EMBEDDED\nDATA:\nann bo cy\ncy ann\n"
    assert ties(read_network_file(write(tmp_path, "named.dat", named)), "ties") == {
        ("ann", "bo", 1.0), ("ann", "cy", 1.0), ("cy", "ann", 1.0)}


def test_negative_values_are_signed_ties(tmp_path):
    text = "DL N=2\nLABELS:\nx y\nDATA:\n0 -1\n2 0\n"
    result = read_network_file(write(tmp_path, "signed.dat", text))
    assert ties(result, "ties") == {("x", "y", -1.0), ("y", "x", 2.0)}
    [note] = result.problems
    assert (note.kind, note.severity, note.row) == ("signed_ties", "warning", 5)
    assert "1 negative (signed) tie kept, e.g. dislike" in note.message


# --------------------------------------------------------------------------- refused


@pytest.mark.parametrize(("text", "expected"), [
    # 3 data values for N=1000: too few (the /tmp/t17 case that came in as 1001 people)
    ("DL N=1000\nDATA:\n0 1 0\n1 0 0\n0 0 0\n",
     r"few\.dat, line 1: the header declares N=1000, a 1000×1000 matrix \(1,000,000 values\), "
     r"but the data \(lines 3 to 5\) holds 9\."),
    # 10 values for N=3: value 10 is on line 6
    ("DL N=3\nDATA:\n0 1 0\n1 0 0\n0 0 0\n5\n",
     r"line 1: the header declares N=3, a 3×3 matrix \(9 values\), but the data \(lines 3 to 6\) "
     r"holds 10; value 10 is on line 6\."),
    # two matrices declared, one given
    ("DL N=2\nNM=2\nDATA:\n0 1\n1 0\n",
     r"line 1: the header declares N=2, NM=2, 2 matrices of 2×2 \(8 values\), but the data "
     r"\(lines 4 to 5\) holds 4\."),
    # diagonal left out: 3×2 values expected, a full 3×3 matrix given
    ("DL N=3 DIAGONAL ABSENT\nDATA:\n0 1 0\n1 0 0\n0 0 0\n",
     r"\(6 values, the diagonal left out\), but the data \(lines 3 to 5\) holds 9; value 7 is on "
     r"line 5\."),
    # node number 5 in an edge list of N=4
    ("DL N=4 FORMAT=EDGELIST1\nDATA:\n1 2\n\n3 5\n",
     r"line 5: '5' is not a node number from 1 to 4, as the header \(line 1\) declares N=4"),
    # node number 0 in a node list
    ("DL N=2 FORMAT=NODELIST1\nDATA:\n1 2\n0 1\n",
     r"line 4: '0' is not a node number from 1 to 2"),
    # a third name in an embedded edge list of N=2
    ("DL N=2 FORMAT=EDGELIST1 LABELS EMBEDDED\nDATA:\nann bo\nbo cy\n",
     r"line 4: 'cy' would be node 3, but the header \(line 1\) declares N=2"),
])
def test_data_that_does_not_match_the_header_is_refused_with_line_and_counts(
        tmp_path, text, expected):
    with pytest.raises(WorkbenchError, match=expected) as caught:
        read_network_file(write(tmp_path, "few.dat", text))
    assert "nothing was read" in str(caught.value)


def test_unsupported_formats_say_which_are_read(tmp_path):
    with pytest.raises(WorkbenchError, match="'lowerhalf' is not supported .*nodelist1"):
        read_network_file(write(tmp_path, "low.dat", "DL N=2 FORMAT=LOWERHALF\nDATA:\n1\n"))


# --------------------------------------------------------------------------- command line


def test_cli_imports_a_dat_file_and_refuses_a_short_one(tmp_path, capsys):
    good = write(tmp_path, "net.dat", TWO_RELATIONS)
    project = tmp_path / "p.owb"
    assert main(["import", str(project), "--ties", str(good)]) == 0
    out = capsys.readouterr().out
    assert "net.dat: networks: advice (3 ties), lunch (3 ties)" in out
    assert set(names(project)) == {"advice", "lunch"}
    bad = write(tmp_path, "bad.txt", "DL N=1000\nDATA:\n0 1 0\n1 0 0\n0 0 0\n")
    fresh = tmp_path / "fresh.owb"
    assert main(["import", str(fresh), "--ties", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.txt, line 1: the header declares N=1000" in err and "holds 9" in err
    assert "Traceback" not in err
    assert not fresh.exists()  # the project it would have created is not left behind
    assert main(["import", str(project), "--ties", str(bad)]) == 1
    assert set(names(project)) == {"advice", "lunch"}  # unchanged
