"""Client side: apply pulled row versions, rebasing rows that still have local edits pending.

A page and its cursor are applied in one transaction, so a dropped link loses at most the
page in flight and never leaves half a server transaction applied.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy import inspect as sa_inspect
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
    (kind, org_path) are removed locally without a tombstone upstream. The page's existing rows
    are loaded with one query per entity, and rows new to this store (with no local edit
    pending) go in with one batched INSERT per entity: a first sync of 100,000 rows is bound by
    SQLite, not by a query per row.
    """
    pending = pending_by_row(session, {c["d"]["id"] for c in changes})
    existing = _load_existing(session, changes)
    fresh: dict[str, dict[str, dict[str, Any]]] = {}
    written = 0
    with session.no_autoflush:
        for change in changes:
            entity, data = change["e"], change["d"]
            if entity not in SYNCED:
                continue  # an entity this (older) client does not know yet
            cls = entity_class(entity)
            row = existing.get((entity, data["id"]))
            if scope is not None and not can_read(scope[0], scope[1], entity, data["owner_path"]):
                if row is not None:
                    session.delete(row)
                fresh.get(entity, {}).pop(data["id"], None)
                continue
            incoming = int(data.get("version") or 0)
            if row is None and data["id"] not in pending:
                new = fresh.setdefault(entity, {})
                if data["id"] not in new or incoming >= int(new[data["id"]].get("version") or 0):
                    new[data["id"]] = decode_values(cls, data)
                    written += 1
                continue
            if row is not None and (incoming < int(row.version or 0) or (
                    incoming == int(row.version or 0) and data["id"] not in pending)):
                continue
            if row is None:
                row = cls(id=data["id"])
                session.add(row)
                existing[(entity, data["id"])] = row
            _set_values(row, decode_values(cls, data))
            for entry in pending.get(data["id"], ()):
                _reapply(row, entry)
            mark_recorded(session, row)
            written += 1
    for entity, rows in fresh.items():
        cls = entity_class(entity)
        defaults = column_defaults(cls)
        session.execute(insert(cls.__table__), [{**defaults, **values} for values in rows.values()])  # type: ignore[attr-defined]
    return written


def _load_existing(session: Session, changes: list[dict[str, Any]]) -> dict[tuple[str, str], Synced]:
    ids: dict[str, set[str]] = {}
    for change in changes:
        if change["e"] in SYNCED:
            ids.setdefault(change["e"], set()).add(change["d"]["id"])
    found: dict[tuple[str, str], Synced] = {}
    for entity, wanted in ids.items():
        cls = entity_class(entity)
        batch = list(wanted)
        for start in range(0, len(batch), 500):
            for row in session.scalars(select(cls).where(cls.id.in_(batch[start:start + 500]))):
                found[(entity, row.id)] = row
    return found


def column_defaults(cls: type) -> dict[str, Any]:
    """Values for columns a row from an older peer may lack (NOT NULL columns with defaults)."""
    out: dict[str, Any] = {}
    columns: Any = sa_inspect(cls).columns
    for column in columns:
        default = column.default
        if default is not None:
            out[column.key] = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
    return out


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
