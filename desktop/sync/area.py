"""The Sync area: where this store syncs to, its state, "Sync now", and signing in to the server."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.sync.controller import SyncController
from desktop.sync.jobs import DEFAULT_SERVER_URL, SyncState
from desktop.widgets import named

FIELDS = ("server", "user", "scope", "last_sync", "last_error", "outbox", "cursor", "syncs")
ERROR_STYLE = "color: #b00020;"


class SyncArea(QWidget):
    def __init__(self, ctx: AppContext, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_sync")
        self.ctx = ctx
        self.controller = controller
        self.heading = named(QLabel(), "sync_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self._build_status()
        self._build_signin()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.status_box)
        layout.addWidget(self.signin_box)
        layout.addStretch(1)
        controller.state_changed.connect(self._on_state)
        controller.running_changed.connect(self._on_running)
        controller.progress_changed.connect(self.message.setText)
        controller.message.connect(self.message.setText)
        controller.signin_finished.connect(self._on_signin_finished)
        self.retranslateUi()
        self._on_state(controller.state)

    def _build_status(self) -> None:
        self.status_box = named(QGroupBox(), "sync_status")
        form = QFormLayout(self.status_box)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in FIELDS:
            self.captions[key] = QLabel()
            self.values[key] = named(QLabel(wordWrap=True), f"sync_{key}")
            self.values[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(self.captions[key], self.values[key])
        self.values["last_error"].setStyleSheet(ERROR_STYLE)
        self.sync_button = named(QPushButton(), "sync_now")
        self.sync_button.clicked.connect(self.controller.sync_now)
        self.message = named(QLabel(wordWrap=True), "sync_message")
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.message, 1)
        form.addRow(row)

    def _build_signin(self) -> None:
        self.signin_box = named(QGroupBox(), "sync_signin")
        self.signin_intro = QLabel(wordWrap=True)
        self.url = named(QLineEdit(DEFAULT_SERVER_URL), "server_url")
        self.username = named(QLineEdit(self.ctx.actor.username), "server_username")
        self.password = named(QLineEdit(echoMode=QLineEdit.EchoMode.Password), "server_password")
        self.password.returnPressed.connect(self.sign_in)
        self.signin_button = named(QPushButton(), "server_sign_in")
        self.signin_button.clicked.connect(self.sign_in)
        self.signin_error = named(QLabel(wordWrap=True), "sign_in_error")
        self.signin_error.setStyleSheet(ERROR_STYLE)
        self.signin_error.hide()
        self.signin_captions = [QLabel() for _ in range(3)]
        form = QFormLayout()
        for caption, edit in zip(self.signin_captions, (self.url, self.username, self.password), strict=True):
            form.addRow(caption, edit)
        layout = QVBoxLayout(self.signin_box)
        layout.addWidget(self.signin_intro)
        layout.addLayout(form)
        layout.addWidget(self.signin_error)
        layout.addWidget(self.signin_button, 0, Qt.AlignmentFlag.AlignLeft)

    def retranslateUi(self) -> None:
        self.heading.setText(self.tr("Synchronisation with the province server"))
        self.status_box.setTitle(self.tr("Status"))
        captions = {"server": self.tr("Server"), "user": self.tr("Signed in as"), "scope": self.tr("Scope"),
                    "last_sync": self.tr("Last sync"), "last_error": self.tr("Last error"),
                    "outbox": self.tr("Waiting to upload"), "cursor": self.tr("Cursor"),
                    "syncs": self.tr("Syncs so far")}
        for key, text in captions.items():
            self.captions[key].setText(text)
        self.sync_button.setText(self.tr("Sync now"))
        self.signin_box.setTitle(self.tr("Sign in to the server"))
        for label, text in zip(self.signin_captions, (self.tr("Server URL"), self.tr("Username"),
                                                      self.tr("Password")), strict=True):
            label.setText(text)
        self.signin_button.setText(self.tr("Sign in and sync"))
        self._on_state(self.controller.state)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _on_state(self, state: SyncState) -> None:
        none = self.tr("—")
        kind = {"client": self.tr("desktop store"), "province": self.tr("province server")}
        scope = state.scope
        values = {
            "server": state.url or self.tr("not signed in"),
            "user": state.username or none,
            "scope": f"{kind.get(scope.get('kind', ''), scope.get('kind', ''))} {scope.get('org_path', '')}".strip()
                     or none,
            "last_sync": local_time(state.last_sync_at, seconds=True) or self.tr("never"),
            "last_error": state.last_error or none,
            "outbox": self.tr("{count} changes").format(count=state.outbox),
            "cursor": state.cursor or none, "syncs": str(state.syncs),
        }
        for key, text in values.items():
            self.values[key].setText(text)
        if state.url and not self.url.isModified():
            self.url.setText(state.url)
        self._update_signin()

    def _update_signin(self) -> None:
        state, loaded = self.controller.state, self.controller.loaded
        needs = loaded and (not state.signed_in or self.controller.auth_required)
        self.signin_box.setVisible(needs)
        if self.controller.auth_required and state.signed_in:
            self.signin_intro.setText(self.tr("The server no longer accepts this store's sign-in. Sign in "
                                              "again to keep syncing."))
        else:
            self.signin_intro.setText(self.tr("This store is not signed in to a server yet. Sign in with your "
                                              "ITOps account to sync."))
        self.sync_button.setEnabled(loaded and state.signed_in and not self.controller.running)

    def _on_running(self, running: bool) -> None:
        self._update_signin()

    def sign_in(self) -> None:
        url, username, password = self.url.text().strip(), self.username.text().strip(), self.password.text()
        if not (url and username and password):
            self._on_signin_finished(self.tr("Enter the server URL, your username and your password."))
            return
        self._set_busy(True)
        self.controller.sign_in(url, username, password)

    def _on_signin_finished(self, error: str) -> None:
        self._set_busy(False)
        self.signin_error.setText(error)
        self.signin_error.setVisible(bool(error))
        if error:
            self.password.selectAll()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.password.clear()
            self.message.setText(self.tr("Signed in; syncing…"))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.url, self.username, self.password, self.signin_button):
            widget.setEnabled(not busy)
