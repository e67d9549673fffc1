"""Read queries for the tickets area. They run in workers and return plain data.

Sorting and filtering happen in SQL (a proxy model would call Python per comparison).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from shared.models.org import User
from shared.models.tickets import Ticket
from shared.services.actor import Actor
from shared.services.tickets import get_ticket
from shared.store import Store

S = TypeVar("S", bound=Select[*tuple[Any, ...]])
PAGE_SIZE = 200
LIST_COLUMNS = (Ticket.id, Ticket.number, Ticket.title, Ticket.process, Ticket.state, Ticket.priority,
                Ticket.opened_at)
SORT_KEYS = {"number": Ticket.number, "title": Ticket.title, "process": Ticket.process,
             "state": Ticket.state, "priority": Ticket.priority, "opened_at": Ticket.opened_at}


@dataclass(frozen=True)
class TicketQuery:
    process: str | None = None
    text: str = ""
    sort: str = "opened_at"
    descending: bool = True


@dataclass(frozen=True)
class Page:
    offset: int
    rows: list[dict[str, Any]]
    total: int


def _scoped(stmt: S, actor: Actor, query: TicketQuery) -> S:
    stmt = stmt.where(Ticket.owner_path.startswith(actor.org_path), Ticket.deleted.is_(False))
    if query.process:
        stmt = stmt.where(Ticket.process == query.process)
    text = query.text.strip()
    if text:
        stmt = stmt.where(or_(Ticket.title.icontains(text, autoescape=True),
                              Ticket.number.icontains(text, autoescape=True)))
    return stmt


def ticket_rows(session: Session, actor: Actor, query: TicketQuery, offset: int = 0,
                limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    column = SORT_KEYS.get(query.sort, Ticket.opened_at)
    order = column.desc() if query.descending else column.asc()
    tie = Ticket.number.desc() if query.descending else Ticket.number.asc()
    stmt = _scoped(select(*LIST_COLUMNS), actor, query).order_by(order, tie, Ticket.id)
    return [row._asdict() for row in session.execute(stmt.offset(offset).limit(limit))]


def ticket_count(session: Session, actor: Actor, query: TicketQuery) -> int:
    return int(session.scalar(_scoped(select(func.count(Ticket.id)), actor, query)) or 0)


def load_page(store: Store, actor: Actor, query: TicketQuery, offset: int = 0,
              limit: int = PAGE_SIZE) -> Page:
    with store.read() as session:
        return Page(offset, ticket_rows(session, actor, query, offset, limit),
                    ticket_count(session, actor, query))


def load_detail(store: Store, actor: Actor, ticket_id: str) -> dict[str, Any]:
    """``get_ticket`` plus ``authors``: user id → display name for the timeline."""
    with store.read() as session:
        ticket = get_ticket(session, actor, ticket_id)
        ids = {e["author_id"] for e in ticket["entries"] if e.get("author_id")}
        ids.update(i for i in (ticket.get("caller_id"), ticket.get("assignee_id")) if i)
        users = session.execute(select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
        ticket["authors"] = {u.id: u.full_name or u.username for u in users}
        return ticket
