"""Sign-in with lockout and audit, for the desktop (local store) and the server (sync nodes).

A refused sign-in must still leave its trace: the failure count and the ``login_failed`` entry commit
in the same transaction as the check, and the refusal is raised only after that commit.
"""

from __future__ import annotations

from typing import Any

from shared import audit
from shared.security import LockedOut, check_lockout, note_failure, note_success
from shared.services.actor import Actor
from shared.services.errors import Forbidden, ServiceError
from shared.services.users import authenticate
from shared.store import Store
from shared.sync import server as srv
from shared.sync.protocol import Unauthorized


def _attempt(cs: Any, username: str, password: str, via: str, source: str) -> tuple[Actor | None, Exception | None]:
    """Check lockout and password inside ``cs``; record the outcome. Returns (actor, refusal)."""
    where = {"via": via, **({"source": source} if source else {})}
    try:
        check_lockout(cs.session, username)
        return authenticate(cs.session, username, password), None
    except LockedOut as exc:
        audit.record(cs, username, "login_locked", username, {**where, "retry_after": exc.retry_after})
        return None, exc
    except ServiceError as exc:
        locked = note_failure(cs.session, username)
        audit.record(cs, username, "login_failed", username, {**where, **({"locked_for": locked} if locked else {})})
        return None, exc


def sign_in_local(store: Store, username: str, password: str, via: str = "desktop") -> Actor:
    """Offline sign-in against the store's cached salted hash.

    :raises LockedOut: too many wrong passwords: wait ``retry_after`` seconds.
    :raises Forbidden: wrong username or password (one message for both)."""
    with store.write() as cs:
        actor, refusal = _attempt(cs, username, password, via, "")
        if actor is not None:
            note_success(cs.session, username)
            audit.record(cs, actor, "login", actor.username, {"via": via})
    if refusal is not None:
        raise refusal if isinstance(refusal, LockedOut) else Forbidden("wrong username or password")
    assert actor is not None
    return actor


def sign_in_node(store: Store, body: dict[str, Any], source: str = "") -> dict[str, Any]:
    """``POST /api/v1/auth/login``: check the password, register the node, issue its token.

    :raises LockedOut: the username is locked (HTTP 429 with Retry-After).
    :raises SyncError: 401 on a wrong password, 403/400 when the node cannot sign in here."""
    srv.check_versions(body)
    username = str(body.get("username", ""))
    with store.write() as cs:
        actor, refusal = _attempt(cs, username, str(body.get("password", "")), "sync", source)
        if actor is not None:
            result = srv.register_node(cs.session, actor, str(body.get("node_id", "")),
                                       str(body.get("kind", "client")), str(body.get("name", "")),
                                       str(body.get("app_version", "")))
            result["server_node"] = cs.state.node_id
            note_success(cs.session, username)
            audit.record(cs, actor, "login", actor.username, {"via": "sync", "source": source})
            audit.record(cs, actor, "token_issued", result["node_id"],
                         {"kind": result["scope"]["kind"], "expires_at": result["expires_at"]})
    if isinstance(refusal, LockedOut):
        raise refusal
    if refusal is not None:
        raise Unauthorized("bad_login", "wrong username or password")
    return result
