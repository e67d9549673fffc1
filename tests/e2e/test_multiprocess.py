"""The whole tree as real processes on loopback, through a fault proxy (design/sync.md, "Invariants").

HQ (SQLite) ⇐ relay-gd ⇐ province GD (SQLite) ⇐ county-lh, county-ft
            ⇐ relay-sc ⇐ province SC (PostgreSQL) ⇐ county-wh

Every server is an ``itops server`` process; every county sync is an ``itops sync`` process. Counties
work offline, then sync through proxies that delay, throttle to 64 kbit/s, drop and cut connections in
the middle of bodies, while ``itops sync`` processes are SIGKILLed mid-push (request body in flight,
and again with the server's answer in flight) and mid-pull. The relays to HQ suffer their own faults
at the same time. Then the faults stop, syncs run until settled, and the invariants are checked on
``itops export`` of every replica.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.models import OutboxEntry, Ticket
from shared.services import tickets
from shared.store import Store
from shared.sync.scope import can_read
from tests.e2e.cluster import (
    Background,
    Cluster,
    County,
    bootstrap,
    itops,
    itops_ok,
    new_cluster,
    parallel,
)
from tests.e2e.proxy import FaultProxy
from tests.sync.tree import actor

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]

LINK_64KBIT = 8000  # bytes per second
BIG_OUTBOX = 300  # tickets created offline in the counties that get killed (2 outbox entries each)
SETTLE_ROUNDS = 6
FT_TICKETS = 20
FT_OUTBOX = 2 * FT_TICKETS + 4  # a ticket and its history entry each, plus one CLI create and update


# -- what the test wrote, to check nothing is lost or doubled ------------------------------------------
@dataclass
class Ledger:
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → county, title, description, ops
    lock: threading.Lock = field(default_factory=threading.Lock)

    def created(self, county: str, row: dict[str, Any]) -> None:
        with self.lock:
            self.tickets[row["id"]] = {"county": county, "title": row["title"],
                                       "description": row["description"], "ops": 1}

    def updated(self, ticket_id: str, fields: dict[str, str]) -> None:
        with self.lock:
            t = self.tickets[ticket_id]
            if any(t[k] != v for k, v in fields.items()):
                t["ops"] += 1  # an update that changes something appends one history entry
            t.update(fields)

    def of(self, county: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.tickets.items() if v["county"] == county}


def create_offline(county: County, ledger: Ledger, n: int, tag: str) -> list[str]:
    """``n`` tickets, one transaction each, written into the store as the desktop app would."""
    store = Store.open_dir(county.store)
    ids = []
    try:
        who = actor(store, county.user)
        for i in range(n):
            with store.write(who.user_id) as cs:
                row = tickets.create_ticket(cs, who, "incident", f"{county.name}-{tag}-{i:04d} 打印机卡纸",
                                            {"description": f"{tag} {i} 三楼东侧打印机卡纸，已重启无效"})
            ledger.created(county.name, row)
            ids.append(row["id"])
    finally:
        store.close()
    return ids


def update_offline(county: County, ledger: Ledger, ids: list[str], tag: str) -> None:
    store = Store.open_dir(county.store)
    try:
        who = actor(store, county.user)
        for tid in ids:
            fields = {"description": f"{tag}: 已更换硒鼓 {tid[:8]}"}
            with store.write(who.user_id) as cs:
                tickets.update_ticket(cs, who, tid, fields)
            ledger.updated(tid, fields)
    finally:
        store.close()


def cli_create(county: County, ledger: Ledger, title: str) -> str:
    row = itops_ok("ticket", "create", "--store", county.store, "--process", "incident", "--title", title,
                   "--json").json()
    ledger.created(county.name, row)
    return str(row["id"])


def cli_update(county: County, ledger: Ledger, ticket_id: str, title: str) -> None:
    itops_ok("ticket", "update", "--store", county.store, ticket_id, "--field", f"title={title}")
    ledger.updated(ticket_id, {"title": title})


def unacked(url: str) -> int:
    store = Store(url, migrate=False)
    try:
        with store.read() as s:
            return int(s.scalar(select(func.count()).select_from(OutboxEntry)
                                .where(OutboxEntry.acked.is_(False))) or 0)
    finally:
        store.close()


def ticket_count(url: str, owner_prefix: str) -> int:
    store = Store(url, migrate=False)
    try:
        with store.read() as s:
            return int(s.scalar(select(func.count()).select_from(Ticket)
                                .where(Ticket.owner_path.startswith(owner_prefix))) or 0)
    finally:
        store.close()


def export(target: str, value: str | Path) -> list[dict[str, Any]]:
    out = itops_ok("export", target, value, "--format", "jsonl").out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def lines(rows: list[dict[str, Any]], keep: Callable[[dict[str, Any]], bool] = lambda r: True) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows if keep(r))


Row = dict[str, Any]


def under(prefix: str, inside: bool = True) -> Callable[[Row], bool]:
    return lambda r: r["owner_path"].startswith(prefix) == inside


def readable(kind: str, org_path: str) -> Callable[[Row], bool]:
    """What a node of ``kind`` at ``org_path`` may hold (design/sync.md scope rules)."""
    return lambda r: can_read(kind, org_path, r["table"], r["owner_path"])


def sync(county: County, timeout: float = 120) -> tuple[int, dict[str, Any], str]:
    run = itops("sync", "--store", county.store, "--json", timeout=timeout)
    report = run.json() if run.code == 0 and run.out.strip() else {}
    return run.code, report, run.err


class Timeline:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.marks: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    def __call__(self, what: str) -> None:
        with self.lock:
            self.marks.append((time.monotonic() - self.start, what))

    def dump(self) -> str:
        return "\n".join(f"{t:7.1f} s  {what}" for t, what in self.marks)


# -- the test ------------------------------------------------------------------------------------------
@pytest.fixture
def proxies() -> Iterator[dict[str, FaultProxy]]:
    made: dict[str, FaultProxy] = {}
    yield made
    for p in made.values():
        p.stop()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    c = new_cluster(tmp_path / "tree")
    yield c
    c.stop()


def test_tree_converges_through_faults_and_kills(cluster: Cluster, proxies: dict[str, FaultProxy],
                                                 pg_database: Callable[[], str]) -> None:
    log = Timeline()
    root = cluster.root

    def make_proxy(name: str, port: int) -> FaultProxy:
        proxies[name] = FaultProxy(port).start()
        return proxies[name]

    bootstrap(cluster, f"sqlite:///{root}/hq.db",
              {"GD": (f"sqlite:///{root}/gd.db", {"SZ": ["LH", "FT"]}),
               "SC": (pg_database(), {"CD": ["WH"]})}, make_proxy)
    log("bootstrapped: HQ, GD (SQLite), SC (PostgreSQL), 3 county stores signed in")
    lh, ft, wh = (cluster.counties[n] for n in ("lh", "ft", "wh"))
    gd_db, sc_db, hq_db = cluster.dbs["GD"], cluster.dbs["SC"], cluster.dbs["hq"]
    ledger = Ledger()
    try:
        _run_scenario(cluster, proxies, ledger, log, lh, ft, wh, gd_db, sc_db)
        _settle(cluster, proxies, log)
        _check_invariants(cluster, ledger, log, gd_db, sc_db, hq_db)
    except BaseException:
        print(log.dump())
        for s in cluster.servers.values():
            print(f"--- {s.name} server log ---\n{s.log_text()}")
        raise
    print(log.dump())


def _run_scenario(cluster: Cluster, proxies: dict[str, FaultProxy], ledger: Ledger, log: Timeline,
                  lh: County, ft: County, wh: County, gd_db: str, sc_db: str) -> None:
    # 1. Offline work: nothing syncs while the counties create and edit tickets.
    for c in (lh, ft, wh):
        c.proxy.drop = True
    lh_ids = create_offline(lh, ledger, BIG_OUTBOX, "offline")
    wh_ids = create_offline(wh, ledger, BIG_OUTBOX, "offline")
    ft_ids = create_offline(ft, ledger, FT_TICKETS, "offline")
    cli_ids = {c.name: cli_create(c, ledger, f"{c.name} 命令行建单 邮件无法发送") for c in (lh, ft, wh)}
    for c in (lh, ft, wh):
        cli_update(c, ledger, cli_ids[c.name], f"{c.name} 命令行改单 Outlook 无法发送")
    update_offline(lh, ledger, lh_ids[:10], "offline edit")
    update_offline(wh, ledger, wh_ids[:10], "offline edit")
    log(f"offline: {len(ledger.tickets)} tickets made; outboxes lh {unacked(_store_url(lh))}, "
        f"wh {unacked(_store_url(wh))}, ft {unacked(_store_url(ft))}")

    for c in (lh, wh):
        c.proxy.drop = False

    relay_stop = threading.Event()
    relay_thread = threading.Thread(target=_relay_faults, args=(proxies, relay_stop, log), daemon=True)
    relay_thread.start()
    try:
        parallel(lambda: _lh_story(lh, ledger, log, gd_db, lh_ids),
                 lambda: _wh_story(cluster, wh, ledger, log, sc_db, wh_ids),
                 lambda: _ft_story(ft, ledger, log, ft_ids))
    finally:
        relay_stop.set()
        relay_thread.join(30)


def _store_url(c: County) -> str:
    return f"sqlite:///{c.store}/itops.db"


def _kill_when(c: County, label: str, log: Timeline, condition: Callable[[Background], bool],
               timeout: float = 60) -> Background:
    run = Background("sync", "--store", c.store)
    hit = run.wait_for(lambda: condition(run), timeout)
    snap = c.proxy.snapshot()
    code = run.kill()
    assert hit, f"{c.name}: {label}: the sync ended (or timed out) before the kill point: {run.stderr}"
    assert code == -9
    log(f"{c.name}: SIGKILL {label} (proxy {snap['bytes_up']} B up, {snap['bytes_down']} B down, "
        f"progress {run.progress()})")
    return run


def _lh_story(lh: County, ledger: Ledger, log: Timeline, gd_db: str, ids: list[str]) -> None:
    p = lh.proxy
    outbox = unacked(_store_url(lh))
    # (a) killed mid-push while a request body is still going up the 64 kbit/s link
    p.throttle(LINK_64KBIT)
    p.reset_counters()
    _kill_when(lh, "mid-push, request body in flight", log, lambda r: p.bytes_up >= 20_000)
    log(f"lh: after the kill: province holds {ticket_count(gd_db, lh.path)} lh tickets, "
        f"lh outbox {unacked(_store_url(lh))} of {outbox} unacknowledged")
    # (b) killed mid-push after the province committed a batch, while its answer comes down slowly
    p.throttle(None)
    p.throttle(LINK_64KBIT // 8, direction="down")
    p.reset_counters()
    before_outbox, before_province = unacked(_store_url(lh)), ticket_count(gd_db, lh.path)
    _kill_when(lh, "mid-push, answer in flight", log, lambda r: p.bytes_down >= 300)
    committed = ticket_count(gd_db, lh.path)
    assert committed > before_province, "the province should have merged the batch"
    assert unacked(_store_url(lh)) == before_outbox, "nothing may be acknowledged without the answer"
    log(f"lh: province now holds {committed} lh tickets; lh acknowledged none of the new ones")
    # (c) a sync on the throttled, laggy link, edited while the upload is in flight, killed mid-pull
    p.throttle(LINK_64KBIT)
    p.delay_ms = 100
    p.reset_counters()
    run = Background("sync", "--store", lh.store)
    assert run.wait_for(lambda: p.bytes_up >= 5_000, 60), run.stderr
    update_offline(lh, ledger, ids[100:120], "edited during upload")
    log("lh: 20 tickets edited while the push was in flight")
    hit = run.wait_for(lambda: run.progress()[0] == "pull" and run.progress()[1] > 0, 90)
    code = run.kill()
    assert hit and code == -9, f"lh: the sync ended before the mid-pull kill: {run.stderr}"
    log(f"lh: SIGKILL mid-pull (progress {run.progress()}, proxy {p.snapshot()})")
    p.reset_faults()
    # (d) a clean retry finishes: replayed batches are answered from the push log, nothing doubles
    code, report, err = sync(lh)
    assert code == 0, err
    log(f"lh: clean sync {report}")
    assert report["pulled"] < run.progress()[1], "the page applied before the kill came again"
    assert ticket_count(gd_db, lh.path) == len(ledger.of("lh"))


def _wh_story(cluster: Cluster, wh: County, ledger: Ledger, log: Timeline, sc_db: str, ids: list[str]) -> None:
    p = wh.proxy
    # (a) killed mid-push on a 64 kbit/s link with 300 ms latency
    p.throttle(LINK_64KBIT)
    p.delay_ms = 300
    p.reset_counters()
    _kill_when(wh, "mid-push, request body in flight", log, lambda r: p.bytes_up >= 25_000)
    # (b) every connection cut in the middle of a body, again and again: each sync either finishes
    #     or exits 3; retries never double anything
    p.delay_ms = 50
    p.throttle(LINK_64KBIT * 4)
    p.cut_every(2.5)
    results = []
    for _ in range(3):
        code, _, err = sync(wh)
        assert code in (0, 3), err
        results.append(code)
        if code == 0:
            break
    p.cut_every(None)
    log(f"wh: syncs under a cut every 2.5 s → exit codes {results}, cuts {p.cuts}")
    # (c) a mid-body cut of the province's answer (one-shot), then more offline edits
    p.cut_after(1500, direction="down")
    update_offline(wh, ledger, ids[200:230], "after cut")
    code, _, err = sync(wh)
    assert code in (0, 3), err
    log(f"wh: sync with a cut 1500 B into an answer → exit {code}, cuts {p.cuts}")
    # (d) killed mid-pull: a new desktop store of the same county (a replaced PC) pulls the county's
    #     whole scope over the 64 kbit/s link and is killed after its first page, the second in flight
    p.reset_faults()
    code, _, err = sync(wh)
    assert code == 0, err
    wh2 = County("wh2", wh.path, wh.province, wh.user, cluster.root / "county-wh2", proxy=p)
    itops_ok("login", "--store", wh2.store, "--server", p.url, "--user", wh2.user,
             "--password-file", cluster.password_file, "--no-sync")
    cluster.counties["wh2"] = wh2
    p.throttle(LINK_64KBIT, direction="down")
    p.reset_counters()
    _kill_when(wh2, "mid-pull, first page applied, the next in flight", log,
               lambda r: r.progress()[0] == "pull" and r.progress()[1] >= 500)
    p.reset_faults()
    update_offline(wh, ledger, ids[230:260], "after pull kill")


def _ft_story(ft: County, ledger: Ledger, log: Timeline, ids: list[str]) -> None:
    p = ft.proxy
    # While the link is down a sync cannot finish; nothing local is lost (exit 3).
    code, _, err = sync(ft, timeout=120)
    assert code == 3, err
    assert p.dropped >= 1
    assert unacked(_store_url(ft)) == FT_OUTBOX
    log("ft: sync with the link dropped → exit 3, outbox intact")
    p.drop = False
    # 300 ms each way: slow but fine
    p.delay_ms = 300
    code, report, err = sync(ft)
    assert code == 0, err
    assert report["pushed"] == FT_OUTBOX and report["backlog"] == 0
    log(f"ft: sync with 300 ms latency {report}")
    # a cut 3000 B into the upload of a push: the transport retries, or the sync exits 3
    update_offline(ft, ledger, ids, "ft cut")
    p.delay_ms = 0
    p.throttle(LINK_64KBIT)
    p.cut_after(3000, direction="up")
    code, report, err = sync(ft)
    assert code in (0, 3), err
    assert p.cuts == 1
    log(f"ft: sync with a cut mid-upload → exit {code}")
    p.reset_faults()


def _relay_faults(proxies: dict[str, FaultProxy], stop: threading.Event, log: Timeline) -> None:
    """Meanwhile the provinces' links to HQ: GD laggy at 64 kbit/s and cut every 5 s; SC down, then cut
    mid-body now and then."""
    gd, sc = proxies["relay-gd"], proxies["relay-sc"]
    gd.throttle(LINK_64KBIT)
    gd.delay_ms = 300
    gd.cut_every(5.0)
    sc.drop = True
    sc.cut_now()
    log("relays: gd 64 kbit/s + 300 ms + cut every 5 s; sc dropped")
    if stop.wait(12):
        return
    sc.drop = False
    n = 0
    while not stop.wait(2.0):
        sc.cut_after(4000)  # the next 4000 bytes, whichever direction, then cut mid-body
        n += 1
    log(f"relays: faults end (sc armed {n} mid-body cuts, {sc.cuts} fired; gd cuts {gd.cuts})")


def _settle(cluster: Cluster, proxies: dict[str, FaultProxy], log: Timeline) -> None:
    for p in proxies.values():
        p.reset_faults()
    log("faults off")
    quiet = 0
    for round_no in range(1, SETTLE_ROUNDS + 1):
        reports = {}
        for name, c in cluster.counties.items():
            code, report, err = sync(c)
            assert code == 0, f"{name}: sync failed after faults stopped: {err}"
            reports[name] = (report["pushed"], report["pulled"], report["backlog"])
        time.sleep(2.5)  # the relays run every second
        log(f"settle round {round_no}: (pushed, pulled, backlog) {reports}")
        if all(r == (0, 0, 0) for r in reports.values()):
            quiet += 1
            if quiet == 2:
                return
        else:
            quiet = 0
    raise AssertionError(f"not settled after {SETTLE_ROUNDS} rounds without faults (invariant 15)")


def _check_invariants(cluster: Cluster, ledger: Ledger, log: Timeline, gd_db: str, sc_db: str,
                      hq_db: str) -> None:
    dbs = {"GD": gd_db, "SC": sc_db}
    provinces = {code: export("--db", url) for code, url in dbs.items()}
    hq = export("--db", hq_db)

    # Convergence of every county with its province, in the county's read scope, byte for byte.
    for name, c in cluster.counties.items():
        county = export("--store", c.store)
        assert all(r["version"] > 0 for r in county), f"{name}: rows never merged by the province"
        expected = lines(provinces[c.province], readable("client", c.path))
        got = lines(county)
        assert got == expected, f"{name}: county export differs from the province's rows in its scope " \
                                f"({len(got)} vs {len(expected)} rows)"

    # HQ holds exactly the union of the provinces' own data, plus its own /HQ/ rows.
    for code, rows in provinces.items():
        own = f"/HQ/{code}/"
        assert lines(hq, under(own)) == lines(rows, under(own)), f"HQ's copy of {code} differs"
        # and the province holds exactly what HQ lets it read of everyone else's rows
        assert lines(rows, under(own, inside=False)) == lines(hq, readable("province", own)), code
    strays = [r for r in hq if r["owner_path"] != "/HQ/" and
              not any(r["owner_path"].startswith(f"/HQ/{code}/") for code in provinces)]
    assert not strays

    # No outbox entry left unacknowledged anywhere.
    for name, c in cluster.counties.items():
        assert unacked(_store_url(c)) == 0, name
    for name, url in {"GD": gd_db, "SC": sc_db, "HQ": hq_db}.items():
        assert unacked(url) == 0, name

    # Every ticket exactly once, every acknowledged edit present, every history entry exactly once.
    for where, rows in {"GD": provinces["GD"], "SC": provinces["SC"], "HQ": hq}.items():
        ticket_rows = [r for r in rows if r["table"] == "tickets"]
        expected_ids = {k for k, v in ledger.tickets.items()
                        if where == "HQ" or cluster.counties[v["county"]].province == where}
        got_ids = [r["id"] for r in ticket_rows]
        assert len(got_ids) == len(set(got_ids)) == len(expected_ids), f"{where}: duplicate or missing tickets"
        assert set(got_ids) == expected_ids
        numbers = [r["number"] for r in ticket_rows]
        assert len(numbers) == len(set(numbers)), f"{where}: a ticket number twice"
        history: dict[str, int] = {}
        for r in rows:
            if r["table"] == "ticket_entries" and r["kind"] == "history":
                history[r["ticket_id"]] = history.get(r["ticket_id"], 0) + 1
        for r in ticket_rows:
            want = ledger.tickets[r["id"]]
            assert (r["title"], r["description"]) == (want["title"], want["description"]), \
                f"{where}: ticket {r['number']} lost an acknowledged edit"
            assert not r["deleted"]
            assert history.get(r["id"]) == want["ops"], \
                f"{where}: ticket {r['number']} has {history.get(r['id'])} history entries, want {want['ops']}"

    # Nothing was parked in the conflict queue: these edits never collide.
    for code, url in dbs.items():
        assert itops_ok("conflicts", "list", "--db", url, "--status", "all", "--json").json() == [], code
    log(f"invariants hold: {len(ledger.tickets)} tickets, {len(hq)} rows at HQ")
