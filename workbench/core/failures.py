"""Storage failures as messages: a damaged, read-only or full project file, a full disk.

SQLite reports these as ``sqlite3.DatabaseError``/``OperationalError`` (wrapped by SQLAlchemy
in ``DBAPIError``), the file system as ``OSError``; none of them should reach the user as a
traceback. :func:`storage_error` turns the ones that describe the storage (not a bug) into a
:class:`~workbench.core.errors.WorkbenchError` naming the file and what to do.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import ProjectFileError, WorkbenchError

if TYPE_CHECKING:
    from workbench.core.project import Project

# Primary SQLite result codes (https://sqlite.org/rescode.html)
SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL = 8, 10, 11, 13
SQLITE_CANTOPEN, SQLITE_NOTADB = 14, 26

_BY_TEXT = (  # for drivers that give no result code
    ("malformed", SQLITE_CORRUPT),
    ("not a database", SQLITE_NOTADB),
    ("readonly database", SQLITE_READONLY),
    ("database or disk is full", SQLITE_FULL),
    ("disk i/o error", SQLITE_IOERR),
    ("unable to open database file", SQLITE_CANTOPEN),
)
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (or of the driver error it wraps)."""
    original = getattr(exc, "orig", None) or exc
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(original).lower()
    return next((c for phrase, c in _BY_TEXT if phrase in text), None)


def project_storage_error(path: str | os.PathLike[str] | None,
                          exc: BaseException) -> ProjectFileError | None:
    """A message for an SQLite error that is about the project file itself, else ``None``
    (a constraint or SQL error is a bug, not something the user can fix)."""
    code = sqlite_code(exc)
    where = f"{path}: " if path else ""
    original = getattr(exc, "orig", None) or exc
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return ProjectFileError(
            f"{where}the project file is damaged ({original}); nothing was changed. Open a "
            "backup copy, or the latest copy you saved elsewhere.")
    if code == SQLITE_READONLY:
        return ProjectFileError(
            f"{where}the project file is read-only, so nothing can be saved in it; copy it to "
            "a folder where you can write, or change its permissions, and try again.")
    if code == SQLITE_FULL:
        return ProjectFileError(
            f"{where}the disk is full, so the change was not saved (the project is as it "
            "was before); free some space and try again.")
    if code == SQLITE_IOERR:
        return ProjectFileError(
            f"{where}the disk reported an error while reading or writing the project "
            f"({original}); check the drive or network share and try again.")
    if code == SQLITE_CANTOPEN:
        return ProjectFileError(
            f"{where}the project file cannot be opened ({original}); check that the file and "
            "its folder are still there and that you may write in the folder.")
    return None


def os_error_message(exc: OSError, path: str | os.PathLike[str] | None = None) -> WorkbenchError:
    """A message for a failed read or write of ``path`` (else of the file ``exc`` names):
    a full disk, a read-only folder, a missing file..."""
    name = path or exc.filename
    where = f"{Path(os.fspath(name)).name}: " if name else ""
    reason = exc.strerror or str(exc)
    if exc.errno in _DISK_FULL:
        return WorkbenchError(f"{where}the disk is full ({reason}); nothing was written. Free "
                              "some space and try again.")
    if exc.errno in _READ_ONLY:
        return WorkbenchError(f"{where}cannot write here ({reason}); choose another folder "
                              "or change the permissions.")
    return WorkbenchError(f"{where}cannot read or write the file ({reason}).")


def storage_error(exc: BaseException, path: str | os.PathLike[str] | None = None, *,
                  project_file: bool = True) -> WorkbenchError | None:
    """``exc`` as a user message when it is a storage failure, else ``None``.

    ``path`` is the file being read or written; ``project_file=False`` leaves SQLite errors
    alone (``path`` is then an output file, not the project).

    Looks through the wrappers libraries put around an ``OSError`` (XlsxWriter's
    ``FileCreateError`` holds it as its first argument; others chain it as the cause).
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        mapped = project_storage_error(path, current) if project_file else None
        if mapped is not None:
            return mapped
        if isinstance(current, OSError):
            return os_error_message(current, path)
        inner = current.args[0] if current.args else None
        current = inner if isinstance(inner, BaseException) else current.__cause__
    return None


def check_integrity(project: Project) -> None:
    """Refuse (:class:`ProjectFileError`) a project file whose pages are damaged.

    ``PRAGMA quick_check`` reads every page once (well under a second for usual projects); a
    bulk import runs it first, so it never writes into a damaged file and makes it worse.
    """
    try:
        with project.read() as conn:
            rows = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check(3)")]
    except ProjectFileError as exc:  # pages so damaged that the check itself stops
        cause = exc.__cause__
        if cause is None or sqlite_code(cause) not in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise
        rows = [str(getattr(cause, "orig", None) or cause)]
    if rows != ["ok"]:
        found = [line.strip() for row in rows for line in row.splitlines()
                 if line.strip() and not line.startswith("***")]
        raise ProjectFileError(
            f"{project.path}: the project file is damaged ({'; '.join(found[:3])[:300]}); "
            "nothing was imported. Open a backup copy, or the latest copy you saved elsewhere.")
