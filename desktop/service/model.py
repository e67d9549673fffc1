"""``EntryListModel``: the entries of one catalogue kind — code, name, owning org, key fields, status.

Entries owned by an ancestor org unit apply here but are not ours to edit: grey, with "inherited from".
The list loads in a background op; the catalogue page reloads it when entries change (a write or a sync).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.context import AppContext
from desktop.ops import run_op, show_error
from desktop.service.labels import entry_label, field_label, format_value, key_fields, org_label
from desktop.service.queries import load_entries
from shared.services.catalog import kind_fields

FIXED = ("code", "name", "owner", "status")
ID_ROLE = Qt.ItemDataRole.UserRole
INHERITED_COLOR = QColor("#6b6b6b")
AnyIndex = QModelIndex | QPersistentModelIndex


class EntryListModel(QAbstractTableModel):
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = "service"
        self.options: dict[str, Any] = {}
        self.text = ""
        self._all: list[dict[str, Any]] = []
        self._rows: list[dict[str, Any]] = []
        self._fields: tuple[str, ...] = key_fields(self.kind)
        self._generation = 0
        self.loaded_kind: str | None = None  # the kind whose rows are shown (None while switching)

    # --- loading ---------------------------------------------------------------------------------
    def set_kind(self, kind: str) -> None:
        if kind != self.kind:
            self.kind = kind
            self.beginResetModel()
            self._fields = key_fields(kind)
            self._all, self._rows = [], []
            self.loaded_kind = None
            self.endResetModel()
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        store, actor, kind, generation = self.ctx.store, self.ctx.actor, self.kind, self._generation
        run_op(self, partial(load_entries, store, actor, kind), partial(self._apply, generation, kind),
               lambda exc: show_error(self, exc))

    def _apply(self, generation: int, kind: str, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation or kind != self.kind:
            return
        self.beginResetModel()
        self._all = rows
        self.loaded_kind = kind
        self._rows = self._filtered()
        self.endResetModel()
        self.loaded.emit()

    def set_text(self, text: str) -> None:
        self.text = text.strip().lower()
        self.beginResetModel()
        self._rows = self._filtered()
        self.endResetModel()
        self.loaded.emit()

    def _filtered(self) -> list[dict[str, Any]]:
        if not self.text:
            return list(self._all)
        return [r for r in self._all if self.text in f"{r['code']} {r['name']} {r['name_en']}".lower()]

    # --- the table ---------------------------------------------------------------------------------
    @property
    def columns(self) -> tuple[str, ...]:
        return FIXED[:3] + self._fields + FIXED[3:]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == ID_ROLE:
            return row["id"]
        if role == Qt.ItemDataRole.ForegroundRole and (not row["editable"] or not row["active"]):
            return QBrush(INHERITED_COLOR)
        if role == Qt.ItemDataRole.FontRole and row["overridden"]:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and not row["editable"]:
            return self.inherited_text(row)
        return None

    def inherited_text(self, row: dict[str, Any]) -> str:
        return self.tr("Inherited from {org}: it applies here and is read-only.").format(
            org=org_label(self.options.get("orgs", {}), row["owner_path"], self.ctx.lang))

    def _display(self, row: dict[str, Any], key: str) -> str:
        lang = self.ctx.lang
        if key == "code":
            return str(row["code"])
        if key == "name":
            return entry_label(row, lang)
        if key == "owner":
            org = org_label(self.options.get("orgs", {}), row["owner_path"], lang)
            return org if row["editable"] else self.tr("{org} (inherited)").format(org=org)
        if key == "status":
            if row["overridden"]:
                return self.tr("Overridden here")
            return self.tr("In force") if row["active"] else self.tr("Inactive")
        spec = kind_fields(self.kind)[key]
        return format_value(spec, (row["data"] or {}).get(key), lang, self.options)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        key = self.columns[section]
        fixed = {"code": self.tr("Code"), "name": self.tr("Name"), "owner": self.tr("Owned by"),
                 "status": self.tr("Status")}
        return fixed.get(key) or field_label(kind_fields(self.kind)[key], self.ctx.lang)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def entry(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r["id"] == entry_id), -1)

    @property
    def total(self) -> int:
        return len(self._all)

    @property
    def inherited(self) -> int:
        return sum(1 for r in self._all if not r["editable"])
