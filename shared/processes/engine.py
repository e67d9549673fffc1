"""The workflow engine: one set of rules for every process definition (shared/processes/definition.py).

It decides, for a ticket's values and an actor's roles, whether an action may run and why not,
what the target state is, and which side effects apply. It knows nothing about the database: the
ticket services (shared/services/tickets.py) load, call and write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from shared.processes.calendar import CHINA
from shared.processes.definition import (
    RESOURCES,
    DefinitionError,
    Process,
    Transition,
    load_all,
)
from shared.sync.codec import get_field
from shared.yamlio import load_yaml

__all__ = ["DefinitionError", "Process", "Transition", "TransitionError", "check_transition", "priority_for",
           "process", "processes"]

# States that count as "a support line working on it" (incident; other processes declare ``line``).
LINE_STATES = ("line1", "line2", "line3")
ADMIN = "admin"


class TransitionError(ValueError):
    """An action that is not allowed now; the message says why."""


class RoleError(TransitionError):
    """The actor's roles do not include one the action allows."""


@cache
def processes() -> dict[str, Process]:
    return load_all()


def process(code: str) -> Process:
    try:
        return processes()[code]
    except KeyError:
        raise DefinitionError(f"unknown process {code!r} (known: {', '.join(sorted(processes()))})") from None


def find_transition(proc: Process, action: str, state: str) -> Transition:
    t = proc.find(action)
    if t is None:
        known = ", ".join(t.action for t in proc.transitions)
        raise TransitionError(f"process {proc.code} has no action {action!r} (actions: {known})")
    if state not in t.sources:
        raise TransitionError(f"action {action!r} is not allowed in state {state!r} "
                              f"({proc.state_label(state, 'en')}); allowed from: {', '.join(t.sources)}")
    return t


def check_roles(t: Transition, roles: tuple[str, ...]) -> None:
    if not t.roles or ADMIN in roles or set(t.roles) & set(roles):
        return
    raise RoleError(f"action {t.action!r} needs one of the roles: {', '.join(t.roles)} "
                    f"(you have: {', '.join(roles) or 'none'})")


def unmet_conditions(t: Transition, values: dict[str, Any]) -> list[str]:
    """The ``when`` conditions that do not hold (e.g. a standard-change action on a normal change)."""
    unmet = []
    for name, allowed in t.when.items():
        if get_field(values, name) not in allowed:
            unmet.append(f"{name.removeprefix('data.')} must be {' or '.join(map(str, allowed))}")
    return unmet


def missing_required(t: Transition, values: dict[str, Any]) -> list[str]:
    return [f for f in t.required if get_field(values, f) in (None, "", [])]


# -- guards: named checks a definition can attach to an action --------------------------------------
# Each returns None when the action may run, else the reason it may not.
Lookup = Callable[[str, str], dict[str, Any] | None]  # (catalogue kind, code) -> entry data


def _within_reopen_days(proc: Process, values: dict[str, Any], now: datetime, lookup: Lookup) -> str | None:
    days = int(proc.options.get("reopen_days", 7))
    resolved = values.get("resolved_at")
    if isinstance(resolved, str):
        resolved = datetime.fromisoformat(resolved)
    if resolved is not None and now - resolved > timedelta(days=days):
        return f"it was resolved more than {days} days ago; open a new ticket instead"
    return None


def _item_needs_approval(values: dict[str, Any], lookup: Lookup) -> bool:
    item = get_field(values, "data.catalog_item")
    entry = lookup("catalog_item", str(item)) if item else None
    return bool(entry and entry.get("approval_required"))


def _needs_approval(proc: Process, values: dict[str, Any], now: datetime, lookup: Lookup) -> str | None:
    return None if _item_needs_approval(values, lookup) else "this catalogue item needs no approval; assign it"


def _approved_if_needed(proc: Process, values: dict[str, Any], now: datetime, lookup: Lookup) -> str | None:
    if values.get("state") == "new" and _item_needs_approval(values, lookup):
        return "this catalogue item must be approved first (submit for approval)"
    return None


def _window_valid(proc: Process, values: dict[str, Any], now: datetime, lookup: Lookup) -> str | None:
    start, end = get_field(values, "data.planned_start"), get_field(values, "data.planned_end")
    try:
        if start and end and _aware(datetime.fromisoformat(str(end))) <= _aware(datetime.fromisoformat(str(start))):
            return "the planned end must be after the planned start"
    except ValueError:
        return "planned start and end must be date-times like 2026-12-01T22:00"
    return None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=CHINA)


GUARD_FUNCTIONS: dict[str, Callable[[Process, dict[str, Any], datetime, Lookup], str | None]] = {
    "within_reopen_days": _within_reopen_days,
    "needs_approval": _needs_approval,
    "approved_if_needed": _approved_if_needed,
    "window_valid": _window_valid,
}


def guard_failures(proc: Process, t: Transition, values: dict[str, Any], now: datetime, lookup: Lookup) -> list[str]:
    reasons = [GUARD_FUNCTIONS[g](proc, values, now, lookup) for g in t.guards]
    return [r for r in reasons if r]


def resolve_target(t: Transition, ticket: dict[str, Any]) -> str:
    """``@previous`` → the state before pending; ``@previous_line`` → the last support line;
    ``@same`` → stay (an action that records something, e.g. on-site arrival)."""
    data = ticket.get("data") or {}
    if t.target == "@previous":
        return str(data.get("state_before_pending") or "line1")
    if t.target == "@previous_line":
        return str(data.get("last_line") or "line1")
    if t.target == "@same":
        return str(ticket.get("state"))
    return t.target


def available_actions(proc: Process, state: str, roles: tuple[str, ...], values: dict[str, Any]) -> list[Transition]:
    """Actions from ``state`` the actor's roles allow and whose ``when`` conditions hold."""
    result = []
    for t in proc.actions_from(state):
        try:
            check_roles(t, roles)
        except RoleError:
            continue
        if not unmet_conditions(t, values):
            result.append(t)
    return result


def coerce_field(proc: Process, name: str, value: Any) -> Any:
    """A field value as its definition types it (``"true"`` → True, ``"3"`` → "3" for a rating);
    raises TransitionError with the allowed values when it does not fit."""
    f = proc.fields.get(name)
    if f is None or value in (None, ""):
        return value
    if f.type in ("choice", "rating"):
        text = str(value)
        if text not in f.choices:
            labels = ", ".join(f"{k} ({v['zh']})" for k, v in f.choices.items())
            raise TransitionError(f"{name.removeprefix('data.')} must be one of: {labels}; not {value!r}")
        return text
    if f.type == "bool":
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "yes", "y", "是")
    if f.type in ("datetime", "date"):
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            example = "2026-12-01T22:00" if f.type == "datetime" else "2026-12-01"
            raise TransitionError(f"{name.removeprefix('data.')} must be like {example}, not {value!r}") from None
        if f.type == "date":
            return parsed.date().isoformat()
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)).isoformat()  # typed in: China time
    if f.type == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise TransitionError(f"{name.removeprefix('data.')} must be a whole number") from None
    if f.type == "cis" and isinstance(value, str):
        return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
    return value


@cache
def _priority() -> dict[str, Any]:
    return load_yaml((RESOURCES / "priority.yaml").read_text(encoding="utf-8"))


def priority_for(impact: int, urgency: int) -> str:
    matrix = _priority()["matrix"]
    try:
        return str(matrix[int(impact)][int(urgency)])
    except (KeyError, ValueError, TypeError):
        raise TransitionError(f"impact and urgency must be 1, 2 or 3 (got {impact}, {urgency})") from None


def check_transition(entity: str, values: dict[str, Any], current: Any, new: Any) -> bool:
    """Sync ``state_machine`` policy hook: may a ticket move from ``current`` (the authority's state)
    to ``new`` (a replica's)? ``values`` is the row as the replica wrote it: when it names the action
    that made the move (``data.last_action``), that action must be possible from ``current`` — so a
    stale "accept" is not mistaken for a reopen; otherwise any action between the two states will do."""
    if entity != "tickets":
        return False
    try:
        proc = process(str(values.get("process")))
    except DefinitionError:
        return False
    action = get_field(values, "data.last_action")
    t = proc.find(str(action)) if action else None
    if t is None:
        return proc.allows(str(current), str(new))
    if str(current) not in t.sources:
        return False
    if t.target in ("@previous", "@previous_line"):  # depends on the replica's own memory of the ticket
        return True
    return resolve_target(t, {**values, "state": current}) == new
