"""Schema 7: the customer-learning lab.

New tables ``insight`` (the insight-to-action log), ``experiment`` (relationship experiments;
``connects`` and ``changes`` as JSON lists), ``customer_measure`` (customer evidence per segment)
and ``journey_stage`` (journey canvases, ordered by ``position`` within a segment). Older files
start with all four empty. Like every upgrade this runs in one transaction with the new version
number, after a backup copy of the file.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(20), nullable=False, unique=True),
        sa.Column("source", sa.String(40), server_default=""),
        sa.Column("segment", sa.Text, server_default=""),
        sa.Column("summary", sa.Text, server_default=""),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("received_by", sa.Text, server_default=""),
        sa.Column("can_act", sa.Text, server_default=""),
        sa.Column("action_taken", sa.Text, server_default=""),
        sa.Column("acted_on", sa.Date, nullable=True),
        sa.Column("result", sa.Text, server_default=""),
        sa.Column("loop_closed", sa.Boolean, nullable=True),
        sa.Column("via_gatekeeper", sa.Boolean, nullable=True),
    )
    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(20), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("stage", sa.String(20), server_default="search"),
        sa.Column("connects", sa.JSON, server_default="[]"),
        sa.Column("value_kind", sa.String(40), server_default=""),
        sa.Column("early_adopters", sa.Text, server_default=""),
        sa.Column("pilot_measures", sa.Text, server_default=""),
        sa.Column("business_case", sa.Text, server_default=""),
        sa.Column("decision", sa.String(40), server_default=""),
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("changes", sa.JSON, server_default="[]"),
        sa.Column("action_id", sa.String(40), server_default=""),
        sa.Column("owner", sa.Text, server_default=""),
    )
    op.create_table(
        "customer_measure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("segment", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.Text, server_default=""),
        sa.Column("period", sa.Text, server_default=""),
        sa.Column("source", sa.Text, server_default=""),
        sa.Column("target", sa.Float, nullable=True),
    )
    op.create_table(
        "journey_stage",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("segment", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        *(sa.Column(name, sa.Text, server_default="") for name in (
            "need", "feeling", "interaction", "channel", "enablers", "quality_measure",
            "productivity_measure", "owner", "handoff_from", "handoff_to", "handoff_break")),
    )
    op.create_index("ix_journey_stage_segment", "journey_stage", ["segment"])
