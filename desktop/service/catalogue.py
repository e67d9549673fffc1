"""The catalogue page: a kind selector, the kind's entries and the entry form."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import run_op
from desktop.service.form import EntryForm
from desktop.service.labels import kind_name
from desktop.service.lazy import LazyPage
from desktop.service.model import EntryListModel
from desktop.service.queries import load_options
from desktop.widgets import list_table, named
from shared.services.catalog import kinds

MAX_COLUMN_WIDTH = 260
OPTION_ENTITIES = frozenset({"catalog_entries", "teams", "config_items", "org_units"})


class CataloguePage(LazyPage):
    ENTITIES = OPTION_ENTITIES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._selected_id: str | None = None
        self.model = EntryListModel(ctx, self)
        self.form = EntryForm(ctx)
        self.kind = named(QComboBox(), "kind")
        for code in kinds():
            self.kind.addItem(code, code)
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search = named(QLineEdit(clearButtonEnabled=True), "entry_search")
        self.search.textChanged.connect(self.model.set_text)
        self.count_label = named(QLabel(), "entry_count")
        self.new_button = named(QPushButton(), "new_entry")
        self.new_button.clicked.connect(self.start_new)
        self._restoring = False  # reselecting after a reload: never replaces what the form is editing
        self._open_id: str | None = None  # asked for (from another page) before its kind's list loaded
        bar = QHBoxLayout()
        for widget in (self.kind, self.search, self.count_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        self.table = list_table(self.model, "entry_table")
        self.table.horizontalHeader().setStretchLastSection(True)
        self._sized_kind: str | None = None
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setSizes([640, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.loaded.connect(self._on_loaded)
        self.form.saved.connect(self._on_saved)
        self.retranslateUi()
        self.form.set_kind(self.kind.currentData())

    def reload(self) -> None:
        self.load_options()
        self.model.reload()

    def load_options(self) -> None:
        run_op(self, partial(load_options, self.ctx.store, self.ctx.actor), self._on_options)

    def _on_options(self, options: dict[str, Any]) -> None:
        self.model.options = options
        self.model.retranslate()
        self.form.set_options(options)

    def _on_kind(self) -> None:
        kind = self.kind.currentData()
        self._selected_id = None
        self.form.set_kind(kind)
        self.model.set_kind(kind)

    def select_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def select_entry(self, entry_id: str) -> bool:
        """Select an entry of the current kind (reselected after the next load if not there yet)."""
        self._selected_id = entry_id
        row = self.model.row_of(entry_id) if self.model.loaded_kind == self.model.kind else -1
        self._open_id = None if row >= 0 else entry_id
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def start_new(self) -> None:
        self._selected_id = None
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())
        self.form.new_entry()

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.model.entry(current.row()) if current.isValid() else None
        shown = self.form.entry
        if self._restoring and entry is not None and (shown is None or shown["id"] != entry["id"]):
            return
        if entry is not None:
            self._selected_id = entry["id"]
            self.form.show_entry(entry)

    def _remember_selection(self) -> None:
        current = self.table.currentIndex()
        entry = self.model.entry(current.row()) if current.isValid() else None
        if entry is not None:
            self._selected_id = entry["id"]

    def _on_loaded(self) -> None:
        self._update_count()
        if self._sized_kind != self.model.kind and self.model.rowCount():
            self._sized_kind = self.model.kind  # once per kind: later reloads keep the user's widths
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_COLUMN_WIDTH))
        if self._selected_id is not None:
            row = self.model.row_of(self._selected_id)
            if row >= 0:
                self._restoring = self._open_id != self._selected_id
                self._open_id = None
                try:
                    self.table.selectRow(row)
                finally:
                    self._restoring = False
                entry = self.model.entry(row)
                if entry is not None and self.form.entry is not None and self.form.entry["id"] == entry["id"]:
                    self.form.show_entry(entry)  # the stored state after a write or a sync

    def _on_saved(self, entry: dict[str, Any]) -> None:
        self._selected_id = entry["id"]

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{total} entries ({inherited} inherited)").format(
            total=self.model.total, inherited=self.model.inherited))

    def retranslateUi(self) -> None:
        for i in range(self.kind.count()):
            self.kind.setItemText(i, kind_name(self.kind.itemData(i), self.ctx.lang))
        self.search.setPlaceholderText(self.tr("Search code or name…"))
        self.new_button.setText(self.tr("New entry"))
        self._update_count()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
