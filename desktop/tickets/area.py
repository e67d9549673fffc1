"""The tickets area: filter bar (process, state, text), the ticket table (SQL-sorted, paged), the detail
pane, and beside the table the problem proposals (problem view) or the change calendar (change view)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.paging import enable_jumps
from desktop.search.widget import TicketSearch
from desktop.tickets.analysis import ChangeCalendar, ProposalsPanel
from desktop.tickets.detail import TicketDetail
from desktop.tickets.dialogs import NewTicketDialog
from desktop.tickets.labels import process_name
from desktop.tickets.model import COLUMNS, TicketListModel
from desktop.tickets.options import OptionsCache
from desktop.tickets.saved_filters import SavedFiltersBar
from desktop.widgets import list_table, named
from shared.processes.engine import process, processes

SEARCH_DELAY_MS = 300


class TicketsArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_tickets")
        self.ctx = ctx
        self.new_dialog: NewTicketDialog | None = None
        self._selected_id: str | None = None
        self.options = OptionsCache(ctx, self)
        self.model = TicketListModel(ctx, self)
        self.detail = TicketDetail(ctx, self.options)
        self.detail.open_ticket.connect(self.open_ticket)
        self._build_filter_bar()
        self._build_table()
        self._build_side_panels()
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.table)
        top.addWidget(self.side)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([780, 420])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
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
        self.state_filter = named(QComboBox(), "state_filter")
        self.state_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.state_filter.addItem("", None)
        self.state_filter.setEnabled(False)  # until a process is chosen
        self.search = named(QLineEdit(clearButtonEnabled=True), "search")
        self.search.setMinimumWidth(240)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.process_filter.currentIndexChanged.connect(self._on_process_changed)
        self.state_filter.currentIndexChanged.connect(self.apply_filter)
        self.count_label = named(QLabel(), "count")
        self.new_button = named(QPushButton(), "new_ticket")
        self.new_button.clicked.connect(lambda: self.open_new_ticket())
        self.fulltext_button = named(QPushButton(), "fulltext_toggle")
        self.fulltext_button.setCheckable(True)
        self.fulltext_button.toggled.connect(self._on_fulltext_toggled)
        self.filter_bar = QHBoxLayout()
        self.saved_filters = SavedFiltersBar(self.ctx, self)  # saved filters (drop-down and menu), synced
        for widget in (self.saved_filters, self.process_filter, self.state_filter, self.search, self.count_label):
            self.filter_bar.addWidget(widget)
        self.filter_bar.addStretch(1)
        self.filter_bar.addWidget(self.fulltext_button)
        self.filter_bar.addWidget(self.new_button)

    def _build_table(self) -> None:
        self.table = list_table(self.model, "ticket_table")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(COLUMNS.index("opened_at"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # header clicks call model.sort → an SQL re-query
        widths = {"number": 190, "process": 150, "state": 160, "priority": 60, "opened_at": 130}
        for key, width in widths.items():
            self.table.setColumnWidth(COLUMNS.index(key), width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        enable_jumps(self.table, self.model)  # Ctrl+End: the oldest tickets, without reading the rows between

    def _build_side_panels(self) -> None:
        self.proposals = ProposalsPanel(self.ctx)
        self.proposals.create_requested.connect(self.create_from_proposal)
        self.calendar = ChangeCalendar(self.ctx)
        self.calendar.open_ticket.connect(self.open_ticket)
        self.fulltext: TicketSearch | None = None  # made when first opened (it builds the search index)
        self.side = named(QStackedWidget(), "side_panel")
        self.side.addWidget(self.proposals)
        self.side.addWidget(self.calendar)
        self.side.hide()

    def _on_fulltext_toggled(self, on: bool) -> None:
        """Full-text search (titles, descriptions, solutions, knowledge) in the side panel."""
        if on:
            if self.fulltext is None:
                self.fulltext = TicketSearch(self.ctx)
                self.fulltext.ticketActivated.connect(self.open_ticket)
                self.side.addWidget(self.fulltext)
            self.side.setCurrentWidget(self.fulltext)
            self.side.show()
            self.fulltext.box.setFocus()
        else:
            self._show_process_panel()

    def retranslateUi(self) -> None:
        self.process_filter.setItemText(0, self.tr("All processes"))
        for i in range(1, self.process_filter.count()):
            self.process_filter.setItemText(i, process_name(self.process_filter.itemData(i), self.ctx.lang))
        self.state_filter.setItemText(0, self.tr("All states"))
        code = self.process_filter.currentData()
        for i in range(1, self.state_filter.count()):
            self.state_filter.setItemText(i, process(code).state_label(self.state_filter.itemData(i), self.ctx.lang))
        self.search.setPlaceholderText(self.tr("Search title or number…"))
        self.new_button.setText(self.tr("New ticket"))
        self.fulltext_button.setText(self.tr("Full-text search"))
        self._update_count()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _on_process_changed(self) -> None:
        """The state filter lists the chosen process's states; problems and changes get their panel."""
        code = self.process_filter.currentData()
        self.state_filter.blockSignals(True)
        while self.state_filter.count() > 1:
            self.state_filter.removeItem(1)
        if code:
            for state in process(code).states.values():
                self.state_filter.addItem(state.label.get(self.ctx.lang, state.code), state.code)
        self.state_filter.setCurrentIndex(0)
        self.state_filter.setEnabled(bool(code))
        self.state_filter.blockSignals(False)
        self.table.setColumnHidden(COLUMNS.index("process"), bool(code))  # one process: the column says nothing
        self.fulltext_button.setChecked(False)
        self._show_process_panel()
        self.apply_filter()

    def _show_process_panel(self) -> None:
        code = self.process_filter.currentData()
        panels: dict[str, ProposalsPanel | ChangeCalendar] = {"problem": self.proposals, "change": self.calendar}
        panel = panels.get(code or "")
        self.side.setVisible(panel is not None)
        if panel is not None:
            self.side.setCurrentWidget(panel)
            panel.reload()

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.model.set_filter(self.process_filter.currentData(), self.search.text(), self.state_filter.currentData())

    def open_new_ticket(self, process_code: str | None = None, prefill: dict[str, Any] | None = None,
                        link_to: list[str] | None = None) -> NewTicketDialog:
        """Window-modal but not blocking (``open``, never ``exec``); the process of the current view."""
        code = process_code or self.process_filter.currentData() or "incident"
        dialog = NewTicketDialog(self.ctx, self.options, code, prefill, link_to, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.accepted.connect(self._on_ticket_created)
        self.new_dialog = dialog
        dialog.open()
        return dialog

    def _on_ticket_created(self) -> None:
        dialog = self.new_dialog
        if dialog is not None and dialog.created is not None:
            self.open_ticket(dialog.created["id"])  # and selected in the list when it has reloaded
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
            shown=self.model.rowCount(), total=self.model.total_text()))

    def select_ticket(self, ticket_id: str) -> bool:
        row = self.model.row_of(ticket_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def open_ticket(self, ticket_id: str) -> None:
        """Show a ticket (from a link, the board or the calendar), selecting it if the list has it."""
        self._selected_id = ticket_id
        if not self.select_ticket(ticket_id):
            self.table.setCurrentIndex(QModelIndex())  # a reload must not bring the previous row back
            self.table.clearSelection()
            self.detail.show_ticket(ticket_id)

    def create_from_proposal(self, proposal: dict[str, Any]) -> NewTicketDialog:
        """A problem pre-filled from a proposal; its incidents are linked when it is created."""
        prefill: dict[str, Any] = {"title": proposal["title"], "impact": 2, "urgency": 2,
                                   "description": "，".join(proposal["incidents"])}
        prefill["ci_id" if proposal["by"] == "ci" else "category"] = proposal["value"]
        return self.open_new_ticket("problem", prefill, list(proposal["incidents"]))
