"""``EntryForm``: create and edit one catalogue entry, with editors built from the kind's fields.

An entry owned by an ancestor org unit is shown read-only ("inherited from …"); "Override here"
starts a new entry of the same code for the user's own unit (the nearest unit's entry wins).
Save runs in a background op; the service's refusal is shown as its one-line message.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import error_text, run_op
from desktop.service import commands
from desktop.service.editors import make_editor
from desktop.service.labels import field_label, kind_name, org_label
from desktop.widgets import named
from shared.services.catalog import kind_fields

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "background: #fff4d6; border: 1px solid #e0c060; padding: 6px;"


class EntryForm(QWidget):
    saved = Signal(object)  # the entry dict after a create or an update
    deleted = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = "service"
        self.options: dict[str, Any] = {}
        self.entry: dict[str, Any] | None = None  # None: a new entry
        self.editors: dict[str, Any] = {}
        self.captions: dict[str, QLabel] = {}
        self.confirm: QMessageBox | None = None
        self._view = 0  # counts what the form shows: a save's result never lands on another entry
        self._build()
        self.retranslateUi()

    def _build(self) -> None:
        self.heading = named(QLabel(), "form_heading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.inherited = named(QLabel(wordWrap=True), "inherited_note")
        self.inherited.setStyleSheet(NOTE_STYLE)
        self.code = named(QLineEdit(), "code")
        self.name = named(QLineEdit(), "name")
        self.name_en = named(QLineEdit(), "name_en")
        self.owner = named(QComboBox(), "owner")
        self.active = named(QCheckBox(), "active")
        self.fixed_captions = [QLabel() for _ in range(5)]
        self.fixed = QFormLayout()
        for caption, widget in zip(self.fixed_captions, (self.code, self.name, self.name_en, self.owner,
                                                         self.active), strict=True):
            self.fixed.addRow(caption, widget)
        self.error = named(QLabel(wordWrap=True), "form_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.info = named(QLabel(wordWrap=True), "form_info")
        self.info.setStyleSheet("color: #1b5e20;")
        self.save_button = named(QPushButton(), "save_entry")
        self.delete_button = named(QPushButton(), "delete_entry")
        self.override_button = named(QPushButton(), "override_entry")
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.ask_delete)
        self.override_button.clicked.connect(self.override_here)
        buttons = QHBoxLayout()
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.inherited)
        layout.addLayout(self.fixed)  # the fixed rows, then one row per field of the kind
        layout.addWidget(self.error)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addStretch(1)

    # --- structure -----------------------------------------------------------------------------------
    def set_options(self, options: dict[str, Any]) -> None:
        """New reference lists (teams, CIs, orgs, entries): rebuild the editors, keep what is shown."""
        self.options = options
        self._fill_owners()
        self._rebuild(keep=True)

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self._rebuild(keep=False)
        self.new_entry()

    def _fill_owners(self) -> None:
        current = self.owner.currentData()
        self.owner.clear()
        for path in sorted(self.options.get("orgs", {})):
            if path.startswith(self.ctx.actor.org_path):
                indent = "    " * (path.count("/") - self.ctx.actor.org_path.count("/"))
                self.owner.addItem(indent + org_label(self.options["orgs"], path, self.ctx.lang), path)
        self.owner.setCurrentIndex(max(0, self.owner.findData(current or self.ctx.actor.org_path)))

    def _rebuild(self, keep: bool) -> None:
        values = self._data_values() if keep else {}
        while self.fixed.rowCount() > len(self.fixed_captions):
            self.fixed.removeRow(len(self.fixed_captions))
        self.editors, self.captions = {}, {}
        for name, spec in kind_fields(self.kind).items():
            editor = make_editor(spec, self.options, self.ctx.lang)
            self.captions[name] = QLabel(field_label(spec, self.ctx.lang))
            self.fixed.addRow(self.captions[name], editor)
            self.editors[name] = editor
        for name, value in values.items():
            if name in self.editors and value is not None:
                self.editors[name].set_value(value)
        self._apply_mode()

    # --- showing ----------------------------------------------------------------------------------------
    def new_entry(self, template: dict[str, Any] | None = None) -> None:
        """An empty form, or a copy of ``template`` (its code and fields) to save for one's own unit."""
        self.entry = None
        self._view += 1
        self.error.clear()
        self.info.clear()
        source = template or {}
        self.code.setText(str(source.get("code", "")))
        self.name.setText(str(source.get("name", "")))
        self.name_en.setText(str(source.get("name_en", "")))
        self.owner.setCurrentIndex(max(0, self.owner.findData(self.ctx.actor.org_path)))
        self.active.setChecked(True)
        data = source.get("data") or {}
        for name, editor in self.editors.items():
            editor.set_value(data.get(name))
        self._apply_mode()

    def show_entry(self, entry: dict[str, Any]) -> None:
        if self.entry is None or self.entry["id"] != entry["id"]:
            self._view += 1
            self.error.clear()  # messages stay while the same entry is refreshed after a write
            self.info.clear()
        self.entry = entry
        self.code.setText(entry["code"])
        self.name.setText(entry["name"])
        self.name_en.setText(entry.get("name_en") or "")
        index = self.owner.findData(entry["owner_path"])
        if index < 0:
            self.owner.addItem(org_label(self.options.get("orgs", {}), entry["owner_path"], self.ctx.lang),
                               entry["owner_path"])
            index = self.owner.count() - 1
        self.owner.setCurrentIndex(index)
        self.active.setChecked(bool(entry.get("active", True)))
        data = entry.get("data") or {}
        for name, editor in self.editors.items():
            editor.set_value(data.get(name))
        self._apply_mode()

    @property
    def read_only(self) -> bool:
        return self.entry is not None and not self.entry.get("editable", True)

    def _apply_mode(self) -> None:
        new, read_only = self.entry is None, self.read_only
        self.code.setReadOnly(not new)  # the code is the entry's identity across org units
        for edit in (self.name, self.name_en):
            edit.setReadOnly(read_only)
        self.owner.setEnabled(new)
        self.active.setEnabled(not new and not read_only)
        for editor in self.editors.values():
            editor.set_read_only(read_only)
        self.save_button.setVisible(not read_only)
        self.delete_button.setVisible(not new and not read_only)
        self.override_button.setVisible(read_only)
        self.inherited.setVisible(read_only)
        self._update_texts()

    def _update_texts(self) -> None:
        kind = kind_name(self.kind, self.ctx.lang)
        if self.entry is None:
            self.heading.setText(self.tr("New {kind}").format(kind=kind))
        else:
            self.heading.setText(self.tr("{kind} {code}").format(kind=kind, code=self.entry["code"]))
        if self.read_only and self.entry is not None:
            org = org_label(self.options.get("orgs", {}), self.entry["owner_path"], self.ctx.lang)
            note = self.tr("Inherited from {org}: it applies to your unit and is read-only here. "
                           "To change it for your unit, override it with an entry of the same code.").format(org=org)
            if self.entry.get("overridden"):
                note += " " + self.tr("Your unit already overrides it.")
            self.inherited.setText(note)

    def retranslateUi(self) -> None:
        for caption, text in zip(self.fixed_captions, (self.tr("Code"), self.tr("Name"), self.tr("English name"),
                                                       self.tr("Owned by"), self.tr("Status")), strict=True):
            caption.setText(text)
        self.save_button.setText(self.tr("Save"))
        self.delete_button.setText(self.tr("Delete"))
        self.override_button.setText(self.tr("Override for my unit"))
        self.active.setText(self.tr("Active"))
        self.active.setToolTip(self.tr("Unticked: the entry is kept but no longer applied."))
        if self.options:
            self._fill_owners()
        self._rebuild(keep=True)  # field labels and choice labels come from the definitions

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # --- actions ---------------------------------------------------------------------------------------------
    def _data_values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def values(self) -> dict[str, Any]:
        return {"code": self.code.text().strip(), "name": self.name.text().strip(),
                "name_en": self.name_en.text().strip(), "owner_path": self.owner.currentData(),
                "active": self.active.isChecked(), "data": self._data_values()}

    def save(self) -> None:
        if self.read_only:
            return
        values = self.values()
        if self.entry is None:  # a new entry stores only what is set
            values["data"] = {k: v for k, v in values["data"].items() if v is not None}
        elif not values["name"]:
            self.error.setText(self.tr("Enter a name."))
            return
        self.error.clear()
        self.info.clear()
        self.save_button.setEnabled(False)
        store, actor, kind = self.ctx.store, self.ctx.actor, self.kind
        entry_id = self.entry["id"] if self.entry is not None else None
        run_op(self, lambda: commands.save_entry(store, actor, kind, entry_id, values),
               partial(self._on_saved, self._view), partial(self._on_failed, self._view), bus=self.ctx.bus,
               changes=commands.ENTRY_CHANGES)

    def _on_saved(self, view: int, entry: dict[str, Any]) -> None:
        self.save_button.setEnabled(True)
        if view != self._view:
            return  # the user moved on to another entry meanwhile
        self.entry = {**entry, "editable": True, "overridden": False}
        self._apply_mode()
        self.info.setText(self.tr("Saved."))
        self.saved.emit(self.entry)

    def _on_failed(self, view: int, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.delete_button.setEnabled(True)
        if view == self._view:
            self.error.setText(error_text(exc))

    def override_here(self) -> None:
        if self.entry is not None:
            self.new_entry(self.entry)
            self.name.setFocus()

    def ask_delete(self) -> QMessageBox | None:
        """Window-modal confirmation (``open``, never ``exec``); deletes on Yes."""
        if self.entry is None or self.read_only:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete entry"),
                          self.tr("Delete {code} ({name})? Units below yours stop inheriting it.").format(
                              code=self.entry["code"], name=self.entry["name"]),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirm_delete")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: self.delete() if button is yes else None)
        self.confirm = box
        box.open()
        return box

    def delete(self) -> None:
        if self.entry is None or self.read_only:
            return
        entry_id, store, actor = self.entry["id"], self.ctx.store, self.ctx.actor
        self.delete_button.setEnabled(False)
        run_op(self, lambda: commands.delete_entry(store, actor, entry_id), lambda _r: self._on_deleted(entry_id),
               partial(self._on_failed, self._view), bus=self.ctx.bus, changes=commands.ENTRY_CHANGES)

    def _on_deleted(self, entry_id: str) -> None:
        self.delete_button.setEnabled(True)
        self.new_entry()
        self.info.setText(self.tr("Deleted."))
        self.deleted.emit(entry_id)
