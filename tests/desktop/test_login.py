"""The login dialog authenticates against the local store in a background op."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.context import SignedIn
from desktop.lang import Language
from desktop.login import LoginDialog
from shared.store import Store
from tests.desktop.conftest import LH, PASSWORD, USERNAME


def make_dialog(qtbot, store: Store) -> LoginDialog:  # type: ignore[no-untyped-def]
    dialog = LoginDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_wrong_password_shows_the_error_and_the_dialog_stays(qtbot, store: Store,  # type: ignore[no-untyped-def]
                                                              language: Language) -> None:
    dialog = make_dialog(qtbot, store)
    dialog.username.setText(USERNAME)
    dialog.password.setText("wrong-password")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.login_button.isEnabled())
    assert dialog.error.text() == "用户名或密码错误"
    assert dialog.isVisible()
    assert dialog.result_session is None
    language.apply("en")
    assert dialog.error.text() == "Wrong username or password"
    assert dialog.login_button.text() == "Sign in"


def test_unknown_user_gets_the_same_message(qtbot, store: Store, language: Language) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store)
    dialog.username.setText("nobody")
    dialog.password.setText(PASSWORD)
    dialog.try_login()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text() == "用户名或密码错误"


def test_empty_fields_are_refused_without_a_query(qtbot, store: Store, language: Language) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store)
    dialog.try_login()
    assert dialog.error.text() == "请输入用户名和密码"
    assert dialog.login_button.text() == "登录"
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "取消"  # Qt's own qtbase_zh_CN translator


def test_right_password_signs_in_with_user_and_org(qtbot, store: Store, language: Language) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, store)
    dialog.username.setText(USERNAME)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # a real Enter: the default button signs in
    session = blocker.args[0]
    assert isinstance(session, SignedIn)
    assert session.actor.org_path == LH
    assert session.user["full_name"] == "李明" and "password_hash" not in session.user
    assert session.org["name"] == "龙华"
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == LoginDialog.DialogCode.Accepted
