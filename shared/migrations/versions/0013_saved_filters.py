"""Saved filters and desktop list support (issue 8): the ``saved_filters`` table (a person's named list
queries, synced) and ``ix_tickets_list_walk``, an index the ticket list can walk without reading rows — so
the desktop finds the key at any position (row 150,000 of 200,000) from the index alone, then reads one
page by keyset.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import shared.db.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

WALK = ["opened_at", "id", "owner_path", "deleted", "process", "state"]


def upgrade() -> None:
    op.create_table('saved_filters',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('list_key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('query', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_path', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', shared.db.types.JSONDoc(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shared.db.types.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filters'))
    )
    with op.batch_alter_table('saved_filters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_filters_owner_path'), ['owner_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_filters_user_id'), ['user_id'], unique=False)
    op.create_index('ix_tickets_list_walk', 'tickets', WALK, unique=False)


def downgrade() -> None:
    op.drop_index('ix_tickets_list_walk', table_name='tickets')
    with op.batch_alter_table('saved_filters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_filters_user_id'))
        batch_op.drop_index(batch_op.f('ix_saved_filters_owner_path'))
    op.drop_table('saved_filters')
