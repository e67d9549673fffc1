"""Typed fields of a process: which fields a form shows, their labels and how a value reads.

Process fields (``data.*``, team, assignee) carry their labels in the YAML definition; the ticket
columns every process shares (impact, urgency, origin, caller, CI, parent …) get theirs here, through
``tr`` so they follow the interface language. ``Options`` are the choices reference fields offer
(teams, users, catalogue entries), loaded in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

import yaml
from PySide6.QtCore import QObject
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.formatting import LOCAL_ZONE, local_time
from shared.models.catalog import CatalogEntry
from shared.models.org import Team, User
from shared.processes.definition import RESOURCES, FieldDef, Label, Process
from shared.services.actor import Actor
from shared.sync.codec import get_field
from shared.sync.scope import ancestors

ORIGINS = ("phone", "mail", "portal", "monitoring", "in_person", "chat", "inspection")


def _same(text: str) -> Label:
    """A label already in the current language (built-in fields are rebuilt on every call)."""
    return {"zh": text, "en": text}


@cache
def _priority_doc() -> dict[str, Any]:
    """priority.yaml, parsed once (opening a ticket asks for the levels dozens of times)."""
    return yaml.safe_load((RESOURCES / "priority.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _levels(kind: str) -> dict[str, Label]:
    doc = _priority_doc()
    return {str(k): {"zh": f"{k} — {v['zh']}", "en": f"{k} — {v['en']}"} for k, v in doc[kind].items()}


class TicketFields(QObject):
    """The texts of the built-in fields (a QObject so that ``tr`` and lupdate see them)."""

    def labels(self) -> dict[str, str]:
        return {"title": self.tr("Title"), "description": self.tr("Description"), "impact": self.tr("Impact"),
                "urgency": self.tr("Urgency"), "category": self.tr("Category"), "origin": self.tr("Origin"),
                "caller_id": self.tr("Caller"), "team_id": self.tr("Team"), "assignee_id": self.tr("Assignee"),
                "ci_id": self.tr("Configuration item"), "parent_id": self.tr("Parent ticket")}

    def origins(self) -> dict[str, Label]:
        texts = (self.tr("Phone"), self.tr("E-mail"), self.tr("Portal"), self.tr("Monitoring"), self.tr("In person"),
                 self.tr("Chat"), self.tr("Inspection"))
        return {code: _same(text) for code, text in zip(ORIGINS, texts, strict=True)}

    def yes_no(self, value: Any) -> str:
        return self.tr("Yes") if value else self.tr("No")


BUILTIN_TYPES = {"title": "text", "description": "longtext", "impact": "choice", "urgency": "choice",
                 "category": "text", "origin": "choice", "caller_id": "user", "team_id": "team",
                 "assignee_id": "user", "ci_id": "ci", "parent_id": "ticket"}


def builtin_fields() -> dict[str, FieldDef]:
    """The ticket columns, typed like process fields (labels in the current language)."""
    texts = TicketFields()
    choices = {"impact": _levels("impact"), "urgency": _levels("urgency"), "origin": texts.origins()}
    return {name: FieldDef(name, BUILTIN_TYPES[name], _same(text), choices.get(name, {}))
            for name, text in texts.labels().items()}


def one_line(text: str) -> str:
    """The first line of a message (an unexpected error's text may carry a whole SQL statement)."""
    return (text.strip().splitlines() or [""])[0]


def joined(items: Any, lang: str, enumeration: bool = False) -> str:
    """A list as each language writes it: 、 between enumerated words and ， between items in Chinese."""
    if lang == "zh":
        return ("、" if enumeration else "，").join(items)
    return ", ".join(items)


def field_type(proc: Process, name: str) -> str:
    """A field's type without its label: safe in workers (``field_def`` makes a QObject for the labels,
    and a QObject must not be made in one thread and collected in another)."""
    if name in proc.fields:
        return proc.fields[name].type
    return BUILTIN_TYPES.get(name, "text")


def field_def(proc: Process, name: str) -> FieldDef:
    """The definition's field, else the built-in column, else a plain text field."""
    if name in proc.fields:
        return proc.fields[name]
    builtin = builtin_fields()
    if name in builtin:
        return builtin[name]
    return FieldDef(name, "text", _same(name.removeprefix("data.")))


def label(fd: FieldDef, lang: str) -> str:
    return fd.label.get(lang) or fd.name.removeprefix("data.")


def choice_text(fd: FieldDef, key: Any, lang: str) -> str:
    choice = fd.choices.get(str(key))
    return choice.get(lang, str(key)) if choice else str(key)


def value_of(ticket: dict[str, Any], name: str) -> Any:
    return get_field(ticket, name)


def parse_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_ZONE)  # typed in as local time


def display(fd: FieldDef, value: Any, names: dict[str, str], lang: str) -> str:
    """A stored value as a person reads it: choice labels, names for ids, local times, 是/否."""
    if value in (None, "", []):
        return "—"
    if fd.type in ("choice", "rating"):
        return choice_text(fd, value, lang)
    if fd.type == "bool":
        return TicketFields().yes_no(value)
    if fd.type == "datetime":
        when = parse_datetime(value)
        return local_time(when) if when else str(value)
    if fd.type == "date":
        return str(value)[:10]
    if fd.type in ("team", "user", "ci", "ticket", "catalog"):
        return names.get(str(value), str(value))
    if fd.type == "cis":
        return joined((names.get(str(v), str(v)) for v in value), lang)
    return str(value)


def to_service(fd: FieldDef, value: Any) -> Any:
    """An editor's value in the form the ticket services take (ISO texts for dates)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- the choices of reference fields, loaded in a worker ----------------------------------------------
@dataclass(frozen=True)
class Option:
    key: str  # what is stored: an id, or a catalogue code
    text: str


@dataclass(frozen=True)
class Options:
    teams: list[Option] = field(default_factory=list)
    team_lines: dict[str, int] = field(default_factory=dict)
    users: list[Option] = field(default_factory=list)
    catalog: dict[str, list[Option]] = field(default_factory=dict)  # kind → entries

    def of(self, fd: FieldDef) -> list[Option]:
        if fd.type == "team":
            return self.teams
        if fd.type == "user":
            return self.users
        if fd.type == "catalog":
            return self.catalog.get(fd.kind, [])
        return []


def _visible(column: Any, actor: Actor) -> Any:
    return or_(column.startswith(actor.org_path), column.in_(ancestors(actor.org_path)))


def load_options(session: Session, actor: Actor) -> Options:
    """Teams, people and catalogue entries of the actor's unit, its subtree and its ancestors (a county
    assigns work to the province's third line)."""
    teams = list(session.scalars(select(Team).where(Team.deleted.is_(False), _visible(Team.owner_path, actor))
                                 .order_by(Team.line, Team.name)))
    users = session.scalars(select(User).where(User.deleted.is_(False), User.active.is_(True),
                                               _visible(User.org_path, actor)).order_by(User.username))
    entries = session.scalars(select(CatalogEntry).where(
        CatalogEntry.deleted.is_(False), CatalogEntry.active.is_(True),
        CatalogEntry.kind.in_(("service", "catalog_item", "business_unit")),
        _visible(CatalogEntry.owner_path, actor)).order_by(CatalogEntry.kind, CatalogEntry.code))
    catalog: dict[str, dict[str, Option]] = {}
    for e in entries:
        catalog.setdefault(e.kind, {})[e.code] = Option(e.code, e.name or e.code)  # a nearer unit's wins
    return Options(
        teams=[Option(t.id, t.name) for t in teams], team_lines={t.id: t.line for t in teams},
        users=[Option(u.id, f"{u.full_name or u.username} ({u.username})") for u in users],
        catalog={kind: list(codes.values()) for kind, codes in catalog.items()})
