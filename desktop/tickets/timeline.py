"""A ticket's history as a list: when it happened (the event time recorded on its node, which SLA
clocks also use), who, and what changed (action and state change, edited fields with their new values,
links, escalation notices, comments)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from desktop.formatting import local_time
from desktop.lang import Language
from desktop.tickets.fields import display, field_def, label
from desktop.tickets.labels import action_label, process_name, state_label
from shared.processes.engine import DefinitionError, process
from shared.processes.sla import event_time

ESCALATION_COLOUR = "#c62828"


class Timeline(QListWidget):
    def __init__(self, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history")
        self.language = language
        self.ticket: dict[str, Any] | None = None
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def set_ticket(self, ticket: dict[str, Any] | None) -> None:
        self.ticket = ticket
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.clear()
        if self.ticket is None:
            return
        names = self.ticket.get("names", {})
        entries = sorted(self.ticket.get("entries", []), key=lambda e: (event_time(e), str(e.get("hlc") or "")))
        for entry in entries:
            who = names.get(entry.get("author_id") or "", "") or self.tr("system")
            when = local_time(event_time(entry))
            item = QListWidgetItem(f"{when}  {who}  {self.describe(entry)}")
            item.setData(Qt.ItemDataRole.UserRole, entry.get("kind"))
            if entry.get("kind") == "escalation":
                item.setForeground(QBrush(QColor(ESCALATION_COLOUR)))
            self.addItem(item)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def describe(self, entry: dict[str, Any]) -> str:
        assert self.ticket is not None
        kind, body = entry.get("kind"), str(entry.get("body") or "")
        data = entry.get("data") or {}
        lang = self.language.code
        if kind == "comment":
            return self.tr("Comment: {text}").format(text=body)
        if kind == "worklog":
            return self.tr("Work log: {text}").format(text=body)
        if kind == "escalation":
            return self.tr("Escalation: {text}").format(text=body)
        if kind == "link":
            other = str(data.get("target_number") or "")
            return self.tr("Linked to {ticket} ({process})").format(
                ticket=other, process=process_name(str(data.get("target_process") or ""), lang))
        detail = data.get("detail") or {}
        if body == "created":
            return self.tr("Created")
        if body == "updated":
            return self.tr("Updated: {fields}").format(fields=self._changes(detail))
        code = self.ticket["process"]
        text = action_label(code, body, lang)
        if "from" in detail and "to" in detail:
            text += f" ({state_label(code, detail['from'], lang)} → {state_label(code, detail['to'], lang)})"
        if detail.get("note"):
            text += f" — {detail['note']}"
        return text

    def _changes(self, detail: dict[str, Any]) -> str:
        assert self.ticket is not None
        try:
            proc = process(self.ticket["process"])
        except DefinitionError:
            return ", ".join(sorted(detail))
        lang, names = self.language.code, self.ticket.get("names", {})
        parts = []
        for key, value in detail.items():
            if key == "data" and isinstance(value, dict):
                parts += [f"{label(field_def(proc, 'data.' + k), lang)} = "
                          f"{display(field_def(proc, 'data.' + k), v, names, lang)}"
                          for k, v in value.items() if ("data." + k) in proc.fields]
            elif key not in ("priority",):
                fd = field_def(proc, key)
                parts.append(f"{label(fd, lang)} = {display(fd, value, names, lang)}")
        return "; ".join(parts) or "—"
