"""The forms area: work-form records (list + the dynamic form view) and the plan calendar tab."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.forms import commands
from desktop.forms.dialogs import NewRecordDialog
from desktop.forms.model import COLUMNS, ID_ROLE, RecordListModel, RecordQuery
from desktop.forms.preview import PreviewDialog
from desktop.forms.view import FormView
from desktop.ops import run_op, show_error
from desktop.widgets import list_table, named
from shared.forms.registry import CODES

STATUS_COLOURS = {"done": "#C8E6C9", "due": "#FFF9C4", "overdue": "#FFCDD2"}


class FormsArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_forms")
        self.ctx = ctx
        self.new_dialog: NewRecordDialog | None = None
        self.preview: PreviewDialog | None = None
        self.model = RecordListModel(ctx, self)
        self.view = FormView(ctx)
        self.tabs = named(QTabWidget(), "forms_tabs")
        self.tabs.addTab(self._records_tab(), "")
        self.calendar_tab = PlanCalendar(ctx, self)
        self.calendar_tab.open_record.connect_to(self.open_record)
        self.tabs.addTab(self.calendar_tab, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.retranslateUi()
        self.model.reload()

    def _records_tab(self) -> QWidget:
        tab = QWidget()
        self.template_filter = named(QComboBox(), "form_template_filter")
        self.template_filter.addItem("", None)
        for code in CODES:
            self.template_filter.addItem(code, code)
        self.state_filter = named(QComboBox(), "form_state_filter")
        self.template_filter.currentIndexChanged.connect(self.apply_filter)
        self.state_filter.currentIndexChanged.connect(self.apply_filter)
        self.count_label = named(QLabel(), "form_count")
        self.new_button = named(QPushButton(), "new_record")
        self.new_button.clicked.connect(self.open_new_record)
        self.blank_button = named(QPushButton(), "blank_pdf")
        self.blank_button.clicked.connect(self.print_blank)
        bar = QHBoxLayout()
        for widget in (self.template_filter, self.state_filter, self.count_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.blank_button)
        bar.addWidget(self.new_button)
        self.table = list_table(self.model, "record_table")
        self.table.horizontalHeader().setSectionResizeMode(COLUMNS.index("template"), QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.loaded.connect(self._on_loaded)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        return tab

    def retranslateUi(self) -> None:
        self.tabs.setTabText(0, self.tr("Work forms"))
        self.tabs.setTabText(1, self.tr("Plan calendar"))
        self.template_filter.setItemText(0, self.tr("All forms"))
        current = self.state_filter.currentData()
        self.state_filter.blockSignals(True)
        self.state_filter.clear()
        self.state_filter.addItem(self.tr("All states"), None)
        for state in ("planned", "in_progress", "completed", "reviewed"):
            self.state_filter.addItem(self.model.state_label(state), state)
        self.state_filter.setCurrentIndex(max(0, self.state_filter.findData(current)))
        self.state_filter.blockSignals(False)
        self.new_button.setText(self.tr("New form…"))
        self.blank_button.setText(self.tr("Blank form PDF…"))
        self._on_loaded()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def apply_filter(self) -> None:
        self.model.set_query(RecordQuery(self.template_filter.currentData(), self.state_filter.currentData()))

    def _on_loaded(self) -> None:
        self.count_label.setText(self.tr("{count} forms").format(count=self.model.total))
        if self.view.record_id:
            self._select(self.view.record_id)

    def _select(self, record_id: str) -> None:
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            if index.data(ID_ROLE) == record_id:
                if self.table.currentIndex().row() != row:
                    self.table.selectionModel().blockSignals(True)
                    self.table.selectRow(row)
                    self.table.selectionModel().blockSignals(False)
                return

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.view.show_record(current.data(ID_ROLE))

    def open_record(self, record_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.view.show_record(record_id)
        self._select(record_id)

    def open_new_record(self) -> None:
        self.new_dialog = NewRecordDialog(self.ctx, self)
        self.new_dialog.accepted.connect(self._on_created)
        self.new_dialog.open()

    def _on_created(self) -> None:
        if self.new_dialog is not None and self.new_dialog.created:
            self.open_record(self.new_dialog.created["id"])

    def print_blank(self) -> None:
        code = self.template_filter.currentData() or "SOP-06"
        run_op(self, partial(commands.blank_pdf, self.ctx.store, code), partial(self._show_blank, code),
               lambda exc: show_error(self, exc))

    def _show_blank(self, code: str, pdf: bytes) -> None:
        self.preview = PreviewDialog(pdf, f"{code}-blank.pdf", self)
        self.preview.open()


class _Callback:
    """A plain-Python signal for one listener (the calendar asks the area to open a record)."""

    def __init__(self) -> None:
        self.fn: Any = None

    def connect_to(self, fn: Any) -> None:
        self.fn = fn

    def __call__(self, *args: Any) -> None:
        if self.fn is not None:
            self.fn(*args)


class PlanCalendar(QWidget):
    """A month calendar coloured by the plans' records (done / due / overdue) and the day's records."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_calendar")
        self.ctx = ctx
        self.open_record = _Callback()
        self.days: dict[str, list[dict[str, Any]]] = {}
        self.calendar = named(QCalendarWidget(), "plan_month")
        self.calendar.setGridVisible(True)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.reload())
        self.calendar.selectionChanged.connect(self._show_day)
        self.day_list = named(QListWidget(), "plan_day_records")
        self.day_list.itemActivated.connect(lambda item: self.open_record(item.data(Qt.ItemDataRole.UserRole)))
        self.plans_label = named(QLabel(wordWrap=True), "plan_list")
        self.spawn_button = named(QPushButton(), "spawn_due")
        self.spawn_button.clicked.connect(self.spawn)
        self.legend = QLabel()
        side = QVBoxLayout()
        side.addWidget(self.day_list, 1)
        side.addWidget(self.plans_label)
        side.addWidget(self.spawn_button)
        layout = QHBoxLayout(self)
        column = QVBoxLayout()
        column.addWidget(self.calendar, 1)
        column.addWidget(self.legend)
        layout.addLayout(column, 3)
        layout.addLayout(side, 2)
        ctx.bus.changed.connect(lambda entities: self.reload() if entities & {"form_records", "plans"} else None)
        self.retranslateUi()
        self.reload()

    def retranslateUi(self) -> None:
        self.spawn_button.setText(self.tr("Create the forms that are due"))
        self.legend.setText(self.tr("Green: done · yellow: due · red: overdue"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def month(self) -> str:
        return f"{self.calendar.yearShown():04d}-{self.calendar.monthShown():02d}"

    def reload(self) -> None:
        run_op(self, partial(commands.plan_month, self.ctx.store, self.ctx.actor, self.month()), self._apply,
               lambda exc: show_error(self, exc))

    def _apply(self, found: tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
        self.days, plans = found
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        for day, records in self.days.items():
            statuses = {r["status"] for r in records}
            status = "overdue" if "overdue" in statuses else ("due" if "due" in statuses else "done")
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(QColor(STATUS_COLOURS[status])))
            self.calendar.setDateTextFormat(QDate.fromString(day, "yyyy-MM-dd"), fmt)
        self.plans_label.setText("\n".join(f"{p['number']} {p['name']} ({p['rule']}, {p['state']})" for p in plans))
        self._show_day()

    def _show_day(self) -> None:
        self.day_list.clear()
        day = self.calendar.selectedDate().toString("yyyy-MM-dd")
        for record in self.days.get(day, []):
            item = QListWidgetItem(f"{record['number']}  {record['template_code']} {record['plan']} "
                                   f"{record['shift']}  [{record['status']}]")
            item.setData(Qt.ItemDataRole.UserRole, record["record_id"])
            item.setBackground(QBrush(QColor(STATUS_COLOURS[record["status"]])))
            self.day_list.addItem(item)

    def spawn(self) -> None:
        run_op(self, partial(commands.spawn, self.ctx.store, self.ctx.actor, date.today()), lambda _n: None,
               lambda exc: show_error(self, exc), bus=self.ctx.bus, changes=("form_records", "plans"))
