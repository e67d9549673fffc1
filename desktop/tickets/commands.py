"""Write operations of the tickets area. They run in workers, each in one store transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.tickets.fields import field_type
from shared.models.tickets import Ticket
from shared.processes.engine import process
from shared.services import links
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.services.tickets import create_ticket, get_ticket, transition, update_ticket
from shared.store import Store


def resolve_ticket_refs(session: Session, actor: Actor, process_code: str,
                        fields: dict[str, Any]) -> dict[str, Any]:
    """Fields of type ``ticket`` are typed as numbers; the services store the ticket's id."""
    proc = process(process_code)
    result = dict(fields)
    for name, value in fields.items():
        if field_type(proc, name) != "ticket" or value in (None, ""):
            continue
        text = str(value).strip()
        row = session.get(Ticket, text) or session.scalar(
            select(Ticket).where(Ticket.number == text, Ticket.deleted.is_(False)))
        if row is None:
            raise Invalid(f"no ticket {text}")
        wanted = proc.fields[name].process if name in proc.fields else ""
        if wanted and row.process != wanted:
            raise Invalid(f"{text} is a {row.process}, not a {wanted}")
        result[name] = row.id
    return result


def create(store: Store, actor: Actor, process_code: str, title: str, fields: dict[str, Any],
           link_to: list[str] | None = None) -> dict[str, Any]:
    """A new ticket; ``link_to`` (ids or numbers) are linked in the same transaction (a problem
    made from a proposal gets its incidents)."""
    with store.write(actor.user_id) as cs:
        fields = resolve_ticket_refs(cs.session, actor, process_code, fields)
        row = create_ticket(cs, actor, process_code, title, fields)
        for other in link_to or ():
            links.link(cs, actor, row["id"], other)
        return row


def run_action(store: Store, actor: Actor, ticket_id: str, action: str,
               fields: dict[str, Any] | None = None) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        code = get_ticket(cs.session, actor, ticket_id)["process"]
        return transition(cs, actor, ticket_id, action, resolve_ticket_refs(cs.session, actor, code, fields or {}))


def update(store: Store, actor: Actor, ticket_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        code = get_ticket(cs.session, actor, ticket_id)["process"]
        return update_ticket(cs, actor, ticket_id, resolve_ticket_refs(cs.session, actor, code, fields))


def link(store: Store, actor: Actor, ticket_id: str, other: str) -> dict[str, Any]:
    if not other.strip():
        raise Invalid("enter the number of the ticket to link")
    with store.write(actor.user_id) as cs:
        return links.link(cs, actor, ticket_id, other.strip())


def solved_with_article(store: Store, actor: Actor, ticket_id: str, article_id: str) -> dict[str, Any]:
    """Record the article on the incident (``data.knowledge_id``) and link the two when the article is
    in the actor's scope (an article of an ancestor unit cannot be linked by the services yet)."""
    with store.write(actor.user_id) as cs:
        article = cs.session.get(Ticket, article_id)
        if article is None or article.process != "knowledge" or article.state != "published":
            raise Invalid("choose a published knowledge article")
        row = update_ticket(cs, actor, ticket_id, {"data.knowledge_id": article.id})
        if actor.can_see(article.owner_path):
            links.link(cs, actor, ticket_id, article.id)
        return row
