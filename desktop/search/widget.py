"""``TicketSearch``: a search box over titles, descriptions, solutions and knowledge articles, a process
filter, the number of results and the results, newest first, paged as the list scrolls."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.ops import run_op
from desktop.search.model import TicketPageModel
from desktop.widgets import list_table, named
from shared.processes.engine import processes
from shared.search import ensure_search_index
from shared.search.paging import TicketFilter

DEBOUNCE_MS = 250


class TicketSearch(QWidget):
    """Emits ``ticketActivated(ticket_id)`` on a double click or Enter in the results."""

    ticketActivated = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketSearch")
        self.ctx = ctx
        self.ready = False
        self.box = named(QLineEdit(), "searchBox")
        self.box.setClearButtonEnabled(True)
        self.process = named(QComboBox(), "searchProcess")
        self.count = named(QLabel(), "searchCount")
        self.model = TicketPageModel(ctx, parent=self)
        self.table = list_table(self.model, "searchResults")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        row = QHBoxLayout()
        row.addWidget(self.box, 1)
        row.addWidget(self.process)
        row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self._fill_processes()
        self.retranslate()
        self.box.textChanged.connect(lambda _text: self.timer.start())
        self.box.returnPressed.connect(self.search_now)
        self.process.currentIndexChanged.connect(lambda _i: self.search_now())
        self.timer.timeout.connect(self.search_now)
        self.model.countChanged.connect(self._show_count)
        self.table.doubleClicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        ctx.bus.changed.connect(self._on_changed)
        run_op(self, lambda: ensure_search_index(ctx.store.engine), lambda _r: self._ready())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.box.setPlaceholderText(self.tr("Search titles, descriptions, solutions and knowledge…"))
        self.process.setItemText(0, self.tr("All processes"))
        if self.model.total is not None:
            self._show_count(self.model.total)

    def _fill_processes(self) -> None:
        self.process.addItem("", None)
        for code, proc in sorted(processes().items()):
            self.process.addItem(proc.name.get(self.ctx.lang, code), code)

    def _ready(self) -> None:
        self.ready = True
        self.search_now()

    def current_filter(self) -> TicketFilter:
        return TicketFilter(query=self.box.text().strip(), process=self.process.currentData())

    def search_now(self) -> None:
        self.timer.stop()
        if self.ready:
            self.model.set_filter(self.current_filter())

    def _show_count(self, total: int) -> None:
        """Exact up to the cap, then "more than 10,000" (the count stops there: it never scans)."""
        if self.model.total_exact:
            self.count.setText(self.tr("%n result(s)", "", total))
        else:
            self.count.setText(self.tr("More than {count} results").format(count=self.model.total_text()[:-1]))

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ticketActivated.emit(self.model.ticket_id(index.row()))

    def _on_changed(self, entities: frozenset[str]) -> None:
        if "tickets" in entities and self.ready:
            self.model.reload()
