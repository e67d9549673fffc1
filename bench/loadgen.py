"""The load generator of benchmark (l): one process, asyncio, one keep-alive HTTP/1.1 connection per
simulated client, a hand-written client (no HTTP library: the generator must stay light beside the
server on two cores).

Run as ``python -m bench.loadgen CONFIG.json``; prints one JSON object (the figures) on stdout.

CONFIG: ``host``, ``port``, ``mode`` ("sync" or "hello"), ``clients`` (a list of
``{"token", "cursor", "digest"}``: a client without a cursor first pulls from scratch until it is in
step), ``query`` (the pull parameters a desktop sends, without the cursor), ``headers`` (the ones a
desktop sends, without the request id and the token), ``warmup`` and ``duration`` (seconds),
``server_pid`` (its CPU time is read over the measured window), ``timeout`` (seconds per request).

Every answer is checked: a no-change sync must answer 200 with no changes, ``more`` false, the same
cursor and the same scope digest the client got when it came in step; hello must answer ``hello``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil

PULL = "/api/v1/sync/pull"


@dataclass
class Tally:
    measuring: bool = False
    stop: bool = False
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        if self.measuring:
            self.errors[kind] = self.errors.get(kind, 0) + 1


class Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"{host}:{port}", **headers}.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, token: str | None) -> tuple[int, bytes, dict[str, str]]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        rid = os.urandom(8).hex()
        self.writer.write(f"GET {target} HTTP/1.1\r\n{self.head}X-Request-Id: {rid}\r\n{auth}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body, headers

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def _decode(body: bytes, headers: dict[str, str]) -> Any:
    if headers.get("content-encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    return json.loads(body)


async def come_in_step(conn: Connection, cfg: dict[str, Any], client: dict[str, Any]) -> None:
    """What a desktop's first sync does: pull pages until ``more`` is false; keep cursor and digest."""
    cursor = client.get("cursor")
    while True:
        query = dict(cfg["query"], **({"cursor": cursor} if cursor else {}))
        status, body, headers = await conn.get(f"{PULL}?{urlencode(query)}", client["token"])
        if status != 200:
            raise RuntimeError(f"first pull answered {status}: {body[:200]!r}")
        page = _decode(body, headers)
        cursor = page["cursor"]
        if not page.get("more"):
            client["cursor"] = cursor
            if client.get("digest") is None:
                client["digest"] = page["digest"]
            elif client["digest"] != page["digest"]:
                raise RuntimeError(f"the server's digest {page['digest']} differs from the desktop's "
                                   f"{client['digest']}")
            return


async def drive(conn: Connection, cfg: dict[str, Any], client: dict[str, Any], tally: Tally) -> None:
    hello = cfg["mode"] == "hello"
    target = "/hello" if hello else f"{PULL}?{urlencode(dict(cfg['query'], cursor=client['cursor']))}"
    token = client.get("token")
    timeout = float(cfg.get("timeout", 30))
    while not tally.stop:
        start = time.perf_counter()
        try:
            status, body, headers = await asyncio.wait_for(conn.get(target, token), timeout)
        except TimeoutError:
            tally.error("timeout")
            await conn.close()
            continue
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            tally.error(type(exc).__name__)
            await conn.close()
            await asyncio.sleep(0.05)
            continue
        elapsed = time.perf_counter() - start
        if status != 200:
            tally.error(f"http {status}")
            continue
        if hello:
            good = body == b"hello"
        else:
            page = _decode(body, headers)
            good = (not page.get("changes") and not page.get("more") and page.get("cursor") == client["cursor"]
                    and page.get("digest") == client["digest"])
        if not good:
            tally.error("wrong answer")
            continue
        if tally.measuring:
            tally.ok += 1
            tally.latencies.append(elapsed)


def _cpu(proc: psutil.Process | None) -> float:
    if proc is None:
        return 0.0
    t = proc.cpu_times()
    return float(t.user + t.system)


def _machine_busy() -> float:
    t = psutil.cpu_times()
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main_async(cfg: dict[str, Any]) -> dict[str, Any]:
    clients = cfg["clients"]
    conns = [Connection(cfg["host"], int(cfg["port"]), cfg["headers"]) for _ in clients]
    if cfg["mode"] == "sync":  # come in step, 20 at a time (not measured)
        gate = asyncio.Semaphore(20)

        async def step(conn: Connection, client: dict[str, Any]) -> None:
            async with gate:
                await asyncio.wait_for(come_in_step(conn, cfg, client), float(cfg.get("timeout", 30)) * 4)

        await asyncio.gather(*(step(c, cl) for c, cl in zip(conns, clients, strict=True)))
    tally = Tally()
    tasks = [asyncio.create_task(drive(c, cfg, cl, tally)) for c, cl in zip(conns, clients, strict=True)]
    await asyncio.sleep(float(cfg["warmup"]))
    server = psutil.Process(int(cfg["server_pid"])) if cfg.get("server_pid") else None
    before = (time.perf_counter(), _own_cpu(), _cpu(server), _machine_busy())
    tally.measuring = True
    await asyncio.sleep(float(cfg["duration"]))
    tally.measuring = False
    after = (time.perf_counter(), _own_cpu(), _cpu(server), _machine_busy())
    tally.stop = True
    await asyncio.wait(tasks, timeout=float(cfg.get("timeout", 30)) + 5)
    for conn in conns:
        await conn.close()
    wall = after[0] - before[0]
    lat = tally.latencies
    return {
        "mode": cfg["mode"], "clients": len(clients), "seconds": wall, "requests": tally.ok,
        "requests_per_s": tally.ok / wall, "errors": tally.errors, "error_count": sum(tally.errors.values()),
        "p50_ms": percentile(lat, 0.50) * 1000, "p90_ms": percentile(lat, 0.90) * 1000,
        "p99_ms": percentile(lat, 0.99) * 1000, "max_ms": (max(lat) if lat else float("nan")) * 1000,
        # CPU seconds per wall second: 1.0 = one core busy; the machine has os.cpu_count() cores
        "generator_cpu": (after[1] - before[1]) / wall, "server_cpu": (after[2] - before[2]) / wall,
        "machine_cpu": (after[3] - before[3]) / wall, "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "in_step": [{"cursor": c.get("cursor"), "digest": c.get("digest")} for c in clients[:1]],
    }


def main(argv: list[str]) -> int:
    cfg = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    print(json.dumps(asyncio.run(main_async(cfg))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
