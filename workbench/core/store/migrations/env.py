"""Alembic environment: runs on the connection the project file passes in.

That connection is already inside the caller's transaction (for an upgrade, one real SQLite
transaction from ``projectfile.exclusive_transaction`` that also stamps the new version), so
``begin_transaction()`` below adds none of its own: a failure in any step rolls back every step.
"""

from alembic import context

from workbench.core.store.schema import Base

connection = context.config.attributes["connection"]
if not connection.in_transaction():
    raise RuntimeError("migrations must run inside the caller's transaction")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
