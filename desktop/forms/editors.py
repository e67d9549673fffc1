"""Input widgets for the item types of a form template, with the level colour of their value."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from shared.forms.schema import Item

TOUCH = 34  # minimum height of a touch target (px)
LEVEL_STYLE = {"normal": "", "warn": "background:#FFF1B8;", "alarm": "background:#FFC9C9;"}


def label_text(label: Any, lang: str) -> str:
    return label.text(lang)


class ItemEditor(QWidget):
    """One value of an item (for a per-point item: one point)."""

    changed = Signal()

    def __init__(self, item: Item, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.level = "normal"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.inputs: list[QWidget] = []
        self.group: QButtonGroup | None = None
        self.buttons: dict[str, QRadioButton] = {}
        self.checks: dict[str, QCheckBox] = {}
        kind = item.type
        if kind == "CHK":
            ok, bad = item.chk_labels()
            self.group = QButtonGroup(self)
            for code, text in (("ok", ok.text(lang)), ("abnormal", bad.text(lang)), ("na", "不适用" if lang == "zh"
                                                                                       else "N/A")):
                button = QRadioButton(text)
                button.setObjectName(f"chk_{code}")
                button.setMinimumHeight(TOUCH)
                self.group.addButton(button)
                self.buttons[code] = button
                layout.addWidget(button)
                button.toggled.connect(self._emit)
        elif kind == "NUM":
            self.edit = QLineEdit()
            validator = QDoubleValidator(self)
            validator.setLocale(QLocale.c())
            self.edit.setValidator(validator)
            self.edit.setPlaceholderText(item.unit)
            self.edit.setMaximumWidth(140)
            self.edit.textChanged.connect(self._emit)
            self.edit.returnPressed.connect(self.focusNextChild)
            layout.addWidget(self.edit)
            if item.unit:
                layout.addWidget(QLabel(item.unit))
        elif kind == "SEL":
            self.combo = QComboBox()
            self.combo.addItem("", None)
            for option in item.options:
                self.combo.addItem(option.label.text(lang), option.code)
            self.combo.currentIndexChanged.connect(self._emit)
            layout.addWidget(self.combo)
        elif kind == "MSEL":
            for option in item.options:
                box = QCheckBox(option.label.text(lang))
                box.setMinimumHeight(TOUCH)
                box.toggled.connect(self._emit)
                self.checks[option.code] = box
                layout.addWidget(box)
        elif kind == "DT":
            self.edit = QLineEdit()
            self.edit.setPlaceholderText("2026-11-27T08:30")
            self.edit.setMaximumWidth(170)
            self.edit.textChanged.connect(self._emit)
            self.now_button = QPushButton("现在" if lang == "zh" else "Now")
            self.now_button.setMinimumHeight(TOUCH)
            self.now_button.clicked.connect(
                lambda: self.edit.setText(datetime.now().isoformat(timespec="minutes")))
            layout.addWidget(self.edit)
            layout.addWidget(self.now_button)
        elif kind in ("TXT", "REF"):
            self.edit = QLineEdit()
            self.edit.textChanged.connect(self._emit)
            self.edit.returnPressed.connect(self.focusNextChild)
            layout.addWidget(self.edit)
        else:  # SIG / PHOTO / FILE: handled by the row (buttons), the editor only shows a state
            self.state_label = QLabel()
            layout.addWidget(self.state_label)
        for widget in self.findChildren(QWidget):
            widget.setMinimumHeight(max(widget.minimumHeight(), TOUCH))
        layout.addStretch(1)

    def _emit(self, *_args: Any) -> None:
        self.changed.emit()

    def value(self) -> Any:
        kind = self.item.type
        if kind == "CHK":
            return next((code for code, b in self.buttons.items() if b.isChecked()), None)
        if kind == "NUM":
            text = self.edit.text().strip()
            try:
                return float(text) if text else None
            except ValueError:
                return None
        if kind == "SEL":
            return self.combo.currentData()
        if kind == "MSEL":
            return [code for code, box in self.checks.items() if box.isChecked()] or None
        if kind in ("DT", "TXT", "REF"):
            return self.edit.text().strip() or None
        return None

    def set_value(self, value: Any) -> None:
        kind = self.item.type
        if kind == "CHK" and value in self.buttons:
            self.buttons[value].setChecked(True)
        elif kind == "NUM":
            self.edit.setText("" if value is None else f"{float(value):g}")
        elif kind == "SEL":
            self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        elif kind == "MSEL":
            for code, box in self.checks.items():
                box.setChecked(code in (value or []))
        elif kind in ("DT", "TXT", "REF"):
            self.edit.setText("" if value is None else str(value))

    def set_level(self, level: str) -> None:
        self.level = level
        self.setProperty("level", level)
        self.setStyleSheet(f"ItemEditor, QLineEdit, QComboBox {{ {LEVEL_STYLE[level]} }}" if LEVEL_STYLE[level]
                           else "")

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.findChildren(QWidget):
            widget.setEnabled(not read_only)
