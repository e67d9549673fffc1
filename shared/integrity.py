"""Start-up integrity check of a desktop store, and recovery from a corrupt or truncated file.

A damaged ``itops.db`` is moved aside (``itops.db.corrupt-<time>``, never deleted), a fresh store takes
its place with the same org unit and upstream server, and the un-synced outbox is carried over when the
damaged file still yields it. The new store has a NEW node identity (the server has seen the old one's
sequence numbers); signing in again pulls the scope back from the province and pushes the recovered
changes.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.backup import check_sqlite_file, move_aside, stamp
from shared.models.sync import NodeState, OutboxEntry, SyncPeer
from shared.sync.capture import outbox_payload
from shared.sync.codec import digest

STORE_FILE = "itops.db"
SESSION_MARKER = "itops.db.session"  # present while a desktop has the store open
FULL_CHECK_BYTES = 64 * 1024 * 1024
OUTBOX_COLUMNS = ("seq", "tx_id", "op", "entity", "row_id", "owner_path", "base_version", "changes", "hlc",
                  "user_id", "schema_version", "created_at", "target_path")


@dataclass
class Recovery:
    """What start-up found and did; ``message`` is one paragraph for the person at the desk."""

    problem: str
    moved_to: Path
    org_path: str = ""
    server: str = ""
    outbox_recovered: int = 0
    outbox_lost: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        kept = (f"{self.outbox_recovered} unsent change(s) were recovered and will be sent after you sign in"
                if not self.outbox_lost else "unsent changes could not be read from the damaged file")
        if not self.org_path:  # nothing identifies the store any more: it is made anew at sign-in
            return (f"The local store was damaged ({self.problem}) and moved to {self.moved_to}. Sign in again "
                    f"with “itops login --server URL” to create a new store and reload your data.")
        return (f"The local store was damaged ({self.problem}). It was moved to {self.moved_to} and a new "
                f"store was created; {kept}. Sign in to reload your data from the server"
                + (f" {self.server}" if self.server else "") + ".")


def check_store(store_dir: Path, thorough: bool | None = None) -> str:
    """'' when the store file is sound (or absent), else the problem.

    ``thorough`` None: the full check for a small store (a second or less) and after a session that did not
    end cleanly (see :func:`session_open`); a large store that was closed cleanly gets the quick structural
    check, so a province-sized desktop store does not take minutes to start."""
    path = Path(store_dir) / STORE_FILE
    if not path.exists():
        return ""
    if path.stat().st_size == 0:
        return "the file is empty"
    if thorough is None:
        thorough = path.stat().st_size <= FULL_CHECK_BYTES or _marker(store_dir).exists()
    return check_sqlite_file(path, thorough=thorough)


def _marker(store_dir: Path) -> Path:
    return Path(store_dir) / SESSION_MARKER


@contextmanager
def session_open(store_dir: Path) -> Iterator[None]:
    """Marks a desktop session on the store: a marker left behind (a crash, a kill, a power cut) makes the
    next start-up run the full integrity check."""
    marker = _marker(store_dir)
    marker.write_text(f"{os.getpid()}\n", encoding="utf-8")
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


def recover_if_damaged(store_dir: Path) -> Recovery | None:
    """Run at start-up before the store is opened. None when the store is sound."""
    problem = check_store(store_dir)
    if not problem:
        return None
    path = Path(store_dir) / STORE_FILE
    salvage = _salvage(path)
    aside = path.with_name(f"{STORE_FILE}.corrupt-{stamp()}")
    move_aside(path, aside)
    report = Recovery(problem=problem, moved_to=aside, org_path=salvage.get("org_path", ""),
                      server=salvage.get("url", ""), outbox_lost=salvage.get("outbox") is None)
    if report.org_path:
        from shared.store import Store  # here: shared.store imports the sync layer

        store = Store.open_dir(store_dir, create=True)
        try:
            store.init_node("client", report.org_path)
            with store.write() as cs:
                report.outbox_recovered = _restore_outbox(cs.session, salvage.get("outbox") or [])
                if report.server:
                    cs.session.add(SyncPeer(name="upstream", url=report.server, node_id=cs.state.node_id,
                                            username=salvage.get("username", ""), token="", scope={}))
                from shared import audit

                audit.record(cs, "system", "store_recovered", str(aside),
                             {"problem": problem[:200], "outbox_recovered": report.outbox_recovered})
        finally:
            store.close()
    return report


def _salvage(path: Path) -> dict[str, Any]:
    """Read what can still be read: the org unit, the upstream server and the un-acked outbox."""
    found: dict[str, Any] = {"outbox": None}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return found
    try:
        for query, keys in (("SELECT org_path FROM node_state", ("org_path",)),
                            ("SELECT url, username FROM sync_peers WHERE name='upstream'", ("url", "username"))):
            try:
                row = conn.execute(query).fetchone()
                if row:
                    found.update(zip(keys, row, strict=True))
            except sqlite3.Error:
                pass
        try:
            rows = conn.execute(f"SELECT {', '.join(OUTBOX_COLUMNS)} FROM outbox WHERE acked = 0 ORDER BY seq")
            found["outbox"] = [dict(zip(OUTBOX_COLUMNS, r, strict=True)) for r in rows.fetchall()]
        except sqlite3.Error:
            found["outbox"] = None
    finally:
        conn.close()
    return found


def _restore_outbox(session: Session, entries: list[dict[str, Any]]) -> int:
    import json

    from shared.db.types import utcnow

    for raw in entries:
        changes = raw["changes"]
        session.add(OutboxEntry(
            seq=int(raw["seq"]), tx_id=raw["tx_id"], op=raw["op"], entity=raw["entity"], row_id=raw["row_id"],
            owner_path=raw["owner_path"], base_version=int(raw["base_version"]),
            changes=json.loads(changes) if isinstance(changes, str) else changes, hlc=raw["hlc"],
            user_id=raw["user_id"], schema_version=int(raw["schema_version"]), payload_hash="",
            created_at=utcnow(), target_path=raw["target_path"] or "", acked=False))
    session.flush()
    reidentify(session, keep_node_id=True)
    return len(entries)


def reidentify(session: Session, keep_node_id: bool = False) -> str:
    """Give a desktop store a new node identity (after a restore or a rebuild).

    Un-sent outbox entries are renumbered 1, 2, 3 … and re-stamped with the new node id (their HLC names
    their maker, and the server checks it); acknowledged ones are dropped. The upstream sign-in is
    cleared: the next sync asks for a sign-in, which registers the new node."""
    state = session.get(NodeState, "self")
    if state is None or state.role != "client":
        raise ValueError("only a desktop store takes a new identity")
    new_id = state.node_id if keep_node_id else str(uuid.uuid4())
    state.node_id = new_id
    session.execute(delete(OutboxEntry).where(OutboxEntry.acked.is_(True)))
    pending = list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
    for entry in pending:  # renumber from the top down: no primary key is reused mid-way
        session.delete(entry)
    session.flush()
    for number, entry in enumerate(pending, start=1):
        wall, counter, _node = [*entry.hlc.split("-", 2), "", "", ""][:3]
        fresh = OutboxEntry(**{c: getattr(entry, c) for c in OUTBOX_COLUMNS if c not in ("seq", "hlc")},
                            seq=number, hlc=f"{wall}-{counter}-{new_id}", payload_hash="", acked=False)
        fresh.payload_hash = digest(outbox_payload(fresh))
        session.add(fresh)
    state.next_seq = len(pending) + 1
    peer = session.get(SyncPeer, "upstream")
    if peer is not None:
        peer.node_id, peer.token = new_id, ""
    return new_id
