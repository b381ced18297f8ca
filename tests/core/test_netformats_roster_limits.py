"""Issue 17, item 5: a roster row shorter than the header is a warning naming the file, the
row and the first missing column. (A manager id naming nobody is covered in
test_cli_messy_input.py, the YAML alias bomb in test_hostile_inputs.py.)"""

from __future__ import annotations

from workbench.core.network.people_import import import_people


def test_a_short_row_names_its_row_and_first_missing_column(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id,name,department,manager_id\ne1,Ann,Sales\ne2,Bo,Sales,e1\ne3\n",
                    encoding="utf-8")
    result = import_people(path)
    short = [p for p in result.problems if p.kind == "ragged_row"]
    assert [(p.row, p.column, p.severity) for p in short] == [
        (2, "manager_id", "warning"), (4, "name", "warning")]
    assert str(short[0]).startswith("roster.csv, row 2, column 'manager_id': row has 3 cells "
                                    "but the header has 4 columns")
    assert [(p.id, p.department) for p in result.people] == [
        ("e1", "Sales"), ("e2", "Sales"), ("e3", "")]
