"""Asking the administrator for the value a conflicting field should get."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.widgets import named

OK_CANCEL = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel


def coerce(text: str, like: Any) -> Any:
    """The typed text as the kind of value the field holds (a number stays a number)."""
    text = text.strip()
    if isinstance(like, bool):
        return text.lower() in ("1", "true", "yes", "是")
    try:
        if isinstance(like, int):
            return int(text)
        if isinstance(like, float):
            return float(text)
        if isinstance(like, dict | list):
            return json.loads(text)
    except ValueError:
        pass
    return text


class EditValueDialog(QDialog):
    """An editable list: the users of the subtree for a user field (assignee …), else free text."""

    def __init__(self, field_label: str, current: Any, choices: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field_label = field_label
        self.current = current
        self.intro = QLabel(wordWrap=True)
        self.value_box = named(QComboBox(editable=True), "edit_value")
        self.value_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for user_id, display in choices:
            self.value_box.addItem(display, user_id)
        index = self.value_box.findData(current)
        if index >= 0:
            self.value_box.setCurrentIndex(index)
        else:
            self.value_box.setEditText("" if current is None else str(current))
        self.buttons = QDialogButtonBox(OK_CANCEL)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.value_box)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Change to…"))
        self.intro.setText(self.tr("The value “{field}” gets on every node:").format(field=self.field_label))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def select(self, data: Any) -> bool:
        index = self.value_box.findData(data)
        if index >= 0:
            self.value_box.setCurrentIndex(index)
        return index >= 0

    def value(self) -> Any:
        text = self.value_box.currentText()
        index = self.value_box.findText(text)
        if index >= 0 and self.value_box.itemData(index) is not None:
            return self.value_box.itemData(index)
        return coerce(text, self.current)
