"""Shared by the desktop tests that sync: servers in threads on loopback (HQ, a province), county stores
signed in as `itops login` leaves them, desktop windows with their sync controller (the ``desks`` and
``province`` fixtures: import them into a test module to use them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from desktop import ops
from desktop.app import build_main_window
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.login import sign_in
from desktop.main_window import MainWindow
from desktop.ops import Bus
from desktop.sync.controller import SyncController
from desktop.sync.jobs import SyncOutcome, cache_credential
from desktop.tickets import commands
from shared.models.sync import OutboxEntry
from shared.models.tickets import Ticket
from shared.services import org, users
from shared.store import Store
from shared.sync.client import SyncClient
from shared.sync.transport import HttpTransport, Response, Transport
from sync_server.app import create_app
from sync_server.serve import make_server

PW = "password-123"
LH = "/HQ/GD/SZ/LH/"
COUNTY_USERS = (("lh_tech", "李工"), ("lh_wang", "王工"), ("lh_zhao", "赵工"), ("lh_qian", "钱工"))


# -- servers ----------------------------------------------------------------------------------------
@dataclass
class Server:
    app: Flask
    store: Store  # the server's own database
    port: int = 0
    stops: list[Callable[[], None]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        srv = make_server(self.app, "127.0.0.1", self.port)
        self.port = srv.port
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        self.stops.append(srv.close)
        return self

    def stop(self) -> None:
        while self.stops:
            self.stops.pop()()


def hq_server(root: Path) -> Server:
    """HQ with /HQ/, /HQ/GD/ and the province's relay user (tests/sync/tree.py's bootstrap order)."""
    app = create_app({"DATABASE_URL": f"sqlite:///{root}/hq.db", "ITOPS_ROLE": "hq"})
    store = Store.attach(app.extensions["itops"].engine)
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部", "Group HQ")
        org.add_org(cs, "/HQ/GD/", "广东", "Guangdong")
        users.add_user(cs, "gd_relay", PW, "/HQ/GD/", ["admin"])
    return Server(app, store).start()


def province_server(root: Path, hq: Server | None = None) -> Server:
    """The Guangdong server: with ``hq``, signed in to it (kind province) and relaying to it."""
    app = create_app({"DATABASE_URL": f"sqlite:///{root}/gd.db", "ITOPS_ROLE": "province", "ITOPS_ORG": "/HQ/GD/"})
    store = Store.attach(app.extensions["itops"].engine)
    orgs = [("/HQ/GD/SZ/", "深圳", "Shenzhen"), (LH, "龙华", "Longhua"), ("/HQ/GD/SZ/FT/", "福田", "Futian")]
    if hq is None:
        orgs = [("/HQ/", "集团总部", "Group HQ"), ("/HQ/GD/", "广东", "Guangdong"), *orgs]
    else:
        relay = SyncClient(store, HttpTransport(hq.url, retries=0))
        relay.login(hq.url, "gd_relay", PW)
        relay.sync()
    with store.write() as cs:
        for path, name, name_en in orgs:
            org.add_org(cs, path, name, name_en)
        for username, full_name in COUNTY_USERS:
            users.add_user(cs, username, PW, LH, ["service_desk"], full_name=full_name)
        users.add_user(cs, "gd_admin", PW, "/HQ/GD/", ["admin"], full_name="省管理员")
    if hq is not None:
        relay_to_hq(store, hq)
    return Server(app, store).start()


def relay_to_hq(province: Store, hq: Server) -> Any:
    return SyncClient(province, HttpTransport(hq.url, retries=0)).sync()


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Server]:
    server = province_server(tmp_path)
    yield server
    server.stop()


# -- desktop stores ---------------------------------------------------------------------------------
def fast_transport(url: str) -> Transport:
    return HttpTransport(url, retries=0)


@dataclass
class SlowTransport:
    """Every call waits first: a sync long enough to watch the GUI thread during it."""

    inner: Transport
    delay: float

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Response:
        time.sleep(self.delay)
        return self.inner.call(method, path, body=body, params=params, token=token)


def county_store(path: Path, url: str, username: str, org_path: str = LH) -> tuple[Store, SignedIn]:
    """A desktop store as ``itops login`` leaves it: signed in, synced, the password cached."""
    store = Store.open_dir(path, create=True)
    store.init_node("client", org_path)
    client = SyncClient(store, fast_transport(url))
    client.login(url, username, PW)
    client.sync()
    cache_credential(store, username, PW)
    return store, sign_in(store, username, PW)


@dataclass
class Desk:
    """One desktop: its store, context, sync controller and main window."""

    store: Store
    ctx: AppContext
    sync: SyncController
    window: MainWindow

    def sync_and_wait(self, qtbot: Any, timeout: int = 20_000) -> SyncOutcome:
        with qtbot.waitSignal(self.sync.finished, timeout=timeout) as blocker:
            self.sync.sync_now()
        return blocker.args[0]


@pytest.fixture
def desks(qtbot: Any, language: Language) -> Iterator[Callable[..., Desk]]:
    made: list[Desk] = []

    def make(path: Path, url: str, username: str, org_path: str = LH,
             transport: Callable[[str], Transport] = fast_transport) -> Desk:
        store, signed = county_store(path, url, username, org_path)
        ctx = AppContext(store=store, bus=Bus(), language=language, signed_in=signed)
        sync = SyncController(ctx, make_transport=transport)
        window = build_main_window(ctx, sync)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: sync.loaded)
        made.append(Desk(store, ctx, sync, window))
        return made[-1]

    yield make
    ops.wait_idle()
    for desk in made:
        desk.window.close()
        desk.store.close()


def new_ticket(desk: Desk, title: str) -> dict[str, Any]:
    """A local write as the tickets area makes it, then the bus notice it sends."""
    ticket = commands.create(desk.store, desk.ctx.actor, "incident", title, {"impact": 2, "urgency": 2})
    desk.ctx.bus.notify("tickets")
    return ticket


def unacked(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.acked.is_(False))) or 0)


def has_ticket(store: Store, ticket_id: str) -> bool:
    with store.read() as s:
        return s.get(Ticket, ticket_id) is not None
