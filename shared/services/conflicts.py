"""The provincial administrator's conflict queue: list, show, resolve (singly or in bulk).

A resolution is an ordinary write made through a ChangeSet on the merge authority, so it
gets a new row version and syncs down to the counties and up to HQ like any other change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.models import entity_class
from shared.models.cmdb import CIRelation, ConfigItem
from shared.models.sync import Conflict
from shared.models.tickets import Ticket
from shared.services.actor import Actor
from shared.services.cmdb import relation_id
from shared.services.errors import Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import DOC_COLUMNS, decode_values, row_to_dict

RESOLUTIONS = ("keep_server", "take_client", "edit", "merge_duplicates", "restore")


def list_conflicts(session: Session, actor: Actor, status: str | None = "open", limit: int = 200) -> list[dict]:
    actor.require_role("the conflict queue", "admin")
    stmt = select(Conflict).where(Conflict.owner_path.startswith(actor.org_path), Conflict.deleted.is_(False))
    if status:
        stmt = stmt.where(Conflict.status == status)
    stmt = stmt.order_by(Conflict.created_at.desc(), Conflict.id).limit(limit)
    return [_public(c) for c in session.scalars(stmt)]


def show_conflict(session: Session, actor: Actor, conflict_id: str) -> dict:
    conflict = _load(session, actor, conflict_id)
    data = _public(conflict)
    row = session.get(entity_class(conflict.entity), conflict.row_id)
    data["current_row"] = row_to_dict(row) if row is not None else None
    return data


def _public(c: Conflict) -> dict[str, Any]:
    data = row_to_dict(c)
    for key in ("base_value", "server_value", "client_value"):
        data[key] = (data.get(key) or {}).get("v")
    return data


def _load(session: Session, actor: Actor, conflict_id: str) -> Conflict:
    conflict = session.get(Conflict, conflict_id)
    if conflict is None or not actor.can_see(conflict.owner_path):
        raise NotFound(f"no conflict {conflict_id}")
    actor.require_role("the conflict queue", "admin")
    return conflict


def resolve(cs: ChangeSet, actor: Actor, conflict_id: str, resolution: str, value: Any = None) -> dict:
    if resolution not in RESOLUTIONS:
        raise Invalid(f"resolution must be one of {', '.join(RESOLUTIONS)}")
    conflict = _load(cs.session, actor, conflict_id)
    if conflict.status == "resolved":
        raise Invalid("this conflict is already resolved")
    row = cs.session.get(entity_class(conflict.entity), conflict.row_id)
    if row is None:
        raise Invalid("the record of this conflict no longer exists")
    client = (conflict.client_value or {}).get("v")
    if resolution == "keep_server":
        _keep(cs, conflict, row)
    elif resolution == "take_client":
        _take(cs, conflict, row, client)
    elif resolution == "edit":
        if not conflict.field:
            raise Invalid("an edited value needs a field conflict")
        _set_field(cs, row, conflict.field, value)
    elif resolution == "restore":
        if row.deleted:
            cs.restore(row)
    elif resolution == "merge_duplicates":
        _merge_duplicates(cs, conflict)
    cs.update(conflict, {"status": "resolved", "resolution": resolution, "resolved_by": actor.user_id})
    audit.record(cs, actor, "conflict_resolved", f"conflicts/{conflict.id}",
                 {"resolution": resolution, "kind": conflict.kind, "entity": conflict.entity,
                  "row_id": conflict.row_id, "field": conflict.field})
    return _public(conflict)


def resolve_many(cs: ChangeSet, actor: Actor, ids: list[str], resolution: str) -> list[dict]:
    return [resolve(cs, actor, cid, resolution) for cid in ids]


def _keep(cs: ChangeSet, conflict: Conflict, row: Any) -> None:
    """The provisional winner may be the client's value: put the server's back if so."""
    if conflict.kind not in ("field", "illegal_transition") or not conflict.field:
        return
    server = (conflict.server_value or {}).get("v")
    col, _, sub = conflict.field.partition(".")
    current = (getattr(row, col) or {}).get(sub) if sub else row_to_dict(row).get(col)
    if current != server:
        _set_field(cs, row, conflict.field, server)


def _take(cs: ChangeSet, conflict: Conflict, row: Any, client: Any) -> None:
    if conflict.kind in ("field", "illegal_transition"):
        _set_field(cs, row, conflict.field, client)
    elif conflict.kind == "update_vs_delete":
        cs.restore(row)
        values: dict[str, Any] = {}
        for field, new in (client or {}).items():
            _stage(values, row, field, new)
        cs.update(row, values)
    elif conflict.kind == "delete_vs_update":
        cs.restore(row)
    else:
        raise Invalid(f"'take client' does not apply to a {conflict.kind} conflict")


def _stage(values: dict[str, Any], row: Any, field: str, new: Any) -> None:
    col, _, sub = field.partition(".")
    if sub and col in DOC_COLUMNS:
        doc = values.setdefault(col, dict(getattr(row, col) or {}))
        doc[sub] = new
    else:
        values[field] = new


def _set_field(cs: ChangeSet, row: Any, field: str, value: Any) -> None:
    values: dict[str, Any] = {}
    _stage(values, row, field, value)
    cs.update(row, decode_values(type(row), values) if "." not in field else values)


def _merge_duplicates(cs: ChangeSet, conflict: Conflict) -> None:
    """Keep the first record, re-point relations and tickets of the duplicate, delete it."""
    if conflict.kind != "duplicate" or conflict.entity != "config_items":
        raise Invalid("only duplicate configuration items can be merged")
    keep_id = (conflict.server_value or {}).get("v")
    drop_id = (conflict.client_value or {}).get("v")
    keep, drop = cs.session.get(ConfigItem, keep_id), cs.session.get(ConfigItem, drop_id)
    if keep is None or drop is None:
        raise Invalid("one of the duplicate records is gone")
    for rel in cs.session.scalars(select(CIRelation).where(
            (CIRelation.source_id == drop.id) | (CIRelation.target_id == drop.id), CIRelation.deleted.is_(False))):
        src = keep.id if rel.source_id == drop.id else rel.source_id
        dst = keep.id if rel.target_id == drop.id else rel.target_id
        cs.unlink(rel)
        if src != dst:
            cs.link(CIRelation, rel.owner_path, relation_id(src, dst, rel.rel_type),
                    {"source_id": src, "target_id": dst, "rel_type": rel.rel_type})
    for ticket in cs.session.scalars(select(Ticket).where(Ticket.ci_id == drop.id)):
        cs.update(ticket, {"ci_id": keep.id})
    cs.delete(drop)
