"""Python's cyclic garbage collector runs on the GUI thread only.

Left automatic, it runs in whichever thread happens to allocate — often a background operation's
worker. There it may free the wrapper of a widget whose C++ object Qt has already deleted with its
parent; PySide defers that deletion to the GUI thread, which then crashes (seen: segfaults in
``Shiboken::BindingManager::runDeletionInMainThread``). So automatic collection is switched off and
a timer on the GUI thread collects whenever the usual thresholds are passed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start()

    @Slot()
    def collect_if_due(self) -> None:
        collect_if_due()


def collect_if_due() -> None:
    """What automatic collection would have done by now (call on the GUI thread)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):  # the oldest generation due takes the younger ones with it
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return


def install(parent: QObject) -> GuiThreadCollector:
    return GuiThreadCollector(parent)
