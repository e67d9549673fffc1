"""Helpers shared by the benchmarks: a province and county stores, a served app, a recording transport,
figures printed in one format."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.models.sync import SyncPeer
from shared.services import org, users
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.transport import HttpTransport, Response

PASSWORD = "bench-password-1"
COUNTY = "/HQ/GD/SZ/LH/"


def make_province(url: str) -> Store:
    """A province database: the org path down to one county, and that county's technician."""
    store = Store(url)
    store.init_node("province", "/HQ/GD/")
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部")
        org.add_org(cs, "/HQ/GD/", "广东")
        org.add_org(cs, "/HQ/GD/SZ/", "深圳")
        org.add_org(cs, COUNTY, "龙华")
        users.add_user(cs, "lh_tech", PASSWORD, COUNTY, ["service_desk"])
    return store


def make_client(directory: Path, path: str = COUNTY) -> Store:
    store = Store.open_dir(directory, create=True)
    store.init_node("client", path)
    return store


def county_actor(path: str = COUNTY) -> Actor:
    return Actor(str(uuid.uuid4()), "lh_tech", path, ("service_desk",))


def fake_peer(store: Store, path: str = COUNTY) -> None:
    """An upstream peer row, as ``itops login`` leaves it (for applying pages without a server)."""
    with store.write() as cs:
        cs.session.add(SyncPeer(name="upstream", url="local://", node_id=cs.state.node_id, token="bench",
                                scope={"kind": "client", "org_path": path}))


@contextlib.contextmanager
def served(app: Any) -> Iterator[Any]:
    from sync_server.serve import make_server

    server = make_server(app, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True, name="bench-server")
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(10)


@dataclass
class Call:
    method: str
    path: str
    status: int
    sent: int
    received: int
    mutations: int = 0
    changes: int = 0


@dataclass
class RecordingTransport(HttpTransport):
    """HttpTransport that remembers every call (what it counted as sent and received)."""

    calls: list[Call] = field(default_factory=list)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Response:
        resp = super().call(method, path, body=body, params=params, token=token)
        self.calls.append(Call(method, path, resp.status, resp.sent, resp.received,
                               len((body or {}).get("mutations") or []),
                               len(resp.body.get("changes") or [])))
        return resp


class Stopwatch:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Stopwatch:
        self._t = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds += time.perf_counter() - self._t


def verdict(ok: bool) -> str:
    return "target met" if ok else "TARGET MISSED"


def figure(key: str, text: str) -> None:
    print(f"[{key}] {text}", flush=True)
