"""Process engine tables: catalogue entries (services, SLAs, calendars, suppliers, business units,
capacity thresholds) and measurements (issue 4).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain; filled by the issue named above


def downgrade() -> None:
    pass
