"""``TicketListModel``: the ticket list over the local store, a page at a time.

Pages load in background ops; sorting (header clicks) and filtering re-query in SQL.
A reload caused by a write keeps as many rows loaded as before, so the view keeps its place.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.ops import run_op, show_error
from desktop.tickets.labels import process_name, state_label
from desktop.tickets.queries import PAGE_SIZE, Page, TicketQuery, load_page

COLUMNS = ("number", "title", "process", "state", "priority", "opened_at")
ID_ROLE = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex


class TicketListModel(QAbstractTableModel):
    loaded = Signal()  # a page (first or further) has been applied

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = TicketQuery()
        self.total = 0
        self._rows: list[dict[str, Any]] = []
        self._generation = 0
        self._loading = False
        ctx.bus.changed.connect(self._on_changed)

    # --- loading -------------------------------------------------------------------------------
    def reload(self, keep_loaded: bool = False) -> None:
        self._generation += 1
        limit = max(PAGE_SIZE, len(self._rows)) if keep_loaded else PAGE_SIZE
        self._start(0, limit, self._apply_first)

    def _start(self, offset: int, limit: int, apply: Any) -> None:
        store, actor, query, generation = self.ctx.store, self.ctx.actor, self.query, self._generation
        self._loading = True
        run_op(self, partial(load_page, store, actor, query, offset, limit), partial(apply, generation),
               partial(self._on_failed, generation))

    def _apply_first(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return  # a newer query was started meanwhile
        self.beginResetModel()
        self._rows = [self._prepare(r) for r in page.rows]
        self.total = page.total
        self._loading = False
        self.endResetModel()
        self.loaded.emit()

    def _apply_more(self, generation: int, page: Page) -> None:
        if generation != self._generation or page.offset != len(self._rows):
            return
        self._loading = False
        self.total = page.total
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(self._prepare(r) for r in page.rows)
            self.endInsertRows()
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
        show_error(self, exc)

    @staticmethod
    def _prepare(row: dict[str, Any]) -> dict[str, Any]:
        row["opened_at"] = local_time(row.get("opened_at"))
        return row

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._loading and len(self._rows) < self.total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._start(len(self._rows), PAGE_SIZE, self._apply_more)

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if "tickets" in entities:
            self.reload(keep_loaded=True)

    def set_filter(self, process_code: str | None, text: str, state: str | None = None) -> None:
        query = replace(self.query, process=process_code or None, text=text.strip(), state=state or None)
        if query != self.query:
            self.query = query
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        query = replace(self.query, sort=COLUMNS[column], descending=order == Qt.SortOrder.DescendingOrder)
        if query != self.query:
            self.query = query
            self.reload()

    # --- the table ------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == ID_ROLE:
            return row["id"]
        if role == Qt.ItemDataRole.ToolTipRole and key == "title":
            return row["title"]
        return None

    def _display(self, row: dict[str, Any], key: str) -> str:
        lang = self.ctx.lang
        if key == "process":
            return process_name(row["process"], lang)
        if key == "state":
            return state_label(row["process"], row["state"], lang)
        return str(row.get(key) or "")

    def _headers(self) -> tuple[str, ...]:
        return (self.tr("Number"), self.tr("Title"), self.tr("Process"), self.tr("State"),
                self.tr("Priority"), self.tr("Opened"))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        return None

    def retranslate(self) -> None:
        """Headers and labels from process definitions follow the current language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def ticket_id(self, row: int) -> str | None:
        return self._rows[row]["id"] if 0 <= row < len(self._rows) else None

    def row_of(self, ticket_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r["id"] == ticket_id), -1)

    @property
    def loading(self) -> bool:
        return self._loading
