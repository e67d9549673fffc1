"""Dialogs of the tickets area, all built from the process definition's typed fields: a new ticket
(its ``create_fields``), an action (exactly its required and ``when`` fields), editing a ticket.

Each runs its write in a background op and stays open with the service's one-line message when
the write is refused; it accepts only when the write succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import error_text, run_op
from desktop.tickets import commands
from desktop.tickets.editors import FieldEditor, make_editor
from desktop.tickets.fields import field_def, joined, label, one_line, to_service
from desktop.tickets.options import OptionsCache
from desktop.widgets import named
from shared.processes.definition import FieldDef
from shared.processes.engine import process, processes

OK_CANCEL = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel


@dataclass(frozen=True)
class FieldSpec:
    fd: FieldDef
    required: bool = False
    allowed: tuple[Any, ...] = ()
    initial: Any = None


class FieldsForm(QWidget):
    """A form of typed editors; ``values()`` in the services' form, ``missing()`` the empty required ones."""

    def __init__(self, ctx: AppContext, options: OptionsCache, names: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.options = options
        self.names = names or {}
        self.specs: list[FieldSpec] = []
        self.editors: dict[str, FieldEditor] = {}
        self.captions: dict[str, QLabel] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)

    def set_fields(self, specs: list[FieldSpec]) -> None:
        keep = {name: editor.value() for name, editor in self.editors.items()}
        while self.form.rowCount():
            self.form.removeRow(0)
        self.specs = specs
        self.editors, self.captions = {}, {}
        for spec in specs:
            name = spec.fd.name
            editor = named(make_editor(spec.fd, self.ctx, self.options.options, self.names, spec.required,
                                       spec.allowed), f"field_{name}")
            initial = keep.get(name, spec.initial)
            if initial not in (None, "", []):
                editor.set_value(initial)
            caption = QLabel(label(spec.fd, self.ctx.lang) + (" *" if spec.required else ""))
            self.form.addRow(caption, editor)
            self.editors[name], self.captions[name] = editor, caption

    def values(self, only_filled: bool = False) -> dict[str, Any]:
        result = {}
        for spec in self.specs:
            editor = self.editors[spec.fd.name]
            if only_filled and editor.is_empty():
                continue
            result[spec.fd.name] = to_service(spec.fd, editor.value())
        return result

    def missing(self) -> list[str]:
        return [self.captions[s.fd.name].text().removesuffix(" *") for s in self.specs
                if s.required and self.editors[s.fd.name].is_empty()]


class FieldsDialog(QDialog):
    """Asks for fields, then runs ``make_op(values)()`` in a background op; accepts when it succeeds."""

    def __init__(self, ctx: AppContext, options: OptionsCache, title: str, specs: list[FieldSpec],
                 make_op: Callable[[dict[str, Any]], Callable[[], Any]], names: dict[str, str] | None = None,
                 intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.make_op = make_op
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.intro = QLabel(intro, wordWrap=True)
        self.intro.setVisible(bool(intro))
        self.fields = FieldsForm(ctx, options, names)
        self.fields.set_fields(specs)
        self.edits = self.fields.editors
        self.error = named(QLabel(wordWrap=True), "error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(OK_CANCEL)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def submit(self) -> None:
        missing = self.fields.missing()
        if missing:
            fields = joined(missing, self.ctx.lang, enumeration=True)
            self.show_error(self.tr("Fill in: {fields}").format(fields=fields))
            return
        self.buttons.setEnabled(False)
        run_op(self, self.make_op(self.fields.values()), self._on_done, self._on_failed,
               bus=self.ctx.bus, changes={"tickets", "ticket_entries"})

    def _on_done(self, result: Any) -> None:
        self.result_value = result
        self.buttons.setEnabled(True)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.show_error(one_line(error_text(exc)))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class NewTicketDialog(QDialog):
    """A new ticket of any process: the form follows the chosen process's ``create_fields``."""

    def __init__(self, ctx: AppContext, options: OptionsCache, process_code: str = "incident",
                 prefill: dict[str, Any] | None = None, link_to: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.options = options
        self.prefill = dict(prefill or {})
        self.link_to = list(link_to or [])
        self.created: dict[str, Any] | None = None
        self.process = named(QComboBox(), "process")
        for code in sorted(processes()):
            self.process.addItem(code, code)
        self.process.setCurrentIndex(max(0, self.process.findData(process_code)))
        self.fields = FieldsForm(ctx, options)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.fields)
        scroll.setMinimumHeight(380)
        self.links_note = named(QLabel(wordWrap=True), "links_note")
        self.links_note.setVisible(bool(self.link_to))
        self.error = named(QLabel(wordWrap=True), "error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(OK_CANCEL)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.process_caption = QLabel()
        top = QFormLayout()
        top.addRow(self.process_caption, self.process)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.links_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.process.currentIndexChanged.connect(self._build_fields)
        options.updated.connect(self._build_fields)
        self._build_fields()
        self.retranslateUi()

    @property
    def edits(self) -> dict[str, FieldEditor]:
        return self.fields.editors

    def _build_fields(self) -> None:
        proc = process(self.process.currentData())
        specs = []
        for name in ("title", *[n for n in proc.create_fields if n != "title"]):
            default = {"impact": 3, "urgency": 3, "caller_id": self.ctx.actor.user_id}.get(name)
            initial = self.prefill.get(name, default)
            specs.append(FieldSpec(field_def(proc, name), name in ("title", "impact", "urgency"), (),
                                   str(initial) if name in ("impact", "urgency") else initial))
        self.fields.set_fields(specs)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("New ticket"))
        self.process_caption.setText(self.tr("Process"))
        for i in range(self.process.count()):
            code = self.process.itemData(i)
            self.process.setItemText(i, processes()[code].name.get(self.ctx.lang, code))
        tickets = joined(self.link_to, self.ctx.lang)
        self.links_note.setText(self.tr("Will be linked to: {tickets}").format(tickets=tickets))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        self._build_fields()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def submit(self) -> None:
        values = self.fields.values(only_filled=True)
        title = str(values.pop("title", "")).strip()
        if not title:
            self._show_error(self.tr("Enter a title"))
            return
        store, actor, code, link_to = self.ctx.store, self.ctx.actor, self.process.currentData(), self.link_to
        self.buttons.setEnabled(False)
        run_op(self, lambda: commands.create(store, actor, code, title, values, link_to), self._on_created,
               self._on_failed, bus=self.ctx.bus, changes={"tickets", "ticket_entries"})

    def _on_created(self, ticket: dict[str, Any]) -> None:
        self.created = ticket
        self.buttons.setEnabled(True)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._show_error(one_line(error_text(exc)))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
