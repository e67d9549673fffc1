"""Print the Alembic operations that bring a fresh store at head up to the models, for the named tables.

    .venv/bin/python scripts/autogen.py TABLE [TABLE ...]

Paste the output into your revision's upgrade() (it renders batch operations, as SQLite needs).
Several people add tables at once: naming the tables keeps others' work out of your revision.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import shared.models as models
from shared.db.migrate import upgrade


def main(tables: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'autogen.db'}")
        upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"render_as_batch": True})
            script = produce_migrations(context, models.Base.metadata)
        engine.dispose()
    ops = script.upgrade_ops
    assert ops is not None
    ops.ops = [op for op in ops.ops if getattr(op, "table_name", None) in set(tables)]
    print(render_python_code(ops, render_as_batch=True))


if __name__ == "__main__":
    main(sys.argv[1:])
