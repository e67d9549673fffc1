"""The change KPIs (change success rate …) read the review entry of every implemented change of the subtree,
whatever its age, to learn when it was implemented: a partial index holding only the review entries, so the
read touches those rows instead of every history entry of each change (about six each; on the 200,000-ticket
province set 0.26 s of a 2 s budget, 0.08 s with the index).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

REVIEWS = "kind = 'history' AND body = 'review'"


def upgrade() -> None:
    op.create_index("ix_ticket_entries_reviews", "ticket_entries", ["ticket_id"], unique=False,
                    sqlite_where=sa.text(REVIEWS), postgresql_where=sa.text(REVIEWS))


def downgrade() -> None:
    op.drop_index("ix_ticket_entries_reviews", table_name="ticket_entries")
