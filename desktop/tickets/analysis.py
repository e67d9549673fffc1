"""Side panels of the tickets area: problem proposals (problem view) and the change calendar by week
with conflict warnings (change view)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.formatting import LOCAL_ZONE, local_time
from desktop.ops import run_op
from desktop.tickets.fields import joined
from desktop.tickets.labels import state_label
from desktop.widgets import named
from shared.models.cmdb import ConfigItem
from shared.services.actor import Actor
from shared.services.analysis import change_calendar, problem_proposals
from shared.store import Store

CONFLICT_COLOUR = "#c62828"
ID_ROLE = Qt.ItemDataRole.UserRole


def load_proposals(store: Store, actor: Actor) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = problem_proposals(session, actor)
        for row in rows:
            ci = session.get(ConfigItem, row["value"]) if row["by"] == "ci" else None
            row["shown"] = ci.name if ci is not None else row["value"]
        return rows


def load_calendar(store: Store, actor: Actor, start: datetime, end: datetime) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = change_calendar(session, actor, start, end)
        ids = {c for r in rows for c in [*((r.get("data") or {}).get("affected_cis") or []), r.get("ci_id")] if c}
        names = {c.id: c.name for c in session.query(ConfigItem).filter(ConfigItem.id.in_(ids))}
        for row in rows:
            cis = [*((row.get("data") or {}).get("affected_cis") or []), *([row["ci_id"]] if row.get("ci_id") else [])]
            row["ci_names"] = [names.get(c, c) for c in dict.fromkeys(cis)]
        return rows


def read_only_table(name: str, columns: int) -> QTableWidget:
    table = named(QTableWidget(0, columns), name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ProposalsPanel(QWidget):
    """Same CI or category with ≥ 3 incidents in 30 days and no open problem: propose one."""

    create_requested = Signal(object)  # the proposal dict

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposals")
        self.ctx = ctx
        self.proposals: list[dict[str, Any]] = []
        self.caption = QLabel()
        self.table = read_only_table("proposal_table", 3)
        for col in (0, 1):
            self.table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.create_button = named(QPushButton(), "create_problem")
        self.create_button.clicked.connect(self._on_create)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.create_button)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.caption.setText(self.tr("Problem proposals (same CI or category, ≥ 3 incidents in 30 days)"))
        self.table.setHorizontalHeaderLabels([self.tr("Grouped by"), self.tr("Incidents"), self.tr("Tickets")])
        self.create_button.setText(self.tr("Create problem from proposal…"))
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def reload(self) -> None:
        run_op(self, partial(load_proposals, self.ctx.store, self.ctx.actor), self._on_loaded)

    def _on_loaded(self, rows: list[dict[str, Any]]) -> None:
        self.proposals = rows
        self._show()

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if "tickets" in entities and self.isVisible():
            self.reload()

    def _show(self) -> None:
        self.table.setRowCount(len(self.proposals))
        for i, p in enumerate(self.proposals):
            by = self.tr("CI: {name}") if p["by"] == "ci" else self.tr("Category: {name}")
            texts = (by.format(name=p["shown"]), str(p["count"]), joined(p["incidents"], self.ctx.lang))
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, col, item)
        self.create_button.setEnabled(bool(self.proposals))
        if self.proposals and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def _on_create(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.proposals):
            self.create_requested.emit(self.proposals[row])


def week_start(day: datetime) -> datetime:
    local = day.astimezone(LOCAL_ZONE)
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


class ChangeCalendar(QWidget):
    """The changes planned in one week (China time), with the changes each clashes with in red."""

    open_ticket = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("change_calendar")
        self.ctx = ctx
        self.start = week_start(datetime.now(LOCAL_ZONE))
        self.rows: list[dict[str, Any]] = []
        self.caption = QLabel()
        self.week = named(QLabel(), "week")
        self.prev_button = named(QPushButton("◀"), "prev_week")
        self.next_button = named(QPushButton("▶"), "next_week")
        self.today_button = named(QPushButton(), "this_week")
        self.prev_button.clicked.connect(partial(self.move_week, -7))
        self.next_button.clicked.connect(partial(self.move_week, 7))
        self.today_button.clicked.connect(self.this_week)
        self.table = read_only_table("calendar_table", 5)
        header = self.table.horizontalHeader()
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.itemDoubleClicked.connect(self._on_double_click)
        nav = QHBoxLayout()
        for widget in (self.prev_button, self.week, self.next_button, self.today_button):
            nav.addWidget(widget)
        nav.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addLayout(nav)
        layout.addWidget(self.table, 1)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.caption.setText(self.tr("Change calendar"))
        self.today_button.setText(self.tr("This week"))
        self.table.setHorizontalHeaderLabels([self.tr("Window"), self.tr("Change"), self.tr("State"),
                                              self.tr("CIs"), self.tr("Conflicts")])
        end = self.start + timedelta(days=6)
        self.week.setText(f"{self.start:%Y-%m-%d} – {end:%m-%d}")
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def move_week(self, days: int) -> None:
        self.show_week(self.start + timedelta(days=days))

    def this_week(self) -> None:
        self.show_week(datetime.now(LOCAL_ZONE))

    def show_week(self, day: datetime) -> None:
        self.start = week_start(day)
        self.retranslateUi()
        self.reload()

    def reload(self) -> None:
        start, end = self.start, self.start + timedelta(days=7)
        run_op(self, partial(load_calendar, self.ctx.store, self.ctx.actor, start, end),
               partial(self._on_loaded, start))

    def _on_loaded(self, start: datetime, rows: list[dict[str, Any]]) -> None:
        if start == self.start:
            self.rows = rows
            self._show()

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if "tickets" in entities and self.isVisible():
            self.reload()

    def _show(self) -> None:
        self.table.setRowCount(len(self.rows))
        lang = self.ctx.lang
        for i, row in enumerate(self.rows):
            start, end = local_time(row["window"][0]), local_time(row["window"][1])
            window = f"{start[5:]} – {end[11:] if end[:10] == start[:10] else end[5:]}"
            conflicts = self.tr("Clashes with {changes}").format(changes=joined(row["conflicts"], lang)) \
                if row["conflicts"] else ""
            texts = (window, f"{row['number']} {row['title']}", state_label("change", row["state"], lang),
                     joined(row.get("ci_names", []), lang), conflicts)
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row["id"])
                if row["conflicts"]:
                    item.setForeground(QBrush(QColor(CONFLICT_COLOUR)))
                self.table.setItem(i, col, item)

    def _on_double_click(self, item: QTableWidgetItem) -> None:
        self.open_ticket.emit(str(item.data(ID_ROLE)))
