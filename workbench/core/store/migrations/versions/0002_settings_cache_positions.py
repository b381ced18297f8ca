"""Schema 2: project settings, cached analysis results, respondents' resume position."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("value", sa.JSON),
    )
    op.create_table(
        "analysis_cache",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("network_id", sa.Integer, nullable=False),  # no FK: derived data, may outlive an undo
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("network_id", "key"),
    )
    with op.batch_alter_table("respondent") as batch:
        batch.add_column(sa.Column("position", sa.String(200), server_default=""))
