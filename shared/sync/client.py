"""The sync client: push the outbox, then pull pages in scope; the same code runs in a
desktop store and in a province server relaying to HQ.

Order per sync: push → pull → digest check (scoped repair on mismatch). A server restore
(new epoch) makes the client rebuild its scope from a fresh pull and push its outbox again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models import SYNCED
from shared.models.sync import ChangeLogEntry, OutboxEntry, SyncNode, SyncPeer
from shared.security import keep_token, token_value
from shared.store import Store
from shared.sync import server as srv
from shared.sync import snapshot as snapshots
from shared.sync.apply import apply_rows, local_digest, purge_entity
from shared.sync.capture import outbox_payload
from shared.sync.changelog import TxSeq
from shared.sync.codec import dumps, total_digest
from shared.sync.node import load_state
from shared.sync.protocol import PAGE_ROWS, PUSH_BATCH_BYTES, make_cursor
from shared.sync.transport import HttpTransport, Response, Transport, TransportError, download
from shared.version import APP_VERSION, PROTOCOL_VERSION, SCHEMA_VERSION

ACKED_RETENTION = timedelta(days=14)
MAX_ROUNDS = 50


class SyncFailed(Exception):
    """Sync could not finish; the message is for the user. Nothing local was lost."""


class AuthRequired(SyncFailed):
    pass


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    relayed: int = 0
    conflicts: int = 0
    rejected: int = 0
    resynced: bool = False
    repaired: list[str] = field(default_factory=list)
    rounds: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    backlog: int = 0
    warning: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


Progress = Callable[[str, int, int], None]


class SyncClient:
    def __init__(self, store: Store, transport: Transport, progress: Progress | None = None) -> None:
        self.store = store
        self.transport = transport
        self.progress = progress or (lambda phase, done, total: None)

    # -- sign-in ---------------------------------------------------------------------------------
    def login(self, url: str, username: str, password: str) -> dict[str, Any]:
        """Sign in. A brand-new desktop store (no identity yet) takes its org from the server."""
        fresh = not self.store.has_node()
        node = {"node_id": new_node_id(), "role": "client", "org_path": "?"} if fresh else self.store.node()
        kind = "province" if node["role"] == "province" else "client"
        resp = self._call("POST", "/api/v1/auth/login", {
            "username": username, "password": password, "node_id": node["node_id"], "kind": kind,
            "name": f"{username}@{node['org_path']}", "app_version": APP_VERSION,
            "protocol": PROTOCOL_VERSION})
        if fresh:
            self.store.init_node("client", resp.body["scope"]["org_path"], node_id=node["node_id"])
        with self.store.write() as cs:
            peer = cs.session.get(SyncPeer, "upstream")
            if peer is None:
                peer = SyncPeer(name="upstream", url=url, node_id=node["node_id"])
                cs.session.add(peer)
            old_scope = dict(peer.scope or {})
            # a desktop's token goes to the OS keyring where there is one (the store keeps a reference);
            # a province relay runs as a service and keeps it in its database
            token = keep_token(f"{node['node_id']}@{url}", resp.body["token"]) if kind == "client" \
                else resp.body["token"]
            peer.url, peer.username, peer.token = url, username, token
            peer.scope = resp.body["scope"]
            if old_scope and old_scope.get("org_path") != peer.scope.get("org_path"):
                peer.cursor_epoch, peer.cursor_seq = "", 0  # a new scope: pull it afresh
                _drop_versioned_rows(cs.session)
        return resp.body

    # -- one sync ------------------------------------------------------------------------------
    def sync(self) -> SyncReport:
        report = SyncReport()
        peer = self._peer()
        before = (getattr(self.transport, "bytes_sent", 0), getattr(self.transport, "bytes_received", 0))
        after_resync = False
        for _ in range(MAX_ROUNDS):
            report.rounds += 1
            outcome = self._push(peer, report, after_resync)
            if outcome == "resync":
                self._resync(peer, report)
                after_resync = True
                continue
            outcome = self._pull(peer, report)
            if outcome == "resync":
                self._resync(peer, report)
                after_resync = True
                continue
            break
        else:
            raise SyncFailed("sync did not settle after many rounds; try again later")
        report.bytes_sent = getattr(self.transport, "bytes_sent", 0) - before[0]
        report.bytes_received = getattr(self.transport, "bytes_received", 0) - before[1]
        with self.store.write() as cs:
            p = cs.session.get(SyncPeer, "upstream")
            assert p is not None
            p.last_sync_at, p.last_error = utcnow(), ""
            p.syncs = int(p.syncs or 0) + 1
            p.bytes_sent = int(p.bytes_sent or 0) + report.bytes_sent
            p.bytes_received = int(p.bytes_received or 0) + report.bytes_received
            report.backlog = _backlog(cs.session)
            report.warning = load_state(cs.session).clock_warning
        return report

    def record_error(self, message: str) -> None:
        with self.store.write() as cs:
            peer = cs.session.get(SyncPeer, "upstream")
            if peer is not None:
                peer.last_error = message[:500]

    # -- push ------------------------------------------------------------------------------------
    def _push(self, peer: SyncPeer, report: SyncReport, after_resync: bool) -> str:
        if after_resync:
            # A restored server may have lost entries it had acknowledged. Ask where our sequence
            # stands there and queue again what we still keep from that point on; only if we no
            # longer keep it does the next push ask the server to skip ahead (after a gap).
            self._recover_acked(peer)
            after_resync = False
        while True:
            batch, rows, relay_to, backlog = self._next_batch(peer)
            if not batch and not rows:
                return "done"
            self.progress("push", report.pushed, backlog)
            resp = self._call("POST", "/api/v1/sync/push", {
                "protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION, "epoch": peer.cursor_epoch or None,
                "mutations": batch, "rows": rows, "backlog": backlog, "after_resync": after_resync,
            }, token=peer.token, accept=(200, 409))
            if resp.status == 409:
                reason = resp.body.get("error", {}).get("reason")
                if reason == "resync":
                    return "resync"
                if reason == "gap":
                    if not self._rewind(int(resp.body["error"]["expected"])):
                        after_resync = True
                    continue
                raise SyncFailed(resp.body.get("error", {}).get("message", "push refused"))
            self._acknowledge(peer, resp.body, relay_to)
            for result in resp.body.get("results", []):
                report.conflicts += result["status"] == "conflict"
                report.rejected += result["status"] == "rejected"
            report.pushed += len(batch)
            report.relayed += int(resp.body.get("replicated", 0))
            after_resync = False

    def _next_batch(self, peer: SyncPeer) -> tuple[list[dict], list[dict], int, int]:
        with self.store.read() as session:
            state = load_state(session)
            backlog = _backlog(session)
            entries = list(session.scalars(select(OutboxEntry).where(
                OutboxEntry.acked.is_(False), OutboxEntry.target_path == "")
                .order_by(OutboxEntry.seq).limit(2000)))
            if len(entries) == 2000:  # never cut the last transaction group in two
                entries += session.scalars(select(OutboxEntry).where(
                    OutboxEntry.acked.is_(False), OutboxEntry.target_path == "",
                    OutboxEntry.tx_id == entries[-1].tx_id, OutboxEntry.seq > entries[-1].seq)
                    .order_by(OutboxEntry.seq))
            batch: list[dict] = []
            size = 0
            for e in entries:
                wire = {**outbox_payload(e), "hash": e.payload_hash}
                size += len(dumps(wire))
                # a batch ends only between transaction groups: the server applies a group all
                # or nothing only when it arrives whole (one oversized group makes one batch)
                if batch and e.tx_id != batch[-1]["tx"] and size > PUSH_BATCH_BYTES / 2:
                    break
                batch.append(wire)
            rows: list[dict] = []
            relay_to = int(peer.relay_seq or 0)
            if state.role == "province":
                rows, relay_to = _relay_rows(session, state.authority_path, relay_to)
        return batch, rows, relay_to, backlog

    def _acknowledge(self, peer: SyncPeer, body: dict[str, Any], relay_to: int) -> None:
        """Only entries up to the acknowledged sequence are cleared (edits made meanwhile stay)."""
        last = int(body.get("last_seq", 0))
        with self.store.write() as cs:
            cs.session.execute(update(OutboxEntry).where(OutboxEntry.seq <= last, OutboxEntry.target_path == "")
                               .values(acked=True))
            cs.session.execute(delete(OutboxEntry).where(OutboxEntry.acked.is_(True),
                                                         OutboxEntry.created_at < utcnow() - ACKED_RETENTION))
            stored = cs.session.get(SyncPeer, "upstream")
            assert stored is not None
            stored.relay_seq = peer.relay_seq = max(int(stored.relay_seq or 0), relay_to)

    def _recover_acked(self, peer: SyncPeer) -> None:
        resp = self._call("POST", "/api/v1/sync/push", {
            "protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION, "epoch": peer.cursor_epoch or None,
            "mutations": [], "rows": []}, token=peer.token, accept=(200, 409))
        if resp.status == 200:  # a 409 (another restore) is met again by the push that follows
            self._rewind(int(resp.body.get("last_seq", 0)) + 1)

    def _rewind(self, expected: int) -> bool:
        """The server lost entries from ``expected`` on: resend them if we still keep them."""
        with self.store.write() as cs:
            first = cs.session.scalar(select(func.min(OutboxEntry.seq)).where(OutboxEntry.seq >= expected,
                                                                             OutboxEntry.target_path == ""))
            if first != expected:
                return False
            cs.session.execute(update(OutboxEntry).where(OutboxEntry.seq >= expected).values(acked=False))
            return True

    # -- pull ------------------------------------------------------------------------------------
    def _pull(self, peer: SyncPeer, report: SyncReport, entity: str | None = None) -> str:
        if not peer.cursor_epoch and entity is None and isinstance(self.transport, HttpTransport):
            self._snapshot(peer, report)
        cursor = make_cursor(peer.cursor_epoch, int(peer.cursor_seq)) if peer.cursor_epoch else None
        if entity:
            cursor = make_cursor(peer.cursor_epoch, 0)
        while True:
            params: dict[str, Any] = {"limit": PAGE_ROWS, "protocol": PROTOCOL_VERSION}
            if cursor:
                params["cursor"] = cursor
            if entity:
                params["entity"] = entity
            if peer.forwarded_acked:
                params["ack"] = peer.forwarded_acked
            page = self._call("GET", "/api/v1/sync/pull", params=params, token=peer.token).body
            if page.get("resync"):
                return "resync"
            cursor = page["cursor"]
            report.pulled += self._apply_page(peer, page, advance=entity is None)
            self.progress("pull", report.pulled, 0)
            if not page.get("more"):
                if entity is None and "digest" in page:
                    self._check_digest(peer, page["digest"], report, cursor)
                return "done"

    def _snapshot(self, peer: SyncPeer, report: SyncReport) -> None:
        """A large first sync: download the scope's snapshot (resumable), apply it in chunks,
        then start paging from its seq. Small scopes just page from the start."""
        assert isinstance(self.transport, HttpTransport)
        meta = self._call("GET", "/api/v1/sync/snapshot", token=peer.token).body.get("snapshot")
        if not meta:
            return
        dest = self.store.work_dir() / f"snapshot-{meta['id']}.part"
        self.progress("snapshot", 0, int(meta["size"]))
        try:
            download(self.transport, f"/api/v1/sync/snapshot/{meta['id']}", dest, peer.token)
        except TransportError as exc:
            raise SyncFailed(f"offline during the first download (it resumes next time): {exc}") from None
        if snapshots.sha256_of(dest) != meta["sha256"]:
            dest.unlink(missing_ok=True)
            raise SyncFailed("the downloaded snapshot was damaged; it will be fetched again")
        done = 0
        for chunk in snapshots.read_chunks(dest):
            report.pulled += self._apply_page(peer, {"changes": chunk}, advance=False)
            done += len(chunk)
            self.progress("snapshot", done, int(meta["rows"]))
        with self.store.write() as cs:
            p = cs.session.get(SyncPeer, "upstream")
            assert p is not None
            p.cursor_epoch, p.cursor_seq = meta["epoch"], int(meta["seq"])
        peer.cursor_epoch, peer.cursor_seq = meta["epoch"], int(meta["seq"])
        dest.unlink(missing_ok=True)

    def _apply_page(self, peer: SyncPeer, page: dict[str, Any], advance: bool) -> int:
        with self.store.write() as cs:
            session = cs.session
            state = load_state(session)
            if page.get("hlc"):
                # keep the node's HLC ahead of the server's; a skewed wall clock is noted, never refused
                state.clock_warning = cs.clock.observe(page["hlc"])
                state.hlc_wall, state.hlc_counter = cs.clock.wall_ms, cs.clock.counter
            if state.role == "client":
                scope = (peer.scope.get("kind", "client"), peer.scope.get("org_path", state.org_path))
                written = apply_rows(session, page["changes"], scope)
            else:
                tx = TxSeq(session, state)
                written = sum(srv.apply_replica(session, tx, c["d"], c["e"], page.get("server_node", ""))
                              for c in page["changes"] if c["e"] in SYNCED)
                self._apply_forwarded(session, page)
            if advance:
                p = session.get(SyncPeer, "upstream")
                assert p is not None
                epoch, _, seq = page["cursor"].partition(":")
                p.cursor_epoch, p.cursor_seq = epoch, int(seq)
                peer.cursor_epoch, peer.cursor_seq = p.cursor_epoch, p.cursor_seq
            peer.forwarded_acked = session.get(SyncPeer, "upstream").forwarded_acked  # type: ignore[union-attr]
            return written

    def _apply_forwarded(self, session: Session, page: dict[str, Any]) -> None:
        """HQ's edits of this province's rows: merged here, the only authority for them."""
        forwarded = page.get("forwarded") or []
        if not forwarded:
            return
        hq_id = page.get("server_node") or "hq"
        hq = session.get(SyncNode, hq_id)
        if hq is None:
            hq = SyncNode(node_id=hq_id, kind="hq", name="HQ", org_path="/HQ/", token_hash="-",
                          last_seq=0, last_pull_seq=0, outbox_backlog=0)
            session.add(hq)
            session.flush()
        srv.handle_push(session, hq, {"protocol": PROTOCOL_VERSION, "mutations": forwarded,
                                      "after_resync": True})
        peer = session.get(SyncPeer, "upstream")
        assert peer is not None
        peer.forwarded_acked = max(int(m["seq"]) for m in forwarded)

    def _check_digest(self, peer: SyncPeer, remote: dict[str, list[Any]], report: SyncReport,
                      cursor: str) -> None:
        """Compare the scope with the server's; on a mismatch ask for per-entity digests (one more
        round trip) and re-pull only the entities that differ."""
        with self.store.read() as session:
            if load_state(session).role != "client":
                return
            local = local_digest(session)
        if "*" in remote:
            if remote["*"] == total_digest(local):
                return
            page = self._call("GET", "/api/v1/sync/pull", params={
                "cursor": cursor, "limit": PAGE_ROWS, "digest": "full", "protocol": PROTOCOL_VERSION},
                token=peer.token).body
            if page.get("resync") or page.get("more") or page.get("changes"):
                return  # the server moved on meanwhile: the next sync compares again
            remote = page.get("digest") or {}
        # an entity this (older) client does not know is not stored here: nothing to compare
        bad = sorted(e for e in (set(remote) | set(local)) & set(SYNCED) if remote.get(e) != local.get(e))
        for entity in bad:
            with self.store.write() as cs:
                purge_entity(cs.session, entity)
            self._pull(peer, report, entity=entity)
            report.repaired.append(entity)

    def _resync(self, peer: SyncPeer, report: SyncReport) -> None:
        """The server's history changed: rebuild the scope, keep (and later re-push) the outbox."""
        report.resynced = True
        with self.store.write() as cs:
            if load_state(cs.session).role == "client":
                _drop_versioned_rows(cs.session)
                # rows kept for their pending edits: their version is of the old history, so
                # the server's copy must replace them (pending edits are re-applied on top)
                for cls in SYNCED.values():
                    cs.session.execute(update(cls).where(cls.version > 0).values(version=0))
            p = cs.session.get(SyncPeer, "upstream")
            assert p is not None
            p.cursor_epoch, p.cursor_seq, p.relay_seq, p.forwarded_acked = "", 0, 0, 0
            peer.cursor_epoch, peer.cursor_seq, peer.relay_seq, peer.forwarded_acked = "", 0, 0, 0
        self._pull(peer, report)

    # -- plumbing --------------------------------------------------------------------------------
    def _peer(self) -> SyncPeer:
        with self.store.read() as session:
            peer = session.get(SyncPeer, "upstream")
            if peer is None or not peer.token:
                raise AuthRequired("this store has not signed in to a server yet (itops login)")
            session.expunge(peer)
        peer.token = token_value(peer.token)  # detached: resolving a keyring reference writes nothing
        if not peer.token:
            raise AuthRequired("the sync token is no longer in the system keyring; sign in again")
        return peer

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, Any] | None = None, token: str | None = None,
              accept: tuple[int, ...] = (200,)) -> Response:
        try:
            resp = self.transport.call(method, path, body=body, params=params, token=token)
        except TransportError as exc:
            raise SyncFailed(f"offline: {exc}") from None
        if resp.status in accept:
            return resp
        message = (resp.body.get("error") or {}).get("message") or f"server answered {resp.status}"
        if resp.status == 401:
            raise AuthRequired(message)
        raise SyncFailed(message)


def _backlog(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OutboxEntry)
                              .where(OutboxEntry.acked.is_(False))) or 0)


def _drop_versioned_rows(session: Session) -> None:
    for name in reversed(list(SYNCED)):
        purge_entity(session, name)


def _relay_rows(session: Session, authority: str, after: int, limit: int = PAGE_ROWS) -> tuple[list[dict], int]:
    """A province's own merged rows, newest version of each, for HQ."""
    entries = session.scalars(select(ChangeLogEntry).where(
        ChangeLogEntry.seq > after, ChangeLogEntry.owner_path.startswith(authority))
        .order_by(ChangeLogEntry.seq, ChangeLogEntry.id).limit(limit)).all()
    if not entries:
        return [], after
    last_seq = entries[-1].seq
    if len(entries) >= limit:
        entries = [*entries, *session.scalars(select(ChangeLogEntry).where(
            ChangeLogEntry.seq == last_seq, ChangeLogEntry.id > entries[-1].id,
            ChangeLogEntry.owner_path.startswith(authority)))]
    latest: dict[tuple[str, str], ChangeLogEntry] = {}
    for e in entries:
        latest[(e.entity, e.row_id)] = e
    return [{"e": e.entity, "d": e.data} for e in latest.values()], last_seq


def new_node_id() -> str:
    return str(uuid.uuid4())
