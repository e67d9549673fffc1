"""pytest-qt: the plans tab (计划) of the forms area — a task plan made in the dialog, submitted, approved
by an approver, spawned, and its occurrence shown in the month calendar."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop import ops
from desktop.app import build_main_window
from desktop.context import AppContext, SignedIn
from desktop.forms.area import FormsArea
from desktop.lang import Language
from desktop.login import sign_in
from desktop.main_window import AREAS
from desktop.ops import Bus
from desktop.plans import commands
from desktop.plans.tab import COLOURS, PlansTab
from desktop.tasks.area import TasksArea
from shared.forms.registry import builtin
from shared.models.work import Task
from shared.services import forms, plans, tasks, users
from shared.services.actor import Actor
from shared.store import Store
from tests.desktop.conftest import LH, PASSWORD, USERNAME, build_store


@pytest.fixture(scope="module")
def plans_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans-template") / "store"
    build_store(path)
    store = Store.open_dir(path)
    with store.write() as cs:
        users.add_user(cs, "lh_lead", PASSWORD, LH, ["approver", "duty_lead"])
    store.close()
    return path


@pytest.fixture
def world(plans_template: Path, tmp_path: Path, qapp: QApplication) -> Iterator[tuple[AppContext, AppContext]]:
    path = tmp_path / "store"
    shutil.copytree(plans_template, path)
    store = Store.open_dir(path)
    language = Language()
    language.apply("zh")
    bus = Bus()
    desk: SignedIn = sign_in(store, USERNAME, PASSWORD)
    lead: SignedIn = sign_in(store, "lh_lead", PASSWORD)
    yield (AppContext(store=store, bus=bus, language=language, signed_in=desk),
           AppContext(store=store, bus=bus, language=language, signed_in=lead))
    ops.wait_idle()
    language.uninstall()
    store.close()


def _row(tab: PlansTab, number_or_name: str) -> int:
    for row in range(tab.table.rowCount()):
        if any(tab.table.item(row, c).text() == number_or_name for c in (0, 1)):  # type: ignore[union-attr]
            return row
    return -1


def test_a_task_plan_made_in_the_dialog_is_approved_spawned_and_shown_in_the_calendar(qtbot, world) -> None:  # type: ignore[no-untyped-def]
    desk_ctx, lead_ctx = world
    area = FormsArea(desk_ctx)
    qtbot.addWidget(area)
    area.show()
    assert area.tabs.tabText(1) == "计划"
    area.tabs.setCurrentIndex(1)
    desk = area.plans_tab
    qtbot.waitUntil(lambda: desk.loads >= 1)
    assert not desk.buttons["approve"].isVisible() and desk.buttons["approve"].isHidden()

    desk.buttons["new"].click()
    qtbot.waitUntil(lambda: desk.dialog is not None and desk.dialog.isVisible())
    dialog = desk.dialog
    assert dialog is not None
    dialog.kind.setCurrentIndex(dialog.kind.findData("task"))
    assert dialog.title.isVisibleTo(dialog) and not dialog.template.isVisibleTo(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # no name yet: refused, stays open
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert dialog.error.text() == "计划需要名称"  # the service's message, translated
    today = commands.today()
    dialog.name.setText("应急演练")
    dialog.content.setPlainText("机房断电应急演练")
    dialog.rule.setCurrentIndex(dialog.rule.findData("daily"))
    assert not dialog.day.isVisibleTo(dialog)
    offered = [dialog.targets.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dialog.targets.count())]
    assert offered == [LH]  # the user's unit and those below it: not the sibling county FT
    dialog.targets.item(0).setCheckState(Qt.CheckState.Checked)  # type: ignore[union-attr]
    dialog.start.setDate(QDate(today.year, today.month, today.day))
    dialog.has_end.setChecked(True)
    end = today + timedelta(days=3)
    dialog.end.setDate(QDate(end.year, end.month, end.day))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible() and _row(desk, "应急演练") >= 0)
    with desk_ctx.store.read() as session:
        plan = plans.list_plans(session, desk_ctx.actor)[-1]
    assert (plan["kind"], plan["targets"], plan["state"]) == ("task", [LH], "draft")

    desk.table.selectRow(_row(desk, "应急演练"))
    assert desk.buttons["edit"].isEnabled() and desk.buttons["submit"].isEnabled()
    desk.buttons["submit"].click()
    qtbot.waitUntil(lambda: desk.table.item(_row(desk, "应急演练"), 4).text() == "待审批")  # type: ignore[union-attr]
    assert not desk.buttons["edit"].isEnabled()

    lead = PlansTab(lead_ctx)
    qtbot.addWidget(lead)
    lead.show()
    qtbot.waitUntil(lambda: _row(lead, "应急演练") >= 0)
    lead.table.selectRow(_row(lead, "应急演练"))
    assert lead.buttons["approve"].isEnabled() and not lead.buttons["approve"].isHidden()
    lead.buttons["approve"].click()
    qtbot.waitUntil(lambda: lead.table.item(_row(lead, "应急演练"), 4).text() == "已发布")  # type: ignore[union-attr]
    lead.buttons["spawn"].click()
    qtbot.waitUntil(lambda: lead.table.item(_row(lead, "应急演练"), 4).text() == "执行中")  # type: ignore[union-attr]
    with lead_ctx.store.read() as session:
        task = session.get(Task, plans.task_id_for(plan["id"], today.isoformat()))
        assert task is not None and task.targets == [LH] and task.content == "机房断电应急演练"

    qtbot.waitUntil(lambda: any(o["spawned"] for o in desk.occurrences))
    qdate = QDate(today.year, today.month, today.day)
    desk.calendar.setSelectedDate(qdate)
    assert desk.calendar.dateTextFormat(qdate).background().color() == QColor(COLOURS["due"])
    texts = [desk.day_list.item(i).text() for i in range(desk.day_list.count())]  # type: ignore[union-attr]
    assert len(texts) == 1 and texts[0].startswith("应急演练: TSK-") and texts[0].endswith("0/1 待完成")
    assert desk.table.item(_row(desk, "应急演练"), 5).text() == "0.0% (0/1)"  # type: ignore[union-attr]


def _approved_task_plan(desk_ctx: AppContext, lead_ctx: AppContext) -> dict[str, Any]:
    """A one-off drill of 龙华 today, approved and spawned (its task exists)."""
    store, desk, lead, today = desk_ctx.store, desk_ctx.actor, lead_ctx.actor, commands.today()
    with store.write(desk.user_id) as cs:
        plan = plans.create_plan(cs, desk, "断电演练", None, "once", today.isoformat(), kind="task",
                                 title="机房断电应急演练", description="按预案演练")
        plans.transition_plan(cs, desk, plan["id"], "submit")
    with store.write(lead.user_id) as cs:
        plans.transition_plan(cs, lead, plan["id"], "approve")
        (task,) = plans.spawn_due(cs, lead, today, plan["id"])
    return task


def test_a_task_occurrence_double_clicked_opens_its_task_in_the_tasks_area(qtbot, world) -> None:  # type: ignore[no-untyped-def]
    desk_ctx, lead_ctx = world
    with desk_ctx.store.write(desk_ctx.actor.user_id) as cs:  # another task, so selecting is not trivial
        tasks.issue_task(cs, desk_ctx.actor, "备份检查", datetime.now(UTC) + timedelta(days=5), [LH],
                         scheduled=True)
    task = _approved_task_plan(desk_ctx, lead_ctx)
    window = build_main_window(desk_ctx)
    qtbot.addWidget(window)
    window.show()
    area, tasks_area = window.area("forms"), window.area("tasks")
    assert isinstance(area, FormsArea) and isinstance(tasks_area, TasksArea)
    window.show_area("forms")
    area.tabs.setCurrentIndex(1)
    tab = area.plans_tab
    qtbot.waitUntil(lambda: any(o["spawned"] for o in tab.occurrences))
    today = commands.today()
    tab.calendar.setSelectedDate(QDate(today.year, today.month, today.day))
    assert tab.day_list.count() == 1
    assert not tasks_area.isVisible() and tasks_area.table.rowCount() == 0  # never shown: nothing loaded yet

    item = tab.day_list.item(0)
    assert item is not None and item.text().startswith(f"断电演练: {task['number']}")
    rect = tab.day_list.visualItemRect(item)
    qtbot.mouseClick(tab.day_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.day_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: tasks_area.current is not None and tasks_area.current["id"] == task["id"])
    assert window.stack.currentWidget() is tasks_area and window.nav.currentRow() == AREAS.index("tasks")
    assert tasks_area.table.rowCount() == 2
    (selected,) = {index.row() for index in tasks_area.table.selectionModel().selectedRows()}
    assert tasks_area.table.item(selected, 0).text() == task["number"]  # type: ignore[union-attr]
    assert tasks_area.detail.text().startswith(f"{task['number']} 机房断电应急演练")


def test_spawning_in_the_tab_names_the_plan_that_could_not(qtbot, world) -> None:  # type: ignore[no-untyped-def]
    desk_ctx, lead_ctx = world
    store, desk, lead, today = desk_ctx.store, desk_ctx.actor, lead_ctx.actor, commands.today()
    source = builtin("SOP-06")
    assert source is not None
    reviewer = Actor("u-reviewer", "hq_lead", "/HQ/", ("approver",))
    with store.write() as cs:
        forms.publish_template(cs, reviewer, source.text.replace("code: SOP-06", "code: SOP-90", 1))
    with store.write(desk.user_id) as cs:
        made = [plans.create_plan(cs, desk, name, code, "once", today.isoformat())
                for name, code in (("终端巡检", "SOP-03"), ("新表单巡检", "SOP-90"))]
        for plan in made:
            plans.transition_plan(cs, desk, plan["id"], "submit")
    with store.write(lead.user_id) as cs:
        for plan in made:
            plans.transition_plan(cs, lead, plan["id"], "approve")
    with store.write() as cs:
        forms.retire_template(cs, reviewer, "SOP-90", source.version)
    tab = PlansTab(lead_ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.loads >= 1)
    assert tab.spawn_label.isHidden()
    tab.buttons["spawn"].click()
    qtbot.waitUntil(lambda: tab.spawn_label.isVisible())
    bad = made[1]["number"]
    failure = f"计划 {bad} 新表单巡检 无法生成工作：表单模板 SOP-90 没有已发布的版本（已停用？）"
    assert tab.spawn_label.text().splitlines() == ["已生成 1 张表单、0 项任务。", failure]
    qtbot.waitUntil(lambda: tab.table.item(_row(tab, "终端巡检"), 4).text() == "执行中")  # type: ignore[union-attr]
    assert tab.table.item(_row(tab, "新表单巡检"), 4).text() == "已发布"  # type: ignore[union-attr]
    tab.buttons["spawn"].click()  # again: nothing new, the same plan named again
    qtbot.waitUntil(lambda: tab.spawn_label.text().startswith("没有需要新生成的工作。"))
    assert tab.spawn_label.text().splitlines()[1:] == [failure]
