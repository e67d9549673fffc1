"""The workflow engine: states, actions, required fields and the priority matrix, read from
``shared/resources/processes/*.yaml``. Adding a process is adding a file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from shared.sync.codec import get_field

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# States that count as "a support line working on it" (for reopen targets and SLA clocks).
LINE_STATES = ("line1", "line2", "line3")


class DefinitionError(ValueError):
    pass


class TransitionError(ValueError):
    """An action that is not allowed now; the message says why."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: dict[str, str]
    required: tuple[str, ...]


@dataclass(frozen=True)
class Process:
    code: str
    prefix: str
    name: dict[str, str]
    initial: str
    states: dict[str, dict[str, str]]
    transitions: tuple[Transition, ...]

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def transition(self, action: str, state: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                if state not in t.sources:
                    raise TransitionError(
                        f"action {action!r} is not allowed in state {state!r} "
                        f"(allowed from: {', '.join(t.sources)})")
                return t
        known = ", ".join(sorted({t.action for t in self.transitions}))
        raise TransitionError(f"process {self.code} has no action {action!r} (actions: {known})")

    def allows(self, source: str, target: str) -> bool:
        """Is there any action leading from ``source`` to ``target``? (sync state_machine policy)"""
        return any(source in t.sources and (t.target == target or t.target.startswith("@"))
                   for t in self.transitions)

    def state_label(self, state: str, lang: str = "zh") -> str:
        return self.states.get(state, {}).get(lang, state)


def _load(path: Path) -> Process:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        transitions = tuple(
            Transition(t["action"], tuple(t["from"]), t["to"], {"zh": t.get("zh", t["action"]),
                                                                  "en": t.get("en", t["action"])},
                       tuple(t.get("require", ())))
            for t in doc["transitions"])
        proc = Process(doc["code"], doc["prefix"], doc["name"], doc["initial"], doc["states"], transitions)
    except (KeyError, TypeError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{path.name}: {exc}") from exc
    for t in proc.transitions:
        for s in (*t.sources, t.target):
            if not s.startswith("@") and s not in proc.states:
                raise DefinitionError(f"{path.name}: action {t.action} names unknown state {s!r}")
    return proc


@cache
def processes() -> dict[str, Process]:
    return {p.code: p for p in map(_load, sorted((RESOURCES / "processes").glob("*.yaml")))}


def process(code: str) -> Process:
    try:
        return processes()[code]
    except KeyError:
        raise DefinitionError(f"unknown process {code!r} (known: {', '.join(sorted(processes()))})") from None


@cache
def _priority() -> dict[str, Any]:
    return yaml.safe_load((RESOURCES / "priority.yaml").read_text(encoding="utf-8"))


def priority_for(impact: int, urgency: int) -> str:
    matrix = _priority()["matrix"]
    try:
        return str(matrix[int(impact)][int(urgency)])
    except (KeyError, ValueError):
        raise TransitionError(f"impact and urgency must be 1, 2 or 3 (got {impact}, {urgency})") from None


def missing_required(t: Transition, values: dict[str, Any]) -> list[str]:
    return [f for f in t.required if get_field(values, f) in (None, "", [])]


def resolve_target(t: Transition, ticket: dict[str, Any]) -> str:
    """``@previous`` → the state before pending; ``@previous_line`` → the last support line."""
    data = ticket.get("data") or {}
    if t.target == "@previous":
        return str(data.get("state_before_pending") or "line1")
    if t.target == "@previous_line":
        return str(data.get("last_line") or "line1")
    return t.target


def check_transition(entity: str, values: dict[str, Any], current: Any, new: Any) -> bool:
    """Sync ``state_machine`` policy hook: may a ticket move from ``current`` to ``new``?"""
    if entity != "tickets":
        return False
    try:
        return process(str(values.get("process"))).allows(str(current), str(new))
    except DefinitionError:
        return False
