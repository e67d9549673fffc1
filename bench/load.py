"""(l) The sync endpoint under load: 200 desktops doing no-change syncs against one province server,
beside a bare Flask "hello" served the same way, in the same run.

The province server runs as production runs it: ``itops server --db URL`` in its own process (waitress,
the production thread count), on SQLite and then on PostgreSQL, rate limits on. Its database holds four
counties with tickets; each county's technician has 50 nodes (desktops). One node is a real desktop
store that signs in over HTTP (argon2, audit) and syncs with ``SyncClient``; the others get their token
the way the login endpoint issues it (``register_node``, the password check left out: argon2 runs at
sign-in only, never on a sync). A no-change sync of that real desktop is recorded to learn exactly
which requests a desktop makes (one ``GET /api/v1/sync/pull`` with its cursor: nothing to push, the
digest comes with the page); the load generator (``bench/loadgen.py``, another process) brings every
other node in step with a first pull and then repeats that request from 200 keep-alive connections
as fast as answers come (a closed loop), checking every answer. The bare hello app is served by
``sync_server.serve.make_server`` with the same defaults and driven by the same generator.

``python -m bench.load hello PORT`` serves the hello app (used by the benchmark).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from bench.common import PASSWORD, RecordingTransport, figure, make_client, verdict
from shared.services import org, tickets, users
from shared.services.actor import Actor
from shared.store import Store
from shared.sync import server as srv
from shared.sync.client import SyncClient

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "/HQ/GD/"
COUNTIES = {"/HQ/GD/SZ/LH/": "龙华", "/HQ/GD/SZ/NS/": "南山", "/HQ/GD/GZ/TH/": "天河", "/HQ/GD/GZ/BY/": "白云"}
CLIENTS = 200
TARGET_RATIO = 0.5
TARGET_P99_MS = 500.0


# -- the province database -------------------------------------------------------------------------
def make_province_db(url: str, tickets_per_county: int) -> dict[str, Actor]:
    """Four counties, a technician each (password login possible), and their tickets."""
    store = Store(url)
    store.init_node("province", PROVINCE)
    techs: dict[str, Actor] = {}
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部")
        org.add_org(cs, PROVINCE, "广东")
        org.add_org(cs, "/HQ/GD/SZ/", "深圳")
        org.add_org(cs, "/HQ/GD/GZ/", "广州")
        for i, (path, name) in enumerate(COUNTIES.items()):
            org.add_org(cs, path, name)
            user = users.add_user(cs, f"tech{i}", PASSWORD, path, ["service_desk"])
            techs[path] = Actor(user["id"], f"tech{i}", path, ("service_desk",))
    for path, actor in techs.items():
        with store.write(actor.user_id) as cs:
            for n in range(tickets_per_county):
                tickets.create_ticket(cs, actor, "incident", f"{COUNTIES[path]} 打印机卡纸 {n}",
                                      {"description": "三楼东侧打印机卡纸，已重启无效"})
    store.close()
    return techs


def issue_tokens(url: str, techs: dict[str, Actor], count: int) -> list[dict[str, Any]]:
    """``count`` desktop nodes spread over the counties, each with a token, issued as the login does."""
    store = Store(url, migrate=False)
    out: list[dict[str, Any]] = []
    actors = list(techs.values())
    with store.write() as cs:
        for i in range(count):
            actor = actors[i % len(actors)]
            answer = srv.register_node(cs.session, actor, str(uuid.uuid4()), "client",
                                       f"{actor.username}@pc{i}", "bench")
            out.append({"token": answer["token"], "cursor": None, "digest": None})
    store.close()
    return out


# -- servers in their own processes -------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def subprocess_server(argv: list[str], port: int, probe: str) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "ITOPS_KEYRING": "0", "PYTHONPATH": str(ROOT)}
    # the log goes to a file: a pipe nobody reads would stall the server once waitress has written
    # 64 KiB of "Task queue depth" warnings (it logs one per queued request under load)
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"{argv[1:3]} exited: {log.read().decode(errors='replace')[-2000:]}")
            try:
                if requests.get(f"http://127.0.0.1:{port}{probe}", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{argv[1:3]} did not start in 60 s")
            time.sleep(0.2)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def itops_server(url: str, port: int) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """Without the built-in worker: its SLA notices are changes in the counties' scope, and the benchmark
    measures syncs that have nothing to pull."""
    argv = [str(ROOT / ".venv/bin/itops"), "server", "--db", url, "--port", str(port), "--worker-interval", "0"]
    if not Path(argv[0]).exists():
        argv = [sys.executable, "-m", "cli.main", "server", "--db", url, "--port", str(port), "--worker-interval", "0"]
    return subprocess_server(argv, port, "/api/v1/health")


def hello_server(port: int) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    return subprocess_server([sys.executable, "-m", "bench.load", "hello", str(port)], port, "/hello")


def serve_hello(port: int) -> None:
    """A bare Flask app with one route, served exactly as ``itops server`` serves (same defaults)."""
    from flask import Flask

    from sync_server.serve import make_server

    app = Flask("hello")

    @app.get("/hello")
    def hello() -> str:
        return "hello"

    server = make_server(app, "127.0.0.1", port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.run()


# -- the real desktop and the generator ---------------------------------------------------------------
def real_desktop(directory: Path, base_url: str) -> tuple[dict[str, Any], dict[str, Any], Store]:
    """Sign a desktop store in over HTTP, sync it, and record what a no-change sync sends."""
    from sqlalchemy import select

    from shared.models.sync import SyncPeer
    from shared.security import token_value
    from shared.sync.apply import local_digest
    from shared.sync.codec import total_digest

    store = make_client(directory, next(iter(COUNTIES)))
    SyncClient(store, RecordingTransport(base_url)).login(base_url, "tech0", PASSWORD)
    SyncClient(store, RecordingTransport(base_url)).sync()
    seen: list[dict[str, Any]] = []

    class Spy(RecordingTransport):
        def call(self, method: str, path: str, body: dict[str, Any] | None = None,
                 params: dict[str, Any] | None = None, token: str | None = None) -> Any:
            seen.append({"method": method, "path": path, "body": body, "params": dict(params or {})})
            return super().call(method, path, body=body, params=params, token=token)

    report = SyncClient(store, Spy(base_url)).sync()
    assert report.pulled == 0 and report.pushed == 0 and not report.repaired, report
    with store.read() as session:
        peer = session.scalar(select(SyncPeer))
        assert peer is not None
        client = {"token": token_value(peer.token), "cursor": f"{peer.cursor_epoch}:{peer.cursor_seq}",
                  "digest": {"*": total_digest(local_digest(session))}}
    if [(c["method"], c["path"]) for c in seen] != [("GET", "/api/v1/sync/pull")]:
        raise RuntimeError(f"a no-change sync is no longer one pull: {seen}")
    query = {k: v for k, v in seen[0]["params"].items() if k != "cursor"}
    return client, {"query": query, "calls": [f"{c['method']} {c['path']}" for c in seen]}, store


def desktop_headers() -> dict[str, str]:
    """The headers ``HttpTransport`` sends on a pull (request id and token are added per request)."""
    from shared.version import APP_VERSION

    return {"Accept-Encoding": "gzip", "User-Agent": f"ITOps/{APP_VERSION}", "Accept": "application/json",
            "Connection": "keep-alive"}


def generate(cfg: dict[str, Any], tmp: Path) -> dict[str, Any]:
    path = tmp / f"load-{cfg['mode']}-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bench.loadgen", str(path)], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         timeout=float(cfg["warmup"]) + float(cfg["duration"]) + 600)
    if out.returncode != 0:
        raise RuntimeError(f"load generator failed: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def note(text: str) -> None:
    print(f"    (l) {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def measure(url: str, tmp: Path, clients: int, tickets_per_county: int, warmup: float, duration: float,
            label: str) -> dict[str, Any]:
    note(f"{label}: building the province database")
    techs = make_province_db(url, tickets_per_county)
    nodes = issue_tokens(url, techs, clients - 1)
    note(f"{label}: starting itops server; the desktop signs in and syncs")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    common = {"host": "127.0.0.1", "headers": desktop_headers(), "warmup": warmup, "duration": duration,
              "timeout": 30}
    with itops_server(url, port) as proc:
        desktop, seen, store = real_desktop(tmp / f"desktop-{label}", base_url)
        cfg = {**common, "port": port, "mode": "sync", "clients": [desktop, *nodes], "query": seen["query"],
               "server_pid": proc.pid}
        note(f"{label}: {clients} clients come in step, then sync for {warmup:g} + {duration:g} s")
        sync = generate(cfg, tmp)
        # after the storm the real desktop is still in step: nothing to pull, no repair
        report = SyncClient(store, RecordingTransport(base_url)).sync()
        sync["desktop_after"] = {"pulled": report.pulled, "repaired": report.repaired}
        store.close()
    sync["calls_per_sync"] = seen["calls"]
    hello_port = free_port()
    note(f"{label}: the bare hello, {clients} clients for {warmup:g} + {duration:g} s")
    with hello_server(hello_port) as proc:
        hello = generate({**common, "port": hello_port, "mode": "hello",
                          "clients": [{"token": n["token"]} for n in [desktop, *nodes]],
                          "server_pid": proc.pid}, tmp)
    ratio = sync["requests_per_s"] / hello["requests_per_s"] if hello["requests_per_s"] else 0.0
    sync_us = 1e6 * sync["server_cpu"] / max(sync["requests_per_s"], 1e-9)
    hello_us = 1e6 * hello["server_cpu"] / max(hello["requests_per_s"], 1e-9)
    return {"sync": sync, "hello": hello, "ratio": ratio, "sync_cpu_us": sync_us, "hello_cpu_us": hello_us,
            "cpu_ratio": hello_us / sync_us if sync_us else 0.0,
            "target_met": ratio >= TARGET_RATIO and sync["p99_ms"] < TARGET_P99_MS and not sync["error_count"]
            and not sync["desktop_after"]["pulled"] and not sync["desktop_after"]["repaired"]}


def describe(label: str, r: dict[str, Any]) -> None:
    s, h = r["sync"], r["hello"]
    cpus = s["cpus"] or 1
    figure("l", f"{label}: {s['clients']} clients doing no-change syncs ({' + '.join(s['calls_per_sync'])} each): "
                f"{s['requests_per_s']:,.0f} requests/s = {s['requests_per_s']:,.0f} syncs/s, "
                f"p50 {s['p50_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms, {s['error_count']} errors {s['errors'] or ''}")
    figure("l", f"  bare Flask hello, same waitress settings: {h['requests_per_s']:,.0f} requests/s, "
                f"p50 {h['p50_ms']:.0f} ms, p99 {h['p99_ms']:.0f} ms, {h['error_count']} errors")
    figure("l", f"  CPU (cores busy, of {cpus}): sync server {s['server_cpu']:.2f}, generator {s['generator_cpu']:.2f} "
                f"({s['generator_cpu'] / cpus:.0%} of the machine), whole machine {s['machine_cpu']:.2f}; hello server "
                f"{h['server_cpu']:.2f}, generator {h['generator_cpu']:.2f}, machine {h['machine_cpu']:.2f}; "
                f"load average {s['load_average']:.1f}")
    figure("l", f"  server CPU per request (does not depend on how much CPU the server got): sync "
                f"{r['sync_cpu_us']:.0f} µs, hello {r['hello_cpu_us']:.0f} µs; hello / sync = {r['cpu_ratio']:.2f} "
                f"(the throughput ratio on an otherwise idle machine, where both are CPU-bound)")
    figure("l", f"  sync / hello = {r['ratio']:.2f} (target ≥ {TARGET_RATIO}), p99 {s['p99_ms']:.0f} ms (target < "
                f"{TARGET_P99_MS:.0f} ms); the real desktop afterwards: pulled {s['desktop_after']['pulled']}, "
                f"repaired {s['desktop_after']['repaired'] or 'nothing'}: {verdict(r['target_met'])}")


def run(quick: bool, clients: int = CLIENTS, backends: tuple[str, ...] = ("sqlite", "postgresql")) -> dict[str, Any]:
    from bench.merge import postgres

    per_county, warmup, duration = (20, 1.0, 3.0) if quick else (250, 3.0, 20.0)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="itops-bench-l-") as tmp:
        root = Path(tmp)
        if "sqlite" in backends:
            results["sqlite"] = measure(f"sqlite:///{root}/province.db", root, clients, per_county, warmup,
                                        duration, "sqlite")
            describe("SQLite", results["sqlite"])
        with postgres() if "postgresql" in backends else contextlib.nullcontext() as url:
            if url:
                results["postgresql"] = measure(url, root, clients, per_county, warmup, duration, "postgresql")
                describe("PostgreSQL", results["postgresql"])
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "hello":
        serve_hello(int(sys.argv[2]))
    else:  # python -m bench.load [--quick] [--clients N] [--db sqlite|postgresql]
        import argparse

        parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
        parser.add_argument("--quick", action="store_true")
        parser.add_argument("--clients", type=int, default=CLIENTS)
        parser.add_argument("--db", choices=["sqlite", "postgresql"], action="append")
        args = parser.parse_args()
        run(args.quick, args.clients, tuple(args.db or ("sqlite", "postgresql")))
