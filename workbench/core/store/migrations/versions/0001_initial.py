"""Schema 1: engagement, people, networks and ties, templates, rounds, answers, plans, notes."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def upgrade() -> None:
    op.create_table(
        "engagement", _id(),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("client", sa.Text), sa.Column("consultant", sa.Text),
        sa.Column("start_date", sa.Date), sa.Column("end_date", sa.Date),
        sa.Column("target_step", sa.Integer), sa.Column("min_group_size", sa.Integer),
        sa.Column("description", sa.Text), sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "person", _id(),
        sa.Column("person_id", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.Text), sa.Column("email", sa.Text),
        sa.Column("department", sa.Text), sa.Column("role", sa.Text),
        sa.Column("manager_id", sa.String(200)), sa.Column("location", sa.Text),
        sa.Column("customer_facing", sa.Boolean), sa.Column("segment", sa.Text),
        sa.Column("attributes", sa.JSON),
    )
    op.create_table(
        "network", _id(),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("type", sa.String(100)), sa.Column("date", sa.Date),
        sa.Column("directed", sa.Boolean), sa.Column("source_file", sa.Text),
    )
    op.create_table(
        "tie", _id(),
        sa.Column("network_id", sa.Integer, sa.ForeignKey("network.id"), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("weight", sa.Float),
    )
    op.create_index("ix_tie_network", "tie", ["network_id"])
    op.create_table(
        "template", _id(),
        sa.Column("template_key", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text), sa.Column("source", sa.Text, nullable=False),
        sa.UniqueConstraint("template_key", "version"),
    )
    op.create_table(
        "assessment_round", _id(),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("template.id"), nullable=False),
        sa.Column("name", sa.Text, nullable=False), sa.Column("date", sa.Date),
        sa.Column("status", sa.String(40)),
    )
    op.create_table(
        "respondent", _id(),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("assessment_round.id"), nullable=False),
        sa.Column("code", sa.String(200), nullable=False), sa.Column("name", sa.Text),
        sa.Column("role", sa.Text), sa.Column("department", sa.Text),
        sa.Column("anonymous", sa.Boolean),
        sa.UniqueConstraint("round_id", "code"),
    )
    op.create_table(
        "answer", _id(),
        sa.Column("respondent_id", sa.Integer, sa.ForeignKey("respondent.id"), nullable=False),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("value", sa.JSON),
        sa.UniqueConstraint("respondent_id", "question_id"),
    )
    op.create_table(
        "plan", _id(),
        sa.Column("name", sa.Text, nullable=False), sa.Column("target_step", sa.Integer),
        sa.Column("start_date", sa.Date),
    )
    op.create_table(
        "plan_action", _id(),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("uid", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False), sa.Column("step", sa.Integer),
        sa.Column("foundation", sa.String(100)), sa.Column("owner", sa.Text),
        sa.Column("start", sa.Date), sa.Column("due", sa.Date),
        sa.Column("status", sa.String(40)), sa.Column("measure", sa.Text),
        sa.Column("evidence", sa.Text), sa.Column("depends_on", sa.Text),
        sa.Column("notes", sa.Text), sa.Column("source", sa.String(100)),
        sa.Column("position", sa.Integer),
    )
    op.create_table(
        "note", _id(),
        sa.Column("topic", sa.String(200)), sa.Column("text", sa.Text),
        sa.Column("created", sa.DateTime, nullable=False),
    )
