"""The main window's status bar: who is signed in, where, and the sync state.

The sync worker (later) reports through ``set_online(bool)`` and ``set_sync_info(text)``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop.context import SignedIn
from desktop.lang import Language
from desktop.widgets import named

_ONLINE_STYLE = "color: #1b7f3b; font-weight: bold;"
_OFFLINE_STYLE = "color: #a15c00; font-weight: bold;"


class StatusBar(QStatusBar):
    def __init__(self, signed_in: SignedIn, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.signed_in = signed_in
        self.language = language
        self.online = False
        self.user_label = named(QLabel(), "status_user")
        self.org_label = named(QLabel(), "status_org")
        self.online_label = named(QLabel(), "status_online")
        self.sync_label = named(QLabel(), "status_sync")
        for label in (self.sync_label, self.user_label, self.org_label, self.online_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        self.sync_label.hide()
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.user_label.setText(self.tr("User: {name}").format(name=self.signed_in.display_name))
        self.org_label.setText(self.tr("Org: {name} {path}").format(
            name=self._org_name(), path=self.signed_in.actor.org_path))
        self.online_label.setText(self.tr("Online") if self.online else self.tr("Offline"))
        self.online_label.setStyleSheet(_ONLINE_STYLE if self.online else _OFFLINE_STYLE)

    def _org_name(self) -> str:
        org = self.signed_in.org
        if self.language.code == "en" and org.get("name_en"):
            return str(org["name_en"])
        return str(org.get("name") or "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def set_online(self, online: bool) -> None:
        self.online = online
        self.retranslateUi()

    def set_sync_info(self, text: str) -> None:
        self.sync_label.setText(text)
        self.sync_label.setVisible(bool(text))
