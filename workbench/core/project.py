"""An open project file: the one place that reads, writes, undoes and copies it.

The GUI and the CLI hold a :class:`Project` and call its services (``project.engagement``,
``project.people``...), which return plain dataclasses; nothing outside ``workbench.core`` sees a
SQLAlchemy connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from workbench.core.errors import ProjectFileError
from workbench.core.store import projectfile
from workbench.core.store.history import ChangeSet, UndoStack, Writer, apply_changes

MIGRATIONS_DIR = Path(__file__).resolve().parent / "store" / "migrations"
Listener = Callable[[ChangeSet | None], None]


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def schema_version() -> int:
    """The schema version this program writes (the newest migration's number)."""
    return int(ScriptDirectory.from_config(_alembic_config()).get_current_head())


def _migrate(conn: Connection, target: str = "head") -> None:
    cfg = _alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)


class Project:
    """One engagement's project file, open for reading and writing."""

    def __init__(self, path: Path, lock: projectfile.ProjectLock) -> None:
        from workbench.core.services import attach_services

        self.path = Path(path)
        self._lock = lock
        self.engine = projectfile.make_engine(self.path)
        self.history = UndoStack()
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._listeners: list[Listener] = []
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        attach_services(self)

    # -- opening and creating --------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike, *, client: str = "", overwrite: bool = False,
               _schema_target: str = "head") -> Project:
        """Create a new, empty project file (refuses to overwrite unless asked)."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise ProjectFileError(f"{path}: a file with this name already exists.")
        if not path.parent.is_dir():
            raise ProjectFileError(f"{path}: the folder {path.parent} does not exist.")
        lock = projectfile.ProjectLock(path)
        lock.acquire()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
        try:
            engine = projectfile.make_engine(tmp)
            with engine.begin() as conn:
                _migrate(conn, _schema_target)
                conn.execute(
                    text("INSERT INTO engagement (id, uuid, client, consultant, description,"
                         " target_step, min_group_size, created) VALUES"
                         " (1, :u, :c, '', '', 1, 5, :t)"),
                    {"u": str(uuid.uuid4()), "c": client, "t": dt.datetime.now()},
                )
            version = int(_schema_target) if _schema_target != "head" else schema_version()
            projectfile.stamp_identity(engine, version)
            engine.dispose()
            os.replace(tmp, path)
        except OSError as exc:
            lock.release()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise ProjectFileError(f"{path}: cannot create the project ({exc.strerror}).") from None
        except BaseException:
            lock.release()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return cls(path, lock)

    @classmethod
    def open(cls, path: str | os.PathLike) -> Project:
        """Open an existing project; migrate an older one after a backup copy."""
        path = Path(path)
        header = projectfile.read_header(path)
        current = schema_version()
        if header.schema_version > current:
            raise ProjectFileError(
                f"{path}: this project was saved by a newer version of the workbench "
                f"(schema {header.schema_version}; this version reads up to {current}). "
                "Update the workbench to open it."
            )
        if header.schema_version < 1:
            raise ProjectFileError(f"{path}: not a workbench project (no schema version).")
        lock = projectfile.ProjectLock(path)
        lock.acquire()
        try:
            project = cls(path, lock)
            project._check_readable()
            if header.schema_version < current:
                project._upgrade(header.schema_version, current)
        except DBAPIError as exc:
            lock.release()
            raise projectfile.describe_db_error(path, exc) from None
        except BaseException:
            lock.release()
            raise
        return project

    def _check_readable(self) -> None:
        with self.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
        if "engagement" not in names:
            self.engine.dispose()
            raise ProjectFileError(f"{self.path}: not a workbench project (no engagement table).")

    def _upgrade(self, old: int, new: int) -> None:
        backup = projectfile.migration_backup_path(self.path, old)
        projectfile.backup_database(self.path, backup)
        with self.engine.begin() as conn:
            _migrate(conn)
        projectfile.stamp_identity(self.engine, new)
        self.migrated_from, self.backup_path = old, backup

    # -- reading and writing -------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading; inside an open edit of this thread, that edit's own."""
        writer = getattr(self._local, "writer", None)
        if writer is not None:
            yield writer.conn
            return
        with self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def edit(self, label: str) -> Iterator[Writer]:
        """One undoable edit: all writes inside commit together or not at all.

        Edits opened inside another edit of the same thread join it, so several service calls
        become one transaction and one undo step named by the outermost label; an exception
        (including :class:`~workbench.core.tasks.Cancelled`) rolls all of them back.
        """
        outer = getattr(self._local, "writer", None)
        if outer is not None:
            yield outer
            return
        changeset = ChangeSet(label)
        with self._write_lock:
            try:
                with self.engine.begin() as conn:
                    self._local.writer = Writer(conn, changeset)
                    yield self._local.writer
            finally:
                self._local.writer = None
            self.history.push(changeset)
        self._notify(changeset)

    def undo(self) -> ChangeSet | None:
        return self._replay(undo=True)

    def redo(self) -> ChangeSet | None:
        return self._replay(undo=False)

    def _replay(self, *, undo: bool) -> ChangeSet | None:
        with self._write_lock:
            changeset = self.history.pop_undo() if undo else self.history.pop_redo()
            if changeset is None:
                return None
            try:
                with self.engine.begin() as conn:
                    apply_changes(conn, changeset, backwards=undo)
            except BaseException:
                self.history.pushed_back(changeset, undone=not undo)
                raise
            self.history.pushed_back(changeset, undone=undo)
        self._notify(changeset)
        return changeset

    # -- listeners -------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def _notify(self, changeset: ChangeSet | None) -> None:
        for listener in list(self._listeners):
            listener(changeset)

    # -- copies and closing ----------------------------------------------------------------

    def save_as(self, target: str | os.PathLike) -> None:
        """Copy the project with SQLite's backup API, then continue working on the copy."""
        target = self._other_file(target)
        new_lock = projectfile.ProjectLock(target)
        new_lock.acquire()
        try:
            self.backup_to(target)
        except BaseException:
            new_lock.release()
            raise
        self.engine.dispose()
        self._lock.release()
        self.path, self._lock = target, new_lock
        self.engine = projectfile.make_engine(target)
        self._notify(None)

    def backup_to(self, target: str | os.PathLike) -> None:
        """Write a consistent copy elsewhere (temp file, then rename) without switching to it."""
        target = self._other_file(target)
        with self._write_lock:
            raw = self.engine.raw_connection()
            try:
                projectfile.backup_database(raw.driver_connection, target)
            finally:
                raw.close()

    def _other_file(self, target: str | os.PathLike) -> Path:
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise ProjectFileError(f"{target}: this is the open project file; choose another name.")
        return target

    def close(self) -> None:
        self.engine.dispose()
        self._lock.release()
        self._listeners.clear()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
