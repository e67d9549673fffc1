"""Links between tickets are read in both directions when a ticket opens (shared/services/links.py): a partial
index holding only the link entries, so the incoming direction (by the JSON target) reads those few rows
instead of every history entry of the store (1.9–3.4 s per ticket opened on a 200,000-ticket store).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_entries_links", "ticket_entries", ["ticket_id"], unique=False,
                    sqlite_where=sa.text("kind = 'link'"), postgresql_where=sa.text("kind = 'link'"))


def downgrade() -> None:
    op.drop_index("ix_ticket_entries_links", table_name="ticket_entries")
