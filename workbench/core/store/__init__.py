"""The project file: SQLite through SQLAlchemy 2, schema versions, migrations, undo history."""
