"""Saved filters: the service (owner only, names, overwrite, rename, delete), the rows following a person to
their other device through a real sync tree, and the tickets area's drop-down (save, apply, rename, delete)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop.cmdb.area import CmdbArea
from desktop.main_window import MainWindow
from desktop.tickets.area import TicketsArea
from desktop.tickets.model import COLUMNS
from shared.models.saved_filters import SavedFilter
from shared.services import saved_filters
from shared.services.actor import SYSTEM, Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.store import Store
from tests.desktop.conftest import REQUEST_TITLE, TITLES
from tests.sync.tree import actor, add_county_store, make_tree

QUERY = {"process": "incident", "state": "new", "text": "打印", "sort": "number", "descending": False}


def test_the_service_keeps_each_persons_filters_to_themselves(county: tuple[Store, Actor]) -> None:
    store, me = county
    other = Actor("someone-else", "other", me.org_path, ("service_desk",))
    with store.write(me.user_id) as cs:
        first = saved_filters.save_filter(cs, me, "tickets", "  我的  打印机 ", QUERY)
        saved_filters.save_filter(cs, me, "tickets", "全部事件", {"process": "incident"})
        saved_filters.save_filter(cs, me, "cis", "服务器", {"ci_class": "compute"})
    assert first["name"] == "我的 打印机"  # spaces tidied
    with store.read() as session:
        assert [f["name"] for f in saved_filters.list_filters(session, me, "tickets")] == ["全部事件", "我的 打印机"]
        assert saved_filters.list_filters(session, other, "tickets") == []
        with pytest.raises(NotFound):
            saved_filters.get_filter(session, other, first["id"])
        row = session.get(SavedFilter, first["id"])
        assert row is not None and (row.owner_path, row.user_id) == (me.org_path, me.user_id)
    with store.write(me.user_id) as cs:  # the same name again: overwritten, not doubled
        again = saved_filters.save_filter(cs, me, "tickets", "我的 打印机", {**QUERY, "state": None})
        assert again["id"] == first["id"]
        with pytest.raises(Invalid, match="already have"):
            saved_filters.rename_filter(cs, me, first["id"], "全部事件")
        with pytest.raises(NotFound):
            saved_filters.rename_filter(cs, other, first["id"], "偷来的")
        renamed = saved_filters.rename_filter(cs, me, first["id"], "打印机（全部状态）")
        with pytest.raises(Invalid):
            saved_filters.save_filter(cs, me, "tickets", "   ", QUERY)
        with pytest.raises(Invalid):
            saved_filters.save_filter(cs, me, "boards", "x", QUERY)
        with pytest.raises(Invalid):
            saved_filters.save_filter(cs, me, "tickets", "x", {"process": ["a", "b"]})
        with pytest.raises(Forbidden):
            saved_filters.save_filter(cs, SYSTEM, "tickets", "x", QUERY)
    assert renamed["query"]["state"] is None and renamed["name"] == "打印机（全部状态）"
    with store.write(me.user_id) as cs:
        saved_filters.delete_filter(cs, me, first["id"])
    with store.read() as session:
        assert [f["name"] for f in saved_filters.list_filters(session, me, "tickets")] == ["全部事件"]


def test_a_saved_filter_follows_its_owner_to_another_device(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    desk, laptop = (add_county_store(tree, name, "gd", "lh_tech") for name in ("desk", "laptop"))
    me = actor(desk, "lh_tech")
    with desk.write(me.user_id) as cs:
        saved = saved_filters.save_filter(cs, me, "tickets", "待处理事件", QUERY)
    tree.sync("desk")
    tree.sync("laptop")
    with laptop.read() as session:
        found = saved_filters.list_filters(session, me, "tickets")
    assert [(f["id"], f["name"], f["query"]) for f in found] == [(saved["id"], "待处理事件", QUERY)]
    with laptop.write(me.user_id) as cs:  # renamed on the laptop, seen on the desk
        saved_filters.rename_filter(cs, me, saved["id"], "一线事件")
    tree.sync("laptop")
    tree.sync("desk")
    with desk.read() as session:
        assert [f["name"] for f in saved_filters.list_filters(session, me, "tickets")] == ["一线事件"]


def titles(area: Any) -> list[str]:
    col = COLUMNS.index("title")
    return [area.model.data(area.model.index(r, col)) for r in range(area.model.rowCount())]


def test_the_ticket_list_saves_applies_renames_and_deletes_filters(qtbot: Any, window: MainWindow) -> None:
    area = window.area("tickets")
    assert isinstance(area, TicketsArea)
    bar = area.saved_filters
    qtbot.waitUntil(lambda: bar.combo.count() == 1)
    assert bar.combo.itemText(0) == "已保存的筛选" and not bar.delete_action.isEnabled()
    with qtbot.waitSignal(area.model.loaded):
        area.process_filter.setCurrentIndex(area.process_filter.findData("request"))
    with qtbot.waitSignal(area.model.loaded):
        area.table.sortByColumn(COLUMNS.index("number"), Qt.SortOrder.AscendingOrder)
    assert titles(area) == [REQUEST_TITLE]
    dialog = bar.ask_save()
    dialog.setTextValue("我的请求")
    with qtbot.waitSignal(bar.loaded, timeout=5000):
        dialog.accept()
    assert [bar.combo.itemText(i) for i in range(bar.combo.count())] == ["已保存的筛选", "我的请求"]
    assert bar.filters[0]["query"] == {"process": "request", "state": None, "text": "", "sort": "number",
                                       "descending": False}
    area.process_filter.setCurrentIndex(0)  # back to everything
    qtbot.waitUntil(lambda: sorted(titles(area)) == sorted([*TITLES, REQUEST_TITLE]))
    bar.combo.setCurrentIndex(1)
    with qtbot.waitSignal(area.model.loaded):
        bar.combo.activated.emit(1)  # a person picking it from the drop-down
    assert titles(area) == [REQUEST_TITLE]
    assert area.process_filter.currentData() == "request" and area.model.query.sort == "number"
    assert area.table.horizontalHeader().sortIndicatorSection() == COLUMNS.index("number")
    rename = bar.ask_rename()
    assert rename is not None
    rename.setTextValue("新电脑申请")
    with qtbot.waitSignal(bar.loaded, timeout=5000):
        rename.accept()
    assert bar.combo.itemText(1) == "新电脑申请" and bar.combo.currentIndex() == 1
    box = bar.ask_delete()
    assert box is not None
    with qtbot.waitSignal(bar.loaded, timeout=5000):
        box.accept()
    assert bar.combo.count() == 1
    with window.ctx.store.read() as session:
        assert session.scalars(select(SavedFilter.deleted)).all() == [True]


def test_the_ci_list_has_its_own_saved_filters(qtbot: Any, window: MainWindow) -> None:
    area = window.area("cmdb")
    assert isinstance(area, CmdbArea)
    window.show_area("cmdb")
    bar = area.saved_filters
    qtbot.waitUntil(lambda: bar.combo.count() == 1 and area.class_filter.count() > 1)
    assert bar.save_action.text() == "保存当前筛选…"  # the ticket bar's translations serve it too
    area.class_filter.setCurrentIndex(area.class_filter.findData("compute"))
    area.location.setText("综合楼2楼")
    area.apply_filter()
    qtbot.waitUntil(lambda: area.model.query.location == "综合楼2楼")
    dialog = bar.ask_save()
    dialog.setTextValue("机房服务器")
    with qtbot.waitSignal(bar.loaded, timeout=5000):
        dialog.accept()
    assert bar.filters[0]["query"] == {"ci_class": "compute", "location": "综合楼2楼", "text": ""}
    area.class_filter.setCurrentIndex(0)
    area.location.setText("")
    area.apply_filter()
    qtbot.waitUntil(lambda: area.model.query.ci_class is None)
    bar.combo.setCurrentIndex(1)
    bar.combo.activated.emit(1)
    qtbot.waitUntil(lambda: area.model.query.ci_class == "compute" and area.model.query.location == "综合楼2楼")
    assert area.class_filter.currentData() == "compute" and area.location.text() == "综合楼2楼"
    tickets_bar = window.area("tickets").saved_filters  # type: ignore[attr-defined]
    assert tickets_bar.combo.count() == 1  # a CI filter is not a ticket filter
