"""Run the packaged Alembic migrations at start-up (desktop store and servers alike).

On SQLite, batch migrations rebuild tables, which fails with foreign keys on; the migration
runs on its own engine with ``foreign_keys=OFF`` and checks the keys afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


class MigrationError(RuntimeError):
    pass


def upgrade(engine: Engine, revision: str = "head") -> None:
    migration_engine = _migration_engine(engine)
    try:
        cfg = alembic_config()
        with migration_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        if engine.dialect.name == "sqlite":
            with migration_engine.connect() as conn:
                bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise MigrationError(f"foreign keys broken after migration: {bad[:5]}")
    finally:
        if migration_engine is not engine:
            migration_engine.dispose()


def _migration_engine(engine: Engine) -> Engine:
    if engine.dialect.name != "sqlite":
        return engine
    mig = create_engine(engine.url, connect_args={"timeout": 30})

    @event.listens_for(mig, "connect")
    def _connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(mig, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return mig
