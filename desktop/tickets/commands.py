"""Write operations of the tickets area. They run in workers, each in one store transaction."""

from __future__ import annotations

import re
from typing import Any

from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.services.tickets import create_ticket, transition
from shared.store import Store

NEEDS_RE = re.compile(r"^action (?P<action>\S+) needs: (?P<fields>.+)$")


def create(store: Store, actor: Actor, process_code: str, title: str,
           fields: dict[str, Any]) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return create_ticket(cs, actor, process_code, title, fields)


def run_action(store: Store, actor: Actor, ticket_id: str, action: str,
               fields: dict[str, Any] | None = None) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return transition(cs, actor, ticket_id, action, fields)


def missing_fields(exc: BaseException) -> list[str]:
    """The field names of the service's ``Invalid("action X needs: a, b")``, else []."""
    if not isinstance(exc, Invalid):
        return []
    match = NEEDS_RE.match(str(exc))
    if match is None:
        return []
    return [name.strip() for name in match.group("fields").split(",") if name.strip()]
