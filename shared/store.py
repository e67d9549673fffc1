"""A store: one database (a desktop store directory, or a server's database URL).

``Store.write()`` is the only way to change synced rows: it opens a write transaction and
hands out a ``ChangeSet`` bound to it; the transaction commits with its outbox entries or
rolls back with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from shared.db.engine import make_engine, make_session_factory, normalise_url, read_session, write_session
from shared.db.migrate import upgrade
from shared.models.sync import NodeState
from shared.sync.capture import ChangeSet
from shared.sync.node import init_node, load_state

STORE_FILE = "itops.db"


class StoreError(RuntimeError):
    """A store that cannot be opened: missing, not an ITOps store, or corrupt."""


def store_url(store_dir: str | Path) -> str:
    return normalise_url(str(Path(store_dir) / STORE_FILE))


class Store:
    def __init__(self, url: str, migrate: bool = True) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            upgrade(self.engine)
        self.sessions = make_session_factory(self.engine)

    @classmethod
    def attach(cls, engine: Engine) -> Store:
        """Wrap an engine someone else made (the server's), without migrating again."""
        store = cls.__new__(cls)
        store.url = str(engine.url)
        store.engine = engine
        store.sessions = make_session_factory(engine)
        return store

    def has_node(self) -> bool:
        with self.read() as session:
            return session.get(NodeState, "self") is not None

    @classmethod
    def open_dir(cls, store_dir: str | Path, create: bool = False) -> Store:
        path = Path(store_dir)
        if not (path / STORE_FILE).exists():
            if not create:
                raise StoreError(f"no ITOps store at {path} (expected {path / STORE_FILE})")
            path.mkdir(parents=True, exist_ok=True)
        return cls(store_url(path))

    def init_node(self, role: str, org_path: str, node_code: str = "", node_id: str | None = None) -> None:
        with write_session(self.sessions) as session:
            init_node(session, role, org_path, node_code, node_id)

    @contextmanager
    def write(self, user_id: str | None = None,
              now_ms: Callable[[], int] | None = None) -> Iterator[ChangeSet]:
        """``now_ms`` overrides the wall clock of this transaction's HLC (tests skew it)."""
        with write_session(self.sessions) as session:
            yield ChangeSet(session, user_id, now_ms)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with read_session(self.sessions) as session:
            yield session

    def node(self) -> dict[str, str]:
        with self.read() as session:
            state = load_state(session)
            return {"node_id": state.node_id, "role": state.role, "org_path": state.org_path,
                    "number_prefix": state.number_prefix, "epoch": state.epoch}

    def work_dir(self) -> Path:
        """Where downloads for this store go: beside a SQLite file, else a temp folder."""
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database not in (None, "", ":memory:"):
            return Path(database).resolve().parent
        import tempfile

        return Path(tempfile.gettempdir())

    def close(self) -> None:
        self.engine.dispose()
