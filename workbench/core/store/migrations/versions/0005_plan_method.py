"""Schema 5: plan actions know their library action, item, kind and owner role; step gates.

``plan_action`` gains ``library_id``, ``kind``, ``owner_role``, ``unit``, ``baseline``,
``target``, ``data_source`` and ``flag``, and ``source`` now names the assessed item the action
serves (``template_id:question_id``) instead of the library action. Rows of older files are
carried over:

* ``library_id`` = the old ``source`` unless that was ``custom`` (written by the user) or
  ``demo`` (the demo's own actions);
* ``source`` = ``maturity_ladder:s{step}_{foundation}`` for a ladder micro-foundation with a
  step, ``org_design:{key}_current`` for a design-question key, "" otherwise and for custom
  actions;
* the old ``foundation`` column, now carried by ``source``, is removed (the table is copied
  without it). ``owner_role``, ``kind`` and the rest start empty.

New table ``step_gate``: the gate decision at the end of each step's window, one per plan and
step. Like every upgrade this runs in one transaction with the new version number, after a
backup copy of the file.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Fixed here on purpose: a migration must not change when the app's lists do.
FOUNDATIONS = ("communication_systems", "information_sharing", "collaborative_work_processes",
               "roles_responsibilities", "performance_measures", "working_climate",
               "other_assets_resources")
DESIGN_QUESTIONS = ("customers_offer", "journey_needs", "designed_experience", "skills_systems",
                    "quality_productivity_measures", "continuous_improvement",
                    "data_driven_decisions", "incentives", "collaboration_mechanisms",
                    "values_behaviours", "leaders")
NOT_LIBRARY = ("custom", "demo")

TEXT_COLUMNS = (("library_id", sa.String(100)), ("kind", sa.String(20)),
                ("owner_role", sa.Text), ("unit", sa.Text), ("data_source", sa.Text),
                ("flag", sa.Text))


def upgrade() -> None:
    for name, type_ in TEXT_COLUMNS:
        op.add_column("plan_action", sa.Column(name, type_, server_default=""))
    for name in ("baseline", "target"):
        op.add_column("plan_action", sa.Column(name, sa.Float, nullable=True))

    action = sa.table("plan_action", sa.column("id"), sa.column("step"), sa.column("foundation"),
                      sa.column("source"), sa.column("library_id"))
    old_source = sa.func.coalesce(action.c.source, "")
    foundation = sa.func.coalesce(action.c.foundation, "")
    op.execute(action.update().values(
        library_id=sa.case((old_source.in_(("", *NOT_LIBRARY)), ""), else_=old_source)))
    ladder = sa.and_(foundation.in_(FOUNDATIONS), action.c.step.between(1, 5))
    op.execute(action.update().values(source=sa.case(
        (old_source == "custom", ""),
        (ladder, "maturity_ladder:s" + sa.cast(action.c.step, sa.String) + "_" + foundation),
        (foundation.in_(DESIGN_QUESTIONS), "org_design:" + foundation + "_current"),
        else_="",
    )))
    with op.batch_alter_table("plan_action", recreate="always") as batch:
        batch.drop_column("foundation")

    op.create_table(
        "step_gate",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("value_created", sa.Text, server_default=""),
        sa.Column("decided_by", sa.Text, server_default=""),
        sa.Column("snapshot", sa.JSON),
        sa.UniqueConstraint("plan_id", "step"),
    )
