"""Saved filters: a person names the current filter of a list (the ticket list, the CI list), finds it again
in a drop-down, applies, renames and deletes it — on every device of their unit (the rows sync; see
``shared.models.saved_filters``). Only the owner reads or changes their filters.

A filter is stored as the list's query: a flat mapping of plain values (process, state, text, sort …),
so a list that learns a new filter field needs no migration; unknown keys are ignored when applied.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.saved_filters import SavedFilter
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.sync.capture import ChangeSet

LISTS = ("tickets", "cis")
NAME_MAX = 100
SCALARS = (str, int, float, bool, type(None))


def _person(actor: Actor) -> str:
    if not actor.user_id:
        raise Forbidden("saved filters belong to a person: sign in as a user")
    return actor.user_id


def _list_key(list_key: str) -> str:
    if list_key not in LISTS:
        raise Invalid(f"unknown list {list_key!r} (one of: {', '.join(LISTS)})")
    return list_key


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Invalid("a saved filter needs a name")
    if len(name) > NAME_MAX:
        raise Invalid(f"a saved filter's name has at most {NAME_MAX} characters")
    return name


def _query(query: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(query, dict) or not all(isinstance(k, str) for k in query):
        raise Invalid("a filter is a mapping of field names to values")
    bad = [k for k, v in query.items() if not isinstance(v, SCALARS)]
    if bad:
        raise Invalid(f"filter values must be plain text, numbers or yes/no (not: {', '.join(sorted(bad))})")
    return dict(query)


def _as_dict(row: SavedFilter) -> dict[str, Any]:
    return {"id": row.id, "list": row.list_key, "name": row.name, "query": dict(row.query or {}),
            "updated_at": row.updated_at}


def _mine(session: Session, actor: Actor, list_key: str) -> Any:
    return select(SavedFilter).where(SavedFilter.user_id == _person(actor), SavedFilter.list_key == list_key,
                                     SavedFilter.deleted.is_(False))


def _named(session: Session, actor: Actor, list_key: str, name: str) -> SavedFilter | None:
    return session.scalars(_mine(session, actor, list_key).where(SavedFilter.name == name)
                           .order_by(SavedFilter.created_at, SavedFilter.id)).first()


def _get(session: Session, actor: Actor, filter_id: str) -> SavedFilter:
    row = session.get(SavedFilter, filter_id)
    if row is None or row.deleted or row.user_id != _person(actor):
        raise NotFound(f"no saved filter {filter_id}")  # another person's filter is not theirs to see
    return row


def list_filters(session: Session, actor: Actor, list_key: str) -> list[dict[str, Any]]:
    """The actor's saved filters of a list, by name."""
    stmt = _mine(session, actor, _list_key(list_key)).order_by(SavedFilter.name, SavedFilter.id)
    return [_as_dict(r) for r in session.scalars(stmt)]


def get_filter(session: Session, actor: Actor, filter_id: str) -> dict[str, Any]:
    return _as_dict(_get(session, actor, filter_id))


def save_filter(cs: ChangeSet, actor: Actor, list_key: str, name: str, query: dict[str, Any]) -> dict[str, Any]:
    """Save ``query`` under ``name``; a filter of that name is overwritten (saving again updates it)."""
    list_key, name, query = _list_key(list_key), _name(name), _query(query)
    row = _named(cs.session, actor, list_key, name)
    if row is None:
        row = cs.create(SavedFilter, actor.org_path, {"user_id": _person(actor), "list_key": list_key, "name": name,
                                                      "query": query})
    elif dict(row.query or {}) != query:
        cs.update(row, {"query": query})
    return _as_dict(row)


def rename_filter(cs: ChangeSet, actor: Actor, filter_id: str, name: str) -> dict[str, Any]:
    row = _get(cs.session, actor, filter_id)
    name = _name(name)
    other = _named(cs.session, actor, row.list_key, name)
    if other is not None and other.id != row.id:
        raise Invalid(f"you already have a saved filter named {name!r}")
    if row.name != name:
        cs.update(row, {"name": name})
    return _as_dict(row)


def delete_filter(cs: ChangeSet, actor: Actor, filter_id: str) -> None:
    cs.delete(_get(cs.session, actor, filter_id))
