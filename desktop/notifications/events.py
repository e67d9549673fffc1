"""Monitoring events as the store holds them (synced down from the province): newest first, filtered by a
CI's name or IP — the event log per CI, with what became of each alert."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import or_, select

from desktop import ops
from desktop.context import AppContext
from desktop.notifications.panel import local_time
from desktop.widgets import named
from shared.models.cmdb import ConfigItem
from shared.services import events

ENTITIES = frozenset({"monitoring_events"})


def load_events(store: Any, actor: Any, ci_text: str) -> list[dict[str, Any]]:
    with store.read() as session:
        ci_ids: list[str | None] = [None]
        if ci_text:
            ci_ids = list(session.scalars(select(ConfigItem.id).where(
                or_(ConfigItem.name.ilike(f"%{ci_text}%"), ConfigItem.ip == ci_text), ConfigItem.deleted.is_(False))
                .limit(20)))
        rows: list[dict[str, Any]] = []
        for ci_id in ci_ids:
            rows += events.list_events(session, actor, ci_id=ci_id, limit=500)
        names = dict(session.execute(select(ConfigItem.id, ConfigItem.name).where(
            ConfigItem.id.in_({r["ci_id"] for r in rows if r["ci_id"]}))).all())
    for r in rows:
        r["ci_name"] = names.get(r["ci_id"], "")
    return sorted(rows, key=lambda r: r["received_at"], reverse=True)


class EventLogPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.caption = QLabel()
        self.filter = named(QLineEdit(), "ci_filter")
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.reload)
        self.filter.textChanged.connect(lambda _t: self._debounce.start())
        self.table = named(QTableWidget(0, 7), "monitoring_events")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()
        self.reload()

    def retranslateUi(self) -> None:
        self.caption.setText(self.tr("Alerts from the monitoring systems and what became of them"))
        self.filter.setPlaceholderText(self.tr("CI name or IP"))
        self.table.setHorizontalHeaderLabels([self.tr("Received"), self.tr("CI"), self.tr("Status"),
                                              self.tr("Severity"), self.tr("Outcome"), self.tr("Source"),
                                              self.tr("Alert")])
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & ENTITIES or "*" in entities:
            self.reload()

    @Slot()
    def reload(self) -> None:
        store, actor, text = self.ctx.store, self.ctx.actor, self.filter.text().strip()
        ops.run_op(self, lambda: load_events(store, actor, text), self._loaded)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._fill()

    def _outcome(self, outcome: str) -> str:
        labels = {"opened": self.tr("incident opened"), "updated": self.tr("repeat: incident updated"),
                  "refired": self.tr("fired again"), "reopened": self.tr("incident reopened"),
                  "resolved": self.tr("recovered: incident resolved"), "closed": self.tr("recovered: closed"),
                  "recovered": self.tr("recovery recorded"), "logged": self.tr("logged only"),
                  "duplicate": self.tr("duplicate"), "unknown": self.tr("recovery of an unknown alert")}
        return labels.get(outcome, outcome)

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            status = self.tr("firing") if r["status"] == "firing" else self.tr("resolved")
            cells = (local_time(r["received_at"]), r["ci_name"] or r["host"] or r["ip"], status, r["severity"],
                     self._outcome(r["outcome"]), r["source"], r["title"])
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))
