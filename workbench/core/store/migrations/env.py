"""Alembic environment: runs on the connection the project file passes in."""

from alembic import context

from workbench.core.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
