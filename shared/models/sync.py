"""Sync bookkeeping: this node's identity and clocks, the outbox, peers, and the server's logs.

Every node (desktop store, province server, HQ server) has the same tables; which of
them fill up depends on the node's role:

* ``node_state`` — one row: node id, role, org path, HLC, outbox counter, server epoch and
  change sequence. Writers lock this row, which is what serialises change-log numbering.
* ``outbox`` — mutations made here on rows this node is not the merge authority for.
* ``sync_peers`` — the upstream server: URL, token, cursor.
* ``change_log`` — on servers: every committed row version, numbered by ``seq`` (one number
  per server transaction), read by pulls.
* ``sync_nodes`` / ``push_log`` — on servers: registered client nodes and the result of every
  pushed sequence number (idempotent retries, gap and changed-payload detection).
* ``conflicts`` — synced like any row: provincial admins resolve them.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced
from shared.db.types import utcnow


class NodeState(Base):
    __tablename__ = "node_state"

    key: Mapped[str] = mapped_column(String(8), primary_key=True, default="self")
    node_id: Mapped[str] = mapped_column(String(36))
    role: Mapped[str] = mapped_column(String(16))  # client | province | hq
    org_path: Mapped[str] = mapped_column(String(255), default="/HQ/")
    number_prefix: Mapped[str] = mapped_column(String(64), default="")
    hlc_wall: Mapped[int] = mapped_column(BigInteger, default=0)
    hlc_counter: Mapped[int] = mapped_column(Integer, default=0)
    next_seq: Mapped[int] = mapped_column(BigInteger, default=1)
    epoch: Mapped[str] = mapped_column(String(36), default="")
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    authority_path: Mapped[str] = mapped_column(String(255), default="")
    clock_warning: Mapped[str] = mapped_column(String(255), default="")
    horizon_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # tombstones purged up to here


class NumberCounter(Base):
    """Per-prefix counters for human numbers (INC-GD-SZ-LH-000123), made offline."""

    __tablename__ = "number_counters"

    prefix: Mapped[str] = mapped_column(String(64), primary_key=True)
    last: Mapped[int] = mapped_column(BigInteger, default=0)


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_acked_seq", "acked", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    tx_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(12))
    entity: Mapped[str] = mapped_column(String(48))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    owner_path: Mapped[str] = mapped_column(String(255))
    base_version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column()
    hlc: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # For an HQ forwarding an edit of a province's row: the authority path it goes to.
    target_path: Mapped[str] = mapped_column(String(255), default="")
    # Acknowledged entries are kept for a while: after a server restore they are pushed again.
    acked: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncPeer(Base):
    __tablename__ = "sync_peers"

    name: Mapped[str] = mapped_column(String(32), primary_key=True, default="upstream")
    url: Mapped[str] = mapped_column(String(255))
    node_id: Mapped[str] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(64), default="")
    token: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[dict] = mapped_column(default=dict)
    cursor_epoch: Mapped[str] = mapped_column(String(36), default="")
    cursor_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    forwarded_acked: Mapped[int] = mapped_column(BigInteger, default=0)
    relay_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # change-log seq relayed upstream
    syncs: Mapped[int] = mapped_column(Integer, default=0)
    bytes_sent: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_received: Mapped[int] = mapped_column(BigInteger, default=0)


class ChangeLogEntry(Base):
    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_seq_id", "seq", "id"),
        Index("ix_change_log_entity_row", "entity", "row_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(48))
    row_id: Mapped[str] = mapped_column(String(36))
    owner_path: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    origin_node: Mapped[str] = mapped_column(String(36), default="")
    data: Mapped[dict] = mapped_column()


class SyncNode(Base):
    """A node registered with this server: a desktop store or a child province server."""

    __tablename__ = "sync_nodes"

    node_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="client")  # client | province
    name: Mapped[str] = mapped_column(String(120), default="")
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    org_path: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_pull_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    outbox_backlog: Mapped[int] = mapped_column(Integer, default=0)
    app_version: Mapped[str] = mapped_column(String(32), default="")


class PushLog(Base):
    __tablename__ = "push_log"

    node_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict] = mapped_column()


class Conflict(Synced, Base):
    """A merge outcome for a person to review: field conflict, update vs delete, duplicate key,
    illegal state transition or a rejected mutation. The provisional winner is already applied."""

    __tablename__ = "conflicts"
    __sync_policies__: ClassVar[dict[str, str]] = {"status": "queue"}

    kind: Mapped[str] = mapped_column(String(24))
    entity: Mapped[str] = mapped_column(String(48))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64), default="")
    base_value: Mapped[dict] = mapped_column(default=dict)
    server_value: Mapped[dict] = mapped_column(default=dict)
    client_value: Mapped[dict] = mapped_column(default=dict)
    server_author: Mapped[str] = mapped_column(String(80), default="")
    client_author: Mapped[str] = mapped_column(String(80), default="")
    client_node: Mapped[str] = mapped_column(String(36), default="")
    mutation: Mapped[dict] = mapped_column(default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | auto | resolved
    resolution: Mapped[str] = mapped_column(String(24), default="")
    resolved_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
