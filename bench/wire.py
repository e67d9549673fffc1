"""(c) Bytes on the wire, over real HTTP: a province app served by waitress on a free loopback port,
a county store syncing with ``HttpTransport``.

Two counts are given for each figure: what ``HttpTransport`` counts (gzip body + header bytes) and
what actually crossed the socket, read from a fault-free ``FaultProxy`` in front of the server
(request line, every header, chunking: everything TCP carried).
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.common import PASSWORD, RecordingTransport, figure, make_client, make_province, served, verdict
from shared.models import Ticket
from shared.models.org import User
from shared.services import tickets
from shared.services.actor import Actor
from shared.sync.capture import ChangeSet
from shared.sync.client import SyncClient
from sync_server.app import create_app
from tests.e2e.proxy import FaultProxy

BATCH = 100
TARGET_PER_UPDATE = 120
TARGET_NO_CHANGE = 1024


def _body_bytes(body: dict[str, Any]) -> int:
    return len(gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                             compresslevel=6))


class BodyRecorder(RecordingTransport):
    bodies: list[int]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Any:
        if not hasattr(self, "bodies"):
            self.bodies = []
        self.bodies.append(_body_bytes(body) if body is not None else 0)
        return super().call(method, path, body=body, params=params, token=token)


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="itops-bench-c-") as tmp:
        root = Path(tmp)
        make_province(f"sqlite:///{root}/province.db").close()
        app = create_app({"DATABASE_URL": f"sqlite:///{root}/province.db", "ITOPS_ROLE": "province"})
        with served(app) as server, FaultProxy(server.port) as proxy:
            store = make_client(root / "county")
            SyncClient(store, RecordingTransport(proxy.url)).login(proxy.url, "lh_tech", PASSWORD)
            SyncClient(store, RecordingTransport(proxy.url)).sync()
            with store.read() as s:
                user = s.scalar(select(User).where(User.username == "lh_tech"))
                assert user is not None
                who = Actor(user.id, user.username, user.org_path, tuple(user.roles))
            with store.write(who.user_id) as cs:
                ids = [tickets.create_ticket(cs, who, "incident", f"打印机卡纸 {i}",
                                             {"description": "三楼东侧打印机卡纸，已重启无效"})["id"]
                       for i in range(BATCH)]
            SyncClient(store, RecordingTransport(proxy.url)).sync()

            # 100 single-field updates, one transaction each, then one sync
            with store.write(who.user_id) as cs0:
                rows = {r.id: r for r in cs0.session.scalars(select(Ticket).where(Ticket.id.in_(ids)))}
                for i, tid in enumerate(ids):
                    ChangeSet(cs0.session, who.user_id).update(rows[tid], {"title": f"打印机卡纸 {i} 已修复"})
            proxy.reset_counters()
            t = BodyRecorder(proxy.url)
            report = SyncClient(store, t).sync()
            pushes = [(c, b) for c, b in zip(t.calls, t.bodies, strict=True) if c.path.endswith("/push")]
            assert report.pushed == BATCH and len(pushes) == 1 and pushes[0][0].mutations == BATCH
            push_call, push_body = pushes[0]
            snap = proxy.snapshot()
            result["update"] = {
                "push_body_per_update": push_body / BATCH,
                "push_request_per_update": push_call.sent / BATCH,
                "push_round_trip_per_update": (push_call.sent + push_call.received) / BATCH,
                "sync_wire_per_update": (snap["bytes_up"] + snap["bytes_down"]) / BATCH,
                "sync_up_wire_per_update": snap["bytes_up"] / BATCH,
                "calls": [(c.method, c.path.rsplit("/", 1)[-1], c.sent, c.received) for c in t.calls],
            }
            result["update"]["target_met"] = result["update"]["push_request_per_update"] <= TARGET_PER_UPDATE

            # the same edits through the ticket service (each also appends a history entry)
            with store.write(who.user_id) as cs0:
                for tid in ids:
                    tickets.update_ticket(ChangeSet(cs0.session, who.user_id), who, tid,
                                          {"description": "已更换硒鼓"})
            proxy.reset_counters()
            t2 = BodyRecorder(proxy.url)
            SyncClient(store, t2).sync()
            svc = [c for c in t2.calls if c.path.endswith("/push")]
            result["service_update_request_per_update"] = sum(c.sent for c in svc) / BATCH
            result["service_update_wire_per_update"] = proxy.bytes_up / BATCH

            # a sync with nothing to do
            proxy.reset_counters()
            t3 = RecordingTransport(proxy.url)
            SyncClient(store, t3).sync()
            snap = proxy.snapshot()
            result["no_change"] = {
                "calls": len(t3.calls), "counted": sum(c.sent + c.received for c in t3.calls),
                "wire": snap["bytes_up"] + snap["bytes_down"], "connections": snap["connections"],
                "what": [f"{c.method} {c.path}" for c in t3.calls],
            }
            nc = result["no_change"]
            nc["target_met"] = nc["calls"] == 1 and nc["wire"] < TARGET_NO_CHANGE
            store.close()
        app.extensions["itops"].dispose()
    u = result["update"]
    figure("c", f"single-field ticket update in a batch of {BATCH} (gzip): {u['push_request_per_update']:.0f} B "
                f"per update in the push request as HttpTransport counts it ({u['push_body_per_update']:.0f} B "
                f"body only, {u['sync_up_wire_per_update']:.0f} B on the socket upstream); "
                f"target ≤ {TARGET_PER_UPDATE} B: {verdict(u['target_met'])}")
    figure("c", f"  whole sync per update, both ways on the socket (push + ack + pull of the new versions): "
                f"{u['sync_wire_per_update']:.0f} B; through the ticket service (update + history entry): "
                f"{result['service_update_request_per_update']:.0f} B counted upstream per update")
    figure("c", f"no-change sync: {nc['calls']} round trip(s) ({', '.join(nc['what'])}), {nc['counted']} B "
                f"as counted, {nc['wire']} B on the socket; target < {TARGET_NO_CHANGE} B in one round trip: "
                f"{verdict(nc['target_met'])}")
    return result


