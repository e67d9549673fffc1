"""Change-log compaction up to a horizon (the design's tombstone horizon).

Up to the horizon seq, entries superseded by a later entry of the same row are dropped. Every
row's latest entry stays — tombstones included, so a store that reloads holds the same rows,
deleted ones too, as a store that never left. A client whose cursor is behind the horizon is told
to resync (it could otherwise see part of an old transaction without the rest); a client at or
past it is unaffected, since nothing after the horizon changes. The
horizon defaults to the oldest pull position among nodes seen recently: a node silent for longer
resyncs when it comes back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from shared.db.types import utcnow
from shared.models.sync import ChangeLogEntry, SyncNode
from shared.sync.node import load_state


def default_horizon(session: Session, inactive_days: int) -> int:
    since = utcnow() - timedelta(days=inactive_days)
    active = session.scalar(select(func.min(SyncNode.last_pull_seq)).where(
        SyncNode.revoked_at.is_(None), SyncNode.last_seen_at >= since, SyncNode.kind != "hq"))
    state = load_state(session)
    return int(active if active is not None else state.change_seq)


def compact(session: Session, horizon: int) -> dict[str, Any]:
    state = load_state(session, lock=True)
    horizon = max(0, min(horizon, int(state.change_seq)))
    later = aliased(ChangeLogEntry)
    superseded = select(ChangeLogEntry.id).where(
        ChangeLogEntry.seq <= horizon,
        select(later.id).where(later.entity == ChangeLogEntry.entity, later.row_id == ChangeLogEntry.row_id,
                               later.seq > ChangeLogEntry.seq).exists())
    result: Any = session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.id.in_(superseded)))
    dropped = result.rowcount
    state.horizon_seq = max(int(state.horizon_seq or 0), horizon)
    return {"horizon": int(state.horizon_seq), "superseded": int(dropped or 0)}
