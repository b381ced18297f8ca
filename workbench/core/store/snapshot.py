"""The schema of a new project as one SQL script: what the migrations make, run in one go.

Creating a project from it needs neither alembic nor the migrations one by one (about 0.2 s
of every ``workbench import`` into a new file). A test checks that a project made from it
and one made by the migrations hold the same schema; after adding a migration, write it again:

    python -m workbench.core.store.snapshot
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("new_project.sql")
HEADER = "-- schema {version}: written by python -m workbench.core.store.snapshot; do not edit\n"


def statements(version: int) -> list[str] | None:
    """The statements making an empty project of schema ``version``; None when the snapshot
    is missing or of another version (the caller then runs the migrations)."""
    try:
        script = SNAPSHOT.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    if not script.startswith(HEADER.format(version=version)):
        return None
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        if not pending and line.startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip().removesuffix(";"))
            pending = ""
    return found


def schema_of(conn: sqlite3.Connection) -> list[str]:
    """A database's schema as statements in creation order (without the spaces SQLAlchemy
    leaves at line ends), and its alembic version row."""
    made = ["\n".join(line.rstrip() for line in row[0].splitlines()) for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY rowid")]
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    return [*made, f"INSERT INTO alembic_version (version_num) VALUES ('{version}')"]


def write() -> Path:
    """Write the snapshot from a project made by the migrations."""
    from workbench.core.project import Project, schema_version

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "migrated.owb"
        Project.create(path, _schema_target=f"{schema_version():04d}").close()
        conn = sqlite3.connect(path)
        try:
            made = schema_of(conn)
        finally:
            conn.close()
    SNAPSHOT.write_text(HEADER.format(version=schema_version())
                        + "".join(f"{statement};\n\n" for statement in made), encoding="utf-8")
    return SNAPSHOT


if __name__ == "__main__":
    print(f"wrote {write()}")
