"""Reference fields of a ticket — a person, a team, a CI, another ticket — as people type them (a username, a
team's name, an asset tag, a ticket number) or as the row's id. The ticket services store what they are given
(ids: sync and imports hand them over as such, rows they name may not have reached this store); the edges where
people type — the CLI's ``--field`` and the desktop's forms — pass the fields through here first, and each given
reference becomes the id of a live row of this store, or the call is refused with one line.

Before, only the desktop resolved ticket numbers, and ``itops ticket … --field assignee_id=lh_tech`` stored
the text ``lh_tech`` as if it were an id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared.models.cmdb import ConfigItem
from shared.models.org import Team, User
from shared.models.tickets import Ticket
from shared.processes.engine import Process, process
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.services.tickets import get_ticket

# The ticket columns that hold references, typed like process fields (``type: user`` …).
COLUMN_TYPES = {"caller_id": "user", "team_id": "team", "assignee_id": "user", "ci_id": "ci", "parent_id": "ticket"}


def _user(session: Session, text: str) -> str | None:
    row = session.get(User, text) or session.scalar(select(User).where(User.username == text))
    return row.id if row is not None and not row.deleted else None


def _team(session: Session, text: str) -> str | None:
    row = session.get(Team, text)
    if row is None:
        found = session.scalars(select(Team).where(Team.name == text, Team.deleted.is_(False)).limit(2)).all()
        if len(found) > 1:
            raise Invalid(f"more than one team is called {text}: give its id")
        row = found[0] if found else None
    return row.id if row is not None and not row.deleted else None


def _ci(session: Session, text: str) -> str | None:
    row = session.get(ConfigItem, text) or session.scalar(
        select(ConfigItem).where(or_(ConfigItem.asset_tag == text, ConfigItem.serial == text),
                                 ConfigItem.deleted.is_(False)).limit(1))
    return row.id if row is not None and not row.deleted else None


def _ticket(session: Session, text: str) -> Ticket | None:
    row = session.get(Ticket, text) or session.scalar(
        select(Ticket).where(Ticket.number == text, Ticket.deleted.is_(False)))
    return row if row is not None and not row.deleted else None


def _definition(proc: Process, name: str) -> tuple[str | None, str]:
    """(type, ticket process wanted) of a field as callers name it: a column, ``key`` or ``data.key``."""
    key = name[5:] if name.startswith("data.") else name
    full = name if name in proc.fields or name in COLUMN_TYPES else f"data.{key}"
    if full in proc.fields:
        return proc.fields[full].type, proc.fields[full].process
    return COLUMN_TYPES.get(full), ""


def resolve_references(session: Session, proc: Process, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with every reference given as text turned into the referenced row's id."""
    result = dict(fields)
    for name, value in fields.items():
        kind, wanted = _definition(proc, name)
        if value in (None, "") or kind not in ("user", "team", "ci", "ticket"):
            continue
        text = str(value).strip()
        if kind == "ticket":
            row = _ticket(session, text)
            if row is None:
                raise Invalid(f"{name}: no ticket {text}")
            if wanted and row.process != wanted:
                raise Invalid(f"{name}: {row.number} is a {row.process}, not a {wanted}")
            result[name] = row.id
        elif kind == "user":
            if (user_id := _user(session, text)) is None:
                raise Invalid(f"{name}: no user {text}")
            result[name] = user_id
        elif kind == "team":
            if (team_id := _team(session, text)) is None:
                raise Invalid(f"{name}: no team {text}")
            result[name] = team_id
        else:
            if (ci_id := _ci(session, text)) is None:
                raise Invalid(f"{name}: no configuration item {text}")
            result[name] = ci_id
    return result


def typed_for_process(session: Session, process_code: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of a new ticket of ``process_code``, references resolved."""
    try:
        proc = process(process_code)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    return resolve_references(session, proc, fields)


def typed_for_ticket(session: Session, actor: Actor, ticket_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of an update or action on ``ticket_id`` (id or number), references resolved."""
    return resolve_references(session, process(get_ticket(session, actor, ticket_id)["process"]), fields)
