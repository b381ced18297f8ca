"""Shared base of the project services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.project import Project

FETCH_ROWS = 20_000  # rows read in one driver call (about 10 ms)


class Service:
    def __init__(self, project: Project) -> None:
        self.project = project

    def _fetch_rows(self, sql: str, parameters: tuple = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples, straight from the driver: for reads of thousands of rows,
        where SQLAlchemy's per-row result objects cost more than the query itself. Read in
        chunks: one ``fetchall`` of 100,000 ties holds the interpreter for 50 ms, which the
        app's window would wait for."""
        with self.project.read() as conn:
            cursor = conn.connection.cursor()
            try:
                cursor.execute(sql, parameters)
                rows: list[tuple[Any, ...]] = []
                while chunk := cursor.fetchmany(FETCH_ROWS):
                    rows.extend(chunk)
                return rows
            finally:
                cursor.close()
