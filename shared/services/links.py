"""Links between tickets (problem ↔ incidents, change ↔ problem, release ↔ changes, ticket → knowledge
article). A link is an append-only ticket entry with a deterministic id, so two offline nodes making
the same link converge to one row."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.tickets import Ticket, TicketEntry
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.services.tickets import _load, readable
from shared.sync.capture import ChangeSet

LINK_NAMESPACE = uuid.UUID("9d3c7e1a-4b2f-4e8d-a6c5-1f0e2d3b4a59")
# which processes may link to which (either direction)
ALLOWED = {frozenset({"problem", "incident"}), frozenset({"problem", "change"}), frozenset({"change", "incident"}),
           frozenset({"release", "change"}), frozenset({"knowledge", "incident"}), frozenset({"knowledge", "problem"}),
           frozenset({"knowledge", "request"}), frozenset({"incident"})}


def link_id(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return str(uuid.uuid5(LINK_NAMESPACE, f"{first}|{second}"))


def link(cs: ChangeSet, actor: Actor, ticket_id: str, other_id: str, note: str = "") -> dict[str, Any]:
    # the link belongs to the first ticket (which must be ours); the other may be an article from above
    a, b = _load(cs.session, actor, ticket_id), _load(cs.session, actor, other_id, write=False)
    actor.require_role("linking tickets")
    if a.id == b.id:
        raise Invalid("a ticket cannot be linked to itself")
    if frozenset({a.process, b.process}) not in ALLOWED:
        raise Invalid(f"a {a.process} cannot be linked to a {b.process}")
    lid = link_id(a.id, b.id)
    if cs.session.get(TicketEntry, lid) is None:
        cs.append(TicketEntry, a.owner_path, {
            "ticket_id": a.id, "kind": "link", "body": note, "author_id": actor.user_id,
            "data": {"target_id": b.id, "target_number": b.number, "target_process": b.process}}, row_id=lid)
    return {"id": lid, "from": a.number, "to": b.number}


def linked(session: Session, actor: Actor, ticket_id: str) -> list[dict[str, Any]]:
    """Tickets linked to this one, in either direction."""
    row = _load(session, actor, ticket_id, write=False)
    links = TicketEntry.kind == "link"  # repeats the partial index's condition: only link entries are read
    outgoing = session.scalars(select(TicketEntry.data).where(links, TicketEntry.ticket_id == row.id))
    incoming = session.scalars(select(TicketEntry.ticket_id).where(
        links, TicketEntry.data["target_id"].as_string() == row.id))
    others = {data["target_id"] for data in outgoing} | set(incoming)
    result = []
    for other in sorted(others):
        t = session.get(Ticket, other)
        if t is not None and readable(actor, t) and not t.deleted:
            result.append({"id": t.id, "number": t.number, "process": t.process, "title": t.title, "state": t.state})
    return sorted(result, key=lambda r: (r["process"], r["number"]))
