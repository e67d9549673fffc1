"""Dialogs of the tasks area: issue a task, report progress, submit results."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.widgets import named
from shared.kpi.period import CHINA
from shared.services.tasks import SOURCES


class IssueDialog(QDialog):
    """Title, content, source, deadline, required deliverables and the receiving units."""

    def __init__(self, units: list[dict[str, Any]], lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("issue_task_dialog")
        self.setWindowTitle(self.tr("Issue a task"))
        self.title = named(QLineEdit(), "task_title")
        self.content = named(QPlainTextEdit(), "task_content")
        self.source = named(QComboBox(), "task_source")
        for code, (zh, en) in SOURCES.items():
            self.source.addItem(zh if lang == "zh" else en, code)
        self.deadline = named(QDateEdit(QDate.currentDate().addDays(7)), "task_deadline")
        self.deadline.setCalendarPopup(True)
        self.deliverables = named(QLineEdit(), "task_deliverables")
        self.deliverables.setPlaceholderText(self.tr("Names separated by commas, e.g. self-check report"))
        self.units = named(QListWidget(), "task_units")
        for unit in units:
            item = QListWidgetItem(f"{unit['name']}  {unit['path']}")
            item.setData(Qt.ItemDataRole.UserRole, unit["path"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.units.addItem(item)
        form = QFormLayout(self)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Content"), self.content)
        form.addRow(self.tr("Source"), self.source)
        form.addRow(self.tr("Deadline"), self.deadline)
        form.addRow(self.tr("Deliverables"), self.deliverables)
        form.addRow(self.tr("Receivers"), self.units)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def check_units(self, paths: list[str]) -> None:
        for row in range(self.units.count()):
            item = self.units.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in paths:
                item.setCheckState(Qt.CheckState.Checked)

    def values(self) -> dict[str, Any]:
        qd = self.deadline.date()
        day = date(qd.year(), qd.month(), qd.day())
        targets = [self.units.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.units.count())
                   if self.units.item(r).checkState() == Qt.CheckState.Checked]
        names = self.deliverables.text().replace("，", ",").split(",")
        return {"title": self.title.text(), "content": self.content.toPlainText(),
                "source": self.source.currentData(), "targets": targets,
                "deadline": datetime.combine(day, time(23, 59, 59), CHINA),
                "deliverables": [d.strip() for d in names if d.strip()]}


class ProgressDialog(QDialog):
    """Progress percent and a note; when submitting, one field per required deliverable."""

    def __init__(self, deliverables: list[str], results: dict[str, str], submit: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("task_progress_dialog")
        self.setWindowTitle(self.tr("Submit results") if submit else self.tr("Report progress"))
        form = QFormLayout(self)
        self.progress = named(QSpinBox(), "task_progress")
        self.progress.setRange(0, 100)
        self.progress.setSuffix("%")
        if not submit:
            form.addRow(self.tr("Progress"), self.progress)
        self.note = named(QPlainTextEdit(), "task_note")
        form.addRow(self.tr("Note"), self.note)
        self.fields: dict[str, QLineEdit] = {}
        for i, name in enumerate(deliverables if submit else []):
            edit = named(QLineEdit(results.get(name, "")), f"task_result_{i}")
            self.fields[name] = edit
            form.addRow(name, edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {"progress": self.progress.value(), "note": self.note.toPlainText(),
                "results": {k: e.text() for k, e in self.fields.items()}}
