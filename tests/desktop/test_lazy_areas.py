"""Areas read their data only while shown: at start-up the ticket list does not share the cores with the
CMDB, forms, rooms, tasks and reports; a change heard while an area is hidden is read when it is opened."""

from __future__ import annotations

from typing import Any

from desktop.cmdb.area import CmdbArea
from desktop.main_window import MainWindow
from desktop.reports.area import ReportsArea
from desktop.tasks.area import TasksArea


def test_hidden_areas_read_nothing_until_they_are_opened(qtbot: Any, window: MainWindow) -> None:
    cmdb, tasks, reports = window.area("cmdb"), window.area("tasks"), window.area("reports")
    assert isinstance(cmdb, CmdbArea) and isinstance(tasks, TasksArea) and isinstance(reports, ReportsArea)
    qtbot.wait(200)  # the ticket list has painted; nothing else is on its way
    assert cmdb.model.rowCount() == 0 and cmdb.class_filter.count() == 1 and cmdb.model._generation == 0
    assert tasks.gate.stale and reports.gate.stale and reports.dashboard.data is None

    window.show_area("cmdb")
    qtbot.waitUntil(lambda: cmdb.model._generation == 1 and not cmdb.model.loading and cmdb.class_filter.count() > 1)

    window.show_area("tickets")
    window.ctx.bus.notify("config_items")  # e.g. a sync brought CIs while the tickets are on screen
    qtbot.wait(100)
    assert cmdb.model._generation == 1 and cmdb.model._gate is not None and cmdb.model._gate.stale  # not read

    window.show_area("cmdb")  # opened again: read once
    assert cmdb.model._generation == 2 and not cmdb.model._gate.stale
    qtbot.waitUntil(lambda: not cmdb.model.loading)

    window.show_area("reports")
    qtbot.waitUntil(lambda: reports.dashboard.data is not None)
    assert not reports.gate.stale
