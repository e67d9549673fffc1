"""The signed-in person's notifications: newest first, unread in bold; reading one marks it read (the
change syncs back to the server like any other)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.context import AppContext
from desktop.widgets import named
from shared.services import notifications

ENTITIES = frozenset({"notifications"})


def local_time(value: str | None) -> str:
    if not value:
        return ""
    from shared.sync.codec import decode_dt

    return decode_dt(value).astimezone().strftime("%Y-%m-%d %H:%M")


class NotificationsPanel(QWidget):
    """Emits ``open_ticket(id)`` when a ticket notification is opened."""

    open_ticket = Signal(str)
    unread_changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.title = QLabel()
        self.unread_only = named(QCheckBox(), "unread_only")
        self.unread_only.toggled.connect(self.reload)
        self.mark_all = named(QPushButton(), "mark_all_read")
        self.mark_all.clicked.connect(self.mark_all_read)
        self.settings = named(QPushButton(), "notification_settings")
        self.settings.clicked.connect(self.edit_settings)
        self.table = named(QTableWidget(0, 4), "notifications")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._on_open)
        self.body = named(QLabel(), "notification_body")
        self.body.setWordWrap(True)
        self.table.currentCellChanged.connect(self._on_current)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.unread_only)
        top.addWidget(self.mark_all)
        top.addWidget(self.settings)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.body)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()
        self.reload()

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Notifications"))
        self.unread_only.setText(self.tr("Unread only"))
        self.mark_all.setText(self.tr("Mark all read"))
        self.settings.setText(self.tr("Settings…"))
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Kind"), self.tr("Read"), self.tr("Title")])
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & ENTITIES or "*" in entities:
            self.reload()

    @Slot()
    def reload(self) -> None:
        user_id, unread = str(self.ctx.actor.user_id), self.unread_only.isChecked()
        store = self.ctx.store

        def load() -> list[dict[str, Any]]:
            with store.read() as session:
                return notifications.list_notifications(session, user_id, unread_only=unread, limit=500)
        ops.run_op(self, load, self._loaded)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._fill()
        self.unread_changed.emit(sum(1 for r in rows if not r["read_at"]))

    def _kind_label(self, kind: str) -> str:
        label = notifications.kinds().get(kind, {})
        return str(label.get(self.ctx.lang, label.get("en", kind)))

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        bold = QFont()
        bold.setBold(True)
        for i, row in enumerate(self.rows):
            cells = (local_time(row["created_at"]), self._kind_label(row["kind"]),
                     self.tr("yes") if row["read_at"] else "", row["title"])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                if not row["read_at"]:
                    item.setFont(bold)
                self.table.setItem(i, col, item)

    def _on_current(self, row: int, *_args: int) -> None:
        self.body.setText(self.rows[row]["body"] if 0 <= row < len(self.rows) else "")

    def _mark(self, ids: list[str] | None) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def write() -> int:
            with store.write(actor.user_id) as cs:
                return notifications.mark_read(cs, actor, ids)
        ops.run_op(self, write, lambda _n: None, bus=self.ctx.bus, changes=ENTITIES)

    @Slot()
    def mark_all_read(self) -> None:
        self._mark(None)

    @Slot()
    def edit_settings(self) -> QWidget:
        from desktop.notifications.prefs import PrefsDialog

        dialog = PrefsDialog(self.ctx, self)
        dialog.open()
        return dialog

    def _on_open(self, row: int, _col: int) -> None:
        note = self.rows[row]
        if not note["read_at"]:
            self._mark([note["id"]])
        if note["ref_entity"] == "tickets" and note["ref_id"]:
            self.open_ticket.emit(note["ref_id"])
