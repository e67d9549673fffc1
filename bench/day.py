"""(d) A day of county work synced over a poor link: 64 kbit/s, 300 ms latency each way, and every
open connection cut every 20 s (the first cut 6 s in, so that one lands in the middle of the transfer).

The county works offline (a third of the changes are new tickets, the rest single-field edits through
the ticket service, each with its history entry; one transaction per change), then syncs. The same
province database and county store are copied before the sync; the copy syncs over the same link
without cuts, which gives the bytes a clean run needs and the largest single exchange (a page: a push
batch or a pull page, request plus answer). Re-sent bytes = bytes on the faulty link − bytes on the
clean one; design/sync.md invariant 13 wants at most one page per cut.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.common import PASSWORD, RecordingTransport, figure, make_client, make_province, served, verdict
from shared.models import OutboxEntry, Ticket
from shared.models.org import User
from shared.services import tickets
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.client import SyncClient, SyncFailed
from shared.sync.transport import HttpTransport
from sync_server.app import create_app
from tests.e2e.proxy import FaultProxy

LINK = 8000  # bytes/s: 64 kbit/s
DELAY_MS = 300


def _copy_db(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def _work(store: Store, n: int) -> None:
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == "lh_tech"))
        assert user is not None
        who = Actor(user.id, user.username, user.org_path, tuple(user.roles))
    creates = n // 3
    ids = []
    for i in range(creates):
        with store.write(who.user_id) as cs:
            ids.append(tickets.create_ticket(cs, who, "incident", f"巡检发现问题 {i}",
                                             {"description": "机房空调告警，温度 28°C"})["id"])
    for i in range(n - creates):
        with store.write(who.user_id) as cs:
            tickets.update_ticket(cs, who, ids[i % creates], {"description": f"处理进展 {i}：已联系厂家"})


def _sync_over(root: Path, name: str, cuts: tuple[float, float] | None, deadline: float) -> dict[str, Any]:
    db = root / f"{name}.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{db}", "ITOPS_ROLE": "province"})
    store = Store.open_dir(root / f"county-{name}")
    out: dict[str, Any] = {"attempts": 0, "failures": []}
    try:
        with served(app) as server, FaultProxy(server.port) as proxy:
            proxy.throttle(LINK)
            proxy.delay_ms = DELAY_MS
            if cuts:
                proxy.cut_every(cuts[0], first=cuts[1])
            transport = RecordingTransport(proxy.url)
            start = time.monotonic()
            while True:
                out["attempts"] += 1
                try:
                    report = SyncClient(store, transport).sync()
                    break
                except SyncFailed as exc:  # the desktop tries again later; here at once
                    out["failures"].append(str(exc)[:120])
                    if time.monotonic() - start > deadline:
                        raise
            out["seconds"] = time.monotonic() - start
            proxy.cut_every(None)
            snap = proxy.snapshot()
            out.update(wire=snap["bytes_up"] + snap["bytes_down"], up=snap["bytes_up"], down=snap["bytes_down"],
                       cuts=snap["cuts"], cut_connections=snap["cut_connections"], backlog=report.backlog,
                       page=max(c.sent + c.received for c in transport.calls), calls=len(transport.calls))
        with store.read() as s:
            out["left"] = int(s.scalar(select(func.count()).select_from(OutboxEntry)
                                       .where(OutboxEntry.acked.is_(False))) or 0)
        province = Store(f"sqlite:///{db}", migrate=False)
        with province.read() as s:
            out["province_tickets"] = int(s.scalar(select(func.count()).select_from(Ticket)) or 0)
        province.close()
    finally:
        store.close()
        app.extensions["itops"].dispose()
    return out


def run(quick: bool) -> dict[str, Any]:
    n = 60 if quick else 300
    cuts = (4.0, 2.0) if quick else (20.0, 6.0)
    with tempfile.TemporaryDirectory(prefix="itops-bench-d-") as tmp:
        root = Path(tmp)
        make_province(f"sqlite:///{root}/province.db").close()
        app = create_app({"DATABASE_URL": f"sqlite:///{root}/province.db", "ITOPS_ROLE": "province"})
        with served(app) as server:
            store = make_client(root / "county")
            SyncClient(store, HttpTransport(server.url)).login(server.url, "lh_tech", PASSWORD)
            SyncClient(store, HttpTransport(server.url)).sync()
            _work(store, n)
            store.close()
        app.extensions["itops"].dispose()
        for name in ("clean", "faulty"):
            _copy_db(root / "province.db", root / f"{name}.db")
            (root / f"county-{name}").mkdir()
            _copy_db(root / "county" / "itops.db", root / f"county-{name}" / "itops.db")
        shutil.rmtree(root / "county")
        clean = _sync_over(root, "clean", None, deadline=600)
        faulty = _sync_over(root, "faulty", cuts, deadline=900)
    resent = faulty["wire"] - clean["wire"]
    per_cut = resent / faulty["cuts"] if faulty["cuts"] else 0.0
    ok = (faulty["left"] == 0 and faulty["province_tickets"] == clean["province_tickets"]
          and resent <= max(1, faulty["cuts"]) * clean["page"])
    result = {"changes": n, "clean": clean, "faulty": faulty, "resent": resent, "resent_per_cut": per_cut,
              "target_met": ok}
    figure("d", f"a day of county work ({n} changes: {n // 3} new tickets, {n - n // 3} edits; "
                f"{clean['calls']} HTTP exchanges) at 64 kbit/s, {DELAY_MS} ms latency: clean link "
                f"{clean['seconds']:.1f} s, {clean['wire']:,} B on the wire, largest page {clean['page']:,} B")
    figure("d", f"with a cut every {cuts[0]:g} s: completed in {faulty['seconds']:.1f} s, {faulty['attempts']} "
                f"sync attempt(s), {faulty['cuts']} cut(s) fired ({faulty['cut_connections']} connections), "
                f"{faulty['wire']:,} B on the wire, outbox left {faulty['left']}")
    figure("d", f"re-sent {resent:,} B = {per_cut:,.0f} B per cut (one page ≤ {clean['page']:,} B); "
                f"target ≤ one page per cut and complete: {verdict(ok)}")
    return result
