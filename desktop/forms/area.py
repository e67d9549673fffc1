"""The forms area: work-form records (list + the dynamic form view) and the plans tab (desktop/plans)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
from desktop.plans.tab import PlansTab
from desktop.widgets import list_table, named
from shared.forms.registry import CODES


class FormsArea(QWidget):
    open_task = Signal(str)  # a plan's task occurrence to show in the tasks area (wired in desktop.app)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_forms")
        self.ctx = ctx
        self.new_dialog: NewRecordDialog | None = None
        self.preview: PreviewDialog | None = None
        self.model = RecordListModel(ctx, self)
        self.model.load_when_shown(self)
        self.view = FormView(ctx)
        self.tabs = named(QTabWidget(), "forms_tabs")
        self.tabs.addTab(self._records_tab(), "")
        self.plans_tab = PlansTab(ctx, self.open_record, self)
        self.plans_tab.open_task.connect(self.open_task)
        self.tabs.addTab(self.plans_tab, "")
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
        self.tabs.setTabText(1, self.plans_tab.tab_title())
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
