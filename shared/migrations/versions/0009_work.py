"""Vertical work: tasks, task assignments, work entries, reports, security events, KPI manual entries (issue 7).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import shared.db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("kpi_entries", "security_events", "work_reports", "work_entries", "task_assignments", "tasks")


def upgrade() -> None:
    op.create_table('kpi_entries',
    sa.Column('indicator', sa.String(length=48), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=False),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_entries'))
    )
    with op.batch_alter_table('kpi_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_entries_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index('ix_kpi_entries_period', ['period', 'indicator'], unique=False)

    op.create_table('security_events',
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('discovered_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('systems', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('loss', sa.Text(), nullable=False),
    sa.Column('first_report_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('final_report_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events'))
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_events_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_owner_path'), ['owner_path'], unique=False)

    op.create_table('task_assignments',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('results', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('receiver_id', sa.String(length=36), nullable=True),
    sa.Column('accepted_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_assignments'))
    )
    with op.batch_alter_table('task_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_assignments_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_assignments_task_id'), ['task_id'], unique=False)

    op.create_table('tasks',
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('deadline', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('deliverables', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('targets', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('issuer_id', sa.String(length=36), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('issued_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('closed_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_parent_id'), ['parent_id'], unique=False)

    op.create_table('work_entries',
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target_path', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=True),
    sa.Column('at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('data', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_entries'))
    )
    with op.batch_alter_table('work_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_entries_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index('ix_work_entries_subject', ['subject', 'subject_id'], unique=False)

    op.create_table('work_reports',
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('sections', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('analysis', sa.Text(), nullable=False),
    sa.Column('suggestions', sa.Text(), nullable=False),
    sa.Column('scope_code', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=True),
    sa.Column('drafted_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_reports'))
    )
    with op.batch_alter_table('work_reports', schema=None) as batch_op:
        batch_op.create_index('ix_work_reports_kind_period', ['kind', 'period'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_reports_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_reports_owner_path'), ['owner_path'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
