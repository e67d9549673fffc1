"""Small dialogs of the tickets area: a new ticket, and the fields an action needs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import error_text, run_op
from desktop.tickets import commands
from desktop.widgets import named
from shared.processes.engine import processes

OK_CANCEL = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel


class FieldsDialog(QDialog):
    """One line edit per field an action requires; OK only when every field has a value."""

    def __init__(self, action_label: str, fields: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action_label = action_label
        self.fields = fields
        self.edits: dict[str, QLineEdit] = {}
        self.captions: dict[str, QLabel] = {}
        self.intro = QLabel(wordWrap=True)
        form = QFormLayout()
        for name in fields:
            self.edits[name] = named(QLineEdit(), f"field_{name}")
            self.captions[name] = QLabel()
            form.addRow(self.captions[name], self.edits[name])
            self.edits[name].textChanged.connect(self._update_ok)
        self.buttons = QDialogButtonBox(OK_CANCEL)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslateUi()
        self._update_ok()

    def _field_labels(self) -> dict[str, str]:
        return {"team_id": self.tr("Team"), "pending_reason": self.tr("Reason for the hold"),
                "resolution_code": self.tr("Resolution code"), "solution": self.tr("Solution"),
                "satisfaction": self.tr("Satisfaction")}

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.action_label)
        self.intro.setText(self.tr("“{action}” needs these fields:").format(action=self.action_label))
        labels = self._field_labels()
        for name, caption in self.captions.items():
            caption.setText(labels.get(name, name))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(all(edit.text().strip() for edit in self.edits.values()))

    def values(self) -> dict[str, str]:
        return {name: edit.text().strip() for name, edit in self.edits.items()}


class NewTicketDialog(QDialog):
    """Creates a ticket in a background op; stays open with the error if the service refuses."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: dict[str, Any] | None = None
        self.process = named(QComboBox(), "process")
        for code in sorted(processes()):
            self.process.addItem(code, code)
        self.process.setCurrentIndex(max(0, self.process.findData("incident")))
        self.title = named(QLineEdit(), "title")
        self.description = named(QPlainTextEdit(), "description")
        self.impact = named(QComboBox(), "impact")
        self.urgency = named(QComboBox(), "urgency")
        for combo in (self.impact, self.urgency):
            for level in (1, 2, 3):
                combo.addItem(str(level), level)
            combo.setCurrentIndex(2)
        self.error = named(QLabel(wordWrap=True), "error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(OK_CANCEL)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._build()
        self.retranslateUi()

    def _build(self) -> None:
        self.form = QFormLayout()
        self.captions = [QLabel() for _ in range(5)]
        for caption, field in zip(self.captions, (self.process, self.title, self.description, self.impact,
                                                  self.urgency), strict=True):
            self.form.addRow(caption, field)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("New ticket"))
        for caption, text in zip(self.captions, (self.tr("Process"), self.tr("Title"), self.tr("Description"),
                                                 self.tr("Impact"), self.tr("Urgency")), strict=True):
            caption.setText(text)
        for i in range(self.process.count()):
            code = self.process.itemData(i)
            self.process.setItemText(i, processes()[code].name.get(self.ctx.lang, code))
        levels = (self.tr("1 — High"), self.tr("2 — Medium"), self.tr("3 — Low"))
        for combo in (self.impact, self.urgency):
            for i, text in enumerate(levels):
                combo.setItemText(i, text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def submit(self) -> None:
        title = self.title.text().strip()
        if not title:
            self._show_error(self.tr("Enter a title"))
            return
        fields = {"description": self.description.toPlainText().strip(),
                  "impact": self.impact.currentData(), "urgency": self.urgency.currentData()}
        store, actor, code = self.ctx.store, self.ctx.actor, self.process.currentData()
        self.buttons.setEnabled(False)
        run_op(self, lambda: commands.create(store, actor, code, title, fields), self._on_created,
               self._on_failed, bus=self.ctx.bus, changes={"tickets"})

    def _on_created(self, ticket: dict[str, Any]) -> None:
        self.created = ticket
        self.buttons.setEnabled(True)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._show_error(error_text(exc))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
