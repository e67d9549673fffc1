"""Plans that spawn tasks and template review states (issue 6).

``plans.kind`` (form | task, existing plans are form plans) and ``plans.targets`` (the org units a
task plan issues to); ``form_templates.data`` holds a version's review trail. Template states gain
draft and review; existing rows keep their state (published or retired).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

import shared.db.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("form_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data", shared.db.types.JSONDoc(), nullable=False, server_default="{}"))
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=8), nullable=False, server_default="form"))
        batch_op.add_column(sa.Column("targets", shared.db.types.JSONDoc(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("targets")
        batch_op.drop_column("kind")
    with op.batch_alter_table("form_templates", schema=None) as batch_op:
        batch_op.drop_column("data")
