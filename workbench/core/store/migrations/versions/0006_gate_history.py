"""Schema 6: a step gate keeps the decisions it replaced.

``step_gate`` gains ``history``: the earlier decisions of the same plan and step, oldest first,
as a JSON list of ``{"decision", "decided_on", "decided_by", "value_created"}``. Gates of older
files start with an empty list (their earlier decisions were not kept). Like every upgrade this
runs in one transaction with the new version number, after a backup copy of the file.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("step_gate", sa.Column("history", sa.JSON, server_default="[]"))
