"""Tickets of every process: create, update, transition, show, list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from shared import audit
from shared.db.types import utcnow
from shared.models.tickets import Ticket, TicketEntry
from shared.processes.definition import Process
from shared.processes.engine import TransitionError, available_actions, coerce_field, priority_for, process
from shared.processes.sla import event_time
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict
from shared.sync.scope import ancestors

COLUMNS = ("title", "description", "impact", "urgency", "category", "origin", "caller_id", "team_id",
           "assignee_id", "ci_id", "parent_id")
INT_COLUMNS = ("impact", "urgency")
READ_ONLY = ("priority", "state", "number", "process")


def split_fields(fields: dict[str, Any], current_data: dict[str, Any] | None = None,
                 proc: Process | None = None) -> dict[str, Any]:
    """``{"title": …, "pending_reason": …}`` → column values plus a merged ``data`` document, each value
    checked and typed by the process definition's field (a choice must be one of its values)."""
    values: dict[str, Any] = {}
    data = dict(current_data or {})
    touched_data = False
    for name, value in fields.items():
        if name in READ_ONLY:
            raise Invalid(f"{name} cannot be set directly" + (
                " (it follows from impact × urgency)" if name == "priority" else " (use a transition)"))
        key = name[5:] if name.startswith("data.") else name
        if proc is not None:
            full = name if name in COLUMNS else f"data.{key}"
            try:
                value = coerce_field(proc, full, value)
            except TransitionError as exc:
                raise Invalid(str(exc)) from None
        if name in COLUMNS:
            if name in INT_COLUMNS:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    raise Invalid(f"{name} must be 1, 2 or 3") from None
            values[name] = value if value != "" else (None if name.endswith("_id") else value)
        else:
            data[key] = value
            touched_data = True
    if touched_data:
        values["data"] = data
    return values


def create_ticket(cs: ChangeSet, actor: Actor, process_code: str, title: str,
                  fields: dict[str, Any] | None = None, owner_path: str | None = None,
                  at: datetime | None = None) -> dict:
    """``at``: when it was logged, if not now (imports, tickets written down after the fact)."""
    try:
        proc = process(process_code)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if not title.strip():
        raise Invalid("a ticket needs a title")
    owner = owner_path or actor.org_path
    actor.require_scope(owner)
    values = split_fields({"title": title.strip(), **(fields or {})}, proc=proc)
    values.setdefault("impact", 3)
    values.setdefault("urgency", 3)
    try:
        values["priority"] = priority_for(values["impact"], values["urgency"])
    except TransitionError as exc:
        raise Invalid(str(exc)) from None
    values.update(process=proc.code, state=proc.initial, number=next_number(cs.session, proc.prefix),
                  opened_at=at or utcnow())
    values.setdefault("caller_id", actor.user_id)
    row = cs.create(Ticket, owner, values)
    _history(cs, row, actor, "created", {"state": proc.initial}, at)
    return row_to_dict(row)


# Published by an ancestor office and readable (not writable) below it: knowledge articles.
SHARED_DOWNWARD = ("knowledge",)


def readable(actor: Actor, row: Ticket) -> bool:
    return actor.can_see(row.owner_path) or (
        row.process in SHARED_DOWNWARD and row.owner_path in ancestors(actor.org_path))


def _load(session: Session, actor: Actor, ticket_id: str, write: bool = True) -> Ticket:
    row = session.get(Ticket, ticket_id)
    if row is None:
        row = session.scalar(select(Ticket).where(Ticket.number == ticket_id))
    if row is None or not readable(actor, row):
        raise NotFound(f"no ticket {ticket_id}")
    if write and not actor.can_see(row.owner_path):
        raise Forbidden(f"{row.number} belongs to {row.owner_path}: it can be read here but changed only there")
    return row


def update_ticket(cs: ChangeSet, actor: Actor, ticket_id: str, fields: dict[str, Any]) -> dict:
    row = _load(cs.session, actor, ticket_id)
    actor.require_role("changing a ticket")
    if row.deleted:
        raise Invalid(f"ticket {row.number} is deleted")
    values = split_fields(fields, row.data, process(row.process))
    if "impact" in values or "urgency" in values:
        try:
            values["priority"] = priority_for(values.get("impact", row.impact),
                                              values.get("urgency", row.urgency))
        except TransitionError as exc:
            raise Invalid(str(exc)) from None
    before = dict(row.data or {})
    changes = cs.update(row, values)
    if changes:
        _history(cs, row, actor, "updated", _changed(changes, before, row.data or {}))
    return row_to_dict(row)


def _changed(changes: dict[str, Any], before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What an update changed, with data keys one by one (not the whole document)."""
    detail = {f: c[1] for f, c in changes.items() if f != "data"}
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            detail[f"data.{key}"] = after.get(key)
    return detail


def delete_ticket(cs: ChangeSet, actor: Actor, ticket_id: str) -> None:
    row = _load(cs.session, actor, ticket_id)
    actor.require_role("deleting a ticket")
    cs.delete(row)
    audit.record(cs, actor, "deleted", f"tickets/{row.id}", {"number": row.number, "title": row.title})


def restore_ticket(cs: ChangeSet, actor: Actor, ticket_id: str) -> dict:
    row = _load(cs.session, actor, ticket_id)
    actor.require_role("restoring a ticket")
    cs.restore(row)
    audit.record(cs, actor, "restored", f"tickets/{row.id}", {"number": row.number})
    return row_to_dict(row)


def _history(cs: ChangeSet, row: Ticket, actor: Actor, what: str, detail: dict[str, Any],
             at: datetime | None = None) -> None:
    """One append-only history line; ``at`` is when it happened here (SLA clocks read it)."""
    cs.append(TicketEntry, row.owner_path, {
        "ticket_id": row.id, "kind": "history", "body": what, "author_id": actor.user_id,
        "data": {"detail": detail, "hlc": row.hlc, "at": (at or utcnow()).isoformat()},
    })


def get_ticket(session: Session, actor: Actor, ticket_id: str) -> dict:
    row = _load(session, actor, ticket_id, write=False)
    result = row_to_dict(row)
    entries = [row_to_dict(e) for e in session.scalars(select(TicketEntry).where(TicketEntry.ticket_id == row.id))]
    # in the order things happened (event time; imported and offline history carry theirs), then by HLC
    result["entries"] = sorted(entries, key=lambda e: (event_time(e), str(e.get("hlc") or "")))
    result["actions"] = [t.action for t in available_actions(process(row.process), row.state, actor.roles, result)
                         ] if actor.can_see(row.owner_path) else []
    return result


def list_tickets(session: Session, actor: Actor, process_code: str | None = None, state: str | None = None,
                 limit: int | None = 50, offset: int = 0, include_deleted: bool = False) -> list[dict]:
    mine = Ticket.owner_path.startswith(actor.org_path)
    if process_code in SHARED_DOWNWARD:  # and what the offices above publish
        mine = or_(mine, and_(Ticket.owner_path.in_(ancestors(actor.org_path)), Ticket.state == "published"))
    stmt = select(Ticket).where(mine)
    if not include_deleted:
        stmt = stmt.where(Ticket.deleted.is_(False))
    if process_code:
        stmt = stmt.where(Ticket.process == process_code)
    if state:
        stmt = stmt.where(Ticket.state == state)
    stmt = stmt.order_by(Ticket.opened_at.desc(), Ticket.number.desc()).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [row_to_dict(r) for r in session.scalars(stmt)]


def count_tickets(session: Session, actor: Actor) -> int:
    return int(session.scalar(select(func.count()).select_from(Ticket)
                              .where(Ticket.owner_path.startswith(actor.org_path),
                                     Ticket.deleted.is_(False))) or 0)


def transition(cs: ChangeSet, actor: Actor, ticket_id: str, action: str,
               fields: dict[str, Any] | None = None, at: datetime | None = None) -> dict:
    """Run a workflow action (see shared/services/transitions.py)."""
    from shared.services.transitions import transition as run

    return run(cs, actor, ticket_id, action, fields, at)
