"""The audit log (synced upward, append-only, hash-chained per node) and the local sign-in guard.

* ``audit_events`` — one row per security-relevant or administrative event. Each node chains its
  own entries: ``node_seq`` counts 1, 2, 3 … and ``prev_hash`` is the hash of the node's previous
  entry, so entries from many counties verify per node wherever they are gathered (HQ).
* ``audit_chain`` — local: the head of this node's chain (never synced, survives a resync purge).
* ``login_attempts`` — local: failed sign-ins per username for the lockout back-off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, Index, Integer, String, Text, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared.db.base import Base, Synced


class AuditEvent(Synced, Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_node_seq", "node_id", "node_seq"),)
    __append_only__: ClassVar[bool] = True

    node_id: Mapped[str] = mapped_column(String(36))
    node_seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[str] = mapped_column(String(32), index=True)  # ISO 8601 UTC, hashed as written
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    event: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChain(Base):
    __tablename__ = "audit_chain"

    node_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)


class AuditTampered(RuntimeError):
    """An attempt to change or delete an audit entry through the application."""


# Columns that sync bookkeeping may change on an entry (a pulled authority version); nothing else.
_BOOKKEEPING = frozenset({"version", "field_versions", "created_at", "updated_at", "hlc", "updated_by"})


@event.listens_for(Session, "before_flush")
def _guard_audit_rows(session: Session, _ctx: Any, _instances: Any) -> None:
    """Entries are append-only for every service and every path through the ORM."""
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditTampered("audit entries cannot be deleted")
    for obj in session.dirty:
        if not isinstance(obj, AuditEvent):
            continue
        state = sa_inspect(obj)
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if attr.key in _BOOKKEEPING or not history.deleted or not history.added:
                continue
            if history.added[0] != history.deleted[0]:
                raise AuditTampered(f"audit entries are append-only: {attr.key} cannot be changed")
