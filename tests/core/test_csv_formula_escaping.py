"""CSV outputs escape text a spreadsheet would run as a formula, as the workbooks keep it text."""

from __future__ import annotations

import csv

import pytest

from workbench.cli import main
from workbench.core.exporting import export_people_csv, export_ties_csv
from workbench.core.model import Person, Tie
from workbench.core.network.metrics import CSV_COLUMNS
from workbench.core.project import Project
from workbench.core.xlsx_safety import looks_like_formula, safe_csv_value

PEOPLE = [
    Person("=E5", "+cmd", department="@SUM(A1)", attributes={"score": "-0.5"}),
    Person("p2", "-2+3", department="Ops", attributes={"score": "\t=1"}),
    Person("p3", "Ann", department="Ops", attributes={"score": "12"}),
]
TIES = [Tie("=E5", "p2"), Tie("p2", "p3", 2.0), Tie("p3", "=E5")]


@pytest.mark.parametrize(("value", "written"), [
    ("=E5", "'=E5"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-0.5", "-0.5"), ("+3", "+3"), ("1e-3", "1e-3"),
    ("Ann", "Ann"), ("", ""), (-0.5, -0.5), (3, 3), (None, None),
])
def test_rule(value, written):
    assert safe_csv_value(value) == written
    if isinstance(value, str):
        assert looks_like_formula(value) == (written != value)


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "inject.owb"
    with Project.create(path) as project:
        project.people.add_many(PEOPLE)
        project.networks.add("ring", TIES, type="collaboration")
    return path


def _read(path, encoding="utf-8"):
    with open(path, newline="", encoding=encoding) as handle:
        return list(csv.reader(handle))


def test_analyse_csv_escapes_ids_and_keeps_numbers(project_file, tmp_path):
    out = tmp_path / "metrics.csv"
    assert main(["analyse", str(project_file), "--out", str(out)]) == 0
    header, *rows = _read(out)
    assert header == list(CSV_COLUMNS)
    assert sorted(r[0] for r in rows) == ["'=E5", "p2", "p3"]
    for row in rows:
        for name, value in zip(header[1:-1], row[1:-1], strict=True):
            if value:
                float(value)  # numeric columns stay plain numbers
                assert not value.startswith("'"), name


def test_people_and_ties_csv_escape_text_only(project_file, tmp_path):
    with Project.open(project_file) as project:
        export_people_csv(project, tmp_path / "people.csv")
        export_ties_csv(project, "ring", tmp_path / "ties.csv")
    header, *rows = _read(tmp_path / "people.csv", "utf-8-sig")
    people = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    first = people["'=E5"]
    assert (first["name"], first["department"], first["score"]) == ("'+cmd", "'@SUM(A1)",
                                                                     "-0.5")
    assert (people["p2"]["name"], people["p2"]["score"]) == ("'-2+3", "'\t=1")
    assert people["p3"]["score"] == "12"
    _header, *ties = _read(tmp_path / "ties.csv", "utf-8-sig")
    assert ["'=E5", "p2", "1", "collaboration"] in ties
    assert ["p3", "'=E5", "1", "collaboration"] in ties


def test_escaped_csv_reads_back_as_the_original_text(project_file, tmp_path):
    """A roster exported to CSV and imported again keeps its ids and names as they were."""
    from workbench.core.network.people_import import import_people

    with Project.open(project_file) as project:
        export_people_csv(project, tmp_path / "people.csv")
    back = {p.id: p for p in import_people(tmp_path / "people.csv").people}
    assert set(back) == {"=E5", "p2", "p3"}
    assert (back["=E5"].name, back["=E5"].department) == ("+cmd", "@SUM(A1)")
    assert back["p2"].name == "-2+3"
