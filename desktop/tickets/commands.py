"""Write operations of the tickets area. They run in workers, each in one store transaction."""

from __future__ import annotations

from typing import Any

from shared.models.tickets import Ticket
from shared.services import links
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.services.references import typed_for_process, typed_for_ticket
from shared.services.tickets import create_ticket, transition, update_ticket
from shared.store import Store


def create(store: Store, actor: Actor, process_code: str, title: str, fields: dict[str, Any],
           link_to: list[str] | None = None) -> dict[str, Any]:
    """A new ticket; ``link_to`` (ids or numbers) are linked in the same transaction (a problem
    made from a proposal gets its incidents)."""
    with store.write(actor.user_id) as cs:  # references typed as text (ticket numbers …) become ids
        row = create_ticket(cs, actor, process_code, title, typed_for_process(cs.session, process_code, fields))
        for other in link_to or ():
            links.link(cs, actor, row["id"], other)
        return row


def run_action(store: Store, actor: Actor, ticket_id: str, action: str,
               fields: dict[str, Any] | None = None) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return transition(cs, actor, ticket_id, action, typed_for_ticket(cs.session, actor, ticket_id, fields or {}))


def update(store: Store, actor: Actor, ticket_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return update_ticket(cs, actor, ticket_id, typed_for_ticket(cs.session, actor, ticket_id, fields))


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
