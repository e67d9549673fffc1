"""The province's conflict queue over HTTP (``/api/v1/admin``), with this store's sync token.

Runs in background ops only. Every failure is an ``AdminError`` whose ``reason`` the area turns into
one clear sentence: offline, not_signed_in, auth (sign in again), forbidden (not an admin), refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import select

from shared.models.org import User
from shared.models.sync import SyncPeer
from shared.models.tickets import Ticket
from shared.security import token_value
from shared.services.actor import Actor
from shared.store import Store

TIMEOUT = (5.0, 20.0)  # connect, read (seconds)
MAX_USERS = 2000


class AdminError(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Upstream:
    url: str
    token: str


@dataclass(frozen=True)
class Queue:
    """The conflicts plus what makes them readable: names of users and nodes, labels of records."""

    url: str
    conflicts: list[dict[str, Any]]
    names: dict[str, str] = field(default_factory=dict)  # user id or node id → display name
    records: dict[str, str] = field(default_factory=dict)  # row id → "INC-… title"
    users: list[tuple[str, str]] = field(default_factory=list)  # (id, display) choices for an edit


def upstream(store: Store) -> Upstream:
    with store.read() as session:
        peer = session.get(SyncPeer, "upstream")
        if peer is None or not peer.token:
            raise AdminError("not_signed_in")
        return Upstream(peer.url, token_value(peer.token))  # the token may live in the OS keyring


class AdminClient:
    def __init__(self, up: Upstream, session: requests.Session | None = None) -> None:
        self.up = up
        self.session = session or requests.Session()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None) -> dict[str, Any]:
        url = self.up.url.rstrip("/") + "/api/v1/admin" + path
        try:
            resp = self.session.request(method, url, json=body, params=params, timeout=TIMEOUT,
                                        headers={"Authorization": f"Bearer {self.up.token}"})
        except requests.RequestException as exc:
            raise AdminError("offline", str(exc)) from None
        try:
            payload = resp.json() if resp.content else {}
        except ValueError:
            payload = {}
        if resp.status_code == 200 and isinstance(payload, dict):
            return payload
        message = _message(payload) or f"HTTP {resp.status_code}"
        reason = {401: "auth", 403: "forbidden"}.get(resp.status_code, "refused")
        if resp.status_code >= 500:
            reason = "offline"
        raise AdminError(reason, message)

    def conflicts(self, status: str) -> list[dict[str, Any]]:
        return list(self.call("GET", "/conflicts", params={"status": status}).get("conflicts", []))

    def node_names(self) -> dict[str, str]:
        return {n["node_id"]: n.get("name") or n["node_id"] for n in self.call("GET", "/nodes").get("nodes", [])}

    def resolve(self, ids: list[str], resolution: str, value: Any = None) -> list[dict[str, Any]]:
        if len(ids) == 1:
            return [self.call("POST", f"/conflicts/{ids[0]}/resolve", {"resolution": resolution, "value": value})]
        return list(self.call("POST", "/conflicts/resolve", {"ids": ids, "resolution": resolution})
                    .get("resolved", []))


def _message(payload: Any) -> str:
    if not isinstance(payload, dict):
        return ""
    error = payload.get("error")
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return str(payload.get("message") or "")


def fetch_queue(store: Store, actor: Actor, status: str) -> Queue:
    up = upstream(store)
    client = AdminClient(up)
    conflicts = client.conflicts(status)
    names = client.node_names()
    users, records = _local_labels(store, actor, conflicts)
    names.update(dict(users))
    return Queue(up.url, conflicts, names, records, users)


def resolve(store: Store, ids: list[str], resolution: str, value: Any = None) -> list[dict[str, Any]]:
    """Resolve on the server; ``keep_server`` there also puts the server value back on the row."""
    return AdminClient(upstream(store)).resolve(ids, resolution, value)


def _local_labels(store: Store, actor: Actor,
                  conflicts: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Users of the admin's subtree (from this store's synced copy) and labels of the tickets involved."""
    ticket_ids = [c["row_id"] for c in conflicts if c.get("entity") == "tickets"]
    with store.read() as session:
        rows = session.execute(select(User.id, User.full_name, User.username)
                               .where(User.org_path.startswith(actor.org_path), User.deleted.is_(False))
                               .order_by(User.username).limit(MAX_USERS))
        users = [(u.id, f"{u.full_name} ({u.username})" if u.full_name else u.username) for u in rows]
        tickets = session.execute(select(Ticket.id, Ticket.number, Ticket.title).where(Ticket.id.in_(ticket_ids)))
        records = {t.id: f"{t.number} {t.title}" for t in tickets}
    return users, records
