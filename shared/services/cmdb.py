"""Configuration items and relations (the CMDB core; classes and impact analysis come later)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.cmdb import RELATION_TYPES, CIRelation, ConfigItem
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

RELATION_NAMESPACE = uuid.UUID("b3c1f7e2-0f4d-4f6a-8a51-7d2b9e4c5a10")
COLUMNS = ("name", "ci_class", "asset_tag", "serial", "status", "brand", "model", "location", "owner_id",
           "ip", "description")


def relation_id(source_id: str, target_id: str, rel_type: str) -> str:
    """Deterministic, so two offline "link A → B" converge to one edge."""
    return str(uuid.uuid5(RELATION_NAMESPACE, f"{source_id}|{target_id}|{rel_type}"))


def _split(fields: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    attrs = dict(current or {})
    touched = False
    for name, value in fields.items():
        if name in COLUMNS:
            values[name] = value if value != "" or name != "asset_tag" else None
        else:
            attrs[name.removeprefix("attributes.")] = value
            touched = True
    if touched:
        values["attributes"] = attrs
    return values


def create_ci(cs: ChangeSet, actor: Actor, ci_class: str, name: str, fields: dict[str, Any] | None = None,
              owner_path: str | None = None) -> dict:
    if not ci_class.strip() or not name.strip():
        raise Invalid("a configuration item needs a class and a name")
    owner = owner_path or actor.org_path
    actor.require_scope(owner)
    values = _split({"ci_class": ci_class.strip(), "name": name.strip(), **(fields or {})})
    return row_to_dict(cs.create(ConfigItem, owner, values))


def _load(session: Session, actor: Actor, ci_id: str) -> ConfigItem:
    row = session.get(ConfigItem, ci_id)
    if row is None:
        row = session.scalar(select(ConfigItem).where(ConfigItem.asset_tag == ci_id,
                                                      ConfigItem.deleted.is_(False)))
    if row is None or not actor.can_see(row.owner_path):
        raise NotFound(f"no configuration item {ci_id}")
    return row


def update_ci(cs: ChangeSet, actor: Actor, ci_id: str, fields: dict[str, Any]) -> dict:
    row = _load(cs.session, actor, ci_id)
    cs.update(row, _split(fields, row.attributes))
    return row_to_dict(row)


def link_ci(cs: ChangeSet, actor: Actor, source: str, target: str, rel_type: str) -> dict:
    if rel_type not in RELATION_TYPES:
        raise Invalid(f"unknown relation {rel_type!r}; relations: {', '.join(RELATION_TYPES)}")
    src = _load(cs.session, actor, source)
    dst = _load(cs.session, actor, target)
    if src.id == dst.id:
        raise Invalid("a configuration item cannot relate to itself")
    row = cs.link(CIRelation, src.owner_path, relation_id(src.id, dst.id, rel_type),
                  {"source_id": src.id, "target_id": dst.id, "rel_type": rel_type})
    return row_to_dict(row)


def unlink_ci(cs: ChangeSet, actor: Actor, source: str, target: str, rel_type: str) -> None:
    src = _load(cs.session, actor, source)
    dst = _load(cs.session, actor, target)
    row = cs.session.get(CIRelation, relation_id(src.id, dst.id, rel_type))
    if row is None or row.deleted:
        raise NotFound("no such relation")
    cs.unlink(row)


def get_ci(session: Session, actor: Actor, ci_id: str) -> dict:
    row = _load(session, actor, ci_id)
    result = row_to_dict(row)
    rels = session.scalars(select(CIRelation).where(
        (CIRelation.source_id == row.id) | (CIRelation.target_id == row.id), CIRelation.deleted.is_(False)))
    result["relations"] = [row_to_dict(r) for r in rels]
    return result


def list_cis(session: Session, actor: Actor, ci_class: str | None = None, limit: int | None = 50,
             offset: int = 0) -> list[dict]:
    stmt = select(ConfigItem).where(ConfigItem.owner_path.startswith(actor.org_path),
                                    ConfigItem.deleted.is_(False))
    if ci_class:
        stmt = stmt.where(ConfigItem.ci_class == ci_class)
    stmt = stmt.order_by(ConfigItem.ci_class, ConfigItem.name, ConfigItem.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [row_to_dict(r) for r in session.scalars(stmt)]
