"""Fixtures for the desktop tests: a small real store, a signed-in context, the main window.

The store is built once per session (argon2 and migrations are slow) and copied for each test.
QSettings go to a temporary folder so tests never touch the developer's settings.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop import ops
from desktop.app import build_main_window
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.login import sign_in
from desktop.main_window import MainWindow
from desktop.ops import Bus
from shared.services import org, tickets, users
from shared.services.actor import SYSTEM
from shared.store import Store

USERNAME, PASSWORD = "lh_desk", "password-123"
LH = "/HQ/GD/SZ/LH/"
TITLES = ("打印机卡纸", "邮箱无法登录", "网络中断")  # incidents; plus one request below
REQUEST_TITLE = "申请新电脑"
OTHER_COUNTY_TITLE = "福田的工单"  # owned by a sibling county: lh_desk must not see it
VISIBLE = 4


def build_store(path: Path) -> None:
    store = Store.open_dir(path, create=True)
    store.init_node("client", LH)
    with store.write() as cs:
        for p, name, name_en in (("/HQ/", "集团总部", "Group HQ"), ("/HQ/GD/", "广东", "Guangdong"),
                                 ("/HQ/GD/SZ/", "深圳", "Shenzhen"), (LH, "龙华", "Longhua"),
                                 ("/HQ/GD/SZ/FT/", "福田", "Futian")):
            org.add_org(cs, p, name, name_en)
        users.add_user(cs, USERNAME, PASSWORD, LH, ["service_desk"], full_name="李明")
    with store.read() as session:
        actor = users.authenticate(session, USERNAME, PASSWORD)
    with store.write(actor.user_id) as cs:
        for i, title in enumerate(TITLES):
            tickets.create_ticket(cs, actor, "incident", title, {"description": f"描述 {i}", "impact": 2,
                                                                 "urgency": i % 3 + 1})
        tickets.create_ticket(cs, actor, "request", REQUEST_TITLE, {})
    with store.write() as cs:
        tickets.create_ticket(cs, SYSTEM, "incident", OTHER_COUNTY_TITLE, {}, owner_path="/HQ/GD/SZ/FT/")
    store.close()


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "store"
    build_store(path)
    return path


@pytest.fixture(scope="session", autouse=True)
def qt_settings(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = str(tmp_path_factory.mktemp("settings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    qapp.setOrganizationName("ITOps-tests")
    qapp.setApplicationName("itops-tests")


@pytest.fixture
def store_dir(template_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(template_store, path)
    return path


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    store = Store.open_dir(store_dir)
    yield store
    ops.wait_idle()
    store.close()


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Language]:
    language = Language()
    language.apply("zh")
    yield language
    language.uninstall()
    language.deleteLater()


@pytest.fixture(scope="session")
def signed_in(template_store: Path) -> SignedIn:
    """Plain data, valid for every copy of the template (argon2 takes ~0.1 s: do it once)."""
    store = Store.open_dir(template_store)
    try:
        return sign_in(store, USERNAME, PASSWORD)
    finally:
        store.close()


@pytest.fixture
def ctx(store: Store, language: Language, signed_in: SignedIn) -> AppContext:
    return AppContext(store=store, bus=Bus(), language=language, signed_in=signed_in)


@pytest.fixture
def window(qtbot, ctx: AppContext) -> MainWindow:  # type: ignore[no-untyped-def]
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    model = window.area("tickets").model
    qtbot.waitUntil(lambda: model.rowCount() == VISIBLE)
    return window
