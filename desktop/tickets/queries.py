"""Read queries for the tickets area. They run in workers and return plain data.

Sorting and filtering happen in SQL (a proxy model would call Python per comparison).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from desktop.tickets.actions import offered_actions
from desktop.tickets.fields import Options, field_type
from desktop.tickets.fields import load_options as options_for
from shared.models.catalog import CatalogEntry
from shared.models.cmdb import ConfigItem
from shared.models.org import Team, User
from shared.models.tickets import Ticket
from shared.processes.engine import process
from shared.processes.sla import ticket_clocks
from shared.services import cmdb, links
from shared.services.actor import Actor
from shared.services.tickets import get_ticket
from shared.store import Store
from shared.sync.codec import get_field
from shared.sync.scope import ancestors

S = TypeVar("S", bound=Select[*tuple[Any, ...]])
PAGE_SIZE = 200
LIST_COLUMNS = (Ticket.id, Ticket.number, Ticket.title, Ticket.process, Ticket.state, Ticket.priority,
                Ticket.opened_at)
SORT_KEYS = {"number": Ticket.number, "title": Ticket.title, "process": Ticket.process,
             "state": Ticket.state, "priority": Ticket.priority, "opened_at": Ticket.opened_at}


@dataclass(frozen=True)
class TicketQuery:
    process: str | None = None
    state: str | None = None
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
    if query.state:
        stmt = stmt.where(Ticket.state == query.state)
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
    """``get_ticket`` plus what the detail shows: ``names`` (id or code → readable name), ``clocks``,
    ``escalations``, ``linked`` tickets and the ``offered`` actions (see desktop/tickets/actions.py)."""
    with store.read() as session:
        ticket = get_ticket(session, actor, ticket_id)
        proc = process(ticket["process"])
        ticket["names"] = _names(session, ticket, proc)
        ticket["clocks"] = [c.as_dict() for c in ticket_clocks(session, ticket["id"])]
        ticket["escalations"] = [e for e in ticket["entries"] if e.get("kind") == "escalation"]
        ticket["linked"] = [*_family(session, actor, ticket), *links.linked(session, actor, ticket["id"])]
        ticket["offered"] = offered_actions(proc, ticket["state"], actor.roles, ticket)
        return ticket


def _family(session: Session, actor: Actor, ticket: dict[str, Any]) -> list[dict[str, Any]]:
    """The parent (a major incident) and the children of a ticket, marked by ``relation``."""
    columns = (Ticket.id, Ticket.number, Ticket.process, Ticket.title, Ticket.state)
    scope = (Ticket.deleted.is_(False), Ticket.owner_path.startswith(actor.org_path))
    rows = []
    if ticket.get("parent_id"):
        rows += [{**r._asdict(), "relation": "parent"}
                 for r in session.execute(select(*columns).where(Ticket.id == ticket["parent_id"], *scope))]
    children = session.execute(select(*columns).where(Ticket.parent_id == ticket["id"], *scope).order_by(Ticket.number))
    rows += [{**r._asdict(), "relation": "child"} for r in children]
    return rows


def _names(session: Session, ticket: dict[str, Any], proc: Any) -> dict[str, str]:
    """Readable names for every id or code the ticket and its history refer to."""
    refs: dict[str, set[str]] = {"user": set(), "team": set(), "ci": set(), "ticket": set(), "catalog": set()}
    refs["user"].update(e["author_id"] for e in ticket["entries"] if e.get("author_id"))
    names_in = (*proc.fields, "caller_id", "assignee_id", "team_id", "ci_id", "parent_id")
    for name in names_in:
        kind = field_type(proc, name)
        value = get_field(ticket, name)
        if not value:
            continue
        kind = "ci" if kind == "cis" else kind
        if kind in refs:
            refs[kind].update(map(str, value) if isinstance(value, list) else (str(value),))
    names: dict[str, str] = {}
    for u in session.execute(select(User.id, User.full_name, User.username).where(User.id.in_(refs["user"]))):
        names[u.id] = u.full_name or u.username
    for t in session.execute(select(Team.id, Team.name).where(Team.id.in_(refs["team"]))):
        names[t.id] = t.name
    for c in session.execute(select(ConfigItem.id, ConfigItem.name, ConfigItem.asset_tag)
                             .where(ConfigItem.id.in_(refs["ci"]))):
        names[c.id] = f"{c.name} ({c.asset_tag})" if c.asset_tag else c.name
    for k in session.execute(select(Ticket.id, Ticket.number, Ticket.title).where(Ticket.id.in_(refs["ticket"]))):
        names[k.id] = f"{k.number} {k.title}"
    for e in session.execute(select(CatalogEntry.code, CatalogEntry.name).where(
            CatalogEntry.code.in_(refs["catalog"]), CatalogEntry.deleted.is_(False))):
        names[e.code] = e.name
    return names


def search_cis(store: Store, actor: Actor, text: str, limit: int = 20) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = cmdb.list_cis(session, actor, limit=limit, text=text or None)
    return [{"id": r["id"], "text": f"{r['name']} ({r['asset_tag']})" if r.get("asset_tag") else r["name"]}
            for r in rows]


def load_options(store: Store, actor: Actor) -> Options:
    with store.read() as session:
        return options_for(session, actor)


def search_articles(store: Store, actor: Actor, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Published knowledge articles of the actor's unit, its subtree and its ancestors (HQ and province
    articles reach every county), by title, number or keyword."""
    with store.read() as session:
        stmt = select(Ticket).where(
            Ticket.process == "knowledge", Ticket.state == "published", Ticket.deleted.is_(False),
            or_(Ticket.owner_path.startswith(actor.org_path), Ticket.owner_path.in_(ancestors(actor.org_path))))
        if text.strip():
            stmt = stmt.where(or_(Ticket.title.icontains(text.strip(), autoescape=True),
                                  Ticket.number.icontains(text.strip(), autoescape=True),
                                  Ticket.category.icontains(text.strip(), autoescape=True)))
        rows = session.scalars(stmt.order_by(Ticket.number).limit(limit))
        return [{"id": t.id, "number": t.number, "title": t.title, "owner_path": t.owner_path,
                 "symptom": (t.data or {}).get("symptom", "")} for t in rows]
