"""Maintained ticket counts: how many live tickets each (owner unit, process, state) holds, kept by SQLite
triggers on ``tickets`` — every write, rows arriving by sync included. A list's count ("12,345 tickets" in
a county, a process, a state) is then a sum over a few hundred rows instead of a scan of the table.

Like the full-text index (``shared.search.index``) the table and its triggers are made on first use and
filled from the tickets already there, beside the Alembic-managed schema: they are a cache of ``tickets``,
never synced, and rebuilt by ``drop_ticket_counts`` + ``ensure_ticket_counts``. On PostgreSQL (servers, which
show no such list) nothing is made and ``maintained_count`` answers None: count the query instead.
"""

from __future__ import annotations

import weakref

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

COUNTS = "ticket_counts"
_meta = MetaData()  # not the models' metadata: this table is no part of the migrated schema
ticket_counts = Table(COUNTS, _meta, Column("owner_path", String(255), primary_key=True),
                      Column("process", String(32), primary_key=True), Column("state", String(32), primary_key=True),
                      Column("n", Integer, nullable=False))

_ADD = (f"INSERT INTO {COUNTS} (owner_path, process, state, n) SELECT new.owner_path, new.process, new.state, 1 "
        "WHERE new.deleted = 0 ON CONFLICT (owner_path, process, state) DO UPDATE SET n = n + 1;")
_REMOVE = (f"UPDATE {COUNTS} SET n = n - 1 WHERE old.deleted = 0 AND owner_path = old.owner_path "
           "AND process = old.process AND state = old.state;")
SQLITE_DDL = (
    f"""CREATE TABLE IF NOT EXISTS {COUNTS} (owner_path VARCHAR(255) NOT NULL, process VARCHAR(32) NOT NULL,
          state VARCHAR(32) NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (owner_path, process, state)) WITHOUT ROWID""",
    f"CREATE TRIGGER IF NOT EXISTS {COUNTS}_ai AFTER INSERT ON tickets BEGIN {_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS {COUNTS}_ad AFTER DELETE ON tickets BEGIN {_REMOVE} END",
    f"""CREATE TRIGGER IF NOT EXISTS {COUNTS}_au AFTER UPDATE OF owner_path, process, state, deleted ON tickets
        BEGIN {_REMOVE} {_ADD} END""",
)
SQLITE_FILL = (f"INSERT INTO {COUNTS} (owner_path, process, state, n) SELECT owner_path, process, state, count(*) "
               "FROM tickets WHERE deleted = 0 GROUP BY owner_path, process, state")

_ready: weakref.WeakSet[Engine] = weakref.WeakSet()


def ensure_ticket_counts(engine: Engine) -> bool:
    """Make and fill the counts if missing (once per database); False where they are not kept."""
    if engine.dialect.name != "sqlite":
        return False
    if engine in _ready:
        return True
    with engine.begin() as conn:  # one transaction: no write slips between the fill and the triggers
        exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (COUNTS,)).first() is not None
        for ddl in SQLITE_DDL:
            conn.exec_driver_sql(ddl)
        if not exists:
            conn.exec_driver_sql(SQLITE_FILL)
    _ready.add(engine)
    return True


def drop_ticket_counts(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            for name in ("ai", "ad", "au"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {COUNTS}_{name}")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {COUNTS}")
    _ready.discard(engine)


def maintained_count(session: Session, org_path: str, process: str | None = None,
                     state: str | None = None) -> int | None:
    """Live tickets owned in ``org_path``'s subtree (of a process, in a state); None if not kept here.

    Call ``ensure_ticket_counts`` before the session starts: a read transaction does not see a table
    created after it began."""
    engine: object = session.get_bind()
    while hasattr(engine, "_proxied"):  # an engine with execution options (the store's read sessions)
        engine = engine._proxied
    if engine not in _ready:
        return None
    stmt = select(func.coalesce(func.sum(ticket_counts.c.n), 0)).where(
        ticket_counts.c.owner_path.startswith(org_path, autoescape=True))
    if process:
        stmt = stmt.where(ticket_counts.c.process == process)
    if state:
        stmt = stmt.where(ticket_counts.c.state == state)
    return int(session.scalar(stmt) or 0)
