"""The composition root: store errors, the login → main window flow, the whole main() loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import app as app_module
from desktop.app import EXIT_STORE, Launcher, main
from desktop.lang import Language
from desktop.login import LoginDialog
from desktop.main_window import MainWindow
from desktop.ops import Bus
from shared.store import Store
from tests.desktop.conftest import PASSWORD, USERNAME, VISIBLE


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def critical(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


def test_missing_store_is_one_message_and_exit_code_2(tmp_path: Path, message_boxes: list[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["--store", str(missing), "--lang", "en"]) == EXIT_STORE
    assert len(message_boxes) == 1
    assert str(missing) in message_boxes[0] and "Traceback" not in message_boxes[0]
    assert not missing.exists()  # never created behind the user's back


def test_corrupt_store_is_one_message_and_exit_code_2(tmp_path: Path, message_boxes: list[str]) -> None:
    (tmp_path / "itops.db").write_bytes(b"this is not a database" * 100)
    assert main(["--store", str(tmp_path), "--lang", "zh"]) == EXIT_STORE
    assert len(message_boxes) == 1 and "无法打开" in message_boxes[0]


def test_login_then_main_window(qtbot, store: Store, language: Language) -> None:  # type: ignore[no-untyped-def]
    launcher = Launcher(store, language, Bus())
    qtbot.addWidget(launcher.login)
    launcher.start()
    launcher.login.username.setText(USERNAME)
    launcher.login.password.setText(PASSWORD)
    launcher.login.login_button.click()
    qtbot.waitUntil(lambda: launcher.window is not None and launcher.window.isVisible(), timeout=10_000)
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    assert not launcher.login.isVisible()
    assert "李明" in window.status.user_label.text()
    qtbot.waitUntil(lambda: window.area("tickets").model.rowCount() == VISIBLE)


def test_main_runs_login_and_window_until_closed(qtbot, store_dir: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "saved_lang", lambda: "zh")

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, LoginDialog) and widget.isVisible() and not widget.username.text():
                widget.username.setText(USERNAME)
                widget.password.setText(PASSWORD)
                widget.try_login()
            if isinstance(widget, MainWindow) and widget.isVisible():
                model = widget.area("tickets").model
                if model.rowCount() == VISIBLE and "rows" not in seen:
                    seen.update(rows=model.rowCount(), nav=widget.nav.item(0).text())
                    widget.close()

    timer = QTimer(interval=20)
    timer.timeout.connect(drive)
    timer.start()
    QTimer.singleShot(30_000, QApplication.quit)  # never hang the suite
    try:
        code = main(["--store", str(store_dir)])
    finally:
        timer.stop()
    assert code == 0
    assert seen == {"rows": VISIBLE, "nav": "工单"}
