"""Opening, creating, locking, migrating and copying `.owb` project files.

(docs/architecture.md, Storage)

A file is recognised from its raw 100-byte SQLite header before SQLite touches it, so an empty
file, another program's database or a look-alike is refused untouched. The one exception is a
file of ours with a hot journal (a commit interrupted by a crash): SQLite rolls that back first,
under the project lock, because until then the header may describe pages not yet written.

File names go to SQLite as they are, never through a URL, so ``%20``, ``?``, ``#`` or any
other character in a name opens exactly that file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import getpass
import json
import os
import socket
import sqlite3
import struct
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool, QueuePool

from workbench.core.errors import ProjectFileError, ProjectLockedError, format_since

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x4F574231  # "OWB1"
SUFFIX = ".owb"
PRAGMAS = (
    "PRAGMA journal_mode=DELETE",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    # up to 64 MiB of pages per connection (default 2 MiB): a 500k-tie import then writes its
    # pages once at commit instead of spilling and rewriting them during the insert
    "PRAGMA cache_size=-65536",
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


def connect_file(path: Path | str) -> sqlite3.Connection:
    """A sqlite3 connection to exactly this file name (absolute, so never read as a URI)."""
    return sqlite3.connect(os.path.abspath(os.fspath(path)), check_same_thread=False, timeout=10)


def make_engine(path: Path) -> Engine:
    """An engine whose every connection uses the storage pragmas (docs/architecture.md, Storage).

    The connection comes from a creator function, not from a ``sqlite:///`` URL, which would
    be URL-decoded (``Client%20A.owb`` would open ``Client A.owb``, ``q?dir/p.owb`` would
    open ``q``).
    """
    target = os.path.abspath(os.fspath(path))
    engine = create_engine("sqlite+pysqlite://", creator=lambda: connect_file(target),
                           poolclass=QueuePool)
    event.listen(engine, "connect", _apply_pragmas)
    return engine


def stamp_identity(target: Engine | Connection, schema_version: int) -> None:
    """Write the application id and schema version; on a connection, inside its transaction."""
    if isinstance(target, Engine):
        with target.begin() as conn:
            stamp_identity(conn, schema_version)
        return
    target.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    target.exec_driver_sql(f"PRAGMA user_version={int(schema_version)}")


@contextlib.contextmanager
def exclusive_transaction(path: Path) -> Iterator[Connection]:
    """One real SQLite transaction, schema changes included: all of it is written or none.

    Python's sqlite3 driver runs DDL outside its implicit transactions (each ``CREATE`` or
    ``ALTER`` is committed at once), so a crash in a schema upgrade would leave new tables
    under the old version number. Here the driver is put in autocommit mode and the
    transaction is opened with ``BEGIN IMMEDIATE`` and committed (or rolled back) explicitly.
    """
    target = os.path.abspath(os.fspath(path))

    def autocommit_connect() -> sqlite3.Connection:
        conn = connect_file(target)
        conn.isolation_level = None  # the driver issues no BEGIN/COMMIT of its own
        return conn

    engine = create_engine("sqlite+pysqlite://", creator=autocommit_connect, poolclass=NullPool)
    event.listen(engine, "connect", _apply_pragmas)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def journal_path(path: Path) -> Path:
    return Path(os.fspath(path) + "-journal")


def has_hot_journal(path: Path) -> bool:
    """True for a project file of ours with a live rollback journal beside it.

    That journal is what a commit interrupted by a crash or power cut leaves; until SQLite
    rolls it back the file may be half-written (its header can count pages not yet there).
    Like SQLite, a journal that is empty or starts with a zero byte does not count. Files that
    do not carry our application id are never reported, so they are never touched.
    """
    try:
        with open(journal_path(path), "rb") as fh:
            if fh.read(1) in (b"", b"\x00"):
                return False
        with open(path, "rb") as fh:
            raw = fh.read(100)
    except OSError:
        return False
    return (len(raw) == 100 and raw.startswith(SQLITE_MAGIC)
            and struct.unpack(">I", raw[68:72])[0] == APPLICATION_ID)


def recover_journal(path: Path) -> None:
    """Let SQLite roll back an interrupted commit. Call only under the project lock."""
    try:
        conn = connect_file(path)
        try:
            conn.execute("PRAGMA schema_version").fetchone()  # any read rolls a hot journal back
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise describe_db_error(path, exc) from None


def backup_database(source: Path | sqlite3.Connection, target: Path) -> None:
    """Copy a database with SQLite's backup API into a temp file, then rename onto target."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    own = isinstance(source, Path)
    src = connect_file(source) if isinstance(source, Path) else source
    try:
        dst = connect_file(tmp)
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


LOCK_GRACE_SECONDS = 10.0  # an empty or unreadable lock younger than this may be being written
# link() errors meaning "this file system has no hard links" (FAT, some network shares)
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}


def _this_host() -> str:
    return socket.gethostname()


def _this_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return ""


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (never signals it)."""
    if not 0 < pid < 2**31:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        kernel32.OpenProcess.restype = wintypes.HANDLE
        kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists
        try:
            code = wintypes.DWORD()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and \
                code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except (OSError, OverflowError):
        return False
    return True


class ProjectLock:
    """A lock file beside the project so one file is open in one window only.

    The lock names host, user, process and time. It is written to a temporary file first and
    then hard-linked to its final name, which is atomic and fails if a lock exists, so a lock
    is never seen half-written and two processes racing for it cannot both win. (Where the
    file system has no hard links, the lock is created exclusively and then written.)

    A lock of this host whose process is gone is stale and taken over. So is one that is empty
    or unreadable (left by a full disk, say), since it cannot name a live process, once it is
    :data:`LOCK_GRACE_SECONDS` old: a younger one may still be being written. A lock of another
    host is never taken over silently, as the process may be alive there; ``take_over=True``
    overrides any lock, for a user who knows better. Taking over renames the old lock away and
    checks it is still the one judged, so two processes taking over at once cannot both win.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(os.fspath(path) + ".lock")
        self._held = False
        self._content = b""

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self, *, take_over: bool = False) -> None:
        info = {"host": _this_host(), "user": _this_user(), "pid": os.getpid(),
                "since": dt.datetime.now().isoformat(timespec="seconds")}
        content = json.dumps(info).encode("utf-8")
        for _attempt in range(5):
            if self._place(content):
                self._held, self._content = True, content
                return
            owner, stat = self._read()
            if stat is None:
                continue  # released in the meantime
            if take_over or self._is_stale(owner, stat):
                self._remove(stat)
                continue
            raise self._locked_error(owner)
        raise self._locked_error(self._read()[0])

    def release(self) -> None:
        """Remove the lock, unless someone has taken it over in the meantime."""
        if not self._held:
            return
        self._held = False
        with contextlib.suppress(OSError):
            if self.path.read_bytes() == self._content:
                self.path.unlink()

    # -- writing -------------------------------------------------------------------------

    def _place(self, content: bytes) -> bool:
        """Create the lock file with its content at once; False if a lock exists."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            self._write_new(tmp, content)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINKS:
                    raise
                try:
                    self._write_new(self.path, content)
                except FileExistsError:
                    return False
            return True
        except OSError as exc:
            raise ProjectFileError(
                f"{self.path.parent}: cannot create a lock file ({exc.strerror or exc})."
            ) from None
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    @staticmethod
    def _write_new(path: Path, content: bytes) -> None:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()  # never leave an empty or partial lock behind (full disk)
            raise

    # -- judging -------------------------------------------------------------------------

    def _read(self) -> tuple[dict | None, os.stat_result | None]:
        """The lock's owner (None if empty or unreadable) and its file status (None if gone)."""
        try:
            stat = self.path.stat()
        except OSError:
            return None, None
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, None
        except OSError:
            return None, stat
        try:
            owner = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None, stat
        if not isinstance(owner, dict) or not isinstance(owner.get("host"), str) \
                or not owner["host"]:
            return None, stat
        return owner, stat

    def _is_stale(self, owner: dict | None, stat: os.stat_result) -> bool:
        if owner is not None and owner["host"] != _this_host():
            return False  # the process may well be alive on that computer
        pid = owner.get("pid") if owner is not None else None
        if isinstance(pid, int) and not isinstance(pid, bool):
            return pid != os.getpid() and not pid_alive(pid)
        # Empty or unreadable: it names no live process, so it is stale, unless it is so young
        # that another process may still be writing it (only where hard links are missing).
        return time.time() - stat.st_mtime > LOCK_GRACE_SECONDS

    def _remove(self, judged: os.stat_result) -> None:
        """Remove the lock judged stale, but not one that replaced it since it was judged."""
        grave = self.path.with_name(
            f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.stale")
        try:
            os.rename(self.path, grave)
        except FileNotFoundError:
            return  # someone else removed it first
        except OSError as exc:
            raise ProjectFileError(
                f"{self.path}: cannot remove a stale lock file ({exc.strerror or exc})."
            ) from None
        try:
            now = grave.stat()
            same = (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) == (
                judged.st_ino, judged.st_dev, judged.st_size, judged.st_mtime_ns)
            if not same:  # a fresh lock arrived in between: put it back
                try:
                    os.link(grave, self.path)
                except FileExistsError:
                    pass  # yet another lock is there now; it stands
                except OSError:
                    if not self.path.exists():
                        os.rename(grave, self.path)
        except OSError:
            pass  # at worst the fresh lock is lost and the next opener takes the file
        finally:
            with contextlib.suppress(OSError):
                grave.unlink()

    def _locked_error(self, owner: dict | None) -> ProjectLockedError:
        name = self.path.name.removesuffix(".lock")
        file = str(self.path)[: -len(".lock")]
        if owner is None:
            return ProjectLockedError(
                f"{name} is being opened by another window right now. Try again in a few "
                "seconds.", path=file, overridable=False)
        host = owner["host"]
        pid = owner.get("pid") if isinstance(owner.get("pid"), int) else None
        user = str(owner.get("user") or "") or None
        since = str(owner.get("since") or "") or None
        details = dict(path=file, host=host, user=user, pid=pid, since=since)
        who, when = user or "an unknown user", format_since(since)
        if host != _this_host():
            return ProjectLockedError(
                f"{name} is already open on {host} by {who} since {when}. Close it there "
                "first; open it anyway only if you are sure nobody is working on it there.",
                **details)
        if pid == os.getpid():
            return ProjectLockedError(f"{name} is already open in this window.",
                                      overridable=False, **details)
        process = f"process {pid}" if pid is not None else "an unknown process"
        return ProjectLockedError(
            f"{name} is already open in another window on this computer ({who}, {process}, "
            f"since {when}). Close it there first.", **details)

