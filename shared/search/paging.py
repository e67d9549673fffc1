"""Keyset paging of ticket lists: one page per query, however deep, sorted and filtered in SQL.

A page ends with a key (the sort value and the id of its last row); the next page is the rows strictly
after that key, so the database walks the ``(owner_path, opened_at)`` index from there instead of
counting OFFSET rows. Filters: process, state, and a full-text query (``shared.search``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from shared.models.tickets import Ticket
from shared.search.index import matching
from shared.services.actor import Actor
from shared.sync.codec import decode_dt, encode_dt

LIST_COLUMNS = (Ticket.id, Ticket.number, Ticket.process, Ticket.state, Ticket.priority, Ticket.title,
                Ticket.owner_path, Ticket.opened_at)


@dataclass(frozen=True)
class TicketFilter:
    query: str = ""
    process: str | None = None
    state: str | None = None


@dataclass
class Page:
    rows: list[dict[str, Any]] = field(default_factory=list)
    next_key: tuple[str, str] | None = None  # (opened_at ISO, id) of the last row; None on the last page


def _base(session: Session, actor: Actor, flt: TicketFilter, newest_first: bool = False) -> Any:
    if flt.query.strip():
        matched = matching(session, actor, flt.query, flt.process, newest_first=newest_first)
        stmt = matched.with_only_columns(*LIST_COLUMNS) if matched is not None else None
    else:
        stmt = select(*LIST_COLUMNS).where(Ticket.owner_path.startswith(actor.org_path),
                                           Ticket.deleted.is_(False))
        if flt.process:
            stmt = stmt.where(Ticket.process == flt.process)
    if stmt is not None and flt.state:
        stmt = stmt.where(Ticket.state == flt.state)
    return stmt


def filtered(session: Session, actor: Actor, flt: TicketFilter) -> Any:
    """The SELECT of the list's columns for ``flt`` (None: a query with no terms finds nothing)."""
    return _base(session, actor, flt)


def ticket_page(session: Session, actor: Actor, flt: TicketFilter, after: tuple[str, str] | None = None,
                limit: int = 100, offset: int = 0) -> Page:
    """The next ``limit`` tickets, newest first, after the key ``after`` (None: the first page, or the
    page ``offset`` rows down — a jump)."""
    stmt = _base(session, actor, flt, newest_first=True)
    if stmt is None:
        return Page()
    if after is not None:
        opened, last_id = decode_dt(after[0]), after[1]
        stmt = stmt.where(tuple_(Ticket.opened_at, Ticket.id) < tuple_(opened, last_id))  # an index range
    stmt = stmt.order_by(Ticket.opened_at.desc(), Ticket.id.desc()).limit(limit + 1).offset(
        offset if after is None else 0)
    rows = [dict(r._mapping) for r in session.execute(stmt)]
    more = len(rows) > limit
    rows = rows[:limit]
    for row in rows:
        row["opened_at"] = encode_dt(row["opened_at"]) if isinstance(row["opened_at"], datetime) else None
    last = rows[-1] if rows and more else None
    return Page(rows, (last["opened_at"], last["id"]) if last and last["opened_at"] else None)


def ticket_count(session: Session, actor: Actor, flt: TicketFilter) -> int:
    """How many tickets the filter finds (an index-only count for plain lists)."""
    stmt = _base(session, actor, flt)
    if stmt is None:
        return 0
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
