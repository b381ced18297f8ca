"""Schema 3: workshop sessions, agenda items, votes, predictions, consensus, notes, timings."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("assessment_round.id"), nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("anonymous", sa.Boolean, server_default=sa.true()),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "workshop_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("workshop_session.id"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("ref", sa.String(200), server_default=""),
        sa.Column("section", sa.Text, server_default=""),
        sa.Column("title", sa.Text, server_default=""),
        sa.Column("minutes", sa.Float, server_default="3"),
    )
    op.create_index("ix_workshop_item_session", "workshop_item", ["session_id"])
    for name in ("workshop_vote", "workshop_prediction"):
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("item_id", sa.Integer, sa.ForeignKey("workshop_item.id"), nullable=False),
            sa.Column("participant", sa.String(200), nullable=False),
            sa.Column("value", sa.JSON),
            sa.Column("cast", sa.DateTime, nullable=False),
        )
        op.create_index(f"ix_{name}_item", name, ["item_id"])
    op.create_table(
        "workshop_consensus",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("workshop_item.id"), nullable=False,
                  unique=True),
        sa.Column("value", sa.JSON),
        sa.Column("note", sa.Text, server_default=""),
        sa.Column("recorded", sa.DateTime, nullable=False),
    )
    op.create_table(
        "workshop_note",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("workshop_session.id"),
                  nullable=False),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("workshop_item.id"), nullable=True),
        sa.Column("text", sa.Text, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "workshop_timing",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("workshop_item.id"), nullable=False),
        sa.Column("started", sa.DateTime, nullable=False),
        sa.Column("seconds", sa.Float, server_default="0"),
    )
