"""The tickets area over a real store: list, sort, filter, pages, detail, actions, new ticket."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.main_window import MainWindow
from desktop.tickets import model as model_module
from desktop.tickets.area import TicketsArea
from desktop.tickets.dialogs import FieldsDialog
from desktop.tickets.editors import ComboEditor
from desktop.tickets.model import COLUMNS, TicketListModel
from shared.models.tickets import Ticket
from shared.store import Store
from shared.sync.codec import row_to_dict
from tests.desktop.conftest import OTHER_COUNTY_TITLE, REQUEST_TITLE, TITLES, VISIBLE

TITLE, STATE, NUMBER = COLUMNS.index("title"), COLUMNS.index("state"), COLUMNS.index("number")


def column(model: TicketListModel, col: int) -> list[str]:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def ticket_by_title(store: Store, title: str) -> dict[str, Any]:
    with store.read() as session:
        return row_to_dict(session.scalars(select(Ticket).where(Ticket.title == title)).one())


def select_title(qtbot, area: TicketsArea, title: str) -> None:  # type: ignore[no-untyped-def]
    row = column(area.model, TITLE).index(title)
    area.table.selectRow(row)
    qtbot.waitUntil(lambda: area.detail.ticket is not None and area.detail.ticket["title"] == title)


def test_list_shows_the_tickets_in_scope(window: MainWindow, store: Store) -> None:
    model = window.area("tickets").model
    titles = column(model, TITLE)
    assert sorted(titles) == sorted([*TITLES, REQUEST_TITLE])
    assert OTHER_COUNTY_TITLE not in titles  # a sibling county's ticket
    row = titles.index("打印机卡纸")
    assert model.data(model.index(row, STATE)) == "新建(服务台受理)"
    assert model.data(model.index(row, COLUMNS.index("process"))) == "事件管理"
    ticket = ticket_by_title(store, "打印机卡纸")
    assert model.data(model.index(row, COLUMNS.index("opened_at"))) == local_time(ticket["opened_at"])
    assert model.headerData(COLUMNS.index("opened_at"), Qt.Orientation.Horizontal) == "打开时间"
    assert window.area("tickets").count_label.text() == "已显示 4 / 共 4 张工单"


def test_header_click_sorts_in_sql(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    with qtbot.waitSignal(area.model.loaded):
        area.table.sortByColumn(NUMBER, Qt.SortOrder.AscendingOrder)
    numbers = column(area.model, NUMBER)
    assert numbers == sorted(numbers) and area.model.query.sort == "number"
    with qtbot.waitSignal(area.model.loaded):
        area.table.sortByColumn(NUMBER, Qt.SortOrder.DescendingOrder)
    assert column(area.model, NUMBER) == sorted(numbers, reverse=True)


def test_filter_by_process_and_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    with qtbot.waitSignal(area.model.loaded):
        area.process_filter.setCurrentIndex(area.process_filter.findData("request"))
    assert column(area.model, TITLE) == [REQUEST_TITLE]
    area.process_filter.setCurrentIndex(0)
    area.search.setText("打印")  # Chinese goes in with setText, never keyClicks
    qtbot.waitUntil(lambda: column(area.model, TITLE) == ["打印机卡纸"])
    number = area.model.data(area.model.index(0, NUMBER))
    area.search.setText(number[-6:])
    qtbot.waitUntil(lambda: column(area.model, NUMBER) == [number])
    area.search.setText("100%_")  # LIKE wildcards are escaped
    qtbot.waitUntil(lambda: area.model.rowCount() == 0)


def test_pages_are_fetched_on_demand(qtbot, monkeypatch, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(model_module, "PAGE_SIZE", 3)
    model = TicketListModel(ctx)
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    assert model.total == VISIBLE and model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == VISIBLE)
    assert not model.canFetchMore()
    assert sorted(column(model, TITLE)) == sorted([*TITLES, REQUEST_TITLE])


def test_selecting_a_ticket_shows_detail_history_and_actions(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    select_title(qtbot, area, "打印机卡纸")
    detail = area.detail
    assert detail.heading.text().endswith("打印机卡纸")
    assert detail.values["state"].text() == "新建(服务台受理)"
    assert detail.values["caller_id"].text() == "李明"
    assert detail.values["description"].text() == "描述 0"
    assert {k: b.text() for k, b in detail.action_buttons.items()} == {"accept": "受理", "dispatch": "派工"}
    assert detail.timeline.count() == 1 and "创建" in detail.timeline.item(0).text()
    window.switch_language("en")
    assert detail.action_buttons["accept"].text() == "Accept"
    assert detail.values["state"].text() == "New (logged)"
    assert "Created" in detail.timeline.item(0).text()


def test_action_changes_the_state_and_the_list_reloads(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    select_title(qtbot, area, "打印机卡纸")
    qtbot.mouseClick(area.detail.action_buttons["accept"], Qt.MouseButton.LeftButton)
    row = column(area.model, TITLE).index("打印机卡纸")
    qtbot.waitUntil(lambda: area.model.data(area.model.index(row, STATE)) == "一线处理中")
    assert ticket_by_title(store, "打印机卡纸")["state"] == "line1"
    qtbot.waitUntil(lambda: "pend" in area.detail.action_buttons and area.detail.timeline.count() == 2)
    assert "受理" in area.detail.timeline.item(1).text()
    assert area.table.currentIndex().row() == column(area.model, TITLE).index("打印机卡纸")


def test_action_asks_for_its_fields_in_a_typed_dialog(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    select_title(qtbot, area, "网络中断")
    area.detail.run_action("accept")
    qtbot.waitUntil(lambda: "pend" in area.detail.action_buttons)
    area.detail.action_buttons["pend"].click()
    dialog = area.detail.fields_dialog
    assert isinstance(dialog, FieldsDialog) and set(dialog.edits) == {"data.pending_reason"}
    assert dialog.fields.captions["data.pending_reason"].text() == "挂起原因 *"
    combo = dialog.edits["data.pending_reason"]
    assert isinstance(combo, ComboEditor)
    dialog.ok_button().click()
    assert dialog.error.text() == "请填写：挂起原因" and dialog.isVisible()
    combo.edit.setCurrentIndex(combo.edit.findData("parts"))
    dialog.ok_button().click()
    qtbot.waitUntil(lambda: ticket_by_title(store, "网络中断")["state"] == "pending")
    assert ticket_by_title(store, "网络中断")["data"]["pending_reason"] == "parts"
    qtbot.waitUntil(lambda: area.detail.values.get("pending_reason") is not None)
    assert area.detail.values["pending_reason"].text() == "待备件"


def test_refused_action_shows_the_message(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    select_title(qtbot, area, "邮箱无法登录")
    area.detail.run_action("close")  # not allowed from "new"
    qtbot.waitUntil(lambda: bool(area.detail.message.text()))
    assert "close" in area.detail.message.text()
    assert ticket_by_title(store, "邮箱无法登录")["state"] == "new"


def test_new_ticket_dialog_creates_one(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    qtbot.mouseClick(area.new_button, Qt.MouseButton.LeftButton)
    dialog = area.new_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.process.currentData() == "incident"
    assert list(dialog.edits)[:5] == ["title", "description", "impact", "urgency", "category"]
    dialog.submit()
    assert dialog.error.text() == "请输入标题"
    dialog.edits["title"].set_value("服务器宕机")
    dialog.edits["description"].set_value("机房 A 的服务器无法启动")
    for name in ("impact", "urgency"):
        combo = dialog.edits[name]
        assert isinstance(combo, ComboEditor) and combo.edit.itemText(1) == "1 — 高"
        combo.edit.setCurrentIndex(combo.edit.findData("1"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: area.model.rowCount() == VISIBLE + 1)
    assert "服务器宕机" in column(area.model, TITLE)
    created = ticket_by_title(store, "服务器宕机")
    assert (created["priority"], created["state"], created["process"]) == ("P1", "new", "incident")
    qtbot.waitUntil(lambda: area.detail.ticket is not None and area.detail.ticket["title"] == "服务器宕机")


def test_the_create_form_follows_the_process(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    dialog = area.open_new_ticket("change")
    assert list(dialog.edits) == ["title", "description", "impact", "urgency", "category", "ci_id", "data.change_type",
                                  "data.risk", "data.outage", "data.affected_cis"]
    kinds = {name: type(editor).__name__ for name, editor in dialog.edits.items()}
    assert kinds["data.change_type"] == "ComboEditor" and kinds["data.outage"] == "BoolEditor"
    assert kinds["data.affected_cis"] == "CiPicker" and kinds["description"] == "LongTextEditor"
    dialog.process.setCurrentIndex(dialog.process.findData("request"))
    assert "data.due_date" in dialog.edits and type(dialog.edits["data.due_date"]).__name__ == "DateEditor"
    assert dialog.edits["data.due_date"].value() is None  # optional date: empty until ticked
    window.switch_language("en")
    assert dialog.windowTitle() == "New ticket" and dialog.fields.captions["data.due_date"].text() == "Wanted by"
    assert dialog.fields.captions["title"].text() == "Title *"


def test_state_filter_lists_the_process_states(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    assert not area.state_filter.isEnabled()
    with qtbot.waitSignal(area.model.loaded):
        area.process_filter.setCurrentIndex(area.process_filter.findData("incident"))
    states = [area.state_filter.itemText(i) for i in range(area.state_filter.count())]
    assert states[:3] == ["全部状态", "新建(服务台受理)", "一线处理中"]
    area.detail.show_ticket(ticket_by_title(area.ctx.store, "网络中断")["id"])
    qtbot.waitUntil(lambda: area.detail.ticket is not None)
    area.detail.run_action("accept")
    qtbot.waitUntil(lambda: area.detail.ticket is not None and area.detail.ticket["state"] == "line1")
    with qtbot.waitSignal(area.model.loaded):
        area.state_filter.setCurrentIndex(area.state_filter.findData("line1"))
    qtbot.waitUntil(lambda: column(area.model, TITLE) == ["网络中断"])
