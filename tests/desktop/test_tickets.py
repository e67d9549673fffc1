"""The tickets area over a real store: list, sort, filter, pages, detail, actions, new ticket."""

# ruff: noqa: F811  (the fixtures imported from itsm_store are used as parameters)
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox, QTableWidget, QTableWidgetItem
from sqlalchemy import select

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.main_window import MainWindow
from desktop.tickets import model as model_module
from desktop.tickets.analysis import CONFLICT_COLOUR
from desktop.tickets.area import TicketsArea
from desktop.tickets.dialogs import FieldsDialog
from desktop.tickets.editors import ComboEditor
from desktop.tickets.links import ArticleDialog
from desktop.tickets.model import COLUMNS, TicketListModel
from shared.models.tickets import Ticket
from shared.services import tickets
from shared.store import Store
from shared.sync.codec import row_to_dict
from tests.desktop.conftest import OTHER_COUNTY_TITLE, REQUEST_TITLE, TITLES, VISIBLE
from tests.desktop.itsm_store import (  # noqa: F401
    ARTICLE_TITLE,
    World,
    act,
    collect_qt_garbage,
    context,
    create,
    itsm,
    itsm_store,
    itsm_template,
    stored,
    tickets_area,
    zh,
)

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


# --- every process walked through the desktop dialogs (a real store with teams, CIs, catalogue) -------
WALKS: dict[str, tuple[dict[str, Any], list[tuple[str, dict[str, Any] | None, str]]]] = {
    "request": ({"title": "申请新电脑", "data.catalog_item": "new_pc", "data.business_unit": "marketing"}, [
        ("submit_approval", None, "waiting_approval"), ("approve", None, "approved"),
        ("assign", {"team_id": "line2"}, "assigned"), ("resolve", {"data.solution": "已配发并安装"}, "resolved"),
        ("close", None, "closed")]),
    "problem": ({"title": "打印机反复卡纸", "category": "打印机", "ci_id": "LH-PC-001"}, [
        ("analyse", None, "analysing"), ("known_error", {"data.workaround": "更换纸张"}, "known_error"),
        ("resolve", {"data.root_cause": "搓纸轮老化"}, "resolved"), ("close", None, "closed")]),
    "change": ({"title": "数据库服务器内存扩容", "data.change_type": "normal", "data.risk": "medium",
                "data.affected_cis": ["LH-SRV-001"]}, [
        ("assess", None, "assess"),
        ("submit_cab", {"data.assessment": "影响可控", "data.rollback_plan": "拆回原内存"}, "authorize"),
        ("approve", {"data.planned_start": "2026-12-05T22:00:00+08:00",
                     "data.planned_end": "2026-12-06T02:00:00+08:00"}, "scheduled"),
        ("implement", None, "implement"), ("review", {"data.outcome": "success"}, "review"),
        ("close", None, "closed")]),
    "release": ({"title": "营销系统 2.1 发布", "data.version": "2.1", "data.release_type": "minor"}, [
        ("build", None, "build"), ("test", None, "test"),
        ("submit_review", {"data.test_report": "回归通过", "data.rollback_plan": "回滚至 2.0"}, "go_no_go"),
        ("go", {"data.go_decision": "go"}, "deploy"),
        ("deployed", {"data.release_notes": "新增电费账单"}, "early_support"),
        ("close", {"data.closing_summary": "平稳运行一周"}, "closed")]),
    "knowledge": ({"title": "邮箱客户端配置方法", "data.symptom": "无法收信", "data.steps": "检查 SSL 端口"}, [
        ("submit", {"data.steps": "检查 SSL 端口 995"}, "review"), ("publish", None, "published")]),
}


def cell(table: QTableWidget, row: int, col: int) -> QTableWidgetItem:
    item = table.item(row, col)
    assert item is not None
    return item


def _resolved(value: Any, itsm: World) -> Any:
    return itsm.teams.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize("process_code", list(WALKS))
def test_every_process_walks_its_main_path(qtbot, itsm: World, itsm_store: Store, zh: Any,  # type: ignore[no-untyped-def]
                                           process_code: str) -> None:
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "chief"))
    fields, path = WALKS[process_code]
    created = create(qtbot, area, process_code, fields)
    for action, values, state in path:
        act(qtbot, area, action, {k: _resolved(v, itsm) for k, v in values.items()} if values else None, state)
    ticket = stored(itsm_store, created["id"])
    assert ticket["state"] == path[-1][2]
    expected = {k.removeprefix("data."): v for _a, values, _s in path for k, v in (values or {}).items()
                if k.startswith("data.")}
    for key, value in expected.items():
        if key in ("planned_start", "planned_end"):
            assert datetime.fromisoformat(ticket["data"][key]) == datetime.fromisoformat(value)
        else:
            assert ticket["data"][key] == value, key
    lines = [area.detail.timeline.item(i).text() for i in range(area.detail.timeline.count())]
    assert len(lines) == len(path) + 1 and all("钱主管" in line for line in lines)
    if process_code == "change":
        assert ticket["data"]["affected_cis"] == [itsm.cis["LH-SRV-001"]]
        assert area.detail.values["affected_cis"].text() == "营销数据库服务器 (LH-SRV-001)"


def test_actions_follow_roles_and_conditions(qtbot, itsm: World, itsm_store: Store, zh: Any) -> None:  # type: ignore[no-untyped-def]
    chief = itsm.people["chief"].actor
    with itsm_store.write(chief.user_id) as cs:
        request = tickets.create_ticket(cs, chief, "request", "申请新电脑", {"data.catalog_item": "new_pc"})
        tickets.transition(cs, chief, request["id"], "submit_approval")
        standard = tickets.create_ticket(cs, chief, "change", "标准变更", {"data.change_type": "standard"})
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "desk"))
    area.open_ticket(request["id"])
    qtbot.waitUntil(lambda: area.detail.ticket is not None and area.detail.ticket["id"] == request["id"])
    assert area.detail.action_buttons == {}  # approving needs the approver or duty lead role
    lead = tickets_area(qtbot, context(itsm_store, zh, itsm, "lead"))
    lead.open_ticket(request["id"])
    qtbot.waitUntil(lambda: lead.detail.ticket is not None and lead.detail.ticket["id"] == request["id"])
    assert set(lead.detail.action_buttons) == {"approve", "reject"}
    lead.open_ticket(standard["id"])
    qtbot.waitUntil(lambda: lead.detail.ticket is not None and lead.detail.ticket["id"] == standard["id"])
    # a standard change is scheduled directly: no assessment, CAB or ECAB (those are for other types)
    assert set(lead.detail.action_buttons) == {"schedule", "cancel"}


def test_problem_from_a_proposal_links_the_incidents(qtbot, itsm: World, itsm_store: Store, zh: Any) -> None:  # type: ignore[no-untyped-def]
    desk = itsm.people["desk"].actor
    with itsm_store.write(desk.user_id) as cs:
        made = [tickets.create_ticket(cs, desk, "incident", f"打印机卡纸 {i}", {"category": "打印机"})
                for i in range(3)]
    numbers = sorted(t["number"] for t in made)
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "lead"))
    area.process_filter.setCurrentIndex(area.process_filter.findData("problem"))
    assert area.side.isVisible() and area.side.currentWidget() is area.proposals
    qtbot.waitUntil(lambda: len(area.proposals.proposals) == 1)
    table = area.proposals.table
    assert cell(table, 0, 0).text() == "分类：打印机" and cell(table, 0, 1).text() == "3"
    area.proposals.create_button.click()
    dialog = area.new_dialog
    assert dialog is not None and dialog.process.currentData() == "problem"
    assert dialog.edits["category"].value() == "打印机" and "30 天内 3 起事件" in dialog.edits["title"].value()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.created is not None)
    detail = area.detail
    qtbot.waitUntil(lambda: detail.ticket is not None and detail.ticket["process"] == "problem")
    assert detail.ticket is not None and sorted(r["number"] for r in detail.ticket["linked"]) == numbers
    assert detail.links.count() == 3
    qtbot.waitUntil(lambda: area.proposals.proposals == [])  # an open problem now covers the category
    detail.links.itemDoubleClicked.emit(detail.links.item(0))
    qtbot.waitUntil(lambda: detail.ticket is not None and detail.ticket["number"] == numbers[0])


def test_change_calendar_warns_of_a_clash(qtbot, itsm: World, itsm_store: Store, zh: Any) -> None:  # type: ignore[no-untyped-def]
    chief = itsm.people["chief"].actor
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "chief"))
    day = area.calendar.start + timedelta(days=2, hours=22)
    with itsm_store.write(chief.user_id) as cs:
        for title, start in (("内存扩容", day), ("系统补丁", day + timedelta(hours=1)), ("另一台", day)):
            ci = itsm.cis["LH-SRV-001" if title != "另一台" else "LH-PC-001"]
            tickets.create_ticket(cs, chief, "change", title, {
                "data.change_type": "normal", "data.affected_cis": [ci], "data.planned_start": start.isoformat(),
                "data.planned_end": (start + timedelta(hours=3)).isoformat()})
    area.process_filter.setCurrentIndex(area.process_filter.findData("change"))
    calendar = area.calendar
    qtbot.waitUntil(lambda: calendar.table.rowCount() == 3)
    rows = {cell(calendar.table, r, 1).text().split()[1]: r for r in range(3)}
    clash = cell(calendar.table, rows["内存扩容"], 4)
    assert clash.text().startswith("与 CHG-") and clash.foreground().color() == QColor(CONFLICT_COLOUR)
    assert cell(calendar.table, rows["另一台"], 4).text() == ""
    calendar.next_button.click()
    qtbot.waitUntil(lambda: calendar.table.rowCount() == 0)


def test_link_by_number_and_solved_with_article(qtbot, itsm: World, itsm_store: Store, zh: Any) -> None:  # type: ignore[no-untyped-def]
    desk = itsm.people["desk"].actor
    with itsm_store.write(desk.user_id) as cs:
        incident = tickets.create_ticket(cs, desk, "incident", "打印机又卡纸", {})
        other = tickets.create_ticket(cs, desk, "incident", "另一台打印机卡纸", {})
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "desk"))
    area.open_ticket(incident["id"])
    detail = area.detail
    qtbot.waitUntil(lambda: detail.ticket is not None and detail.ticket["id"] == incident["id"])
    detail.link_button.click()
    dialog = detail.fields_dialog
    assert isinstance(dialog, FieldsDialog)
    dialog.edits["other"].set_value("KB-NOPE-1")
    dialog.ok_button().click()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text() == "没有工单 KB-NOPE-1"  # the service's refusal, in the window's language
    dialog.edits["other"].set_value(other["number"])
    dialog.ok_button().click()
    qtbot.waitUntil(lambda: detail.ticket is not None and len(detail.ticket["linked"]) == 1)
    detail.article_button.click()
    articles = detail.fields_dialog
    assert isinstance(articles, ArticleDialog)
    qtbot.waitUntil(lambda: articles.results.count() == 1)
    assert ARTICLE_TITLE in articles.results.item(0).text()
    articles.results.setCurrentRow(0)
    articles.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: detail.ticket is not None and len(detail.ticket["linked"]) == 2)
    assert stored(itsm_store, incident["id"])["data"]["knowledge_id"] == itsm.article_id
    assert detail.values["knowledge_id"].text().endswith(ARTICLE_TITLE)
    assert any("关联到" in detail.timeline.item(i).text() for i in range(detail.timeline.count()))


def test_edit_writes_only_what_changed(qtbot, itsm: World, itsm_store: Store, zh: Any) -> None:  # type: ignore[no-untyped-def]
    desk = itsm.people["desk"].actor
    with itsm_store.write(desk.user_id) as cs:
        incident = tickets.create_ticket(cs, desk, "incident", "会议室投影仪无信号", {"impact": 2, "urgency": 3})
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "desk"))
    area.open_ticket(incident["id"])
    detail = area.detail
    qtbot.waitUntil(lambda: detail.ticket is not None and detail.ticket["id"] == incident["id"])
    assert detail.values["priority"].text() == "P4（影响度 2，紧急度 3）"
    detail.edit_button.click()
    dialog = detail.fields_dialog
    assert isinstance(dialog, FieldsDialog) and dialog.edits["title"].value() == "会议室投影仪无信号"
    urgency = dialog.edits["urgency"]
    assert isinstance(urgency, ComboEditor) and urgency.value() == "3"
    urgency.edit.setCurrentIndex(urgency.edit.findData("1"))
    dialog.edits["data.onsite_required"].set_value(True)
    dialog.ok_button().click()
    qtbot.waitUntil(lambda: detail.ticket is not None and len(detail.ticket["entries"]) == 2)
    ticket = stored(itsm_store, incident["id"])
    assert (ticket["urgency"], ticket["priority"], ticket["data"]) == (1, "P2", {"onsite_required": True})
    change = detail.timeline.item(1).text()
    assert "紧急度 = 1 — 高" in change and "需要到场 = 是" in change and "标题" not in change
    assert detail.values["priority"].text() == "P2（影响度 2，紧急度 1）"
    assert "arrive" not in detail.action_buttons  # on-site arrival is recorded on tier 2/3, not at 新建


def test_full_text_search_finds_a_chinese_substring_and_opens_the_ticket(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    area = window.area("tickets")
    area.fulltext_button.click()
    search = area.fulltext
    assert search is not None and area.side.currentWidget() is search and area.side.isVisible()
    qtbot.waitUntil(lambda: search.ready)
    search.box.setText("卡纸")  # inside the title 打印机卡纸
    search.search_now()
    qtbot.waitUntil(lambda: search.model.rowCount() == 1)
    search.table.doubleClicked.emit(search.model.index(0, 0))
    qtbot.waitUntil(lambda: area.detail.ticket is not None and area.detail.ticket.get("title") == "打印机卡纸")
    area.fulltext_button.click()
    assert not area.side.isVisible()
