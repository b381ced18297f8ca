"""Awkward values on the plan workbook's big tables (Network, Roster): written as the safety
helpers say, reported by sheet, row and column, and fingerprinted as the re-import reads them."""

from __future__ import annotations

import dataclasses

import numpy as np
import openpyxl
import pytest
from test_report_workbook import make_report_data

import workbench.core.report.workbook_writer as writer
from workbench.core.report.data import protect_people
from workbench.core.report.plan_reader import read_plan_workbook
from workbench.core.report.workbook_writer import write_plan_workbook
from workbench.core.xlsx_safety import safe_cell_text

NAMES = ["Ann\r\nLee", "Bob\x07Ray", "=SUM(A1)", "", "x" * 40_000, "Zoë  Ærø ", "-1"]
MEASURES = [3, None, float("nan"), float("inf"), 1 / 3, np.float64(0.1 + 0.2), 1e-12,
            12345.678, -0.0, True]


def _awkward():
    base = make_report_data(people=len(NAMES) * 2)
    network = [dataclasses.replace(
        p, name=NAMES[i % len(NAMES)],
        metrics={"degree": MEASURES[i % len(MEASURES)],
                 "betweenness": MEASURES[(i + 3) % len(MEASURES)]})
        for i, p in enumerate(base.network)]
    roster = [dataclasses.replace(r, name=p.name, role=NAMES[(i + 1) % len(NAMES)])
              for i, (r, p) in enumerate(zip(base.roster, network, strict=True))]
    return dataclasses.replace(base, network=network, roster=roster)


def _shown(value):
    """What a cell holding ``value`` reads back as in openpyxl (numbers to 9 decimals: a
    spreadsheet keeps 15 significant digits)."""
    written = safe_cell_text(value).value
    if isinstance(written, float):
        return int(written) if written.is_integer() else round(float(written), 9)
    return written


def _read(row):
    return [round(v, 9) if isinstance(v, float) else v for v in row]


@pytest.mark.parametrize("streamed", [False, True])
def test_awkward_values_are_written_safely_and_fingerprinted(tmp_path, monkeypatch, streamed):
    if streamed:
        monkeypatch.setattr(writer, "LARGE_SHEET_ROWS", 1)  # constant_memory from one row on
    data = _awkward()
    path = tmp_path / "plan.xlsx"
    notices = write_plan_workbook(data, path)

    book = openpyxl.load_workbook(path)
    shown, _table = protect_people(data)  # departments as the privacy rule shows them
    network = list(book["Network"].iter_rows(min_row=2, values_only=True))
    for row, person in zip(network, shown.network, strict=True):
        role = [person.role] if data.shows_individual_labels else []
        expected = [person.id, person.name, person.department, *role,
                    person.metrics["degree"], person.metrics["betweenness"]]
        assert _read(row) == [_shown(v) for v in expected]
    roster = list(book["Roster"].iter_rows(min_row=2, values_only=True))
    for row, entry in zip(roster, shown.roster, strict=True):
        assert _read(row) == [_shown(v) for v in
                              (entry.id, entry.name, entry.department, entry.role, entry.email)]
    assert book["Network"]["B2"].data_type == "s" and book["Network"]["B4"].value == "=SUM(A1)"

    # every changed cell is reported with its place: Network names are column B (2)
    changed = [i for i, p in enumerate(data.network)
               if p.name in (NAMES[1], NAMES[4])]  # control character, too long
    for i in changed:
        assert any(n.startswith(f"Network row {i + 2}, column 2:") for n in notices)
    assert any("non-finite number nan" in n for n in notices)
    assert not any(n.startswith("Network") and "column 1:" in n for n in notices)

    # the fingerprints the export wrote are those the re-import computes from the cells
    result = read_plan_workbook(path, data.engagement.uuid, data.plan)
    assert (result.changes, result.problems, result.notices) == ([], [], [])
