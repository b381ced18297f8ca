"""Ties import: edge lists and matrices checked against networkx reference graphs."""

from __future__ import annotations

import csv
import gc
import random

import networkx as nx
import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Tie
from workbench.core.network.mapping import ColumnMapping
from workbench.core.network.tabular import ReadOptions
from workbench.core.network.ties_import import TiesOptions, import_ties, parse_weight
from workbench.core.tasks import Cancelled, Progress


def write_csv(path, rows, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def as_graph(ties):
    graph = nx.DiGraph()
    graph.add_weighted_edges_from((t.source, t.target, t.weight) for t in ties)
    return graph


def same_weighted_graph(a, b):
    return nx.utils.edges_equal(a.edges(data="weight"), b.edges(data="weight")) and (
        sorted(a.edges(data="weight")) == sorted(b.edges(data="weight")))


def kinds(result):
    return [(p.kind, p.row, p.column) for p in result.problems]


@pytest.mark.parametrize("merge", ["sum", "max"])
def test_edge_list_with_duplicates_matches_networkx(tmp_path, merge):
    rng = random.Random(7)
    reference = nx.gnp_random_graph(60, 0.1, seed=7, directed=True)
    rows, expected = [["source", "target", "weight", "type"]], nx.DiGraph()
    for u, v in reference.edges():
        weights = [rng.randint(1, 5) for _ in range(rng.choice([1, 1, 2, 3]))]
        rows += [[f"p{u}", f"p{v}", str(w), "advice"] for w in weights]
        merged = sum(weights) if merge == "sum" else max(weights)
        expected.add_edge(f"p{u}", f"p{v}", weight=float(merged))
    rng.shuffle(rows[1:])
    known = {f"p{n}" for n in reference}
    result = import_ties(write_csv(tmp_path / "t.csv", rows), known,
                         options=TiesOptions(merge=merge))
    assert result.layout == "edges"
    assert same_weighted_graph(as_graph(result.ties), expected)
    duplicates = len(rows) - 1 - expected.number_of_edges()
    assert [p.kind for p in result.problems] == ["duplicate_tie"] * duplicates
    assert all(p.severity == "warning" for p in result.problems)


def test_checks_are_located_by_row_and_column(tmp_path):
    rows = [["From", "To", "Weight", "Relation"],
            ["a", "b", "", "Advice"],        # 2: blank weight = 1
            ["a", "zz", "1", "advice"],      # 3: unknown target
            ["yy", "b", "1", "advice"],      # 4: unknown source
            ["c", "c", "1", "advice"],       # 5: self-tie
            ["a", "c", "lots", "advice"],    # 6: not a number
            ["a", "c", "-2", "advice"],      # 7: negative
            ["a", "c", "0", "advice"],       # 8: zero
            ["a", "c", "inf", "advice"],     # 9: not finite
            ["", "c", "1", "advice"],        # 10: blank source
            ["b", "a", "0,5", "Customer insight"],  # 11: decimal comma
            ["b", "a", "2", ""]]             # 12: no type -> default
    result = import_ties(write_csv(tmp_path / "t.csv", rows, ";"), {"a", "b", "c"},
                         options=TiesOptions(default_type="collaboration"))
    assert result.mapping.columns == {"source": "From", "target": "To", "weight": "Weight",
                                      "type": "Relation"}
    assert result.ties == [Tie("a", "b", 1.0, "advice"),
                           Tie("b", "a", 0.5, "customer_insight"),
                           Tie("b", "a", 2.0, "collaboration")]
    assert result.relations == ["advice", "customer_insight", "collaboration"]
    assert kinds(result) == [
        ("unknown_id", 3, "To"), ("unknown_id", 4, "From"), ("self_tie", 5, "To"),
        ("bad_weight", 6, "Weight"), ("bad_weight", 7, "Weight"), ("bad_weight", 8, "Weight"),
        ("bad_weight", 9, "Weight"), ("blank_id", 10, "From")]
    assert all(p.file == "t.csv" for p in result.problems)
    assert "'zz'" in result.problems[0].message


def test_several_relations_are_exposed_for_one_network_each(tmp_path):
    rows = [["source", "target", "type"], ["a", "b", "advice"], ["a", "b", "Energy"],
            ["b", "a", "advice"], ["a", "b", "energy"]]
    result = import_ties(write_csv(tmp_path / "t.csv", rows), {"a", "b"})
    assert result.relations == ["advice", "energy"]
    by_relation = {r: as_graph(t for t in result.ties if t.type == r) for r in result.relations}
    assert sorted(by_relation["advice"].edges(data="weight")) == [("a", "b", 1.0),
                                                                  ("b", "a", 1.0)]
    assert sorted(by_relation["energy"].edges(data="weight")) == [("a", "b", 2.0)]


def test_without_known_ids_nothing_is_unknown(tmp_path):
    result = import_ties(write_csv(tmp_path / "t.csv", [["source", "target"], ["x", "y"]]),
                         None)
    assert result.ties == [Tie("x", "y", 1.0, "")]
    assert result.problems == []


def test_explicit_mapping_and_ragged_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("ego,alter,note\nx,y,hi\nx\nx,z,a,b\n\ny,x\n", encoding="utf-8")
    mapping = ColumnMapping("ties", {"source": "ego", "target": "alter"})
    result = import_ties(path, {"x", "y", "z"}, mapping)
    assert result.ties == [Tie("x", "y"), Tie("y", "x")]
    assert [(p.kind, p.row, p.severity) for p in result.problems] == [
        ("ragged_row", 3, "warning"), ("blank_id", 3, "error"), ("ragged_row", 4, "error"),
        ("empty_row", 5, "warning"), ("ragged_row", 6, "warning")]


def test_matrix_matches_networkx(tmp_path):
    reference = nx.gnp_random_graph(25, 0.2, seed=3, directed=True)
    rng = random.Random(3)
    for u, v in reference.edges():
        reference[u][v]["weight"] = float(rng.randint(1, 4))
    ids = [f"p{n}" for n in reference]
    rows = [[""] + ids]
    for u in reference:
        rows.append([f"p{u}"] + [str(int(reference[u][v]["weight"]))
                                 if reference.has_edge(u, v) else rng.choice(["0", ""])
                                 for v in reference])
    result = import_ties(write_csv(tmp_path / "m.csv", rows), set(ids),
                         options=TiesOptions(default_type="Advice"))
    assert result.layout == "matrix"
    assert result.mapping is None
    assert result.relations == (["advice"] if reference.number_of_edges() else [])
    expected = nx.relabel_nodes(reference, {n: f"p{n}" for n in reference})
    expected.remove_nodes_from(list(nx.isolates(expected)))
    assert same_weighted_graph(as_graph(result.ties), expected)
    assert result.problems == []


def test_matrix_problems(tmp_path):
    rows = [["", "a", "b", "zz", "a"],
            ["a", "1", "1", "1", "1"],
            ["b", "x", "0", "", ""],
            ["c", "-1", "2", "", ""],
            ["yy", "1", "1", "", ""]]
    result = import_ties(write_csv(tmp_path / "m.csv", rows), {"a", "b", "c"})
    assert result.ties == [Tie("a", "b", 1.0, ""), Tie("c", "b", 2.0, "")]
    assert kinds(result) == [
        ("duplicate_column", 1, "a"), ("unknown_id", 1, "zz"), ("duplicate_id", 1, "a (2)"),
        ("self_tie", 2, "a"),
        ("bad_weight", 3, "a"), ("bad_weight", 4, "a"), ("unknown_id", 5, "column_1")]


def test_matrix_detected_from_known_ids_in_the_header(tmp_path):
    rows = [["id", "a", "b"], ["a", "0", "1"], ["b", "1", "0"]]
    result = import_ties(write_csv(tmp_path / "m.csv", rows), {"a", "b"})
    assert result.layout == "matrix"
    assert set(result.ties) == {Tie("a", "b"), Tie("b", "a")}


def test_layout_that_cannot_be_told_is_an_error(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["who", "whom"], ["a", "b"]])
    with pytest.raises(WorkbenchError, match="t.csv: cannot tell"):
        import_ties(path, {"a", "b"})
    with pytest.raises(WorkbenchError, match="no column chosen for source, target"):
        import_ties(path, {"a", "b"}, options=TiesOptions(layout="edges"))


def test_xlsx_edge_list_on_a_chosen_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Readme"
    sheet = workbook.create_sheet("Ties")
    for row in [["source", "target", "weight"], [1, 2, 3], [2, 1, 0.5], [1, 2, 1]]:
        sheet.append(row)
    workbook.save(tmp_path / "t.xlsx")
    options = TiesOptions(read=ReadOptions(sheet="Ties"), merge="max")
    result = import_ties(tmp_path / "t.xlsx", {"1", "2"}, options=options)
    assert result.ties == [Tie("1", "2", 3.0, ""), Tie("2", "1", 0.5, "")]
    assert kinds(result) == [("duplicate_tie", 4, "source")]


def test_many_problems_are_summarised(tmp_path):
    rows = [["source", "target"]] + [[f"u{i}", "a"] for i in range(1500)]
    result = import_ties(write_csv(tmp_path / "t.csv", rows), {"a"})
    assert result.ties == []
    assert len(result.problems) == 1001
    assert "500 more" in result.problems[-1].message


@pytest.mark.parametrize(("text", "value"), [("", 1.0), (" 2 ", 2.0), ("0,25", 0.25),
                                             ("1.5", 1.5), ("1,000.5", None), ("abc", None)])
def test_parse_weight(text, value):
    assert parse_weight(text) == value


def test_bad_options_are_refused():
    with pytest.raises(ValueError):
        TiesOptions(merge="mean")
    with pytest.raises(ValueError):
        TiesOptions(layout="tree")


def test_cancel_stops_the_import_and_the_collector_is_back_on(tmp_path):
    rows = [["source", "target"]] + [[f"p{i}", f"p{i + 1}"] for i in range(12_000)]
    path = write_csv(tmp_path / "t.csv", rows)
    messages = []
    progress = Progress(lambda fraction, message: messages.append(fraction))
    progress.cancel()
    with pytest.raises(Cancelled):
        import_ties(path, None, progress=progress)
    assert gc.isenabled()
    done = import_ties(path, None, progress=Progress(lambda f, _m: messages.append(f)))
    assert len(done.ties) == 12_000
    assert messages[-1] == 1.0
    assert gc.isenabled()


# -- relations: loose names, blank cells, the relation chosen for rows without one ------------

def test_relation_cells_are_stored_by_their_relation_key(tmp_path):
    rows = [["source", "target", "relation"], ["a", "b", "Reports to"], ["b", "a", "friendship"],
            ["a", "b", "Customer-Insight"], ["b", "a", "Mentoring"]]
    result = import_ties(write_csv(tmp_path / "t.csv", rows), {"a", "b"})
    assert result.relations == ["reporting", "trust", "customer_insight", "mentoring"]


def test_blank_relation_cells_take_the_chosen_relation(tmp_path):
    rows = [["source", "target", "type"], ["a", "b", "advice"], ["b", "a", ""],
            ["a", "c", "  "]]
    result = import_ties(write_csv(tmp_path / "t.csv", rows), {"a", "b", "c"},
                         options=TiesOptions(default_type="Customer insight"))
    assert result.ties == [Tie("a", "b", 1.0, "advice"), Tie("b", "a", 1.0, "customer_insight"),
                           Tie("a", "c", 1.0, "customer_insight")]
    assert result.problems == []


def test_blank_relation_cells_without_a_chosen_relation_are_located_errors(tmp_path):
    rows = [["From", "To", "Kind"], ["a", "b", "advice"], ["b", "a", ""], ["a", "c", "advice"],
            ["c", "a", " "]]
    mapping = ColumnMapping("ties", {"source": "From", "target": "To", "type": "Kind"})
    result = import_ties(write_csv(tmp_path / "t.csv", rows), {"a", "b", "c"}, mapping)
    assert result.ties == [Tie("a", "b", 1.0, "advice"), Tie("a", "c", 1.0, "advice")]
    assert kinds(result) == [("blank_relation", 3, "Kind"), ("blank_relation", 5, "Kind")]
    assert all(p.severity == "error" for p in result.problems)
    assert "choose the relation" in result.problems[0].message


def test_a_matrix_takes_the_chosen_relation_by_its_key(tmp_path):
    rows = [["", "a", "b"], ["a", "", "1"], ["b", "2", ""]]
    result = import_ties(write_csv(tmp_path / "m.csv", rows), {"a", "b"},
                         options=TiesOptions(default_type="reports-to"))
    assert result.relations == ["reporting"]


def _roster(project, tmp_path):
    from workbench.core import importing

    people = tmp_path / "people.csv"
    people.write_text("id,name,department\na,Ann,Sales\nb,Bo,Service\nc,Cy,Sales\n",
                      encoding="utf-8")
    importing.apply_import(project, importing.read_people_file(project, people))


def test_an_import_without_a_relation_says_which_exercises_will_not_use_it(project, tmp_path):
    from workbench.core import importing

    _roster(project, tmp_path)
    untyped = write_csv(tmp_path / "contacts.csv", [["source", "target"], ["a", "b"]])
    plan = importing.read_ties_file(project, untyped)
    assert [(n.name, n.type) for n in plan.networks] == [("contacts", "")]
    (note,) = plan.problems
    assert (note.kind, note.severity, note.file) == ("no_relation", "warning", "contacts.csv")
    assert "network 'contacts' has no relation" in note.message
    assert "say-vs-show" in note.message and "predict-then-reveal" in note.message
    chosen = importing.read_ties_file(project, untyped, relation="customer insight")
    assert [(n.name, n.type) for n in chosen.networks] == [("customer_insight",
                                                             "customer_insight")]
    assert chosen.problems == []
    other = importing.read_ties_file(project, untyped, relation="other")
    assert [(n.name, n.type) for n in other.networks] == [("contacts", "other")]
    assert other.problems == []
    mixed = importing.read_ties_file(project, write_csv(
        tmp_path / "both.csv", [["source", "target", "type"], ["a", "b", "advice"],
                                ["b", "c", "collaboration"]]), name="All ties")
    assert [(n.name, n.type) for n in mixed.networks] == [("All ties", "mixed")]
    assert [p.kind for p in mixed.problems] == ["no_relation"]
    assert "several relations" in mixed.problems[0].message


def test_network_file_relations_are_stored_by_key_and_blank_ones_take_the_choice(
        project, tmp_path):
    from workbench.core import importing

    _roster(project, tmp_path)
    G = nx.DiGraph()
    G.add_edge("a", "b", type="Customer Insight")
    G.add_edge("b", "c", type="customer_insight")
    G.add_edge("c", "a")
    path = tmp_path / "net.graphml"
    nx.write_graphml(G, path)
    plan = importing.read_ties_file(project, path, relation="Collaboration")
    assert sorted((n.name, n.type, len(n.ties)) for n in plan.networks) == [
        ("collaboration", "collaboration", 1), ("customer_insight", "customer_insight", 2)]
    assert plan.problems == []
