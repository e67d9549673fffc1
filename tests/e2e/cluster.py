"""Real ``itops`` processes for end-to-end tests: CLI runs, servers on loopback, a tree bootstrapped
with the CLI alone."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[2]
ITOPS = [sys.executable, "-m", "cli.main"]
PASSWORD = "e2e-password-1"
ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Run:
    args: tuple[str, ...]
    code: int
    out: str
    err: str
    seconds: float

    def ok(self) -> Run:
        assert self.code == 0, f"itops {' '.join(self.args)} exited {self.code}:\n{self.err}\n{self.out}"
        return self

    def json(self) -> Any:
        return json.loads(self.out)


def itops(*args: str | Path, timeout: float = 120) -> Run:
    argv = tuple(str(a) for a in args)
    start = time.monotonic()
    proc = subprocess.run([*ITOPS, *argv], cwd=REPO, capture_output=True, timeout=timeout, env=ENV,
                          encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL)
    return Run(argv, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def itops_ok(*args: str | Path, timeout: float = 120) -> Run:
    return itops(*args, timeout=timeout).ok()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Background:
    """An ``itops`` subprocess whose stderr (progress) is read as it comes."""

    def __init__(self, *args: str | Path) -> None:
        self.args = tuple(str(a) for a in args)
        self.proc = subprocess.Popen([*ITOPS, *self.args], cwd=REPO, env=ENV, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.err = bytearray()
        self.out = bytearray()
        self._readers = [threading.Thread(target=self._drain, args=(self.proc.stderr, self.err), daemon=True),
                         threading.Thread(target=self._drain, args=(self.proc.stdout, self.out), daemon=True)]
        for t in self._readers:
            t.start()

    @staticmethod
    def _drain(stream: Any, buf: bytearray) -> None:
        while chunk := stream.read1(4096):
            buf += chunk

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "replace")

    def progress(self) -> tuple[str, int]:
        """The last progress line (``push: 12/300``, ``pull: 500``) as (phase, done)."""
        last = self.stderr.replace("\n", "\r").split("\r")
        for line in reversed(last):
            line = line.strip()
            if line.startswith(("push:", "pull:")):
                phase, _, rest = line.partition(":")
                return phase, int(rest.strip().split("/")[0])
        return "", 0

    def wait_for(self, predicate: Any, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if predicate():
                return True
            time.sleep(0.02)
        return False

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        return self.wait()

    def wait(self, timeout: float = 120) -> int:
        code = self.proc.wait(timeout)
        for t in self._readers:
            t.join(5)
        return code


@dataclass
class ServerProc:
    name: str
    db: str
    role: str
    org: str
    port: int
    log: Path
    upstream: str | None = None
    relay_interval: float = 1.0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> ServerProc:
        args = [*ITOPS, "server", "--db", self.db, "--role", self.role, "--org", self.org,
                "--host", "127.0.0.1", "--port", str(self.port),
                # no built-in worker: its notifications would land between a test's syncs and its comparisons
                "--worker-interval", "0"]
        if self.upstream:
            args += ["--upstream", self.upstream, "--relay-interval", str(self.relay_interval)]
        out = open(self.log, "ab")  # noqa: SIM115  (closed with the process)
        self.proc = subprocess.Popen(args, cwd=REPO, env=ENV, stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT)
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server {self.name} exited {self.proc.returncode}:\n{self.log_text()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"server {self.name} did not answer in {timeout} s:\n{self.log_text()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-6000:]
        except OSError:
            return "(no log)"


@dataclass
class County:
    name: str
    path: str
    province: str
    user: str
    store: Path
    proxy: Any = None  # the FaultProxy in front of its province


@dataclass
class Cluster:
    root: Path
    password_file: Path
    servers: dict[str, ServerProc] = field(default_factory=dict)
    counties: dict[str, County] = field(default_factory=dict)
    dbs: dict[str, str] = field(default_factory=dict)  # hq / province code → database URL

    def stop(self) -> None:
        for s in reversed(list(self.servers.values())):
            s.stop()


def parallel(*jobs: Any) -> None:
    """Run zero-argument callables in threads; re-raise the first failure."""
    errors: list[BaseException] = []

    def wrap(job: Any) -> None:
        try:
            job()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


# -- a whole tree, bootstrapped with the CLI ------------------------------------------------------------
# provinces: {"GD": (database URL, {"SZ": ["LH", "FT"]})}
ProvinceSpec = dict[str, tuple[str, dict[str, list[str]]]]


def new_cluster(root: Path) -> Cluster:
    root.mkdir(parents=True, exist_ok=True)
    pw = root / "password.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    return Cluster(root=root, password_file=pw)


def bootstrap(cluster: Cluster, hq_db: str, provinces: ProvinceSpec, proxy_factory: Any) -> Cluster:
    """HQ, provinces and county stores, every server a real ``itops server`` process (the caller stops
    them with ``cluster.stop()``, also when this fails half-way).

    ``proxy_factory(name, target_port)`` returns a started proxy: each province relays to HQ through
    one (``relay-<code>``), each county store talks to its province through one (``county-<name>``).
    """
    root, pw = cluster.root, cluster.password_file
    cluster.dbs["hq"] = hq_db
    itops_ok("db", "upgrade", "--db", hq_db, "--role", "hq", "--org", "/HQ/")
    itops_ok("org", "add", "--db", hq_db, "--path", "/HQ/", "--name", "集团总部")
    for code in provinces:
        itops_ok("org", "add", "--db", hq_db, "--path", f"/HQ/{code}/", "--name", f"省{code}")
        itops_ok("user", "add", "--db", hq_db, "--username", f"{code.lower()}_relay", "--password-file", pw,
                 "--org", f"/HQ/{code}/", "--role", "admin")
    hq = ServerProc("hq", hq_db, "hq", "/HQ/", free_port(), root / "hq.log")
    cluster.servers["hq"] = hq.start()

    def province(code: str) -> None:
        db, prefectures = provinces[code]
        cluster.dbs[code] = db
        itops_ok("db", "upgrade", "--db", db, "--role", "province", "--org", f"/HQ/{code}/")
        itops_ok("login", "--db", db, "--server", hq.url, "--user", f"{code.lower()}_relay",
                 "--password-file", pw)
        for pref, counties in prefectures.items():
            itops_ok("org", "add", "--db", db, "--path", f"/HQ/{code}/{pref}/", "--name", f"市{pref}")
            for c in counties:
                path = f"/HQ/{code}/{pref}/{c}/"
                itops_ok("org", "add", "--db", db, "--path", path, "--name", f"县{c}")
                itops_ok("user", "add", "--db", db, "--username", f"{c.lower()}_tech", "--password-file", pw,
                         "--org", path, "--role", "service_desk", "--role", "desktop_ops")
                cluster.counties[c.lower()] = County(c.lower(), path, code, f"{c.lower()}_tech",
                                                    root / f"county-{c.lower()}")
        relay = proxy_factory(f"relay-{code.lower()}", hq.port)
        server = ServerProc(code.lower(), db, "province", f"/HQ/{code}/", free_port(),
                            root / f"{code.lower()}.log", upstream=relay.url, relay_interval=1.0)
        cluster.servers[code.lower()] = server.start()

    parallel(*(lambda c=code: province(c) for code in provinces))

    def county(c: County) -> None:
        c.proxy = proxy_factory(f"county-{c.name}", cluster.servers[c.province.lower()].port)
        # a new store folder: ``itops login`` creates it, with the org unit of the user
        itops_ok("login", "--store", c.store, "--server", c.proxy.url, "--user", c.user,
                 "--password-file", pw)

    parallel(*(lambda c=c: county(c) for c in cluster.counties.values()))
    return cluster
