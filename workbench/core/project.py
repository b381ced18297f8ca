"""An open project file: the one place that reads, writes, undoes and copies it.

The GUI and the CLI hold a :class:`Project` and call its services (``project.engagement``,
``project.people``...), which return plain dataclasses; nothing outside ``workbench.core`` sees a
SQLAlchemy connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from workbench.core.errors import ProjectFileError
from workbench.core.failures import project_storage_error
from workbench.core.model import default_end_date
from workbench.core.store import projectfile
from workbench.core.store.history import ChangeSet, UndoStack, Writer, apply_changes

if TYPE_CHECKING:  # each service is imported on its first use, so a command loads only its own
    from alembic.config import Config

    from workbench.core.services.assessments import AssessmentService
    from workbench.core.services.engagement import EngagementService
    from workbench.core.services.learning import LearningService
    from workbench.core.services.networks import NetworkService
    from workbench.core.services.notes import NoteService
    from workbench.core.services.people import PeopleService
    from workbench.core.services.plans import PlanService
    from workbench.core.services.settings import SettingsService
    from workbench.core.services.workshop import WorkshopService

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "store" / "migrations"
Listener = Callable[[ChangeSet | None], None]


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@functools.cache
def schema_version() -> int:
    """The schema version this program writes: the newest migration's number, which starts
    its file name (``0007_customer_learning.py``); read without loading alembic, so opening a
    current project costs no migration machinery."""
    numbers = [int(p.name[:4]) for p in (MIGRATIONS_DIR / "versions").glob("[0-9]" * 4 + "_*.py")]
    if not numbers:
        raise RuntimeError(f"no schema migrations in {MIGRATIONS_DIR}")
    return max(numbers)


def _migrate(conn: Connection, target: str = "head") -> None:
    from alembic import command

    cfg = _alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)


def _make_schema(conn: Connection, target: str) -> None:
    """The schema of a new project: from the snapshot of the newest schema when it is current
    (see :mod:`workbench.core.store.snapshot`), else by running the migrations."""
    from workbench.core.store import snapshot

    made = snapshot.statements(schema_version()) if target == "head" else None
    if made is None:
        _migrate(conn, target)
        return
    for statement in made:
        conn.exec_driver_sql(statement)


class _Service:
    """A project service (``project.people``...) made on first use: a command imports only
    the services it calls (the plan service alone loads the questionnaire machinery)."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, project: Project | None, owner: type | None = None) -> Any:
        if project is None:
            return self
        module, cls = self.target.split(":")
        service = getattr(importlib.import_module(module), cls)(project)
        project.__dict__[self.name] = service  # later reads find it without this descriptor
        return service


def _service(module: str, cls: str) -> Any:
    """Service ``cls`` of ``workbench.core.services.MODULE``, made per project on first use."""
    return _Service(f"workbench.core.services.{module}:{cls}")


class Project:
    """One engagement's project file, open for reading and writing."""

    engagement: EngagementService = _service("engagement", "EngagementService")
    settings: SettingsService = _service("settings", "SettingsService")
    people: PeopleService = _service("people", "PeopleService")
    networks: NetworkService = _service("networks", "NetworkService")
    assessments: AssessmentService = _service("assessments", "AssessmentService")
    plans: PlanService = _service("plans", "PlanService")
    notes: NoteService = _service("notes", "NoteService")
    workshop: WorkshopService = _service("workshop", "WorkshopService")
    learning: LearningService = _service("learning", "LearningService")

    def __init__(self, path: Path, lock: projectfile.ProjectLock) -> None:
        self.path = Path(path)
        self._lock = lock
        self.engine = projectfile.make_engine(self.path)
        self.history = UndoStack()
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._listeners: list[Listener] = []
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None

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
                _make_schema(conn, _schema_target)
                conn.execute(
                    text("INSERT INTO engagement (id, uuid, client, consultant, description,"
                         " start_date, end_date, target_step, min_group_size, created) VALUES"
                         " (1, :u, :c, '', '', :s, :e, 1, 5, :t)"),
                    # a new engagement starts today and runs one 100-day plan
                    {"u": str(uuid.uuid4()), "c": client, "t": dt.datetime.now(),
                     "s": dt.date.today().isoformat(),
                     "e": default_end_date(dt.date.today()).isoformat()},
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
        log.info("Created project %s", path)
        return cls(path, lock)

    @classmethod
    def open(cls, path: str | os.PathLike, *, take_over: bool = False) -> Project:
        """Open an existing project; migrate an older one after a backup copy.

        A lock saying the file is open elsewhere raises
        :class:`~workbench.core.errors.ProjectLockedError`; ``take_over=True`` opens it anyway
        (only after the user has been asked).
        """
        path = Path(path)
        if not projectfile.has_hot_journal(path):
            cls._openable_header(path)  # refuse foreign, newer or damaged files before locking
        lock = projectfile.ProjectLock(path)
        lock.acquire(take_over=take_over)
        project: Project | None = None
        try:
            if projectfile.has_hot_journal(path):
                # A commit was cut short (crash, power cut): until SQLite rolls it back, the
                # header may count pages that were never written.
                projectfile.recover_journal(path)
            header = cls._openable_header(path)  # again, now that nobody else can change it
            project = cls(path, lock)
            project._check_readable()
            current = schema_version()
            if header.schema_version < current:
                project._upgrade(header.schema_version, current)
        except BaseException as exc:
            if project is not None:
                project.engine.dispose()
            lock.release()
            if isinstance(exc, DBAPIError):
                raise projectfile.describe_db_error(path, exc) from None
            raise
        assert project is not None
        log.info("Opened project %s (schema %s)", path, header.schema_version)
        return project

    @staticmethod
    def _openable_header(path: Path) -> projectfile.Header:
        """The file's header, if this program can open it; else a ProjectFileError."""
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
        return header

    def _check_readable(self) -> None:
        with self.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
        if "engagement" not in names:
            self.engine.dispose()
            raise ProjectFileError(f"{self.path}: not a workbench project (no engagement table).")

    def _upgrade(self, old: int, new: int) -> None:
        """Migrate after a backup copy, in one transaction with the new version number.

        A failure or a crash anywhere in it leaves the file exactly at the old version (the
        next open simply tries again); the message names the backup copy already written.
        """
        backup = projectfile.migration_backup_path(self.path, old)
        projectfile.backup_database(self.path, backup)
        self.engine.dispose()  # no pooled connection of ours is open on the file meanwhile
        try:
            with projectfile.exclusive_transaction(self.path) as conn:
                _migrate(conn)
                projectfile.stamp_identity(conn, new)
        except Exception as exc:
            original = getattr(exc, "orig", None) or exc
            raise ProjectFileError(
                f"{self.path}: could not update the project from schema {old} to {new} "
                f"({original}). The file was left unchanged at schema {old}; a backup copy "
                f"was written to {backup}."
            ) from exc
        self.migrated_from, self.backup_path = old, backup

    # -- reading and writing -------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading; inside an open edit of this thread, that edit's own."""
        writer = getattr(self._local, "writer", None)
        if writer is not None:
            yield writer.conn
            return
        try:
            with self.engine.connect() as conn:
                yield conn
        except (DBAPIError, sqlite3.Error) as exc:
            self._raise_storage_error(exc)
            raise

    @contextlib.contextmanager
    def edit(self, label: str) -> Iterator[Writer]:
        """One undoable edit: all writes inside commit together or not at all.

        Edits opened inside another edit of the same thread join it, so several service calls
        become one transaction and one undo step named by the outermost label; an exception
        (including :class:`~workbench.core.tasks.Cancelled`) rolls all of them back. An edit
        that changed no row adds no undo step and notifies no listener.
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
            except (DBAPIError, sqlite3.Error) as exc:  # rolled back: the file is unchanged
                self._raise_storage_error(exc)
                raise
            finally:
                self._local.writer = None
            if not changeset.changes:
                return
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
            except BaseException as exc:
                self.history.pushed_back(changeset, undone=not undo)
                if isinstance(exc, DBAPIError | sqlite3.Error):
                    self._raise_storage_error(exc)
                raise
            self.history.pushed_back(changeset, undone=undo)
        self._notify(changeset)
        return changeset

    def _raise_storage_error(self, exc: DBAPIError | sqlite3.Error) -> None:
        """Raise a damaged, read-only or full project file as a :class:`ProjectFileError`
        message; return for other errors (bugs), which the caller re-raises unchanged."""
        mapped = project_storage_error(self.path, exc)
        if mapped is not None:
            raise mapped from exc

    def forget_history(self) -> None:
        """Drop the undo history and rewrite the file (``VACUUM``), after a one-way change.

        Neither undo nor free pages of the file can bring back what the last edits removed
        (the pages are rebuilt; ``secure_delete`` zeroes what is freed). Refused inside an
        open edit. Listeners are told everything may have changed.
        """
        if getattr(self._local, "writer", None) is not None:
            raise RuntimeError("forget_history() cannot run inside an open edit")
        with self._write_lock:
            self.history.clear()
            with self.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
        self._notify(None)

    # -- listeners -------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def _notify(self, changeset: ChangeSet | None) -> None:
        """Tell listeners what changed; ``None`` means the scope is unknown (refresh all)."""
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
                projectfile.backup_database(cast(sqlite3.Connection, raw.driver_connection),
                                            target)
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
        log.info("Closed project %s", self.path)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
