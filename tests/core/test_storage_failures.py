"""A damaged, read-only or full project file and a full disk: messages, exit 1, nothing half-done.

The failures are real: pages of a real project overwritten with garbage, a real read-only
SQLite connection, SQLite's own "database or disk is full" (``PRAGMA max_page_count``), and an
``OSError(ENOSPC)`` raised by the write call of the output file once a few bytes are written.
"""

from __future__ import annotations

import builtins
import errno
import gc
import io
import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx.utils.decorators as nx_decorators
import pytest

from workbench.cli import main
from workbench.core.errors import ProjectFileError, WorkbenchError
from workbench.core.failures import check_integrity, project_storage_error, storage_error
from workbench.core.project import Project
from workbench.core.store import projectfile

PEOPLE = "id,name,department\n" + "".join(f"e{i},Person {i},Dept {i % 4}\n" for i in range(1, 31))
TIES = "source,target,weight,type\n" + "".join(
    f"e{i},e{i % 30 + 1},{1 + i % 3},advice\n" for i in range(1, 31))
MORE_PEOPLE = "id,name\n" + "".join(f"n{i},New person {i} {'x' * 80}\n" for i in range(600))


@pytest.fixture
def small_project(tmp_path) -> Path:
    """A project with 30 people and one advice network, made through the CLI."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "people.csv").write_text(PEOPLE)
    (folder / "ties.csv").write_text(TIES)
    path = folder / "client.owb"
    assert main(["import", str(path), "--people", str(folder / "people.csv"),
                 "--ties", str(folder / "ties.csv")]) == 0
    return path


def damage(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with garbage, as a bad sector or a bad copy would."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- damaged pages

@pytest.mark.parametrize("command", [
    ["analyse", "--out", "{out}/m.csv"],
    ["report", "--out", "{out}/plan.xlsx"],
    ["export", "--network", "advice", "--graphml", "{out}/n.graphml"],
    ["import", "--people", "{project}/people.csv"],
])
def test_damaged_pages_give_a_message_for_every_command(small_project, tmp_path, capsys,
                                                        command):
    damage(small_project, "person")
    before = small_project.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(out=out, project=small_project.parent) for a in command]
    code, _out, err = run(capsys, args[0], str(small_project), *args[1:])
    assert code == 1
    assert f"{small_project}: the project file is damaged (database disk image is malformed)" \
        in err
    assert small_project.read_bytes() == before and files_in(out) == []


def test_import_does_not_write_into_a_file_damaged_where_it_does_not_read(
        small_project, capsys):
    damage(small_project, "workshop_timing")  # an import never reads it, so would not notice
    before = small_project.read_bytes()
    code, _out, err = run(capsys, "import", str(small_project), "--people",
                          str(small_project.parent / "people.csv"), "--accept-valid")
    assert code == 1 and "the project file is damaged (" in err and "nothing was imported" in err
    assert small_project.read_bytes() == before


def test_reading_a_damaged_project_raises_a_project_file_error(small_project):
    damage(small_project, "tie")
    with Project.open(small_project) as project:
        assert project.people.count() == 30  # undamaged tables still read
        [network] = project.networks.list()
        with pytest.raises(ProjectFileError, match="the project file is damaged"):
            project.networks.ties(network.id)
        with pytest.raises(ProjectFileError, match="the project file is damaged"):
            check_integrity(project)


# --------------------------------------------------------------------------- read-only file

def _read_only(path: str | os.PathLike[str]) -> sqlite3.Connection:
    uri = f"file:{os.path.abspath(os.fspath(path))}?mode=ro"
    return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10)


def test_read_only_error_is_put_into_words(small_project):
    conn = _read_only(small_project)
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("DELETE FROM person")
    conn.close()
    assert "readonly" in str(caught.value)
    mapped = project_storage_error(small_project, caught.value)
    assert isinstance(mapped, ProjectFileError)
    assert str(mapped).startswith(f"{small_project}: the project file is read-only")
    assert storage_error(caught.value) is not None
    assert project_storage_error(small_project, sqlite3.IntegrityError("UNIQUE failed")) is None


def test_import_into_a_read_only_project_is_refused_and_analyse_still_works(
        small_project, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(projectfile, "connect_file", _read_only)  # as chmod 444 would, for root
    before = small_project.read_bytes()
    (tmp_path / "more.csv").write_text(MORE_PEOPLE)
    code, _out, err = run(capsys, "import", str(small_project), "--people",
                          str(tmp_path / "more.csv"), "--accept-valid")
    assert code == 1 and f"{small_project}: the project file is read-only" in err
    code, out, _err = run(capsys, "analyse", str(small_project), "--out", str(tmp_path / "m.csv"))
    assert code == 0 and "30 people" in out  # the analysis cache is simply not kept
    assert small_project.read_bytes() == before


# --------------------------------------------------------------------------- full disk

def _fill_up_at(monkeypatch, size: int | None = None) -> None:
    """Let the project file grow no more: SQLite's own SQLITE_FULL, as on a full disk."""
    limit = f"PRAGMA max_page_count={size or 1}"  # SQLite keeps at least the current size
    monkeypatch.setattr(projectfile, "PRAGMAS", (*projectfile.PRAGMAS, limit))


def test_import_on_a_full_disk_leaves_the_project_as_it_was(small_project, tmp_path, capsys,
                                                            monkeypatch):
    (tmp_path / "more.csv").write_text(MORE_PEOPLE)
    _fill_up_at(monkeypatch)
    code, _out, err = run(capsys, "import", str(small_project), "--people",
                          str(tmp_path / "more.csv"), "--accept-valid")
    assert code == 1 and f"{small_project}: the disk is full, so the change was not saved" in err
    monkeypatch.undo()
    with Project.open(small_project) as project:
        assert project.people.count() == 30
        check_integrity(project)


def test_demo_on_a_full_disk_leaves_no_file(tmp_path, capsys, monkeypatch):
    _fill_up_at(monkeypatch, 60)  # room for the empty project, not for the demo people
    out = tmp_path / "demo"
    out.mkdir()
    code, _out, err = run(capsys, "demo", str(out / "demo.owb"))
    assert code == 1 and "the disk is full" in err
    assert files_in(out) == []


class _FullDisk:
    """A file that takes ``room`` bytes, then fails the way a write on a full disk does."""

    def __init__(self, handle: Any, name: str, room: int) -> None:
        self._handle, self._name, self._room = handle, name, room

    def write(self, data: Any) -> int:
        if len(data) > self._room:
            self._handle.write(data[:self._room])  # a partly written file is left behind
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self._name)
        self._room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def disk_full_in(monkeypatch, folder: Path, room: int = 200) -> None:
    """Every file opened for writing in ``folder`` runs out of space after ``room`` bytes."""
    real_open = builtins.open

    def opener(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        if (isinstance(file, str | os.PathLike) and set(mode) & set("wax")
                and Path(file).resolve().parent == folder.resolve()):
            return _FullDisk(handle, os.fspath(file), room)
        return handle

    monkeypatch.setattr(builtins, "open", opener)
    monkeypatch.setattr(io, "open", opener)
    # networkx keeps the opener it first used per file suffix; give it this one meanwhile
    monkeypatch.setattr(nx_decorators, "_dispatch_dict", defaultdict(lambda: opener))


# XlsxWriter leaves its zip file open when a write fails; the garbage collector closes it later
# and its last write fails again, which Python can only report as an "exception ignored".
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("command,name", [
    (["analyse", "--out"], "metrics.csv"),
    (["report", "--out"], "plan.xlsx"),
    (["export", "--network", "advice", "--graphml"], "network.graphml"),
    (["export", "--network", "advice", "--gexf"], "network.gexf"),
])
def test_output_on_a_full_disk_is_a_message_and_leaves_no_half_file(
        small_project, tmp_path, capsys, monkeypatch, command, name):
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_text("the previous version")
    disk_full_in(monkeypatch, out)
    code, _out, err = run(capsys, command[0], str(small_project), *command[1:], str(out / name))
    assert code == 1
    assert f"{name}: the disk is full (No space left on device); nothing was written" in err
    assert files_in(out) == [name] and (out / name).read_text() == "the previous version"
    gc.collect()  # while the full disk is still simulated (see the mark above)


def test_a_full_disk_on_rename_is_a_message(small_project, tmp_path, capsys, monkeypatch):
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst).name == "m.csv":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, _out, err = run(capsys, "analyse", str(small_project), "--out", str(tmp_path / "m.csv"))
    assert code == 1 and "m.csv: the disk is full" in err
    assert not list(tmp_path.glob("*m.csv*"))


def test_wrapped_os_errors_are_found():
    from xlsxwriter.exceptions import FileCreateError

    full = OSError(errno.ENOSPC, "No space left on device")
    assert "disk is full" in str(storage_error(FileCreateError(full), "x.xlsx"))
    try:
        try:
            raise full
        except OSError as exc:
            raise RuntimeError("writer failed") from exc
    except RuntimeError as wrapped:
        assert isinstance(storage_error(wrapped), WorkbenchError)
    assert storage_error(ValueError("a bug")) is None
