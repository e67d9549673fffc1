"""Plans (计划管理): recurring or one-off work that spawns form records or tasks on its due days, offline too.

Kinds: a ``form`` plan names an SOP template (and a room or CI) and spawns form records; a ``task``
plan names a title and content (培训, 应急演练, a province's yearly cabling check for its counties,
backup checks) and target org units (the plan's own unit by default, or units below it) and spawns
one task (shared/services/tasks.py) per occurrence, issued by the plan's unit to every target.

Rules: ``daily``, ``weekly`` (``day`` = ISO weekday 1–7), ``monthly`` (``day`` of the month; 31 means
the last day in shorter months), ``quarterly`` (``day`` of the first month of each quarter),
``yearly`` (``day`` of the start month), ``once``. With ``working_days_only`` a due day that is a
public holiday or weekend (calendar CN, with 调休 make-up working days) moves to the next working
day; a daily plan skips non-working days instead.

Idempotent, convergent spawning: ids are derived, never random. A form record's id comes from
(plan, day, shift); a task's from (plan, day) and each receiver's assignment from (task, receiver),
so two offline nodes spawning the same occurrence converge on one row each after sync. A task's
deadline is the end of its due day plus the plan's ``deadline_days`` (moved to a working day when
the plan keeps to working days).

States: draft → review → published → active (after the first spawn) → completed | cancelled;
review → draft when rejected. Only a draft is edited.

Completion rate (计划完成率, KPI) = items done on time / items due. A form plan's item is one record,
due from its planned day, on time when completed (or reviewed) by the end of that day. A task
plan's item is one receiver of one occurrence (a province plan for 10 counties has 10 items an
occurrence, so each county's lateness counts and the figure rolls up as a sum): due once its
deadline has passed (or once done, if earlier), done when that receiver's work is submitted or
approved (a returned submission is not done until submitted again), on time when the accepted
submission came by the deadline. An occurrence nobody spawned yet counts as not done.
"""

from __future__ import annotations

import calendar as month_calendar
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.forms.yamllines import TemplateError
from shared.models.forms import FormRecord, MachineRoom, Plan
from shared.models.org import OrgUnit
from shared.models.work import Task
from shared.processes.calendar import CHINA, is_working_day
from shared.services import forms, tasks
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict
from shared.sync.node import in_subtree

KINDS = ("form", "task")
RULES = ("daily", "weekly", "monthly", "quarterly", "yearly", "once")
PLAN_TYPES = ("yearly", "monthly", "weekly", "adhoc")
TRANSITIONS = {"submit": ("draft", "review"), "approve": ("review", "published"), "reject": ("review", "draft"),
               "cancel": (None, "cancelled"), "close": (None, "completed")}
APPROVERS = ("approver", "duty_lead", "admin")  # who may approve or reject a plan
SPAWNING = ("published", "active")
SCHEDULED = ("published", "active", "completed")  # plans whose occurrences a calendar shows
DEFAULT_SHIFT = {"name": "", "at": "09:00"}
DONE_RECORD = ("completed", "reviewed")
PLAN_NAMESPACE = uuid.UUID("9a3e1d4c-7b2f-4c1e-8f0a-6d5b2c9e1f73")


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


def task_id_for(plan_id: str, day: str) -> str:
    """A task plan spawns its occurrence of ``day`` with this id (receivers' assignments follow from it)."""
    return str(uuid.uuid5(PLAN_NAMESPACE, f"task|{plan_id}|{day}"))


def _targets(session: Session, owner: str, targets: list[str] | None) -> list[str]:
    paths = sorted({t if t.endswith("/") else t + "/" for t in (targets or []) if t.strip()}) or [owner]
    for path in paths:
        if not in_subtree(path, owner):
            raise Invalid(f"{path} is not the plan's unit {owner} or a unit below it")
        if session.scalar(select(OrgUnit.id).where(OrgUnit.path == path, OrgUnit.deleted.is_(False))) is None:
            raise Invalid(f"no org unit {path}")
    return paths


def _values(session: Session, actor: Actor, fields: dict[str, Any], owner: str | None) -> tuple[str, dict[str, Any]]:
    """Check a plan's fields; return its owner and its column values."""
    kind, rule = fields.get("kind") or "form", fields["rule"]
    if kind not in KINDS:
        raise Invalid(f"a plan kind is one of {', '.join(KINDS)}")
    if rule not in RULES:
        raise Invalid(f"a plan rule is one of {', '.join(RULES)}")
    if fields.get("plan_type", "monthly") not in PLAN_TYPES:
        raise Invalid(f"a plan type is one of {', '.join(PLAN_TYPES)}")
    if not str(fields.get("name") or "").strip():
        raise Invalid("a plan needs a name")
    start, end = _day(fields.get("start_on"), "start"), _day(fields.get("end_on"), "end")
    if start is None:
        raise Invalid("a plan needs a start date")
    if end is not None and end < start:
        raise Invalid("a plan cannot end before it starts")
    day = int(fields.get("day") or 1)
    limit = 7 if rule == "weekly" else 31
    if rule in ("weekly", "monthly", "quarterly", "yearly") and not 1 <= day <= limit:
        raise Invalid(f"day of a {rule} plan is 1–{limit}")
    room_id = fields.get("room_id") or None
    room = session.get(MachineRoom, room_id) if room_id else None
    if room_id and (room is None or room.deleted):
        raise NotFound(f"no machine room {room_id}")
    owner = owner or fields.get("owner_path") or (room.owner_path if room is not None else actor.org_path)
    actor.require_scope(owner)
    values: dict[str, Any] = {
        "name": str(fields["name"]).strip(), "kind": kind, "rule": rule, "day": day,
        "plan_type": fields.get("plan_type", "monthly"), "category": fields.get("category") or "inspection",
        "start_on": start.isoformat(), "end_on": end.isoformat() if end else None,
        "working_days_only": bool(fields.get("working_days_only")), "assignee_id": fields.get("assignee_id"),
        "team_id": fields.get("team_id"), "description": fields.get("description") or "",
        "affects_business": bool(fields.get("affects_business"))}
    if kind == "form":
        if not fields.get("template_code"):
            raise Invalid("a form plan needs a template (SOP-01 … SOP-11)")
        forms.get_template(session, fields["template_code"])
        values.update(template_code=fields["template_code"], room_id=room_id, ci_id=fields.get("ci_id"),
                      shifts=_shifts(fields.get("shifts")), targets=[], data={})
        return owner, values
    if room_id:
        raise Invalid("a task plan targets org units, not a room")
    source = fields.get("source") or "special"
    if source not in tasks.SOURCES:
        raise Invalid(f"source must be one of {', '.join(tasks.SOURCES)}")
    deadline_days = int(fields.get("deadline_days") or 0)
    if not 0 <= deadline_days <= 366:
        raise Invalid("a task plan's deadline is 0–366 days after its due day")
    deliverables = [str(d).strip() for d in fields.get("deliverables") or [] if str(d).strip()]
    values.update(template_code="", room_id=None, ci_id=fields.get("ci_id"), shifts=[],
                  targets=_targets(session, owner, fields.get("targets")),
                  data={"title": str(fields.get("title") or "").strip() or values["name"],
                        "deadline_days": deadline_days, "deliverables": deliverables, "source": source})
    return owner, values


def create_plan(cs: ChangeSet, actor: Actor, name: str, template_code: str | None, rule: str, start_on: str, *,
                day: int = 1, shifts: list[Any] | None = None, end_on: str | None = None, room_id: str | None = None,
                ci_id: str | None = None, plan_type: str = "monthly", category: str = "inspection",
                working_days_only: bool = False, assignee_id: str | None = None, team_id: str | None = None,
                description: str = "", affects_business: bool = False, owner_path: str | None = None,
                kind: str = "form", targets: list[str] | None = None, title: str = "", deadline_days: int = 0,
                deliverables: list[str] | None = None, source: str = "special") -> dict[str, Any]:
    """A new plan (state draft). A task plan's ``description`` is the content of the tasks it issues."""
    actor.require_role("making a plan")
    fields = dict(locals())
    for key in ("cs", "actor"):
        fields.pop(key)
    owner, values = _values(cs.session, actor, fields, None)
    row = cs.create(Plan, owner, {"number": next_number(cs.session, "PLN"), "state": "draft", **values})
    return row_to_dict(row)


EDITABLE_FIELDS = ("name", "template_code", "rule", "start_on", "end_on", "day", "shifts", "room_id", "ci_id",
                   "plan_type", "category", "working_days_only", "assignee_id", "team_id", "description",
                   "affects_business", "targets", "title", "deadline_days", "deliverables", "source")


def plan_fields(row: Plan) -> dict[str, Any]:
    """The plan as the fields create_plan takes (what an editor shows)."""
    data = row.data or {}
    return {"kind": row.kind, "name": row.name, "template_code": row.template_code, "rule": row.rule,
            "start_on": row.start_on, "end_on": row.end_on, "day": row.day, "shifts": list(row.shifts or []),
            "room_id": row.room_id, "ci_id": row.ci_id, "plan_type": row.plan_type, "category": row.category,
            "working_days_only": row.working_days_only, "assignee_id": row.assignee_id, "team_id": row.team_id,
            "description": row.description, "affects_business": row.affects_business,
            "targets": list(row.targets or []), "title": data.get("title", ""),
            "deadline_days": data.get("deadline_days", 0), "deliverables": list(data.get("deliverables", [])),
            "source": data.get("source", "special")}


def update_plan(cs: ChangeSet, actor: Actor, plan_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Edit a draft plan (its kind and owner stay); the whole plan is checked again."""
    actor.require_role("editing a plan")
    row = load_plan(cs.session, actor, plan_id)
    actor.require_scope(row.owner_path)
    if row.state != "draft":
        raise Invalid(f"plan {row.number} is {row.state}; only a draft is edited")
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise Invalid(f"a plan has no editable field {', '.join(unknown)}")
    _owner, values = _values(cs.session, actor, {**plan_fields(row), **changes}, row.owner_path)
    cs.update(row, values)
    return row_to_dict(row)


def load_plan(session: Session, actor: Actor, plan_id: str) -> Plan:
    row = session.get(Plan, plan_id) or session.scalar(select(Plan).where(Plan.number == plan_id))
    if row is None or row.deleted or not actor.can_see(row.owner_path):
        raise NotFound(f"no plan {plan_id}")
    return row


def transition_plan(cs: ChangeSet, actor: Actor, plan_id: str, action: str) -> dict[str, Any]:
    actor.require_role("changing a plan's state")
    row = load_plan(cs.session, actor, plan_id)
    if action not in TRANSITIONS:
        raise Invalid(f"a plan action is one of {', '.join(TRANSITIONS)}")
    if action in ("approve", "reject"):  # four eyes on the schedule: not whoever wrote it, by default
        actor.require_role(f"{action} of a plan", *(r for r in APPROVERS if r != "admin"))
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


def _deadline(plan: Plan, day: date, calendar: str = "CN") -> datetime:
    """A task occurrence's deadline: the end of its due day plus the plan's deadline days (China time)."""
    last = day + timedelta(days=int((plan.data or {}).get("deadline_days") or 0))
    if plan.working_days_only:
        last = _next_working(last, calendar)
    return datetime.combine(last, time(23, 59, 59), tzinfo=CHINA).astimezone(UTC)


def spawn_due(cs: ChangeSet, actor: Actor, until: date, plan_id: str | None = None,
              since: date | None = None) -> list[dict[str, Any]]:
    """Create the form records and tasks of every spawning plan due up to ``until`` that do not exist yet.

    Runs on any node, offline too; work already spawned (here or elsewhere, by sync) is skipped. Each
    row returned carries ``kind`` (form or task). A plan that cannot spawn (its template retired, its
    room or a target unit gone) raises before it creates anything. Without ``plan_id`` every plan
    spawns in this one change set, so one broken plan stops them all: callers that must go on give
    each plan of ``pending_plans`` its own ``store.write()`` (see ``itops plan spawn``).
    """
    actor.require_role("spawning planned work")
    plans = [load_plan(cs.session, actor, plan_id)] if plan_id else _spawning(cs.session, actor)
    made: list[dict[str, Any]] = []
    for plan in plans:
        if plan.state not in SPAWNING:
            raise Invalid(f"plan {plan.number} is {plan.state}; only a published plan spawns work")
        days = due_days(plan, since or date.fromisoformat(plan.start_on), until)
        if not days:
            continue
        spawned = _spawn_tasks(cs, actor, plan, days) if plan.kind == "task" else _spawn_forms(cs, actor, plan, days)
        if plan.state == "published" and spawned:
            cs.update(plan, {"state": "active"})
        made.extend(spawned)
    return made


def _spawning(session: Session, actor: Actor) -> list[Plan]:
    return list(session.scalars(select(Plan).where(
        Plan.owner_path.startswith(actor.org_path), Plan.deleted.is_(False), Plan.state.in_(SPAWNING))
        .order_by(Plan.number)))


def _missing(session: Session, plan: Plan, days: list[date]) -> int:
    """How many of the plan's occurrences on ``days`` have not been spawned (here or elsewhere)."""
    if plan.kind == "task":
        return sum(session.get(Task, task_id_for(plan.id, d.isoformat())) is None for d in days)
    return sum(session.get(FormRecord, forms.record_id_for(plan.id, d.isoformat(), s["name"])) is None
               for d in days for s in plan.shifts or [DEFAULT_SHIFT])


def pending_plans(session: Session, actor: Actor, until: date, since: date | None = None) -> list[dict[str, Any]]:
    """The spawning plans in scope with work due up to ``until`` not spawned yet (``missing`` occurrences),
    by number: what ``spawn_due(..., plan_id=…)`` would create, one plan at a time."""
    found = []
    for plan in _spawning(session, actor):
        missing = _missing(session, plan, due_days(plan, since or date.fromisoformat(plan.start_on), until))
        if missing:
            found.append({"id": plan.id, "number": plan.number, "name": plan.name, "kind": plan.kind,
                          "missing": missing})
    return found


def _check_spawnable(session: Session, plan: Plan) -> None:
    """Refuse, before anything is created, a plan whose template, room or target units are gone."""
    if plan.kind == "task":
        for target in plan.targets or [plan.owner_path]:
            if session.scalar(select(OrgUnit.id).where(OrgUnit.path == target, OrgUnit.deleted.is_(False))) is None:
                raise Invalid(f"target unit {target} no longer exists")
        return
    try:
        forms.get_template(session, plan.template_code)
    except NotFound:
        raise Invalid(f"form template {plan.template_code} has no published version (retired?)") from None
    except TemplateError as exc:
        raise Invalid(f"form template {plan.template_code} cannot be read here: {exc}") from None
    room = session.get(MachineRoom, plan.room_id) if plan.room_id else None
    if plan.room_id and (room is None or room.deleted):
        name = f"{room.code} {room.name}" if room is not None else plan.room_id
        raise Invalid(f"machine room {name} was deleted")


def _spawn_forms(cs: ChangeSet, actor: Actor, plan: Plan, days: list[date]) -> list[dict[str, Any]]:
    if _missing(cs.session, plan, days):
        _check_spawnable(cs.session, plan)
    made = []
    for day in days:
        for shift in plan.shifts or [DEFAULT_SHIFT]:
            record_id = forms.record_id_for(plan.id, day.isoformat(), shift["name"])
            if cs.session.get(FormRecord, record_id) is not None:
                continue
            made.append({**forms.create_record(
                cs, actor, plan.template_code, room_id=plan.room_id, ci_id=plan.ci_id,
                planned_at=_planned_at(day, shift["at"]), plan_id=plan.id, shift=shift["name"],
                owner_path=plan.owner_path, executor_id=plan.assignee_id, record_id=record_id), "kind": "form"})
    return made


def _spawn_tasks(cs: ChangeSet, actor: Actor, plan: Plan, days: list[date]) -> list[dict[str, Any]]:
    if _missing(cs.session, plan, days):
        _check_spawnable(cs.session, plan)
    data = plan.data or {}
    made = []
    for day in days:
        task_id = task_id_for(plan.id, day.isoformat())
        if cs.session.get(Task, task_id) is not None:
            continue
        title = f"{data.get('title') or plan.name}（{day.isoformat()}）"
        made.append({**tasks.issue_task(
            cs, actor, title, _deadline(plan, day), list(plan.targets or [plan.owner_path]),
            content=plan.description, source=data.get("source") or "special",
            deliverables=list(data.get("deliverables") or []), issuer_path=plan.owner_path, task_id=task_id,
            scheduled=True), "kind": "task"})
    return made


# -- completion and the calendar -------------------------------------------------------------------
def _local_day(moment: datetime) -> date:
    return moment.astimezone(CHINA).date()


def _record_counts(session: Session, plan: Plan, until: date) -> tuple[int, int, int]:
    due = done = on_time = 0
    for record in session.scalars(select(FormRecord).where(FormRecord.plan_id == plan.id,
                                                          FormRecord.deleted.is_(False))):
        if record.planned_at is None or _local_day(record.planned_at) > until:
            continue
        due += 1
        if record.state in DONE_RECORD:
            done += 1
            if record.completed_at is not None and _local_day(record.completed_at) <= _local_day(record.planned_at):
                on_time += 1
    return due, done, on_time


def _receivers(session: Session, plan: Plan, day: date, now: datetime) -> tuple[Task | None, list[dict[str, Any]]]:
    """One occurrence of a task plan: its task (None when not spawned here) and each receiver's status."""
    task = session.get(Task, task_id_for(plan.id, day.isoformat()))
    if task is None:
        deadline = _deadline(plan, day)
        return None, [{"org": t, "state": "not_spawned", "done": False, "on_time": False,
                       "overdue": now > deadline, "deadline": deadline} for t in plan.targets or [plan.owner_path]]
    result = []
    for target in task.targets:
        status = tasks.receiver_status(session, task, target, now)
        done = status["state"] in tasks.DONE
        result.append({"org": target, "state": status["state"], "done": done,
                       "on_time": done and not status["overdue"], "overdue": status["overdue"],
                       "deadline": task.deadline})
    return task, result


def _task_counts(session: Session, plan: Plan, until: date, now: datetime) -> tuple[int, int, int]:
    due = done = on_time = 0
    for day in due_days(plan, date.fromisoformat(plan.start_on), until):
        task, receivers = _receivers(session, plan, day, now)
        if task is not None and task.deleted:
            continue  # an occurrence called off
        for receiver in receivers:
            if receiver["done"] or _local_day(receiver["deadline"]) <= until:
                due += 1
                done += receiver["done"]
                on_time += receiver["on_time"]
    return due, done, on_time


def task_items(session: Session, plan_rows: list[Plan], first: date, last: date,
               now: datetime | None = None) -> list[dict[str, Any]]:
    """The task-plan items whose deadline falls in [first, last] (China days), for a KPI period:
    ``key`` (task id and receiver), ``done``, ``on_time``, ``deadline``. Form plans' items are their records."""
    now = now or datetime.now(UTC)
    items: list[dict[str, Any]] = []
    for plan in plan_rows:
        if plan.kind != "task" or plan.deleted:
            continue
        for day in due_days(plan, max(date.fromisoformat(plan.start_on), first - timedelta(days=370)), last):
            task, receivers = _receivers(session, plan, day, now)
            if task is not None and task.deleted:
                continue
            key = task.id if task is not None else task_id_for(plan.id, day.isoformat())
            items.extend({"key": f"{key}:{r['org']}", "done": r["done"], "on_time": r["on_time"],
                          "deadline": r["deadline"]}
                         for r in receivers if first <= _local_day(r["deadline"]) <= last)
    return items


def completion(session: Session, actor: Actor, plan_id: str, until: date | None = None,
               now: datetime | None = None) -> dict[str, Any]:
    """计划完成率 = items done on time / items due up to ``until`` (see the module docstring)."""
    plan = load_plan(session, actor, plan_id)
    now = now or datetime.now(UTC)
    until = until or _local_day(now)
    if plan.kind == "task":
        due, done, on_time = _task_counts(session, plan, until, now)
    else:
        due, done, on_time = _record_counts(session, plan, until)
    return {"plan": plan.number, "kind": plan.kind, "due": due, "done": done, "on_time": on_time,
            "rate": round(100.0 * on_time / due, 1) if due else None}


def plan_summaries(session: Session, actor: Actor, until: date | None = None) -> list[dict[str, Any]]:
    """Every plan in scope with its completion (what a plan list shows)."""
    return [{**row, "completion": completion(session, actor, row["id"], until)}
            for row in list_plans(session, actor)]


def get_plan(session: Session, actor: Actor, plan_id: str, until: date | None = None) -> dict[str, Any]:
    row = load_plan(session, actor, plan_id)
    result = {**row_to_dict(row), "fields": plan_fields(row), "completion": completion(session, actor, row.id, until)}
    today = until or _local_day(datetime.now(UTC))
    result["next_days"] = [d.isoformat() for d in due_days(row, today + timedelta(days=1),
                                                         today + timedelta(days=400))[:5]]
    return result


def occurrences(session: Session, actor: Actor, month: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every occurrence of the scheduled plans in scope in a month, with its status (done | due | overdue).

    A form plan's occurrence is one shift of one day (its record, if spawned); a task plan's is one
    day with its task: done when every receiver's work is done, overdue once the deadline has passed.
    Occurrences not spawned yet are listed too (``spawned`` False).
    """
    start, end = forms.month_bounds(month)
    first, last = start.date(), end.date() - timedelta(days=1)
    now = now or datetime.now(UTC)
    today = _local_day(now)
    found: list[dict[str, Any]] = []
    for plan in session.scalars(select(Plan).where(
            Plan.owner_path.startswith(actor.org_path), Plan.deleted.is_(False), Plan.state.in_(SCHEDULED))
            .order_by(Plan.number)):
        base = {"plan_id": plan.id, "plan_number": plan.number, "plan": plan.name, "kind": plan.kind}
        for day in due_days(plan, first, last):
            if plan.kind == "task":
                found.append({**base, **_task_occurrence(session, plan, day, now)})
                continue
            for shift in plan.shifts or [DEFAULT_SHIFT]:
                record = session.get(FormRecord, forms.record_id_for(plan.id, day.isoformat(), shift["name"]))
                done = record is not None and record.state in DONE_RECORD
                found.append({**base, "day": day.isoformat(), "shift": shift["name"], "at": shift["at"],
                              "spawned": record is not None,
                              "record_id": record.id if record is not None else None,
                              "number": record.number if record is not None else "", "done": int(done), "total": 1,
                              "status": "done" if done else ("overdue" if day < today else "due")})
    return sorted(found, key=lambda o: (o["day"], o["at"], o["plan_number"]))


def _task_occurrence(session: Session, plan: Plan, day: date, now: datetime) -> dict[str, Any]:
    task, receivers = _receivers(session, plan, day, now)
    done = sum(r["done"] for r in receivers)
    status = "done" if done == len(receivers) else ("overdue" if any(r["overdue"] for r in receivers) else "due")
    return {"day": day.isoformat(), "shift": "", "at": "", "spawned": task is not None and not task.deleted,
            "task_id": task.id if task is not None else None, "number": task.number if task is not None else "",
            "done": done, "total": len(receivers), "status": status}


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
