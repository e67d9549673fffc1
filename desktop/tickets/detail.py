"""``TicketDetail``: the selected ticket's fields (with their labels), its actions, SLA clocks and
escalations, history timeline and linked tickets.

An action with required or ``when`` fields opens a typed dialog for exactly those fields (prefilled
with the ticket's values); one without runs at once. The service's refusal is one line in the
dialog or under the buttons, never a traceback.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.ops import error_text, run_op
from desktop.tickets import commands
from desktop.tickets.actions import asked_fields
from desktop.tickets.clocks import ClockPanel
from desktop.tickets.dialogs import FieldsDialog, FieldSpec
from desktop.tickets.fields import display, field_def, label, one_line, parse_datetime, to_service, value_of
from desktop.tickets.labels import action_label, process_name, state_label
from desktop.tickets.links import ArticleDialog, LinksPanel
from desktop.tickets.options import OptionsCache
from desktop.tickets.queries import load_detail
from desktop.tickets.timeline import Timeline
from desktop.widgets import named
from shared.processes.definition import FieldDef
from shared.processes.engine import process

FIXED = ("number", "process", "state", "priority", "team_id", "assignee_id", "caller_id", "ci_id", "opened_at",
         "category", "origin", "parent_id", "description")
CLOCK_REFRESH_MS = 60_000
TICKET_CHANGES = frozenset({"tickets", "ticket_entries"})  # entries: history, links, escalation notices


class TicketDetail(QWidget):
    loaded = Signal(object)  # the ticket dict just shown
    action_done = Signal(object)  # the ticket dict after an action
    open_ticket = Signal(str)  # a linked ticket was double-clicked

    def __init__(self, ctx: AppContext, options: OptionsCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.options = options or OptionsCache(ctx, self)
        self.ticket_id: str | None = None
        self.ticket: dict[str, Any] | None = None
        self.fields_dialog: QDialog | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self._build()
        self.retranslateUi()
        self.clock_timer = QTimer(self, interval=CLOCK_REFRESH_MS)
        self.clock_timer.timeout.connect(self._refresh_running_clocks)
        self.clock_timer.start()
        ctx.bus.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.heading = named(QLabel(wordWrap=True), "heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.empty = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "empty")
        self.empty.setStyleSheet("color: gray;")
        self.form_widget = QWidget()
        self.form = QFormLayout(self.form_widget)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.form_widget)
        self.actions_row = QHBoxLayout()
        self.actions_row.addStretch(1)
        self.edit_button = named(QPushButton(), "edit_ticket")
        self.link_button = named(QPushButton(), "link_ticket")
        self.article_button = named(QPushButton(), "solved_with_article")
        self.edit_button.clicked.connect(self.open_edit)
        self.link_button.clicked.connect(self.open_link)
        self.article_button.clicked.connect(self.open_article)
        tools = QHBoxLayout()
        for button in (self.edit_button, self.link_button, self.article_button):
            tools.addWidget(button)
        tools.addStretch(1)
        self.message = named(QLabel(wordWrap=True), "message")
        self.message.setStyleSheet("color: #b00020;")
        self.left = QWidget()
        left = QVBoxLayout(self.left)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(scroll, 1)
        left.addLayout(self.actions_row)
        left.addLayout(tools)
        left.addWidget(self.message)
        self.timeline = Timeline(self.ctx.language)
        self.clocks = ClockPanel()
        self.links = LinksPanel()
        self.links.open_ticket.connect(self.open_ticket)
        self.tabs = named(QTabWidget(), "detail_tabs")
        for widget in (self.timeline, self.clocks, self.links):
            self.tabs.addTab(widget, "")
        columns = QHBoxLayout()
        columns.addWidget(self.left, 1)
        columns.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.heading)
        layout.addLayout(columns, 1)
        self._set_visible(False)

    def _set_visible(self, has_ticket: bool) -> None:
        self.empty.setVisible(not has_ticket)
        for widget in (self.heading, self.left, self.tabs):
            widget.setVisible(has_ticket)

    def retranslateUi(self) -> None:
        self.empty.setText(self.tr("Select a ticket to see its details."))
        self.edit_button.setText(self.tr("Edit…"))
        self.link_button.setText(self.tr("Link…"))
        self.article_button.setText(self.tr("Solved with article…"))
        for i, text in enumerate((self.tr("History"), self.tr("SLA clocks"), self.tr("Linked tickets"))):
            self.tabs.setTabText(i, text)
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
        if entities & TICKET_CHANGES and self.ticket_id is not None:
            self.reload()

    def _refresh_running_clocks(self) -> None:
        if self.ticket and any(c["status"] == "running" for c in self.ticket.get("clocks", [])):
            self.reload()

    # --- showing --------------------------------------------------------------------------------
    def _fill(self, ticket: dict[str, Any]) -> None:
        lang, code = self.ctx.lang, ticket["process"]
        self.heading.setText(f"{ticket['number']}  {ticket['title']}")
        self._fill_form(ticket)
        self.timeline.set_ticket(ticket)
        self.clocks.set_clocks(ticket.get("clocks", []), ticket.get("escalations", []), lang)
        self.links.set_links(ticket.get("linked", []), lang)
        self.article_button.setVisible(code == "incident")
        self._rebuild_actions(code, ticket.get("offered", ticket["actions"]), lang)

    def _fill_form(self, ticket: dict[str, Any]) -> None:
        lang, code, names = self.ctx.lang, ticket["process"], ticket.get("names", {})
        proc = process(code)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.values, self.captions = {}, {}
        fixed = {
            "number": (self.tr("Number"), ticket["number"]),
            "process": (self.tr("Process"), process_name(code, lang)),
            "state": (self.tr("State"), state_label(code, ticket["state"], lang)),
            "priority": (self.tr("Priority"), self.tr("{priority} (impact {impact}, urgency {urgency})").format(
                priority=ticket["priority"], impact=ticket["impact"], urgency=ticket["urgency"])),
            "opened_at": (self.tr("Opened"), local_time(ticket.get("opened_at"))),
        }
        for name in FIXED:
            if name in fixed:
                self._add_row(name, *fixed[name])
                continue
            fd = field_def(proc, name)
            value = value_of(ticket, name)
            if value in (None, "", []) and name not in ("team_id", "caller_id", "description"):
                continue
            self._add_row(name, label(fd, lang), display(fd, value, names, lang))
        for name, fd in proc.fields.items():
            if name in self.values or not name.startswith("data."):
                continue
            value = value_of(ticket, name)
            if value in (None, "", []):
                continue
            self._add_row(name.removeprefix("data."), label(fd, lang), display(fd, value, names, lang))

    def _add_row(self, key: str, caption: str, text: str) -> None:
        value = named(QLabel(text, wordWrap=True), f"value_{key}")
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        caption_label = QLabel(caption)
        self.form.addRow(caption_label, value)
        self.values[key], self.captions[key] = value, caption_label

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
        """Ask for the action's fields if it has any (and none were given), else run it now."""
        if self.ticket_id is None or self.ticket is None:
            return
        self.message.clear()
        proc = process(self.ticket["process"])
        asked = asked_fields(proc, action, self.ticket) if fields is None else []
        if asked:
            specs = [FieldSpec(field_def(proc, a.name), True, a.allowed, value_of(self.ticket, a.name))
                     for a in asked]
            store, actor, ticket_id = self.ctx.store, self.ctx.actor, self.ticket_id
            self._open_dialog(FieldsDialog(
                self.ctx, self.options, action_label(proc.code, action, self.ctx.lang), specs,
                lambda values: partial(commands.run_action, store, actor, ticket_id, action, values),
                self.ticket.get("names", {}), parent=self))
            return
        self._enable_actions(False)
        store, actor, ticket_id = self.ctx.store, self.ctx.actor, self.ticket_id
        run_op(self, partial(commands.run_action, store, actor, ticket_id, action, fields),
               self._on_action_done, self._on_action_failed, bus=self.ctx.bus, changes=TICKET_CHANGES)

    def _open_dialog(self, dialog: QDialog) -> None:
        dialog.finished.connect(partial(self._on_dialog_done, dialog))
        self.fields_dialog = dialog
        dialog.open()

    def _on_dialog_done(self, dialog: QDialog, _result: int) -> None:
        if self.fields_dialog is dialog:
            self.fields_dialog = None
        dialog.deleteLater()

    def _on_action_done(self, ticket: dict[str, Any]) -> None:
        self._enable_actions(True)
        self.action_done.emit(ticket)

    def _on_action_failed(self, exc: BaseException) -> None:
        self._enable_actions(True)
        self.message.setText(one_line(error_text(exc)))

    def _enable_actions(self, enabled: bool) -> None:
        for button in self.action_buttons.values():
            button.setEnabled(enabled)

    # --- edit, link, article --------------------------------------------------------------------
    def open_edit(self) -> None:
        """Every field of the process, prefilled; only what was changed is written."""
        if self.ticket is None:
            return
        ticket, proc = self.ticket, process(self.ticket["process"])
        editable = ["title", *[n for n in proc.create_fields if n != "title"]]
        editable += [n for n in proc.fields if n not in editable]
        specs = [FieldSpec(field_def(proc, n), n in ("title", "impact", "urgency"), (), _initial(ticket, n))
                 for n in editable]
        specs_by = {s.fd.name: s for s in specs}
        store, actor, ticket_id = self.ctx.store, self.ctx.actor, ticket["id"]

        def make_op(values: dict[str, Any]) -> Any:
            changed = {k: v for k, v in values.items() if not _same_value(specs_by[k].fd, v, value_of(ticket, k))}
            return partial(commands.update, store, actor, ticket_id, changed)

        self._open_dialog(FieldsDialog(self.ctx, self.options, self.tr("Edit {number}").format(
            number=ticket["number"]), specs, make_op, ticket.get("names", {}), parent=self))

    def open_link(self) -> None:
        if self.ticket is None:
            return
        fd = FieldDef("other", "text", {"zh": self.tr("Ticket number"), "en": self.tr("Ticket number")})
        store, actor, ticket_id = self.ctx.store, self.ctx.actor, self.ticket["id"]
        self._open_dialog(FieldsDialog(
            self.ctx, self.options, self.tr("Link {number} to…").format(number=self.ticket["number"]),
            [FieldSpec(fd, True)], lambda values: partial(commands.link, store, actor, ticket_id, values["other"]),
            parent=self))

    def open_article(self) -> None:
        if self.ticket is not None:
            self._open_dialog(ArticleDialog(self.ctx, self.ticket["id"], self))


def _initial(ticket: dict[str, Any], name: str) -> Any:
    """A stored value as its editor takes it (impact and urgency are choice keys: text)."""
    value = value_of(ticket, name)
    return str(value) if name in ("impact", "urgency") and value is not None else value


def _same_value(fd: FieldDef, new: Any, old: Any) -> bool:
    if fd.type == "bool":
        return bool(new) == bool(old)
    if new in (None, "", []) and old in (None, "", []):
        return True
    if fd.type in ("choice", "rating") or fd.name in ("impact", "urgency"):
        return str(new) == str(old)
    if fd.type == "datetime" and old:
        return parse_datetime(new) == parse_datetime(old)
    return bool(to_service(fd, new) == old)
