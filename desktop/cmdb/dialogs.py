"""``LifecycleDialog``: the form of one lifecycle action (投运, 退运, 移交 …), built from its
definition in shared/resources/cmdb/lifecycle.yaml: text, dates, choices and checklists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import named
from shared.cmdb.lifecycle import Action, FormField


class LifecycleDialog(QDialog):
    """OK emits ``submitted``; the caller runs the action and closes the dialog only when it succeeded
    (a refusal shows in ``message`` and the filled form stays)."""

    submitted = Signal()

    def __init__(self, action: Action, ci_name: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lifecycle_dialog")
        self.action, self.lang = action, lang
        self.setWindowTitle(self.tr("{action}: {ci}").format(action=action.label(lang), ci=ci_name))
        self.inputs: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        for f in action.form:
            if f.type == "checklist":
                layout.addWidget(self._checklist(f))
                continue
            form.addRow(QLabel(f.label(lang) + (" *" if f.required else "")), self._input(f))
        layout.insertLayout(0, form)
        self.message = named(QLabel(wordWrap=True), "dialog_message")
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        note = QLabel(self.tr("A PDF record of this action is attached to the configuration item."))
        note.setStyleSheet("color: gray;")
        layout.addWidget(note)
        standard = QDialogButtonBox.StandardButton
        buttons = named(QDialogButtonBox(standard.Ok | standard.Cancel), "buttons")
        buttons.accepted.connect(self.submitted.emit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _input(self, f: FormField) -> QWidget:
        widget: QWidget
        if f.type == "enum":
            combo = QComboBox()
            combo.addItem("", "")
            for v in f.values:
                combo.addItem(v, v)
            widget = combo
        elif f.type == "date":
            date = QDateEdit(QDate.currentDate())
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")
            widget = date
        elif f.type == "text":
            text = QPlainTextEdit()
            text.setFixedHeight(60)
            widget = text
        else:
            widget = QLineEdit()
        self.inputs[f.code] = named(widget, f"field_{f.code}")
        return widget

    def _checklist(self, f: FormField) -> QGroupBox:
        box = named(QGroupBox(f.label(self.lang) + (" *" if f.required else "")), f"field_{f.code}")
        inner = QVBoxLayout(box)
        boxes = {}
        for code, zh, en in f.items:
            check = named(QCheckBox(zh if self.lang.startswith("zh") else en), f"check_{f.code}_{code}")
            inner.addWidget(check)
            boxes[code] = check
        self.inputs[f.code] = boxes
        return box

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for code, widget in self.inputs.items():
            if isinstance(widget, dict):
                out[code] = {item: box.isChecked() for item, box in widget.items()}
            elif isinstance(widget, QComboBox):
                out[code] = widget.currentData() or ""
            elif isinstance(widget, QDateEdit):
                out[code] = widget.date().toString("yyyy-MM-dd")
            elif isinstance(widget, QPlainTextEdit):
                out[code] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                out[code] = widget.text()
        return out

    def tick_all(self) -> None:
        """Tick every checklist item (the 'all done' shortcut of a completed form)."""
        for widget in self.inputs.values():
            if isinstance(widget, dict):
                for box in widget.values():
                    box.setChecked(True)
