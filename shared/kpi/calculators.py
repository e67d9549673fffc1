"""Calculators: one function per way of computing an L3 figure from the records of the processes.

A calculator gets the session, the scope (an org subtree, or one unit's own rows), the period and the
indicator (for its params) and returns a ``Figure``: numerator, denominator and the records behind it.
Every figure is a sum over rows, so a subtree's figure is the sum of its parts' figures — the roll-up
across the tree sums numerators and denominators and never averages percentages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.kpi.catalogue import Catalogue, Indicator
from shared.kpi.period import CHINA, Period
from shared.kpi.scoring import Figure
from shared.kpi.source import IMPLEMENTED_OUTCOMES, Scope, Source, entry_time
from shared.models.forms import Plan
from shared.services import plans

__all__ = ["CALCULATORS", "IMPLEMENTED_OUTCOMES", "Context", "Scope", "Source", "batch_clocks", "entry_time",
           "sla_available", "ticket_clock"]

DONE_FORM_STATES = ("completed", "reviewed")
ESCALATED_STATES = ("dispatched", "line2", "line3")


@dataclass(frozen=True)
class Context:
    """One scope of an evaluation. ``source`` holds the records, loaded once for the whole evaluation (the
    roll-up passes one source covering every scope); without one, the context makes its own."""

    session: Session
    scope: Scope
    period: Period
    catalogue: Catalogue
    cache: dict[Any, Any] = field(default_factory=dict, compare=False)  # per scope: implemented changes …
    source: Source = field(default=None, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.source is None or not self.source.covers(self.scope) or self.source.period != self.period:
            object.__setattr__(self, "source", Source(self.session, self.scope, self.period))

    @property
    def now(self) -> datetime:
        return min(self.period.end, utcnow())


Calculator = Callable[[Context, Indicator], Figure]
CALCULATORS: dict[str, Calculator] = {}


def calculator(fn: Calculator) -> Calculator:
    CALCULATORS[fn.__name__] = fn
    return fn


def _ratio(rows: Iterable[Any], hit: Callable[[Any], bool], label: Callable[[Any], str]) -> Figure:
    num = den = 0
    records = []
    for row in rows:
        den += 1
        if hit(row):
            num += 1
        records.append(label(row))
    return Figure(float(num), float(den), tuple(records))


def _tickets(ctx: Context, process: str, column: str) -> list[Any]:
    """Live tickets of a process in scope whose ``column`` time falls in the period, by number."""
    return ctx.source.tickets(ctx.scope, process, column)


def _history(ctx: Context, tickets: list[Any]) -> dict[str, list[Any]]:
    """Ticket id → its history entries in HLC order."""
    return ctx.source.entries(tickets)


def _detail(entry: Any) -> dict[str, Any]:
    return dict((entry.data or {}).get("detail") or {})


def _number(t: Any) -> str:
    return t.number


# -- manual entries -------------------------------------------------------------------------------

@calculator
def manual(ctx: Context, ind: Indicator) -> Figure:
    entries = [e for e in ctx.source.manual_entries(ctx.scope) if e.indicator == ind.code]
    if not entries:
        return Figure(available=False)
    num = sum(e.numerator for e in entries)
    den = None if ind.kind == "count" else sum(e.denominator or 0.0 for e in entries)
    return Figure(num, den, tuple(e.owner_path for e in entries))


# -- incidents --------------------------------------------------------------------------------------

@calculator
def major_incidents(ctx: Context, ind: Indicator) -> Figure:
    rows = [t for t in _tickets(ctx, "incident", "opened_at") if t.priority == "P1"]
    return Figure(float(len(rows)), None, tuple(t.number for t in rows))


@calculator
def incidents_in_category(ctx: Context, ind: Indicator) -> Figure:
    wanted = {str(c) for c in ind.params.get("categories", ())}
    rows = [t for t in _tickets(ctx, "incident", "opened_at") if t.category in wanted]
    return Figure(float(len(rows)), None, tuple(t.number for t in rows))


@calculator
def first_line_resolution(ctx: Context, ind: Indicator) -> Figure:
    rows = _tickets(ctx, "incident", "resolved_at")
    history = _history(ctx, rows)

    def by_line1(t: Any) -> bool:
        return not any(_detail(e).get("to") in ESCALATED_STATES for e in history.get(t.id, ()))

    return _ratio(rows, by_line1, _number)


def pending_minutes(entries: list[Any], until: datetime) -> float:
    """Minutes spent on hold (挂起), from the history of transitions."""
    total = 0.0
    since: datetime | None = None
    for e in entries:
        detail = _detail(e)
        if detail.get("to") == "pending" and since is None:
            since = entry_time(e)
        elif detail.get("from") == "pending" and since is not None:
            total += (entry_time(e) - since).total_seconds() / 60
            since = None
    if since is not None:
        total += max(0.0, (until - since).total_seconds() / 60)
    return total


@calculator
def mean_resolution_hours(ctx: Context, ind: Indicator) -> Figure:
    rows = [t for t in _tickets(ctx, "incident", "resolved_at") if t.opened_at and t.resolved_at]
    history = _history(ctx, rows)
    hours = 0.0
    for t in rows:
        assert t.resolved_at is not None and t.opened_at is not None
        minutes = (t.resolved_at - t.opened_at).total_seconds() / 60
        minutes -= pending_minutes(history.get(t.id, []), t.resolved_at)
        hours += max(0.0, minutes) / 60
    return Figure(hours, float(len(rows)), tuple(t.number for t in rows))


@calculator
def reopen_rate(ctx: Context, ind: Indicator) -> Figure:
    rows = _tickets(ctx, "incident", "resolved_at")
    history = _history(ctx, rows)

    def reopened(t: Any) -> bool:
        return int((t.data or {}).get("reopen_count") or 0) > 0 or \
            any(e.body == "reopen" for e in history.get(t.id, ()))

    return _ratio(rows, reopened, _number)


@calculator
def misroute_rate(ctx: Context, ind: Indicator) -> Figure:
    """Incidents whose team was changed while a second- or third-line team already had them."""
    rows = _tickets(ctx, "incident", "opened_at")
    history = _history(ctx, rows)

    def misrouted(t: Any) -> bool:
        state = "new"
        for e in history.get(t.id, ()):
            detail = _detail(e)
            if e.body == "updated" and "team_id" in detail and state in ("line2", "line3"):
                return True
            state = detail.get("to", state) if "to" in detail else state
        return False

    return _ratio(rows, misrouted, _number)


@calculator
def repeat_incident_rate(ctx: Context, ind: Indicator) -> Figure:
    """Incidents on the same CI and of the same category as an earlier one in the period."""
    rows = _tickets(ctx, "incident", "opened_at")
    seen: set[tuple[str, str]] = set()
    repeats: list[str] = []
    for t in sorted(rows, key=lambda r: (r.opened_at, r.number)):
        if not t.ci_id:
            continue
        key = (t.ci_id, t.category)
        if key in seen:
            repeats.append(t.number)
        seen.add(key)
    return Figure(float(len(repeats)), float(len(rows)), tuple(repeats))


@calculator
def knowledge_use_rate(ctx: Context, ind: Indicator) -> Figure:
    rows = _tickets(ctx, "incident", "resolved_at")
    return _ratio(rows, lambda t: bool((t.data or {}).get("knowledge_id")), _number)


@calculator
def survey_rate(ctx: Context, ind: Indicator) -> Figure:
    rows = _tickets(ctx, "incident", "resolved_at")
    return _ratio(rows, lambda t: (t.data or {}).get("satisfaction") not in (None, ""), _number)


@calculator
def satisfaction_rate(ctx: Context, ind: Indicator) -> Figure:
    rows = [t for t in _tickets(ctx, "incident", "resolved_at")
            if (t.data or {}).get("satisfaction") not in (None, "")]
    satisfied = set(ctx.catalogue.satisfied_values)

    def happy(t: Any) -> bool:
        try:
            return int(t.data["satisfaction"]) in satisfied
        except (TypeError, ValueError):
            return False

    return _ratio(rows, happy, _number)


# -- SLA clocks (shared/processes/sla.py) ---------------------------------------------------------------

def ticket_clock(session: Session, ticket: Any, name: str, now: datetime) -> Any:
    from shared.processes.sla import ticket_clocks  # the SLA engine; imported late (optional module)

    for clock in ticket_clocks(session, ticket.id, now=now):
        if clock.name == name:
            return clock
    return None


def sla_available() -> bool:
    try:
        import shared.processes.sla  # noqa: F401
    except ImportError:
        return False
    return True


def _as_values(ticket: Any) -> dict[str, Any]:
    """The ticket's values as the SLA engine reads them (a lean row of the source, or an ORM row)."""
    from shared.sync.codec import row_to_dict

    fields = getattr(ticket, "_fields", None)
    return dict(zip(fields, ticket, strict=True)) if fields is not None else row_to_dict(ticket)


def batch_clocks(ctx: Context, tickets: list[Any]) -> dict[str, dict[str, Any]]:
    """ticket id → {clock name: Clock}, computed once per ticket per evaluation with the SLA engine's pure
    function from history loaded in batches; targets and calendars are looked up once per (process, priority,
    service, item, unit)."""
    from shared.processes.engine import process
    from shared.processes.sla import calendar_for, compute_clocks, targets_for

    source = ctx.source
    clocks, targets_cache, calendars = source.clocks, source.sla_targets, source.calendars
    todo = [t for t in tickets if t.id not in clocks]
    history = _history(ctx, todo)
    now = ctx.now
    for t in todo:
        proc = process(t.process)
        ticket = _as_values(t)
        data = t.data or {}
        key = (t.process, t.priority, data.get("service"), data.get("catalog_item"), t.owner_path)
        if key not in targets_cache:
            targets_cache[key] = targets_for(ctx.session, proc, ticket)
        targets = targets_cache[key]
        cal_key = (t.owner_path, str(targets.get("calendar") or "CN"))
        if cal_key not in calendars:
            calendars[cal_key] = calendar_for(ctx.session, *cal_key)
        entries: list[dict[str, Any]] = history.get(t.id, [])  # Entry: the mapping the engine reads
        clocks[t.id] = {c.name: c for c in compute_clocks(proc, ticket, entries, targets, calendars[cal_key], now)}
    return {t.id: clocks[t.id] for t in tickets}


@calculator
def sla_met(ctx: Context, ind: Indicator) -> Figure:
    """Tickets whose SLA clock was met / tickets whose clock has an outcome (met or breached).

    Response: tickets opened in the period. Resolution: tickets resolved (problems: closed) in it."""
    if not sla_available():
        return Figure(available=False)
    process, clock_name = ind.params["process"], ind.params["clock"]
    column = "opened_at" if clock_name == "response" else ("closed_at" if process == "problem" else "resolved_at")
    num = den = 0
    records = []
    rows = _tickets(ctx, process, column)
    clocks = batch_clocks(ctx, rows)
    for t in rows:
        clock = clocks[t.id].get(clock_name)
        if clock is None:
            continue
        if clock.breached:
            den += 1
            records.append(t.number)
        elif clock.status == "met":
            num += 1
            den += 1
            records.append(t.number)
    return Figure(float(num), float(den), tuple(records))


# -- changes and releases -------------------------------------------------------------------------------

def _implemented_changes(ctx: Context) -> list[Any]:
    """Changes reviewed (outcome recorded) in the period."""
    if "implemented" not in ctx.cache:
        found = []
        for t, reviews in ctx.source.implemented_candidates(ctx.scope):
            if (t.data or {}).get("outcome") not in IMPLEMENTED_OUTCOMES:
                continue
            reviewed = [entry_time(e) for e in reviews if e.body == "review"]
            when = reviewed[-1] if reviewed else t.closed_at
            if ctx.period.contains(when):
                found.append(t)
        ctx.cache["implemented"] = found
    rows: list[Any] = ctx.cache["implemented"]
    return rows


@calculator
def change_success(ctx: Context, ind: Indicator) -> Figure:
    return _ratio(_implemented_changes(ctx), lambda t: t.data.get("outcome") == "success", _number)


@calculator
def emergency_change_ratio(ctx: Context, ind: Indicator) -> Figure:
    rows = _tickets(ctx, "change", "opened_at")
    return _ratio(rows, lambda t: (t.data or {}).get("change_type") == "emergency", _number)


@calculator
def change_caused_incidents(ctx: Context, ind: Indicator) -> Figure:
    changes = _implemented_changes(ctx)
    keys = {c.id for c in changes} | {c.number for c in changes}
    causes: set[str] = set()
    if keys:
        causes.update(ctx.source.incidents_with_parent(keys))
        causes.update(str(cause) for _owner, cause in ctx.source.change_causes(ctx.scope) if cause in keys)
    return _ratio(changes, lambda c: c.id in causes or c.number in causes, _number)


@calculator
def release_first_time_success(ctx: Context, ind: Indicator) -> Figure:
    rows = _tickets(ctx, "release", "closed_at")
    history = _history(ctx, rows)
    return _ratio(rows, lambda t: not any(e.body == "rollback" for e in history.get(t.id, ())), _number)


# -- work forms (SOP), capacity ------------------------------------------------------------------------

def _planned_forms(ctx: Context, templates: list[str]) -> list[Any]:
    rows = ctx.source.forms(ctx.scope)
    return [f for f in rows if f.template_code in templates] if templates else rows


def _on_time(form: Any) -> bool:
    """Completed no later than the end of the (local) day it was planned for."""
    if form.state not in DONE_FORM_STATES or form.completed_at is None or form.planned_at is None:
        return False
    local = form.planned_at.astimezone(CHINA)
    day_end = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return form.completed_at < day_end


@calculator
def form_on_time(ctx: Context, ind: Indicator) -> Figure:
    return _ratio(_planned_forms(ctx, list(ind.params.get("templates") or [])), _on_time, lambda f: f.number)


@dataclass(frozen=True)
class _PlanItem:
    owner_path: str  # the issuing plan's unit: the item counts in its scope
    key: str
    on_time: bool


@calculator
def plan_on_time(ctx: Context, ind: Indicator) -> Figure:
    """计划完成率: the planned form records (as ``form_on_time``) plus the task plans' items — one per receiving
    unit per occurrence whose deadline falls in the period, counted once done or past its deadline, on time
    when submitted by it (shared/services/plans.py). Loaded once per evaluation, like the other records."""
    now = ctx.now
    first = ctx.period.start.astimezone(CHINA).date()
    last = (ctx.period.end.astimezone(CHINA) - timedelta(microseconds=1)).date()

    def load() -> list[_PlanItem]:
        rows = ctx.session.scalars(select(Plan).where(ctx.source.root.cond(Plan), Plan.kind == "task",
                                                      Plan.deleted.is_(False)).order_by(Plan.number))
        return [_PlanItem(plan.owner_path, item["key"], bool(item["on_time"])) for plan in rows
                for item in plans.task_items(ctx.session, [plan], first, last, now=now)
                if item["done"] or item["deadline"] <= now]

    forms = form_on_time(ctx, ind)
    items = ctx.source.of("task_plan_items", ctx.scope, load)
    return Figure(forms.numerator + sum(1 for i in items if i.on_time), (forms.denominator or 0.0) + len(items),
                  forms.records + tuple(i.key for i in items))


@calculator
def form_success(ctx: Context, ind: Indicator) -> Figure:
    normal = set(ctx.catalogue.normal_conclusions)
    return _ratio(_planned_forms(ctx, list(ind.params.get("templates") or [])),
                  lambda f: f.state in DONE_FORM_STATES and f.conclusion in normal, lambda f: f.number)


@calculator
def capacity_over_threshold(ctx: Context, ind: Indicator) -> Figure:
    """Host-days with a reading above the threshold / host-days with readings."""
    threshold = float(ind.params.get("threshold", 85))
    metrics = list(ind.params.get("metrics") or ())
    peak: dict[tuple[str, str], float] = {}
    for reading in ctx.source.measurements(ctx.scope):
        if reading.metric not in metrics:
            continue
        ci_id, value, at = reading.ci_id, reading.value, reading.measured_at
        key = (ci_id, at.astimezone(CHINA).date().isoformat())
        peak[key] = max(peak.get(key, value), value)
    over = sorted(f"{ci}@{day}" for (ci, day), v in peak.items() if v > threshold)
    return Figure(float(len(over)), float(len(peak)), tuple(over))


# -- security events --------------------------------------------------------------------------------------

def _events(ctx: Context) -> list[Any]:
    return ctx.source.security_events(ctx.scope)


@calculator
def security_events(ctx: Context, ind: Indicator) -> Figure:
    grades = {int(g) for g in ind.params.get("grades", (1, 2, 3, 4))}
    rows = [e for e in _events(ctx) if e.grade in grades]
    return Figure(float(len(rows)), None, tuple(e.number for e in rows))


@calculator
def security_report_on_time(ctx: Context, ind: Indicator) -> Figure:
    """Events whose first report was due (or made) by now: reported by the deadline of their grade."""
    from shared.reports.grading import first_report_deadline

    num = den = 0
    records = []
    for e in _events(ctx):
        deadline = first_report_deadline(e.grade, e.discovered_at)
        if e.first_report_at is None and deadline > ctx.now:
            continue  # not due yet
        den += 1
        records.append(e.number)
        if e.first_report_at is not None and e.first_report_at <= deadline:
            num += 1
    return Figure(float(num), float(den), tuple(records))
