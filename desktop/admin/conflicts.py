"""The Administration area: the province's conflict queue, read and resolved over HTTP.

Administrators only (others get a page saying so). The list comes from the store's upstream server
with the store's sync token; a resolution is made there and then a sync brings it down here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from desktop.admin import api, labels
from desktop.admin.detail import ConflictDetail
from desktop.admin.dialogs import EditValueDialog
from desktop.admin.model import COLUMNS, ConflictTableModel
from desktop.context import AppContext
from desktop.ops import error_text, run_op
from desktop.sync.controller import SyncController
from desktop.widgets import list_table, named
from shared.messages import localize

ACTIONS = ("keep_server", "take_client", "edit", "merge_duplicates", "restore")
ERROR_STYLE = "color: #b00020;"


class AdminArea(QWidget):
    def __init__(self, ctx: AppContext, sync: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_admin")
        self.ctx = ctx
        self.sync = sync
        self.edit_dialog: EditValueDialog | None = None
        self.loaded = False
        self._generation = 0
        self._note = ""  # said together with the next list (e.g. "2 conflicts resolved")
        self.pages = QStackedLayout(self)
        self.not_admin = named(QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter), "not_admin")
        self.conflicts_page = QWidget()
        self.pages.addWidget(self.not_admin)
        self.pages.addWidget(self.conflicts_page)
        self.model = ConflictTableModel(self)
        self.detail = ConflictDetail()
        self._build_conflicts_page()
        self.is_admin = "admin" in ctx.actor.roles
        self.pages.setCurrentWidget(self.conflicts_page if self.is_admin else self.not_admin)
        self.retranslateUi()

    def _build_conflicts_page(self) -> None:
        self.status_filter = named(QComboBox(), "status_filter")
        for status in ("open", "all"):
            self.status_filter.addItem("", status)
        self.status_filter.currentIndexChanged.connect(self.load)
        self.refresh_button = named(QPushButton(), "refresh")
        self.refresh_button.clicked.connect(self.load)
        self.info = named(QLabel(wordWrap=True), "queue_info")
        bar = QHBoxLayout()
        for widget in (self.status_filter, self.refresh_button):
            bar.addWidget(widget)
        bar.addWidget(self.info, 1)
        self._build_table()
        self.buttons = {key: named(QPushButton(), key) for key in ACTIONS}
        for key, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, k=key: self.on_action(k))
        self.selection_label = named(QLabel(), "selection")
        actions = QHBoxLayout()
        actions.addWidget(self.selection_label)
        actions.addStretch(1)
        for button in self.buttons.values():
            actions.addWidget(button)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.detail, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([380, 340])
        layout = QVBoxLayout(self.conflicts_page)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        self._update_actions()

    def _build_table(self) -> None:
        self.table = list_table(self.model, "conflict_table", multi_select=True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for key, width in {"kind": 110, "record": 260, "field": 90, "server_value": 170, "client_value": 170,
                           "client_author": 230, "status": 90}.items():
            self.table.setColumnWidth(COLUMNS.index(key), width)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

    def retranslateUi(self) -> None:
        self.not_admin.setText(self.tr("Only administrators can open this area.\n\nYour account ({user}) has no "
                                       "administrator role; ask your province's administrator to resolve sync "
                                       "conflicts.").format(user=self.ctx.actor.username))
        self.status_filter.setItemText(0, self.tr("Open conflicts"))
        self.status_filter.setItemText(1, self.tr("All conflicts"))
        self.refresh_button.setText(self.tr("Refresh"))
        texts = {"keep_server": self.tr("Keep server value"), "take_client": self.tr("Take client value"),
                 "edit": self.tr("Change to…"), "merge_duplicates": self.tr("Merge duplicates"),
                 "restore": self.tr("Restore")}
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.model.retranslate()
        self._update_actions()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.is_admin and not self.loaded:
            self.load()

    # -- loading --------------------------------------------------------------------------------------
    def load(self) -> None:
        """Fetch the queue from the server in a background op (a newer load wins over an older one)."""
        if not self.is_admin:
            return
        self.loaded = True
        self._generation += 1
        generation, store, actor = self._generation, self.ctx.store, self.ctx.actor
        status = self.status_filter.currentData()
        self._say(self.tr("Loading the conflict queue…"))
        run_op(self, lambda: api.fetch_queue(store, actor, status),
               lambda queue: self._on_loaded(generation, queue), lambda exc: self._on_failed(generation, exc))

    def _on_loaded(self, generation: int, queue: api.Queue) -> None:
        if generation != self._generation:
            return
        selected = set(self.selected_ids())
        self.model.set_queue(queue)
        for row, conflict in enumerate(queue.conflicts):
            if conflict["id"] in selected:
                self.table.selectRow(row)
        text = self.tr("{count} conflicts on {server}").format(count=len(queue.conflicts), server=queue.url)
        self._say(f"{self._note} {text}" if self._note else text)
        self._note = ""
        self._on_selection()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._say(self.failure_text(exc), error=True)

    def failure_text(self, exc: BaseException) -> str:
        if not isinstance(exc, api.AdminError):
            return error_text(exc)
        texts = {
            "offline": self.tr("Cannot reach the province server: check the network and try again. ({detail})"),
            "not_signed_in": self.tr("This store is not signed in to a server: sign in in the Sync area."),
            "auth": self.tr("The server no longer accepts this store's sign-in: sign in again in the Sync area."),
            "forbidden": self.tr("Only administrators can see the conflict queue: the server refused ({detail})."),
        }
        detail = localize(exc.detail, self.ctx.language.code)  # the server speaks English unless asked
        return texts.get(exc.reason, self.tr("The server refused: {detail}")).format(detail=detail)

    def _say(self, text: str, error: bool = False) -> None:
        self.info.setText(text)
        self.info.setStyleSheet(ERROR_STYLE if error else "")

    # -- selection and actions ----------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.rows[r]["id"] for r in rows if r < len(self.model.rows)]

    def selected(self) -> list[dict[str, Any]]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.rows[r] for r in rows if r < len(self.model.rows)]

    def _on_selection(self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None) -> None:
        chosen = self.selected()
        current = chosen[0] if len(chosen) == 1 else None
        label = self.model.record_text(current) if current else ""
        self.detail.show_conflict(current, self.model.queue, label)
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = self.selected()
        is_open = bool(chosen) and all(c.get("status") != "resolved" for c in chosen)
        kinds = {c.get("kind") for c in chosen}
        enabled = {
            "keep_server": is_open,
            "take_client": is_open and kinds <= labels.TAKE_CLIENT_KINDS,
            "edit": is_open and len(chosen) == 1 and kinds <= labels.EDIT_KINDS and bool(chosen[0].get("field")),
            "merge_duplicates": is_open and kinds == {"duplicate"},
            "restore": is_open and kinds <= labels.RESTORE_KINDS,
        }
        for key, button in self.buttons.items():
            button.setEnabled(enabled[key])
        self.selection_label.setText(self.tr("{count} selected").format(count=len(chosen)) if chosen else "")

    def on_action(self, resolution: str) -> None:
        if resolution == "edit":
            self.open_edit()
        else:
            self.resolve(resolution)

    def open_edit(self) -> EditValueDialog | None:
        chosen = self.selected()
        if len(chosen) != 1:
            return None
        conflict = chosen[0]
        user_ids = {u for u, _ in self.model.queue.users}
        is_user_field = bool({conflict.get("server_value"), conflict.get("client_value")} & user_ids)
        dialog = EditValueDialog(labels.field_name(conflict.get("field") or ""), conflict.get("server_value"),
                                 self.model.queue.users if is_user_field else [], self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.accepted.connect(lambda: self.resolve("edit", dialog.value(), [conflict["id"]]))
        self.edit_dialog = dialog
        dialog.open()
        return dialog

    def resolve(self, resolution: str, value: Any = None, ids: list[str] | None = None) -> None:
        ids = ids or self.selected_ids()
        if not ids:
            return
        store = self.ctx.store
        for button in self.buttons.values():
            button.setEnabled(False)
        self._say(self.tr("Resolving…"))
        run_op(self, lambda: api.resolve(store, ids, resolution, value), self._on_resolved, self._on_resolve_failed)

    def _on_resolved(self, resolved: list[dict[str, Any]]) -> None:
        self._note = self.tr("{count} resolved; syncing so the result comes down.").format(count=len(resolved))
        self.load()
        self.sync.sync_now()

    def _on_resolve_failed(self, exc: BaseException) -> None:
        self._update_actions()
        self._say(self.failure_text(exc), error=True)
