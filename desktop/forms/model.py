"""``RecordListModel``: form records in scope, filtered and paged in SQL (more rows load on scroll)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.ops import run_op, show_error
from shared.services import forms
from shared.services.actor import Actor
from shared.store import Store

COLUMNS = ("number", "template", "state", "planned_at", "shift", "abnormal_count")
PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class RecordQuery:
    template_code: str | None = None
    state: str | None = None


def load_page(store: Store, actor: Actor, query: RecordQuery, offset: int, limit: int
              ) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    with store.read() as session:
        rows = forms.list_records(session, actor, query.template_code, None, query.state, None, limit, offset)
        total = forms.count_records(session, actor, template_code=query.template_code, state=query.state)
        names = {t["code"]: t["name_zh"] for t in forms.list_templates(session)}
    return rows, total, names


class RecordListModel(QAbstractTableModel):
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = RecordQuery()
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.names: dict[str, str] = {}
        self._generation = 0
        self._loading = False
        ctx.bus.changed.connect(self._on_changed)

    def reload(self) -> None:
        self._generation += 1
        self._fetch(0, max(PAGE_SIZE, len(self.rows)), replace=True)

    def _fetch(self, offset: int, limit: int, replace: bool) -> None:
        self._loading = True
        run_op(self, partial(load_page, self.ctx.store, self.ctx.actor, self.query, offset, limit),
               partial(self._apply, self._generation, replace), lambda exc: show_error(self, exc))

    def _apply(self, generation: int, replace: bool, page: tuple[list[dict[str, Any]], int, dict[str, str]]) -> None:
        if generation != self._generation:
            return
        rows, self.total, self.names = page
        self._loading = False
        if replace:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
        elif rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._loading and len(self.rows) < self.total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetch(len(self.rows), PAGE_SIZE, replace=False)

    def set_query(self, query: RecordQuery) -> None:
        self.query = query
        self.rows = []
        self.reload()

    def _on_changed(self, entities: frozenset[str]) -> None:
        if "form_records" in entities:
            self.reload()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {"number": self.tr("Number"), "template": self.tr("Form"), "state": self.tr("State"),
                "planned_at": self.tr("Planned"), "shift": self.tr("Shift"),
                "abnormal_count": self.tr("Abnormal")}[COLUMNS[section]]

    def state_label(self, state: str) -> str:
        return {"planned": self.tr("Planned"), "in_progress": self.tr("In progress"),
                "completed": self.tr("Completed"), "reviewed": self.tr("Reviewed")}.get(state, state)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return row["id"]
        if role == Qt.ItemDataRole.ForegroundRole and row["abnormal_count"]:
            return QColor("#B00000")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "template":
            return f"{row['template_code']} {self.names.get(row['template_code'], '')}"
        if column == "state":
            return self.state_label(row["state"])
        if column == "planned_at":
            return local_time(row["planned_at"])
        return row[column]
