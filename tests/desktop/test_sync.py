"""The sync controller and the Sync area against a real province server over HTTP on loopback (helpers in
sync_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QSettings, QThread, QTimer
from sqlalchemy import update

from desktop.context import AppContext
from desktop.sync.area import SyncArea
from desktop.sync.controller import INTERVAL_KEY, SyncController
from shared.db.types import utcnow
from shared.models import SYNCED
from shared.models.sync import SyncNode, SyncPeer
from tests.desktop import sync_helpers
from tests.desktop.sync_helpers import (
    LH,
    PW,
    Desk,
    Server,
    SlowTransport,
    fast_transport,
    has_ticket,
    new_ticket,
    unacked,
)

desks = sync_helpers.desks  # the fixtures, shared
province = sync_helpers.province


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
