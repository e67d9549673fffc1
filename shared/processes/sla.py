"""SLA clocks computed from a ticket's history — the same answer on a county PC and at the province.

A clock (defined per process: response, on-site arrival, resolution …) runs while the ticket is in one
of its ``running`` states, holds in its ``paused`` states and stops elsewhere. Elapsed time is counted
on the working calendar of the target (7×24 for P1/P2, business hours with holidays and 调休 for
P3/P4). The inputs are the history entries' *event* times (when the action happened on its node, not
when it arrived by sync), so an event that syncs late simply recomputes the clocks.

Targets: the process definition's defaults per priority, overridden by catalogue entries of kind
``sla`` (per process, priority and optionally service) and, for service requests, by the catalogue
item's own fulfilment target. The nearest org unit's entry wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.catalog import CatalogEntry
from shared.models.tickets import Ticket, TicketEntry
from shared.processes.calendar import ALWAYS, Calendar, builtin, parse_calendar
from shared.processes.definition import ClockDef, Label, Process
from shared.processes.engine import process
from shared.sync.codec import get_field
from shared.sync.scope import ancestors

WARNING_PERCENT = 75.0


@dataclass(frozen=True)
class Event:
    at: datetime
    action: str
    state: str  # the state after the event


@dataclass(frozen=True)
class Clock:
    name: str
    label: Label
    target_minutes: float | None
    elapsed_minutes: float
    status: str  # running | paused | met | breached | not_started
    deadline: datetime | None  # when a running clock reaches its target
    calendar: str

    @property
    def percent(self) -> float | None:
        if not self.target_minutes:
            return None
        return round(100.0 * self.elapsed_minutes / self.target_minutes, 1)

    @property
    def breached(self) -> bool:
        return self.target_minutes is not None and self.elapsed_minutes > self.target_minutes

    @property
    def warning(self) -> bool:
        """Past the 75 % threshold and not yet breached, still counting."""
        p = self.percent
        return p is not None and WARNING_PERCENT <= p <= 100 and self.status in ("running", "paused")

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "target_minutes": self.target_minutes,
                "elapsed_minutes": round(self.elapsed_minutes, 1), "percent": self.percent, "status": self.status,
                "breached": self.breached, "warning": self.warning, "calendar": self.calendar,
                "deadline": self.deadline.isoformat() if self.deadline else None}


def event_time(entry: dict[str, Any]) -> datetime:
    """When it happened: the recorded ``at``, else the wall time of the entry's HLC."""
    data = entry.get("data") or {}
    at = data.get("at")
    if at:
        parsed = datetime.fromisoformat(str(at))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    hlc = str(entry.get("hlc") or data.get("hlc") or "")
    return datetime.fromtimestamp(int(hlc[:13]) / 1000, UTC) if hlc[:13].isdigit() else _aware(
        entry.get("created_at"))


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def events_from_history(entries: list[dict[str, Any]], initial: str) -> list[Event]:
    """State-changing history entries as events in event-time order (ties by HLC)."""
    timed = [(event_time(e), str(e.get("hlc") or ""), e) for e in entries if e.get("kind") == "history"]
    timed.sort(key=lambda t: (t[0], t[1]))
    events = []
    for at, _hlc, e in timed:
        detail = (e.get("data") or {}).get("detail") or {}
        state = detail.get("to") or detail.get("state")
        if e.get("body") == "created":
            state = state or initial
        if state:
            events.append(Event(at, str(e.get("body") or ""), str(state)))
    return events


def _clock(c: ClockDef, events: list[Event], target: float | None, cal: Calendar, now: datetime,
           applies: bool) -> Clock:
    if not applies or not events:
        return Clock(c.code, c.label, target, 0.0, "not_started", None, cal.code)
    started = not c.from_action
    stopped = False
    elapsed = 0.0
    for i, ev in enumerate(events):
        if c.from_action and ev.action == c.from_action:
            started = True
        if c.until_action and ev.action == c.until_action:
            stopped = True
        end = events[i + 1].at if i + 1 < len(events) else now
        if started and not stopped and ev.state in c.running:
            elapsed += cal.working_minutes(ev.at, max(end, ev.at))
    current = events[-1].state
    if not started:
        status = "not_started"
    elif not stopped and current in c.running:
        status = "running"
    elif not stopped and current in c.paused:
        status = "paused"
    else:
        status = "breached" if target is not None and elapsed > target else "met"
        if not any(ev.state in c.running for ev in events) and not stopped:
            status = "not_started"
    deadline = None
    if status == "running" and target is not None:
        deadline = cal.add_working_minutes(now, max(0.0, target - elapsed)) if elapsed < target else now
    return Clock(c.code, c.label, target, elapsed, status, deadline, cal.code)


def compute_clocks(proc: Process, ticket: dict[str, Any], entries: list[dict[str, Any]], targets: dict[str, Any],
                   calendar: Calendar, now: datetime | None = None) -> list[Clock]:
    """Pure: the clocks of one ticket from its values, history entries, targets and calendar."""
    now = now or datetime.now(UTC)
    events = events_from_history(entries, proc.initial)
    result = []
    for c in proc.clocks.values():
        applies = not c.when or bool(get_field(ticket, c.when))
        target = targets.get(c.code)
        result.append(_clock(c, events, float(target) if target is not None else None, calendar, now, applies))
    return result


# -- the database side -------------------------------------------------------------------------------
def _entries_by_kind(session: Session, kind: str, org_path: str) -> list[CatalogEntry]:
    owners = [*ancestors(org_path), org_path]
    rows = session.scalars(select(CatalogEntry).where(CatalogEntry.kind == kind, CatalogEntry.deleted.is_(False),
                                                      CatalogEntry.active.is_(True),
                                                      CatalogEntry.owner_path.in_(owners)))
    return sorted(rows, key=lambda r: len(r.owner_path))  # nearest org last


def targets_for(session: Session, proc: Process, ticket: dict[str, Any]) -> dict[str, Any]:
    targets: dict[str, Any] = dict(proc.sla.get(str(ticket.get("priority")), {}))
    service = get_field(ticket, "data.service")
    for generic_first in (True, False):
        for entry in _entries_by_kind(session, "sla", ticket["owner_path"]):
            data = entry.data or {}
            if data.get("process") != proc.code or str(data.get("priority")) != str(ticket.get("priority")):
                continue
            if bool(data.get("service")) == generic_first or (data.get("service") and data["service"] != service):
                continue
            targets.update({k: v for k, v in data.items() if k in proc.clocks or k == "calendar"})
    item = get_field(ticket, "data.catalog_item")
    if item:
        for entry in _entries_by_kind(session, "catalog_item", ticket["owner_path"]):
            if entry.code == item:
                data = entry.data or {}
                if data.get("fulfilment_minutes"):
                    targets["resolution"] = data["fulfilment_minutes"]
                if data.get("response_minutes"):
                    targets["response"] = data["response_minutes"]
                if data.get("calendar"):
                    targets["calendar"] = data["calendar"]
    return targets


def calendar_for(session: Session, org_path: str, code: str) -> Calendar:
    """``24x7``, or the nearest org unit's calendar entry (which extends its base), or a built-in one."""
    if code == ALWAYS:
        return builtin(ALWAYS)
    for entry in reversed(_entries_by_kind(session, "calendar", org_path)):
        data = entry.data or {}
        if entry.code == code or data.get("replaces") == code:
            return parse_calendar(data, f"calendar {entry.code}", builtin(str(data.get("base") or "CN")))
    return builtin(code)


def ticket_clocks(session: Session, ticket_id: str, now: datetime | None = None) -> list[Clock]:
    from shared.sync.codec import row_to_dict

    row = session.get(Ticket, ticket_id)
    if row is None:
        return []
    proc = process(row.process)
    if not proc.clocks:
        return []
    ticket = row_to_dict(row)
    entries = [row_to_dict(e) for e in session.scalars(
        select(TicketEntry).where(TicketEntry.ticket_id == row.id, TicketEntry.kind == "history"))]
    targets = targets_for(session, proc, ticket)
    calendar = calendar_for(session, row.owner_path, str(targets.get("calendar") or "CN"))
    return compute_clocks(proc, ticket, entries, targets, calendar, now)
