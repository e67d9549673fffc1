"""Run a workflow action on a ticket: roles, conditions, required fields, guards, then the state
change and the definition's side effects, with one history line — all in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.tickets import Ticket
from shared.processes.definition import Process, Transition
from shared.processes.engine import (
    Lookup,
    RoleError,
    TransitionError,
    check_roles,
    find_transition,
    guard_failures,
    missing_required,
    process,
    resolve_target,
    unmet_conditions,
)
from shared.services import catalog
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid
from shared.services.tickets import _history, _load, split_fields
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict


def catalog_lookup(session: Session, org_path: str) -> Lookup:
    """(kind, code) → the data of the catalogue entry that applies at ``org_path`` (for guards)."""

    def lookup(kind: str, code: str) -> dict[str, Any] | None:
        entry = catalog.effective(session, org_path, kind, code)
        return dict(entry["data"] or {}) if entry is not None else None
    return lookup


def check_action(session: Session, actor: Actor, row: Ticket, action: str, values: dict[str, Any],
                 now: datetime) -> tuple[Process, Transition]:
    """Everything that may refuse an action, in the order a user can fix it; raises with the reason."""
    proc = process(row.process)
    try:
        t = find_transition(proc, action, row.state)
        check_roles(t, actor.roles)
    except RoleError as exc:
        raise Forbidden(str(exc)) from None
    except TransitionError as exc:
        raise Invalid(str(exc)) from None
    merged = {**row_to_dict(row), **values}
    unmet = unmet_conditions(t, merged)
    if unmet:
        raise Invalid(f"action {action} does not apply: {'; '.join(unmet)}")
    missing = missing_required(t, merged)
    if missing:
        labels = ", ".join(f"{proc.field_label(m, 'en')} ({m.removeprefix('data.')})" for m in missing)
        raise Invalid(f"action {action} needs: {labels}")
    failures = guard_failures(proc, t, merged, now, catalog_lookup(session, row.owner_path))
    if failures:
        raise Invalid(f"action {action} is not possible: {'; '.join(failures)}")
    return proc, t


def transition(cs: ChangeSet, actor: Actor, ticket_id: str, action: str,
               fields: dict[str, Any] | None = None, at: datetime | None = None) -> dict:
    """``at``: when it happened, if not now (imports, work recorded after the fact offline)."""
    row = _load(cs.session, actor, ticket_id)
    actor.require_role("working on a ticket")
    if row.deleted:
        raise Invalid(f"ticket {row.number} is deleted")
    now = at or utcnow()
    values = split_fields(fields or {}, row.data, process(row.process))
    proc, t = check_action(cs.session, actor, row, action, values, now)
    _apply(cs, actor, row, proc, t, values, now)
    return row_to_dict(row)


def _apply(cs: ChangeSet, actor: Actor, row: Ticket, proc: Process, t: Transition, values: dict[str, Any],
           now: datetime, note: str = "") -> None:
    before = row.state
    target = resolve_target(t, row_to_dict(row))
    data = dict(values.get("data", row.data) or {})
    line = proc.states[before].line if before in proc.states else None
    if line is not None and proc.states[before].phase == "open" and before not in ("new",):
        data["last_line"] = before
    effects = set(t.effects)
    if "remember_state" in effects:
        data["state_before_pending"] = before
    if "count_reopen" in effects:
        data["reopen_count"] = int(data.get("reopen_count") or 0) + 1
    if "bump_version" in effects:
        data["article_version"] = int(data.get("article_version") or 0) + 1
        data["published_at"] = now.isoformat()
    if action_is_arrival(t):
        data["arrived_at"] = now.isoformat()
    data["last_action"] = t.action  # lets the sync's state machine check the action, not just the states
    values["data"] = data
    values["state"] = target
    if "stamp_resolved" in effects:
        values["resolved_at"] = now
    if "stamp_closed" in effects:
        values["closed_at"] = now
    if "clear_resolved" in effects:
        values["resolved_at"] = None
    cs.update(row, values)
    detail: dict[str, Any] = {"from": before, "to": target}
    if note:
        detail["note"] = note
    if "bump_version" in effects:
        detail["article_version"] = data["article_version"]
        detail["text"] = {k: data.get(k) for k in ("symptom", "cause", "steps")} | {"title": row.title}
    _history(cs, row, actor, t.action, detail, now)
    if "resolve_children" in effects:
        _resolve_children(cs, actor, row, proc, now)


def action_is_arrival(t: Transition) -> bool:
    return t.action == "arrive"


def _resolve_children(cs: ChangeSet, actor: Actor, parent: Ticket, proc: Process, now: datetime) -> None:
    """A major incident's resolution resolves its open children (walking them through the legal
    actions, so every replica's state machine accepts the moves)."""
    children = cs.session.scalars(select(Ticket).where(Ticket.parent_id == parent.id, Ticket.deleted.is_(False)))
    for child in children:
        child_proc = process(child.process)
        for _ in range(4):  # new → line1 → resolved; pending → previous → resolved
            if child_proc.phase(child.state) == "done":
                break
            step = {"new": "accept", "pending": "resume", "dispatched": None}.get(child.state, "resolve")
            if step is None:
                break
            t = child_proc.find(step)
            if t is None or child.state not in t.sources:
                break
            data = dict(child.data or {})
            if step == "resolve":
                data.setdefault("resolution_code", (parent.data or {}).get("resolution_code", "other"))
                data.setdefault("solution", f"由父事件 {parent.number} 一并解决 / resolved with {parent.number}")
            _apply(cs, actor, child, child_proc, t, {"data": data}, now, note=f"parent {parent.number}")
