"""The single write path of a project, recording every row it changes so edits can be undone.

Services write through a :class:`Writer` inside ``Project.edit(label)``. The writer records the
row images before and after each change; undo applies them backwards, redo forwards. Bulk inserts
and deletes (ties) are recorded as one block, not one object per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from workbench.core.store.schema import TABLES


@dataclass
class RowChange:
    """One row changed: ``before`` is None for an insert, ``after`` None for a delete."""

    table: str
    before: dict | None
    after: dict | None


@dataclass
class BulkChange:
    """Many rows of one table inserted (``inserted``) or deleted together; ``converted``: the
    rows hold the values the driver stores (JSON text...), not Python values."""

    table: str
    rows: list[tuple]
    columns: tuple[str, ...]
    inserted: bool
    converted: bool = False


@dataclass
class ChangeSet:
    label: str
    changes: list[RowChange | BulkChange] = field(default_factory=list)

    @property
    def tables(self) -> set[str]:
        return {change.table for change in self.changes}


BULK_LOAD_ROWS = 10_000


def _table(name: str) -> Table:
    return TABLES[name]


class Writer:
    """Row-level writes that record what they change."""

    def __init__(self, conn: Connection, changeset: ChangeSet) -> None:
        self.conn = conn
        self.changeset = changeset

    def insert(self, table: str, values: dict) -> int:
        t = _table(table)
        inserted = self.conn.execute(insert(t).values(**values)).inserted_primary_key
        if inserted is None:
            raise KeyError(f"{table}: the insert returned no primary key")
        pk = inserted[0]
        after = self._row(t, pk)
        self.changeset.changes.append(RowChange(table, None, after))
        return pk

    def update(self, table: str, pk: int, values: dict) -> None:
        t = _table(table)
        before = self._row(t, pk)
        if before is None:
            raise KeyError(f"{table} row {pk} does not exist")
        if all(before.get(k) == v for k, v in values.items()):
            return
        self.conn.execute(update(t).where(t.c.id == pk).values(**values))
        self.changeset.changes.append(RowChange(table, before, self._row(t, pk)))

    def delete(self, table: str, pk: int) -> None:
        t = _table(table)
        before = self._row(t, pk)
        if before is None:
            return
        self.conn.execute(delete(t).where(t.c.id == pk))
        self.changeset.changes.append(RowChange(table, before, None))

    def insert_many(self, table: str, rows: Sequence[dict], chunk: int = 50_000) -> None:
        """Bulk insert of rows given as dicts; a column missing from a row is stored as NULL."""
        if rows:
            values = tuple(c.name for c in _table(table).columns if c.name != "id")
            self.insert_rows(table, values, [tuple(map(row.get, values)) for row in rows], chunk)

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[tuple],
                    chunk: int = 50_000) -> None:
        """Bulk insert of row tuples holding ``columns`` (see :meth:`insert_columns`)."""
        if rows:
            self.insert_columns(table, dict(zip(columns, zip(*rows, strict=True), strict=True)),
                                chunk)

    def insert_columns(self, table: str, columns: Mapping[str, Sequence[Any]],
                       chunk: int = 50_000) -> None:
        """Bulk insert of rows given column by column (one ``executemany`` per chunk).

        Ids are assigned here, in order, so undo can find the rows. Each row's tuple is built
        once, already converted for the driver, and that block is what undo keeps: no other
        object per row."""
        lengths = {len(values) for values in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"{table}: the columns to insert differ in length ({lengths})")
        count = lengths.pop() if lengths else 0
        if not count:
            return
        t = _table(table)
        first = (self.conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1
        names = ("id", *columns)
        rows = _converted(self.conn, table, names, [range(first, first + count),
                                                    *columns.values()])
        _execute_many(self.conn, table, names, rows, chunk)
        self.changeset.changes.append(BulkChange(table, rows, names, inserted=True,
                                                 converted=True))

    def delete_where(self, table: str, *conditions) -> int:
        """Delete every matching row, recording them as one block."""
        t = _table(table)
        columns = tuple(c.name for c in t.columns)
        rows = [tuple(r) for r in self.conn.execute(select(*t.columns).where(*conditions))]
        if rows:
            self.conn.execute(delete(t).where(*conditions))
            self.changeset.changes.append(BulkChange(table, rows, columns, inserted=False))
        return len(rows)

    def _row(self, t: Table, pk: int) -> dict | None:
        row = self.conn.execute(select(t).where(t.c.id == pk)).mappings().first()
        return dict(row) if row is not None else None


def _converted(conn: Connection, table: str, names: Sequence[str],
               columns: Sequence[Iterable[Any]]) -> list[tuple]:
    """Rows of the given columns, each value converted by its column type's own bind
    processor (JSON, Boolean, Date...): one C-level map per column, not a call per row, and
    none of SQLAlchemy's per-row parameter handling, which costs more than SQLite's own work
    on large inserts."""
    t = _table(table)
    dialect = conn.dialect
    converted = []
    for name, values in zip(names, columns, strict=True):
        process = t.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        converted.append(values if process is None else map(process, values))
    return list(zip(*converted, strict=True))


def _execute_many(conn: Connection, table: str, names: Sequence[str], rows: Sequence[tuple],
                  chunk: int = 50_000) -> None:
    """Insert converted rows through the driver's ``executemany``.

    A load of at least :data:`BULK_LOAD_ROWS` rows into a table that holds fewer rows than
    the load drops the table's indexes (not the unique ones: they check the rows) and builds
    them again after: sorting an index once costs a third of updating it row by row (0.1 s per 100,000
    ties). All of it is inside the edit's transaction: a failure leaves the indexes as they
    were."""
    t = _table(table)
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(t.name)} ({', '.join(quote(c) for c in names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    plain = sorted((index for index in t.indexes if not index.unique), key=lambda i: str(i.name))
    bulk = plain and len(rows) >= BULK_LOAD_ROWS and conn.execute(
        select(func.count()).select_from(t)).scalar_one() < len(rows)
    rebuilt = plain if bulk else []
    for index in rebuilt:
        index.drop(conn)
    for start in range(0, len(rows), chunk):
        conn.exec_driver_sql(sql, rows[start:start + chunk])
    for index in rebuilt:
        index.create(conn)


def _remove_ids(conn: Connection, table: str, ids: list[int]) -> None:
    t = _table(table)
    for start in range(0, len(ids), 900):
        conn.execute(delete(t).where(t.c.id.in_(ids[start:start + 900])))


def apply_changes(conn: Connection, changeset: ChangeSet, *, backwards: bool) -> None:
    """Replay a change set forwards (redo) or backwards (undo) in the given transaction."""
    changes = reversed(changeset.changes) if backwards else changeset.changes
    for change in changes:
        if isinstance(change, BulkChange):
            add = change.inserted != backwards
            id_index = change.columns.index("id")
            if add:
                rows = change.rows if change.converted else _converted(
                    conn, change.table, change.columns, list(zip(*change.rows, strict=True)))
                _execute_many(conn, change.table, change.columns, rows)
            else:
                _remove_ids(conn, change.table, [r[id_index] for r in change.rows])
            continue
        old, new = (change.after, change.before) if backwards else (change.before, change.after)
        t = _table(change.table)
        if old is None and new is not None:
            conn.execute(insert(t).values(**new))
        elif new is None and old is not None:
            conn.execute(delete(t).where(t.c.id == old["id"]))
        elif new is not None:
            conn.execute(update(t).where(t.c.id == new["id"]).values(**new))


class UndoStack:
    """Undo and redo of committed change sets (in memory, per open project)."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._done: list[ChangeSet] = []
        self._undone: list[ChangeSet] = []

    def push(self, changeset: ChangeSet) -> None:
        if not changeset.changes:
            return
        self._done.append(changeset)
        del self._done[:-self.limit]
        self._undone.clear()

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def pop_undo(self) -> ChangeSet | None:
        return self._done.pop() if self._done else None

    def pop_redo(self) -> ChangeSet | None:
        return self._undone.pop() if self._undone else None

    def pushed_back(self, changeset: ChangeSet, *, undone: bool) -> None:
        """Record where an applied undo (``undone``) or redo landed."""
        (self._undone if undone else self._done).append(changeset)
