"""The service-management area over a real store: catalogue form (create, edit, refusal), inherited
entries read-only, contract renewal reminder, capacity chart and proposals, SLA view, language switch."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QTableWidget, QTableWidgetItem
from sqlalchemy import select

from desktop import ops
from desktop.app import build_main_window
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.login import sign_in
from desktop.ops import Bus
from desktop.service.area import ServiceArea
from desktop.service.sla import HOLIDAY, WORKDAY
from desktop.service.suppliers import DUE
from shared.models.catalog import CatalogEntry, Measurement
from shared.models.org import Team, TeamMember
from shared.services import capacity, catalog, cmdb, tickets, users
from shared.services.actor import SYSTEM
from shared.services.errors import Forbidden, Invalid
from shared.store import Store
from shared.sync.codec import row_to_dict
from tests.desktop.conftest import LH, PASSWORD

GD = "/HQ/GD/"
MANAGER = "lh_slm"  # the county's service manager keeps its catalogue (the service desk reads it)
TODAY = date.today()
DISK = [70.0, 73.0, 76.0, 79.0, 82.0, 85.0, 88.0, 91.0]  # one reading a day, the last one over the alarm


def _seed(store: Store, lh_desk_id: str) -> None:
    now = datetime.now(UTC)
    with store.write() as cs:
        users.add_user(cs, MANAGER, PASSWORD, LH, ["service_manager"], full_name="周服务")
        catalog.create_entry(cs, SYSTEM, "service", "YX", "营销管理系统", {"criticality": "core", "hours": "24x7",
                                                                          "availability_target": 99.9}, owner_path=GD)
        catalog.create_entry(cs, SYSTEM, "sla", "YX-P2", "营销 P2", {"process": "incident", "priority": "P2",
                                                                     "resolution": 240}, owner_path=GD)
        team = cs.create(Team, LH, {"name": "华为驻场工程师", "line": 3})
        cs.link(TeamMember, LH, str(uuid.uuid5(uuid.NAMESPACE_OID, team.id)),
                {"team_id": team.id, "user_id": lh_desk_id})
        catalog.create_entry(cs, SYSTEM, "supplier", "HW", "华为技术有限公司", {"rating": "A", "team": team.id},
                             owner_path=GD)
        for code, days in (("HT-SOON", 45), ("HT-LATER", 200)):
            catalog.create_entry(cs, SYSTEM, "contract", code, f"{code} 维保合同", {
                "supplier": "HW", "end": (TODAY + timedelta(days=days)).isoformat(), "amount": 1000}, owner_path=GD)
        catalog.create_entry(cs, SYSTEM, "business_unit", "YXB", "市场营销部", {"services": ["YX"]}, owner_path=GD)
        catalog.create_entry(cs, SYSTEM, "capacity_threshold", "SERVER-DISK", "服务器磁盘", {
            "ci_class": "server", "metric": "disk", "warn": 80, "alarm": 90}, owner_path=GD)
        full = cmdb.create_ci(cs, SYSTEM, "server", "LH-SRV01", {}, owner_path=LH)
        quiet = cmdb.create_ci(cs, SYSTEM, "server", "LH-SRV02", {}, owner_path=LH)
        for i, value in enumerate(DISK):
            at = now - timedelta(days=len(DISK) - i)
            capacity.record(cs, SYSTEM, full["id"], "disk", value, at, source="agent")
            capacity.record(cs, SYSTEM, full["id"], "cpu", 30.0, at, source="agent")
            capacity.record(cs, SYSTEM, quiet["id"], "cpu", 20.0, at, source="agent")
        tickets.create_ticket(cs, SYSTEM, "incident", "营销系统卡顿", {"data.business_unit": "YXB",
                                                                    "data.satisfaction": 2}, owner_path=LH)
        tickets.create_ticket(cs, SYSTEM, "complaint", "收费高峰期系统太慢", {"data.business_unit": "YXB"},
                              owner_path=LH)


@pytest.fixture(scope="session")
def service_template(template_store: Path, signed_in: SignedIn, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("service") / "store"
    shutil.copytree(template_store, path)
    store = Store.open_dir(path)
    try:
        _seed(store, str(signed_in.actor.user_id))
    finally:
        store.close()
    return path


@pytest.fixture
def svc_store(service_template: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copytree(service_template, tmp_path / "store")
    store = Store.open_dir(tmp_path / "store")
    yield store
    ops.wait_idle()
    store.close()


@pytest.fixture(scope="session")
def manager(service_template: Path) -> SignedIn:
    store = Store.open_dir(service_template)
    try:
        return sign_in(store, MANAGER, PASSWORD)
    finally:
        store.close()


@pytest.fixture
def svc_ctx(svc_store: Store, language: Language, manager: SignedIn) -> AppContext:
    return AppContext(store=svc_store, bus=Bus(), language=language, signed_in=manager)


@pytest.fixture
def area(qtbot, svc_ctx: AppContext) -> ServiceArea:  # type: ignore[no-untyped-def]
    area = ServiceArea(svc_ctx)
    qtbot.addWidget(area)
    area.resize(1200, 760)
    area.show()
    qtbot.waitUntil(lambda: ops.pending() == 0 and area.catalogue.model.rowCount() > 0)
    return area


def entries(store: Store, kind: str) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = session.scalars(select(CatalogEntry).where(CatalogEntry.kind == kind, CatalogEntry.deleted.is_(False)))
        return [row_to_dict(r) for r in rows]


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def codes_in_list(area: ServiceArea) -> list[str]:
    model = area.catalogue.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_create_edit_and_refuse_through_the_form(qtbot, area: ServiceArea, svc_store: Store) -> None:  # type: ignore[no-untyped-def]
    page, form = area.catalogue, area.catalogue.form
    assert page.kind.currentText() == "服务" and form.heading.text() == "新建服务"
    form.code.setText("OA")
    form.name.setText("OA协同办公系统")
    form.editors["criticality"].set_value("important")
    form.editors["availability_target"].setText("99.5")
    form.editors["hours"].setCurrentIndex(form.editors["hours"].findText("5×8"))
    form.save_button.click()
    qtbot.waitUntil(lambda: "OA" in codes_in_list(area))
    stored = next(e for e in entries(svc_store, "service") if e["code"] == "OA")
    assert stored["owner_path"] == LH
    assert stored["data"] == {"criticality": "important", "availability_target": 99.5, "hours": "5x8"}
    assert form.info.text() == "已保存。" and not form.read_only
    row = codes_in_list(area).index("OA")
    assert page.model.data(page.model.index(row, 3)) == "重要系统"  # the choice label, not the stored code

    form.editors["availability_target"].setText("99.9")  # edit the entry just saved
    form.save_button.click()
    qtbot.waitUntil(lambda: form.info.text() == "已保存。")
    assert next(e for e in entries(svc_store, "service") if e["code"] == "OA")["data"]["availability_target"] == 99.9

    page.start_new()  # the same code again at the same unit: the service refuses, with its message
    form.code.setText("OA")
    form.name.setText("重复的服务")
    form.save_button.click()
    qtbot.waitUntil(lambda: bool(form.error.text()))
    assert form.error.text() == ops.error_text(Invalid(f"service OA already exists at {LH}"))
    assert [e["code"] for e in entries(svc_store, "service")].count("OA") == 1

    page.table.selectRow(codes_in_list(area).index("OA"))  # delete it, after the confirmation
    box = form.ask_delete()
    assert box is not None and "OA" in box.text()
    button = box.button(QMessageBox.StandardButton.Yes)
    assert button is not None
    button.click()
    qtbot.waitUntil(lambda: "OA" not in codes_in_list(area))
    assert "OA" not in [e["code"] for e in entries(svc_store, "service")] and form.entry is None


def test_the_service_desk_reads_the_catalogue_but_cannot_change_it(qtbot, svc_store: Store, language: Language,  # type: ignore[no-untyped-def]
                                                                   signed_in: SignedIn) -> None:
    area = ServiceArea(AppContext(store=svc_store, bus=Bus(), language=language, signed_in=signed_in))
    qtbot.addWidget(area)
    area.show()
    qtbot.waitUntil(lambda: ops.pending() == 0 and area.catalogue.model.rowCount() > 0)
    assert "YX" in codes_in_list(area)  # the province's entries reach the county's service desk
    form = area.catalogue.form
    form.code.setText("OA")
    form.name.setText("OA协同办公系统")
    form.save_button.click()
    qtbot.waitUntil(lambda: bool(form.error.text()))
    assert form.error.text() == ops.error_text(Forbidden(  # the service's refusal, in the UI's language
        "changing the service catalogue needs the role admin or service_manager (lh_desk has service_desk)"))
    assert "OA" not in [e["code"] for e in entries(svc_store, "service")]


def test_refused_number_shows_the_service_message(qtbot, area: ServiceArea, svc_store: Store) -> None:  # type: ignore[no-untyped-def]
    page, form = area.catalogue, area.catalogue.form
    page.select_kind("contract")
    qtbot.waitUntil(lambda: page.model.kind == "contract" and "HT-SOON" in codes_in_list(area))
    assert set(form.editors) >= {"supplier", "end", "amount", "cis"}
    form.code.setText("HT-NEW")
    form.name.setText("新合同")
    form.editors["amount"].setText("abc")  # programmatic text passes the validator; the service checks
    form.editors["end"].setDate(QDate(2027, 3, 31))
    form.save_button.click()
    qtbot.waitUntil(lambda: bool(form.error.text()))
    assert form.error.text() == ops.error_text(Invalid("amount must be a number, not 'abc'"))
    assert "HT-NEW" not in [e["code"] for e in entries(svc_store, "contract")]


def test_inherited_entries_are_read_only_and_can_be_overridden(qtbot, area: ServiceArea, svc_store: Store) -> None:  # type: ignore[no-untyped-def]
    page, form = area.catalogue, area.catalogue.form
    row = codes_in_list(area).index("YX")
    assert page.model.data(page.model.index(row, 2)) == "广东（继承）"
    page.table.selectRow(row)
    assert form.read_only and form.entry is not None and form.entry["owner_path"] == GD
    assert form.inherited.isVisible() and form.inherited.text().startswith("继承自广东")
    assert not form.save_button.isVisible() and not form.delete_button.isVisible()
    assert form.name.isReadOnly() and not form.editors["criticality"].isEnabled()
    assert form.editors["availability_target"].isReadOnly()

    form.override_button.click()  # a copy for the county, same code: the nearest unit's entry wins
    assert form.entry is None and form.code.text() == "YX" and form.owner.currentData() == LH
    form.editors["availability_target"].setText("99.0")
    form.save_button.click()
    qtbot.waitUntil(lambda: codes_in_list(area).count("YX") == 2)
    with svc_store.read() as session:
        assert catalog.effective(session, LH, "service", "YX")["data"]["availability_target"] == 99.0
    status = page.model.columns.index("status")
    gd_row = next(r for r in range(page.model.rowCount()) if page.model.entry(r)["owner_path"] == GD
                  and page.model.entry(r)["code"] == "YX")
    assert page.model.data(page.model.index(gd_row, status)) == "已被本单位覆盖"


def test_contract_reminder_highlights_the_expiring_contract(qtbot, area: ServiceArea) -> None:  # type: ignore[no-untyped-def]
    page = area.suppliers
    area.tabs.setCurrentWidget(page)  # pages load when first shown
    qtbot.waitUntil(lambda: page.data is not None)
    assert page.reminder.text() == "1 份合同将在 90 天内到期，请安排续签：HT-SOON（剩余 45 天）"
    soon, later = page.contract_row("HT-SOON"), page.contract_row("HT-LATER")
    assert soon == 0 and later == 1  # by expiry
    assert cell(page.contracts, soon, 0).background().color() == DUE
    assert cell(page.contracts, later, 0).background().color() != DUE
    assert cell(page.contracts, soon, 5).text() == "剩余 45 天"
    assert cell(page.suppliers, 0, 5).text() == "华为驻场工程师"
    assert [page.members.item(i).text() for i in range(page.members.count())] == ["李明 (lh_desk)"]
    page.contracts.cellDoubleClicked.emit(soon, 0)  # opens the contract in the catalogue form
    form = area.catalogue.form
    qtbot.waitUntil(lambda: form.entry is not None and form.entry["code"] == "HT-SOON")
    assert area.tabs.currentWidget() is area.catalogue and form.kind == "contract" and form.read_only


def test_capacity_chart_gets_the_readings_and_the_proposal_appears(qtbot, area: ServiceArea, svc_store: Store) -> None:  # type: ignore[no-untyped-def]
    page = area.capacity
    area.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.overview is not None and page.trends is not None)
    assert page.overview is not None
    proposals = page.overview["proposals"]
    assert [(p["ci_name"], p["metric"], p["level"]) for p in proposals] == [("LH-SRV01", "disk", "alarm")]
    assert page.proposals.rowCount() == 1 and cell(page.proposals, 0, 3).text() == "告警"
    assert page.ci.currentText() == "LH-SRV01"  # the proposed CI is shown first
    chart = page.chart
    assert [v for _, v in chart.metrics["disk"]["points"]] == DISK
    assert sorted(chart.threshold_lines()) == [(80.0, "disk", "warn"), (90.0, "disk", "alarm")]
    assert "disk" in chart.projections() and "cpu" not in chart.projections()  # only the rising one
    full_ms = chart.projections()["disk"][1][0]
    assert chart.x_range()[1] == full_ms  # the axis reaches the projected full date
    assert cell(page.summary, list(chart.metrics).index("disk"), 6).text() != "未上升"

    quiet = page.ci.findText("LH-SRV02")
    page.select_ci(page.ci.itemData(quiet))
    qtbot.waitUntil(lambda: page.trends is not None and page.trends["ci_name"] == "LH-SRV02")
    dialog = page.open_record()
    qtbot.waitUntil(lambda: dialog.ci.count() > 0)
    assert dialog.ci.currentText() == "LH-SRV02"
    dialog.metric_box.setCurrentIndex(dialog.metric_box.findData("cpu"))
    dialog.value.setValue(95)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: len(page.chart.metrics.get("cpu", {}).get("points", [])) == len(DISK) + 1)
    with svc_store.read() as session:
        values = session.scalars(select(Measurement.value).where(Measurement.source == "manual")).all()
    assert values == [95.0]


def test_sla_targets_and_the_working_calendar(qtbot, area: ServiceArea) -> None:  # type: ignore[no-untyped-def]
    page = area.sla
    area.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.sla is not None and page.calendar_data is not None)
    rows = {(cell(page.table, r, 0).text(), cell(page.table, r, 1).text()): r for r in range(page.table.rowCount())}
    headers = [page.table.horizontalHeaderItem(c) for c in range(page.table.columnCount())]
    col = {h.text(): c for c, h in enumerate(headers) if h is not None}
    resolution, calendar, set_by = col["解决"], col["日历"], col["设定来源"]
    p1, p2 = rows[("事件管理", "P1")], rows[("事件管理", "P2")]
    assert cell(page.table, p1, resolution).text() == "4 小时" and cell(page.table, p1, set_by).text() == "流程默认值"
    assert cell(page.table, p2, resolution).text() == "4 小时"  # overridden from 8 h by the province's entry
    assert cell(page.table, p2, resolution).toolTip().endswith("默认：8 小时")
    assert cell(page.table, p2, set_by).text() == "YX-P2（广东）"
    assert cell(page.table, p2, calendar).text() == "7×24"
    assert cell(page.table, rows[("请求管理", "P3")], calendar).text() == "工作时间（CN）"
    assert page.holiday_format(date(2026, 10, 1)) == HOLIDAY  # 国庆
    assert page.holiday_format(date(2026, 10, 10)) == WORKDAY  # 调休 Saturday
    page.calendar.setCurrentPage(2026, 10)
    days = [page.days.item(i).text() for i in range(page.days.count())]
    assert "节假日：2026-10-01 – 2026-10-07" in days and "调休上班：2026-10-10" in days


def test_a_calendar_entry_changes_the_working_calendar(qtbot, area: ServiceArea, svc_store: Store) -> None:  # type: ignore[no-untyped-def]
    page, form = area.catalogue, area.catalogue.form
    page.select_kind("calendar")
    qtbot.waitUntil(lambda: page.model.loaded_kind == "calendar")
    form.code.setText("LH-CAL")
    form.name.setText("龙华工作日历")
    form.editors["replaces"].setText("CN")
    form.editors["holidays"].setText("2026-12-01, 2026-12-24..2026-12-25")
    form.editors["business_hours"].setText("09:00-12:00, 13:00-17:00")
    form.save_button.click()
    qtbot.waitUntil(lambda: form.info.text() == "已保存。")
    data = entries(svc_store, "calendar")[0]["data"]
    assert data["business_hours"] == [["09:00", "12:00"], ["13:00", "17:00"]]  # pairs, as calendars take them
    sla = area.sla
    area.tabs.setCurrentWidget(sla)
    qtbot.waitUntil(lambda: sla.calendar_data is not None and "2026-12-01" in sla.calendar_data["holidays"])
    assert sla.holiday_format(date(2026, 12, 25)) == HOLIDAY
    assert sla.holiday_format(date(2026, 10, 1)) == HOLIDAY  # the base calendar's holidays stay
    assert "09:00–12:00, 13:00–17:00" in sla.hours.text()


def test_business_units_with_services_and_satisfaction(qtbot, area: ServiceArea) -> None:  # type: ignore[no-untyped-def]
    page = area.business
    area.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.data is not None)
    row = page.unit_row("YXB")
    assert [cell(page.units, row, c).text() for c in (1, 4, 5, 6, 7, 8)] == [
        "市场营销部", "营销管理系统", "1", "2.00", "100.0 %", "1（1 件未结）"]
    page.units.setCurrentCell(row, 0)
    assert cell(page.services, 0, 0).text() == "营销管理系统" and cell(page.services, 0, 1).text() == "核心系统"


def test_language_switch_retranslates_the_area(qtbot, svc_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(svc_ctx)
    qtbot.addWidget(window)
    window.show()
    area = window.area("service")
    assert isinstance(area, ServiceArea)
    assert area.catalogue.stale and area.suppliers.stale  # nothing loaded before the area is opened
    window.show_area("service")
    area.tabs.setCurrentWidget(area.suppliers)
    qtbot.waitUntil(lambda: ops.pending() == 0 and area.suppliers.data is not None)
    assert window.nav.currentItem().text() == "服务管理"
    assert area.tabs.tabText(2) == "供应商与合同"
    window.switch_language("en")
    assert window.nav.currentItem().text() == "Service management"
    assert [area.tabs.tabText(i) for i in range(area.tabs.count())] == [
        "Catalogue", "SLA and calendar", "Suppliers and contracts", "Business relationship", "Capacity"]
    assert area.catalogue.kind.currentText() == "Service"
    assert area.catalogue.form.captions["criticality"].text() == "Criticality"
    assert area.catalogue.model.headerData(2, Qt.Orientation.Horizontal) == "Owned by"
    assert area.suppliers.reminder.text().startswith("1 contract(s) expire within 90 days")
    header = area.sla.table.horizontalHeaderItem(2)
    assert header is not None and header.text() == "Response"
    window.switch_language("zh")
    assert area.catalogue.kind.currentText() == "服务" and area.tabs.tabText(4) == "容量管理"
