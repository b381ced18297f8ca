"""The project file under odd names, failed and killed upgrades, crashed commits and locks."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.operations import Operations

from workbench.core.errors import ProjectFileError, ProjectLockedError
from workbench.core.model import Person
from workbench.core.project import Project, schema_version
from workbench.core.store import projectfile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
posix_only = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _lock(path: Path) -> Path:
    return Path(str(path) + ".lock")


def _journal(path: Path) -> Path:
    return Path(str(path) + "-journal")


def _hot(path: Path) -> bool:
    """A rollback journal SQLite would replay: present and not starting with a zero byte."""
    try:
        return _journal(path).read_bytes()[:1] not in (b"", b"\x00")
    except FileNotFoundError:
        return False


def _schema(path: Path) -> tuple[int, set[str], str]:
    """user_version, table names and Alembic revision, read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()
    return version, tables, revision


def _v1_copy(folder: Path, name: str = "old.owb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copy(FIXTURES / "project_v1.owb", path)
    return path


# -- 1. odd characters in file names -----------------------------------------------------------

ODD_NAMES = ["Client A.owb", "Client%20A.owb", "100%.owb", "50%25 off.owb", "a#b.owb",
             "Zoë Müller – Ωmega.owb", "q?dir/p.owb", "what?x=1#frag.owb"]
if os.name == "nt":
    ODD_NAMES = [n for n in ODD_NAMES if "?" not in n]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_name_create_edit_reopen(tmp_path, name):
    work = tmp_path / "work"
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    project = Project.create(path, client="Odd")
    try:
        assert _files(work) == {name, name + ".lock"}
        project.engagement.update(client="Odd Edited")
        project.people.add_many([Person("p1", "Ada")])
        assert _files(work) == {name, name + ".lock"}
    finally:
        project.close()
    assert _files(work) == {name}
    with Project.open(path) as reopened:
        assert _files(work) == {name, name + ".lock"}
        assert reopened.engagement.get().client == "Odd Edited"
        assert [p.name for p in reopened.people.list()] == ["Ada"]
    assert _files(work) == {name}
    assert _schema(path)[0] == schema_version()


def test_percent_name_never_opens_the_decoded_name(tmp_path):
    decoy = tmp_path / "Client A.owb"
    Project.create(decoy, client="Decoy").close()
    decoy_bytes = decoy.read_bytes()
    real = tmp_path / "Client%20A.owb"
    with Project.create(real, client="Real") as project:
        assert _lock(real).exists() and not _lock(decoy).exists()
        project.people.add_many([Person("p1", "Ada")])
    with Project.open(real) as project:
        assert _lock(real).exists() and not _lock(decoy).exists()
        assert project.engagement.get().client == "Real"
        assert [p.id for p in project.people.list()] == ["p1"]
    assert decoy.read_bytes() == decoy_bytes
    with Project.open(decoy) as project:
        assert project.engagement.get().client == "Decoy"
        assert project.people.list() == []


@pytest.mark.parametrize("name", ODD_NAMES)
def test_save_as_and_backup_to_odd_names(tmp_path, name):
    work = tmp_path / "work"
    (work / name).parent.mkdir(parents=True, exist_ok=True)
    copy_name = name.replace(".owb", " copy.owb")
    source = tmp_path / "plain.owb"
    with Project.create(source, client="Source") as project:
        project.people.add_many([Person("p1", "Ada")])
        project.backup_to(work / copy_name)
        assert _files(work) == {copy_name}
        project.save_as(work / name)
        assert project.path == work / name
        assert _files(work) == {copy_name, name, name + ".lock"}
        assert not _lock(source).exists()
        project.people.add_many([Person("p2", "Bo")])  # lands in the new file
    assert _files(work) == {copy_name, name}
    with Project.open(work / copy_name) as copy:
        assert [p.id for p in copy.people.list()] == ["p1"]
    with Project.open(work / name) as saved:
        assert [p.id for p in saved.people.list()] == ["p1", "p2"]
    with Project.open(source) as original:
        assert [p.id for p in original.people.list()] == ["p1"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_upgrade_of_an_odd_name_backs_up_beside_it(tmp_path, name):
    work = tmp_path / "work"
    path = _v1_copy((work / name).parent, Path(name).name)
    with Project.open(path) as project:
        assert project.migrated_from == 1
        backup = project.backup_path.relative_to(work).as_posix()
        assert _files(work) == {name, backup, name + ".lock"}
        assert [p.name for p in project.people.list()] == ["Ada", "Bo"]
    assert _schema(path)[0] == schema_version()
    assert _schema(work / backup)[0] == 1


# -- 2. a schema upgrade is all or nothing -----------------------------------------------------

def _fail_in_the_middle(monkeypatch) -> None:
    """The second table the upgrade creates fails, after the first one was created."""
    real = Operations.create_table
    calls = []

    def create_table(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("injected failure in the middle of the upgrade")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Operations, "create_table", create_table)


def _fail_after_all_steps(monkeypatch) -> None:
    """Every migration step ran; then the upgrade fails before the version is stamped."""
    real = command.upgrade

    def upgrade(config, revision, **kwargs):
        real(config, revision, **kwargs)
        raise RuntimeError("injected failure after the last step")

    monkeypatch.setattr(command, "upgrade", upgrade)


@pytest.mark.parametrize("inject", [_fail_in_the_middle, _fail_after_all_steps])
def test_failed_upgrade_leaves_the_old_version_openable(tmp_path, monkeypatch, inject):
    path = _v1_copy(tmp_path)
    before = _schema(path)
    assert before[0] == 1 and before[2] == "0001"
    inject(monkeypatch)
    with pytest.raises(ProjectFileError, match="could not update") as failure:
        Project.open(path)
    (backup,) = tmp_path.glob("old.v1-backup-*.owb")
    assert str(backup) in str(failure.value)
    assert _schema(path) == before  # same version, same tables, same Alembic revision
    assert _schema(backup) == before
    assert _files(tmp_path) == {"old.owb", backup.name}  # no lock, no journal left
    monkeypatch.undo()
    with Project.open(path) as project:
        assert project.migrated_from == 1
        assert [p.name for p in project.people.list()] == ["Ada", "Bo"]
        project.settings.set("mapping", {"id": "Emp No"})  # a table added by schema 2
        assert project.settings.get("mapping") == {"id": "Emp No"}
    assert _schema(path)[0] == schema_version()


FORKER = textwrap.dedent("""
    import json, os, sys, traceback
    from sqlalchemy import Engine, event  # the imports of every child, paid for once
    from workbench.core.project import Project

    while line := sys.stdin.readline():
        script, args = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: a process of its own, as killable as a fresh one
            code = 0
            try:
                sys.argv = ["-c", *args]
                print("pid", os.getpid(), flush=True)
                exec(script, {"__name__": "__main__"})
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            os._exit(code)
        print("exit", os.waitpid(pid, 0)[1], flush=True)
""")


class Forker:
    """A Python process that has imported the workbench and forks one child per script.

    A child is a process of its own, SIGKILLed like any other, but it starts in milliseconds
    instead of the second a fresh interpreter spends importing SQLAlchemy and Alembic. The
    child shares the forker's stdin and stdout: its lines come first, then ``exit <status>``.
    """

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", FORKER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.status: int | None = None

    def start(self, script: str, *args: object) -> int:
        self.tell(json.dumps([script, [str(a) for a in args]]))
        kind, pid = self.proc.stdout.readline().split()
        assert kind == "pid", kind
        return int(pid)

    def tell(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def lines(self):
        """The child's lines until it has ended (killed or not); then ``status`` is its wait
        status (0: it ran to its end)."""
        while not (line := self.proc.stdout.readline()).startswith("exit"):
            assert line, "the forker died"
            yield line
        self.status = int(line.split()[1])

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.stdout.close()
        self.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def forker():
    forker = Forker()
    yield forker
    forker.close()


UPGRADE_STEP_BY_STEP = textwrap.dedent("""
    import sys
    from sqlalchemy import Engine, event

    @event.listens_for(Engine, "before_cursor_execute")
    def pause(*_args):
        print("sql", flush=True)
        sys.stdin.readline()  # the parent kills us here, or lets the statement run

    from workbench.core.project import Project
    with Project.open(sys.argv[1]) as project:
        print("done", project.migrated_from, flush=True)
""")


def _upgrade_in_child(forker: Forker, path: Path, kill_after: int | None = None) -> int:
    """Open (and so upgrade) ``path`` in a child, SIGKILLed just before its SQL statement
    number ``kill_after`` runs; returns how many statements the child reached."""
    pid = forker.start(UPGRADE_STEP_BY_STEP, path)
    statements, done = 0, False
    for line in forker.lines():
        if line.startswith("sql"):
            statements += 1
            if statements == kill_after:
                os.kill(pid, signal.SIGKILL)
            else:
                forker.tell("go")
        elif line.startswith("done"):
            done = line.split() == ["done", "1"]
    if kill_after is None:
        assert forker.status == 0 and done, "the upgrade did not run to its end"
    return statements


@posix_only
@pytest.mark.slow
def test_upgrade_killed_at_any_moment_leaves_a_file_that_opens(tmp_path, forker):
    total = _upgrade_in_child(forker, _v1_copy(tmp_path / "whole"))
    assert total > 10
    moments = sorted({1, 2, total - 1} | {total * k // 8 for k in range(1, 8)})
    for n, kill_after in enumerate(moments):
        path = _v1_copy(tmp_path / f"kill{n}")
        assert _upgrade_in_child(forker, path, kill_after) == kill_after
        with Project.open(path) as project:
            assert [p.name for p in project.people.list()] == ["Ada", "Bo"], kill_after
            project.settings.set("mapping", {"id": "Emp No"})
        assert _schema(path)[0] == schema_version(), kill_after


# -- 3. a commit cut short by a crash ----------------------------------------------------------

GROW = textwrap.dedent("""
    import json, sys
    from workbench.core.project import Project
    project = Project.open(sys.argv[1])
    rows = [(f"big{i}", json.dumps("x" * 20000)) for i in range(1200)]
    print("ready", flush=True)
    with project.engine.begin() as conn:
        # a page cache big enough for the whole insert makes the commit write every new page:
        # the header with the new page count first, then the pages it counts
        conn.exec_driver_sql("PRAGMA cache_size=-400000")
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES (?, ?)", rows)
    print("committed", flush=True)
""")
BIG_ROWS = 1200


def _grow_in_child(forker: Forker, path: Path, kill_at: float | None = None) -> float:
    """Run the big insert in a child; SIGKILL it ``kill_at`` seconds after it starts."""
    pid = forker.start(GROW, path)
    lines = forker.lines()
    assert next(lines).strip() == "ready"
    start = time.monotonic()
    if kill_at is None:
        assert next(lines).strip() == "committed"
        taken = time.monotonic() - start
    else:
        time.sleep(kill_at)
        with contextlib.suppress(ProcessLookupError):  # late kills may find it ended: fine
            os.kill(pid, signal.SIGKILL)
        taken = kill_at
    for _rest in lines:  # until the child has ended
        pass
    assert kill_at is not None or forker.status == 0
    return taken


def _half_written(path: Path) -> bool:
    """A hot journal and a header counting more pages than the file holds."""
    if not _hot(path):
        return False
    try:
        projectfile.read_header(path)
    except ProjectFileError as exc:
        return "truncated" in str(exc)
    return False


@posix_only
@pytest.mark.slow
def test_commit_killed_while_growing_the_file_is_rolled_back_on_open(tmp_path, forker):
    base = tmp_path / "base.owb"
    with Project.create(base, client="Before the crash") as project:
        project.people.add_many([Person("p1", "Ada"), Person("p2", "Bo")])
        project.settings.set("mapping", {"id": "Emp No"})
    path = tmp_path / "crash.owb"
    shutil.copy(base, path)
    duration = _grow_in_child(forker, path)
    half_written = 0
    for sweep in range(6):  # kills spread over the insert and its commit, finer each sweep
        for step in range(1, 11):
            path.unlink()
            shutil.copy(base, path)
            _grow_in_child(forker, path, duration * (step + sweep / 3) / 8)
            half_written += _half_written(path)
            with Project.open(path) as project:
                assert project.engagement.get().client == "Before the crash"
                assert [p.name for p in project.people.list()] == ["Ada", "Bo"]
                assert project.settings.get("mapping") == {"id": "Emp No"}
                with project.read() as conn:
                    big = conn.exec_driver_sql(
                        "SELECT count(*) FROM setting WHERE key LIKE 'big%'").scalar()
                assert big in (0, BIG_ROWS)
            assert not _hot(path)
        if half_written:
            break
    assert half_written, "no kill landed inside a commit; the test proved nothing"


def test_hot_journal_beside_a_foreign_database_is_not_touched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    journal = _journal(path)
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(600))
    before = path.read_bytes(), journal.read_bytes()
    assert not projectfile.has_hot_journal(path)
    with pytest.raises(ProjectFileError, match="another program"):
        Project.open(path)
    assert (path.read_bytes(), journal.read_bytes()) == before
    assert not _lock(path).exists()


@pytest.mark.parametrize("content", [b"", b"\x00" * 10, bytes(range(256)) * 40])
def test_hot_journal_beside_junk_is_not_touched(tmp_path, content):
    path = tmp_path / "junk.owb"
    path.write_bytes(content)
    _journal(path).write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(600))
    with pytest.raises(ProjectFileError, match="not a workbench project"):
        Project.open(path)
    assert path.read_bytes() == content
    assert _journal(path).exists()


# -- 4. locks ------------------------------------------------------------------------------

def _write_lock(path: Path, content: bytes | str, age: float = 0.0) -> Path:
    lock = _lock(path)
    lock.write_bytes(content.encode() if isinstance(content, str) else content)
    if age:
        then = time.time() - age
        os.utime(lock, (then, then))
    return lock


def _assert_lock_is_ours(path: Path) -> None:
    owner = json.loads(_lock(path).read_text(encoding="utf-8"))
    assert owner["host"] == socket.gethostname() and owner["pid"] == os.getpid()
    assert set(owner) >= {"user", "since"}


def test_lock_names_host_user_process_and_time(project, project_path):
    _assert_lock_is_ours(project_path)
    assert not [p for p in project_path.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("content", [b"", b"\x00\xff{not json", b'{"pid": 12', b"[1, 2]"],
                         ids=["empty", "garbage", "cut-short", "not-a-dict"])
def test_empty_or_unreadable_lock_is_stale(project, project_path, content):
    project.close()
    _write_lock(project_path, content, age=60)  # left by a full disk, say
    with Project.open(project_path) as reopened:
        _assert_lock_is_ours(project_path)
        assert reopened.engagement.get().client == "Test Client"
    assert not _lock(project_path).exists()


def test_empty_lock_being_written_right_now_is_left_alone(project, project_path):
    project.close()
    _write_lock(project_path, b"")
    with pytest.raises(ProjectLockedError) as info:
        Project.open(project_path)
    assert not info.value.overridable
    assert _lock(project_path).read_bytes() == b""


def test_lock_of_another_computer_is_never_taken_over_silently(project, project_path):
    project.close()
    holder = {"host": "laptop-of-kim.example", "user": "kim", "pid": 999_999_999,
              "since": "2025-03-04T09:15:00"}
    lock = _write_lock(project_path, json.dumps(holder), age=7 * 24 * 3600)
    before = lock.read_bytes()
    with pytest.raises(ProjectLockedError) as info:
        Project.open(project_path)
    error = info.value
    assert (error.host, error.user, error.pid, error.since) == (
        "laptop-of-kim.example", "kim", 999_999_999, "2025-03-04T09:15:00")
    assert error.overridable and error.path == str(project_path)
    assert "laptop-of-kim.example" in str(error) and "kim" in str(error)
    assert "2025-03-04 09:15" in str(error)
    assert lock.read_bytes() == before
    with Project.open(project_path, take_over=True) as reopened:
        _assert_lock_is_ours(project_path)
        assert reopened.engagement.get().client == "Test Client"
    assert not lock.exists()


def test_lock_of_a_live_process_here_is_respected_unless_taken_over(project, project_path):
    project.close()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        holder = {"host": socket.gethostname(), "user": "me", "pid": sleeper.pid,
                  "since": "2025-03-04T09:15:00"}
        _write_lock(project_path, json.dumps(holder), age=3600)
        with pytest.raises(ProjectLockedError, match=f"process {sleeper.pid}") as info:
            Project.open(project_path)
        assert info.value.pid == sleeper.pid and info.value.overridable
        with Project.open(project_path, take_over=True):
            _assert_lock_is_ours(project_path)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_same_process_lock_is_not_offered_for_take_over(project, project_path):
    with pytest.raises(ProjectLockedError, match="already open") as info:
        Project.open(project_path)
    assert not info.value.overridable


def test_closing_leaves_a_lock_someone_else_took_over(project, project_path):
    theirs = json.dumps({"host": "laptop-of-kim.example", "user": "kim", "pid": 7,
                         "since": "2025-03-04T09:15:00"})
    _lock(project_path).write_text(theirs)  # taken over from another computer meanwhile
    project.close()
    assert _lock(project_path).read_text() == theirs


RACE = textwrap.dedent("""
    import sys, time
    from workbench.core.errors import ProjectLockedError
    from workbench.core.store.projectfile import ProjectLock
    lock = ProjectLock(sys.argv[1])
    print("ready", flush=True)
    start = float(sys.stdin.readline())  # the same moment for all, once all are ready
    while time.time() < start:
        pass
    try:
        lock.acquire()
    except ProjectLockedError:
        print("lost", flush=True)
    else:
        print("won", flush=True)
        sys.stdin.readline()  # hold it until every racer has tried
        lock.release()
""")


@posix_only
@pytest.mark.slow
@pytest.mark.parametrize("left_behind", [None, "dead process", "empty"])
def test_processes_racing_for_a_lock_only_one_wins(tmp_path, left_behind):
    path = tmp_path / "contested.owb"
    if left_behind == "dead process":
        _write_lock(path, json.dumps({"host": socket.gethostname(), "pid": 999_999_999}))
    elif left_behind == "empty":
        _write_lock(path, b"", age=60)
    racers = [subprocess.Popen([sys.executable, "-c", RACE, str(path)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True) for _ in range(4)]
    assert [proc.stdout.readline() for proc in racers] == ["ready\n"] * 4  # imports done
    start = time.time() + 0.2
    for proc in racers:
        proc.stdin.write(f"{start}\n")
        proc.stdin.flush()
    results = sorted(proc.stdout.readline().strip() for proc in racers)  # the winner holds on
    for proc in racers:
        assert proc.communicate(timeout=60) == ("", None)  # stdin closed: the winner lets go
    assert results == ["lost", "lost", "lost", "won"], left_behind
    assert _files(tmp_path) == set()  # no lock, temporary or stale file left
