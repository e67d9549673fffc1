"""Load a view's data only while it is on screen.

At start-up only the ticket list is visible; every other area (CMDB, forms, rooms, tasks, reports …)
used to load its data in its constructor, and those loads competed with the ticket list's first page for
the two cores. A hidden view also reloaded on every bus change, e.g. after each sync. With a gate, a load
asked for while the view is hidden only marks it stale, and the load runs when the view is next shown.

    self.gate = ShownGate(self, self.reload)
    def reload(self):
        if not self.gate.allows():
            return
        ...
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class ShownGate(QObject):
    """Watches ``widget``'s show events; ``load`` runs on a show that follows a refused ``allows()``."""

    def __init__(self, widget: QWidget, load: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._load = load
        self.stale = False
        widget.installEventFilter(self)

    def allows(self) -> bool:
        """True when the widget is visible (load now); otherwise remember that a load is owed."""
        if self._widget.isVisible():
            self.stale = False
            return True
        self.stale = True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._load()
        return False
