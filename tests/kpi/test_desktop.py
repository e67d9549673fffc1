"""The desktop areas of issue 7 under pytest-qt (offscreen): tasks, the KPI dashboard with drill-down,
reports with PDF export, and the big screen — on the fixed KPI data set of a province."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTableWidget, QTreeWidgetItem

from desktop import ops
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.ops import Bus
from desktop.reports.area import ReportsArea
from desktop.reports.dashboard import Dashboard
from desktop.tasks.area import TasksArea
from desktop.tasks.dialogs import ProgressDialog
from shared.db.types import utcnow
from shared.services import tasks
from tests.kpi.dataset import FT, LH, PERIOD, build


@pytest.fixture
def ctx(qapp: QApplication, tmp_path: Path) -> Iterator[AppContext]:
    store, admin = build(tmp_path / "gd")
    language = Language()
    language.apply("zh")
    yield AppContext(store=store, bus=Bus(), language=language,
                     signed_in=SignedIn(admin, {"username": "gd_admin", "full_name": "李明华"}))
    ops.wait_idle()
    language.uninstall()
    store.close()


def _child(item: QTreeWidgetItem, i: int) -> QTreeWidgetItem:
    child = item.child(i)
    assert child is not None
    return child


def _cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def _find(item: QTreeWidgetItem, text: str) -> QTreeWidgetItem | None:
    if item.text(0) == text:
        return item
    for i in range(item.childCount()):
        found = _find(_child(item, i), text)
        if found is not None:
            return found
    return None


def test_tasks_area_issue_progress_and_receivers(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    with ctx.store.write(ctx.actor.user_id) as cs:
        tasks.issue_task(cs, ctx.actor, "已有任务", utcnow() + timedelta(hours=1), [LH])
    area = TasksArea(ctx)
    qtbot.addWidget(area)
    assert area.gate.stale and area.table.rowCount() == 0  # nothing read while hidden
    area.show()
    assert area.buttons["urge"].text() == "催办"  # the Chinese translation is loaded
    qtbot.waitUntil(lambda: area.table.rowCount() == 1)
    area._issue({"title": "补丁核查", "content": "", "source": "special", "targets": [LH, FT],
                 "deadline": utcnow() + timedelta(days=3), "deliverables": []})
    qtbot.waitUntil(lambda: area.table.rowCount() == 2)
    row = next(r for r in range(2) if _cell(area.table, r, 1) == "补丁核查")
    area.table.selectRow(row)
    qtbot.waitUntil(lambda: area.current is not None and area.current["title"] == "补丁核查")
    root = area.tree.invisibleRootItem()
    assert root is not None and root.childCount() == 2
    assert {_child(root, i).text(1) for i in range(2)} == {"未接收"}
    area.tree.setCurrentItem(next(_child(root, i) for i in range(2) if LH in _child(root, i).text(0)))
    area.report(submit=False)
    assert isinstance(area.dialog, ProgressDialog)
    area.dialog.progress.setValue(40)
    area.dialog.note.setPlainText("已完成一半")
    area.dialog.accept()
    qtbot.waitUntil(lambda: area.current is not None and any(
        r["progress"] == 40 for r in area.current["receivers"]), timeout=5000)
    root = area.tree.invisibleRootItem()
    assert root is not None
    lh = next(_child(root, i) for i in range(root.childCount()) if LH in _child(root, i).text(0))
    assert (lh.text(1), lh.text(2)) == ("执行中", "40%")


def test_dashboard_tree_charts_and_drill_down(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    board = Dashboard(ctx)
    qtbot.addWidget(board)
    board.show()
    board.period.setCurrentIndex(board.period.findData(PERIOD))
    qtbot.waitUntil(lambda: board.data is not None and board.data["tree"]["period"] == PERIOD, timeout=10000)
    root = board.tree.invisibleRootItem()
    assert root is not None
    assert [_child(root, i).text(0) for i in range(root.childCount())] == ["运行", "服务", "安全"]
    fcr = _find(root, "一线解决率")
    assert fcr is not None and fcr.text(1) == "60%" and fcr.text(2) == "≥70%"
    board._drill_down(fcr)
    assert board.records_dialog is not None
    listed = [board.records_dialog.records.item(i).text() for i in range(board.records_dialog.records.count())]
    assert listed == ["INC-1", "INC-2", "INC-4", "INC-5", "INC-7"]
    assert [b[0] for b in board.units_chart.bars] == ["深圳"]
    assert board.data is not None
    assert len(board.trend_chart.bars) == 6 and board.trend_chart.bars[-1][1] == board.data["tree"]["score"]
    assert board.units_chart.grab().width() > 0  # paints without error


def test_reports_area_draft_pdf_and_big_screen(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    area = ReportsArea(ctx)
    qtbot.addWidget(area)
    area.show()
    assert area.tabs.tabText(0) == "指标看板" and area.screen_button.text() == "大屏展示"
    area.dashboard.period.setCurrentIndex(area.dashboard.period.findData(PERIOD))
    area.draft()
    qtbot.waitUntil(lambda: area.table.rowCount() == 1, timeout=10000)
    assert _cell(area.table, 0, 2) == PERIOD and _cell(area.table, 0, 4) == "编制中"
    area.table.selectRow(0)
    pdf = tmp_path / "report.pdf"
    area.export_pdf(area.rows[0]["id"], pdf)
    qtbot.waitUntil(pdf.exists, timeout=10000)
    ops.wait_idle()
    assert pdf.read_bytes().startswith(b"%PDF")
    area.open_screen()
    screen = area.big_screen
    assert screen is not None
    qtbot.waitUntil(lambda: screen.data is not None, timeout=10000)
    assert screen.isFullScreen() or screen.isVisible()
    assert "P1: <b>1</b>" in screen.incidents.text()  # INC-6 is the one open P1 incident
    assert "广东" in screen.title.text()
    screen.close()


def test_area_keys_in_the_main_window() -> None:
    import inspect

    from desktop import app

    source = inspect.getsource(app.build_main_window)
    assert '"tasks": TasksArea(ctx)' in source and '"reports": ReportsArea(ctx)' in source
