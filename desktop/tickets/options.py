"""The choices of reference fields (teams, people, catalogue entries), loaded once in a worker and again
when the bus says reference data changed. Shared by the area, the detail and their dialogs."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from desktop.context import AppContext
from desktop.ops import run_op
from desktop.tickets.fields import Options
from desktop.tickets.queries import load_options

RELOAD_ON = frozenset({"teams", "users", "catalog_entries", "org_units"})  # table names, as the bus carries


class OptionsCache(QObject):
    updated = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.options = Options()
        self.loaded = False
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        run_op(self, partial(load_options, self.ctx.store, self.ctx.actor), self._on_loaded)

    def _on_loaded(self, options: Options) -> None:
        self.options = options
        self.loaded = True
        self.updated.emit()

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & RELOAD_ON:
            self.reload()
