"""The SLA page: effective targets per process and priority, and the working calendar of the year.

Targets come from ``shared.processes.sla.targets_for`` — the same lookup the ticket clocks use — so
what is shown is what the clocks count against: the definitions' defaults, overridden by SLA entries
of the user's unit or its ancestors (optionally for one service).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QEvent
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import run_op
from desktop.service.labels import calendar_text, entry_label, label, minutes_text, org_label
from desktop.service.lazy import LazyPage
from desktop.service.queries import load_calendar, load_options, load_sla
from desktop.widgets import named

FIRST_CLOCKS = ("response", "onsite", "resolution")  # then any other clock a definition has, in order
HOLIDAY = QColor("#f8d0d0")
WORKDAY = QColor("#cfe3ff")
OVERRIDE = QColor("#fff4d6")


class SlaPage(LazyPage):
    ENTITIES = frozenset({"catalog_entries"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.sla: dict[str, Any] | None = None
        self.calendar_data: dict[str, Any] | None = None
        self.service = named(QComboBox(), "sla_service")
        self.service.addItem("", None)
        self.service.currentIndexChanged.connect(self.load_targets)
        self.service_caption = QLabel()
        self.clocks: list[tuple[str, dict[str, str]]] = [(c, {}) for c in FIRST_CLOCKS]  # code, label
        self.table = named(QTableWidget(0, 7), "sla_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = named(QLabel(wordWrap=True), "sla_note")
        self.note.setStyleSheet("color: gray;")
        top = QHBoxLayout()
        top.addWidget(self.service_caption)
        top.addWidget(self.service)
        top.addStretch(1)
        self.targets_box = QGroupBox()
        box = QVBoxLayout(self.targets_box)
        box.addLayout(top)
        box.addWidget(self.table, 1)
        box.addWidget(self.note)
        self._build_calendar()
        layout = QHBoxLayout(self)
        layout.addWidget(self.targets_box, 3)
        layout.addWidget(self.calendar_box, 2)
        self.retranslateUi()

    def _build_calendar(self) -> None:
        self.calendar_box = QGroupBox()
        self.calendar_code = named(QComboBox(), "calendar_code")
        self.calendar_code.addItem("CN", "CN")
        self.calendar_code.currentIndexChanged.connect(self.load_calendar)
        self.calendar = named(QCalendarWidget(), "working_calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.currentPageChanged.connect(lambda year, _month: self._fill_days(year))
        self.legend = named(QLabel(wordWrap=True), "calendar_legend")
        self.hours = named(QLabel(wordWrap=True), "business_hours")
        self.days = named(QListWidget(), "calendar_days")
        layout = QVBoxLayout(self.calendar_box)
        layout.addWidget(self.calendar_code)
        layout.addWidget(self.calendar)
        layout.addWidget(self.legend)
        layout.addWidget(self.hours)
        layout.addWidget(self.days, 1)

    # --- loading --------------------------------------------------------------------------------------------
    def reload(self) -> None:
        run_op(self, partial(load_options, self.ctx.store, self.ctx.actor, False), self._on_options)
        self.load_targets()
        self.load_calendar()

    def _on_options(self, options: dict[str, Any]) -> None:
        current = self.service.currentData()
        self.service.blockSignals(True)
        while self.service.count() > 1:
            self.service.removeItem(1)
        for code, entry in sorted(options.get("entries", {}).get("service", {}).items()):
            self.service.addItem(entry_label(entry, self.ctx.lang), code)
        self.service.setCurrentIndex(max(0, self.service.findData(current)))
        self.service.blockSignals(False)

    def load_targets(self) -> None:
        service = self.service.currentData()
        run_op(self, partial(load_sla, self.ctx.store, self.ctx.actor, service), partial(self._on_sla, service))

    def _on_sla(self, service: str | None, sla: dict[str, Any]) -> None:
        if service != self.service.currentData():
            return
        self.sla = sla
        labels: dict[str, dict[str, str]] = {}
        for row in sla["rows"]:
            for code, text in row["clocks"].items():
                labels.setdefault(code, text)
        order = [c for c in FIRST_CLOCKS if c in labels] + [c for c in labels if c not in FIRST_CLOCKS]
        self.clocks = [(c, labels[c]) for c in order]
        self.table.setColumnCount(len(self.clocks) + 4)
        self._set_headers()
        self._fill_targets()

    def load_calendar(self) -> None:
        code = self.calendar_code.currentData() or "CN"
        run_op(self, partial(load_calendar, self.ctx.store, self.ctx.actor, code), self._on_calendar)

    def _on_calendar(self, data: dict[str, Any]) -> None:
        self.calendar_data = data
        self.calendar_code.blockSignals(True)
        self.calendar_code.clear()
        for code in data["codes"]:
            self.calendar_code.addItem(code, code)
        self.calendar_code.setCurrentIndex(max(0, self.calendar_code.findData(data["code"])))
        self.calendar_code.blockSignals(False)
        self._fill_days(self.calendar.yearShown())

    # --- targets ----------------------------------------------------------------------------------------------
    def _fill_targets(self) -> None:
        if self.sla is None:
            return
        lang, rows = self.ctx.lang, self.sla["rows"]
        orgs = self.sla.get("orgs", {})
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            targets, defaults = row["targets"], row["defaults"]
            cells = [label(row["name"], lang, row["process"]), row["priority"]]
            codes = [code for code, _label in self.clocks]
            for clock in codes:
                cells.append(minutes_text(targets.get(clock)) if clock in row["clocks"] else "")
            cells.append(calendar_text(targets.get("calendar")))
            by = row["overridden_by"]
            cells.append("; ".join(self.tr("{code} ({org})").format(
                code=e["code"], org=org_label(orgs, e["owner_path"], lang)) for e in by)
                or self.tr("Default of the process"))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                key = (None, None, *codes, "calendar", None)[c]
                if key is not None and targets.get(key) != defaults.get(key):
                    item.setBackground(QBrush(OVERRIDE))
                    font = QFont()
                    font.setBold(True)
                    item.setFont(font)
                    shown = calendar_text(defaults.get(key)) if key == "calendar" else minutes_text(defaults.get(key))
                    item.setToolTip(self.tr("Default: {value}").format(value=shown))
                if key in codes and key in row["clocks"]:
                    item.setToolTip(f"{label(row['clocks'][key], lang, key)}: {item.toolTip() or text}")
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    # --- calendar -----------------------------------------------------------------------------------------
    def _fill_days(self, year: int) -> None:
        data = self.calendar_data
        if data is None:
            return
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clears every date's format
        holidays = [date.fromisoformat(d) for d in data["holidays"]]
        workdays = [date.fromisoformat(d) for d in data["workdays"]]
        for days, color in ((holidays, HOLIDAY), (workdays, WORKDAY)):
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(color))
            fmt.setFontWeight(QFont.Weight.Bold)
            for day in days:
                self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)
        self.days.clear()
        for first, last in _ranges([d for d in holidays if d.year == year]):
            text = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
            self.days.addItem(self.tr("Holiday: {days}").format(days=text))
        for day in (d for d in workdays if d.year == year):
            self.days.addItem(self.tr("Make-up working day (调休): {day}").format(day=day.isoformat()))
        if self.days.count() == 0:
            self.days.addItem(self.tr("No holidays recorded for {year}.").format(year=year))
        periods = ", ".join(f"{a}–{b}" for a, b in data["hours"])
        self.hours.setText(self.tr("Business hours: {periods} (P3/P4 clocks; P1/P2 run 7×24)").format(
            periods=periods))

    def holiday_format(self, day: date) -> QColor:
        """The background a date is shown with (for tests and tooltips)."""
        return self.calendar.dateTextFormat(QDate(day.year, day.month, day.day)).background().color()

    def _set_headers(self) -> None:
        """Clock columns are named by the definitions (data); the rest are ours."""
        clocks = [label(text, self.ctx.lang, code) if text else code for code, text in self.clocks]
        fixed = {"response": self.tr("Response"), "onsite": self.tr("On-site"), "resolution": self.tr("Resolution")}
        clocks = [fixed.get(code, name) for (code, _text), name in zip(self.clocks, clocks, strict=True)]
        self.table.setHorizontalHeaderLabels([self.tr("Process"), self.tr("Priority"), *clocks, self.tr("Calendar"),
                                              self.tr("Set by")])

    def retranslateUi(self) -> None:
        self.targets_box.setTitle(self.tr("Effective SLA targets at your unit"))
        self.calendar_box.setTitle(self.tr("Working calendar"))
        self.service_caption.setText(self.tr("Service:"))
        self.service.setItemText(0, self.tr("(any service)"))
        self._set_headers()
        self.note.setText(self.tr("Highlighted targets differ from the process definition's default (hover for "
                                  "it). Add an SLA entry in the catalogue to override a target for your unit."))
        self.legend.setText(self.tr("Red: public holiday. Blue: make-up working day (调休)."))
        self._fill_targets()
        if self.calendar_data is not None:
            self._fill_days(self.calendar.yearShown())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


def _ranges(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) ranges."""
    result: list[tuple[date, date]] = []
    for day in sorted(days):
        if result and result[-1][1] + timedelta(days=1) == day:
            result[-1] = (result[-1][0], day)
        else:
            result.append((day, day))
    return result
