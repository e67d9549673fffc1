"""``CIListModel``: the CI list over the local store, a page at a time, filtered in SQL by class
(with its subclasses), location and text. Never the whole CMDB in memory."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot

from desktop.cmdb.queries import PAGE_SIZE, CIQuery, Page, load_page
from desktop.context import AppContext
from desktop.ops import run_op, show_error
from shared.cmdb.states import state_label

COLUMNS = ("asset_tag", "name", "ci_class", "status", "ip", "location")
AnyIndex = QModelIndex | QPersistentModelIndex
WATCHED = {"config_items", "ci_relations", "ci_lifecycle_records"}


class CIListModel(QAbstractTableModel):
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = CIQuery()
        self.total = 0
        self.class_labels: dict[str, str] = {}
        self._rows: list[dict[str, Any]] = []
        self._generation = 0
        self._loading = False
        ctx.bus.changed.connect(self._on_changed)

    def reload(self, keep_loaded: bool = False) -> None:
        self._generation += 1
        limit = max(PAGE_SIZE, len(self._rows)) if keep_loaded else PAGE_SIZE
        self._start(0, limit, self._apply_first)

    def _start(self, offset: int, limit: int, apply: Any) -> None:
        self._loading = True
        run_op(self, partial(load_page, self.ctx.store, self.ctx.actor, self.query, offset, limit),
               partial(apply, self._generation), partial(self._on_failed, self._generation))

    def _apply_first(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows, self.total, self._loading = list(page.rows), page.total, False
        self.endResetModel()
        self.loaded.emit()

    def _apply_more(self, generation: int, page: Page) -> None:
        if generation != self._generation or page.offset != len(self._rows):
            return
        self._loading, self.total = False, page.total
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
        show_error(self, exc)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._loading and len(self._rows) < self.total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._start(len(self._rows), PAGE_SIZE, self._apply_more)

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & WATCHED:
            self.reload(keep_loaded=True)

    def set_filter(self, ci_class: str | None, location: str, text: str) -> None:
        query = replace(self.query, ci_class=ci_class or None, location=location.strip(), text=text.strip())
        if query != self.query:
            self.query = query
            self.reload()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, key = self._rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "ci_class":
                return self.class_labels.get(row["ci_class"], row["ci_class"])
            if key == "status":
                return state_label(row["status"], self.ctx.lang)
            return str(row.get(key) or "")
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Asset tag"), self.tr("Name"), self.tr("Class"), self.tr("Status"), self.tr("IP"),
                    self.tr("Location"))[section]
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def ci_id(self, row: int) -> str | None:
        return self._rows[row]["id"] if 0 <= row < len(self._rows) else None

    def row_of(self, ci_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r["id"] == ci_id), -1)
