"""Read back the Plan sheet of an exported plan workbook and list what the client changed.

Nothing is applied here: :func:`read_plan_workbook` only returns the changes, the rows it could
not match, the problems (by row and column) and notices for the user to review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.plan.gates import STATUSES
from workbench.core.report.workbook_writer import (
    EDITABLE_FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MARKER_SHEET,
    PLAN_COLUMNS,
    PLAN_SHEET,
    SHEETS,
    cell_token,
)
from workbench.core.wording import count
from workbench.core.xlsx_safety import (
    DEFAULT_MAX_ROWS,
    iter_untrusted_rows,
    open_untrusted_workbook,
    safe_cell_text,
)

# Dates outside these years are typing slips (a day number read as 1900, a year 2205...).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class ExistingAction(Protocol):
    """What the reader needs of an action already in the plan (PlanAction or a stored row);
    read-only, so frozen dataclasses and rows whose dates are always set fit too."""

    @property
    def uid(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def start(self) -> dt.date | None: ...
    @property
    def due(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def notes(self) -> str: ...


@dataclass(frozen=True)
class ActionChange:
    action_id: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class UnmatchedRow:
    """A Plan row whose action id is empty or unknown (e.g. an action the client added)."""

    row: int
    values: dict[str, Any]


@dataclass
class PlanImport:
    changes: list[ActionChange] = field(default_factory=list)
    unmatched_rows: list[UnmatchedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def read_plan_workbook(path: str | Path, expected_engagement_uuid: str,
                       existing_actions: Sequence[ExistingAction]) -> PlanImport:
    """Compare the workbook's Plan sheet with ``existing_actions``, matched by action id.

    Raises :class:`WorkbenchError` for a file that cannot be read, is not a plan workbook,
    belongs to another engagement or comes from a newer version of the app.
    """
    path = Path(path)
    name = path.name
    result = PlanImport()
    if (path.parent / f"~${name}").exists():
        result.notices.append(f"{name} seems to be open in Excel: unsaved edits are not read.")
    book = open_untrusted_workbook(path)
    try:
        fingerprints = _check_marker(book, name, expected_engagement_uuid)
        _note_other_edits(book, name, fingerprints, result)
        if PLAN_SHEET not in book.sheetnames:
            raise WorkbenchError(f"{name}: the sheet {PLAN_SHEET!r} was deleted or renamed; "
                                 "nothing can be imported.")
        rows = list(iter_untrusted_rows(book[PLAN_SHEET], name, result.problems))
    finally:
        book.close()
    formulas = _formulas_without_result(path, name)
    _read_plan_rows(rows, name, {a.uid: a for a in existing_actions}, result, formulas)
    return result


def _formulas_without_result(path: Path, name: str) -> set[tuple[int, int]]:
    """(row, 0-based column) of the Plan cells holding a formula.

    The values above are read as Excel last saved them; a formula that was never calculated
    (a file written by a script, or by an app that does not compute) has no saved result and
    reads as empty. Only a second read without cached values shows it is a formula, so that
    an empty result is not taken for a cleared owner or note.
    """
    from openpyxl import load_workbook

    found: set[tuple[int, int]] = set()
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged parts
        raise WorkbenchError(f"{name}: damaged workbook ({exc}).") from exc
    try:
        sheet = book[PLAN_SHEET]
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > DEFAULT_MAX_ROWS:
                break
            found.update((number, col) for col, cell in enumerate(cells)
                         if getattr(cell, "data_type", None) == "f")
    except Exception as exc:  # damaged sheet XML
        raise WorkbenchError(f"{name}: sheet {PLAN_SHEET!r} is damaged ({exc}).") from exc
    finally:
        book.close()
    return found


def _check_marker(book: Any, name: str, expected_uuid: str) -> dict[str, str]:
    """Validate the hidden marker sheet; return the sheet fingerprints it holds."""
    not_ours = WorkbenchError(f"{name}: not a plan workbook exported by the Workbench "
                              "(its hidden identification sheet is missing or damaged).")
    if MARKER_SHEET not in book.sheetnames:
        raise not_ours
    marker: dict[str, str] = {}
    for _number, values in iter_untrusted_rows(book[MARKER_SHEET], name, [], max_rows=100):
        if len(values) >= 2 and values[0] is not None:
            marker[str(values[0])] = "" if values[1] is None else str(values[1])
    if marker.get("format") != FORMAT_NAME:
        raise not_ours
    raw_version = marker.get("format_version", "")
    try:
        version = int(float(raw_version))
    except (ValueError, OverflowError):  # "x", NaN, or 1e400 (infinite)
        raise WorkbenchError(f"{name}: the hidden identification sheet is damaged "
                             f"(format_version {raw_version[:40]!r} is not a version "
                             "number).") from None
    if version > FORMAT_VERSION:
        raise WorkbenchError(f"{name}: written by a newer version of the Workbench (format "
                             f"{version}); update the app to import it.")
    if marker.get("engagement_uuid") != expected_uuid:
        raise WorkbenchError(f"{name}: this plan belongs to another engagement; open that "
                             "engagement's project to import it.")
    prefix = "fingerprint:"
    return {k[len(prefix):]: v for k, v in marker.items() if k.startswith(prefix)}


def _note_other_edits(book: Any, name: str, fingerprints: dict[str, str],
                      result: PlanImport) -> None:
    for sheet_name in SHEETS:
        if sheet_name == PLAN_SHEET or sheet_name not in fingerprints:
            continue
        if sheet_name not in book.sheetnames:
            result.notices.append(f"Sheet {sheet_name!r} was deleted; that does not change "
                                  "the project.")
            continue
        digest = hashlib.sha256()
        for number, values in iter_untrusted_rows(book[sheet_name], name, []):
            for col, value in enumerate(values):
                token = cell_token(value)
                if token is not None:
                    digest.update(f"{number - 1}\t{col}\t{token}\n".encode())
        if digest.hexdigest() != fingerprints[sheet_name]:
            result.notices.append(f"Sheet {sheet_name!r} was edited; only the {PLAN_SHEET} "
                                  "sheet is imported, so those edits are ignored.")


def _normal(header: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header).lower()) if header is not None else ""


def _column_name(col: int, header: str) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)} ({header})"


def _locate_columns(header_row: Sequence[Any], name: str, result: PlanImport) -> dict[str, int]:
    """Field -> column index; problems for renamed or deleted columns, notices for extras."""
    found = {_normal(h): i for i, h in reversed(list(enumerate(header_row))) if _normal(h)}
    known = {_normal(h) for _f, h, _w in PLAN_COLUMNS} | {_normal(f) for f, _h, _w in PLAN_COLUMNS}
    columns: dict[str, int] = {}
    for position, (key, header, _w) in enumerate(PLAN_COLUMNS):
        index = found.get(_normal(header), found.get(_normal(key)))
        if index is not None:
            columns[key] = index
            continue
        if key not in ("action_id", *EDITABLE_FIELDS):
            continue
        there = header_row[position] if position < len(header_row) else None
        renamed = there is not None and _normal(there) not in known
        message = (f"the column {header!r} was renamed to {there!r}" if renamed
                   else f"the column {header!r} was deleted")
        result.problems.append(Problem(name, "renamed_column" if renamed else "deleted_column",
                                       f"{message}; restore it to import {key}", 1,
                                       _column_name(position, str(there or header))))
    for i, h in enumerate(header_row):
        if _normal(h) and _normal(h) not in known:
            result.notices.append(f"Column {_column_name(i, str(h))} is not part of the plan "
                                  "and is not imported.")
    return columns


def _read_plan_rows(rows: list[tuple[int, tuple[Any, ...]]], name: str,
                    existing: dict[str, ExistingAction], result: PlanImport,
                    formulas: AbstractSet[tuple[int, int]] = frozenset()) -> None:
    if not rows:
        raise WorkbenchError(f"{name}: the {PLAN_SHEET} sheet is empty.")
    header_row = rows[0][1]
    columns = _locate_columns(header_row, name, result)
    if "action_id" not in columns:
        return
    seen: set[str] = set()
    headers = {key: header for key, header, _w in PLAN_COLUMNS}
    for number, values in rows[1:]:
        cells = {key: values[i] if i < len(values) else None for key, i in columns.items()}
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        action_id = str(cells["action_id"] or "").strip()
        action = existing.get(action_id)
        if action is None:
            result.unmatched_rows.append(UnmatchedRow(number, cells))
            continue
        if action_id in seen:
            result.problems.append(Problem(
                name, "duplicate_action", f"action {action_id} appears twice; this row is "
                "ignored", number, _column_name(columns["action_id"], headers["action_id"])))
            continue
        seen.add(action_id)
        new: dict[str, Any] = {}
        for key in EDITABLE_FIELDS:
            if key not in columns:
                continue
            where = _column_name(columns[key], headers[key])
            if cells[key] is None and (number, columns[key]) in formulas:
                result.problems.append(Problem(
                    name, "formula_without_result", f"the cell holds a formula with no saved "
                    f"result (open the file in Excel and save it again, or type the value); "
                    f"the {headers[key].lower()} in the project is kept", number, where,
                    severity="warning"))
                continue
            value, message = _parse(key, cells[key])
            if not message and key in ("start", "due") and value != getattr(action, key):
                message = _implausible(value)
            if message:
                result.problems.append(Problem(name, f"invalid_{key}", message, number, where))
            else:
                new[key] = value
        start, due = new.get("start", action.start), new.get("due", action.due)
        if start and due and due < start:
            result.problems.append(Problem(name, "invalid_dates", f"due {due} is before start "
                                           f"{start}; dates not imported", number,
                                           _column_name(columns.get("due", 0), headers["due"])))
            new.pop("start", None)
            new.pop("due", None)
        for key, value in new.items():
            old = getattr(action, key)
            if key in ("owner", "notes") and safe_cell_text(old or "").value == value:
                continue  # unchanged (a cell shortened on export reads back shortened)
            if value != old:
                result.changes.append(ActionChange(action_id, key, old, value))
    if result.unmatched_rows:
        unmatched = count(len(result.unmatched_rows), "row")
        result.notices.append(f"Not matched: {unmatched} of the {PLAN_SHEET} sheet without a "
                              "known action id.")


OPEN_OWNER = "(open)"  # what the Plan sheet shows for a role nobody holds yet


def _parse(key: str, value: Any) -> tuple[Any, str | None]:
    """Parse one edited cell: ``(value, None)`` or ``(None, problem message)``."""
    if key in ("owner", "notes"):
        if value is None:
            return "", None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        return ("" if key == "owner" and text == OPEN_OWNER else text), None
    if key == "status":
        text = str(value or "").strip()
        match = next((s for s in STATUSES if s.lower() == text.lower()), None)
        if match is None:
            return None, f"unknown status {text!r}; use one of {', '.join(STATUSES)}"
        return match, None
    return _parse_date(value)


def _implausible(date: dt.date) -> str | None:
    """Why a newly entered date is not taken, or ``None`` when it is plausible."""
    if EARLIEST_YEAR <= date.year <= LATEST_YEAR:
        return None
    return (f"{date.isoformat()} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}; "
            "check the cell (the old date is kept)")


def _parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 2_958_466:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date(), None
    text = str(value or "").strip()
    if not text:
        return None, "the date is empty; the old date is kept"
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, f"{text!r} is not a date; write it as YYYY-MM-DD"
