"""The sync controller and the Sync area against a real province server over HTTP on loopback.

The helpers here (servers in threads, signed-in county stores, desktop windows) are used by
test_admin.py too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QSettings, QThread, QTimer
from sqlalchemy import func, select, update

from desktop import ops
from desktop.app import build_main_window
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.login import sign_in
from desktop.main_window import MainWindow
from desktop.ops import Bus
from desktop.sync.area import SyncArea
from desktop.sync.controller import INTERVAL_KEY, SyncController
from desktop.sync.jobs import SyncOutcome, cache_credential
from desktop.tickets import commands
from shared.db.types import utcnow
from shared.models import SYNCED
from shared.models.sync import OutboxEntry, SyncNode, SyncPeer
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


# -- tests ------------------------------------------------------------------------------------------
def test_sync_now_pushes_a_ticket_and_shows_online_and_outbox(qtbot, tmp_path: Path, province: Server,  # type: ignore[no-untyped-def]
                                                              desks: Callable[..., Desk]) -> None:
    desk = desks(tmp_path / "lh", province.url, "lh_tech")
    status = desk.window.status
    assert status.online_label.text() == "离线"  # nothing synced in this session yet
    ticket = new_ticket(desk, "打印机卡纸")
    qtbot.waitUntil(lambda: desk.sync.state.outbox > 0)
    assert f"待上传 {desk.sync.state.outbox}" in status.sync_label.text()
    with qtbot.waitSignal(desk.ctx.bus.changed) as changed:
        outcome = desk.sync_and_wait(qtbot)
    assert outcome.failure == "" and outcome.report["pushed"] >= 1
    assert changed.args[0] == frozenset(SYNCED)  # every view reloads what came down
    assert has_ticket(province.store, ticket["id"])
    assert status.online_label.text() == "在线"
    assert status.sync_label.text().startswith("上次同步 ") and status.sync_label.text().endswith("· 待上传 0")
    assert "已同步" in desk.window.statusBar().currentMessage()
    area = desk.window.area("sync")
    assert isinstance(area, SyncArea)
    assert area.values["outbox"].text() == "0 条更改" and area.values["server"].text() == province.url
    assert area.values["user"].text() == "lh_tech" and LH in area.values["scope"].text()
    assert area.signin_box.isHidden() and area.sync_button.isEnabled()
    desk.window.switch_language("en")
    try:
        assert status.sync_label.text().startswith("Last sync ") and status.sync_label.text().endswith("0 to upload")
        assert area.sync_button.text() == "Sync now" and area.values["outbox"].text() == "0 changes"
    finally:
        desk.window.switch_language("zh")


def test_offline_sync_keeps_everything_and_says_so(qtbot, tmp_path: Path, province: Server,  # type: ignore[no-untyped-def]
                                                   desks: Callable[..., Desk]) -> None:
    desk = desks(tmp_path / "lh", province.url, "lh_tech")
    assert desk.sync_and_wait(qtbot).failure == ""
    last = desk.sync.state.last_sync_at
    province.stop()
    ticket = new_ticket(desk, "网络中断")
    qtbot.waitUntil(lambda: desk.sync.state.outbox > 0)
    waiting = desk.sync.state.outbox
    outcome = desk.sync_and_wait(qtbot)
    assert outcome.failure == "offline"
    status = desk.window.status
    assert status.online_label.text() == "离线"
    assert status.sync_label.text().startswith("上次同步 ") and status.sync_label.text().endswith(f"待上传 {waiting}")
    assert "离线" in desk.window.statusBar().currentMessage()
    assert unacked(desk.store) == waiting and has_ticket(desk.store, ticket["id"])  # nothing lost
    assert desk.sync.state.last_sync_at == last and desk.sync.state.last_error.startswith("offline")
    area = desk.window.area("sync")
    assert isinstance(area, SyncArea)
    assert area.values["last_error"].text().startswith("offline")
    province.start()  # back on the same port: the next sync sends what waited
    assert desk.sync_and_wait(qtbot).failure == ""
    assert has_ticket(province.store, ticket["id"]) and unacked(desk.store) == 0
    assert status.online_label.text() == "在线" and area.values["last_error"].text() == "—"


def test_window_stays_responsive_and_shows_progress(qtbot, tmp_path: Path, province: Server,  # type: ignore[no-untyped-def]
                                                    desks: Callable[..., Desk]) -> None:
    desk = desks(tmp_path / "lh", province.url, "lh_tech",
                 transport=lambda url: SlowTransport(fast_transport(url), 0.3))
    new_ticket(desk, "邮箱无法登录")
    qtbot.waitUntil(lambda: desk.sync.state.outbox > 0)
    texts: list[str] = []
    in_gui_thread: list[bool] = []

    def on_progress(text: str) -> None:
        texts.append(text)
        in_gui_thread.append(QThread.currentThread() is QCoreApplication.instance().thread())  # type: ignore[union-attr]

    desk.sync.progress_changed.connect(on_progress)
    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()

    def tick() -> None:
        gaps.append(clock.restart())

    timer = QTimer(interval=20)
    timer.timeout.connect(tick)
    timer.start()
    with qtbot.waitSignal(desk.sync.finished, timeout=20_000):
        desk.sync.sync_now()
        desk.sync.sync_now()  # asked again while running: queued once
        desk.sync.sync_now()
        assert desk.sync.running and desk.sync.syncs_started == 1
        assert desk.window.status.sync_label.text().startswith("同步中…")
    timer.stop()
    assert len(gaps) >= 15 and max(gaps[1:]) < 400, gaps  # the GUI thread kept running (a freeze: ≥ 600 ms)
    assert any(t.startswith("同步中… 上传 0/") for t in texts), texts
    assert any(t.startswith("同步中… 下载") for t in texts), texts
    assert all(in_gui_thread)  # the worker's progress callback reached the GUI through a queued signal
    qtbot.waitUntil(lambda: desk.sync.syncs_started == 2 and not desk.sync.running, timeout=20_000)
    qtbot.wait(100)
    assert desk.sync.syncs_started == 2  # the queued request ran once, not twice


def test_timer_syncs_only_when_signed_in(qtbot, tmp_path: Path, province: Server,  # type: ignore[no-untyped-def]
                                         desks: Callable[..., Desk], ctx: AppContext) -> None:
    QSettings().setValue(INTERVAL_KEY, 0.01)  # 0.6 s (at least 1 s is used)
    try:
        desk = desks(tmp_path / "lh", province.url, "lh_tech")
        desk.sync.start()  # a first sync at once, then one per interval
        offline = SyncController(ctx)  # the template store never signed in to a server
        offline.start()
        assert desk.sync.timer.interval() == 1_000
        qtbot.waitUntil(lambda: desk.sync.syncs_started == 1, timeout=900)
        qtbot.waitUntil(lambda: desk.sync.syncs_started >= 2 and not desk.sync.running, timeout=5_000)
        assert desk.sync.state.last_sync_at is not None
        qtbot.wait(1_300)
        assert offline.loaded and not offline.state.signed_in and offline.syncs_started == 0
        offline.timer.stop()
        desk.sync.timer.stop()
    finally:
        QSettings().remove(INTERVAL_KEY)
    assert SyncController(ctx).timer.interval() == 0  # not started until the window is shown


def test_sign_in_form_wrong_then_right_password(qtbot, tmp_path: Path, province: Server,  # type: ignore[no-untyped-def]
                                                desks: Callable[..., Desk]) -> None:
    desk = desks(tmp_path / "lh", province.url, "lh_tech")
    with desk.store.write() as cs:  # as if this store had never signed in to the server
        cs.session.execute(update(SyncPeer).values(token=""))
    desk.sync.refresh()
    area = desk.window.area("sync")
    assert isinstance(area, SyncArea)
    desk.window.show_area("sync")
    qtbot.waitUntil(lambda: area.signin_box.isVisible())
    assert not area.sync_button.isEnabled()
    assert area.url.text() == province.url and area.username.text() == "lh_tech"
    area.password.setText("not-the-password")
    with qtbot.waitSignal(desk.sync.signin_finished, timeout=10_000):
        area.signin_button.click()
    assert area.signin_error.isVisible() and "用户名或密码错误" in area.signin_error.text()
    area.url.setText("http://127.0.0.1:9")  # nothing listens there
    area.password.setText(PW)
    with qtbot.waitSignal(desk.sync.signin_finished, timeout=10_000):
        area.signin_button.click()
    assert "无法连接服务器" in area.signin_error.text()
    area.url.setText(province.url)
    with qtbot.waitSignal(desk.sync.finished, timeout=20_000) as done:
        area.signin_button.click()
    assert done.args[0].failure == "" and desk.sync.state.signed_in
    qtbot.waitUntil(lambda: not area.signin_box.isVisible())
    assert area.password.text() == "" and area.values["last_sync"].text() not in ("", "从未")
    assert area.sync_button.isEnabled() and desk.window.status.online_label.text() == "在线"


def test_revoked_store_is_asked_to_sign_in_again(qtbot, tmp_path: Path, province: Server,  # type: ignore[no-untyped-def]
                                                 desks: Callable[..., Desk]) -> None:
    desk = desks(tmp_path / "lh", province.url, "lh_tech")
    with province.store.write() as cs:
        node = cs.session.get(SyncNode, desk.store.node()["node_id"])
        assert node is not None
        node.revoked_at = utcnow()
    assert desk.sync_and_wait(qtbot).failure == "auth"
    assert "重新登录" in desk.window.statusBar().currentMessage()
    area = desk.window.area("sync")
    assert isinstance(area, SyncArea)
    desk.window.show_area("sync")
    assert area.signin_box.isVisible() and "重新登录" in area.signin_intro.text()
    desk.sync._on_timer()  # the automatic sync leaves a refused store alone
    assert not desk.sync.running
