"""``SavedFiltersBar``: the ticket list's saved filters — a drop-down of the person's named filters (choosing
one applies it) and a menu to save the current filter under a name, rename or delete the chosen one. The
filters are synced rows (``shared.services.saved_filters``): they follow the person to another device.

The bar reads and sets the area's own filter widgets (process, state, text, the header's sort), so the
area needs no code of its own for it beyond adding the bar.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QMenu, QMessageBox, QToolButton, QWidget

from desktop.context import AppContext
from desktop.ops import run_op
from desktop.tickets.model import COLUMNS
from desktop.tickets.queries import TicketQuery
from desktop.widgets import named
from shared.services import saved_filters
from shared.store import Store

if TYPE_CHECKING:
    from desktop.tickets.area import TicketsArea

QUERY_KEYS = tuple(f.name for f in fields(TicketQuery))
# Strings are translated in the one context "SavedFiltersBar" (QCoreApplication.translate): PySide's
# ``self.tr`` would look them up under a subclass's name (the CI list's bar).


def _load(store: Store, actor: Any, list_key: str) -> list[dict[str, Any]]:
    with store.read() as session:
        return saved_filters.list_filters(session, actor, list_key)


def _save(store: Store, actor: Any, list_key: str, name: str, query: dict[str, Any]) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return saved_filters.save_filter(cs, actor, list_key, name, query)


def _rename(store: Store, actor: Any, filter_id: str, name: str) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return saved_filters.rename_filter(cs, actor, filter_id, name)


def _delete(store: Store, actor: Any, filter_id: str) -> None:
    with store.write(actor.user_id) as cs:
        saved_filters.delete_filter(cs, actor, filter_id)


class SavedFiltersBar(QWidget):
    """The ticket list's bar; a list's own bar overrides ``LIST_KEY``, ``current_query`` and ``apply``."""

    loaded = Signal()  # the drop-down has been (re)filled
    LIST_KEY = "tickets"

    def __init__(self, ctx: AppContext, area: Any) -> None:
        super().__init__(area)
        self.ctx, self.area = ctx, area  # the area whose filter widgets the bar reads and sets
        self.filters: list[dict[str, Any]] = []
        self.dialog: QInputDialog | QMessageBox | None = None
        self.combo = named(QComboBox(), "saved_filters")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.activated.connect(self._on_activated)
        self.menu = QMenu(self)
        self.save_action = self.menu.addAction("", self.ask_save)
        self.rename_action = self.menu.addAction("", self.ask_rename)
        self.delete_action = self.menu.addAction("", self.ask_delete)
        self.button = named(QToolButton(), "saved_filters_menu")
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.button)
        self.retranslateUi()
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    def retranslateUi(self) -> None:
        if not self.combo.count():
            self.combo.addItem("", None)
        self.combo.setItemText(0, QCoreApplication.translate("SavedFiltersBar", "Saved filters"))
        self.button.setText(QCoreApplication.translate("SavedFiltersBar", "Filters"))
        self.save_action.setText(QCoreApplication.translate("SavedFiltersBar", "Save current filter…"))
        self.rename_action.setText(QCoreApplication.translate("SavedFiltersBar", "Rename…"))
        self.delete_action.setText(QCoreApplication.translate("SavedFiltersBar", "Delete"))
        self._update_actions()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # --- the list -------------------------------------------------------------------------------
    def reload(self) -> None:
        run_op(self, partial(_load, self.ctx.store, self.ctx.actor, self.LIST_KEY), self._fill)

    def _fill(self, rows: list[dict[str, Any]]) -> None:
        chosen = self.selected_id()
        self.filters = rows
        self.combo.blockSignals(True)
        while self.combo.count() > 1:
            self.combo.removeItem(1)
        for row in rows:
            self.combo.addItem(row["name"], row["id"])
        self.combo.setCurrentIndex(max(self.combo.findData(chosen), 0) if chosen else 0)
        self.combo.blockSignals(False)
        self._update_actions()
        self.loaded.emit()

    def _on_changed(self, entities: frozenset[str]) -> None:
        if "saved_filters" in entities:
            self.reload()

    def selected_id(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None

    def selected(self) -> dict[str, Any] | None:
        return next((f for f in self.filters if f["id"] == self.selected_id()), None)

    def _update_actions(self) -> None:
        chosen = self.selected_id() is not None
        self.rename_action.setEnabled(chosen)
        self.delete_action.setEnabled(chosen)

    # --- applying and capturing -----------------------------------------------------------------
    def current_query(self) -> dict[str, Any]:
        """The list's query now: what the area's widgets and the header's sort say."""
        return asdict(self.area.model.query)

    def _on_activated(self, index: int) -> None:
        self._update_actions()
        chosen = self.selected()
        if chosen is not None:
            self.apply(chosen["query"])

    def apply(self, query: dict[str, Any]) -> None:
        """Set the area's filter widgets and sort from ``query``, then load the list once."""
        values = {k: v for k, v in query.items() if k in QUERY_KEYS}
        wanted = TicketQuery(**values)
        area: TicketsArea = self.area
        process_index = max(area.process_filter.findData(wanted.process), 0) if wanted.process else 0
        if area.process_filter.currentIndex() != process_index:
            area.process_filter.setCurrentIndex(process_index)  # refills the states for the process
        for widget, setter in ((area.state_filter, lambda: area.state_filter.setCurrentIndex(
                max(area.state_filter.findData(wanted.state), 0) if wanted.state else 0)),
                               (area.search, lambda: area.search.setText(wanted.text))):
            widget.blockSignals(True)
            setter()
            widget.blockSignals(False)
        header = area.table.horizontalHeader()
        header.blockSignals(True)
        order = Qt.SortOrder.DescendingOrder if wanted.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(COLUMNS.index(wanted.sort) if wanted.sort in COLUMNS else 0, order)
        header.blockSignals(False)
        area.search_timer.stop()
        area.model.set_query(wanted)

    # --- save, rename, delete (window-modal dialogs, never a nested event loop) ------------------
    def _ask_name(self, title: str, label: str, text: str, done: Any) -> QInputDialog:
        dialog = QInputDialog(self.window())
        dialog.setObjectName("saved_filter_name")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.textValueSelected.connect(done)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_save(self) -> QInputDialog:
        chosen = self.selected()
        return self._ask_name(QCoreApplication.translate("SavedFiltersBar", "Save filter"),
                              QCoreApplication.translate("SavedFiltersBar", "Name of the filter:"),
                              chosen["name"] if chosen else "", self.save_as)

    def save_as(self, name: str) -> None:
        store, actor = self.ctx.store, self.ctx.actor
        run_op(self, partial(_save, store, actor, self.LIST_KEY, name, self.current_query()), self._saved,
               bus=self.ctx.bus, changes=("saved_filters",))

    def _saved(self, row: dict[str, Any]) -> None:
        self.filters = [f for f in self.filters if f["id"] != row["id"]] + [row]
        if self.combo.findData(row["id"]) < 0:
            self.combo.addItem(row["name"], row["id"])
        self.combo.setCurrentIndex(self.combo.findData(row["id"]))
        self._update_actions()

    def ask_rename(self) -> QInputDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        return self._ask_name(QCoreApplication.translate("SavedFiltersBar", "Rename filter"),
                              QCoreApplication.translate("SavedFiltersBar", "New name:"), chosen["name"],
                              partial(self.rename, chosen["id"]))

    def rename(self, filter_id: str, name: str) -> None:
        run_op(self, partial(_rename, self.ctx.store, self.ctx.actor, filter_id, name), lambda _row: None,
               bus=self.ctx.bus, changes=("saved_filters",))

    def ask_delete(self) -> QMessageBox | None:
        chosen = self.selected()
        if chosen is None:
            return None
        question = QCoreApplication.translate("SavedFiltersBar", "Delete the saved filter “{name}”?")
        box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("SavedFiltersBar", "Delete filter"),
                          question.format(name=chosen["name"]),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window())
        box.setObjectName("saved_filter_delete")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.accepted.connect(partial(self.delete, chosen["id"]))
        box.finished.connect(box.deleteLater)
        self.dialog = box
        box.open()
        return box

    def delete(self, filter_id: str) -> None:
        self.combo.setCurrentIndex(0)
        run_op(self, partial(_delete, self.ctx.store, self.ctx.actor, filter_id), lambda _r: None,
               bus=self.ctx.bus, changes=("saved_filters",))
