"""The main window: a navigation list, a stack of area widgets, menus and the status bar.

It stays thin: the composition root (desktop.app) builds the area widgets and hands them in;
areas without a widget yet get a placeholder page.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from desktop import ops
from desktop.context import AppContext
from desktop.lang import LANGS, save_lang
from desktop.notifications.menu import install as install_information_menu
from desktop.placeholder import PlaceholderPage
from desktop.status import StatusBar
from desktop.widgets import named

AREAS = ("tickets", "board", "service", "cmdb", "forms", "rooms", "tasks", "reports", "sync", "admin")
NAV_STYLE = "QListWidget#nav { font-size: 11pt; } QListWidget#nav::item { padding: 8px 12px; }"


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, areas: dict[str, QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = named(QListWidget(), "nav")
        self.nav.setStyleSheet(NAV_STYLE)
        self.stack = named(QStackedWidget(), "areas")
        self._areas: dict[str, QWidget] = {}
        for key in AREAS:
            widget = areas.get(key) or PlaceholderPage(key)
            self._areas[key] = widget
            self.stack.addWidget(widget)
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = StatusBar(ctx.signed_in, ctx.language)
        self.setStatusBar(self.status)
        self._build_menus()
        self.information = install_information_menu(self, ctx)  # notifications, the library
        self.retranslateUi()
        self.nav.setCurrentRow(0)
        self.resize(QSize(1280, 800))

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.quit_action = named(QAction(self), "quit")
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.settings_menu = self.menuBar().addMenu("")
        self.language_menu = self.settings_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGS:
            action = named(QAction(self, checkable=True), f"lang_{lang}")
            action.setData(lang)
            action.setChecked(lang == self.ctx.language.code)
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action
        self.language_group.triggered.connect(self._on_language_action)

    def _nav_titles(self) -> dict[str, str]:
        return {
            "tickets": self.tr("Tickets"), "board": self.tr("Dispatch board"),
            "service": self.tr("Service management"), "cmdb": self.tr("CMDB"),
            "forms": self.tr("Work forms"),
            "rooms": self.tr("Machine rooms"), "tasks": self.tr("Plans / tasks"),
            "reports": self.tr("Reports"), "sync": self.tr("Sync"), "admin": self.tr("Administration"),
        }

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("ITOps — IT service management"))
        titles = self._nav_titles()
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            item.setText(titles[item.data(Qt.ItemDataRole.UserRole)])
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.settings_menu.setTitle(self.tr("&Settings"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.language_actions["zh"].setText("中文")  # each language names itself
        self.language_actions["en"].setText("English")
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0) + 24))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _on_language_action(self, action: QAction) -> None:
        self.switch_language(str(action.data()))

    def switch_language(self, lang: str) -> None:
        """Save the choice and retranslate every open widget now (no restart)."""
        save_lang(lang)
        self.language_actions[lang].setChecked(True)
        if lang != self.ctx.language.code:
            self.ctx.language.apply(lang)

    # The sync layer reports here.
    def set_online(self, online: bool) -> None:
        self.status.set_online(online)

    def set_sync_info(self, text: str) -> None:
        self.status.set_sync_info(text)

    def area(self, key: str) -> QWidget:
        return self._areas[key]

    def show_area(self, key: str) -> None:
        self.nav.setCurrentRow(AREAS.index(key))

    def closeEvent(self, event: QCloseEvent) -> None:
        ops.wait_idle(5_000)  # let running writes finish and deliver before the store closes
        super().closeEvent(event)
