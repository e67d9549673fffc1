"""Typed editors for catalogue fields, one per field type of resources/catalog.yaml.

Every editor is a QWidget with ``value()`` (what the service takes: None for "not set"),
``set_value(value)`` and ``set_read_only(flag)``. References (team, CI, another kind's entry) are
combo boxes over the options the area loads (``queries.load_options``).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.service.labels import choice_label, entry_label
from desktop.widgets import named

NO_DATE = QDate(1900, 1, 1)
TIME_RANGE = re.compile(r"^(\d{1,2}:\d{2})\s*[-–~]\s*(\d{1,2}:\d{2})$")


class TextEditor(QLineEdit):
    def __init__(self, spec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec

    def value(self) -> Any:
        return self.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.setText("" if value is None else f"{value:g}" if isinstance(value, float) else str(value))

    def set_read_only(self, flag: bool) -> None:
        self.setReadOnly(flag)


class NumberEditor(TextEditor):
    """Free text with a number validator for typing; the service still checks what arrives."""

    def __init__(self, spec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        validator = QDoubleValidator(self)
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        self.setValidator(validator)


class ListEditor(TextEditor):
    """Comma-separated items; ``08:30-12:00`` becomes a pair (business hours)."""

    def value(self) -> Any:
        items = [v.strip() for v in self.text().replace("，", ",").replace("、", ",").split(",") if v.strip()]
        result: list[Any] = []
        for item in items:
            match = TIME_RANGE.match(item)
            result.append([match.group(1), match.group(2)] if match else item)
        return result or None

    def set_value(self, value: Any) -> None:
        items = value or []
        self.setText(", ".join("-".join(map(str, v)) if isinstance(v, list) else str(v) for v in items))


class BoolEditor(QCheckBox):
    def __init__(self, spec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec

    def value(self) -> Any:
        return self.isChecked()

    def set_value(self, value: Any) -> None:
        self.setChecked(bool(value))

    def set_read_only(self, flag: bool) -> None:
        self.setEnabled(not flag)


class ComboEditor(QComboBox):
    """A choice among labelled values; the first item is "not set". An unknown stored value stays
    selectable (shown as itself) so editing never loses it silently."""

    def __init__(self, spec: dict[str, Any], items: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.addItem("—", None)
        for value, text in items:
            self.addItem(text, value)
        if self.count() > 12:
            self.setEditable(True)
            self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.completer()
            if completer is not None:
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        if value in (None, ""):
            self.setCurrentIndex(0)
            return
        index = self.findData(value)
        if index < 0:
            self.addItem(str(value), value)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def set_read_only(self, flag: bool) -> None:
        self.setEnabled(not flag)


class DateEditor(QDateEdit):
    """A date with a calendar pop-up; the minimum date means "no date" (shown as —)."""

    def __init__(self, spec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("—")
        self.setDate(NO_DATE)

    def value(self) -> Any:
        return None if self.date() == NO_DATE else self.date().toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        day = QDate.fromString(str(value), "yyyy-MM-dd") if value else NO_DATE
        self.setDate(day if day.isValid() else NO_DATE)

    def set_read_only(self, flag: bool) -> None:
        self.setReadOnly(flag)
        self.setCalendarPopup(not flag)


class CiListEditor(QWidget):
    """Several CIs: a searchable picker, an Add button, the chosen list and Remove."""

    def __init__(self, spec: dict[str, Any], cis: dict[str, dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.cis = cis
        self.picker = ComboEditor(spec, [(i, _ci_text(c)) for i, c in cis.items()])
        self.add_button = named(QPushButton("+"), "add_ci")
        self.remove_button = named(QPushButton("−"), "remove_ci")
        self.chosen = named(QListWidget(), "chosen_cis")
        self.chosen.setMaximumHeight(90)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.picker, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.chosen)

    def _add(self) -> None:
        ci_id = self.picker.value()
        if ci_id and ci_id not in self._ids():
            self._append(ci_id)

    def _append(self, ci_id: str) -> None:
        ci = self.cis.get(ci_id)
        item = QListWidgetItem(_ci_text(ci) if ci else ci_id)
        item.setData(Qt.ItemDataRole.UserRole, ci_id)
        self.chosen.addItem(item)

    def _remove(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))

    def _ids(self) -> list[str]:
        return [self.chosen.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.chosen.count())]

    def value(self) -> Any:
        return self._ids() or None

    def set_value(self, value: Any) -> None:
        self.chosen.clear()
        for ci_id in value or []:
            self._append(str(ci_id))

    def set_read_only(self, flag: bool) -> None:
        for widget in (self.picker, self.add_button, self.remove_button):
            widget.setVisible(not flag)


def _ci_text(ci: dict[str, Any]) -> str:
    tag = f" [{ci['asset_tag']}]" if ci.get("asset_tag") else ""
    return f"{ci['name']}{tag}"


def make_editor(spec: dict[str, Any], options: dict[str, Any], lang: str) -> QWidget:
    """The editor for one field spec ``{name, type, zh, en, choices?, kind?}``."""
    kind = spec.get("type", "text")
    editor: QWidget
    if kind == "number":
        editor = NumberEditor(spec)
    elif kind == "bool":
        editor = BoolEditor(spec)
    elif kind == "date":
        editor = DateEditor(spec)
    elif kind == "list":
        editor = ListEditor(spec)
    elif kind == "choice":
        editor = ComboEditor(spec, [(v, choice_label(spec, v, lang)) for v in spec.get("choices", {})])
    elif kind == "team":
        teams = options.get("teams", {}).values()
        editor = ComboEditor(spec, [(t["id"], t["name"]) for t in teams])
    elif kind == "ci":
        editor = ComboEditor(spec, [(i, _ci_text(c)) for i, c in options.get("cis", {}).items()])
    elif kind == "cis":
        editor = CiListEditor(spec, options.get("cis", {}))
    elif kind == "catalog":
        entries = options.get("entries", {}).get(spec.get("kind"), {})
        editor = ComboEditor(spec, [(code, f"{code} — {entry_label(e, lang)}") if entry_label(e, lang) != code
                                    else (code, code) for code, e in sorted(entries.items())])
    else:
        editor = TextEditor(spec)
    return named(editor, f"field_{spec['name']}")
