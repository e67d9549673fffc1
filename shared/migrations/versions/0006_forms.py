"""SOP forms: templates, attachments, plans, room details (issue 6).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import shared.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('facilities',
    sa.Column('room_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=False),
    sa.Column('vendor', sa.String(length=120), nullable=False),
    sa.Column('ci_id', sa.String(length=36), nullable=True),
    sa.Column('attributes', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities'))
    )
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilities_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_room_id'), ['room_id'], unique=False)

    op.create_table('form_templates',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('template_version', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
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
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_templates'))
    )
    with op.batch_alter_table('form_templates', schema=None) as batch_op:
        batch_op.create_index('ix_form_templates_code_version', ['code', 'template_version'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_templates_owner_path'), ['owner_path'], unique=False)

    op.create_table('plans',
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('plan_type', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('template_code', sa.String(length=16), nullable=False),
    sa.Column('room_id', sa.String(length=36), nullable=True),
    sa.Column('ci_id', sa.String(length=36), nullable=True),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('shifts', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('start_on', sa.String(length=10), nullable=False),
    sa.Column('end_on', sa.String(length=10), nullable=True),
    sa.Column('working_days_only', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('assignee_id', sa.String(length=36), nullable=True),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('affects_business', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
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
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_owner_path'), ['owner_path'], unique=False)

    op.create_table('racks',
    sa.Column('room_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('row', sa.String(length=16), nullable=False),
    sa.Column('u_total', sa.Integer(), nullable=False),
    sa.Column('u_used', sa.Integer(), nullable=False),
    sa.Column('power_kw', sa.Float(), nullable=True),
    sa.Column('ci_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_racks'))
    )
    with op.batch_alter_table('racks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_racks_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_racks_room_id'), ['room_id'], unique=False)

    with op.batch_alter_table('form_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('shift', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('started_at', shared.db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', shared.db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('abnormal_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('data', shared.db.types.JSONDoc(), nullable=False, server_default='{}'))
        batch_op.create_index(batch_op.f('ix_form_records_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_form_records_room_planned', ['room_id', 'planned_at'], unique=False)

    with op.batch_alter_table('machine_rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_m2', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('power_kw', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('cooling_kw', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('thresholds', shared.db.types.JSONDoc(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('points', shared.db.types.JSONDoc(), nullable=False, server_default='{}'))



def downgrade() -> None:
    with op.batch_alter_table("machine_rooms", schema=None) as batch_op:
        for column in ("points", "thresholds", "cooling_kw", "power_kw", "area_m2"):
            batch_op.drop_column(column)
    with op.batch_alter_table("form_records", schema=None) as batch_op:
        batch_op.drop_index("ix_form_records_room_planned")
        batch_op.drop_index(batch_op.f("ix_form_records_plan_id"))
        for column in ("data", "abnormal_count", "reviewed_at", "started_at", "shift", "plan_id"):
            batch_op.drop_column(column)
    for table in ("racks", "plans", "form_templates", "facilities"):
        op.drop_table(table)
