"""The rooms area: the room list and, per room, overview (racks, facilities), duty log with hand-over,
access register, environment readings chart and the daily-inspection calendar."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.lazy import ShownGate
from desktop.ops import run_op, show_error
from desktop.rooms import commands
from desktop.rooms.chart import ReadingsChart
from desktop.widgets import named
from shared.services import rooms

CALENDAR_COLOURS = {"done": "#C8E6C9", "due": "#FFF9C4", "overdue": "#FFCDD2", "partial": "#FFE0B2"}
CHANGES = ("room_logs", "racks", "facilities")


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = named(QTableWidget(0, len(headers)), name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def _fill(table: QTableWidget, rows: list[list[Any]], ids: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if ids is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)


class RoomsArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rooms_gate = ShownGate(self, self.reload_rooms)  # loads when shown (desktop.lazy)
        self.gate = ShownGate(self, self.reload)  # loads when shown (desktop.lazy)
        self.setObjectName("area_rooms")
        self.ctx = ctx
        self.room: dict[str, Any] | None = None
        self.room_list = named(QListWidget(), "room_list")
        self.room_list.currentItemChanged.connect(self._on_room)
        self.new_room_button = named(QPushButton(), "new_room")
        self.new_room_button.clicked.connect(self.new_room)
        self.tabs = named(QTabWidget(), "room_tabs")
        self.summary = named(QLabel(wordWrap=True), "room_summary")
        self.racks = _table("room_racks", ["机柜 Rack", "列 Row", "已用U Used", "总U Total"])
        self.facilities = _table("room_facilities", ["设施 Facility", "类型 Kind", "型号 Model", "厂商 Vendor"])
        overview = QWidget()
        column = QVBoxLayout(overview)
        column.addWidget(self.summary)
        column.addWidget(self.racks)
        column.addWidget(self.facilities)
        self.tabs.addTab(overview, "")
        self.tabs.addTab(self._duty_tab(), "")
        self.tabs.addTab(self._access_tab(), "")
        self.tabs.addTab(self._readings_tab(), "")
        self.calendar = named(QCalendarWidget(), "room_calendar")
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.reload())
        self.tabs.addTab(self.calendar, "")
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.room_list, 1)
        left_column.addWidget(self.new_room_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()
        self.reload_rooms()

    # -- tabs ----------------------------------------------------------------------------------
    def _duty_tab(self) -> QWidget:
        tab = QWidget()
        self.duty = _table("room_duty", ["时间 Time", "班次 Shift", "记录 Entry", "交接给 Hand-over",
                                         "遗留 Open issues"])
        self.duty_text = named(QLineEdit(), "duty_text")
        self.duty_shift = named(QComboBox(), "duty_shift")
        self.duty_shift.addItems(["白班", "夜班", "中班"])
        self.duty_handover = named(QLineEdit(), "duty_handover")
        self.duty_issues = named(QLineEdit(), "duty_issues")
        self.duty_button = named(QPushButton(), "duty_add")
        self.duty_button.clicked.connect(self.add_duty)
        form = QFormLayout()
        self.duty_labels = [QLabel() for _ in range(4)]
        for label, widget in zip(self.duty_labels, (self.duty_shift, self.duty_text, self.duty_handover,
                                                    self.duty_issues), strict=True):
            form.addRow(label, widget)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.duty, 1)
        layout.addLayout(form)
        layout.addWidget(self.duty_button)
        return tab

    def _access_tab(self) -> QWidget:
        tab = QWidget()
        self.access = _table("room_access", ["访客 Visitor", "单位 Company", "陪同 Escort", "事由 Purpose",
                                             "进入 In", "离开 Out"])
        self.visitor = named(QLineEdit(), "visitor_name")
        self.escort = named(QLineEdit(), "visitor_escort")
        self.company = named(QLineEdit(), "visitor_company")
        self.purpose = named(QLineEdit(), "visitor_purpose")
        self.enter_button = named(QPushButton(), "visitor_in")
        self.leave_button = named(QPushButton(), "visitor_out")
        self.enter_button.clicked.connect(self.register_entry)
        self.leave_button.clicked.connect(self.register_exit)
        self.access_labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for label, widget in zip(self.access_labels, (self.visitor, self.company, self.escort, self.purpose),
                                 strict=True):
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enter_button)
        buttons.addWidget(self.leave_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.access, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        return tab

    def _readings_tab(self) -> QWidget:
        tab = QWidget()
        self.chart = ReadingsChart()
        self.temperature = named(QDoubleSpinBox(), "reading_temperature")
        self.temperature.setRange(-20, 80)
        self.temperature.setValue(23)
        self.temperature.setSuffix(" °C")
        self.humidity = named(QDoubleSpinBox(), "reading_humidity")
        self.humidity.setRange(0, 100)
        self.humidity.setValue(50)
        self.humidity.setSuffix(" %RH")
        self.reading_button = named(QPushButton(), "reading_add")
        self.reading_button.clicked.connect(self.add_reading)
        row = QHBoxLayout()
        for widget in (self.temperature, self.humidity, self.reading_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.chart, 1)
        layout.addLayout(row)
        return tab

    def retranslateUi(self) -> None:
        for index, text in enumerate((self.tr("Overview"), self.tr("Duty log"), self.tr("Access register"),
                                      self.tr("Environment"), self.tr("Inspection calendar"))):
            self.tabs.setTabText(index, text)
        for label, text in zip(self.duty_labels, (self.tr("Shift"), self.tr("Entry"), self.tr("Hand over to"),
                                                  self.tr("Open issues")), strict=True):
            label.setText(text)
        for label, text in zip(self.access_labels, (self.tr("Visitor"), self.tr("Company"), self.tr("Escort"),
                                                    self.tr("Purpose")), strict=True):
            label.setText(text)
        self.duty_button.setText(self.tr("Write to the duty log"))
        self.enter_button.setText(self.tr("Register entry"))
        self.leave_button.setText(self.tr("Register exit of the selected visitor"))
        self.reading_button.setText(self.tr("Log reading"))
        self.new_room_button.setText(self.tr("New machine room…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # -- data ----------------------------------------------------------------------------------
    def reload_rooms(self) -> None:
        if not self.rooms_gate.allows():
            return
        run_op(self, partial(commands.list_rooms, self.ctx.store, self.ctx.actor), self._apply_rooms,
               lambda exc: show_error(self, exc))

    def _apply_rooms(self, found: list[dict[str, Any]]) -> None:
        current = self.room["id"] if self.room else None
        self.room_list.blockSignals(True)
        self.room_list.clear()
        for room in found:
            item = QListWidgetItem(f"{room['code']}  {room['name']}  [{room['grade']}]")
            item.setData(Qt.ItemDataRole.UserRole, room["id"])
            self.room_list.addItem(item)
            if room["id"] == current:
                self.room_list.setCurrentItem(item)
        self.room_list.blockSignals(False)
        if self.room_list.currentItem() is None and self.room_list.count():
            self.room_list.setCurrentRow(0)

    def _on_room(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is not None:
            self.room = {"id": item.data(Qt.ItemDataRole.UserRole)}
            self.reload()

    def _on_changed(self, entities: frozenset[str]) -> None:
        if "machine_rooms" in entities:
            self.reload_rooms()
        if entities & {*CHANGES, "form_records"} and self.room:
            self.reload()

    def month(self) -> str:
        return f"{self.calendar.yearShown():04d}-{self.calendar.monthShown():02d}"

    def reload(self) -> None:
        if not self.gate.allows():
            return
        if not self.room:
            return
        run_op(self, partial(commands.load_room, self.ctx.store, self.ctx.actor, self.room["id"], self.month()),
               self._apply, lambda exc: show_error(self, exc))

    def _apply(self, room: dict[str, Any]) -> None:
        self.room = room
        used = room["u_utilisation"]
        self.summary.setText(self.tr("{name} · grade {grade} · {address} · U used {used}").format(
            name=room["name"], grade=room["grade"], address=room["address"] or "—",
            used="—" if used is None else f"{used}%"))
        _fill(self.racks, [[r["code"], r["row"], r["u_used"], r["u_total"]] for r in room["racks"]])
        _fill(self.facilities, [[f["name"], rooms.FACILITY_KINDS.get(f["kind"], f["kind"]), f["model"], f["vendor"]]
                                for f in room["facilities"]])
        _fill(self.duty, [[local_time(d["created_at"]), d["data"].get("shift", ""), d["body"],
                           d["data"].get("handover_to", ""), d["data"].get("open_issues", "")] for d in room["duty"]])
        _fill(self.access, [[a["data"]["visitor"], a["data"].get("company", ""), a["data"]["escort"],
                             a["data"].get("purpose", ""), local_time(a["data"]["time_in"]),
                             local_time(a["time_out"]) if a["time_out"] else self.tr("inside")]
                            for a in room["access"]], [a["id"] for a in room["access"]])
        self.chart.set_points(room["readings"])
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        for day, status in room["calendar"].items():
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(QColor(CALENDAR_COLOURS[status])))
            fmt.setToolTip(status)
            self.calendar.setDateTextFormat(QDate.fromString(day, "yyyy-MM-dd"), fmt)

    def _write(self, fn: Any, *args: Any, **kwargs: Any) -> None:
        run_op(self, partial(commands.write, self.ctx.store, self.ctx.actor, fn, *args, **kwargs),
               lambda _r: None, lambda exc: show_error(self, exc), bus=self.ctx.bus, changes=CHANGES)

    def new_room(self) -> None:
        """Code, name and grade, asked one after the other (the rest is edited with ``itops room update``)."""
        code, ok = QInputDialog.getText(self, self.tr("New machine room"), self.tr("Code (e.g. LH-JF02):"))
        if not ok or not code.strip():
            return
        name, ok = QInputDialog.getText(self, self.tr("New machine room"), self.tr("Name:"))
        if not ok or not name.strip():
            return
        grade, ok = QInputDialog.getItem(self, self.tr("New machine room"), self.tr("Grade (GB 50174):"),
                                         list(rooms.GRADES), 2, False)
        if ok:
            run_op(self, partial(commands.write, self.ctx.store, self.ctx.actor, rooms.create_room, code.strip(),
                                 name.strip(), grade), lambda _r: None, lambda exc: show_error(self, exc),
                   bus=self.ctx.bus, changes=("machine_rooms",))

    def add_duty(self) -> None:
        if self.room and self.duty_text.text().strip():
            self._write(rooms.add_duty_entry, self.room["id"], self.duty_shift.currentText(), self.duty_text.text(),
                        self.duty_handover.text().strip(), self.duty_issues.text().strip())
            self.duty_text.clear()

    def register_entry(self) -> None:
        if self.room:
            self._write(rooms.register_entry, self.room["id"], self.visitor.text(), self.escort.text(),
                        self.purpose.text(), self.company.text())

    def register_exit(self) -> None:
        row = self.access.currentRow()
        item = self.access.item(row, 0) if row >= 0 else None
        if item is not None:
            self._write(rooms.register_exit, item.data(Qt.ItemDataRole.UserRole))

    def add_reading(self) -> None:
        if self.room:
            self._write(rooms.add_reading, self.room["id"], self.temperature.value(), self.humidity.value())

