"""The sync work that runs in background ops: read the sync state, sign in, sync. Plain data in and out.

Every function here runs in a worker thread (``desktop.ops.run_op``) and opens its own store session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from shared.models.sync import OutboxEntry, SyncPeer
from shared.security import hash_password
from shared.services.errors import ServiceError
from shared.services.users import find_user
from shared.store import Store
from shared.sync.client import AuthRequired, Progress, SyncClient, SyncFailed
from shared.sync.transport import HttpTransport, Transport

DEFAULT_SERVER_URL = "http://127.0.0.1:8750"
MakeTransport = Callable[[str], Transport]


def http_transport(url: str) -> Transport:
    """Few retries: a person is waiting for "offline" (each retry backs off ~0.5 s, 1 s …)."""
    return HttpTransport(url, timeout=(5.0, 60.0), retries=2)


@dataclass(frozen=True)
class SyncState:
    """What the Sync area and the status bar show; ``signed_in`` means the store holds a sync token."""

    signed_in: bool = False
    url: str = ""
    username: str = ""
    scope: dict[str, Any] = field(default_factory=dict)
    last_sync_at: datetime | None = None
    last_error: str = ""
    outbox: int = 0
    cursor: str = ""
    syncs: int = 0


@dataclass(frozen=True)
class SyncOutcome:
    """One sync: ``failure`` is "" (it worked), "offline", "auth" or "failed"; ``error`` is the server's text."""

    state: SyncState
    report: dict[str, Any] = field(default_factory=dict)
    failure: str = ""
    error: str = ""


def load_state(store: Store) -> SyncState:
    with store.read() as session:
        outbox = int(session.scalar(select(func.count()).select_from(OutboxEntry)
                                    .where(OutboxEntry.acked.is_(False))) or 0)
        peer = session.get(SyncPeer, "upstream")
        if peer is None:
            return SyncState(outbox=outbox)
        cursor = f"{peer.cursor_epoch}:{peer.cursor_seq}" if peer.cursor_epoch else ""
        return SyncState(signed_in=bool(peer.token), url=peer.url, username=peer.username or "",
                         scope=dict(peer.scope or {}), last_sync_at=peer.last_sync_at,
                         last_error=peer.last_error or "", outbox=outbox, cursor=cursor, syncs=int(peer.syncs or 0))


def failure_kind(exc: SyncFailed) -> str:
    if isinstance(exc, AuthRequired):
        return "auth"
    return "offline" if str(exc).startswith("offline") else "failed"


def run_sync(store: Store, make_transport: MakeTransport, progress: Progress,
             credential: tuple[str, str] | None = None) -> SyncOutcome:
    """One sync; an expected failure (offline, sign in again, refused) is an outcome, not an exception."""
    before = load_state(store)
    if not before.signed_in:
        return SyncOutcome(before, failure="auth", error="this store has not signed in to a server yet")
    client = SyncClient(store, make_transport(before.url), progress)
    try:
        report = client.sync()
    except SyncFailed as exc:
        client.record_error(str(exc))
        return SyncOutcome(load_state(store), failure=failure_kind(exc), error=str(exc))
    if credential is not None:
        cache_credential(store, *credential)
    return SyncOutcome(load_state(store), report=report.as_dict())


def sign_in_remote(store: Store, make_transport: MakeTransport, url: str, username: str,
                   password: str) -> dict[str, Any]:
    """``SyncClient.login``: stores the token and scope; raises AuthRequired / SyncFailed."""
    return SyncClient(store, make_transport(url)).login(url, username, password)


def cache_credential(store: Store, username: str, password: str) -> None:
    """Like ``itops login``: the desktop then signs in offline with this salted hash (it never syncs)."""
    with store.write() as cs:
        if cs.state.role != "client":
            return
        try:
            user = find_user(cs.session, username)
        except ServiceError:
            return
        cs.update(user, {"password_hash": hash_password(password)})
