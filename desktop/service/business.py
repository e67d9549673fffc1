"""The business-relationship page: business units as customers, the services each uses and their
follow-up survey results (``catalog.satisfaction_by_business_unit``; 1 very satisfied … 4 dissatisfied)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import run_op
from desktop.service.labels import choice_label, entry_label, format_value
from desktop.service.lazy import LazyPage
from desktop.service.queries import load_business
from desktop.widgets import named
from shared.services.catalog import kind_fields

PERIODS = (None, 30, 90, 365)
LOW_SATISFACTION = QColor("#f8d0d0")  # under 80 % satisfied
ENTITIES = frozenset({"catalog_entries", "tickets"})


class BusinessPage(LazyPage):
    ENTITIES = ENTITIES
    open_entry = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: dict[str, Any] | None = None
        self.period = named(QComboBox(), "satisfaction_period")
        for days in PERIODS:
            self.period.addItem("", days)
        self.period.currentIndexChanged.connect(self.reload)
        self.period_caption = QLabel()
        self.units = named(QTableWidget(0, 9), "unit_table")
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.verticalHeader().hide()
        self.units.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.units.currentCellChanged.connect(lambda row, *_: self._show_services(row))
        self.units.cellDoubleClicked.connect(self._open)
        self.services_caption = named(QLabel(wordWrap=True), "unit_services_caption")
        self.services = named(QTableWidget(0, 4), "unit_services")
        self.services.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.services.verticalHeader().hide()
        self.services.horizontalHeader().setStretchLastSection(True)
        self.scale = named(QLabel(wordWrap=True), "satisfaction_scale")
        self.scale.setStyleSheet("color: gray;")
        bar = QHBoxLayout()
        bar.addWidget(self.period_caption)
        bar.addWidget(self.period)
        bar.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.services_caption)
        lower_layout.addWidget(self.services)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.units)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.scale)
        self.retranslateUi()

    def reload(self) -> None:
        days = self.period.currentData()
        run_op(self, partial(load_business, self.ctx.store, self.ctx.actor, days), partial(self._on_loaded, days))

    def _on_loaded(self, days: int | None, data: dict[str, Any]) -> None:
        if days != self.period.currentData():
            return
        self.data = data
        self._fill()

    def _fill(self) -> None:
        if self.data is None:
            return
        lang = self.ctx.lang
        units = self.data["units"]
        current = self.units.currentRow()
        self.units.setRowCount(len(units))
        for r, unit in enumerate(units):
            d, sat = unit.get("data") or {}, unit.get("satisfaction")
            services = [self._service_name(code) for code in d.get("services") or []]
            cells = [unit["code"], entry_label(unit, lang), str(d.get("liaison") or ""), str(d.get("phone") or ""),
                     ", ".join(services), str(sat["surveys"]) if sat else "0",
                     f"{sat['average']:.2f}" if sat else "—", f"{sat['satisfied_percent']:.1f} %" if sat else "—",
                     self.tr("{total} ({open} open)").format(**unit["complaints"])]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if sat and sat["satisfied_percent"] < 80:
                    item.setBackground(QBrush(LOW_SATISFACTION))
                self.units.setItem(r, col, item)
        self.units.resizeColumnsToContents()
        if units:
            self.units.setCurrentCell(min(max(current, 0), len(units) - 1), 0)
        self._show_services(self.units.currentRow())

    def _service_name(self, code: str) -> str:
        entry = (self.data or {}).get("services", {}).get(code)
        return entry_label(entry, self.ctx.lang) if entry else code

    def _show_services(self, row: int) -> None:
        units = self.data["units"] if self.data else []
        self.services.setRowCount(0)
        if not 0 <= row < len(units):
            self.services_caption.setText("")
            return
        unit = units[row]
        codes = (unit.get("data") or {}).get("services") or []
        self.services_caption.setText(self.tr("Services used by {unit}:").format(unit=entry_label(unit, self.ctx.lang)))
        fields = kind_fields("service")
        self.services.setRowCount(len(codes))
        for r, code in enumerate(codes):
            entry = self.data["services"].get(code) if self.data else None
            d = (entry or {}).get("data") or {}
            lang = self.ctx.lang
            cells = [self._service_name(code),
                     choice_label(fields["criticality"], d["criticality"], lang) if d.get("criticality") else "",
                     choice_label(fields["hours"], d["hours"], lang) if d.get("hours") else "",
                     format_value(fields["availability_target"], d.get("availability_target"), lang, {})
                     if entry else self.tr("(not in the service catalogue)")]
            for col, text in enumerate(cells):
                self.services.setItem(r, col, QTableWidgetItem(text))
        self.services.resizeColumnsToContents()

    def _open(self, row: int, _column: int) -> None:
        units = self.data["units"] if self.data else []
        if 0 <= row < len(units) and units[row].get("id"):
            self.open_entry.emit("business_unit", units[row]["id"])

    def retranslateUi(self) -> None:
        self.period_caption.setText(self.tr("Survey results of:"))
        for i, text in enumerate((self.tr("all time"), self.tr("the last 30 days"), self.tr("the last 90 days"),
                                  self.tr("the last 12 months"))):
            self.period.setItemText(i, text)
        self.units.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Business unit"), self.tr("IT liaison"), self.tr("Phone"),
            self.tr("Services used"), self.tr("Surveys"), self.tr("Average score"), self.tr("Satisfied"),
            self.tr("Complaints")])
        self.services.setHorizontalHeaderLabels([
            self.tr("Service"), self.tr("Criticality"), self.tr("Service hours"), self.tr("Availability target (%)")])
        self.scale.setText(self.tr("Follow-up surveys score 1 (very satisfied) to 4 (dissatisfied); “satisfied” "
                                   "counts scores 1 and 2. Units under 80 % satisfied are highlighted."))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def unit_row(self, code: str) -> int:
        codes = [u["code"] for u in (self.data or {}).get("units", [])]
        return codes.index(code) if code in codes else -1
