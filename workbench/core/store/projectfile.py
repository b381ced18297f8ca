"""Opening, creating, locking, migrating and copying `.owb` project files (DESIGN.md §4).

A file is recognised from its raw 100-byte SQLite header before SQLite touches it, so an empty
file, another program's database or a look-alike is refused untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from workbench.core.errors import ProjectFileError, ProjectLockedError

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x4F574231  # "OWB1"
SUFFIX = ".owb"
PRAGMAS = (
    "PRAGMA journal_mode=DELETE",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
)


@dataclass(frozen=True)
class Header:
    application_id: int
    schema_version: int
    page_size: int
    page_count: int


def read_header(path: Path) -> Header:
    """Read the SQLite header without opening the database; refuse anything not ours."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        raise ProjectFileError(f"{name}: file not found.") from None
    except OSError as exc:
        raise ProjectFileError(f"{name}: cannot be read ({exc.strerror}).") from None
    if len(raw) < 100 or not raw.startswith(SQLITE_MAGIC):
        raise ProjectFileError(f"{name}: not a workbench project (not a project database).")
    page_size = struct.unpack(">H", raw[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    page_count, = struct.unpack(">I", raw[28:32])
    user_version, = struct.unpack(">I", raw[60:64])
    application_id, = struct.unpack(">I", raw[68:72])
    if application_id != APPLICATION_ID:
        raise ProjectFileError(
            f"{name}: not a workbench project (an SQLite database of another program)."
        )
    if page_count and size < page_size * page_count:
        raise ProjectFileError(
            f"{name}: the project file is damaged (truncated to {size} of "
            f"{page_size * page_count} bytes). Open a backup copy instead."
        )
    return Header(application_id, user_version, page_size, page_count)


def _apply_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    for pragma in PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine whose every connection uses the storage pragmas of DESIGN.md §4."""
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 10}
    )
    event.listen(engine, "connect", _apply_pragmas)
    return engine


def stamp_identity(engine: Engine, schema_version: int) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version={int(schema_version)}")


def backup_database(source: Path | sqlite3.Connection, target: Path) -> None:
    """Copy a database with SQLite's backup API into a temp file, then rename onto target."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    own = isinstance(source, Path)
    src = sqlite3.connect(str(source)) if own else source
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA synchronous=FULL")
            dst.commit()
        finally:
            dst.close()
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ProjectFileError(f"{target}: could not write a copy ({exc}).") from None
    finally:
        if own:
            src.close()


def migration_backup_path(path: Path, old_version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.v{old_version}-backup-{stamp}{path.suffix}")


def describe_db_error(path: Path, exc: DBAPIError | sqlite3.Error) -> ProjectFileError:
    original = getattr(exc, "orig", exc)
    return ProjectFileError(f"{path}: the project file is damaged or unreadable ({original}).")


class ProjectLock:
    """A lock file beside the project so one file is open in one window only."""

    def __init__(self, path: Path) -> None:
        self.path = Path(str(path) + ".lock")
        self._held = False

    def acquire(self) -> None:
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": dt.datetime.now().isoformat(timespec="seconds")}
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._is_stale():
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                raise ProjectLockedError(self._held_message()) from None
            except OSError as exc:
                raise ProjectFileError(
                    f"{self.path.parent}: cannot create a lock file ({exc.strerror})."
                ) from None
            with os.fdopen(fd, "w") as fh:
                json.dump(info, fh)
            self._held = True
            return
        raise ProjectLockedError(self._held_message())

    def release(self) -> None:
        if self._held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self._held = False

    def _owner(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _is_stale(self) -> bool:
        owner = self._owner()
        if owner.get("host") != socket.gethostname():
            return False
        pid = owner.get("pid")
        if not isinstance(pid, int) or pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def _held_message(self) -> str:
        owner = self._owner()
        who = f" by process {owner.get('pid')} on {owner.get('host')}" if owner else ""
        name = self.path.name.removesuffix(".lock")
        return f"{name} is already open{who}. Close it there first."
