"""The roster: people with their formal attributes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from operator import attrgetter

from sqlalchemy import func, select

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.core.services.base import Service
from workbench.core.store.schema import PersonRow

_T = PersonRow.__table__
_FIELDS = tuple(f.name for f in dataclasses.fields(Person) if f.name != "id")


def _columns(people: Sequence[Person]) -> dict[str, list]:
    """The person table's columns for ``people``: one list per column, no dict per person."""
    columns: dict[str, list] = {"person_id": [p.id for p in people]}
    columns.update((k, list(map(attrgetter(k), people))) for k in _FIELDS)
    return columns


def _to_row(person: Person) -> dict:
    row = {k: getattr(person, k) for k in _FIELDS}
    row["person_id"] = person.id
    row["attributes"] = dict(person.attributes)
    return row


def _to_person(row) -> Person:
    return Person(
        id=row["person_id"], name=row["name"] or "", email=row["email"] or "",
        department=row["department"] or "", role=row["role"] or "",
        manager_id=row["manager_id"] or None, location=row["location"] or "",
        customer_facing=bool(row["customer_facing"]), segment=row["segment"] or "",
        attributes=dict(row["attributes"] or {}),
    )


class PeopleService(Service):
    def count(self) -> int:
        with self.project.read() as conn:
            return conn.execute(select(func.count()).select_from(_T)).scalar_one()

    def list(self) -> list[Person]:
        rows = self._fetch_rows(f"SELECT person_id, {', '.join(_FIELDS)} FROM person ORDER BY id")
        return [Person(pid, name or "", email or "", department or "", role or "",
                       manager_id or None, location or "", bool(customer_facing), segment or "",
                       {} if attributes in (None, "{}", "null") else json.loads(attributes))
                for pid, name, email, department, role, manager_id, location, customer_facing,
                segment, attributes in rows]

    def present(self, person_ids: Iterable[str]) -> set[str]:
        """Those of ``person_ids`` that are on the roster (only they are read)."""
        wanted = list(dict.fromkeys(person_ids))
        found: set[str] = set()
        with self.project.read() as conn:
            for start in range(0, len(wanted), 900):
                found.update(conn.execute(select(_T.c.person_id).where(
                    _T.c.person_id.in_(wanted[start:start + 900]))).scalars())
        return found

    def get(self, person_id: str) -> Person | None:
        with self.project.read() as conn:
            row = conn.execute(select(_T).where(_T.c.person_id == person_id)).mappings().first()
        return _to_person(row) if row else None

    def add_many(self, people: Iterable[Person], label: str = "Import people") -> int:
        people = list(people)
        with self.project.edit(label) as w:
            w.insert_columns("person", _columns(people))
        return len(people)

    def add(self, person: Person) -> None:
        if self.get(person.id) is not None:
            raise WorkbenchError(f"A person with id {person.id!r} already exists.")
        with self.project.edit(f"Add {person.name or person.id}") as w:
            w.insert("person", _to_row(person))

    def update(self, person: Person) -> None:
        with self.project.edit(f"Edit {person.name or person.id}") as w:
            pk = w.conn.execute(select(_T.c.id).where(_T.c.person_id == person.id)).scalar()
            if pk is None:
                raise WorkbenchError(f"No person with id {person.id!r}.")
            w.update("person", pk, _to_row(person))

    def merge(self, added: Iterable[Person], changed: Iterable[Person],
              removed: Iterable[str], label: str = "Update roster") -> None:
        """Apply a roster re-import (merge by id) as one undoable edit."""
        removed = list(removed)
        with self.project.edit(label) as w:
            if removed:
                for start in range(0, len(removed), 900):
                    w.delete_where("person", _T.c.person_id.in_(removed[start:start + 900]))
            for person in changed:
                pk = w.conn.execute(select(_T.c.id).where(_T.c.person_id == person.id)).scalar()
                if pk is not None:
                    w.update("person", pk, _to_row(person))
            w.insert_columns("person", _columns(list(added)))

    def remove(self, person_id: str) -> None:
        with self.project.edit(f"Remove {person_id}") as w:
            w.delete_where("person", _T.c.person_id == person_id)
