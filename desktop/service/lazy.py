"""``LazyPage``: a page of the area that loads when it is first shown, and after a change on the bus
reloads at once if visible, else when next shown — so signing in never waits for pages nobody opened."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from desktop.context import AppContext


class LazyPage(QWidget):
    ENTITIES: frozenset[str] = frozenset()  # the bus entities whose change makes the page stale

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stale = True
        ctx.bus.changed.connect(self._on_bus)

    def reload(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.reload()

    @Slot(object)
    def _on_bus(self, entities: frozenset[str]) -> None:
        if entities & self.ENTITIES:
            self.refresh()

    def refresh(self) -> None:
        if self.isVisible():
            self.stale = False
            self.reload()
        else:
            self.stale = True
