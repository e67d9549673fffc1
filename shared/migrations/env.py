"""Alembic environment. Migrations run programmatically (shared.db.migrate.upgrade) with a
connection handed in; batch mode keeps ALTERs working on SQLite."""

from __future__ import annotations

from alembic import context

import shared.models  # noqa: F401  (registers every table)
from shared.db.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("ITOps migrations run through shared.db.migrate.upgrade(), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
