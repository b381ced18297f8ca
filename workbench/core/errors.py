"""Errors the user sees as messages, never as tracebacks."""

from __future__ import annotations

from dataclasses import dataclass


class WorkbenchError(Exception):
    """An error whose message is meant for the user (file, row and column where known)."""


class ProjectFileError(WorkbenchError):
    """A project file that cannot be opened, created or saved."""


class ProjectLockedError(ProjectFileError):
    """The project file is already open in another window or process."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located by file, row and column."""

    file: str
    kind: str
    message: str
    row: int | None = None
    column: str | None = None
    severity: str = "error"  # "error" rows are skipped; "warning" rows are imported

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"
