"""One ServiceNow incident (its audit rows) → the values of one ITOps ticket and its history entries.

Pure: no database. Ids are deterministic (uuid5 of the number, and of number + sys_mod_count + the
row's time and state), so importing the same export twice creates nothing new.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.db.types import utcnow
from shared.importers.servicenow_mapping import Mapping
from shared.importers.servicenow_source import Dirty, Event, Incident
from shared.processes.engine import LINE_STATES, priority_for, process
from shared.sync.codec import encode_dt

NAMESPACE = uuid.UUID("0c9d3a1e-8a5b-4f2e-9a61-5e1b2c7d4f08")
LEVELS = {"1": 1, "2": 2, "3": 3}
ORIGINS = {"phone": "phone", "email": "email", "self service": "self_service", "ivr": "ivr",
           "direct opening": "walk_in"}


def ticket_id(number: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"servicenow:incident:{number}"))


def ref_id(kind: str, key: str) -> str:
    """Deterministic ids of the users and teams an import creates."""
    return str(uuid.uuid5(NAMESPACE, f"servicenow:{kind}:{key}"))


@dataclass
class Refs:
    """Ids the mapping resolved to in the target store."""

    users: dict[str, str] = field(default_factory=dict)   # caller → user id
    teams: dict[str, str] = field(default_factory=dict)   # group → team id
    cis: dict[str, str] = field(default_factory=dict)     # cmdb_ci name → CI id


@dataclass
class Plan:
    ticket_id: str
    owner_path: str
    values: dict[str, Any]
    entries: list[tuple[str, dict[str, Any]]]  # (entry id, TicketEntry values)
    dirty: list[Dirty]


def level(value: str | None) -> int:
    """``2 - Medium`` → 2; unknown → 3 (low), the ITOps default."""
    return LEVELS.get((value or "").strip()[:1], 3)


def plan_incident(incident: Incident, mapping: Mapping, refs: Refs, target_org: str) -> Plan:
    events = incident.events
    last = events[-1]
    tid = ticket_id(incident.number)
    entries, states, dirty = _history(incident, mapping, tid)
    state = states[-1]
    impact, urgency = level(last.get("impact")), level(last.get("urgency"))
    location = _last(events, "location")
    group = _last(events, "assignment_group")
    caller = _last(events, "caller_id")
    ci = _last(events, "cmdb_ci")
    values: dict[str, Any] = {
        "process": "incident", "number": incident.number, "title": _title(last), "description":
        _description(incident.number, last), "state": state, "impact": impact, "urgency": urgency,
        "priority": priority_for(impact, urgency), "category": (last.get("category") or "")[:64],
        "origin": ORIGINS.get((last.get("contact_type") or "").lower(), ""),
        "caller_id": refs.users.get(caller or ""), "team_id": refs.teams.get(group or ""),
        "assignee_id": None, "ci_id": refs.cis.get(ci or ""), "parent_id": None,
        "opened_at": _first_time(events, "opened_at") or events[0].at or utcnow(),
        "resolved_at": _last_time(events, "resolved_at") if state in ("resolved", "surveyed", "closed") else None,
        "closed_at": _last_time(events, "closed_at") if state == "closed" else None,
        "data": _data(last, states, location, group, caller, ci, refs),
    }
    owner = mapping.locations.get(location or "", target_org)
    return Plan(tid, owner, values, entries, dirty)


def _history(incident: Incident, mapping: Mapping, tid: str) -> tuple[list[tuple[str, dict[str, Any]]],
                                                                        list[str], list[Dirty]]:
    """One history entry per source row: ``from`` → ``to`` state, the row's event time in ``at``."""
    proc = process("incident")
    entries: list[tuple[str, dict[str, Any]]] = []
    states: list[str] = []
    dirty: list[Dirty] = []
    seen: dict[tuple[str, ...], int] = {}
    previous: str | None = None
    for event in incident.events:
        source_state = event.row.get("incident_state", "").strip()
        target = mapping.states.get(source_state)
        dirty.extend(event.dirty)
        if target is None:  # -100 and the like: the row stays in the history, the state does not move
            target = previous or proc.initial
        key = (event.row.get("sys_mod_count", ""), event.row.get("sys_updated_at", ""), source_state)
        seen[key] = seen.get(key, 0) + 1
        entry_id = str(uuid.uuid5(NAMESPACE, "|".join((incident.number, *key, str(seen[key])))))
        data: dict[str, Any] = {
            "detail": {"from": previous, "to": target},
            "at": encode_dt(event.at) if event.at else None,
            "source": {"system": "servicenow", "line": event.line, "state": source_state,
                       "sys_mod_count": _int(event.get("sys_mod_count")), "updated_by": event.get("sys_updated_by")},
        }
        if event.dirty:
            data["dirty"] = "; ".join(f"{d.column}: {d.reason}" for d in event.dirty)
        entries.append((entry_id, {"ticket_id": tid, "kind": "history", "author_id": None,
                                   "body": _action(proc, previous, target), "data": data}))
        states.append(target)
        previous = target
    return entries, states, dirty


def _action(proc: Any, source: str | None, target: str) -> str:
    """The ITOps action that makes this move, else ``created`` / ``updated`` / ``imported``."""
    if source is None:
        return "created"
    if source == target:
        return "updated"
    actions = proc.actions_from(source)
    exact = [t for t in actions if t.target == target]
    back = [t for t in actions if t.target in ("@previous", "@previous_line") and target in LINE_STATES]
    return str((exact or back)[0].action) if exact or back else "imported"


def _data(last: Event, states: list[str], location: str | None, group: str | None, caller: str | None,
          ci: str | None, refs: Refs) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": "servicenow", "sn_state": last.row.get("incident_state", "").strip(),
        "sn_priority": last.get("priority"), "sla_met": (last.get("made_sla") or "").lower() == "true",
        "subcategory": last.get("subcategory"), "symptom": last.get("u_symptom"),
        "location_ref": location, "group_ref": group, "caller_ref": caller, "assignee_ref": last.get("assigned_to"),
        "opened_by_ref": last.get("opened_by"), "resolved_by_ref": last.get("resolved_by"),
        "problem_ref": last.get("problem_id"), "change_ref": last.get("rfc"), "caused_by_ref": last.get("caused_by"),
        "vendor_ref": last.get("vendor"), "resolution_code": last.get("closed_code"),
        "knowledge": (last.get("knowledge") or "").lower() == "true",
        "reassignment_count": _int(last.get("reassignment_count")), "reopen_count": _int(last.get("reopen_count")),
    }
    if ci and ci not in refs.cis:
        data["ci_ref"] = ci
    if states[-1] == "pending":
        before = [s for s in states if s != "pending"]
        data["state_before_pending"] = before[-1] if before else "line1"
    lines = [s for s in states if s in LINE_STATES]
    if lines:
        data["last_line"] = lines[-1]
    return {k: v for k, v in data.items() if v is not None}


def _title(event: Event) -> str:
    parts = [event.get("u_symptom"), event.get("subcategory"), event.get("category")]
    text = " · ".join(p for p in parts if p)
    return (text or "ServiceNow incident")[:255]


def _description(number: str, event: Event) -> str:
    return f"Imported from ServiceNow {number} (contact: {event.get('contact_type') or 'unknown'})."


def _last(events: list[Event], column: str) -> str | None:
    for event in reversed(events):
        value = event.get(column)
        if value is not None:
            return value
    return None


def _first_time(events: list[Event], attr: str) -> datetime | None:
    return next((getattr(e, attr) for e in events if getattr(e, attr) is not None), None)


def _last_time(events: list[Event], attr: str) -> datetime | None:
    return next((getattr(e, attr) for e in reversed(events) if getattr(e, attr) is not None), None)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
