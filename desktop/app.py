"""The composition root of the desktop client: arguments, QApplication, language, font, store,
login and the main window. ``main(argv)`` returns the process exit code.

    itops desktop --store DIR --lang zh|en

Exit codes: 0 normal, 2 the store could not be opened (one message box, no traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
from functools import partial
from pathlib import Path
from typing import cast

from platformdirs import user_data_dir
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import collector, ops
from desktop.admin.conflicts import AdminArea
from desktop.board.area import BoardArea
from desktop.cmdb.area import CmdbArea
from desktop.context import AppContext, SignedIn
from desktop.fonts import ensure_cjk_font
from desktop.forms.area import FormsArea
from desktop.lang import LANGS, Language, saved_lang
from desktop.login import LoginDialog
from desktop.main_window import MainWindow
from desktop.ops import Bus
from desktop.reports.area import ReportsArea
from desktop.rooms.area import RoomsArea
from desktop.service.area import ServiceArea
from desktop.sync.area import SyncArea
from desktop.sync.controller import SyncController
from desktop.tasks.area import TasksArea
from desktop.tickets.area import TicketsArea
from shared.integrity import recover_if_damaged, session_open
from shared.store import Store, StoreError

log = logging.getLogger(__name__)
EXIT_STORE = 2
MIN_THREADS = 4


def default_store_dir() -> Path:
    return Path(user_data_dir("itops")) / "store"


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="itops desktop", description="ITOps desktop client")
    parser.add_argument("--store", type=Path, default=None,
                        help=f"the local store folder (default: {default_store_dir()})")
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help="interface language (default: the saved choice, else zh)")
    return parser.parse_known_args(argv)  # the rest (e.g. -platform) goes to Qt


def build_main_window(ctx: AppContext, sync: SyncController | None = None) -> MainWindow:
    """Every area widget is made here; the main window only arranges them. The sync controller (made
    here unless given) reports to the window's status bar and is owned by it."""
    sync = sync or SyncController(ctx)
    tickets, board = TicketsArea(ctx), BoardArea(ctx)
    window = MainWindow(ctx, {"tickets": tickets, "board": board, "service": ServiceArea(ctx), "cmdb": CmdbArea(ctx),
                              "forms": FormsArea(ctx),
                              "rooms": RoomsArea(ctx), "sync": SyncArea(ctx, sync),
                              "admin": AdminArea(ctx, sync), "tasks": TasksArea(ctx), "reports": ReportsArea(ctx)})
    board.open_ticket.connect(partial(_open_in_tickets, window, tickets))
    forms, tasks = cast(FormsArea, window.area("forms")), cast(TasksArea, window.area("tasks"))
    forms.open_task.connect(partial(_open_in_tasks, window, tasks))
    sync.attach(window)
    return window


def _open_in_tickets(window: MainWindow, tickets: TicketsArea, ticket_id: str) -> None:
    """A card double-clicked on the dispatcher's board opens its ticket in the tickets area."""
    window.show_area("tickets")
    tickets.open_ticket(ticket_id)


def _open_in_tasks(window: MainWindow, tasks: TasksArea, task_id: str) -> None:
    """A plan's task occurrence double-clicked in the plans calendar opens its task in the tasks area."""
    tasks.open_task(task_id)  # before showing: the area's first load then selects it
    window.show_area("tasks")


class Launcher(QObject):
    """Shows the login dialog; on success builds and shows the main window (before the dialog hides,
    so the application never has zero windows and quits)."""

    def __init__(self, store: Store, language: Language, bus: Bus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.language = language
        self.bus = bus
        self.window: MainWindow | None = None
        self.sync: SyncController | None = None
        self.login = LoginDialog(store)
        self.login.signed_in.connect(self._on_signed_in)
        self.login.rejected.connect(self._on_login_rejected)

    def start(self) -> None:
        self.login.show()

    @Slot(object)
    def _on_signed_in(self, session: SignedIn) -> None:
        ctx = AppContext(store=self.store, bus=self.bus, language=self.language, signed_in=session)
        self.sync = SyncController(ctx)
        self.window = build_main_window(ctx, self.sync)
        self.window.show()
        self.sync.start()  # a first sync now if signed in to a server, then every few minutes

    @Slot()
    def _on_login_rejected(self) -> None:
        if self.window is None:
            QCoreApplication.exit(0)


def open_store(store_dir: Path) -> Store:
    """Opens (and migrates) the store and checks it has a node identity; raises on any problem.

    A corrupt or truncated store is moved aside and rebuilt first (shared.integrity), with one message."""
    recovery = recover_if_damaged(store_dir)
    if recovery is not None:
        log.warning("store recovered: %s", recovery.message)
        if not recovery.org_path:  # nothing left to rebuild from: the caller's one message says so
            raise StoreError(recovery.message)
    store = Store.open_dir(store_dir)
    if recovery is not None:
        QMessageBox.warning(None, "ITOps", recovery.message)
    try:
        store.node()
    except Exception:
        store.close()
        raise
    return store


def store_error_text(store_dir: Path, exc: BaseException) -> str:
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return QCoreApplication.translate(
        "app", "Cannot open the ITOps store in {path}.\n{reason}\n\n"
        "Create one with “itops demo” or “itops sync”, or choose another folder with --store.",
    ).format(path=store_dir, reason=reason)


def make_application(qt_args: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName("ITOps")
    app.setApplicationName("itops")
    collector.install(app)  # garbage collection on the GUI thread only (see desktop/collector.py)
    # Background ops include network calls that may wait for their timeout (sync, the conflict queue):
    # enough threads that local reads never queue behind them, even on a two-core PC.
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(MIN_THREADS, pool.maxThreadCount()))
    return app


def main(argv: list[str] | None = None) -> int:
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    app = make_application(qt_args)
    language = Language(app)
    language.apply(args.lang or saved_lang())
    ensure_cjk_font(app)
    store_dir = args.store or default_store_dir()
    try:
        store = open_store(store_dir)
    except Exception as exc:
        log.info("cannot open store %s: %s", store_dir, exc)
        title = QCoreApplication.translate("app", "ITOps")
        QMessageBox.critical(None, title, store_error_text(store_dir, exc))
        language.uninstall()
        return EXIT_STORE
    launcher = Launcher(store, language, Bus(app))
    launcher.start()
    with session_open(store_dir):  # a marker left by a crash makes the next start check the store fully
        try:
            return app.exec()
        finally:
            ops.wait_idle()
            store.close()
            language.uninstall()


if __name__ == "__main__":
    sys.exit(main())
