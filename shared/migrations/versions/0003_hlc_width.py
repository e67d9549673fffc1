"""Widen every ``hlc`` column to 64: an encoded HLC is 13 + 1 + 5 + 1 + 36 = 56 characters, which
PostgreSQL refused in VARCHAR(40) (SQLite never checks the length, so only PostgreSQL needs it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("ci_relations", "config_items", "conflicts", "form_records", "machine_rooms", "org_units", "outbox",
          "room_logs", "team_members", "teams", "ticket_entries", "tickets", "users")


def upgrade() -> None:
    # batch mode: PostgreSQL alters in place, SQLite rebuilds the table so its declared type matches too
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("hlc", type_=sa.String(64), existing_type=sa.String(40), existing_nullable=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("hlc", type_=sa.String(40), existing_type=sa.String(64), existing_nullable=False)
