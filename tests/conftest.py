"""Session-wide fixtures for the whole ITOps test suite.

PostgreSQL:
    pg_url       (session)  base URL of a private PostgreSQL server started for this session,
                            ``postgresql+psycopg://postgres@127.0.0.1:PORT/`` (append a db name).
    pg_database  (function) factory: ``pg_database()`` creates a fresh empty UTF-8 database and
                            returns its full SQLAlchemy URL; every database it made is dropped
                            after the test (connections to it are terminated first).
    pg_db_url    (function) shortcut: the URL of one fresh database (``pg_database()``).
Tests that use any of these are marked ``postgres`` automatically (``-m "not postgres"``).

Other:
    tmp_store    (function) a fresh, empty, existing folder (pathlib.Path) for a local store.

Qt runs offscreen unless QT_QPA_PLATFORM is already set.
"""

from __future__ import annotations

import contextlib
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import pg

_PG_FIXTURES = {"pg_url", "pg_database", "pg_db_url"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _PG_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(pg.postgres_server())
        except pg.PostgresUnavailable as exc:
            pytest.skip(str(exc))
        yield url


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[Callable[[], str]]:
    created: list[str] = []

    def make() -> str:
        url = pg.create_database(pg_url)
        created.append(url)
        return url

    yield make
    for url in reversed(created):
        pg.drop_database(url)


@pytest.fixture
def pg_db_url(pg_database: Callable[[], str]) -> str:
    return pg_database()


@pytest.fixture
def tmp_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")
