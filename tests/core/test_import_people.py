"""People import: mapping, checks (ids, managers, cycles, yes/no) and roster diffs."""

from __future__ import annotations

import csv
import dataclasses
import json

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.core.network.mapping import ColumnMapping
from workbench.core.network.people_import import diff_roster, import_people, parse_yes_no
from workbench.core.network.tabular import ReadOptions
from workbench.core.tasks import Cancelled, Progress


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def kinds(result):
    return [(p.kind, p.row, p.column, p.severity) for p in result.problems]


def test_standard_columns_and_extra_attributes(tmp_path):
    path = write_csv(tmp_path / "people.csv", [
        ["id", "name", "email", "department", "role", "manager_id", "location",
         "customer_facing", "segment", "Grade", "Notes"],
        ["1", "Zoë Müller", "zoe@x.com", "Sales", "Head", "", "Oslo", "yes", "SMB", "A", ""],
        ["2", " Ann ", "ann@x.com", "Ops", "Lead", "1", "Bergen", "no", "", "B", "new"],
    ], encoding="cp1252", delimiter=";")
    result = import_people(path)
    assert result.people == [
        Person("1", "Zoë Müller", "zoe@x.com", "Sales", "Head", None, "Oslo", True, "SMB",
               {"Grade": "A"}),
        Person("2", "Ann", "ann@x.com", "Ops", "Lead", "1", "Bergen", False, "",
               {"Grade": "B", "Notes": "new"}),
    ]
    assert kinds(result) == [("no_manager", 2, "manager_id", "warning")]


def test_guessed_mapping_for_other_header_names_can_be_saved_and_reused(tmp_path):
    path = write_csv(tmp_path / "hr.csv", [
        ["Employee ID", "Full Name", "E-mail", "Line Manager", "Client facing", "Cost centre"],
        ["e1", "Ann", "a@x", "", "Y", "100"],
        ["e2", "Bo", "b@x", "e1", "n", "200"],
    ])
    result = import_people(path)
    assert result.mapping.columns == {"id": "Employee ID", "name": "Full Name",
                                      "email": "E-mail", "manager_id": "Line Manager",
                                      "customer_facing": "Client facing"}
    assert [(p.id, p.manager_id, p.customer_facing, p.attributes) for p in result.people] == [
        ("e1", None, True, {"Cost centre": "100"}), ("e2", "e1", False, {"Cost centre": "200"})]
    saved = ColumnMapping.from_dict(json.loads(json.dumps(result.mapping.to_dict())))
    saved.ignored.append("Cost centre")
    again = import_people(path, saved)
    assert [p.attributes for p in again.people] == [{}, {}]
    assert [p.name for p in again.people] == ["Ann", "Bo"]


def test_explicit_mapping(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["Ref", "Who", "Boss"], ["a", "Ann", ""],
                                          ["b", "Bo", "a"]])
    mapping = ColumnMapping("people", {"id": "Ref", "name": "Who", "manager_id": "Boss"})
    result = import_people(path, mapping)
    assert [(p.id, p.name, p.manager_id) for p in result.people] == [("a", "Ann", None),
                                                                    ("b", "Bo", "a")]


def test_missing_id_column_is_an_error_naming_the_file(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["who", "dept"], ["Ann", "Ops"]])
    with pytest.raises(WorkbenchError, match=r"p\.csv: no column chosen for id"):
        import_people(path)


def test_mapping_to_a_column_the_file_lacks(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["id"], ["1"]])
    with pytest.raises(WorkbenchError, match="'?Surname'?"):
        import_people(path, ColumnMapping("people", {"id": "id", "name": "Surname"}))


def test_duplicate_and_blank_ids(tmp_path):
    path = write_csv(tmp_path / "p.csv", [
        ["id", "name"], ["1", "first"], ["2", "Bo"], ["1", "second"], ["  ", "nobody"],
        ["1", "third"],
    ])
    result = import_people(path)
    assert [(p.id, p.name) for p in result.people] == [("1", "first"), ("2", "Bo")]
    assert kinds(result) == [("duplicate_id", 4, "id", "error"), ("blank_id", 5, "id", "error"),
                             ("duplicate_id", 6, "id", "error")]
    assert "row 2" in result.problems[0].message


def test_customer_facing_values(tmp_path):
    values = ["yes", "No", "TRUE", "false", "1", "0", "Y", "n", "x", "", "maybe"]
    path = write_csv(tmp_path / "p.csv", [["id", "customer_facing"]]
                     + [[str(i), v] for i, v in enumerate(values)])
    result = import_people(path)
    assert [p.customer_facing for p in result.people] == [
        True, False, True, False, True, False, True, False, True, False, False]
    assert kinds(result) == [("customer_facing", 12, "customer_facing", "warning")]
    assert [parse_yes_no(v) for v in values] == [
        True, False, True, False, True, False, True, False, True, False, None]


def test_unknown_manager_is_a_warning_and_left_blank(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["id", "manager_id"], ["1", ""], ["2", "99"],
                                          ["3", "1"]])
    result = import_people(path)
    assert [(p.id, p.manager_id) for p in result.people] == [("1", None), ("2", None),
                                                             ("3", "1")]
    assert kinds(result) == [("no_manager", 2, "manager_id", "warning"),
                             ("unknown_manager", 3, "manager_id", "warning")]


def test_manager_cycles_are_errors_naming_the_ids(tmp_path):
    path = write_csv(tmp_path / "p.csv", [
        ["id", "manager_id"], ["ceo", ""], ["a", "b"], ["b", "c"], ["c", "a"], ["d", "a"],
        ["self", "self"],
    ])
    result = import_people(path)
    cycles = [p for p in result.problems if p.kind == "manager_cycle"]
    assert [(p.row, p.column, p.severity) for p in cycles] == [(3, "manager_id", "error"),
                                                               (7, "manager_id", "error")]
    assert "a -> b -> c -> a" in cycles[0].message
    assert "self -> self" in cycles[1].message
    managers = {p.id: p.manager_id for p in result.people}
    assert managers == {"ceo": None, "a": None, "b": None, "c": None, "d": "a", "self": None}


def test_fifty_thousand_level_chain_is_valid(tmp_path):
    depth = 50_000
    rows = [["id", "manager_id"], ["p0", ""]] + [[f"p{i}", f"p{i - 1}"]
                                                 for i in range(1, depth)]
    result = import_people(write_csv(tmp_path / "chain.csv", rows))
    assert len(result.people) == depth
    assert result.people[-1].manager_id == f"p{depth - 2}"
    assert [p.kind for p in result.problems] == ["no_manager"]


def test_xlsx_roster_with_numeric_ids(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [["id", "name", "manager_id"], [1001, "Ann", None], [1002, "Bo", 1001]]:
        sheet.append(row)
    workbook.save(tmp_path / "p.xlsx")
    result = import_people(tmp_path / "p.xlsx")
    assert [(p.id, p.manager_id) for p in result.people] == [("1001", None), ("1002", "1001")]


def test_row_problems_from_the_table_are_included(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"id,name\n1,Ann,extra\n\n2,B\x00o\n")
    result = import_people(path)
    assert [p.id for p in result.people] == ["2"]
    assert [(p.kind, p.row) for p in result.problems] == [("ragged_row", 2), ("empty_row", 3),
                                                          ("nul_bytes", 4)]


def test_progress_and_cancel(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["id"]] + [[str(i)] for i in range(20_000)])
    seen = []
    import_people(path, progress=Progress(lambda f, _m: seen.append(f)))
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        import_people(path, progress=progress)


def test_read_options_are_used(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["title"], ["id", "name"], ["1", "Ann"]])
    result = import_people(path, options=ReadOptions(header_row=2, delimiter=","))
    assert [(p.id, p.name) for p in result.people] == [("1", "Ann")]


def test_diff_roster():
    old = [Person("1", "Ann", department="Ops", attributes={"Grade": "A"}),
           Person("2", "Bo"), Person("3", "Cy")]
    new = [Person("1", "Ann", department="Sales", manager_id="3",
                  attributes={"Grade": "B", "Site": "X"}),
           Person("3", "Cy"), Person("4", "Di")]
    diff = diff_roster(old, new)
    assert diff.added == [new[2]]
    assert diff.removed == [old[1]]
    assert len(diff.changed) == 1
    change = diff.changed[0]
    assert (change.id, change.before, change.after) == ("1", old[0], new[0])
    assert [dataclasses.astuple(f) for f in change.fields] == [
        ("department", "Ops", "Sales"), ("manager_id", None, "3"),
        ("attributes.Grade", "A", "B"), ("attributes.Site", "", "X")]
