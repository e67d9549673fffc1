"""The conflict table: a small list (the server sends at most 200), so a plain table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.admin import labels
from desktop.admin.api import Queue
from desktop.formatting import local_time

COLUMNS = ("kind", "record", "field", "server_value", "client_value", "client_author", "status", "created_at")
Index = QModelIndex | QPersistentModelIndex


class ConflictTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = Queue("", [])

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.queue.conflicts

    def set_queue(self, queue: Queue) -> None:
        self.beginResetModel()
        self.queue = queue
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Kind"), self.tr("Record"), self.tr("Field"), self.tr("Server value"),
                  self.tr("Client value"), self.tr("Client author / node"), self.tr("Status"), self.tr("Created"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(row, COLUMNS[index.column()])
        return None

    def cell(self, row: dict[str, Any], column: str) -> str:
        names = self.queue.names
        if column == "kind":
            return labels.kind_name(row.get("kind", ""))
        if column == "record":
            return self.record_text(row)
        if column == "field":
            return labels.field_name(row.get("field") or "")
        if column in ("server_value", "client_value"):
            return labels.value_text(row.get(column), names)
        if column == "client_author":
            return labels.author_text(row.get("client_author", ""), row.get("client_node", ""), names)
        if column == "status":
            return labels.status_name(row.get("status", ""), row.get("resolution", ""))
        return local_time(row.get("created_at"))

    def record_text(self, row: dict[str, Any]) -> str:
        label = self.queue.records.get(row.get("row_id", ""))
        return f"{labels.entity_name(row.get('entity', ''))} {label or str(row.get('row_id', ''))[:8]}"

    def conflict(self, row: int) -> dict[str, Any] | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None
