"""Ticket search. On SQLite an FTS5 table with the ``trigram`` tokenizer: any substring of three or more
characters is found through the index — 打印机 inside 办公室打印机卡纸, with no word segmentation, which
Chinese text does not have. One- and two-character queries fall back to LIKE over the same table. Triggers
on ``tickets`` keep the index in step with every write, rows arriving by sync included. On PostgreSQL,
ILIKE over a pg_trgm GIN index of the same text.

The index objects are created on first use (``ensure_search_index``) and filled from the tickets already
there: an FTS5 virtual table and its shadow tables cannot be described to SQLAlchemy, so they live beside
the Alembic-managed schema rather than in it (the drift check compares the migrations with the models).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from shared.models.tickets import Ticket
from shared.services.actor import Actor
from shared.sync.scope import ancestors

FTS = "ticket_search"
IDS = "ticket_search_ids"
MIN_TRIGRAM = 3
BODY_KEYS = ("solution", "symptom", "cause", "steps", "keywords")


def _body_sql(row: str) -> str:
    """The searchable body of a ticket row (``new`` / ``old`` in a trigger, or a table alias)."""
    parts = [f"coalesce({row}.description, '')"]
    parts += [f"coalesce(json_extract({row}.data, '$.{key}'), '')" for key in BODY_KEYS]
    return " || char(10) || ".join(parts)


SQLITE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {IDS} (rid INTEGER PRIMARY KEY, ticket_id VARCHAR(36) NOT NULL UNIQUE)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, body, tokenize = 'trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON tickets BEGIN
          INSERT OR IGNORE INTO {IDS} (ticket_id) VALUES (new.id);
          INSERT INTO {FTS} (rowid, title, body)
            SELECT rid, new.title, {_body_sql('new')} FROM {IDS} WHERE ticket_id = new.id;
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF title, description, data ON tickets BEGIN
          DELETE FROM {FTS} WHERE rowid = (SELECT rid FROM {IDS} WHERE ticket_id = old.id);
          INSERT OR IGNORE INTO {IDS} (ticket_id) VALUES (new.id);
          INSERT INTO {FTS} (rowid, title, body)
            SELECT rid, new.title, {_body_sql('new')} FROM {IDS} WHERE ticket_id = new.id;
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON tickets BEGIN
          DELETE FROM {FTS} WHERE rowid = (SELECT rid FROM {IDS} WHERE ticket_id = old.id);
          DELETE FROM {IDS} WHERE ticket_id = old.id;
        END""",
)
SQLITE_FILL = (
    f"INSERT OR IGNORE INTO {IDS} (ticket_id) SELECT id FROM tickets ORDER BY opened_at, id",
    f"INSERT INTO {FTS} (rowid, title, body) SELECT i.rid, t.title, {_body_sql('t')} "
    f"FROM tickets t JOIN {IDS} i ON i.ticket_id = t.id",
)
PG_HAYSTACK = "tickets.title || ' ' || tickets.description" + "".join(
    f" || ' ' || coalesce(tickets.data ->> '{key}', '')" for key in BODY_KEYS)
PG_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS ix_tickets_search_trgm ON tickets USING gin (({PG_HAYSTACK}) gin_trgm_ops)",
)

_ready: weakref.WeakSet[Engine] = weakref.WeakSet()


def ensure_search_index(engine: Engine) -> None:
    """Create the search index if missing and fill it from the existing tickets (once per database)."""
    if engine in _ready:
        return
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS,)).first() is not None
            for ddl in SQLITE_DDL:
                conn.exec_driver_sql(ddl)
            if not exists:
                for fill in SQLITE_FILL:
                    conn.exec_driver_sql(fill)
        elif engine.dialect.name == "postgresql":
            for ddl in PG_DDL:
                conn.exec_driver_sql(ddl)
    _ready.add(engine)


def drop_search_index(engine: Engine) -> None:
    """Remove the index objects (a rebuild: the next ``ensure_search_index`` refills them)."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for name in ("ai", "au", "ad"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS}_{name}")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS}")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {IDS}")
        elif engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP INDEX IF EXISTS ix_tickets_search_trgm")
    _ready.discard(engine)


@dataclass(frozen=True)
class SearchHit:
    id: str
    number: str
    process: str
    state: str
    title: str
    snippet: str
    owner_path: str
    opened_at: datetime | None


def terms(query: str) -> list[str]:
    """Whitespace-separated terms; a quoted "two words" stays one term."""
    found = re.findall(r'"([^"]+)"|(\S+)', query)
    return [(a or b).strip() for a, b in found if (a or b).strip()]


def _visible(actor: Actor) -> Any:
    """Tickets of the actor's subtree, and knowledge articles published above it (they reach counties)."""
    return or_(Ticket.owner_path.startswith(actor.org_path),
               and_(Ticket.process == "knowledge", Ticket.owner_path.in_(ancestors(actor.org_path))))


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _short_term(word: str, i: int) -> Any:
    """A one- or two-character term (too short for trigrams): LIKE over the ticket's own columns, so a
    newest-first page walks ``ix_tickets_opened_id`` and stops at the first page of hits."""
    columns = ["tickets.title", "tickets.description"] + [f"json_extract(tickets.data, '$.{k}')" for k in BODY_KEYS]
    sql = " OR ".join(f"{c} LIKE :s{i} ESCAPE '\\'" for c in columns)
    return text(f"({sql})").bindparams(**{f"s{i}": f"%{_escape_like(word)}%"})


BROAD = 2000  # more trigram hits than this: walk the newest tickets rather than look each hit up


def matching(session: Session, actor: Actor, query: str, process: str | None,
             include_deleted: bool = False, newest_first: bool = False) -> Any:
    """SELECT of the tickets matching every term of ``query`` that the actor may see (None: no terms).
    On SQLite terms of three characters or more go through the FTS5 trigram index, shorter ones through
    LIKE; on PostgreSQL every term is an ILIKE the pg_trgm index serves.

    ``newest_first``: the caller reads a page newest first. When the trigram terms hit many tickets
    (营业厅: a tenth of them) the page then walks ``ix_tickets_opened_id`` and checks each ticket against
    the set of hits, stopping at the page's end — instead of fetching every hit and sorting them."""
    words = terms(query)
    if not words:
        return None
    stmt = select(Ticket).where(_visible(actor))
    if not include_deleted:
        stmt = stmt.where(Ticket.deleted.is_(False))
    if process:
        stmt = stmt.where(Ticket.process == process)
    if session.get_bind().dialect.name != "sqlite":
        for i, word in enumerate(words):  # the same expression as the pg_trgm index, so the index serves it
            pattern = f"%{_escape_like(word)}%"
            stmt = stmt.where(text(f"({PG_HAYSTACK}) ILIKE :w{i}").bindparams(**{f"w{i}": pattern}))
        return stmt
    long_terms = [w for w in words if len(w) >= MIN_TRIGRAM]
    short_terms = [w for w in words if len(w) < MIN_TRIGRAM]
    if not long_terms:
        for i, word in enumerate(short_terms):
            stmt = stmt.where(_short_term(word, i))
        return stmt
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_terms)
    hits = text(f"{FTS} MATCH :match").bindparams(match=match)
    source = text(f"{IDS} JOIN {FTS} ON {FTS}.rowid = {IDS}.rid")
    if newest_first and _broad(session, match):
        # ``+tickets.id``: no index lookup per hit; the ORDER BY's index drives, the hits are a set.
        for i, word in enumerate(short_terms):
            stmt = stmt.where(_short_term(word, i))
        return stmt.where(literal_column("+tickets.id").in_(select(text("ticket_id")).select_from(source)
                                                            .where(hits)))
    # Short terms beside long ones filter the few rows the trigram index found, inside the index table.
    conditions = [hits]
    for i, word in enumerate(short_terms):
        conditions.append(text(f"({FTS}.title LIKE :f{i} ESCAPE '\\' OR {FTS}.body LIKE :f{i} ESCAPE '\\')")
                          .bindparams(**{f"f{i}": f"%{_escape_like(word)}%"}))
    ids = select(text("ticket_id")).select_from(source).where(and_(*conditions))
    return stmt.where(Ticket.id.in_(ids))


def _broad(session: Session, match: str) -> bool:
    """Whether the trigram terms hit more than ``BROAD`` tickets (an index read of at most BROAD + 1)."""
    probe = f"SELECT count(*) FROM (SELECT 1 FROM {FTS} WHERE {FTS} MATCH :match LIMIT {BROAD + 1})"
    return int(session.execute(text(probe), {"match": match}).scalar() or 0) > BROAD


def search_tickets(session: Session, actor: Actor, query: str, process: str | None = None, limit: int = 50,
                   offset: int = 0) -> list[SearchHit]:
    """Matching tickets the actor may see, newest first (``limit`` per page)."""
    stmt = matching(session, actor, query, process, newest_first=True)
    if stmt is None:
        return []
    stmt = stmt.order_by(Ticket.opened_at.desc(), Ticket.id.desc()).limit(limit).offset(offset)
    words = terms(query)
    return [SearchHit(t.id, t.number, t.process, t.state, t.title, snippet(t, words), t.owner_path, t.opened_at)
            for t in session.scalars(stmt)]


def count_matches(session: Session, actor: Actor, query: str, process: str | None = None) -> int:
    stmt = matching(session, actor, query, process)
    if stmt is None:
        return 0
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def snippet(ticket: Ticket, words: list[str], width: int = 60) -> str:
    """The first place a term occurs (title, description, solution …), with a little context."""
    data = ticket.data or {}
    fields = [ticket.title or "", ticket.description or ""] + [str(data.get(k) or "") for k in BODY_KEYS]
    lowered = [w.lower() for w in words]
    for field in fields:
        low = field.lower()
        for word in lowered:
            at = low.find(word)
            if at >= 0:
                start = max(0, at - width // 3)
                end = min(len(field), start + width)
                return ("…" if start else "") + field[start:end].replace("\n", " ") + ("…" if end < len(field) else "")
    return (ticket.title or "")[:width]
