"""The service-management area: tabs for the catalogue (every kind's entries and their form), SLA
targets with the working calendar, suppliers and contracts, business relationship, and capacity."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.service.business import BusinessPage
from desktop.service.capacity import CapacityPage
from desktop.service.catalogue import CataloguePage
from desktop.service.sla import SlaPage
from desktop.service.suppliers import SuppliersPage
from desktop.widgets import named


class ServiceArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_service")
        self.ctx = ctx
        self.catalogue = CataloguePage(ctx)
        self.sla = SlaPage(ctx)
        self.suppliers = SuppliersPage(ctx)
        self.business = BusinessPage(ctx)
        self.capacity = CapacityPage(ctx)
        self.tabs = named(QTabWidget(), "service_tabs")
        for page in self.pages():
            self.tabs.addTab(page, "")
        self.suppliers.open_entry.connect(self.open_entry)
        self.business.open_entry.connect(self.open_entry)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.retranslateUi()

    def pages(self) -> tuple[QWidget, ...]:
        return (self.catalogue, self.sla, self.suppliers, self.business, self.capacity)

    def open_entry(self, kind: str, entry_id: str) -> None:
        """Show an entry in the catalogue page's form (from the suppliers or business pages)."""
        self.tabs.setCurrentWidget(self.catalogue)
        self.catalogue.select_kind(kind)
        self.catalogue.select_entry(entry_id)

    def retranslateUi(self) -> None:
        titles = (self.tr("Catalogue"), self.tr("SLA and calendar"), self.tr("Suppliers and contracts"),
                  self.tr("Business relationship"), self.tr("Capacity"))
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
