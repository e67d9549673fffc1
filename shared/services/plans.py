"""Plans (计划管理): recurring or one-off work that spawns form records on its due days, offline too.

Rules: ``daily``, ``weekly`` (``day`` = ISO weekday 1–7), ``monthly`` (``day`` of the month; 31 means
the last day in shorter months), ``quarterly`` (``day`` of the first month of each quarter),
``yearly`` (``day`` of the start month), ``once``. With ``working_days_only`` a due day that is a
public holiday or weekend (calendar CN, with 调休 make-up working days) moves to the next working
day; a daily plan skips non-working days instead. Each shift spawns its own record; the record id is
derived from (plan, day, shift) so two offline nodes spawning the same day converge on one row.

States: draft → review → published → active (after the first spawn) → completed | cancelled;
review → draft when rejected. Completion rate = records done on their day / records due (KPI).
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.forms import FormRecord, MachineRoom, Plan
from shared.processes.calendar import CHINA, is_working_day
from shared.services import forms
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

RULES = ("daily", "weekly", "monthly", "quarterly", "yearly", "once")
PLAN_TYPES = ("yearly", "monthly", "weekly", "adhoc")
TRANSITIONS = {"submit": ("draft", "review"), "approve": ("review", "published"), "reject": ("review", "draft"),
               "cancel": (None, "cancelled"), "close": (None, "completed")}
SPAWNING = ("published", "active")
DEFAULT_SHIFT = {"name": "", "at": "09:00"}


def _day(text: str | None, what: str) -> date | None:
    if text in (None, ""):
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise Invalid(f"{what} is a date like 2026-11-01 (got {text!r})") from None


def _shifts(shifts: list[Any] | None) -> list[dict[str, str]]:
    result = []
    for shift in shifts or [DEFAULT_SHIFT]:
        if isinstance(shift, str):
            name, _, at = shift.partition("@")
            shift = {"name": name.strip(), "at": (at or "09:00").strip()}
        try:
            time.fromisoformat(shift["at"])
        except (KeyError, ValueError, TypeError):
            raise Invalid(f"a shift is NAME@HH:MM (got {shift!r})") from None
        result.append({"name": str(shift.get("name", "")), "at": shift["at"]})
    if len({s["name"] for s in result}) != len(result):
        raise Invalid("shift names of a plan must differ")
    return result


def create_plan(cs: ChangeSet, actor: Actor, name: str, template_code: str, rule: str, start_on: str, *,
                day: int = 1, shifts: list[Any] | None = None, end_on: str | None = None, room_id: str | None = None,
                ci_id: str | None = None, plan_type: str = "monthly", category: str = "inspection",
                working_days_only: bool = False, assignee_id: str | None = None, team_id: str | None = None,
                description: str = "", affects_business: bool = False,
                owner_path: str | None = None) -> dict[str, Any]:
    if rule not in RULES:
        raise Invalid(f"a plan rule is one of {', '.join(RULES)}")
    if plan_type not in PLAN_TYPES:
        raise Invalid(f"a plan type is one of {', '.join(PLAN_TYPES)}")
    forms.get_template(cs.session, template_code)
    start, end = _day(start_on, "start"), _day(end_on, "end")
    if start is None:
        raise Invalid("a plan needs a start date")
    if end is not None and end < start:
        raise Invalid("a plan cannot end before it starts")
    limit = 7 if rule == "weekly" else 31
    if rule in ("weekly", "monthly", "quarterly", "yearly") and not 1 <= int(day) <= limit:
        raise Invalid(f"day of a {rule} plan is 1–{limit}")
    room = cs.session.get(MachineRoom, room_id) if room_id else None
    if room_id and (room is None or room.deleted):
        raise NotFound(f"no machine room {room_id}")
    owner = owner_path or (room.owner_path if room is not None else actor.org_path)
    actor.require_scope(owner)
    if not name.strip():
        raise Invalid("a plan needs a name")
    row = cs.create(Plan, owner, {
        "number": next_number(cs.session, "PLN"), "name": name.strip(), "plan_type": plan_type,
        "category": category, "template_code": template_code, "room_id": room_id, "ci_id": ci_id, "rule": rule,
        "day": int(day), "shifts": _shifts(shifts), "start_on": start.isoformat(),
        "end_on": end.isoformat() if end else None, "working_days_only": working_days_only, "state": "draft",
        "assignee_id": assignee_id, "team_id": team_id, "description": description,
        "affects_business": affects_business})
    return row_to_dict(row)


def load_plan(session: Session, actor: Actor, plan_id: str) -> Plan:
    row = session.get(Plan, plan_id) or session.scalar(select(Plan).where(Plan.number == plan_id))
    if row is None or row.deleted or not actor.can_see(row.owner_path):
        raise NotFound(f"no plan {plan_id}")
    return row


def transition_plan(cs: ChangeSet, actor: Actor, plan_id: str, action: str) -> dict[str, Any]:
    row = load_plan(cs.session, actor, plan_id)
    if action not in TRANSITIONS:
        raise Invalid(f"a plan action is one of {', '.join(TRANSITIONS)}")
    source, target = TRANSITIONS[action]
    if (source is not None and row.state != source) or row.state in ("cancelled", "completed"):
        raise Invalid(f"plan {row.number} is {row.state}; {action} is not possible")
    cs.update(row, {"state": target})
    return row_to_dict(row)


def list_plans(session: Session, actor: Actor) -> list[dict[str, Any]]:
    rows = session.scalars(select(Plan).where(Plan.owner_path.startswith(actor.org_path), Plan.deleted.is_(False))
                           .order_by(Plan.number))
    return [row_to_dict(r) for r in rows]


# -- schedule ------------------------------------------------------------------------------------
def _working(day: date, calendar: str) -> bool:
    return is_working_day(day, calendar)


def _next_working(day: date, calendar: str) -> date:
    while not _working(day, calendar):
        day += timedelta(days=1)
    return day


def _in_month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, month_calendar.monthrange(year, month)[1]))


def nominal_days(rule: str, day: int, start: date, first: date, last: date) -> list[date]:
    """The rule's days in [first, last] before any working-day shift."""
    if rule == "once":
        return [start] if first <= start <= last else []
    if rule == "daily":
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if rule == "weekly":
        offset = (day - 1 - first.weekday()) % 7
        return [first + timedelta(days=offset + 7 * i) for i in range(((last - first).days - offset) // 7 + 1)
                if offset + 7 * i <= (last - first).days]
    months = {"monthly": range(1, 13), "quarterly": (1, 4, 7, 10), "yearly": (start.month,)}[rule]
    result = []
    for year in range(first.year - 1, last.year + 1):  # a year back: a shifted day may land in range
        for month in months:
            candidate = _in_month(year, month, day)
            if first - timedelta(days=14) <= candidate <= last:
                result.append(candidate)
    return result


def due_days(plan: Plan | dict[str, Any], first: date, last: date, calendar: str = "CN") -> list[date]:
    """The plan's due days in [first, last], within its start and end."""
    def get(key: str) -> Any:
        return plan[key] if isinstance(plan, dict) else getattr(plan, key)

    start = date.fromisoformat(get("start_on"))
    end = date.fromisoformat(get("end_on")) if get("end_on") else None
    first, last = max(first, start), min(last, end) if end else last
    if first > last:
        return []
    result: set[date] = set()
    for day in nominal_days(get("rule"), int(get("day")), start, first, last):
        if get("working_days_only"):
            if get("rule") == "daily":
                if not _working(day, calendar):
                    continue
            else:
                day = _next_working(day, calendar)
        if first <= day <= last:
            result.add(day)
    return sorted(result)


def _planned_at(day: date, at: str) -> datetime:
    """A China wall-clock time on ``day`` as an aware UTC datetime."""
    return datetime.combine(day, time.fromisoformat(at), tzinfo=CHINA).astimezone(UTC)


def spawn_due(cs: ChangeSet, actor: Actor, until: date, plan_id: str | None = None,
              since: date | None = None) -> list[dict[str, Any]]:
    """Create the form records of every spawning plan due up to ``until`` that do not exist yet.

    Runs on any node, offline too; records already spawned (here or elsewhere, by sync) are skipped.
    """
    plans = [load_plan(cs.session, actor, plan_id)] if plan_id else list(cs.session.scalars(
        select(Plan).where(Plan.owner_path.startswith(actor.org_path), Plan.deleted.is_(False),
                           Plan.state.in_(SPAWNING))))
    made = []
    for plan in plans:
        if plan.state not in SPAWNING:
            raise Invalid(f"plan {plan.number} is {plan.state}; only a published plan spawns work")
        first = since or date.fromisoformat(plan.start_on)
        for day in due_days(plan, first, until):
            for shift in plan.shifts or [DEFAULT_SHIFT]:
                record_id = forms.record_id_for(plan.id, day.isoformat(), shift["name"])
                if cs.session.get(FormRecord, record_id) is not None:
                    continue
                made.append(forms.create_record(
                    cs, actor, plan.template_code, room_id=plan.room_id, ci_id=plan.ci_id,
                    planned_at=_planned_at(day, shift["at"]), plan_id=plan.id, shift=shift["name"],
                    owner_path=plan.owner_path, executor_id=plan.assignee_id, record_id=record_id))
        if plan.state == "published" and made:
            cs.update(plan, {"state": "active"})
    return made


def completion(session: Session, actor: Actor, plan_id: str, until: date | None = None) -> dict[str, Any]:
    """计划完成率 = records completed by the end of their planned day / records due up to ``until``."""
    plan = load_plan(session, actor, plan_id)
    until = until or datetime.now(CHINA).date()
    due = done = on_time = 0
    for record in session.scalars(select(FormRecord).where(FormRecord.plan_id == plan.id,
                                                          FormRecord.deleted.is_(False))):
        if record.planned_at is None or record.planned_at.astimezone(CHINA).date() > until:
            continue
        due += 1
        if record.state in ("completed", "reviewed"):
            done += 1
            finished = record.completed_at
            if finished is not None and finished.astimezone(CHINA).date() <= record.planned_at.astimezone(CHINA).date():
                on_time += 1
    return {"plan": plan.number, "due": due, "done": done, "on_time": on_time,
            "rate": round(100.0 * on_time / due, 1) if due else None}


def plan_calendar(session: Session, actor: Actor, month: str) -> dict[str, list[dict[str, Any]]]:
    """Per day of the month: the records of every plan in scope (number, plan, state, room)."""
    start, end = forms.month_bounds(month)
    rows = session.scalars(select(FormRecord).where(
        FormRecord.owner_path.startswith(actor.org_path), FormRecord.deleted.is_(False),
        FormRecord.plan_id.is_not(None), FormRecord.planned_at >= start, FormRecord.planned_at < end)
        .order_by(FormRecord.planned_at))
    plans = {p.id: p for p in session.scalars(select(Plan).where(Plan.owner_path.startswith(actor.org_path)))}
    today = datetime.now(CHINA).date()
    result: dict[str, list[dict[str, Any]]] = {}
    for record in rows:
        assert record.planned_at is not None
        day = record.planned_at.astimezone(CHINA).date()
        status = "done" if record.state in ("completed", "reviewed") else ("overdue" if day < today else "due")
        plan = plans.get(record.plan_id or "")
        result.setdefault(day.isoformat(), []).append({
            "record_id": record.id, "number": record.number, "template_code": record.template_code,
            "plan": plan.name if plan else "", "shift": record.shift, "state": record.state, "status": status})
    return result
