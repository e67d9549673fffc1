"""Integrations (issue 10): monitoring events, notifications and preferences, the rules-and-standards
library (documents, read acknowledgements), and the server-local tables: event API keys, alert states,
the notification delivery queue, integration settings.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import shared.db.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ('monitoring_events', 'notifications', 'notification_prefs', 'documents', 'document_reads', 'event_api_keys', 'alert_states', 'notification_deliveries', 'integration_settings', 'directory_accounts', 'syslog_exports')


def upgrade() -> None:
    op.create_table('alert_states',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('key_id', sa.String(length=36), nullable=False),
    sa.Column('fingerprint', sa.String(length=128), nullable=False),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('ci_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('firings', sa.Integer(), nullable=False),
    sa.Column('first_seen', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('last_seen', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_states'))
    )
    with op.batch_alter_table('alert_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_states_key_id'), ['key_id'], unique=False)

    op.create_table('document_reads',
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('read_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_reads'))
    )
    with op.batch_alter_table('document_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_reads_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_reads_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_reads_user_id'), ['user_id'], unique=False)

    op.create_table('documents',
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('edition', sa.String(length=32), nullable=False),
    sa.Column('effective_date', sa.String(length=10), nullable=False),
    sa.Column('issuing_unit', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('published_by', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_owner_path'), ['owner_path'], unique=False)

    op.create_table('event_api_keys',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('org_path', sa.String(length=255), nullable=False),
    sa.Column('settings', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_event_api_keys_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_event_api_keys_name'))
    )
    op.create_table('integration_settings',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('value', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_integration_settings'))
    )
    op.create_table('monitoring_events',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('ci_id', sa.String(length=36), nullable=True),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.Column('starts_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('ends_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('received_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('labels', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_events'))
    )
    with op.batch_alter_table('monitoring_events', schema=None) as batch_op:
        batch_op.create_index('ix_monitoring_events_ci', ['ci_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_events_fingerprint'), ['fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_events_owner_path'), ['owner_path'], unique=False)

    op.create_table('notification_deliveries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('notification_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('sent_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('attempts_log', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_deliveries'))
    )
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_notification_deliveries_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_deliveries_notification_id'), ['notification_id'], unique=False)

    op.create_table('notification_prefs',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('channels', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('quiet_start', sa.String(length=5), nullable=False),
    sa.Column('quiet_end', sa.String(length=5), nullable=False),
    sa.Column('timezone', sa.String(length=48), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_prefs'))
    )
    with op.batch_alter_table('notification_prefs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_prefs_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_prefs_user_id'), ['user_id'], unique=False)

    op.create_table('notifications',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('priority', sa.String(length=4), nullable=False),
    sa.Column('ref_entity', sa.String(length=48), nullable=False),
    sa.Column('ref_id', sa.String(length=36), nullable=True),
    sa.Column('read_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index('ix_notifications_user', ['user_id', 'created_at'], unique=False)

    op.create_table('directory_accounts',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('dn', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('groups', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('last_sign_in', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('refused_at', shared.db.types.UTCDateTime(), nullable=True),
    sa.Column('refusal', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_directory_accounts'))
    )

    op.create_table('syslog_exports',
    sa.Column('audit_id', sa.String(length=36), nullable=False),
    sa.Column('exported_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('audit_id', name=op.f('pk_syslog_exports'))
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
