"""Process definitions: the YAML files in ``shared/resources/processes`` as typed, validated objects.

A definition names its states (with a phase: open / paused / done, and the support line working it),
its fields (typed, labelled, for forms and required-field checks), its SLA clocks and default targets,
and its transitions: action, from, to, required fields, the roles allowed (a GLPI-style matrix; admin
may always act), guards (``when`` field conditions and named checks) and named side effects.
A definition that names an unknown state, guard, effect, clock or field type is refused with the
file and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from shared.yamlio import load_yaml

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
PHASES = ("open", "paused", "done")
FIELD_TYPES = ("text", "longtext", "int", "bool", "choice", "rating", "date", "datetime", "user", "team", "ci",
               "cis", "ticket", "catalog")
GUARDS = ("within_reopen_days", "needs_approval", "approved_if_needed", "window_valid")
EFFECTS = ("remember_state", "stamp_resolved", "stamp_closed", "clear_resolved", "resolve_children", "count_reopen",
           "bump_version")
SPECIAL_TARGETS = ("@previous", "@previous_line", "@same")
COLUMN_FIELDS = ("title", "description", "impact", "urgency", "category", "origin", "caller_id", "team_id",
                 "assignee_id", "ci_id", "parent_id")


class DefinitionError(ValueError):
    pass


Label = dict[str, str]


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: Label
    choices: dict[str, Label] = field(default_factory=dict)
    kind: str = ""  # catalogue kind, for type "catalog"
    process: str = ""  # ticket process, for type "ticket"


@dataclass(frozen=True)
class StateDef:
    code: str
    label: Label
    phase: str
    line: int | None


@dataclass(frozen=True)
class ClockDef:
    code: str
    label: Label
    running: tuple[str, ...]
    paused: tuple[str, ...] = ()
    from_action: str = ""
    until_action: str = ""
    when: str = ""  # a field that must be truthy for the clock to apply


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: Label
    required: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    when: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Process:
    code: str
    prefix: str
    name: Label
    initial: str
    states: dict[str, StateDef]
    transitions: tuple[Transition, ...]
    fields: dict[str, FieldDef] = field(default_factory=dict)
    create_fields: tuple[str, ...] = ()
    clocks: dict[str, ClockDef] = field(default_factory=dict)
    sla: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def find(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def allows(self, source: str, target: str) -> bool:
        """Is there any action leading from ``source`` to ``target``? (sync state_machine policy)"""
        if source == target:
            return True
        return any(source in t.sources and (t.target == target or t.target in ("@previous", "@previous_line"))
                   for t in self.transitions)

    def state_label(self, state: str, lang: str = "zh") -> str:
        s = self.states.get(state)
        return s.label.get(lang, state) if s else state

    def field_label(self, name: str, lang: str = "zh") -> str:
        f = self.fields.get(name)
        return f.label.get(lang, name) if f else name.removeprefix("data.")

    def phase(self, state: str) -> str:
        s = self.states.get(state)
        return s.phase if s else "open"


def _label(doc: dict[str, Any], fallback: str) -> Label:
    return {"zh": str(doc.get("zh", fallback)), "en": str(doc.get("en", fallback))}


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def parse(doc: dict[str, Any], where: str) -> Process:
    """Build and check a definition; every error names ``where`` and what is wrong."""
    try:
        states = {code: StateDef(code, _label(s, code), s.get("phase", "open"), s.get("line"))
                  for code, s in doc["states"].items()}
        fields = {f["name"]: FieldDef(f["name"], f.get("type", "text"), _label(f, f["name"]),
                                      {str(k): _label(v, str(k)) for k, v in (f.get("choices") or {}).items()},
                                      f.get("kind", ""), f.get("process", ""))
                  for f in doc.get("fields") or ()}
        clocks = {code: ClockDef(code, _label(c, code), _tuple(c.get("running")), _tuple(c.get("paused")),
                                 c.get("from_action", ""), c.get("until_action", ""), c.get("when", ""))
                  for code, c in (doc.get("clocks") or {}).items()}
        transitions = tuple(
            Transition(t["action"], _tuple(t["from"]), str(t["to"]), _label(t, t["action"]),
                       _tuple(t.get("require")), _tuple(t.get("roles")),
                       {k: _tuple(v) for k, v in (t.get("when") or {}).items()},
                       _tuple(t.get("guards")), _tuple(t.get("effects")))
            for t in doc["transitions"])
        proc = Process(str(doc["code"]), str(doc["prefix"]), _label(doc["name"], doc["code"]), str(doc["initial"]),
                       states, transitions, fields, _tuple(doc.get("create_fields")), clocks,
                       {str(p): dict(v) for p, v in (doc.get("sla") or {}).items()}, dict(doc.get("options") or {}))
    except (KeyError, TypeError, AttributeError) as exc:
        raise DefinitionError(f"{where}: missing or malformed {exc}") from None
    _check(proc, where)
    return proc


def _check(proc: Process, where: str) -> None:
    def fail(message: str) -> None:
        raise DefinitionError(f"{where}: {message}")

    if proc.initial not in proc.states:
        fail(f"initial state {proc.initial!r} is not a state")
    for state in proc.states.values():
        if state.phase not in PHASES:
            fail(f"state {state.code}: phase must be one of {', '.join(PHASES)}")
    for f in proc.fields.values():
        if f.type not in FIELD_TYPES:
            fail(f"field {f.name}: unknown type {f.type!r}")
    seen: set[str] = set()
    for t in proc.transitions:
        if t.action in seen:
            fail(f"action {t.action} is defined twice")
        seen.add(t.action)
        for code in (*t.sources, t.target):
            if code not in proc.states and code not in SPECIAL_TARGETS:
                fail(f"action {t.action} names unknown state {code!r}")
        for g in t.guards:
            if g not in GUARDS:
                fail(f"action {t.action}: unknown guard {g!r} (known: {', '.join(GUARDS)})")
        for e in t.effects:
            if e not in EFFECTS:
                fail(f"action {t.action}: unknown effect {e!r} (known: {', '.join(EFFECTS)})")
        for name in (*t.required, *t.when):
            if name not in proc.fields and name not in COLUMN_FIELDS:
                fail(f"action {t.action}: field {name!r} is not defined")
    for c in proc.clocks.values():
        for code in (*c.running, *c.paused):
            if code not in proc.states:
                fail(f"clock {c.code} names unknown state {code!r}")
    for priority, targets in proc.sla.items():
        for key in targets:
            if key != "calendar" and key not in proc.clocks:
                fail(f"sla {priority}: {key!r} is not a clock")


def load_file(path: Path) -> Process:
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise DefinitionError(f"{path.name}: a process definition is a mapping")
    return parse(doc, path.name)


def load_all(folder: Path | None = None) -> dict[str, Process]:
    procs = [load_file(p) for p in sorted((folder or RESOURCES / "processes").glob("*.yaml"))]
    return {p.code: p for p in procs}
