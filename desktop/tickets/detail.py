"""``TicketDetail``: the selected ticket's fields, its timeline and buttons for its actions.

Actions run ``transition`` in a background op. When the service says an action needs fields
(``Invalid("action X needs: a, b")``), a small dialog asks for them and the action is retried.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.ops import error_text, run_op
from desktop.tickets import commands
from desktop.tickets.dialogs import FieldsDialog
from desktop.tickets.labels import action_label, process_name, state_label
from desktop.tickets.queries import load_detail
from desktop.tickets.timeline import Timeline
from desktop.widgets import named

FIELDS = ("number", "process", "state", "priority", "opened_at", "caller", "description")


class TicketDetail(QWidget):
    loaded = Signal(object)  # the ticket dict just shown
    action_done = Signal(object)  # the ticket dict after an action

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ticket_id: str | None = None
        self.ticket: dict[str, Any] | None = None
        self.fields_dialog: FieldsDialog | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self._build()
        self.retranslateUi()
        ctx.bus.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.heading = named(QLabel(wordWrap=True), "heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.empty = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "empty")
        self.empty.setStyleSheet("color: gray;")
        self.form = QFormLayout()
        self.captions = {name: QLabel() for name in FIELDS}
        selectable = Qt.TextInteractionFlag.TextSelectableByMouse
        self.values = {name: named(QLabel(wordWrap=True, textInteractionFlags=selectable), f"value_{name}")
                       for name in FIELDS}
        for name in FIELDS:
            self.form.addRow(self.captions[name], self.values[name])
        self.actions_caption = QLabel()
        self.actions_row = QHBoxLayout()
        self.actions_row.addStretch(1)
        self.message = named(QLabel(wordWrap=True), "message")
        self.message.setStyleSheet("color: #b00020;")
        self.history_caption = QLabel()
        self.timeline = Timeline(self.ctx.language)
        left = QVBoxLayout()
        left.addLayout(self.form)
        left.addWidget(self.actions_caption)
        left.addLayout(self.actions_row)
        left.addWidget(self.message)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.history_caption)
        right.addWidget(self.timeline, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.heading)
        layout.addLayout(columns, 1)
        self._set_visible(False)

    def _set_visible(self, has_ticket: bool) -> None:
        self.empty.setVisible(not has_ticket)
        for widget in (self.heading, self.actions_caption, self.history_caption, self.timeline,
                       *self.captions.values(), *self.values.values()):
            widget.setVisible(has_ticket)

    def retranslateUi(self) -> None:
        self.empty.setText(self.tr("Select a ticket to see its details."))
        captions = (self.tr("Number"), self.tr("Process"), self.tr("State"), self.tr("Priority"),
                    self.tr("Opened"), self.tr("Caller"), self.tr("Description"))
        for name, text in zip(FIELDS, captions, strict=True):
            self.captions[name].setText(text)
        self.actions_caption.setText(self.tr("Actions"))
        self.history_caption.setText(self.tr("History"))
        if self.ticket is not None:
            self._fill(self.ticket)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # --- loading --------------------------------------------------------------------------------
    def show_ticket(self, ticket_id: str | None) -> None:
        if ticket_id == self.ticket_id and self.ticket is not None:
            return
        self.ticket_id = ticket_id
        self.message.clear()
        if ticket_id is None:
            self.ticket = None
            self.timeline.set_ticket(None)
            self._set_visible(False)
            return
        self.reload()

    def reload(self) -> None:
        if self.ticket_id is None:
            return
        store, actor, ticket_id = self.ctx.store, self.ctx.actor, self.ticket_id
        run_op(self, partial(load_detail, store, actor, ticket_id), partial(self._on_loaded, ticket_id))

    def _on_loaded(self, ticket_id: str, ticket: dict[str, Any]) -> None:
        if ticket_id != self.ticket_id:
            return  # the selection moved on meanwhile
        self.ticket = ticket
        self._fill(ticket)
        self._set_visible(True)
        self.loaded.emit(ticket)

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if "tickets" in entities and self.ticket_id is not None:
            self.reload()

    def _fill(self, ticket: dict[str, Any]) -> None:
        lang, code = self.ctx.lang, ticket["process"]
        self.heading.setText(ticket["title"])
        shown = {
            "number": ticket["number"], "process": process_name(code, lang),
            "state": state_label(code, ticket["state"], lang),
            "priority": self.tr("{priority} (impact {impact}, urgency {urgency})").format(
                priority=ticket["priority"], impact=ticket["impact"], urgency=ticket["urgency"]),
            "opened_at": local_time(ticket.get("opened_at")),
            "caller": ticket.get("authors", {}).get(ticket.get("caller_id"), ""),
            "description": ticket.get("description") or "—",
        }
        for name, text in shown.items():
            self.values[name].setText(str(text))
        self.timeline.set_ticket(ticket)
        self._rebuild_actions(code, ticket["actions"], lang)

    def _rebuild_actions(self, code: str, actions: list[str], lang: str) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for i, action in enumerate(actions):
            button = named(QPushButton(action_label(code, action, lang)), f"action_{action}")
            button.clicked.connect(partial(self.run_action, action, None))
            self.actions_row.insertWidget(i, button)
            self.action_buttons[action] = button

    # --- actions --------------------------------------------------------------------------------
    def run_action(self, action: str, fields: dict[str, Any] | None = None) -> None:
        if self.ticket_id is None:
            return
        self.message.clear()
        self._enable_actions(False)
        store, actor, ticket_id = self.ctx.store, self.ctx.actor, self.ticket_id
        run_op(self, partial(commands.run_action, store, actor, ticket_id, action, fields),
               self._on_action_done, partial(self._on_action_failed, action),
               bus=self.ctx.bus, changes={"tickets"})

    def _on_action_done(self, ticket: dict[str, Any]) -> None:
        self._enable_actions(True)
        self.action_done.emit(ticket)

    def _on_action_failed(self, action: str, exc: BaseException) -> None:
        self._enable_actions(True)
        missing = commands.missing_fields(exc)
        if not missing:
            self.message.setText(error_text(exc))
            return
        code = self.ticket["process"] if self.ticket else ""
        dialog = FieldsDialog(action_label(code, action, self.ctx.lang), missing, self)
        dialog.finished.connect(partial(self._on_fields_dialog_done, action, dialog))
        self.fields_dialog = dialog
        dialog.open()

    def _on_fields_dialog_done(self, action: str, dialog: FieldsDialog, result: int) -> None:
        self.fields_dialog = None
        dialog.deleteLater()
        if result == FieldsDialog.DialogCode.Accepted:
            self.run_action(action, dialog.values())

    def _enable_actions(self, enabled: bool) -> None:
        for button in self.action_buttons.values():
            button.setEnabled(enabled)

