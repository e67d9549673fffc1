"""Indexes for KPI computation at province scale (issue 8).

Every ticket-based indicator reads the tickets of one process whose opened, resolved or closed time falls in
the period; (process, time) indexes make that a range scan of the month instead of a walk over every ticket
of the process (a province holds 200,000 tickets over three years, about 5,500 in a month). Forms are read by
planned time. The change indicators look up incidents by parent and by ``data.caused_by_change``; the latter is
a partial index holding only the tickets whose document names that key (the predicate is repeated word for
word by the query: shared.models.tickets.CAUSED_BY_CHANGE_WHERE).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CAUSED_BY_CHANGE_WHERE = {"sqlite": "instr(data, '\"caused_by_change\"') > 0",
                          "postgresql": "strpos(data::text, '\"caused_by_change\"') > 0"}
INDEXES = (("tickets", "ix_tickets_process_opened", ["process", "opened_at"]),
           ("tickets", "ix_tickets_process_resolved", ["process", "resolved_at"]),
           ("tickets", "ix_tickets_process_closed", ["process", "closed_at"]),
           ("tickets", "ix_tickets_parent_id", ["parent_id"]),
           ("form_records", "ix_form_records_planned", ["planned_at"]))


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_index("ix_tickets_caused_by_change", "tickets", ["process"], unique=False,
                    sqlite_where=sa.text(CAUSED_BY_CHANGE_WHERE["sqlite"]),
                    postgresql_where=sa.text(CAUSED_BY_CHANGE_WHERE["postgresql"]))


def downgrade() -> None:
    op.drop_index("ix_tickets_caused_by_change", table_name="tickets")
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
