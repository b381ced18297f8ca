"""Shared base of the project services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.project import Project


class Service:
    def __init__(self, project: Project) -> None:
        self.project = project

    def _fetch_rows(self, sql: str, parameters: tuple = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples, straight from the driver: for reads of thousands of rows,
        where SQLAlchemy's per-row result objects cost more than the query itself."""
        with self.project.read() as conn:
            cursor = conn.connection.cursor()
            try:
                cursor.execute(sql, parameters)
                return list(cursor.fetchall())
            finally:
                cursor.close()
