"""Reference data of the service processes (resources/catalog.yaml): services, catalogue items, SLA
targets, calendars, suppliers, contracts, business units, capacity thresholds."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared.models.catalog import CatalogEntry
from shared.models.tickets import Ticket
from shared.processes.definition import RESOURCES
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict
from shared.sync.scope import ancestors

NUMBER_TYPES = ("number",)
# who maintains the catalogue, SLAs, suppliers and contracts (besides administrators)
EDITORS = ("service_manager",)


@cache
def kinds() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((RESOURCES / "catalog.yaml").read_text(encoding="utf-8"))


def kind_fields(kind: str) -> dict[str, dict[str, Any]]:
    if kind not in kinds():
        raise Invalid(f"unknown catalogue kind {kind!r} (kinds: {', '.join(kinds())})")
    return {f["name"]: f for f in kinds()[kind]["fields"]}


def _clean(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    fields = kind_fields(kind)
    result: dict[str, Any] = {}
    for name, value in data.items():
        spec = fields.get(name)
        if spec is None:
            raise Invalid(f"{kind} has no field {name!r} (fields: {', '.join(fields)})")
        if value in (None, ""):
            result[name] = None
            continue
        kind_of = spec.get("type")
        if kind_of == "number":
            try:
                value = float(value)
                value = int(value) if value.is_integer() else value
            except (TypeError, ValueError):
                raise Invalid(f"{name} must be a number, not {value!r}") from None
        elif kind_of == "bool":
            value = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "是", "y")
        elif kind_of == "choice" and str(value) not in spec.get("choices", {}):
            raise Invalid(f"{name} must be one of {', '.join(spec['choices'])}, not {value!r}")
        elif kind_of == "date":
            try:
                value = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise Invalid(f"{name} must be a date like 2026-12-31, not {value!r}") from None
        elif kind_of in ("list", "cis") and isinstance(value, str):
            value = [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
        result[name] = value
    return result


def create_entry(cs: ChangeSet, actor: Actor, kind: str, code: str, name: str, data: dict[str, Any] | None = None,
                 owner_path: str | None = None, name_en: str = "") -> dict:
    owner = owner_path or actor.org_path
    actor.require_scope(owner)
    actor.require_role("changing the service catalogue", *EDITORS)
    if not code.strip() or not name.strip():
        raise Invalid("a catalogue entry needs a code and a name")
    existing = cs.session.scalar(select(CatalogEntry).where(
        CatalogEntry.kind == kind, CatalogEntry.code == code.strip(), CatalogEntry.owner_path == owner,
        CatalogEntry.deleted.is_(False)))
    if existing is not None:
        raise Invalid(f"{kind} {code} already exists at {owner}")
    values = {"kind": kind, "code": code.strip(), "name": name.strip(), "name_en": name_en,
              "data": {k: v for k, v in _clean(kind, data or {}).items() if v is not None}}
    return row_to_dict(cs.create(CatalogEntry, owner, values))


def _load(session: Session, actor: Actor, entry_id: str) -> CatalogEntry:
    row = session.get(CatalogEntry, entry_id)
    if row is None or not actor.can_see(row.owner_path):
        raise NotFound(f"no catalogue entry {entry_id} in your scope")
    return row


def _writable(session: Session, actor: Actor, entry_id: str) -> CatalogEntry:
    row = _load(session, actor, entry_id)
    actor.require_role("changing the service catalogue", *EDITORS)
    return row


def update_entry(cs: ChangeSet, actor: Actor, entry_id: str, fields: dict[str, Any]) -> dict:
    row = _writable(cs.session, actor, entry_id)
    values: dict[str, Any] = {}
    data = dict(row.data or {})
    for key, value in fields.items():
        if key in ("name", "name_en", "active"):
            values[key] = value if key != "active" else str(value).lower() in ("1", "true", "yes", "是")
        else:
            for k, v in _clean(row.kind, {key.removeprefix("data."): value}).items():
                if v is None:
                    data.pop(k, None)
                else:
                    data[k] = v
    if data != (row.data or {}):
        values["data"] = data
    cs.update(row, values)
    return row_to_dict(row)


def delete_entry(cs: ChangeSet, actor: Actor, entry_id: str) -> None:
    cs.delete(_writable(cs.session, actor, entry_id))


def list_entries(session: Session, actor: Actor, kind: str | None = None, include_inactive: bool = False) -> list[dict]:
    """What applies to the actor (entries of their ancestors) and what they manage (their subtree)."""
    stmt = select(CatalogEntry).where(CatalogEntry.deleted.is_(False), or_(
        CatalogEntry.owner_path.startswith(actor.org_path), CatalogEntry.owner_path.in_(ancestors(actor.org_path))))
    if kind:
        kind_fields(kind)
        stmt = stmt.where(CatalogEntry.kind == kind)
    if not include_inactive:
        stmt = stmt.where(CatalogEntry.active.is_(True))
    return [row_to_dict(r) for r in session.scalars(stmt.order_by(CatalogEntry.kind, CatalogEntry.code))]


def effective(session: Session, org_path: str, kind: str, code: str) -> dict | None:
    """The entry of ``code`` that applies at ``org_path`` (the nearest org unit's)."""
    rows = session.scalars(select(CatalogEntry).where(
        CatalogEntry.kind == kind, CatalogEntry.code == code, CatalogEntry.deleted.is_(False),
        CatalogEntry.owner_path.in_([*ancestors(org_path), org_path])))
    best = max(rows, key=lambda r: len(r.owner_path), default=None)
    return row_to_dict(best) if best is not None else None


def contracts_expiring(session: Session, actor: Actor, today: date, within_days: int = 90) -> list[dict]:
    """Contracts whose expiry is within ``within_days`` (or past): the renewal reminder list."""
    limit = today + timedelta(days=within_days)
    result = []
    for entry in list_entries(session, actor, "contract"):
        end = (entry["data"] or {}).get("end")
        if end and date.fromisoformat(end) <= limit:
            result.append({**entry, "days_left": (date.fromisoformat(end) - today).days})
    return sorted(result, key=lambda e: e["days_left"])


def satisfaction_by_business_unit(session: Session, actor: Actor, since: datetime | None = None) -> list[dict]:
    """Follow-up survey results (1 best … 4 worst) per business unit, from the tickets themselves."""
    stmt = select(Ticket).where(Ticket.owner_path.startswith(actor.org_path), Ticket.deleted.is_(False),
                                Ticket.process.in_(("incident", "request")))
    if since is not None:
        stmt = stmt.where(Ticket.opened_at >= since)
    names = {e["code"]: e["name"] for e in list_entries(session, actor, "business_unit")}
    stats: dict[str, list[int]] = {}
    for t in session.scalars(stmt):
        data = t.data or {}
        score = data.get("satisfaction")
        if score in (None, "") or not data.get("business_unit"):
            continue
        stats.setdefault(str(data["business_unit"]), []).append(int(score))
    return [{"business_unit": code, "name": names.get(code, code), "surveys": len(scores),
             "average": round(sum(scores) / len(scores), 2),
             "satisfied_percent": round(100 * sum(1 for s in scores if s <= 2) / len(scores), 1)}
            for code, scores in sorted(stats.items())]
