"""An "Information" menu on the main window: the in-app notifications (with the unread count) and the
rules-and-standards library, each in its own window. The main window only calls :func:`install`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.library import LibraryPanel
from desktop.notifications.events import EventLogPanel
from desktop.notifications.panel import NotificationsPanel
from desktop.widgets import named


class _Holder(QWidget):
    """A top-level window around a panel (kept, so reopening is instant)."""

    def __init__(self, panel: QWidget, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(panel)
        self.resize(900, 560)


class InformationMenu(QObject):
    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        self.unread = 0
        self.menu = window.menuBar().addMenu("")
        self.notifications_action = named(QAction(self), "show_notifications")
        self.library_action = named(QAction(self), "show_library")
        self.events_action = named(QAction(self), "show_events")
        self.menu.addAction(self.notifications_action)
        self.menu.addAction(self.events_action)
        self.menu.addAction(self.library_action)
        self.notifications = NotificationsPanel(ctx)
        self.notifications.unread_changed.connect(self._on_unread)
        self.notifications.open_ticket.connect(self._open_ticket)
        self.library: LibraryPanel | None = None
        self.events: EventLogPanel | None = None
        # The panel lives in its (hidden) window from the start: owned by the main window on the C++ side,
        # so it is destroyed with it — never later by Python's garbage collector while work is in flight.
        self.windows: dict[str, _Holder] = {
            "notifications": named(_Holder(self.notifications, window), "notifications_window")}
        self.notifications_action.triggered.connect(self.show_notifications)
        self.library_action.triggered.connect(self.show_library)
        self.events_action.triggered.connect(self.show_events)
        self.retranslate()

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Information"))
        text = self.tr("Notifications") if not self.unread else \
            self.tr("Notifications ({count} unread)").format(count=self.unread)
        self.notifications_action.setText(text)
        self.library_action.setText(self.tr("Rules and standards library"))
        self.events_action.setText(self.tr("Monitoring events"))
        titles = {"notifications": self.tr("Notifications"), "library": self.tr("Rules and standards library"),
                  "events": self.tr("Monitoring events")}
        for key, holder in self.windows.items():
            holder.setWindowTitle(titles[key])

    def event(self, event: QEvent) -> bool:
        # A widget passes LanguageChange on to its child objects, this one included. (An event filter on
        # the window instead ran on a half-destroyed wrapper during garbage collection and crashed.)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return super().event(event)

    @Slot(object)
    def _on_unread(self, count: int) -> None:
        self.unread = int(count)
        self.retranslate()

    def _show(self, key: str, panel: QWidget) -> _Holder:
        holder = self.windows.get(key)
        if holder is None:
            holder = self.windows[key] = named(_Holder(panel, self.window), f"{key}_window")
            self.retranslate()
        holder.show()
        holder.raise_()
        return holder

    @Slot()
    def show_notifications(self) -> _Holder:
        return self._show("notifications", self.notifications)

    @Slot()
    def show_library(self) -> _Holder:
        if self.library is None:
            self.library = LibraryPanel(self.ctx)
        return self._show("library", self.library)

    @Slot()
    def show_events(self) -> _Holder:
        if self.events is None:
            self.events = EventLogPanel(self.ctx)
        return self._show("events", self.events)

    @Slot(str)
    def _open_ticket(self, ticket_id: str) -> None:
        opener = getattr(self.window, "show_area", None)
        area = getattr(self.window, "area", None)
        if opener is None or area is None:
            return
        opener("tickets")
        tickets = area("tickets")
        if hasattr(tickets, "open_ticket"):
            tickets.open_ticket(ticket_id)


def install(window: QMainWindow, ctx: AppContext) -> InformationMenu:
    return InformationMenu(window, ctx)
