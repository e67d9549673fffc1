"""Indexes for KPI computation at province scale (issue 8).

Every ticket-based indicator reads the tickets of one process whose opened, resolved or closed time falls in
the period; (process, time) indexes let that be a range scan of the month instead of a walk over every
ticket of the process (a province holds 200,000 tickets over three years, about 5,500 in a month).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = (("ix_tickets_process_opened", ["process", "opened_at"]),
           ("ix_tickets_process_resolved", ["process", "resolved_at"]),
           ("ix_tickets_process_closed", ["process", "closed_at"]))


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "tickets", columns, unique=False)


def downgrade() -> None:
    for name, _columns in INDEXES:
        op.drop_index(name, table_name="tickets")
