"""The project file: round trip, migration, refusals, lock, Save As."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest

from workbench.core.errors import ProjectFileError, ProjectLockedError
from workbench.core.model import Person, Tie
from workbench.core.project import Project, schema_version
from workbench.core.store.projectfile import APPLICATION_ID

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _pragma(path: Path, name: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_round_trip_keeps_everything(project, project_path):
    project.engagement.update(client="Acme", consultant="Jo", target_step=3)
    project.people.add_many([Person("p1", "Zoë Müller", department="Sales", customer_facing=True,
                                    attributes={"grade": "7"}),
                             Person("p2", "Bo", department="Ops", manager_id="p1")])
    project.networks.add("advice", [Tie("p1", "p2", 2.5)], type="advice")
    project.close()

    reopened = Project.open(project_path)
    try:
        assert reopened.engagement.get().client == "Acme"
        assert reopened.engagement.get().target_step == 3
        people = {p.id: p for p in reopened.people.list()}
        assert people["p1"].name == "Zoë Müller" and people["p1"].attributes == {"grade": "7"}
        assert people["p2"].manager_id == "p1" and people["p1"].customer_facing
        (network,) = reopened.networks.list()
        assert (network.name, network.tie_count) == ("advice", 1)
        assert reopened.networks.ties(network.id) == [Tie("p1", "p2", 2.5, "advice")]
    finally:
        reopened.close()


def test_file_carries_identity_and_storage_pragmas(project, project_path):
    assert _pragma(project_path, "application_id") == APPLICATION_ID
    assert _pragma(project_path, "user_version") == schema_version()
    with project.read() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"


def test_old_version_is_migrated_after_a_backup(tmp_path):
    old = tmp_path / "old.owb"
    shutil.copy(FIXTURES / "project_v1.owb", old)
    project = Project.open(old)
    try:
        assert project.migrated_from == 1
        assert project.backup_path is not None and project.backup_path.exists()
        assert _pragma(project.backup_path, "user_version") == 1
        assert [p.name for p in project.people.list()] == ["Ada", "Bo"]
        project.settings.set("mapping", {"id": "Emp No"})  # table added by schema 2
        assert project.settings.get("mapping") == {"id": "Emp No"}
    finally:
        project.close()
    assert _pragma(old, "user_version") == schema_version()


def test_newer_version_is_refused_untouched(project, project_path):
    project.close()
    conn = sqlite3.connect(project_path)
    conn.execute(f"PRAGMA user_version={schema_version() + 5}")
    conn.commit()
    conn.close()
    before = project_path.read_bytes()
    with pytest.raises(ProjectFileError, match="newer version"):
        Project.open(project_path)
    assert project_path.read_bytes() == before
    assert not Path(str(project_path) + ".lock").exists()


@pytest.mark.parametrize("content", [b"", b"\x00" * 10, bytes(range(256)) * 40,
                                     b"SQLite format 3\x00 but not really"])
def test_not_a_project_is_refused_untouched(tmp_path, content):
    path = tmp_path / "junk.owb"
    path.write_bytes(content)
    with pytest.raises(ProjectFileError, match="not a workbench project"):
        Project.open(path)
    assert path.read_bytes() == content


def test_other_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectFileError, match="another program"):
        Project.open(path)
    assert path.read_bytes() == before


def test_truncated_file_is_reported_as_damaged(project, project_path):
    project.people.add_many([Person(f"p{i}", "x" * 200) for i in range(300)])
    project.close()
    data = project_path.read_bytes()
    project_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectFileError, match="damaged"):
        Project.open(project_path)


def test_missing_file(tmp_path):
    with pytest.raises(ProjectFileError, match="not found"):
        Project.open(tmp_path / "nope.owb")


def test_second_open_is_refused_while_locked(project, project_path):
    with pytest.raises(ProjectLockedError, match="already open"):
        Project.open(project_path)
    project.close()
    Project.open(project_path).close()


def test_stale_lock_of_a_dead_process_is_taken_over(project, project_path):
    project.close()
    lock = Path(str(project_path) + ".lock")
    lock.write_text(json.dumps({"pid": 999_999_999, "host": socket.gethostname()}))
    Project.open(project_path).close()


def test_create_refuses_to_overwrite(project, project_path):
    project.close()
    with pytest.raises(ProjectFileError, match="already exists"):
        Project.create(project_path)


def test_save_as_while_open_gives_a_valid_copy(project, project_path, tmp_path):
    project.people.add_many([Person("p1", "Ada")])
    target = tmp_path / "copy.owb"
    project.save_as(target)
    assert project.path == target
    project.people.add_many([Person("p2", "Bo")])  # continues on the copy
    project.close()
    original = Project.open(project_path)
    copy = Project.open(target)
    try:
        assert [p.id for p in original.people.list()] == ["p1"]
        assert [p.id for p in copy.people.list()] == ["p1", "p2"]
    finally:
        original.close()
        copy.close()


def test_save_as_onto_itself_is_refused(project, project_path):
    with pytest.raises(ProjectFileError, match="open project"):
        project.save_as(project_path)


def test_schema_version_is_the_head_of_the_migrations():
    from alembic.script import ScriptDirectory

    from workbench.core.project import _alembic_config

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert schema_version() == int(head)


def test_a_new_project_has_the_schema_the_migrations_make(tmp_path):
    from workbench.core.store import snapshot

    assert snapshot.statements(schema_version()) is not None, (
        "the new-project snapshot is older than the newest migration: run "
        "python -m workbench.core.store.snapshot")
    made = {}
    for name, target in (("snapshot", "head"), ("migrated", f"{schema_version():04d}")):
        Project.create(tmp_path / f"{name}.owb", client="Acme", _schema_target=target).close()
        conn = sqlite3.connect(tmp_path / f"{name}.owb")
        try:
            made[name] = (_structure(conn),
                          [conn.execute(f"PRAGMA {p}").fetchone()[0]
                           for p in ("user_version", "application_id")],
                          conn.execute("SELECT client, target_step FROM engagement").fetchall(),
                          conn.execute("PRAGMA integrity_check").fetchall())
        finally:
            conn.close()
    assert made["snapshot"] == made["migrated"]
    assert made["snapshot"][1] == [schema_version(), APPLICATION_ID]
    assert made["snapshot"][3] == [("ok",)]


def _structure(conn: sqlite3.Connection) -> dict:
    """Each table's columns, foreign keys and indexes (the migrations' batch steps write the
    constraints of a table in no fixed order, so its CREATE text may differ between runs)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "ORDER BY name")]
    return {table: (
        conn.execute(f"PRAGMA table_info('{table}')").fetchall(),
        sorted(conn.execute(f"PRAGMA foreign_key_list('{table}')").fetchall()),
        sorted(("" if name.startswith("sqlite_autoindex") else name, unique, origin, partial,
                conn.execute(f"PRAGMA index_info('{name}')").fetchall())
               for _, name, unique, origin, partial in
               conn.execute(f"PRAGMA index_list('{table}')")),
        conn.execute(f"SELECT * FROM '{table}'").fetchall() if table == "alembic_version" else [],
    ) for table in tables}
