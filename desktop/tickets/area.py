"""The tickets area: filter bar, the ticket table (SQL-sorted, paged) and the detail pane."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.tickets.detail import TicketDetail
from desktop.tickets.dialogs import NewTicketDialog
from desktop.tickets.labels import process_name
from desktop.tickets.model import COLUMNS, TicketListModel
from desktop.widgets import list_table, named
from shared.processes.engine import processes

SEARCH_DELAY_MS = 300


class TicketsArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_tickets")
        self.ctx = ctx
        self.new_dialog: NewTicketDialog | None = None
        self._selected_id: str | None = None
        self.model = TicketListModel(ctx, self)
        self.detail = TicketDetail(ctx)
        self._build_filter_bar()
        self._build_table()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([430, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addWidget(splitter, 1)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.loaded.connect(self._on_loaded)
        self.retranslateUi()
        self.model.reload()

    def _build_filter_bar(self) -> None:
        self.process_filter = named(QComboBox(), "process_filter")
        self.process_filter.addItem("", None)
        for code in sorted(processes()):
            self.process_filter.addItem(code, code)
        self.process_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search = named(QLineEdit(clearButtonEnabled=True), "search")
        self.search.setMinimumWidth(240)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.process_filter.currentIndexChanged.connect(self.apply_filter)
        self.count_label = named(QLabel(), "count")
        self.new_button = named(QPushButton(), "new_ticket")
        self.new_button.clicked.connect(self.open_new_ticket)
        self.filter_bar = QHBoxLayout()
        for widget in (self.process_filter, self.search, self.count_label):
            self.filter_bar.addWidget(widget)
        self.filter_bar.addStretch(1)
        self.filter_bar.addWidget(self.new_button)

    def _build_table(self) -> None:
        self.table = list_table(self.model, "ticket_table")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(COLUMNS.index("opened_at"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # header clicks call model.sort → an SQL re-query
        widths = {"number": 230, "process": 170, "state": 190, "priority": 70, "opened_at": 140}
        for key, width in widths.items():
            self.table.setColumnWidth(COLUMNS.index(key), width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)

    def retranslateUi(self) -> None:
        self.process_filter.setItemText(0, self.tr("All processes"))
        for i in range(1, self.process_filter.count()):
            self.process_filter.setItemText(i, process_name(self.process_filter.itemData(i), self.ctx.lang))
        self.search.setPlaceholderText(self.tr("Search title or number…"))
        self.new_button.setText(self.tr("New ticket"))
        self._update_count()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.model.set_filter(self.process_filter.currentData(), self.search.text())

    def open_new_ticket(self) -> NewTicketDialog:
        """Window-modal but not blocking (``open``, never ``exec``)."""
        dialog = NewTicketDialog(self.ctx, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.accepted.connect(self._on_ticket_created)
        self.new_dialog = dialog
        dialog.open()
        return dialog

    def _on_ticket_created(self) -> None:
        dialog = self.new_dialog
        if dialog is not None and dialog.created is not None:
            self._selected_id = dialog.created["id"]  # reselected when the list reloads
        self.new_dialog = None

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        ticket_id = self.model.ticket_id(current.row()) if current.isValid() else None
        if ticket_id is not None:
            self._selected_id = ticket_id
            self.detail.show_ticket(ticket_id)

    def _remember_selection(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self._selected_id = self.model.ticket_id(current.row())

    def _on_loaded(self) -> None:
        self._update_count()
        if self._selected_id is None:
            return
        row = self.model.row_of(self._selected_id)
        if row >= 0 and self.table.currentIndex().row() != row:
            self.table.selectRow(row)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{shown} of {total} tickets").format(
            shown=self.model.rowCount(), total=self.model.total))

    def select_ticket(self, ticket_id: str) -> bool:
        row = self.model.row_of(ticket_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0
