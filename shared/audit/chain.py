"""Appending to this node's chain, and the guard that keeps entries immutable."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from shared.models.audit import AuditChain, AuditEvent, AuditTampered  # noqa: F401  (re-exported)
from shared.models.org import User
from shared.services.actor import Actor
from shared.sync.capture import ChangeSet

GENESIS = "0" * 64
# Known event names (others are accepted: a new service may add its own, lower-case with '_').
EVENTS = (
    "login", "login_failed", "login_locked", "logout", "token_issued", "token_revoked",
    "user_created", "password_changed", "role_changed", "user_disabled", "user_enabled", "user_moved",
    "conflict_resolved", "deleted", "restored", "exported", "imported",
    "backup", "restore", "store_recovered",
)
# What an entry's hash covers: everything that says what happened, plus its place in the chain.
HASHED = ("id", "owner_path", "node_id", "node_seq", "at", "actor_id", "actor", "event", "target",
          "detail", "prev_hash")


def entry_hash(values: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the hashed fields (same bytes on every node and database)."""
    doc = {k: values.get(k) for k in HASHED}
    doc["node_seq"] = int(doc["node_seq"] or 0)
    doc["detail"] = doc["detail"] or {}
    raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _who(cs: ChangeSet, actor: Actor | str | None) -> tuple[str | None, str]:
    if isinstance(actor, Actor):
        return actor.user_id, actor.username
    if isinstance(actor, str):
        return None, actor[:64]
    if cs.user_id:
        user = cs.session.get(User, cs.user_id)
        return cs.user_id, user.username if user is not None else ""
    return None, "system"


def record(cs: ChangeSet, actor: Actor | str | None, event: str, target: str = "",
           detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append an audit entry to this node's chain, in ``cs``'s transaction.

    :param actor: the acting person (an ``Actor``), a bare username (e.g. a failed sign-in), or None for
        the ChangeSet's user (or "system").
    :param event: what happened: one of :data:`EVENTS` or another short snake_case name.
    :param target: what it happened to (a username, a node id, "tickets/<id>", a file name …).
    :param detail: a small JSON object with the particulars (never a password or a token).
    """
    if not event or len(event) > 32:
        raise ValueError("an audit event name has 1–32 characters")
    state = cs.state
    chain = cs.session.get(AuditChain, state.node_id)
    if chain is None:
        chain = AuditChain(node_id=state.node_id, last_seq=0, last_hash=GENESIS)
        cs.session.add(chain)
    actor_id, username = _who(cs, actor)
    values: dict[str, Any] = {
        "node_id": state.node_id, "node_seq": int(chain.last_seq or 0) + 1,
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id, "actor": username, "event": event, "target": target or "",
        "detail": dict(detail or {}), "prev_hash": chain.last_hash or GENESIS, "hash": "",
    }
    row_id = str(uuid.uuid4())
    values["hash"] = entry_hash({**values, "id": row_id, "owner_path": state.org_path})
    # create(op="append") rather than append(): the hash covers the id, so the id is made here
    row = cs.create(AuditEvent, state.org_path, values, row_id=row_id, op="append")
    chain.last_seq, chain.last_hash = values["node_seq"], values["hash"]
    return row
