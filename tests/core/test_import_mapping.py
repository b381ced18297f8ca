"""Column-mapping guesses and saving a mapping for reuse."""

from __future__ import annotations

import json

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import STANDARD_PERSON_FIELDS
from workbench.core.network.mapping import (
    TIE_FIELDS,
    ColumnMapping,
    guess_mapping,
    header_key,
)


def test_standard_names_map_to_themselves_in_any_case_or_spacing():
    columns = [f.upper().replace("_", " ") for f in STANDARD_PERSON_FIELDS]
    mapping = guess_mapping(columns, "people")
    assert mapping.columns == dict(zip(STANDARD_PERSON_FIELDS, columns, strict=True))
    ties = guess_mapping(["Source", "TARGET", "weight", "Type"], "ties")
    assert list(ties.columns) == list(TIE_FIELDS)


def test_synonyms_accents_and_punctuation():
    assert header_key(" Manager-ID ") == header_key("managerId") == "managerid"
    assert header_key("Département") == "departement"
    mapping = guess_mapping(["Personnel Number", "Display Name", "E-Mail Address", "Division",
                             "Job Title", "Reports To", "Office", "Front-line"], "people")
    assert mapping.columns == {
        "id": "Personnel Number", "name": "Display Name", "email": "E-Mail Address",
        "department": "Division", "role": "Job Title", "manager_id": "Reports To",
        "location": "Office", "customer_facing": "Front-line"}
    ties = guess_mapping(["From", "To", "Strength", "Relation"], "ties")
    assert ties.columns == {"source": "From", "target": "To", "weight": "Strength",
                            "type": "Relation"}


def test_standard_name_wins_and_each_column_is_used_once():
    mapping = guess_mapping(["Employee ID", "id", "Team", "Department"], "people")
    assert mapping.columns == {"id": "id", "department": "Department"}
    assert mapping.missing_required() == []
    assert guess_mapping(["who", "what"], "ties").missing_required() == ["source", "target"]


def test_round_trip_through_json():
    mapping = ColumnMapping("ties", {"source": "From", "target": "To"}, ignored=["Note"])
    again = ColumnMapping.from_dict(json.loads(json.dumps(mapping.to_dict())))
    assert again == mapping


@pytest.mark.parametrize("data", [
    None, [], {"kind": "people", "columns": {"id": 3}}, {"kind": "people", "columns": []},
    {"kind": "people", "ignored": "Note"}, {"kind": "orgs"},
    {"kind": "people", "columns": {"salary": "Pay"}},
])
def test_malformed_saved_mapping(data):
    with pytest.raises(WorkbenchError):
        ColumnMapping.from_dict(data)


def test_indexes_check_the_file_columns():
    mapping = ColumnMapping("people", {"id": "Ref", "name": "Who"})
    assert mapping.indexes(["Who", "x", "Ref"], "f.csv") == {"id": 2, "name": 0}
    with pytest.raises(WorkbenchError, match="f.csv.*Who"):
        mapping.indexes(["Ref"], "f.csv")
    with pytest.raises(WorkbenchError, match="no column chosen for id"):
        ColumnMapping("people", {"name": "Who"}).indexes(["Who"], "f.csv")
