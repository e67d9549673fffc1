"""Create or edit a plan: its kind (SOP form or task), the work, the rule and its day, the period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.widgets import named
from shared.processes.calendar import CHINA
from shared.services.tasks import SOURCES

FORM_ROWS = ("template", "room", "shifts")
TASK_ROWS = ("title", "content", "targets", "deadline_days", "deliverables", "source")
DAY_LIMIT = {"weekly": 7, "monthly": 31, "quarterly": 31, "yearly": 31}


def _qdate(text: str) -> QDate:
    return QDate.fromString(text, "yyyy-MM-dd")


def _text(value: QDate) -> str:
    return date(value.year(), value.month(), value.day()).isoformat()


class PlanDialog(QDialog):
    """``save(fields)`` is called on OK; the dialog closes when it reports success (see ``saved``)."""

    def __init__(self, choices: dict[str, list[dict[str, Any]]], lang: str, save: Callable[[dict[str, Any]], None],
                 fields: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_dialog")
        self.save = save
        self.editing = fields is not None
        self.kind = named(QComboBox(), "plan_kind")
        self.name = named(QLineEdit(), "plan_name")
        self.template = named(QComboBox(), "plan_template")
        for t in choices["templates"]:
            self.template.addItem(f"{t['code']} {t['name_zh'] if lang == 'zh' else t['name_en']}", t["code"])
        self.room = named(QComboBox(), "plan_room")
        self.room.addItem("—", None)
        for r in choices["rooms"]:
            self.room.addItem(f"{r['code']} {r['name']}", r["id"])
        self.shifts = named(QLineEdit(), "plan_shifts")
        self.title = named(QLineEdit(), "plan_title")
        self.content = named(QPlainTextEdit(), "plan_content")
        self.content.setMaximumHeight(80)
        self.targets = named(QListWidget(), "plan_targets")
        self.targets.setMaximumHeight(120)
        for unit in choices["units"]:
            item = QListWidgetItem(f"{unit['name']}  {unit['path']}")
            item.setData(Qt.ItemDataRole.UserRole, unit["path"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.targets.addItem(item)
        self.deadline_days = named(QSpinBox(), "plan_deadline_days")
        self.deadline_days.setRange(0, 366)
        self.deliverables = named(QLineEdit(), "plan_deliverables")
        self.source = named(QComboBox(), "plan_source")
        for code, (zh, en) in SOURCES.items():
            self.source.addItem(zh if lang == "zh" else en, code)
        self.source.setCurrentIndex(self.source.findData("special"))
        self.rule = named(QComboBox(), "plan_rule")
        self.day = named(QSpinBox(), "plan_day")
        self.working_days = named(QCheckBox(), "plan_working_days")
        today = datetime.now(CHINA).date()  # plans run on the China calendar
        self.start = named(QDateEdit(QDate(today.year, today.month, today.day)), "plan_start")
        self.start.setCalendarPopup(True)
        self.has_end = named(QCheckBox(), "plan_has_end")
        self.end = named(QDateEdit(self.start.date().addYears(1)), "plan_end")
        self.end.setCalendarPopup(True)
        self.error = named(QLabel(wordWrap=True), "plan_error")
        self.error.setStyleSheet("color: #C62828")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)
        self.labels: dict[str, QLabel] = {}
        for key, widget in (("kind", self.kind), ("name", self.name), ("template", self.template),
                            ("room", self.room), ("shifts", self.shifts), ("title", self.title),
                            ("content", self.content), ("targets", self.targets),
                            ("deadline_days", self.deadline_days), ("deliverables", self.deliverables),
                            ("source", self.source), ("rule", self.rule), ("day", self.day),
                            ("working_days", self.working_days), ("start", self.start), ("has_end", self.has_end),
                            ("end", self.end)):
            self.labels[key] = QLabel()
            self.form.addRow(self.labels[key], widget)
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)
        self.retranslateUi()
        self.kind.currentIndexChanged.connect(self._show_rows)
        self.rule.currentIndexChanged.connect(self._show_rows)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.end.setEnabled(False)
        if fields is not None:
            self.set_fields(fields)
        self._show_rows()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Edit plan") if self.editing else self.tr("New plan"))
        kinds = {"form": self.tr("SOP form records"), "task": self.tr("Tasks (work without a form)")}
        rules = {"daily": self.tr("Daily"), "weekly": self.tr("Weekly"), "monthly": self.tr("Monthly"),
                 "quarterly": self.tr("Quarterly"), "yearly": self.tr("Yearly"), "once": self.tr("Once")}
        for combo, labels in ((self.kind, kinds), (self.rule, rules)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for code, label in labels.items():
                combo.addItem(label, code)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        texts = {"kind": self.tr("Spawns"), "name": self.tr("Name"), "template": self.tr("Form template"),
                 "room": self.tr("Machine room"), "shifts": self.tr("Shifts"), "title": self.tr("Task title"),
                 "content": self.tr("Content"), "targets": self.tr("Target units"),
                 "deadline_days": self.tr("Days to finish"), "deliverables": self.tr("Deliverables"),
                 "source": self.tr("Source"), "rule": self.tr("Repeats"), "day": self.tr("Day"),
                 "working_days": self.tr("Working days"), "start": self.tr("Starts"), "has_end": self.tr("Ends"),
                 "end": self.tr("Last day")}
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.shifts.setPlaceholderText(self.tr("e.g. day@08:30, night@20:30 (empty: one record at 09:00)"))
        self.title.setPlaceholderText(self.tr("Default: the plan name"))
        self.deliverables.setPlaceholderText(self.tr("Names separated by commas"))
        self.deadline_days.setSuffix(self.tr(" days after the due day"))
        self.working_days.setText(self.tr("Move due days off weekends and public holidays"))
        self.has_end.setText(self.tr("The plan has a last day"))
        self.targets.setToolTip(self.tr("None checked: the plan's own unit"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _show_rows(self) -> None:
        task = self.kind.currentData() == "task"
        for key in FORM_ROWS:
            self.form.setRowVisible(self.labels[key], not task)
        for key in TASK_ROWS:
            self.form.setRowVisible(self.labels[key], task)
        rule = self.rule.currentData()
        self.form.setRowVisible(self.labels["day"], rule in DAY_LIMIT)
        self.day.setRange(1, DAY_LIMIT.get(rule, 31))
        self.day.setToolTip(self.tr("Weekday 1 (Monday) – 7 (Sunday)") if rule == "weekly"
                            else self.tr("Day of the month (31: the last day of shorter months)"))
        self.kind.setEnabled(not self.editing)

    def set_fields(self, fields: dict[str, Any]) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(fields.get("kind", "form"))))
        self.name.setText(fields.get("name", ""))
        self.template.setCurrentIndex(max(0, self.template.findData(fields.get("template_code"))))
        self.room.setCurrentIndex(max(0, self.room.findData(fields.get("room_id"))))
        self.shifts.setText(", ".join(f"{s['name']}@{s['at']}" for s in fields.get("shifts") or [] if s.get("name")))
        self.title.setText(fields.get("title", ""))
        self.content.setPlainText(fields.get("description", ""))
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in (fields.get("targets") or [])
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.deadline_days.setValue(int(fields.get("deadline_days") or 0))
        self.deliverables.setText(", ".join(fields.get("deliverables") or []))
        self.source.setCurrentIndex(max(0, self.source.findData(fields.get("source", "special"))))
        self.rule.setCurrentIndex(max(0, self.rule.findData(fields.get("rule", "monthly"))))
        self._show_rows()
        self.day.setValue(int(fields.get("day") or 1))
        self.working_days.setChecked(bool(fields.get("working_days_only")))
        if fields.get("start_on"):
            self.start.setDate(_qdate(fields["start_on"]))
        self.has_end.setChecked(bool(fields.get("end_on")))
        if fields.get("end_on"):
            self.end.setDate(_qdate(fields["end_on"]))

    def values(self) -> dict[str, Any]:
        task = self.kind.currentData() == "task"
        values: dict[str, Any] = {
            "kind": self.kind.currentData(), "name": self.name.text().strip(), "rule": self.rule.currentData(),
            "day": self.day.value(), "working_days_only": self.working_days.isChecked(),
            "start_on": _text(self.start.date()),
            "end_on": _text(self.end.date()) if self.has_end.isChecked() else None,
            "description": self.content.toPlainText().strip() if task else ""}
        if task:
            names = self.deliverables.text().replace("，", ",").split(",")
            values.update(
                title=self.title.text().strip(), deadline_days=self.deadline_days.value(),
                deliverables=[n.strip() for n in names if n.strip()], source=self.source.currentData(),
                targets=[self.targets.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.targets.count())
                         if self.targets.item(r).checkState() == Qt.CheckState.Checked])
        else:
            shifts = [s.strip() for s in self.shifts.text().replace("，", ",").split(",") if s.strip()]
            values.update(template_code=self.template.currentData(), room_id=self.room.currentData(),
                          shifts=shifts or None)
        return values

    def accept(self) -> None:
        self.error.clear()
        self.buttons.setEnabled(False)
        self.save(self.values())

    def saved(self, ok: bool, message: str = "") -> None:
        """The outcome of ``save``: close, or show why not and stay open."""
        self.buttons.setEnabled(True)
        if ok:
            super().accept()
        else:
            self.error.setText(message)
