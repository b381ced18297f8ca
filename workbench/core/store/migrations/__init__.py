"""Alembic migrations of the project file; revision ids are the schema version numbers."""
