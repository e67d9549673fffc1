"""The PostgreSQL test fixtures themselves (tests of shared.db.engine go beside these)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from tests import pg


def test_pg_server_is_postgresql(pg_db_url: str) -> None:
    assert pg_db_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    with psycopg.connect(pg.conninfo(pg_db_url)) as conn:
        row = conn.execute("select version()").fetchone()
    assert row is not None and "PostgreSQL" in row[0]


def test_pg_url_works_with_sqlalchemy(pg_db_url: str) -> None:
    engine = sa.create_engine(pg_db_url)
    try:
        with engine.connect() as conn:
            assert "PostgreSQL" in conn.execute(sa.text("select version()")).scalar_one()
            assert conn.execute(sa.text("show server_encoding")).scalar_one() == "UTF8"
            text = "一体化IT运维服务体系"
            assert conn.execute(sa.text("select :t"), {"t": text}).scalar_one() == text
    finally:
        engine.dispose()


def test_databases_are_isolated(pg_database: Callable[[], str]) -> None:
    first, second = pg_database(), pg_database()
    assert first != second
    with psycopg.connect(pg.conninfo(first), autocommit=True) as conn:
        conn.execute("create table ticket (id int primary key, title text)")
        conn.execute("insert into ticket values (1, '打印机卡纸')")
    with psycopg.connect(pg.conninfo(second), autocommit=True) as conn:
        assert conn.execute("select to_regclass('ticket')").fetchone() == (None,)
        conn.execute("create table ticket (id int primary key, title text)")
        assert conn.execute("select count(*) from ticket").fetchone() == (0,)
    with psycopg.connect(pg.conninfo(first)) as conn:
        assert conn.execute("select title from ticket").fetchall() == [("打印机卡纸",)]


def test_drop_database_terminates_open_connections(pg_url: str) -> None:
    url = pg.create_database(pg_url)
    name = url.rsplit("/", 1)[1]
    holder = psycopg.connect(pg.conninfo(url))  # left open on purpose
    try:
        pg.drop_database(url)
        with psycopg.connect(pg.conninfo(pg_url + "postgres")) as admin:
            rows = admin.execute("select 1 from pg_database where datname = %s", (name,)).fetchall()
        assert rows == []
    finally:
        holder.close()


def test_postgres_marker_is_added(request: pytest.FixtureRequest, pg_url: str) -> None:
    assert request.node.get_closest_marker("postgres") is not None


def test_tmp_store_is_fresh_and_empty(tmp_store: Path, tmp_path: Path) -> None:
    assert tmp_store.is_dir()
    assert list(tmp_store.iterdir()) == []
    assert tmp_store != tmp_path


def test_qt_runs_offscreen_by_default() -> None:
    assert os.environ.get("QT_QPA_PLATFORM")
