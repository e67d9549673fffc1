"""Scale: full-text search and the indexes of the hot queries (issue 8).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Newest-first ticket lists walk this index and stop after a page: keyset pages at any depth, and
    # short search terms (LIKE) that stop at the first page of hits. The full-text index itself is made
    # by shared.search.ensure_search_index (FTS5 tables cannot be described to the drift check).
    op.create_index("ix_tickets_opened_id", "tickets", ["opened_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_tickets_opened_id", table_name="tickets")
