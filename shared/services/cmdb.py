"""Configuration items and relations: writes validated against the class definitions
(shared/cmdb/classes.py), statuses from the lifecycle (shared/cmdb/lifecycle.py)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.cmdb import classes
from shared.cmdb.states import STATES, is_frozen
from shared.models.cmdb import RELATION_TYPES, CIClassDef, CIRelation, ConfigItem
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

RELATION_NAMESPACE = uuid.UUID("b3c1f7e2-0f4d-4f6a-8a51-7d2b9e4c5a10")
COLUMNS = classes.COLUMNS


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
    actor.require_role("adding a configuration item")
    reg = classes.registry(cs.session)
    code, typed = classes.validate(reg, ci_class.strip(), {**(fields or {}), "name": name.strip()})
    status = typed.get("status") or "在运"
    if status not in STATES:
        raise Invalid(f"status {status!r} is not a lifecycle state; states: {', '.join(STATES)}")
    classes.check_unique(cs.session, reg, code, typed)
    values = _split({**typed, "ci_class": code, "name": name.strip()})
    return row_to_dict(cs.create(ConfigItem, owner, values))


def _load(session: Session, actor: Actor, ci_id: str) -> ConfigItem:
    row = session.get(ConfigItem, ci_id)
    if row is None:
        row = session.scalar(select(ConfigItem).where(ConfigItem.asset_tag == ci_id,
                                                      ConfigItem.deleted.is_(False)))
    if row is None or not actor.can_see(row.owner_path):
        raise NotFound(f"no configuration item {ci_id}")
    return row


def update_ci(cs: ChangeSet, actor: Actor, ci_id: str, fields: dict[str, Any], *,
              lifecycle: bool = False) -> dict:
    """Change fields of a CI. The status moves only through lifecycle actions (``lifecycle=True``
    is their way in); a scrapped or donated CI's record is frozen."""
    row = _load(cs.session, actor, ci_id)
    actor.require_role("changing a configuration item")
    if is_frozen(row.status):
        raise Invalid(f"{row.name} is {row.status}: its record is frozen")
    if "status" in fields and fields["status"] != row.status and not lifecycle:
        raise Invalid("the status changes through lifecycle actions (itops ci lifecycle …)")
    if "ci_class" in fields and fields["ci_class"] != row.ci_class:
        raise Invalid("the class of a configuration item cannot change; create a new CI")
    reg = classes.registry(cs.session)
    code, typed = classes.validate(reg, row.ci_class, fields, classes.as_fields(row))
    classes.check_unique(cs.session, reg, code, typed, ci_id=row.id)
    cs.update(row, _split(typed, row.attributes))
    return row_to_dict(row)


def link_ci(cs: ChangeSet, actor: Actor, source: str, target: str, rel_type: str) -> dict:
    if rel_type not in RELATION_TYPES:
        raise Invalid(f"unknown relation {rel_type!r}; relations: {', '.join(RELATION_TYPES)}")
    src = _load(cs.session, actor, source)
    dst = _load(cs.session, actor, target)
    actor.require_role("relating configuration items")
    if src.id == dst.id:
        raise Invalid("a configuration item cannot relate to itself")
    row = cs.link(CIRelation, src.owner_path, relation_id(src.id, dst.id, rel_type),
                  {"source_id": src.id, "target_id": dst.id, "rel_type": rel_type})
    return row_to_dict(row)


def unlink_ci(cs: ChangeSet, actor: Actor, source: str, target: str, rel_type: str) -> None:
    src = _load(cs.session, actor, source)
    dst = _load(cs.session, actor, target)
    actor.require_role("relating configuration items")
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


def _listed(session: Session, actor: Actor, ci_class: str | None, location: str | None, text: str | None) -> Any:
    stmt = select(ConfigItem).where(ConfigItem.owner_path.startswith(actor.org_path),
                                    ConfigItem.deleted.is_(False))
    if ci_class:
        reg = classes.registry(session)
        stmt = stmt.where(ConfigItem.ci_class.in_(reg.descendants(reg.get(ci_class).code)))
    if location:
        stmt = stmt.where(ConfigItem.location.contains(location))
    if text:
        stmt = stmt.where(ConfigItem.name.contains(text) | ConfigItem.asset_tag.contains(text)
                          | ConfigItem.ip.contains(text))
    return stmt


def list_cis(session: Session, actor: Actor, ci_class: str | None = None, limit: int | None = 50,
             offset: int = 0, location: str | None = None, text: str | None = None) -> list[dict]:
    """A page of CIs in scope, in SQL; a class includes its subclasses (``compute``: every server)."""
    stmt = _listed(session, actor, ci_class, location, text)
    stmt = stmt.order_by(ConfigItem.ci_class, ConfigItem.name, ConfigItem.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [row_to_dict(r) for r in session.scalars(stmt)]


def count_cis(session: Session, actor: Actor, ci_class: str | None = None, location: str | None = None,
              text: str | None = None) -> int:
    stmt = _listed(session, actor, ci_class, location, text)
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def define_class(cs: ChangeSet, actor: Actor, code: str, parent: str, label_zh: str, label_en: str = "",
                 attributes: list[dict[str, Any]] | None = None, abstract: bool = False) -> dict:
    """An HQ administrator adds a CI class (or attributes to an existing one); the row is owned by
    "/HQ/" so every node receives it."""
    if actor.org_path != "/HQ/" or "admin" not in actor.roles:
        raise Forbidden("CI classes are defined by an HQ administrator")
    code = code.strip()
    reg = classes.registry(cs.session)
    known = code in reg.classes
    if not known:
        if not code.replace("_", "").isalnum() or not code.isascii():
            raise Invalid(f"class code {code!r}: use letters, digits and _")
        reg.get(parent)  # the parent must exist
    classes.Registry([*({"code": c.code, "parent": c.parent} for c in reg.classes.values()),
                      {"code": code, "parent": parent, "attributes": attributes or []}])  # validates
    row = cs.session.scalar(select(CIClassDef).where(CIClassDef.code == code, CIClassDef.deleted.is_(False)))
    values = {"code": code, "parent": reg.classes[code].parent if known else parent,
              "label_zh": label_zh or code, "label_en": label_en or label_zh or code, "abstract": abstract,
              "attributes": attributes or []}
    classes.forget(cs.session)
    if row is None:
        return row_to_dict(cs.create(CIClassDef, "/HQ/", values))
    merged = list(row.attributes) + [a for a in attributes or [] if a["code"] not in
                                     {x["code"] for x in row.attributes}]
    cs.update(row, {**values, "attributes": merged})
    return row_to_dict(row)
