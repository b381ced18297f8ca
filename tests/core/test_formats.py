"""Network file readers and writers, on small hand-written files."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.network.formats import (
    DEFAULT_RELATION,
    NetworkFile,
    read_network_file,
    write_gexf,
    write_graphml,
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def edge_set(result: NetworkFile, relation: str) -> set[tuple[str, str, float]]:
    return {(t.source, t.target, t.weight) for t in result.ties_by_relation[relation]}


def kinds(result: NetworkFile) -> dict[tuple[str, int | None], str]:
    return {(p.kind, p.row): p.severity for p in result.problems}


# --------------------------------------------------------------------------- Pajek

MULTI_PAJ = """\
% two networks and a partition, as Pajek saves a project
*Network advice
*Vertices 4
1 "Ann Lee" 0.1 0.2 0.5
2 "Bo Chen"
3 "Cy Diaz"
4 "Di Eze"
*Arcs :1 "advice"
1 2 2
2 3
*Edges :2 "energy"
3 4 1.5
*Network friends
*Vertices 3
1 "Ann Lee"
2 "Bo Chen"
3 "Ed Fox"
*Edges
1 3 4
*Partition dept
*Vertices 4
1
2
1
2
"""


def test_multi_relation_paj(tmp_path: Path) -> None:
    result = read_network_file(write(tmp_path, "project.paj", MULTI_PAJ))
    assert result.people_ids == ["Ann Lee", "Bo Chen", "Cy Diaz", "Di Eze", "Ed Fox"]
    assert result.directed  # arcs present, so edges count both ways
    assert edge_set(result, "advice") == {("Ann Lee", "Bo Chen", 2.0), ("Bo Chen", "Cy Diaz", 1.0)}
    assert edge_set(result, "energy") == {("Cy Diaz", "Di Eze", 1.5), ("Di Eze", "Cy Diaz", 1.5)}
    assert edge_set(result, "friends") == {("Ann Lee", "Ed Fox", 4.0), ("Ed Fox", "Ann Lee", 4.0)}
    assert all(t.type == rel for rel, ties in result.ties_by_relation.items() for t in ties)
    # the partition of 4 vertices belongs to the first network (the second has 3), in order
    assert result.problems == []
    assert {n: a.get("dept") for n, a in result.node_attributes.items()} == {
        "Ann Lee": 1, "Bo Chen": 2, "Cy Diaz": 1, "Di Eze": 2, "Ed Fox": None}


def test_pajek_agrees_with_networkx_on_a_clean_file(tmp_path: Path) -> None:
    text = '*Vertices 4\n1 "a"\n2 "b"\n3 "c"\n4 "d"\n*Arcs\n1 2 3\n2 3 1\n4 1 0.5\n3 1\n'
    path = write(tmp_path, "clean.net", text)
    result = read_network_file(path)
    reference = nx.read_pajek(path)
    expected = {(u, v, float(d.get("weight", 1))) for u, v, d in reference.edges(data=True)}
    assert edge_set(result, DEFAULT_RELATION) == expected
    assert result.people_ids == list(reference.nodes)
    assert result.problems == []


def test_pajek_problems_are_located(tmp_path: Path) -> None:
    text = (
        "*Vertices 3\n"  # line 1: declares 3, lists 2 valid ones
        '1 "A"\n'
        '2 "B"\n'
        '4 "D"\n'  # line 4: beyond the count
        "*Arcs\n"
        "1 2 x\n"  # line 6: weight not a number
        "1 5\n"  # line 7: undeclared vertex (networkx would add it)
        "2 2\n"  # line 8: self-tie
        "1 3 2\n"  # line 9: vertex 3 is declared though unlisted: valid
    )
    result = read_network_file(write(tmp_path, "bad.net", text))
    assert kinds(result) == {
        ("bad_vertex", 4): "error",
        ("vertex_count", 1): "warning",
        ("bad_weight", 6): "error",
        ("unknown_vertex", 7): "error",
        ("self_tie", 8): "error",
    }
    columns = {p.kind: p.column for p in result.problems}
    assert columns["bad_weight"] == "weight" and columns["unknown_vertex"] == "target"
    assert all(p.file == "bad.net" for p in result.problems)
    assert edge_set(result, DEFAULT_RELATION) == {("A", "3", 2.0)}
    assert result.people_ids == ["A", "B", "3"]


def test_pajek_lists_matrix_and_line_relations(tmp_path: Path) -> None:
    text = (
        "*Vertices 3\n1 a\n2 b\n3 c\n"
        "*Arcslist\n1 2 3\n"
        "*Edgeslist\n2 3\n"
        '*Matrix :7 "reports"\n0 1 0\n0 0 2\n1 0 0\n'
        "*Arcs\n5: 3 2 9\n"
    )
    result = read_network_file(write(tmp_path, "lists.net", text, "cp1252"))
    assert edge_set(result, DEFAULT_RELATION) == {
        ("a", "b", 1.0), ("a", "c", 1.0), ("b", "c", 1.0), ("c", "b", 1.0),
    }
    matrix = [[0, 1, 0], [0, 0, 2], [1, 0, 0]]
    reference = nx.relabel_nodes(
        nx.from_numpy_array(np.array(matrix), create_using=nx.DiGraph),
        dict(enumerate("abc")),
    )
    assert edge_set(result, "reports") == {
        (u, v, float(w)) for u, v, w in reference.edges(data="weight")
    }
    assert edge_set(result, "relation 5") == {("c", "b", 9.0)}


def test_pajek_repeated_labels_fall_back_to_numbers(tmp_path: Path) -> None:
    text = '*Vertices 3\n1 "Sam"\n2 "Sam"\n3 "Kim"\n*Edges\n1 2\n'
    result = read_network_file(write(tmp_path, "same.net", text))
    assert result.people_ids == ["1", "2", "3"]
    assert result.labels == {"1": "Sam", "2": "Sam", "3": "Kim"}
    assert not result.directed
    assert edge_set(result, DEFAULT_RELATION) == {("1", "2", 1.0)}
    assert {p.kind for p in result.problems} == {"duplicate_label"}


def test_pajek_structure_errors(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"early\.net, line 1"):
        read_network_file(write(tmp_path, "early.net", "*Arcs\n1 2\n"))
    with pytest.raises(WorkbenchError, match=r"huge\.net, line 2: \*Vertices 9999999999"):
        read_network_file(write(tmp_path, "huge.net", "% big\n*Vertices 9999999999\n"))
    with pytest.raises(WorkbenchError, match=r"huge\.dl: n=9999999999"):
        read_network_file(write(tmp_path, "huge.dl", "dl n=9999999999\ndata:\n1\n"))


# --------------------------------------------------------------------------- UCINET DL


def dl_reference(matrix: list[list[float]], labels: str) -> set[tuple[str, str, float]]:
    graph = nx.from_numpy_array(np.array(matrix, dtype=float), create_using=nx.DiGraph)
    graph = nx.relabel_nodes(graph, dict(enumerate(labels)))
    return {(u, v, w) for u, v, w in graph.edges(data="weight") if u != v}


def test_dl_fullmatrix_with_labels(tmp_path: Path) -> None:
    matrix = [[0, 1, 0, 0], [1, 0, 3, 0], [0, 0, 0, 1], [0, 0, 0, 0]]
    body = "\n".join(" ".join(str(v) for v in row) for row in matrix)
    text = f"DL n=4\nformat = fullmatrix\nlabels:\na,b,\nc,d\ndata:\n{body}\n"
    result = read_network_file(write(tmp_path, "m.dl", text))
    assert result.people_ids == list("abcd")
    assert result.directed
    assert edge_set(result, DEFAULT_RELATION) == dl_reference(matrix, "abcd")
    assert result.problems == []


def test_dl_embedded_symmetric_matrix_is_undirected(tmp_path: Path) -> None:
    text = "dl n=3 format=fullmatrix labels embedded\ndata:\n   a b c\na 0 1 2\nb 1 0 0\nc 2 0 0\n"
    result = read_network_file(write(tmp_path, "sym.txt", text))
    assert not result.directed
    ties = edge_set(result, DEFAULT_RELATION)
    reference = nx.Graph([("a", "b", {"weight": 1.0}), ("a", "c", {"weight": 2.0})])
    assert {(frozenset((u, v)), w) for u, v, w in ties} == {
        (frozenset((u, v)), w) for u, v, w in reference.edges(data="weight")
    }
    assert len(ties) == reference.number_of_edges()


def test_dl_several_matrices_row_and_column_labels(tmp_path: Path) -> None:
    text = (
        "DL N=3 NM=2\nFORMAT = FULLMATRIX\nROW LABELS:\nx y z\nCOLUMN LABELS:\nx y z\n"
        "MATRIX LABELS:\nadvice, energy\nDATA:\n0 1 0\n0 0 1\n0 0 0\n0 0 0 1 0 0\n0 0 0\n"
    )
    result = read_network_file(write(tmp_path, "two.dl", text))
    assert edge_set(result, "advice") == dl_reference([[0, 1, 0], [0, 0, 1], [0, 0, 0]], "xyz")
    assert edge_set(result, "energy") == dl_reference([[0, 0, 0], [1, 0, 0], [0, 0, 0]], "xyz")


def test_dl_matrix_problems(tmp_path: Path) -> None:
    text = "DL n=3\nlabels:\na b c\ndata:\n0 1 0\n0 q 1\n0 0 0\n"
    result = read_network_file(write(tmp_path, "bad.dl", text))
    located = {(p.kind, p.row, p.column) for p in result.problems}
    assert located == {("bad_value", 6, "2")}
    assert edge_set(result, DEFAULT_RELATION) == {("a", "b", 1.0), ("b", "c", 1.0)}
    # a matrix one value short is refused whole (tests/core/test_netformats_dl.py has more)
    with pytest.raises(WorkbenchError, match=r"short\.dl, line 1: .* holds 8\."):
        read_network_file(write(tmp_path, "short.dl", text.replace("0 0 0\n", "0 0\n")))


def test_dl_edgelist_embedded(tmp_path: Path) -> None:
    text = (
        "dl n=3\nformat = edgelist1\nlabels embedded:\ndata:\n"
        "ann bo 2\n"  # line 5
        'bo "cy d"\n'  # line 6: quoted label with a space
        "ann ann\n"  # line 7: self-tie
        "bo ann x\n"  # line 8: weight not a number
    )
    result = read_network_file(write(tmp_path, "el.dl", text))
    assert result.people_ids == ["ann", "bo", "cy d"]
    assert edge_set(result, DEFAULT_RELATION) == {("ann", "bo", 2.0), ("bo", "cy d", 1.0)}
    assert {(p.kind, p.row, p.column) for p in result.problems} == {
        ("self_tie", 7, None), ("bad_weight", 8, "weight"),
    }
    # a fourth node although n=3 refuses the file
    with pytest.raises(WorkbenchError, match=r"el4\.dl, line 9: 'zed' would be node 4"):
        read_network_file(write(tmp_path, "el4.dl", text + "ann zed\n"))


def test_dl_edgelist_numbers_with_labels(tmp_path: Path) -> None:
    text = "DL n=3 format=edgelist1\nlabels:\na b c\ndata:\n1 2\n3 1 0.5\n"
    result = read_network_file(write(tmp_path, "num.dl", text))
    assert edge_set(result, DEFAULT_RELATION) == {("a", "b", 1.0), ("c", "a", 0.5)}
    assert result.problems == []
    with pytest.raises(WorkbenchError, match=r"num4\.dl, line 7: '4' is not a node number"):
        read_network_file(write(tmp_path, "num4.dl", text + "2 4\n"))


def test_dl_unsupported_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="lowerhalf"):
        read_network_file(write(tmp_path, "low.dl", "dl n=2 format=lowerhalf\ndata:\n1\n"))


# --------------------------------------------------------------------------- XML


GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="name" attr.type="string"/>
  <key id="d1" for="node" attr.name="score" attr.type="double"/>
  <key id="d2" for="edge" attr.name="weight" attr.type="double"/>
  <key id="d3" for="edge" attr.name="type" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="p1"><data key="d0">Ann</data><data key="d1">0.5</data></node>
    <node id="p2"><data key="d0">Bo</data><data key="d1">high</data></node>
    <edge source="p1" target="p2"><data key="d2">2.5</data><data key="d3">advice</data></edge>
    <edge source="p1" target="p9"/>
    <edge source="p2" target="p1" directed="false"/>
  </graph>
</graphml>
"""


def test_graphml_checks_what_networkx_lets_through(tmp_path: Path) -> None:
    lenient_text = GRAPHML.replace("high", "0.7").replace(' directed="false"', "")
    lenient = write(tmp_path, "lenient.graphml", lenient_text)
    assert "p9" in nx.read_graphml(lenient)  # networkx silently invents the undeclared node
    path = write(tmp_path, "g.graphml", GRAPHML)
    result = read_network_file(path)
    assert result.people_ids == ["p1", "p2"]
    assert result.labels == {"p1": "Ann", "p2": "Bo"}
    assert result.node_attributes["p1"] == {"name": "Ann", "score": 0.5}
    assert edge_set(result, "advice") == {("p1", "p2", 2.5)}
    assert edge_set(result, DEFAULT_RELATION) == {("p2", "p1", 1.0), ("p1", "p2", 1.0)}
    located = {(p.kind, p.row, p.column, p.severity) for p in result.problems}
    assert located == {
        ("bad_value", 9, "score", "warning"),
        ("unknown_node", 11, "target", "error"),
    }


def test_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        '<graphml><graph edgedefault="directed"><node id="&lol2;"/></graph></graphml>\n'
    )
    with pytest.raises(WorkbenchError, match="bomb.graphml: declares XML entities"):
        read_network_file(write(tmp_path, "bomb.graphml", bomb))


def test_malformed_xml_names_line(tmp_path: Path) -> None:
    text = '<graphml>\n<graph>\n<node id="a">\n</graph>\n'
    with pytest.raises(WorkbenchError, match=r"broken\.graphml, line 4"):
        read_network_file(write(tmp_path, "broken.graphml", text))
    odd = '<?xml version="1.0" encoding="UTF-9"?>\n<graphml/>'
    with pytest.raises(WorkbenchError, match="odd.graphml: declares an unknown text encoding"):
        read_network_file(write(tmp_path, "odd.graphml", odd))


def test_gexf_with_kinds_and_attributes(tmp_path: Path) -> None:
    text = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="undirected">
    <attributes class="node"><attribute id="0" title="department" type="string"/>
      <attribute id="1" title="tenure" type="integer"/></attributes>
    <nodes>
      <node id="a" label="Ann"><attvalues><attvalue for="0" value="Sales"/>
        <attvalue for="1" value="4"/></attvalues></node>
      <node id="b" label="Bo"/>
    </nodes>
    <edges>
      <edge source="a" target="b" weight="3" kind="energy"/>
      <edge source="b" target="a" type="directed"/>
      <edge source="b" target="c"/>
    </edges>
  </graph>
</gexf>
"""
    result = read_network_file(write(tmp_path, "g.gexf", text))
    assert result.node_attributes == {"a": {"department": "Sales", "tenure": 4}, "b": {}}
    assert result.directed
    assert edge_set(result, "energy") == {("a", "b", 3.0), ("b", "a", 3.0)}
    assert edge_set(result, DEFAULT_RELATION) == {("b", "a", 1.0)}
    assert [(p.kind, p.row) for p in result.problems] == [("unknown_node", 14)]


def test_not_a_network_file(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(os.urandom(2048).replace(b"<", b"x").replace(b"*", b"x"))
    with pytest.raises(WorkbenchError, match="noise.bin"):
        read_network_file(path)
    with pytest.raises(WorkbenchError, match="neither GraphML nor GEXF"):
        read_network_file(write(tmp_path, "other.xml", "<html><body/></html>"))


# --------------------------------------------------------------------------- writing


def sample_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("p1", name="Ann <&> Lee", department="Sales", degree=2, pagerank=0.25,
               champion=True, note=None, rank=np.int64(1))
    G.add_node("p2", name="=cmd|x", department="R&D", degree=1.5, pagerank=0.5, champion=False)
    G.add_node(3, name="Cy\x00", department="Ops", degree=0, pagerank=float("nan"))
    G.add_edge("p1", "p2", weight=2.5, type="advice")
    G.add_edge("p2", 3, weight=1.0, type="energy")
    return G


def expected_nodes(G: nx.DiGraph) -> dict[str, dict]:
    """What a writer must keep: string ids, None/NaN dropped, NUL removed, degree widened."""
    out = {}
    for node, attrs in G.nodes(data=True):
        kept = {k: v for k, v in attrs.items() if v is not None and v == v}
        kept["name"] = kept["name"].replace("\x00", "")
        kept["degree"] = float(kept["degree"])
        out[str(node)] = kept
    return out


def test_graphml_round_trip(tmp_path: Path) -> None:
    G = sample_graph()
    path = tmp_path / "out.graphml"
    write_graphml(G, path)
    back = nx.read_graphml(path)
    assert dict(back.nodes(data=True)) == expected_nodes(G)
    assert {(u, v, d["weight"], d["type"]) for u, v, d in back.edges(data=True)} == {
        (str(u), str(v), d["weight"], d["type"]) for u, v, d in G.edges(data=True)
    }
    ours = read_network_file(path)
    assert ours.people_ids == ["p1", "p2", "3"]
    assert edge_set(ours, "advice") == {("p1", "p2", 2.5)}
    assert [p.name for p in tmp_path.iterdir()] == ["out.graphml"]


def test_gexf_round_trip(tmp_path: Path) -> None:
    G = sample_graph()
    path = tmp_path / "out.gexf"
    write_gexf(G, path)
    back = nx.read_gexf(path)
    nodes = {n: {k: v for k, v in d.items() if k != "label"} for n, d in back.nodes(data=True)}
    assert nodes == expected_nodes(G)
    assert {n: d["label"] for n, d in back.nodes(data=True)} == {
        n: d["name"] for n, d in expected_nodes(G).items()
    }
    assert {(u, v, d["weight"], d["relation"]) for u, v, d in back.edges(data=True)} == {
        (str(u), str(v), d["weight"], d["type"]) for u, v, d in G.edges(data=True)
    }
    ours = read_network_file(path)
    assert edge_set(ours, "energy") == {("p2", "3", 1.0)}
    assert ours.labels["p2"] == "=cmd|x"


def test_writer_refuses_the_open_project_and_keeps_it(tmp_path: Path) -> None:
    project = tmp_path / "client.owb"
    project.write_bytes(b"project bytes")
    with pytest.raises(WorkbenchError, match="open project"):
        write_graphml(sample_graph(), project, protected=project)
    assert project.read_bytes() == b"project bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["client.owb"]
