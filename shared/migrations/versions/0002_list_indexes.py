"""Indexes for the list and scope queries (tickets by owner and time, users by org).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.create_index("ix_tickets_owner_opened", ["owner_path", "opened_at"])
    with op.batch_alter_table("users") as batch:
        batch.create_index("ix_users_org_path", ["org_path"])
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_acked")
        batch.create_index("ix_outbox_acked_seq", ["acked", "seq"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_acked_seq")
        batch.create_index("ix_outbox_acked", ["acked"])
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_org_path")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_owner_opened")
