"""Schema 4: one vote and one prediction per participant and agenda item.

Files written before the rule may hold several ballots of one participant on one item; the
latest (newest cast, then highest id) is kept and the others are removed before the unique
indexes are created.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BALLOT_TABLES = ("workshop_vote", "workshop_prediction")


def upgrade() -> None:
    for name in BALLOT_TABLES:
        ballot = sa.table(name, sa.column("id"), sa.column("item_id"), sa.column("participant"),
                          sa.column("cast"))
        newer = ballot.alias("newer")
        op.execute(ballot.delete().where(sa.exists().where(
            newer.c.item_id == ballot.c.item_id,
            newer.c.participant == ballot.c.participant,
            sa.or_(newer.c.cast > ballot.c.cast,
                   sa.and_(newer.c.cast == ballot.c.cast, newer.c.id > ballot.c.id)),
        )))
        op.create_index(f"ux_{name}_participant", name, ["item_id", "participant"], unique=True)
