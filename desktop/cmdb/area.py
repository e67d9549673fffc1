"""The CMDB area: filter bar (class tree, location, text), the CI table (SQL-paged) and the detail."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.cmdb.detail import CIDetail
from desktop.cmdb.model import COLUMNS, CIListModel
from desktop.cmdb.queries import class_tree
from desktop.cmdb.saved_filters import CIFiltersBar
from desktop.context import AppContext
from desktop.lazy import ShownGate
from desktop.ops import run_op
from desktop.widgets import list_table, named

SEARCH_DELAY_MS = 300


class CmdbArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_cmdb")
        self.ctx = ctx
        self.classes: list[dict[str, Any]] = []
        self._selected_id: str | None = None
        self.model = CIListModel(ctx, self)
        self.model.load_when_shown(self)
        self.classes_gate = ShownGate(self, self.load_classes)
        self.detail = CIDetail(ctx)
        self.detail.open_ci.connect(self.show_ci)
        self._build_filter_bar()
        self.table = list_table(self.model, "ci_table")
        self.table.horizontalHeader().setSectionResizeMode(COLUMNS.index("location"), QHeaderView.ResizeMode.Stretch)
        for key, width in {"asset_tag": 130, "name": 200, "ci_class": 110, "status": 80, "ip": 120}.items():
            self.table.setColumnWidth(COLUMNS.index(key), width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([330, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addWidget(splitter, 1)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.loaded.connect(self._on_loaded)
        self.retranslateUi()
        self.load_classes()
        self.model.reload()

    def load_classes(self) -> None:
        """The class filter's choices (once, when the area is first shown)."""
        if self.classes_gate.allows():
            run_op(self, partial(class_tree, self.ctx.store), self._on_classes)

    def _build_filter_bar(self) -> None:
        self.class_filter = named(QComboBox(), "class_filter")
        self.class_filter.addItem("", None)
        self.class_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.location = named(QLineEdit(clearButtonEnabled=True), "location_filter")
        self.search = named(QLineEdit(clearButtonEnabled=True), "ci_search")
        self.search.setMinimumWidth(200)
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.apply_filter)
        for edit in (self.location, self.search):
            edit.textChanged.connect(self.timer.start)
            edit.returnPressed.connect(self.apply_filter)
        self.class_filter.currentIndexChanged.connect(self.apply_filter)
        self.count_label = named(QLabel(), "ci_count")
        self.filter_bar = QHBoxLayout()
        self.saved_filters = CIFiltersBar(self.ctx, self)  # saved filters (drop-down and menu), synced
        for widget in (self.saved_filters, self.class_filter, self.location, self.search, self.count_label):
            self.filter_bar.addWidget(widget)
        self.filter_bar.addStretch(1)

    def _on_classes(self, classes: list[dict[str, Any]]) -> None:
        self.classes = classes
        self.model.class_labels = {c["code"]: self._label(c) for c in classes}
        current = self.class_filter.currentData()
        self.class_filter.blockSignals(True)
        while self.class_filter.count() > 1:
            self.class_filter.removeItem(1)
        for c in classes:
            if c["depth"] == 0:
                continue  # the root "all CIs" is the first entry
            self.class_filter.addItem("    " * (c["depth"] - 1) + self._label(c), c["code"])
        self.class_filter.setCurrentIndex(max(0, self.class_filter.findData(current)))
        self.class_filter.blockSignals(False)
        self.model.retranslate()

    def _label(self, c: dict[str, Any]) -> str:
        return str(c["zh"] if self.ctx.lang.startswith("zh") else c["en"])

    def retranslateUi(self) -> None:
        self.class_filter.setItemText(0, self.tr("All classes"))
        if self.classes:
            self._on_classes(self.classes)
        self.location.setPlaceholderText(self.tr("Location…"))
        self.search.setPlaceholderText(self.tr("Name, asset tag or IP…"))
        self._update_count()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def apply_filter(self) -> None:
        self.timer.stop()
        self.model.set_filter(self.class_filter.currentData(), self.location.text(), self.search.text())

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        ci_id = self.model.ci_id(current.row()) if current.isValid() else None
        if ci_id is not None:
            self._selected_id = ci_id
            self.detail.show_ci(ci_id)

    def _remember_selection(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self._selected_id = self.model.ci_id(current.row())

    def _on_loaded(self) -> None:
        self._update_count()
        if self._selected_id is not None:
            row = self.model.row_of(self._selected_id)
            if row >= 0 and self.table.currentIndex().row() != row:
                self.table.selectRow(row)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{shown} of {total} CIs").format(shown=self.model.rowCount(),
                                                                          total=self.model.total))

    def show_ci(self, ci_id: str) -> None:
        """Show a CI (from the graph or a relation) even when the list filter hides it."""
        row = self.model.row_of(ci_id)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._selected_id = ci_id
            self.detail.show_ci(ci_id)
