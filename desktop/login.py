"""The login dialog: checks the username and password against the LOCAL store, off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.context import SignedIn
from desktop.ops import error_text, run_op
from desktop.widgets import named
from shared.audit.signin import sign_in_local
from shared.security import LockedOut
from shared.services.errors import Forbidden
from shared.services.org import get_org
from shared.services.users import find_user, public
from shared.store import Store
from shared.sync.codec import row_to_dict


def sign_in(store: Store, username: str, password: str) -> SignedIn:
    """Runs in a worker: the actor, the user's public fields and their org unit, as plain data."""
    actor = sign_in_local(store, username, password)  # lockout with back-off, audited
    with store.read() as session:
        user = public(find_user(session, username))
        org = get_org(session, actor.org_path)
        return SignedIn(actor, user, row_to_dict(org) if org is not None else {})


def store_location(store: Store) -> str:
    """The file of a SQLite store, else its URL."""
    if store.engine.dialect.name == "sqlite" and store.engine.url.database:
        return store.engine.url.database
    return store.url


class LoginDialog(QDialog):
    """Emits ``signed_in(SignedIn)`` and then accepts; a failure shows one line and stays open."""

    signed_in = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.result_session: SignedIn | None = None
        self._wrong_password = False
        self.username = named(QLineEdit(), "username")
        self.password = named(QLineEdit(echoMode=QLineEdit.EchoMode.Password), "password")
        self.error = named(QLabel(wordWrap=True), "error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.store_label = named(QLabel(wordWrap=True), "store")
        self.store_label.setStyleSheet("color: gray;")
        self.login_button = named(QPushButton(default=True), "login")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Enter anywhere in the dialog signs in; it must never land on Cancel (which quits the app).
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        cancel.setDefault(False)
        self.login_button.setAutoDefault(True)
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        self.username.returnPressed.connect(self.password.setFocus)
        self._build()
        self.retranslateUi()

    def _build(self) -> None:
        self.form = QFormLayout()
        self.user_caption = QLabel()
        self.password_caption = QLabel()
        self.form.addRow(self.user_caption, self.username)
        self.form.addRow(self.password_caption, self.password)
        self.heading = named(QLabel(), "heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.store_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("ITOps — Sign in"))
        self.heading.setText(self.tr("ITOps integrated IT operations"))
        self.user_caption.setText(self.tr("Username"))
        self.password_caption.setText(self.tr("Password"))
        self.login_button.setText(self.tr("Sign in"))
        self.store_label.setText(self.tr("Local store: {path}").format(path=store_location(self.store)))
        if self._wrong_password:
            self.error.setText(self.tr("Wrong username or password"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def try_login(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._show_error(self.tr("Enter your username and password"))
            return
        self._set_busy(True)
        store = self.store
        run_op(self, lambda: sign_in(store, username, password), self._on_signed_in, self._on_failed)

    def _on_signed_in(self, result: SignedIn) -> None:
        self._set_busy(False)
        self.result_session = result
        self.signed_in.emit(result)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        wrong = isinstance(exc, Forbidden)
        if isinstance(exc, LockedOut):
            text = self.tr("Too many wrong passwords: try again in {seconds} s").format(seconds=exc.retry_after)
        else:
            text = self.tr("Wrong username or password") if wrong else error_text(exc)
        self._show_error(text)
        self._wrong_password = wrong
        self.password.selectAll()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_error(self, text: str) -> None:
        self._wrong_password = False
        self.error.setText(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
