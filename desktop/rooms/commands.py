"""Background work of the rooms area (own sessions, plain data)."""

from __future__ import annotations

from typing import Any

from shared.services import rooms
from shared.services.actor import Actor
from shared.store import Store


def list_rooms(store: Store, actor: Actor) -> list[dict[str, Any]]:
    with store.read() as session:
        return rooms.list_rooms(session, actor)


def load_room(store: Store, actor: Actor, room_id: str, month: str) -> dict[str, Any]:
    with store.read() as session:
        details = rooms.room_details(session, actor, room_id)
        details["duty"] = rooms.duty_log(session, actor, room_id)
        details["access"] = rooms.access_register(session, actor, room_id)
        details["readings"] = rooms.readings(session, actor, room_id)
        details["calendar"] = rooms.inspection_calendar(session, actor, room_id, month)
        return details


def write(store: Store, actor: Actor, fn: Any, *args: Any, **kwargs: Any) -> Any:
    with store.write(actor.user_id) as cs:
        return fn(cs, actor, *args, **kwargs)
