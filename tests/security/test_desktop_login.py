"""The desktop's offline sign-in: lockout after five wrong passwords, one translated line, audited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop.lang import Language
from desktop.login import LoginDialog
from shared.models.audit import AuditEvent
from shared.store import Store
from tests.desktop.conftest import (  # noqa: F401  (fixtures)
    PASSWORD,
    USERNAME,
    language,
    qt_settings,
    store,
    store_dir,
    template_store,
)


def _attempt(qtbot, dialog: LoginDialog, password: str) -> str:  # type: ignore[no-untyped-def]
    dialog.username.setText(USERNAME)
    dialog.password.setText(password)
    dialog.error.hide()
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.login_button.isEnabled())
    return dialog.error.text()


def test_sixth_attempt_shows_the_lockout_and_is_refused(qtbot, store: Store,  # type: ignore[no-untyped-def]  # noqa: F811
                                                        language: Language) -> None:  # noqa: F811
    dialog = LoginDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(5):
        assert _attempt(qtbot, dialog, "wrong-password") == "用户名或密码错误"
    text = _attempt(qtbot, dialog, PASSWORD)  # the right password, but locked
    assert text.startswith("密码错误次数过多") and "秒后重试" in text
    assert dialog.result_session is None and dialog.isVisible()
    with store.read() as s:
        events = [e.event for e in s.scalars(select(AuditEvent).where(AuditEvent.target == USERNAME)
                                             .order_by(AuditEvent.node_seq))]
    assert events[-6:] == ["login_failed"] * 5 + ["login_locked"]


def test_a_damaged_store_is_rebuilt_at_start_with_one_message(store_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from desktop.app import open_store

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    path = store_dir / "itops.db"
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='tickets'").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as f:  # a torn write in the middle of the tickets table
        f.seek((root - 1) * page)
        f.write(b"\x00\xff" * (page // 2))
    opened = open_store(store_dir)
    try:
        assert len(shown) == 1 and "moved to" in shown[0] and "Sign in" in shown[0]
        assert opened.node()["org_path"] == "/HQ/GD/SZ/LH/"  # the same office, a new node
        assert list(store_dir.glob("itops.db.corrupt-*"))  # the damaged file is kept
    finally:
        opened.close()
