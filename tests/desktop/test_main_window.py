"""The shell: navigation, placeholders, status bar, live language switching."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from desktop.lang import SETTINGS_KEY
from desktop.main_window import AREAS, MainWindow
from desktop.placeholder import PlaceholderPage
from desktop.tickets.area import TicketsArea

ZH_NAV = ["工单", "调度台", "服务管理", "配置(CMDB)", "作业表单", "机房", "计划/任务", "报表", "同步", "管理"]
EN_NAV = ["Tickets", "Dispatch board", "Service management", "CMDB", "Work forms", "Machine rooms", "Plans / tasks",
          "Reports", "Sync", "Administration"]


def nav_texts(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_navigation_has_every_area_and_switches_pages(window: MainWindow) -> None:
    assert nav_texts(window) == ZH_NAV
    assert isinstance(window.stack.currentWidget(), TicketsArea)
    for key in AREAS:  # every area is built: no placeholder left
        window.nav.setCurrentRow(AREAS.index(key))
        page = window.stack.currentWidget()
        assert page is window.area(key) and not isinstance(page, PlaceholderPage), key
    window.show_area("tickets")
    assert window.stack.currentWidget() is window.area("tickets")


def test_an_area_without_a_widget_gets_a_placeholder(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    shell = MainWindow(ctx, {})
    qtbot.addWidget(shell)
    page = shell.area("rooms")
    assert isinstance(page, PlaceholderPage) and page.title.text() == "机房"
    assert "此区域将在后续版本提供" in page.notice.text()


def test_status_bar_shows_user_org_and_offline(window: MainWindow) -> None:
    status = window.status
    assert "李明 (lh_desk)" in status.user_label.text()
    assert "龙华" in status.org_label.text() and "/HQ/GD/SZ/LH/" in status.org_label.text()
    assert status.online_label.text() == "离线"
    window.set_online(True)
    assert status.online_label.text() == "在线"
    window.set_sync_info("已同步 12 条")
    assert status.sync_label.text() == "已同步 12 条" and not status.sync_label.isHidden()
    window.set_sync_info("")
    assert status.sync_label.isHidden()


def test_language_switch_retranslates_live_and_is_saved(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    model = window.area("tickets").model
    state_col = 3
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 1)) == "打印机卡纸")
    assert model.headerData(0, Qt.Orientation.Horizontal) == "编号"
    window.language_actions["en"].trigger()  # Settings → Language → English
    assert nav_texts(window) == EN_NAV
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Number"
    assert model.data(model.index(row, state_col)) == "New (logged)"
    assert window.status.online_label.text() == "Offline"
    assert "Longhua" in window.status.org_label.text()
    assert window.settings_menu.title() == "&Settings"
    assert QSettings().value(SETTINGS_KEY) == "en"
    assert window.status.user_label.text() and window.file_menu.title() == "&File"
    window.switch_language("zh")
    assert nav_texts(window) == ZH_NAV
    assert model.headerData(0, Qt.Orientation.Horizontal) == "编号"
    assert model.data(model.index(row, state_col)) == "新建(服务台受理)"
    assert window.settings_menu.title() == "设置(&S)"
    assert window.language_actions["zh"].isChecked()
    assert QSettings().value(SETTINGS_KEY) == "zh"
