"""Authority-side bookkeeping: a new row version, its field versions, and its change-log entry.

All rows written by one server transaction share one change-log ``seq``; pulls page on
``seq`` boundaries, so a transaction is never split. The seq is taken from ``node_state``
while that row is locked (``FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so
sequence numbers are handed out in commit order and a reader never skips one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.db.base import Synced
from shared.db.types import utcnow
from shared.models.sync import ChangeLogEntry, NodeState
from shared.sync.codec import row_to_dict


class TxSeq:
    """The change-log number of the current server transaction (taken on first use)."""

    def __init__(self, session: Session, state: NodeState) -> None:
        self.session = session
        self.state = state
        self._seq: int | None = None

    def get(self) -> int:
        if self._seq is None:
            self._seq = int(self.state.change_seq) + 1
        if int(self.state.change_seq) != self._seq:  # also after a savepoint rolled it back
            self.state.change_seq = self._seq
        return self._seq


def bump_version(row: Synced, applied_fields: Iterable[str], author_node: str) -> None:
    """Advance the authority version and record who last changed each applied field."""
    row.version = int(row.version or 0) + 1
    fv = dict(row.field_versions or {})
    for f in applied_fields:
        fv[f] = [row.version, author_node]
    row.field_versions = fv
    row.updated_at = utcnow()


PENDING = "itops_pending_log"
TX_LOG = "itops_tx_log"  # (entity, id) → this transaction's change-log entry


def log_change(session: Session, seq: int, row: Synced, origin_node: str) -> ChangeLogEntry:
    """Log a row version. One entry per row per transaction: a second change of the row in the
    same transaction updates its entry (no reader can see the version in between). The snapshot
    is taken when the session flushes, so it holds everything the transaction set on the row."""
    key = (row.__tablename__, row.id)  # type: ignore[attr-defined]
    logged = session.info.setdefault(TX_LOG, {})
    entry = logged.get(key)
    if entry is None or entry.seq != seq:
        entry = ChangeLogEntry(
            seq=seq, entity=key[0], row_id=row.id, owner_path=row.owner_path, version=row.version,
            deleted=bool(row.deleted), origin_node=origin_node, data={},
        )
        session.add(entry)
        logged[key] = entry
    entry.origin_node = origin_node
    session.info.setdefault(PENDING, []).append((entry, row))
    return entry


@event.listens_for(Session, "before_flush")
def _snapshot_logged_rows(session: Session, _ctx: Any, _instances: Any) -> None:
    for entry, row in session.info.pop(PENDING, ()):
        entry.data = row_to_dict(row)
        entry.version, entry.deleted, entry.owner_path = row.version, bool(row.deleted), row.owner_path


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _end_of_transaction(session: Session) -> None:
    session.info.pop(TX_LOG, None)
    session.info.pop(PENDING, None)
