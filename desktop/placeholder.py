"""A page for an area that a later version fills in: its name and what it will hold."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.widgets import named


class PlaceholderPage(QWidget):
    def __init__(self, area: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        self.setObjectName(f"area_{area}")
        self.title = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "placeholder_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.purpose = named(QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter),
                             "placeholder_purpose")
        self.notice = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "placeholder_notice")
        self.notice.setStyleSheet("color: gray;")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for label in (self.title, self.purpose, self.notice):
            layout.addWidget(label)
        layout.addStretch(3)
        self.retranslateUi()

    def _texts(self) -> dict[str, tuple[str, str]]:
        return {
            "cmdb": (self.tr("CMDB"),
                     self.tr("Configuration items, their relations and the impact of changes.")),
            "forms": (self.tr("Work forms"),
                      self.tr("The 11 SOP work forms: fill in, check and print them.")),
            "rooms": (self.tr("Machine rooms"),
                      self.tr("Machine rooms, racks and devices; inspections and commissioning.")),
            "tasks": (self.tr("Plans and tasks"), self.tr("Maintenance plans and the tasks they generate.")),
            "reports": (self.tr("Reports"), self.tr("Service reports, KPIs and PDF exports.")),
            "sync": (self.tr("Sync"), self.tr("Synchronisation with the province server and its history.")),
            "admin": (self.tr("Administration"), self.tr("Users, roles, teams and the conflict queue.")),
        }

    def retranslateUi(self) -> None:
        title, purpose = self._texts().get(self.area, (self.area, ""))
        self.title.setText(title)
        self.purpose.setText(purpose)
        self.notice.setText(self.tr("This area will be provided in a later version."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
