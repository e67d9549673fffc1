"""(b) Province merge of pushed single-field updates, mutations/s, on SQLite and PostgreSQL.

A county desktop store creates N tickets and pushes them (setup, also reported), then makes N
single-field updates (one per ticket, each its own transaction, as a user would) and pushes them. The
batches are cut like the client cuts them (``PUSH_BATCH_BYTES``, whole transactions) and handed to
``SyncEndpoint.dispatch`` already decoded, so the figure is the province's side: authentication,
scope checks, idempotency log, three-way merge, row versions and change log, in one transaction per
batch.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.common import COUNTY, PASSWORD, Stopwatch, county_actor, figure, make_client, make_province, verdict
from shared.models import OutboxEntry, Ticket
from shared.store import Store
from shared.sync.capture import ChangeSet, outbox_payload
from shared.sync.codec import dumps
from shared.sync.endpoint import SyncEndpoint
from shared.sync.protocol import PUSH_BATCH_BYTES
from shared.version import PROTOCOL_VERSION, SCHEMA_VERSION

TARGETS = {"sqlite": 500.0, "postgresql": 1000.0}


def _batches(store: Store, after_seq: int) -> list[list[dict[str, Any]]]:
    with store.read() as s:
        wire = [{**outbox_payload(e), "hash": e.payload_hash} for e in s.scalars(
            select(OutboxEntry).where(OutboxEntry.seq > after_seq).order_by(OutboxEntry.seq))]
    batches: list[list[dict[str, Any]]] = [[]]
    size = 0
    for m in wire:
        size += len(dumps(m))
        cur = batches[-1]
        if cur and (size > PUSH_BATCH_BYTES or (m["tx"] != cur[-1]["tx"] and size > PUSH_BATCH_BYTES / 2)):
            batches.append([])
            size = len(dumps(m))
        batches[-1].append(m)
    return [json.loads(json.dumps(b)) for b in batches if b]  # as decoded from the wire


def _push(ep: SyncEndpoint, token: str, batches: list[list[dict[str, Any]]]) -> float:
    watch = Stopwatch()
    for batch in batches:
        body = {"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION, "mutations": batch, "rows": [],
                "backlog": 0}
        with watch:
            status, answer = ep.dispatch("POST", "/api/v1/sync/push", body, None, token)
        assert status == 200, answer
        assert all(r["status"] == "applied" for r in answer["results"]), answer["results"][:3]
    return watch.seconds


def measure(url: str, client_dir: Path, n: int) -> dict[str, Any]:
    province = make_province(url)
    ep = SyncEndpoint(province)
    client = make_client(client_dir)
    status, body = ep.dispatch("POST", "/api/v1/auth/login", {
        "username": "lh_tech", "password": PASSWORD, "node_id": client.node()["node_id"], "kind": "client",
        "protocol": PROTOCOL_VERSION}, None, None)
    assert status == 200, body
    token = body["token"]
    who = county_actor()
    ids: list[str] = []
    with client.write(who.user_id) as cs0:  # one SQLite commit, but a transaction id per ticket
        for i in range(n):
            cs = ChangeSet(cs0.session, who.user_id)
            row = cs.create(Ticket, COUNTY, {"process": "incident", "number": f"INC-LH-{i:06d}",
                                             "title": f"打印机卡纸 {i}", "state": "new",
                                             "description": "三楼东侧打印机卡纸", "opened_at": None})
            ids.append(row.id)
    creates = _batches(client, 0)
    create_s = _push(ep, token, creates)
    last = sum(len(b) for b in creates)
    with client.write(who.user_id) as cs0:
        rows = {r.id: r for r in cs0.session.scalars(select(Ticket))}
        for i, tid in enumerate(ids):
            ChangeSet(cs0.session, who.user_id).update(rows[tid], {"title": f"打印机卡纸 {i} 已更换硒鼓"})
    updates = _batches(client, last)
    assert sum(len(b) for b in updates) == n
    update_s = _push(ep, token, updates)
    with province.read() as s:
        changed = s.scalar(select(Ticket).where(Ticket.id == ids[-1]))
        assert changed is not None and changed.version == 2 and changed.title.endswith("已更换硒鼓")
    client.close()
    province.close()
    return {"updates": n, "batches": len(updates), "updates_per_s": n / update_s, "update_seconds": update_s,
            "creates_per_s": n / create_s}


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    try:
        from tests import pg
    except ImportError:
        yield None
        return
    try:
        with pg.postgres_server() as base:
            url = pg.create_database(base)
            try:
                yield url
            finally:
                pg.drop_database(url)
    except pg.PostgresUnavailable as exc:
        print(f"[b] PostgreSQL: skipped ({exc})")
        yield None


def run(quick: bool) -> dict[str, Any]:
    n = 500 if quick else 10_000
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="itops-bench-b-") as tmp:
        root = Path(tmp)
        results["sqlite"] = measure(f"sqlite:///{root}/province.db", root / "client-sqlite", n)
        with postgres() as url:
            if url:
                results["postgresql"] = measure(url, root / "client-pg", n)
    for db, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        r = results.get(db)
        if r is None:
            continue
        r["target_met"] = r["updates_per_s"] >= TARGETS[db]
        figure("b", f"{label}: province merge of {n:,} pushed single-field updates: "
                    f"{r['updates_per_s']:,.0f} mutations/s ({r['update_seconds']:.1f} s, {r['batches']} batches); "
                    f"target ≥ {TARGETS[db]:,.0f}/s: {verdict(r['target_met'])} "
                    f"(creates of the same tickets: {r['creates_per_s']:,.0f}/s)")
    return results


