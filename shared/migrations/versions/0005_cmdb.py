"""CMDB: CI classes and attribute definitions, rack positions, lifecycle records (issue 5).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from shared.db.types import JSONDoc, UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ci_class_defs',
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('parent', sa.String(length=48), nullable=False),
    sa.Column('label_zh', sa.String(length=100), nullable=False),
    sa.Column('label_en', sa.String(length=100), nullable=False),
    sa.Column('abstract', sa.Boolean(), nullable=False),
    sa.Column('attributes', JSONDoc(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ci_class_defs'))
    )
    with op.batch_alter_table('ci_class_defs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ci_class_defs_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_ci_class_defs_owner_path'), ['owner_path'], unique=False)

    op.create_table('ci_lifecycle_records',
    sa.Column('ci_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_state', sa.String(length=32), nullable=False),
    sa.Column('to_state', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('attachment_id', sa.String(length=36), nullable=True),
    sa.Column('values', JSONDoc(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ci_lifecycle_records'))
    )
    with op.batch_alter_table('ci_lifecycle_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ci_lifecycle_records_ci_id'), ['ci_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ci_lifecycle_records_owner_path'), ['owner_path'], unique=False)

    op.create_table('rack_units',
    sa.Column('rack_id', sa.String(length=36), nullable=False),
    sa.Column('u', sa.Integer(), nullable=False),
    sa.Column('ci_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rack_units'))
    )
    with op.batch_alter_table('rack_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rack_units_ci_id'), ['ci_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rack_units_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_rack_units_rack_id'), ['rack_id'], unique=False)


    with op.batch_alter_table('config_items', schema=None) as batch_op:  # serials are unique: looked up
        batch_op.create_index(batch_op.f('ix_config_items_serial'), ['serial'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('config_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_config_items_serial'))
    op.drop_table("rack_units")
    op.drop_table("ci_lifecycle_records")
    op.drop_table("ci_class_defs")
