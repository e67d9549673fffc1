"""The desktop's in-app notifications and the rules-and-standards library, on a real county store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget

from desktop import ops
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.library import LibraryPanel
from desktop.notifications import NotificationsPanel
from desktop.notifications.menu import install
from desktop.ops import Bus
from shared.models.org import User
from shared.services import documents, notifications
from shared.services.actor import Actor
from shared.store import Store

from .test_documents import pdf_bytes

HQ_ADMIN = Actor(None, "hq_admin", "/HQ/", ("admin",))


def cell(table: Any, row: int, col: int) -> Any:
    item = table.item(row, col)
    assert item is not None
    return item
MANUAL = pdf_bytes("GL-07")


@pytest.fixture
def ctx(county: tuple[Store, Actor], qapp: QApplication) -> Iterator[AppContext]:
    store, actor = county
    with store.write() as cs:
        user = cs.session.get(User, actor.user_id)
        assert user is not None
        notifications.notify(cs, user, "monitoring", "P1 INC-GD-000001 核心交换机不可达", "SNMP 失败",
                             ref_entity="tickets", ref_id="t1", priority="P1")
        notifications.notify(cs, user, "sla_warning", "INC-GD-000002 响应已用 80%", "打印机卡纸",
                             ref_entity="tickets", ref_id="t2", priority="P3", key="response|75")
        documents.publish(cs, HQ_ADMIN, "GL-07", "rule", "信息机房运行管理办法", "2026版", "2026-01-01",
                          "集团公司信息部", files=[("GL-07.pdf", MANUAL)])
        documents.publish(cs, HQ_ADMIN, "ZY-06", "instruction", "信息机房日常巡检作业指导书", "2026版", "2026-01-01")
    language = Language()
    language.apply("zh")
    user_row = {"id": actor.user_id, "username": actor.username, "full_name": "何晓丽"}
    yield AppContext(store=store, bus=Bus(), language=language, signed_in=SignedIn(actor, user_row))
    ops.wait_idle()
    language.uninstall()


def test_notifications_panel_lists_and_marks_read(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    panel = NotificationsPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.unread_changed) as unread:
        panel.reload()
    assert unread.args == [2]
    assert panel.table.rowCount() == 2
    titles = {cell(panel.table, r, 3).text() for r in range(2)}
    assert titles == {"P1 INC-GD-000001 核心交换机不可达", "INC-GD-000002 响应已用 80%"}
    assert {cell(panel.table, r, 1).text() for r in range(2)} == {"监控告警", "SLA 预警"}  # kind labels in Chinese
    assert cell(panel.table, 0, 3).font().bold()
    with qtbot.waitSignal(panel.unread_changed, check_params_cb=lambda n: n == 0):
        panel.mark_all_read()  # the write emits on the bus; the panel reloads
    assert cell(panel.table, 0, 2).text() == "是" and not cell(panel.table, 0, 3).font().bold()
    with qtbot.waitSignal(panel.open_ticket) as opened:
        panel._on_open(0, 3)
    assert opened.args[0] in ("t1", "t2")


def test_library_panel_reads_offline_saves_and_acknowledges(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    panel = LibraryPanel(ctx)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    assert [cell(panel.table, r, 0).text() for r in range(2)] == ["GL-07", "ZY-06"]
    panel.kind.setCurrentIndex(panel.kind.findData("instruction"))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and cell(panel.table, 0, 0).text() == "ZY-06")
    panel.kind.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    panel.table.selectRow(0)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current["code"] == "GL-07")
    assert "信息机房运行管理办法" in panel.detail.text() and "集团公司信息部" in panel.detail.text()
    assert panel.files.count() == 1 and panel.save.isEnabled() and panel.read.isEnabled()
    target = tmp_path / "copy.pdf"
    panel.save_file_to(target)
    qtbot.waitUntil(lambda: panel.saved_to == target)
    assert target.read_bytes() == MANUAL
    panel.acknowledge()
    qtbot.waitUntil(lambda: cell(panel.table, 0, 5).text() == "是")
    qtbot.waitUntil(lambda: not panel.read.isEnabled())
    with ctx.store.read() as session:
        assert documents.list_documents(session, user_id=ctx.actor.user_id)[0]["read"] is True


def test_information_menu_opens_both_windows(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = install(window, ctx)
    qtbot.waitUntil(lambda: menu.unread == 2)
    assert menu.notifications_action.text() == "通知（2 条未读）"
    assert menu.menu.title() == "信息(&I)"
    library = menu.show_library()
    assert library.isVisible() and library.windowTitle() == "制度与标准库"
    assert menu.show_notifications().isVisible()


def test_event_log_per_ci(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from shared.integrations.payloads import parse
    from shared.models.integrations import EventApiKey
    from shared.services import cmdb, events

    store, actor = ctx.store, ctx.actor
    with store.write() as cs:
        cmdb.create_ci(cs, actor, "network", "LH-CORE-SW01", {"ip": "10.21.0.1"})
        cmdb.create_ci(cs, actor, "network", "LH-ACC-SW01", {"ip": "10.21.0.11"})
        key = EventApiKey(id="k", name="prom-gd", key_hash="x", org_path="/HQ/GD/SZ/LH/", settings={})
        events.ingest(cs, key, parse({"events": [
            {"fingerprint": "a", "title": "核心交换机不可达", "host": "LH-CORE-SW01", "severity": "critical"},
            {"fingerprint": "b", "title": "接入交换机端口 down", "ip": "10.21.0.11", "severity": "warning"}]}))
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = install(window, ctx)
    panel = menu.show_events().findChild(QTableWidget, "monitoring_events")
    assert panel is not None
    qtbot.waitUntil(lambda: panel.rowCount() == 2)
    assert menu.events is not None
    menu.events.filter.setText("CORE")
    qtbot.waitUntil(lambda: panel.rowCount() == 1)
    assert [cell(panel, 0, c).text() for c in (1, 2, 4)] == ["LH-CORE-SW01", "告警", "已开事件单"]


def test_notification_settings_dialog_saves_preferences(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from desktop.notifications.prefs import PrefsDialog

    panel = NotificationsPanel(ctx)
    qtbot.addWidget(panel)
    dialog = panel.edit_settings()
    assert isinstance(dialog, PrefsDialog)
    qtbot.waitUntil(dialog.isEnabled)
    assert dialog.boxes[("monitoring", "sms")].isChecked()  # the defaults of the kind
    assert not dialog.boxes[("assignment", "sms")].isChecked() and not dialog.quiet.isChecked()
    dialog.boxes[("monitoring", "sms")].setChecked(False)
    dialog.quiet.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    with ctx.store.read() as session:
        prefs = notifications.get_prefs(session, str(ctx.actor.user_id))
    assert prefs["effective"]["monitoring"] == ["email"]
    assert (prefs["quiet_start"], prefs["quiet_end"]) == ("22:00", "07:00")
