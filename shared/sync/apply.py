"""Client side: apply pulled row versions, rebasing rows that still have local edits pending.

A page and its cursor are applied in one transaction, so a dropped link loses at most the
page in flight and never leaves half a server transaction applied.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.db.base import Synced
from shared.models import SYNCED, entity_class
from shared.models.sync import OutboxEntry
from shared.sync.capture import mark_recorded
from shared.sync.codec import decode_values, digest, set_field
from shared.sync.scope import can_read

META_KEEP = ("id",)


def pending_by_row(session: Session, row_ids: set[str]) -> dict[str, list[OutboxEntry]]:
    pending: dict[str, list[OutboxEntry]] = {}
    if not row_ids:
        return pending
    ids = list(row_ids)
    for start in range(0, len(ids), 500):
        for e in session.scalars(select(OutboxEntry).where(
                OutboxEntry.row_id.in_(ids[start:start + 500]), OutboxEntry.acked.is_(False))
                .order_by(OutboxEntry.seq)):
            pending.setdefault(e.row_id, []).append(e)
    return pending


def apply_rows(session: Session, changes: list[dict[str, Any]], scope: tuple[str, str] | None) -> int:
    """Apply ``[{"e": entity, "d": row}]`` in order; returns rows written.

    Rows that are not newer than the local copy are skipped; rows outside ``scope``
    (kind, org_path) are removed locally without a tombstone upstream.
    """
    pending = pending_by_row(session, {c["d"]["id"] for c in changes})
    written = 0
    for change in changes:
        entity, data = change["e"], change["d"]
        if entity not in SYNCED:
            continue  # an entity this (older) client does not know yet
        cls = entity_class(entity)
        row = session.get(cls, data["id"])
        if scope is not None and not can_read(scope[0], scope[1], entity, data["owner_path"]):
            if row is not None:
                session.delete(row)
            continue
        incoming = int(data.get("version") or 0)
        if row is not None and (incoming < int(row.version or 0) or (
                incoming == int(row.version or 0) and data["id"] not in pending)):
            continue
        if row is None:
            row = cls(id=data["id"])
            session.add(row)
        _set_values(row, decode_values(cls, data))
        for entry in pending.get(data["id"], ()):
            _reapply(row, entry)
        mark_recorded(session, row)
        written += 1
    return written


def _set_values(row: Synced, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(row, key, value)


def _reapply(row: Synced, entry: OutboxEntry) -> None:
    """Rebase: a pending local edit stays visible on top of the newer server row."""
    if entry.op in ("delete", "unlink"):
        row.deleted = True
        return
    if entry.op in ("restore", "link"):
        row.deleted = False
    doc: dict[str, Any] = {}
    for field, (_old, new) in (entry.changes or {}).items():
        col = field.split(".", 1)[0]
        if col not in doc:
            current = getattr(row, col)
            doc[col] = dict(current) if isinstance(current, dict) else current
        set_field(doc, field, new)
    values = decode_values(type(row), doc)
    for key, value in values.items():
        setattr(row, key, value)


def local_digest(session: Session) -> dict[str, list[Any]]:
    """Same shape as the server's scope digest, over rows the authority has versioned."""
    out: dict[str, list[Any]] = {}
    for name, cls in SYNCED.items():
        lines = sorted(f"{rid}:{ver}:{int(bool(dele))}" for rid, ver, dele in session.execute(
            select(cls.id, cls.version, cls.deleted).where(cls.version > 0)))
        if lines:
            out[name] = [len(lines), digest(lines)]
    return out


def purge_entity(session: Session, entity: str) -> None:
    """Drop every versioned row of an entity before a scoped repair re-pulls it."""
    cls = entity_class(entity)
    pending = {e.row_id for e in session.scalars(select(OutboxEntry).where(OutboxEntry.entity == entity,
                                                                           OutboxEntry.acked.is_(False)))}
    stmt = delete(cls).where(cls.version > 0)
    if pending:
        stmt = stmt.where(cls.id.not_in(pending))
    session.execute(stmt)
