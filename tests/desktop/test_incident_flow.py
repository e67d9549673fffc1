"""The three-line incident flow in the desktop, 受理 to 回访, driving the real widgets: the service desk
creates, accepts, dispatches to tier 2, escalates to the vendor team (tier 3), puts it on hold (the
resolution clock pauses), resumes, resolves with a code and solution, follows up and closes."""

# ruff: noqa: F811  (the fixtures imported from itsm_store are used as parameters)
from __future__ import annotations

from typing import Any

from desktop.tickets.area import TicketsArea
from desktop.tickets.dialogs import FieldsDialog
from desktop.tickets.editors import ComboEditor
from shared.store import Store
from tests.desktop.itsm_store import (  # noqa: F401
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


def clock_text(area: TicketsArea, name: str) -> str:
    return area.detail.clocks.texts[name].text()


def check_captions(dialog: FieldsDialog, captions: dict[str, str]) -> None:
    assert {k: dialog.fields.captions[k].text() for k in captions} == captions


def check_choices(dialog: FieldsDialog, name: str, texts: list[str]) -> None:
    editor = dialog.edits[name]
    assert isinstance(editor, ComboEditor)
    assert [editor.edit.itemText(i) for i in range(editor.edit.count())] == texts


def history(area: TicketsArea) -> list[str]:
    timeline = area.detail.timeline
    return [timeline.item(i).text() for i in range(timeline.count())]


def test_incident_from_logging_to_follow_up(qtbot: Any, itsm: World, itsm_store: Store, zh: Any) -> None:
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "desk"))
    created = create(qtbot, area, "incident", {
        "title": "财务室电脑无法开机", "description": "按电源键无反应", "impact": 2, "urgency": 1,
        "origin": "phone", "ci_id": "LH-PC-001", "data.service": "mail", "data.business_unit": "marketing"})
    detail = area.detail
    ticket = stored(itsm_store, created["id"])
    assert (ticket["priority"], ticket["state"], ticket["ci_id"]) == ("P2", "new", itsm.cis["LH-PC-001"])
    assert ticket["data"] == {"service": "mail", "business_unit": "marketing", "onsite_required": False}
    assert detail.values["state"].text() == "新建(服务台受理)"
    assert detail.values["ci_id"].text() == "财务室电脑 (LH-PC-001)"
    assert detail.values["service"].text() == "邮件系统"
    # the roles of the desk (service_desk + dispatcher) allow these, and only these, from 新建
    assert set(detail.action_buttons) == {"accept", "dispatch"}
    assert detail.clocks.levels == {"response": "ok", "onsite": "idle", "resolution": "ok"}
    assert "运行中" in clock_text(area, "response")

    act(qtbot, area, "accept", None, "line1")
    assert "已达成" in clock_text(area, "response")  # the response clock stopped on acceptance
    act(qtbot, area, "dispatch", {"team_id": itsm.teams["line2"]}, "line2",
        lambda d: check_captions(d, {"team_id": "处理组 *"}))
    act(qtbot, area, "escalate", {"team_id": itsm.teams["vendor"]}, "line3")
    assert detail.values["team_id"].text() == "华为厂商工程师组"

    act(qtbot, area, "pend", {"data.pending_reason": "vendor"}, "pending",
        lambda d: check_choices(d, "data.pending_reason", ["—", "待用户", "待备件", "待厂商", "待变更"]))
    assert detail.values["pending_reason"].text() == "待厂商"
    assert "已暂停" in clock_text(area, "resolution")  # 挂起 pauses the resolution clock
    assert set(detail.action_buttons) == {"resume"}
    act(qtbot, area, "resume", None, "line3")  # back to the line it was on
    assert "运行中" in clock_text(area, "resolution")

    act(qtbot, area, "resolve", {"data.resolution_code": "hardware", "data.solution": "更换电源模块"}, "resolved")
    assert detail.values["resolution_code"].text() == "硬件维修"
    act(qtbot, area, "survey", {"data.satisfaction": "1"}, "surveyed",
        lambda d: check_choices(d, "data.satisfaction", ["—", "非常满意", "基本满意", "不满意", "非常不满意"]))
    act(qtbot, area, "close", None, "closed")

    ticket = stored(itsm_store, created["id"])
    assert ticket["state"] == "closed" and ticket["team_id"] == itsm.teams["vendor"]
    assert ticket["data"]["satisfaction"] == "1" and ticket["data"]["solution"] == "更换电源模块"
    assert ticket["resolved_at"] and ticket["closed_at"]
    lines = history(area)
    steps = ["创建", "受理", "派工", "升级", "挂起", "恢复处理", "解决", "回访", "关闭"]
    assert len(lines) == len(steps)
    for line, step in zip(lines, steps, strict=True):
        assert step in line and "王服务台" in line
    assert "(二线处理中 → 三线处理中)" in lines[3]
    assert {k: v for k, v in detail.clocks.levels.items()} == {"response": "ok", "onsite": "idle",
                                                               "resolution": "ok"}
    assert "已达成" in clock_text(area, "resolution")
    assert detail.action_buttons == {}  # closed: nothing left to do


def test_a_refused_action_shows_one_line(qtbot: Any, itsm: World, itsm_store: Store, zh: Any) -> None:
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "desk"))
    create(qtbot, area, "incident", {"title": "邮箱无法登录"})
    act(qtbot, area, "accept", None, "line1")
    area.detail.action_buttons["resolve"].click()
    dialog = area.detail.fields_dialog
    assert isinstance(dialog, FieldsDialog)
    dialog.ok_button().click()  # nothing chosen: the dialog says what is missing and stays open
    assert dialog.isVisible() and dialog.error.text() == "请填写：解决方式、解决方案"
    area.detail.run_action("close", {})  # not allowed from 一线处理中: the service's reason, one line
    qtbot.waitUntil(lambda: bool(area.detail.message.text()))
    assert "\n" not in area.detail.message.text() and "close" in area.detail.message.text()


def test_major_incident_resolves_its_children(qtbot: Any, itsm: World, itsm_store: Store, zh: Any) -> None:
    area = tickets_area(qtbot, context(itsm_store, zh, itsm, "desk"))
    parent = create(qtbot, area, "incident", {"title": "营销系统全面中断", "impact": 1, "urgency": 1})
    child = create(qtbot, area, "incident", {"title": "营业厅无法收费", "parent_id": parent["number"]})
    assert stored(itsm_store, child["id"])["parent_id"] == parent["id"]  # typed as a number, stored as the id
    detail = area.detail
    assert detail.values["parent_id"].text() == f"{parent['number']} 营销系统全面中断"
    assert detail.links.item(0).text().startswith(f"父工单：{parent['number']}")
    detail.links.itemDoubleClicked.emit(detail.links.item(0))  # open the parent from the child
    qtbot.waitUntil(lambda: detail.ticket is not None and detail.ticket["id"] == parent["id"])
    assert detail.links.item(0).text().startswith(f"子工单：{child['number']}")
    act(qtbot, area, "accept", None, "line1")
    act(qtbot, area, "resolve", {"data.resolution_code": "patch", "data.solution": "回滚数据库补丁"}, "resolved")
    resolved = stored(itsm_store, child["id"])
    assert resolved["state"] == "resolved" and resolved["data"]["resolution_code"] == "patch"
    qtbot.waitUntil(lambda: "已解决" in detail.links.item(0).text())
