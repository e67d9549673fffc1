"""Write operations of the service-management area. They run in workers, each in one store transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.services import capacity, catalog
from shared.services.actor import Actor
from shared.store import Store

ENTRY_CHANGES = frozenset({"catalog_entries"})
READING_CHANGES = frozenset({"measurements"})


def save_entry(store: Store, actor: Actor, kind: str, entry_id: str | None, values: dict[str, Any]) -> dict[str, Any]:
    """Create (no id) or update an entry. ``values``: code, name, name_en, owner_path, active, data."""
    with store.write(actor.user_id) as cs:
        if entry_id is None:
            return catalog.create_entry(cs, actor, kind, values["code"], values["name"], values["data"],
                                        owner_path=values.get("owner_path"), name_en=values.get("name_en", ""))
        fields: dict[str, Any] = {"name": values["name"], "name_en": values.get("name_en", ""),
                                  "active": values.get("active", True)}
        fields.update(values["data"])
        return catalog.update_entry(cs, actor, entry_id, fields)


def delete_entry(store: Store, actor: Actor, entry_id: str) -> None:
    with store.write(actor.user_id) as cs:
        catalog.delete_entry(cs, actor, entry_id)


def record_reading(store: Store, actor: Actor, ci_id: str, metric: str, value: float,
                   at: datetime | None = None) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return capacity.record(cs, actor, ci_id, metric, value, at, source="manual")
