"""The detail pane of one conflict: base, server and client values with both authors."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from desktop.admin import labels
from desktop.admin.api import Queue
from desktop.formatting import local_time
from desktop.widgets import named

FIELDS = ("kind", "record", "field", "reason", "base_value", "server_value", "server_author", "client_value",
          "client_author", "status", "created_at")


class ConflictDetail(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_detail")
        self.conflict: dict[str, Any] | None = None
        self.queue = Queue("", [])
        self.record_label = ""
        form = QFormLayout(self)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in FIELDS:
            self.captions[key] = QLabel()
            self.values[key] = named(QLabel(wordWrap=True), f"detail_{key}")
            self.values[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(self.captions[key], self.values[key])
        for key in ("server_value", "client_value"):
            font = self.values[key].font()
            font.setBold(True)
            self.values[key].setFont(font)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Conflict"))
        captions = {"kind": self.tr("Kind"), "record": self.tr("Record"), "field": self.tr("Field"),
                    "reason": self.tr("Reason"), "base_value": self.tr("Common base value"),
                    "server_value": self.tr("Server value"), "server_author": self.tr("Server value by"),
                    "client_value": self.tr("Client value"), "client_author": self.tr("Client value by"),
                    "status": self.tr("Status"), "created_at": self.tr("Created")}
        for key, text in captions.items():
            self.captions[key].setText(text)
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def show_conflict(self, conflict: dict[str, Any] | None, queue: Queue, record_label: str = "") -> None:
        self.conflict, self.queue, self.record_label = conflict, queue, record_label
        self._fill()

    def _fill(self) -> None:
        c = self.conflict
        if c is None:
            for label in self.values.values():
                label.clear()
            self.values["kind"].setText(self.tr("Select a conflict in the list."))
            return
        names = self.queue.names
        texts = {
            "kind": labels.kind_name(c.get("kind", "")), "record": self.record_label,
            "field": labels.field_name(c.get("field") or "") or "—",
            "reason": labels.reason_text(c.get("reason") or "") or "—",
            "base_value": labels.value_text(c.get("base_value"), names),
            "server_value": labels.value_text(c.get("server_value"), names),
            "server_author": labels.author_text(c.get("server_author", ""), c.get("server_author", ""), names),
            "client_value": labels.value_text(c.get("client_value"), names),
            "client_author": labels.author_text(c.get("client_author", ""), c.get("client_node", ""), names),
            "status": labels.status_name(c.get("status", ""), c.get("resolution", "")),
            "created_at": local_time(c.get("created_at"), seconds=True),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
