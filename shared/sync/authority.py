"""The merge authority's write path: turn a pushed mutation into a new row version.

Used by the province server for its counties' pushes (and for edits HQ forwards to it), and
by HQ for rows a province relays up (``apply_replica``: the province already merged them).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.base import Synced, fill_defaults
from shared.db.types import utcnow
from shared.models import entity_class
from shared.models.sync import Conflict
from shared.processes.engine import TransitionError, check_transition, priority_for
from shared.sync.capture import mark_recorded
from shared.sync.changelog import TxSeq, bump_version, log_change
from shared.sync.codec import decode_values, row_to_dict
from shared.sync.merge import ConflictSpec, MergeResult, Mutation, RowState, merge

ABSENT = "itops_absent"  # (entity, id) pairs a batch preload found missing


def row_state(row: Synced) -> RowState:
    values = row_to_dict(row)
    return RowState(values=values, version=int(row.version or 0), deleted=bool(row.deleted),
                    field_versions=dict(row.field_versions or {}))


def apply_mutation(session: Session, tx: TxSeq, m: Mutation, author: str = "") -> dict[str, Any]:
    """Merge one mutation; returns ``{"status", "version", "conflicts"}``. Writes nothing on reject."""
    if m.op.startswith("reject:"):
        return _reject(session, tx, m, author, "transaction group rejected: " + m.op[7:])
    cls = entity_class(m.entity)
    row = lookup(session, m.entity, m.row_id)
    if row is not None and row.owner_path != m.owner_path:
        return _reject(session, tx, m, author, "owner mismatch: the row belongs to " + row.owner_path)
    policies = getattr(cls, "__sync_policies__", {})
    result = merge(row_state(row) if row is not None else None, m, policies, check_transition)
    rejected = [c for c in result.conflicts if c.kind == "rejected"]
    if rejected:
        return _reject(session, tx, m, author, rejected[0].reason)
    _derive(m.entity, result)
    if result.changed:
        row = _write(session, cls, row, m, result)
        bump_version(row, result.applied, m.node)
        row.hlc = max(row.hlc or "", m.hlc)
        row.updated_by = m.user
        log_change(session, tx.get(), row, m.node)
    conflict_ids = [_record_conflict(session, tx, m, c, author).id for c in result.conflicts]
    duplicates = _flag_duplicates(session, tx, cls, row, m, author) if (
        row is not None and result.created) else []
    needs_review = duplicates or any(c.status == "open" for c in result.conflicts)
    status = "conflict" if needs_review else ("merged" if result.conflicts else "applied")
    conflict_ids += duplicates
    return {"status": status, "version": int(row.version) if row is not None else 0,
            "conflicts": conflict_ids}


def _derive(entity: str, result: MergeResult) -> None:
    """Fields computed from others stay consistent after a merge: a ticket's priority always
    follows the merged impact × urgency, whichever sides won those fields."""
    impact, urgency = result.values.get("impact"), result.values.get("urgency")
    if entity != "tickets" or result.deleted or impact is None or urgency is None:
        return
    try:
        priority = priority_for(impact, urgency)
    except (TransitionError, TypeError):
        return
    if result.values.get("priority") != priority:
        result.values["priority"] = priority
        result.applied["priority"] = priority


def lookup(session: Session, entity: str, row_id: str) -> Synced | None:
    """``session.get`` that knows the ids a batch preload found missing (no query for those)."""
    if (entity, row_id) in session.info.get(ABSENT, ()):
        return None
    return session.get(entity_class(entity), row_id)


def _write(session: Session, cls: type[Synced], row: Synced | None, m: Mutation,
           result: MergeResult) -> Synced:
    values = decode_values(cls, result.values)
    if row is None:
        row = cls(id=m.row_id, owner_path=m.owner_path, version=0, field_versions={},
                  created_at=utcnow(), hlc=m.hlc)
        session.add(row)
        session.info.get(ABSENT, set()).discard((m.entity, m.row_id))
        session.info.setdefault("itops_preloaded", []).append(row)
    for key, value in values.items():
        if key not in ("id", "owner_path", "version", "field_versions", "deleted", "created_at",
                       "updated_at", "hlc", "updated_by"):
            setattr(row, key, value)
    row.deleted = result.deleted
    fill_defaults(row)
    mark_recorded(session, row)
    return row


def _reject(session: Session, tx: TxSeq, m: Mutation, author: str, reason: str) -> dict[str, Any]:
    conflict = _record_conflict(session, tx, m, ConflictSpec(kind="rejected", reason=reason), author)
    return {"status": "rejected", "version": 0, "conflicts": [conflict.id], "reason": reason}


def _record_conflict(session: Session, tx: TxSeq, m: Mutation, spec: ConflictSpec, author: str) -> Conflict:
    conflict = Conflict(
        id=str(uuid.uuid4()), owner_path=m.owner_path, version=0, field_versions={}, deleted=False,
        created_at=utcnow(), hlc=m.hlc, kind=spec.kind, entity=m.entity, row_id=m.row_id,
        field=spec.field, base_value={"v": spec.base_value}, server_value={"v": spec.server_value},
        client_value={"v": spec.client_value}, server_author=spec.server_node, client_author=author,
        client_node=m.node, mutation={"op": m.op, "base": m.base_version, "changes": m.changes,
                                      "hlc": m.hlc, "user": m.user},
        reason=spec.reason, status=spec.status, resolution="",
    )
    session.add(conflict)
    mark_recorded(session, conflict)
    bump_version(conflict, [], m.node)
    log_change(session, tx.get(), conflict, m.node)
    return conflict


def _flag_duplicates(session: Session, tx: TxSeq, cls: type[Synced], row: Synced, m: Mutation,
                     author: str) -> list[str]:
    """Two offline creates of the same natural key (asset tag) are both kept and flagged."""
    ids: list[str] = []
    for key in getattr(cls, "__natural_keys__", ()):
        value = getattr(row, key)
        if value in (None, ""):
            continue
        column = getattr(cls, key)
        others = session.scalars(select(cls).where(column == value, cls.id != row.id,  # type: ignore[attr-defined]
                                                   cls.deleted.is_(False))).all()  # type: ignore[attr-defined]
        for other in others:
            spec = ConflictSpec(kind="duplicate", field=key, server_value=other.id, client_value=row.id,
                                reason=f"two records share {key} {value!r}; merge them or change one")
            ids.append(_record_conflict(session, tx, m, spec, author).id)
    return ids


def apply_replica(session: Session, tx: TxSeq, data: dict[str, Any], entity: str, origin: str) -> bool:
    """Store a row version merged by another authority; older or equal versions are ignored."""
    cls = entity_class(entity)
    row = session.get(cls, data["id"])
    version = int(data.get("version") or 0)
    if row is not None and int(row.version or 0) >= version:
        return False
    values = decode_values(cls, data)
    if row is None:
        row = cls(id=data["id"])
        session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    mark_recorded(session, row)
    log_change(session, tx.get(), row, origin)
    return True
