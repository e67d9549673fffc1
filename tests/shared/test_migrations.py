"""One schema history for client and server: upgrades from the first migration keep data,
and the models never drift from the migrations (create_all is never used)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import shared.models  # noqa: F401
from shared.db.base import Base
from shared.db.engine import make_engine
from shared.db.migrate import current_revision, head_revision, upgrade


def _seed_at_first_revision(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO tickets (id, owner_path, version, field_versions, deleted, created_at, updated_at,"
            " hlc, process, number, title, description, state, impact, urgency, priority, category, origin,"
            " data) VALUES ('11111111-1111-1111-1111-111111111111', '/HQ/GD/SZ/LH/', 3, '{}', false,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', 'incident', 'INC-1', '打印机卡纸', '', 'new',"
            " 2, 2, 'P3', '', '', '{}')"))
    engine.dispose()


def _check_upgraded(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        title, version = conn.execute(text("SELECT title, version FROM tickets")).one()
    assert (title, version) == ("打印机卡纸", 3)
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("tickets")}
    assert "ix_tickets_owner_opened" in indexes
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    engine.dispose()


def test_sqlite_store_from_first_migration_upgrades_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.db"
    _seed_at_first_revision(url)
    _check_upgraded(url)


@pytest.mark.postgres
def test_postgres_database_from_first_migration_upgrades_to_head(pg_db_url: str) -> None:
    _seed_at_first_revision(pg_db_url)
    _check_upgraded(pg_db_url)


def test_upgrade_is_idempotent_and_keeps_foreign_keys_on_for_normal_use(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/s.db")
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
