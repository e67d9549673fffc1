"""A ticket's history as a list: when, who, what (action labels from the process definition)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QListWidget, QWidget

from desktop.formatting import local_time
from desktop.lang import Language
from desktop.tickets.labels import action_label, state_label


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
        authors = self.ticket.get("authors", {})
        for entry in self.ticket.get("entries", []):
            who = authors.get(entry.get("author_id"), "") or self.tr("system")
            when = local_time(entry.get("created_at"))
            self.addItem(f"{when}  {who}  {self.describe(entry)}")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def describe(self, entry: dict[str, Any]) -> str:
        assert self.ticket is not None
        kind, body = entry.get("kind"), str(entry.get("body") or "")
        if kind == "comment":
            return self.tr("Comment: {text}").format(text=body)
        if kind == "worklog":
            return self.tr("Work log: {text}").format(text=body)
        detail = (entry.get("data") or {}).get("detail") or {}
        if body == "created":
            return self.tr("Created")
        if body == "updated":
            return self.tr("Updated: {fields}").format(fields=", ".join(sorted(detail)))
        code, lang = self.ticket["process"], self.language.code
        text = action_label(code, body, lang)
        if "from" in detail and "to" in detail:
            text += f" ({state_label(code, detail['from'], lang)} → {state_label(code, detail['to'], lang)})"
        return text
