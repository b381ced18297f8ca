"""Errors the user sees as messages, never as tracebacks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class WorkbenchError(Exception):
    """An error whose message is meant for the user (file, row and column where known)."""


class ProjectFileError(WorkbenchError):
    """A project file that cannot be opened, created or saved."""


class ProjectLockedError(ProjectFileError):
    """The project file is already open in another window, process or computer.

    Carries who holds it, as far as the lock file tells (``None`` where it does not), so the
    GUI can ask "open it anyway?"; ``overridable`` is False when taking it over makes no sense
    (this very process holds it, or another one is writing its lock right now).
    """

    def __init__(self, message: str, *, path: str | None = None, host: str | None = None,
                 user: str | None = None, pid: int | None = None, since: str | None = None,
                 overridable: bool = True) -> None:
        super().__init__(message)
        self.path = path
        self.host = host
        self.user = user
        self.pid = pid
        self.since = since
        self.overridable = overridable

    @property
    def when(self) -> str:
        """The time the holder opened the file, for people ("2025-03-04 09:15")."""
        return format_since(self.since)


def format_since(since: object) -> str:
    """A lock's ISO time as people read it; the raw text if it is not a time."""
    try:
        return dt.datetime.fromisoformat(str(since)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(since) if since else "an unknown time"


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
