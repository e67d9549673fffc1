"""New record: a template (and a machine room for the room forms)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.forms import commands
from desktop.ops import error_text, run_op
from desktop.widgets import named


class NewRecordDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_record_dialog")
        self.ctx = ctx
        self.created: dict[str, Any] | None = None
        self.template = named(QComboBox(), "new_record_template")
        self.room = named(QComboBox(), "new_record_room")
        self.shift = named(QLineEdit(), "new_record_shift")
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #B00000;")
        form = QFormLayout()
        form.addRow(self.tr("Form"), self.template)
        form.addRow(self.tr("Machine room"), self.room)
        form.addRow(self.tr("Shift"), self.shift)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("New work form"))
        self.setMinimumWidth(420)
        run_op(self, partial(commands.choices, ctx.store, ctx.actor), self._fill)

    def _fill(self, found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        templates, rooms = found
        lang = self.ctx.lang
        for t in templates:
            self.template.addItem(f"{t['code']} {t['name_en'] if lang == 'en' else t['name_zh']} v{t['version']}",
                                  t["code"])
        self.template.setCurrentIndex(max(0, self.template.findData("SOP-06")))
        self.room.addItem(self.tr("(none)"), None)
        for r in rooms:
            self.room.addItem(f"{r['code']} {r['name']}", r["id"])
        if rooms:
            self.room.setCurrentIndex(1)

    def submit(self) -> None:
        code = self.template.currentData()
        if not code:
            return
        self.buttons.setEnabled(False)
        run_op(self, partial(commands.new_record, self.ctx.store, self.ctx.actor, code, self.room.currentData(),
                             self.shift.text().strip()), self._done, self._failed, bus=self.ctx.bus,
               changes=("form_records",))

    def _done(self, record: dict[str, Any]) -> None:
        self.created = record
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_text(exc))
