"""Import a people roster (CSV/XLSX), check it, and compare it with the roster already held."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from workbench.core.errors import Problem
from workbench.core.model import Person
from workbench.core.network.hierarchy import find_manager_cycles
from workbench.core.network.mapping import ColumnMapping, columns_fit, guess_mapping
from workbench.core.network.tabular import ProblemLog, ReadOptions
from workbench.core.tasks import Progress, ensure_progress, gc_paused

YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})
TEXT_FIELDS = ("name", "email", "department", "role", "location", "segment")
PROGRESS_EVERY = 5000


@dataclass
class PeopleImport:
    """The people that can be imported, every problem found, and the mapping used."""

    people: list[Person]
    problems: list[Problem]
    mapping: ColumnMapping


@dataclass(frozen=True)
class FieldChange:
    """One field of one person that differs; attributes are named ``attributes.<name>``."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class PersonChange:
    id: str
    before: Person
    after: Person
    fields: list[FieldChange]


@dataclass
class RosterDiff:
    """What a re-import would change, matched by person id."""

    added: list[Person] = field(default_factory=list)
    changed: list[PersonChange] = field(default_factory=list)
    removed: list[Person] = field(default_factory=list)


def parse_yes_no(text: str) -> bool | None:
    """yes/no/true/false/1/0/y/n/x (any case; blank is no); ``None`` when not recognised."""
    word = text.strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    return None


def import_people(
    path: str | os.PathLike[str], mapping: ColumnMapping | None = None,
    options: ReadOptions | None = None, progress: Progress | None = None,
) -> PeopleImport:
    """Read a people file and check it; rows with errors are left out of ``people``.

    Checked: blank and duplicate ids (the first row of an id is kept), customer-facing values,
    blank or unknown managers (warnings; an unknown manager is left blank), manager cycles
    (errors; the people are kept but their manager links inside the cycle are removed), and
    the row-level problems of :mod:`tabular` (empty, ragged, NUL bytes, too many rows).
    Raises :class:`WorkbenchError` when the file cannot be read or has no id column.
    """
    if mapping is not None and mapping.kind != "people":
        raise ValueError(f"import_people needs a people mapping, not {mapping.kind!r}")
    progress = ensure_progress(progress)
    fits = partial(columns_fit, kind="people", mapping=mapping)
    with (options or ReadOptions()).open_fitting(path, fits) as table, gc_paused():
        mapping = mapping or guess_mapping(table.columns, "people")
        index = mapping.indexes(table.columns, table.file)
        problems = table.problems
        mapped = set(mapping.columns.values()) | set(mapping.ignored)
        extras = [(i, c) for i, c in enumerate(table.columns) if c not in mapped]
        text_fields = [(f, index[f]) for f in TEXT_FIELDS if f in index]
        id_col, id_at = mapping.columns["id"], index["id"]
        manager_at = index.get("manager_id")
        facing_at = index.get("customer_facing")

        records: dict[str, dict[str, Any]] = {}
        row_of: dict[str, int] = {}
        for count, (row, cells) in enumerate(table.rows):
            if count % PROGRESS_EVERY == 0:
                progress.update(0.9 * table.fraction_read(), "Reading people")
            person_id = cells[id_at].strip()
            if not person_id:
                problems.add("blank_id", "no id; row skipped", row, id_col)
                continue
            if person_id in records:
                problems.add("duplicate_id", f"id {person_id!r} already used on row "
                             f"{row_of[person_id]}; this row skipped", row, id_col)
                continue
            record: dict[str, Any] = {f: cells[i].strip() for f, i in text_fields}
            record["id"] = person_id
            if manager_at is not None:
                record["manager_id"] = cells[manager_at].strip() or None
            if facing_at is not None:
                record["customer_facing"] = _customer_facing(cells[facing_at], row, mapping,
                                                             problems)
            record["attributes"] = {c: v for i, c in extras if (v := cells[i].strip())}
            records[person_id] = record
            row_of[person_id] = row
        progress.update(0.9, "Checking managers")
        if manager_at is not None:
            _check_managers(records, row_of, mapping.columns["manager_id"], problems)
        people = [Person(**record) for record in records.values()]
    progress.update(1.0, "People read")
    return PeopleImport(people, problems.to_list(), mapping)


def _customer_facing(text: str, row: int, mapping: ColumnMapping, problems: ProblemLog) -> bool:
    value = parse_yes_no(text)
    if value is None:
        problems.add("customer_facing", f"{text.strip()!r} is not yes/no (use yes, no, true, "
                     "false, 1, 0, y, n or x); read as no", row,
                     mapping.columns["customer_facing"], severity="warning")
        return False
    return value


def _check_managers(records: dict[str, dict[str, Any]], row_of: dict[str, int], column: str,
                    problems: ProblemLog) -> None:
    manager_of: dict[str, str | None] = {}
    for person_id, record in records.items():
        manager = record.get("manager_id")
        if manager is None:
            problems.add("no_manager", "no manager given", row_of[person_id], column,
                         severity="warning")
        elif manager not in records:
            problems.add("unknown_manager", f"manager {manager!r} is not in the file; left "
                         "blank", row_of[person_id], column, severity="warning")
            record["manager_id"] = manager = None
        manager_of[person_id] = manager
    for cycle in find_manager_cycles(manager_of):
        rows = ", ".join(f"{m} (row {row_of[m]})" for m in cycle)
        problems.add("manager_cycle", f"managers form a loop: {' -> '.join(cycle)} -> "
                     f"{cycle[0]}; these links were removed: {rows}", row_of[cycle[0]], column)
        for member in cycle:
            records[member]["manager_id"] = None


def diff_roster(old: list[Person], new: list[Person]) -> RosterDiff:
    """Added, changed (field by field) and removed people between two rosters, by id."""
    before = {p.id: p for p in old}
    after_ids = {p.id for p in new}
    diff = RosterDiff(removed=[p for p in old if p.id not in after_ids])
    for person in new:
        previous = before.get(person.id)
        if previous is None:
            diff.added.append(person)
        elif previous != person:
            diff.changed.append(PersonChange(person.id, previous, person,
                                             _field_changes(previous, person)))
    return diff


def _field_changes(before: Person, after: Person) -> list[FieldChange]:
    changes = [
        FieldChange(f.name, getattr(before, f.name), getattr(after, f.name))
        for f in dataclasses.fields(Person)
        if f.name not in ("id", "attributes") and getattr(before, f.name) != getattr(after, f.name)
    ]
    for name in sorted(before.attributes.keys() | after.attributes.keys()):
        old, new = before.attributes.get(name, ""), after.attributes.get(name, "")
        if old != new:
            changes.append(FieldChange(f"attributes.{name}", old, new))
    return changes
