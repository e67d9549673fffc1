"""Change capture: every write to a synced row goes through a ``ChangeSet``.

A ``ChangeSet`` lives for one transaction. For each write it ticks the node's HLC and then
either
* records an outbox entry (this node is not the merge authority for the row: a desktop
  store, or a province editing HQ reference data), with only the changed fields, their old
  and new values and the base version; or
* applies it as the authority (a province editing its own counties' rows): new row version,
  field versions, and a change-log entry numbered with this transaction's seq.

Both happen in the caller's transaction, so a write and its sync record commit or roll back
together. A flush guard refuses synced rows written any other way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.db.base import META_COLUMNS, Synced, fill_defaults
from shared.db.types import utcnow
from shared.models.sync import OutboxEntry
from shared.sync.changelog import TxSeq, bump_version, log_change
from shared.sync.codec import DOC_COLUMNS, column_names, digest, encode_value
from shared.sync.hlc import Clock
from shared.sync.node import authority_of, load_state
from shared.version import SCHEMA_VERSION

T = TypeVar("T", bound=Synced)
RECORDED = "itops_recorded"


def _key(row: Synced) -> tuple[str, str]:
    """Rows are recorded by identity, not by Python object (the identity map holds objects weakly)."""
    return (row.__tablename__, row.id)  # type: ignore[attr-defined]


class UnrecordedWrite(RuntimeError):
    """A synced row was written without a ChangeSet (it would never sync)."""


def outbox_payload(entry: OutboxEntry) -> dict[str, Any]:
    """The wire form of an outbox entry; its hash covers exactly these fields."""
    return {
        "seq": entry.seq, "tx": entry.tx_id, "op": entry.op, "entity": entry.entity,
        "id": entry.row_id, "owner": entry.owner_path, "base": entry.base_version,
        "changes": entry.changes, "hlc": entry.hlc, "user": entry.user_id,
        "schema": entry.schema_version,
    }


class ChangeSet:
    def __init__(self, session: Session, user_id: str | None = None,
                 now_ms: Callable[[], int] | None = None) -> None:
        self.session = session
        self.user_id = user_id
        self.state = load_state(session, lock=True)
        self.clock = Clock(self.state.node_id, int(self.state.hlc_wall), int(self.state.hlc_counter), now_ms)
        self.tx_id = str(uuid.uuid4())
        self.tx_seq = TxSeq(session, self.state)
        self.outbox: list[OutboxEntry] = []
        session.info.setdefault(RECORDED, set())

    # -- public write operations ---------------------------------------------------------
    def create(self, cls: type[T], owner_path: str, values: dict[str, Any], row_id: str | None = None,
               op: str = "create") -> T:
        row = cls(id=row_id or str(uuid.uuid4()), owner_path=owner_path, version=0, deleted=False,
                  field_versions={}, created_at=utcnow(), updated_at=utcnow())
        changes = {}
        for key, value in values.items():
            self._check_column(cls, key)
            setattr(row, key, value)
        fill_defaults(row)
        for key in column_names(cls):
            if key in META_COLUMNS:
                continue
            value = encode_value(getattr(row, key, None))
            if value is None or value == {} or value == []:
                continue
            for f, v in _flat_items(key, value):
                changes[f] = [None, v]
        self.session.add(row)
        self._record(row, op, changes)
        return row

    def update(self, row: Synced, values: dict[str, Any]) -> dict[str, list[Any]]:
        """Set ``values``; returns the changed fields ``{field: [old, new]}`` (empty: nothing written)."""
        if row.deleted:
            raise ValueError("a deleted record cannot be edited; restore it first")
        changes: dict[str, list[Any]] = {}
        local_only: frozenset[str] = getattr(type(row), "__sync_local_only__", frozenset())
        for key, value in values.items():
            self._check_column(type(row), key)
            if key in local_only:  # a local credential cache: written, never synced
                setattr(row, key, value)
                self.session.info[RECORDED].add(_key(row))
                continue
            old = encode_value(getattr(row, key))
            new = encode_value(value)
            if key in DOC_COLUMNS and isinstance(new, dict):
                old_doc = old or {}
                for sub in sorted(set(old_doc) | set(new)):
                    if old_doc.get(sub) != new.get(sub):
                        changes[f"{key}.{sub}"] = [old_doc.get(sub), new.get(sub)]
                value = dict(value)
            elif old != new:
                changes[key] = [old, new]
            else:
                continue
            setattr(row, key, value)
        if changes:
            self._record(row, "update", changes)
        return changes

    def delete(self, row: Synced) -> None:
        if row.deleted:
            return
        row.deleted = True
        self._record(row, "delete", {})

    def restore(self, row: Synced) -> None:
        if not row.deleted:
            return
        row.deleted = False
        self._record(row, "restore", {})

    def append(self, cls: type[T], owner_path: str, values: dict[str, Any], row_id: str | None = None) -> T:
        if not getattr(cls, "__append_only__", False):
            raise ValueError(f"{cls.__name__} is not append-only")
        return self.create(cls, owner_path, values, row_id=row_id, op="append")

    def link(self, cls: type[T], owner_path: str, row_id: str, values: dict[str, Any]) -> T:
        """Create an edge with a deterministic id, or bring a deleted one back."""
        row = self.session.get(cls, row_id)
        if row is None:
            return self.create(cls, owner_path, values, row_id=row_id, op="link")
        if row.deleted:
            row.deleted = False
            self._record(row, "link", {})
        return row

    def unlink(self, row: Synced) -> None:
        if row.deleted:
            return
        row.deleted = True
        self._record(row, "unlink", {})

    # -- internals -------------------------------------------------------------------------
    @staticmethod
    def _check_column(cls: type, key: str) -> None:
        if key in META_COLUMNS:
            raise ValueError(f"{key} is sync metadata and cannot be set")
        if key not in column_names(cls) and key not in getattr(cls, "__sync_local_only__", ()):
            raise ValueError(f"{cls.__name__} has no field {key!r}")

    def is_authority(self, owner_path: str) -> bool:
        return self.state.role != "client" and authority_of(owner_path) == self.state.authority_path

    def _record(self, row: Synced, op: str, changes: dict[str, list[Any]]) -> None:
        stamp = self.clock.tick().encode()
        self.state.hlc_wall, self.state.hlc_counter = self.clock.wall_ms, self.clock.counter
        row.hlc = stamp
        row.updated_at = utcnow()
        row.updated_by = self.user_id
        self.session.info[RECORDED].add(_key(row))
        if self.is_authority(row.owner_path):
            bump_version(row, changes, self.state.node_id)
            log_change(self.session, self.tx_seq.get(), row, self.state.node_id)
            return
        entry = OutboxEntry(
            seq=int(self.state.next_seq), tx_id=self.tx_id, op=op, entity=row.__tablename__,  # type: ignore[attr-defined]
            row_id=row.id, owner_path=row.owner_path, base_version=int(row.version or 0),
            changes=changes, hlc=stamp, user_id=self.user_id, schema_version=SCHEMA_VERSION,
            payload_hash="", created_at=utcnow(),
            target_path=authority_of(row.owner_path) if self.state.role == "hq" else "",
        )
        entry.payload_hash = digest(outbox_payload(entry))
        self.state.next_seq = int(self.state.next_seq) + 1
        self.session.add(entry)
        self.outbox.append(entry)


def _flat_items(key: str, value: Any) -> list[tuple[str, Any]]:
    if key in DOC_COLUMNS and isinstance(value, dict):
        return [(f"{key}.{sub}", v) for sub, v in sorted(value.items())]
    return [(key, value)]


def mark_recorded(session: Session, row: Synced) -> None:
    """For the sync apply path, which writes rows received from a peer."""
    session.info.setdefault(RECORDED, set()).add(_key(row))


@event.listens_for(Session, "before_flush")
def _guard_unrecorded(session: Session, _ctx: Any, _instances: Any) -> None:
    recorded = session.info.get(RECORDED, set())
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Synced) and _key(obj) not in recorded and session.is_modified(obj):
            raise UnrecordedWrite(
                f"{type(obj).__name__} {obj.id} written outside a ChangeSet: use a service call")


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _clear_recorded(session: Session) -> None:
    session.info.pop(RECORDED, None)
    session.info.pop("itops_preloaded", None)
    session.info.pop("itops_absent", None)
