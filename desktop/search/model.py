"""``TicketPageModel``: tickets of the signed-in user's scope, newest first, loaded one page at a time.

Qt asks ``canFetchMore`` / ``fetchMore`` as the view scrolls near the end; each fetch is one keyset query
(``shared.search.paging.ticket_page``) run off the GUI thread, so the model never holds more than the pages
scrolled through and never runs a query for rows nobody looks at. Filtering (process, state, full-text)
happens in SQL; a changed filter starts again from the first page. The total is counted in a separate
background query and announced with ``countChanged``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from desktop.context import AppContext
from desktop.ops import run_op
from shared.processes.engine import process
from shared.search.paging import TicketFilter, ticket_count, ticket_page

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 100
COLUMNS = ("number", "title", "state", "priority", "opened_at")


class TicketPageModel(QAbstractTableModel):
    pageLoaded = Signal(int)  # rows now loaded
    countChanged = Signal(int)  # tickets the filter finds in total

    def __init__(self, ctx: AppContext, page_size: int = PAGE_SIZE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.filter = TicketFilter()
        self.rows: list[dict[str, Any]] = []
        self.next_key: tuple[str, str] | None = None
        self.exhausted = True
        self.loading = False
        self.generation = 0
        self.total: int | None = None

    # -- loading -----------------------------------------------------------------------------
    def set_filter(self, flt: TicketFilter) -> None:
        """Start again from the first page of ``flt`` (and count it)."""
        self.generation += 1
        self.beginResetModel()
        self.filter, self.rows, self.next_key, self.exhausted, self.loading = flt, [], None, False, False
        self.total = None
        self.endResetModel()
        self.fetchMore(QModelIndex())
        generation, store, actor = self.generation, self.ctx.store, self.ctx.actor

        def count() -> int:
            with store.read() as session:
                return ticket_count(session, actor, flt)

        run_op(self, count, lambda n: self._counted(generation, n))

    def reload(self) -> None:
        self.set_filter(self.filter)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self.exhausted and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self.loading = True
        generation, store, actor, flt, after = (self.generation, self.ctx.store, self.ctx.actor, self.filter,
                                                self.next_key)
        size = self.page_size

        def fetch() -> Any:
            with store.read() as session:
                return ticket_page(session, actor, flt, after, size)

        run_op(self, fetch, lambda page: self._append(generation, page),
               lambda exc: self._failed(generation, exc))

    def _append(self, generation: int, page: Any) -> None:
        if generation != self.generation:
            return  # an answer for a filter that has since changed
        self.loading = False
        if page.rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()
        self.next_key = page.next_key
        self.exhausted = page.next_key is None
        self.pageLoaded.emit(len(self.rows))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self.generation:
            self.loading = False
            self.exhausted = True
        from desktop.ops import show_error

        show_error(self, exc)

    def _counted(self, generation: int, total: int) -> None:
        if generation == self.generation:
            self.total = total
            self.countChanged.emit(total)

    # -- the model -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Number"), self.tr("Title"), self.tr("State"), self.tr("Priority"),
                self.tr("Opened"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = COLUMNS[index.column()]
        if column == "state":
            try:
                return process(row["process"]).state_label(row["state"], self.ctx.lang)
            except ValueError:
                return row["state"]
        if column == "opened_at":
            return (row["opened_at"] or "")[:16].replace("T", " ")
        return row[column]

    def ticket_id(self, row: int) -> str:
        return str(self.rows[row]["id"])
