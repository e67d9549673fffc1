"""``CIDetail``: the selected CI — attributes, relations, impact graph, 履历, record files — and buttons
for the lifecycle actions allowed in its state."""

from __future__ import annotations

from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.cmdb import queries
from desktop.cmdb.dialogs import LifecycleDialog
from desktop.cmdb.graph import ImpactGraph
from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.ops import error_text, run_op
from desktop.widgets import named
from shared.cmdb.classes import relation_defs
from shared.cmdb.lifecycle import action as lifecycle_action

CHANGES = {"config_items", "ci_lifecycle_records", "ci_relations", "rack_units", "attachments"}


def _table(name: str, columns: int) -> QTableWidget:
    table = named(QTableWidget(0, columns), name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


class CIDetail(QWidget):
    loaded = Signal(object)
    impact_loaded = Signal(object)
    action_done = Signal(object)
    open_ci = Signal(object)  # a CI id to show (from the graph or the relations)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ci_id: str | None = None
        self.ci: dict[str, Any] | None = None
        self.dialog: LifecycleDialog | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self._build()
        self.retranslateUi()
        ctx.bus.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.heading = named(QLabel(wordWrap=True), "ci_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.empty = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "ci_empty")
        self.empty.setStyleSheet("color: gray;")
        self.actions_row = QHBoxLayout()
        self.actions_caption = QLabel()
        self.actions_row.addWidget(self.actions_caption)
        self.actions_row.addStretch(1)
        self.message = named(QLabel(wordWrap=True), "ci_message")
        self.message.setStyleSheet("color: #b00020;")
        self.tabs = named(QTabWidget(), "ci_tabs")
        self.attributes = _table("attributes", 2)
        self.relations = _table("relations", 3)
        self.relations.cellDoubleClicked.connect(self._on_relation_activated)
        self.history = _table("history", 3)
        self.files = _table("files", 1)
        self.save_pdf = named(QPushButton(), "save_pdf")
        self.save_pdf.clicked.connect(self._save_selected_file)
        files_page = QWidget()
        files_layout = QVBoxLayout(files_page)
        files_layout.addWidget(self.files)
        files_layout.addWidget(self.save_pdf, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(self.attributes, "")
        self.tabs.addTab(self.relations, "")
        self.tabs.addTab(self._build_impact(), "")
        self.tabs.addTab(self.history, "")
        self.tabs.addTab(files_page, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.heading)
        layout.addLayout(self.actions_row)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._set_visible(False)

    def _build_impact(self) -> QWidget:
        page = QWidget()
        self.direction = named(QComboBox(), "impact_direction")
        self.direction.addItem("", "down")
        self.direction.addItem("", "up")
        self.depth_spin = named(QSpinBox(minimum=1, maximum=10, value=3), "impact_depth")
        self.analyse_button = named(QPushButton(), "impact_run")
        self.analyse_button.clicked.connect(self.run_impact)
        self.impact_summary = named(QLabel(wordWrap=True), "impact_summary")
        self.impact_warning = named(QLabel(wordWrap=True), "impact_warning")
        self.impact_warning.setStyleSheet("color: #b26a00;")
        self.graph = ImpactGraph()
        self.graph.node_activated.connect(self.open_ci.emit)
        bar = QHBoxLayout()
        self.direction_caption, self.depth_caption = QLabel(), QLabel()
        for widget in (self.direction_caption, self.direction, self.depth_caption, self.depth_spin,
                       self.analyse_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.impact_summary)
        layout.addWidget(self.impact_warning)
        layout.addWidget(self.graph, 1)
        return page

    def _set_visible(self, has_ci: bool) -> None:
        self.empty.setVisible(not has_ci)
        for widget in (self.heading, self.tabs, self.actions_caption):
            widget.setVisible(has_ci)

    def retranslateUi(self) -> None:
        self.empty.setText(self.tr("Select a configuration item to see its details."))
        self.actions_caption.setText(self.tr("Lifecycle:"))
        for i, text in enumerate((self.tr("Attributes"), self.tr("Relations"), self.tr("Impact"),
                                  self.tr("Service history"), self.tr("Records"))):
            self.tabs.setTabText(i, text)
        self.attributes.setHorizontalHeaderLabels([self.tr("Attribute"), self.tr("Value")])
        self.relations.setHorizontalHeaderLabels([self.tr("Relation"), self.tr("Direction"), self.tr("CI")])
        self.history.setHorizontalHeaderLabels([self.tr("When"), self.tr("What"), self.tr("Detail")])
        self.files.setHorizontalHeaderLabels([self.tr("File")])
        self.save_pdf.setText(self.tr("Save record…"))
        self.direction_caption.setText(self.tr("Direction"))
        self.direction.setItemText(0, self.tr("What breaks if it fails"))
        self.direction.setItemText(1, self.tr("What it depends on"))
        self.depth_caption.setText(self.tr("Depth"))
        self.analyse_button.setText(self.tr("Analyse"))
        if self.ci is not None:
            self.reload()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # --- loading --------------------------------------------------------------------------------
    def show_ci(self, ci_id: str | None) -> None:
        if ci_id == self.ci_id and self.ci is not None:
            return
        self.ci_id = ci_id
        self.message.clear()
        if ci_id is None:
            self.ci = None
            self._set_visible(False)
            return
        self.reload()
        self.run_impact()

    def reload(self) -> None:
        if self.ci_id is None:
            return
        ci_id = self.ci_id
        run_op(self, partial(queries.load_detail, self.ctx.store, self.ctx.actor, ci_id, self.ctx.lang),
               partial(self._on_loaded, ci_id))

    def _on_loaded(self, ci_id: str, ci: dict[str, Any]) -> None:
        if ci_id != self.ci_id:
            return
        self.ci = ci
        self.heading.setText(f"{ci['name']}  [{ci['class_label']}]  {ci['state_label']}")
        _fill(self.attributes, [(label, value) for label, value in ci["attribute_rows"]])
        labels = relation_defs()
        zh = self.ctx.lang.startswith("zh")
        _fill(self.relations, [
            (labels.get(r["type"], {}).get("label", {}).get("zh" if zh else "en", r["type"]),
             "→" if r["outgoing"] else "←", r["other"]) for r in ci["relation_rows"]])
        _fill(self.history, [(local_time(e["at"]), e["title"], e["detail"]) for e in ci["history"]])
        _fill(self.files, [(f["name"],) for f in ci["files"]])
        self._rebuild_actions(ci["actions"])
        self._set_visible(True)
        self.loaded.emit(ci)

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & CHANGES and self.ci_id is not None:
            self.reload()

    def _rebuild_actions(self, actions: list[dict[str, Any]]) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for i, act in enumerate(actions):
            button = named(QPushButton(act["label"]), f"lifecycle_{act['code']}")
            button.clicked.connect(partial(self.open_action, act["code"]))
            self.actions_row.insertWidget(i + 1, button)
            self.action_buttons[act["code"]] = button

    # --- impact ---------------------------------------------------------------------------------
    def run_impact(self) -> None:
        if self.ci_id is None:
            return
        ci_id, direction, depth = self.ci_id, self.direction.currentData(), self.depth_spin.value()
        run_op(self, partial(queries.load_impact, self.ctx.store, ci_id, direction, depth),
               partial(self._on_impact, ci_id))

    def _on_impact(self, ci_id: str, result: dict[str, Any]) -> None:
        if ci_id != self.ci_id:
            return
        count = len(result["nodes"]) - 1
        text = (self.tr("{count} CIs impacted") if result["direction"] == "down"
                else self.tr("{count} CIs it depends on")).format(count=count)
        if result["spared"]:
            text += self.tr("; {spared} kept up by redundancy").format(spared=result["spared"])
        self.impact_summary.setText(text)
        self.impact_warning.setText(result["warning"])
        self.impact_warning.setVisible(bool(result["warning"]))
        self.graph.show_result(result)
        self.impact_loaded.emit(result)

    # --- lifecycle ------------------------------------------------------------------------------
    def open_action(self, code: str) -> LifecycleDialog:
        dialog = LifecycleDialog(lifecycle_action(code), self.ci["name"] if self.ci else "", self.ctx.lang, self)
        dialog.submitted.connect(partial(self._submit, code, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _submit(self, code: str, dialog: LifecycleDialog) -> None:
        if self.ci_id is None:
            return
        dialog.message.clear()
        run_op(self, partial(queries.perform, self.ctx.store, self.ctx.actor, self.ci_id, code, dialog.values()),
               partial(self._on_action_done, dialog), partial(self._on_action_failed, dialog),
               bus=self.ctx.bus, changes=CHANGES)

    def _on_action_done(self, dialog: LifecycleDialog, record: dict[str, Any]) -> None:
        if shiboken6.isValid(dialog):  # the user may have closed it while the action ran
            dialog.accept()
        self.dialog = None
        self.action_done.emit(record)

    def _on_action_failed(self, dialog: LifecycleDialog, exc: BaseException) -> None:
        if shiboken6.isValid(dialog):
            dialog.message.setText(error_text(exc))
        else:
            self.message.setText(error_text(exc))

    # --- relations and files --------------------------------------------------------------------
    def _on_relation_activated(self, row: int, _column: int) -> None:
        if self.ci is not None and 0 <= row < len(self.ci["relation_rows"]):
            self.open_ci.emit(self.ci["relation_rows"][row]["other_id"])

    def _save_selected_file(self) -> None:
        row = self.files.currentRow()
        if self.ci is None or not 0 <= row < len(self.ci["files"]):
            return
        file = self.ci["files"][row]
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save record"), file["name"], "PDF (*.pdf)")
        if path:
            run_op(self, partial(queries.attachment_bytes, self.ctx.store, file["id"]),
                   partial(self._write_file, path))

    @staticmethod
    def _write_file(path: str, content: bytes) -> None:
        with open(path, "wb") as out:
            out.write(content)
