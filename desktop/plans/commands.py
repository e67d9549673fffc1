"""Background work of the plans tab: each function opens its own session and returns plain data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from shared.models.org import OrgUnit
from shared.processes.calendar import CHINA
from shared.services import forms, plans, rooms
from shared.services.actor import Actor
from shared.services.errors import ServiceError
from shared.store import Store


def month(store: Store, actor: Actor, month_text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The plans in scope with their completion, and every occurrence in the month."""
    with store.read() as session:
        return plans.plan_summaries(session, actor), plans.occurrences(session, actor, month_text)


def choices(store: Store, actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """Templates, rooms and the org units a plan may target (the user's unit and those below it)."""
    with store.read() as session:
        units = [{"path": u.path, "name": u.name} for u in session.scalars(
            select(OrgUnit).where(OrgUnit.path.startswith(actor.org_path), OrgUnit.deleted.is_(False))
            .order_by(OrgUnit.path))]
        return {"templates": forms.list_templates(session), "rooms": rooms.list_rooms(session, actor),
                "units": units}


def fields_of(store: Store, actor: Actor, plan_id: str) -> dict[str, Any]:
    with store.read() as session:
        return {"id": plan_id, **plans.plan_fields(plans.load_plan(session, actor, plan_id))}


def save(store: Store, actor: Actor, plan_id: str | None, fields: dict[str, Any]) -> dict[str, Any]:
    """Create a plan (``plan_id`` None) or change a draft."""
    with store.write(actor.user_id) as cs:
        if plan_id:
            changes = {k: v for k, v in fields.items() if k in plans.EDITABLE_FIELDS}
            return plans.update_plan(cs, actor, plan_id, changes)
        values = dict(fields)
        return plans.create_plan(cs, actor, values.pop("name"), values.pop("template_code", None),
                                 values.pop("rule"), values.pop("start_on"), **values)


def transition(store: Store, actor: Actor, plan_id: str, action: str) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return plans.transition_plan(cs, actor, plan_id, action)


def today() -> date:
    """Plans run on the China calendar, whatever the machine's zone."""
    return datetime.now(CHINA).date()


def spawn(store: Store, actor: Actor, until: date) -> dict[str, Any]:
    """Spawn each plan with work due in its own transaction, so one broken plan does not stop the others:
    ``made`` (rows created) and ``failed`` ((plan number, plan name, the service error) each)."""
    actor.require_role("spawning planned work")
    with store.read() as session:
        due = plans.pending_plans(session, actor, until)
    made: list[dict[str, Any]] = []
    failed: list[tuple[str, str, ServiceError]] = []
    for plan in due:
        try:
            with store.write(actor.user_id) as cs:
                made.extend(plans.spawn_due(cs, actor, until, plan["id"]))
        except ServiceError as exc:
            failed.append((plan["number"], plan["name"], exc))
    return {"made": made, "failed": failed}
