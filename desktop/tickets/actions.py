"""Which actions the detail offers and which fields an action's dialog asks for.

The engine's ``available_actions`` gives what the signed-in roles may do now. An action whose ``when``
condition is only unmet because its field has no value yet is offered too (release Go / No go: the
decision is made in the action's dialog), never one whose field holds another value (a standard change
is never submitted to the CAB) and never one whose roles do not allow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.processes.definition import Process, Transition
from shared.processes.engine import RoleError, available_actions, check_roles
from shared.sync.codec import get_field


@dataclass(frozen=True)
class AskedField:
    name: str
    allowed: tuple[Any, ...] = ()  # a when-field: only these values make the action apply


def _unset(value: Any) -> bool:
    return value in (None, "", [])


def _decidable(proc: Process, t: Transition, values: dict[str, Any]) -> bool:
    """Every unmet ``when`` is on an empty, non-boolean field of the definition (the dialog can set it);
    a column such as ``origin`` is never decided in a dialog."""
    for name, allowed in t.when.items():
        value = get_field(values, name)
        if value in allowed:
            continue
        f = proc.fields.get(name)
        if f is None or not _unset(value) or f.type == "bool":
            return False
    return True


def offered_actions(proc: Process, state: str, roles: tuple[str, ...], values: dict[str, Any]) -> list[str]:
    now = {t.action for t in available_actions(proc, state, roles, values)}
    result = []
    for t in proc.actions_from(state):
        if t.action in now:
            result.append(t.action)
            continue
        try:
            check_roles(t, roles)
        except RoleError:
            continue
        if _decidable(proc, t, values):
            result.append(t.action)
    return result


def asked_fields(proc: Process, action: str, values: dict[str, Any]) -> list[AskedField]:
    """The required fields, then the ``when`` fields whose condition does not hold yet."""
    t = proc.find(action)
    if t is None:
        return []
    asked = [AskedField(name) for name in t.required]
    for name, allowed in t.when.items():
        if get_field(values, name) not in allowed and name not in t.required:
            asked.append(AskedField(name, allowed))
    return asked
