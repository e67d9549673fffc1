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
    county       (function) (Store, Actor): a county client store with the org path down to 龙华
                            (/HQ/GD/SZ/LH/) and one technician lh_desk (role service_desk).

Qt runs offscreen unless QT_QPA_PLATFORM is already set.
"""

from __future__ import annotations

import contextlib
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shared.services import org, users
from shared.services.actor import Actor
from shared.store import Store
from tests import pg

_PG_FIXTURES = {"pg_url", "pg_database", "pg_db_url"}


# The modules that take a minute or more: started first, so with one worker per core (make test) they run
# beside the many short ones instead of making a tail at the end.
SLOW_FIRST = ("tests/sync/test_invariants.py", "tests/e2e/test_multiprocess.py", "tests/scale/test_servicenow_real.py",
              "tests/cli/test_demo.py", "tests/e2e/test_bench_smoke.py", "tests/e2e/test_pg_concurrency.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _PG_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)

    def rank(item: pytest.Item) -> int:
        where = item.nodeid.split("::", 1)[0]
        return SLOW_FIRST.index(where) if where in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order inside each module (and of the other modules) is kept


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


@pytest.fixture(scope="module")
def _password_hash() -> str:
    from shared.security import hash_password

    return hash_password("password-123")


@pytest.fixture
def county(tmp_path: Path) -> Iterator[tuple[Store, Actor]]:
    """A county client store with the org path down to 龙华 and one technician."""
    store = Store.open_dir(tmp_path / "lh", create=True)
    store.init_node("client", "/HQ/GD/SZ/LH/")
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华")):
            org.add_org(cs, path, name)
        user = users.add_user(cs, "lh_desk", "password-123", "/HQ/GD/SZ/LH/", ["service_desk"])
    yield store, Actor(user["id"], "lh_desk", "/HQ/GD/SZ/LH/", ("service_desk",))
    store.close()


@pytest.fixture(autouse=True)
def _collect_qt_garbage() -> Iterator[None]:
    """Qt tests: garbage is collected on the GUI thread only, as the desktop app does (desktop/collector.py),
    and after each test once its background operations have delivered. Tests that never load Qt skip it."""
    import gc
    import sys

    qt = "desktop.ops" in sys.modules
    if qt:
        gc.disable()
    yield
    if qt:
        from desktop import collector

        sys.modules["desktop.ops"].wait_idle()
        collector.collect_if_due()


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without interpreter finalization once Qt was loaded: PySide6 6.12 drops a reference too many
    while the interpreter tears down (``bool_dealloc: deallocating True or False``), which turns a
    passing run into an abort. Everything is reported and flushed by now."""
    import sys

    if "PySide6.QtWidgets" in sys.modules and _EXIT_STATUS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
