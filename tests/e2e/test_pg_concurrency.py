"""The sequence-commit hazard of design/sync.md on PostgreSQL: several writers push through
``SyncEndpoint`` at once while readers pull small pages continuously with their cursors. A reader
must see every committed change exactly once and never skip one (a change-log number handed out
before a slower transaction commits would be skipped by a cursor that already moved past it)."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from shared.models import ChangeLogEntry, OutboxEntry
from shared.services import org, tickets, users
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.capture import outbox_payload
from shared.sync.endpoint import SyncEndpoint
from shared.sync.protocol import parse_cursor
from shared.sync.scope import read_filter
from shared.version import PROTOCOL_VERSION, SCHEMA_VERSION

PASSWORD = "concurrency-pw-1"
WRITERS = 4
TICKETS_PER_WRITER = 120
UPDATES_PER_WRITER = 80

pytestmark = [pytest.mark.timeout(240)]


def _province(url: str) -> Store:
    store = Store(url)
    store.init_node("province", "/HQ/GD/")
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部")
        org.add_org(cs, "/HQ/GD/", "广东")
        org.add_org(cs, "/HQ/GD/SZ/", "深圳")
        for i in range(WRITERS):
            org.add_org(cs, f"/HQ/GD/SZ/C{i}/", f"县{i}")
            users.add_user(cs, f"c{i}_tech", PASSWORD, f"/HQ/GD/SZ/C{i}/", ["service_desk"])
        users.add_user(cs, "gd_watch", PASSWORD, "/HQ/GD/", ["admin"])
    return store


def _login(ep: SyncEndpoint, username: str, node_id: str) -> str:
    status, body = ep.dispatch("POST", "/api/v1/auth/login", {
        "username": username, "password": PASSWORD, "node_id": node_id, "kind": "client",
        "protocol": PROTOCOL_VERSION}, None, None)
    assert status == 200, body
    return str(body["token"])


def _batches(root: Path, i: int, ep: SyncEndpoint, seed: int) -> tuple[str, list[list[dict[str, Any]]]]:
    """A county desktop store's outbox (creates, then single-field updates), cut into batches of
    whole transactions of random size, exactly as they would go on the wire."""
    path = f"/HQ/GD/SZ/C{i}/"
    store = Store.open_dir(root / f"c{i}", create=True)
    store.init_node("client", path)
    token = _login(ep, f"c{i}_tech", store.node()["node_id"])
    who = Actor(str(uuid.uuid4()), f"c{i}_tech", path, ("service_desk",))
    ids = []
    for n in range(TICKETS_PER_WRITER):
        with store.write(who.user_id) as cs:
            ids.append(tickets.create_ticket(cs, who, "incident", f"C{i}-{n}")["id"])
    rng = random.Random(seed)
    for n in range(UPDATES_PER_WRITER):
        with store.write(who.user_id) as cs:
            tickets.update_ticket(cs, who, rng.choice(ids), {"description": f"update {n}"})
    with store.read() as s:
        wire = [{**outbox_payload(e), "hash": e.payload_hash}
                for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))]
    store.close()
    groups: list[list[dict[str, Any]]] = []
    for m in wire:
        if groups and groups[-1][-1]["tx"] == m["tx"]:
            groups[-1].append(m)
        else:
            groups.append([m])
    batches = []
    while groups:
        take = rng.randint(1, 6)
        batches.append([m for g in groups[:take] for m in g])
        groups = groups[take:]
    return token, [json.loads(json.dumps(b)) for b in batches]


class Reader(threading.Thread):
    def __init__(self, ep: SyncEndpoint, token: str, limit: int, done: threading.Event) -> None:
        super().__init__(daemon=True, name=f"reader-{limit}")
        self.ep, self.token, self.limit, self.done = ep, token, limit, done
        self.seen: list[tuple[str, str, int]] = []
        self.pages = 0
        self.errors: list[str] = []

    def run(self) -> None:
        cursor: str | None = None
        last: tuple[str | None, int] = (None, -1)
        try:
            while True:
                finishing = self.done.is_set()
                params: dict[str, Any] = {"limit": self.limit, "protocol": PROTOCOL_VERSION}
                if cursor:
                    params["cursor"] = cursor
                status, page = self.ep.dispatch("GET", "/api/v1/sync/pull", None, params, self.token)
                if status != 200:
                    self.errors.append(f"pull answered {status}: {page}")
                    return
                if page.get("resync"):
                    self.errors.append(f"told to resync within one epoch at cursor {cursor}: {page}")
                    return
                self.pages += 1
                epoch, seq = parse_cursor(page["cursor"])
                if last[0] is not None and (epoch != last[0] or seq < last[1]):
                    self.errors.append(f"cursor went back: {last} → {(epoch, seq)}")
                last = (epoch, seq)
                self.seen += [(c["e"], c["d"]["id"], int(c["d"]["version"])) for c in page["changes"]]
                cursor = page["cursor"]
                if not page["more"]:
                    if finishing:
                        return
                    time.sleep(random.random() / 500)
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")


def test_readers_never_skip_a_change_while_writers_push(pg_db_url: str, tmp_path: Path) -> None:
    store = _province(pg_db_url)
    ep = SyncEndpoint(store)
    try:
        work = [_batches(tmp_path, i, ep, seed=i) for i in range(WRITERS)]
        done = threading.Event()
        readers = [Reader(ep, _login(ep, "gd_watch", str(uuid.uuid4())), limit, done) for limit in (3, 40)]
        failures: list[str] = []

        def writer(token: str, batches: list[list[dict[str, Any]]]) -> None:
            for batch in batches:
                body = {"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION, "mutations": batch,
                        "rows": [], "backlog": 0}
                status, answer = ep.dispatch("POST", "/api/v1/sync/push", body, None, token)
                if status != 200 or any(r["status"] != "applied" for r in answer["results"]):
                    failures.append(f"push answered {status}: {str(answer)[:300]}")
                    return

        writers = [threading.Thread(target=writer, args=w, daemon=True) for w in work]
        for t in (*readers, *writers):
            t.start()
        for t in writers:
            t.join(180)
        done.set()
        for r in readers:
            r.join(60)
        assert not failures, failures
        for r in readers:
            assert not r.errors, r.errors

        with store.read() as s:
            logged = Counter((e, rid, int(v)) for e, rid, v in s.execute(
                select(ChangeLogEntry.entity, ChangeLogEntry.row_id, ChangeLogEntry.version)
                .where(read_filter("client", "/HQ/GD/"))))
        pushed = sum(len(b) for _, batches in work for b in batches)
        assert sum(logged.values()) >= pushed  # every pushed mutation made a row version in scope
        # Compared as multisets: each change-log entry must reach each reader exactly once. (A row
        # version logged twice by one batch is a separate bug: test_bugs.py, two edits in one batch.)
        for r in readers:
            seen = Counter(r.seen)
            missing = logged - seen
            assert not missing, f"{r.name} skipped {sum(missing.values())} committed changes, " \
                                f"e.g. {sorted(missing)[:3]}"
            extra = seen - logged
            assert not extra, f"{r.name} got {sum(extra.values())} changes more than once, e.g. {sorted(extra)[:3]}"
            assert r.pages > 20  # the readers really ran alongside the writers
    finally:
        store.close()


