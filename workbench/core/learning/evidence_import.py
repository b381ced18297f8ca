"""Read customer evidence (CSV or XLSX): one measure per segment, kind and period and row.

Columns are matched by name (mapping kind ``evidence``: segment, measure, value, unit, period,
source, target). Errors leave the row out: a blank segment, measure or value; a measure that
is none of the five kinds (the nearest is suggested); a value or target that is not a number
("41 %" and "41,5" are read); a segment the project does not know (the roster's ``segment``
column, the insight log and the journeys name the known ones; the nearest is suggested); the
same segment, measure and period twice. A project that knows no segment yet takes every
segment, with one warning saying so.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.learning.model import MEASURE_KINDS, ImportSummary, MeasureDraft
from workbench.core.learning.reading import (
    FileImport,
    apply_file_import,
    mapped_table,
    match_choice,
    unknown_choice,
)
from workbench.core.network.mapping import ColumnMapping
from workbench.core.network.tabular import ProblemLog, ReadOptions
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.project import Project

EvidenceImport = FileImport[MeasureDraft]
KIND = "evidence"
KINDS = tuple(MEASURE_KINDS)
# Other names of the measure kinds, reduced like header names.
KIND_ALIASES = {
    "csat": "satisfaction", "nps": "satisfaction", "customersatisfaction": "satisfaction",
    "satisfactionscore": "satisfaction", "ces": "effort", "customereffort": "effort",
    "effortscore": "effort", "customereffortscore": "effort",
    "unresolvedcomplaints": "complaints unresolved", "opencomplaints": "complaints unresolved",
    "complaintsunresolvedafter30days": "complaints unresolved",
    "complaintsopenafter30days": "complaints unresolved", "complaints": "complaints unresolved",
    "lapse": "churn", "lapsed": "churn", "churnrate": "churn", "attrition": "churn",
    "lapsedcustomers": "churn", "silentchurn": "silent customers", "silent": "silent customers",
    "silentlapse": "silent customers", "silentleavers": "silent customers",
}


def import_evidence(path: str | os.PathLike[str], segments: Sequence[str],
                    mapping: ColumnMapping | None = None,
                    options: ReadOptions | None = None) -> EvidenceImport:
    """Read and check a customer evidence file against the ``segments`` the project knows."""
    with mapped_table(path, KIND, mapping, options) as (table, mapping, index):
        problems = table.problems
        known = {s.casefold(): s for s in segments}
        if not known:
            problems.add("no_segments", "the project knows no customer segments yet (no "
                         "segment column in the roster, no insights): every segment of this "
                         "file is taken as written", severity="warning")
        measures: list[MeasureDraft] = []
        first_row: dict[tuple[str, str, str], int] = {}
        for row, cells in table.rows:
            values = {name: cells[at].strip() for name, at in index.items()}
            measure = _measure(values, row, mapping.columns, known, problems)
            if measure is None:
                continue
            key = (measure.segment, measure.kind, measure.period)
            if key in first_row:
                problems.add("duplicate_measure", f"{measure.kind} of {measure.segment}"
                             f"{' for ' + measure.period if measure.period else ''} is already "
                             f"given on row {first_row[key]}; row skipped", row,
                             mapping.columns["kind"])
                continue
            first_row[key] = row
            measures.append(measure)
    return EvidenceImport(measures, problems.to_list(), mapping)


def _number(text: str) -> tuple[float, bool]:
    """The number a cell holds ("41 %", "41,5", "1 200") and whether it carried a % sign;
    :class:`ValueError` when it holds none."""
    percent = text.endswith("%")
    cleaned = text.removesuffix("%").replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value, percent


def _measure(values: dict[str, str], row: int, columns: dict[str, str],
             known: dict[str, str], problems: ProblemLog) -> MeasureDraft | None:
    errors: list[tuple[str, str, str]] = []  # (kind, message, field)
    segment = values.get("segment", "")
    if not segment:
        errors.append(("blank", "the segment is blank", "segment"))
    elif known:
        if segment.casefold() in known:
            segment = known[segment.casefold()]
        else:
            errors.append(("unknown_segment", unknown_choice("segment", segment,
                                                             sorted(known.values())),
                           "segment"))
    text = values.get("kind", "")
    kind = match_choice(text, KINDS, KIND_ALIASES) if text else None
    if not text:
        errors.append(("blank", "the measure is blank", "kind"))
    elif kind is None:
        errors.append(("unknown_measure", unknown_choice("measure", text, KINDS), "kind"))
    numbers: dict[str, float | None] = {"value": None, "target": None}
    percent = False
    for name in numbers:
        cell = values.get(name, "")
        if not cell:
            if name == "value":
                errors.append(("blank", "the value is blank", name))
            continue
        try:
            numbers[name], has_percent = _number(cell)
            percent = percent or has_percent
        except ValueError:
            errors.append(("not_a_number", f"the {name} {cell!r} is not a number", name))
    for error_kind, message, name in errors:
        problems.add(error_kind, f"{message}; row skipped", row, columns.get(name))
    if errors or kind is None or numbers["value"] is None:
        return None
    unit = values.get("unit", "") or ("%" if percent else "")
    return MeasureDraft(segment, kind, numbers["value"], unit, values.get("period", ""),
                        values.get("source", ""), numbers["target"])


def read_evidence_file(project: Project, path: str | os.PathLike[str],
                       mapping: ColumnMapping | None = None,
                       options: ReadOptions | None = None) -> EvidenceImport:
    """:func:`import_evidence` against the segments the project knows."""
    return import_evidence(path, project.learning.segments(), mapping, options)


def apply_evidence(project: Project, result: EvidenceImport, *, accept_valid: bool = False,
                   file: str | os.PathLike[str] = "") -> ImportSummary:
    """Replace the project's customer measures with the read ones, as one undoable edit."""
    where = f" from {Path(file).name}" if file else ""
    label = f"Import customer evidence ({count(len(result.records), 'measure')}){where}"
    return apply_file_import(project, result,
                             lambda: project.learning.replace_measures(result.records),
                             label=label, accept_valid=accept_valid)
