"""The plans tab (计划): the plans in scope with their completion rate, the actions their state and the
user's roles allow, and a month calendar of every plan's occurrences coloured done / due / overdue."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.lazy import ShownGate
from desktop.ops import error_text, run_op, show_error
from desktop.plans import commands
from desktop.plans.dialog import PlanDialog
from desktop.widgets import named
from shared.services.plans import APPROVERS

ENTITIES = frozenset({"plans", "form_records", "tasks", "task_assignments", "work_entries"})
COLOURS = {"done": "#C8E6C9", "due": "#FFF9C4", "overdue": "#FFCDD2"}
# action → the plan states it applies to, and whether it needs an approver
ACTIONS = {"edit": (("draft",), False), "submit": (("draft",), False), "approve": (("review",), True),
           "reject": (("review",), True), "cancel": (("draft", "review", "published", "active"), False),
           "close": (("published", "active"), False)}


RECORD_ROLE = Qt.ItemDataRole.UserRole  # a day-list item's form record id
TASK_ROLE = Qt.ItemDataRole.UserRole + 1  # a day-list item's task id


class PlansTab(QWidget):
    open_task = Signal(str)  # a task occurrence double-clicked: the main window shows it in the tasks area

    def __init__(self, ctx: AppContext, open_record: Callable[[str], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = ShownGate(self, self.reload)  # loads when shown (desktop.lazy)
        self.setObjectName("plans_tab")
        self.ctx = ctx
        self.open_record = open_record
        self.plans: list[dict[str, Any]] = []
        self.occurrences: list[dict[str, Any]] = []
        self.dialog: PlanDialog | None = None
        self.loads = 0
        self.spawn_result: dict[str, Any] | None = None
        self.buttons = {name: named(QPushButton(), f"plan_{name}") for name in ("new", *ACTIONS, "spawn")}
        for name, button in self.buttons.items():
            button.clicked.connect(partial(self._clicked, name))
        bar = QHBoxLayout()
        for button in self.buttons.values():
            bar.addWidget(button)
        bar.addStretch(1)
        self.spawn_label = named(QLabel(), "plan_spawn_result")
        self.spawn_label.setWordWrap(True)
        self.spawn_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.spawn_label.hide()
        self.table = named(QTableWidget(0, 6), "plan_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 5):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self._clicked("edit"))
        self.calendar = named(QCalendarWidget(), "plan_calendar_month")
        self.calendar.setGridVisible(True)
        today = commands.today()  # plans run on the China calendar, whatever the machine's zone
        self.calendar.setSelectedDate(QDate(today.year, today.month, today.day))
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.reload())
        self.calendar.selectionChanged.connect(self._show_day)
        self.day_list = named(QListWidget(), "plan_day_list")
        self.day_list.itemActivated.connect(self._activated)
        self.legend = QLabel()
        right = QVBoxLayout()
        right.addWidget(self.calendar, 3)
        right.addWidget(self.legend)
        right.addWidget(self.day_list, 2)
        side = QWidget()
        side.setLayout(right)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.spawn_label)
        layout.addWidget(splitter, 1)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()
        self.reload()

    # -- text ------------------------------------------------------------------------------------
    def tab_title(self) -> str:
        return self.tr("Plans")

    def retranslateUi(self) -> None:
        labels = {"new": self.tr("New plan…"), "edit": self.tr("Edit…"), "submit": self.tr("Submit for approval"),
                  "approve": self.tr("Approve"), "reject": self.tr("Reject"), "cancel": self.tr("Cancel plan"),
                  "close": self.tr("Close plan"), "spawn": self.tr("Create the work that is due")}
        for name, text in labels.items():
            self.buttons[name].setText(text)
        self.table.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Name"), self.tr("Work"),
                                              self.tr("Repeats"), self.tr("State"), self.tr("On time")])
        self.legend.setText(self.tr("Green: done · yellow: due · red: overdue"))
        self._fill_table()
        self._show_day()
        self._show_spawned()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def state_label(self, state: str) -> str:
        return {"draft": self.tr("Draft"), "review": self.tr("In review"), "published": self.tr("Published"),
                "active": self.tr("Active"), "completed": self.tr("Completed"),
                "cancelled": self.tr("Cancelled")}.get(state, state)

    def rule_label(self, plan: dict[str, Any]) -> str:
        rule = {"daily": self.tr("Daily"), "weekly": self.tr("Weekly, day {day}"),
                "monthly": self.tr("Monthly, day {day}"), "quarterly": self.tr("Quarterly, day {day}"),
                "yearly": self.tr("Yearly, day {day}"), "once": self.tr("Once")}[plan["rule"]]
        return rule.format(day=plan["day"])

    def status_label(self, status: str) -> str:
        return {"done": self.tr("done"), "due": self.tr("due"), "overdue": self.tr("overdue")}[status]

    # -- data ------------------------------------------------------------------------------------
    def month(self) -> str:
        return f"{self.calendar.yearShown():04d}-{self.calendar.monthShown():02d}"

    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & ENTITIES:
            self.reload()

    def reload(self) -> None:
        if not self.gate.allows():
            return
        run_op(self, partial(commands.month, self.ctx.store, self.ctx.actor, self.month()), self._apply,
               lambda exc: show_error(self, exc))

    def _apply(self, found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        self.plans, self.occurrences = found
        self.loads += 1
        self._fill_table()
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        days: dict[str, set[str]] = {}
        for occurrence in self.occurrences:
            days.setdefault(occurrence["day"], set()).add(occurrence["status"])
        for day, statuses in days.items():
            status = "overdue" if "overdue" in statuses else ("due" if "due" in statuses else "done")
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(QColor(COLOURS[status])))
            self.calendar.setDateTextFormat(QDate.fromString(day, "yyyy-MM-dd"), fmt)
        self._show_day()

    def _fill_table(self) -> None:
        selected = self.selected()
        self.table.setRowCount(len(self.plans))
        for row, plan in enumerate(self.plans):
            rate = plan["completion"]
            work = plan["template_code"] if plan["kind"] == "form" else self.tr("Task → {units}").format(
                units=", ".join(t.rstrip("/").rsplit("/", 1)[-1] for t in plan["targets"]))
            shown = "—" if rate["rate"] is None else f"{rate['rate']}% ({rate['on_time']}/{rate['due']})"
            for column, text in enumerate((plan["number"], plan["name"], work, self.rule_label(plan),
                                           self.state_label(plan["state"]), shown)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, plan["id"])
                self.table.setItem(row, column, item)
            if selected is not None and plan["id"] == selected["id"]:
                self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> dict[str, Any] | None:
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        item = self.table.item(rows.pop(), 0)
        plan_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((p for p in self.plans if p["id"] == plan_id), None)

    def select_plan(self, plan_id: str) -> None:
        for row, plan in enumerate(self.plans):
            if plan["id"] == plan_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        plan = self.selected()
        approver = bool(set(self.ctx.actor.roles) & set(APPROVERS))
        for name, (states, needs_approver) in ACTIONS.items():
            allowed = plan is not None and plan["state"] in states and (approver or not needs_approver)
            self.buttons[name].setEnabled(allowed)
            self.buttons[name].setVisible(approver or not needs_approver)

    def _show_day(self) -> None:
        self.day_list.clear()
        day = self.calendar.selectedDate().toString("yyyy-MM-dd")
        for occurrence in (o for o in self.occurrences if o["day"] == day):
            work = occurrence["number"] or self.tr("(not created yet)")
            shift = f" {occurrence['shift']}" if occurrence["shift"] else ""
            text = self.tr("{plan}{shift}: {work} — {done}/{total} {status}").format(
                plan=occurrence["plan"], shift=shift, work=work, done=occurrence["done"], total=occurrence["total"],
                status=self.status_label(occurrence["status"]))
            item = QListWidgetItem(text)
            item.setData(RECORD_ROLE, occurrence.get("record_id"))
            item.setData(TASK_ROLE, occurrence.get("task_id"))
            item.setBackground(QBrush(QColor(COLOURS[occurrence["status"]])))
            self.day_list.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        record_id, task_id = item.data(RECORD_ROLE), item.data(TASK_ROLE)
        if record_id and self.open_record is not None:
            self.open_record(record_id)
        elif task_id:
            self.open_task.emit(task_id)

    # -- actions ---------------------------------------------------------------------------------
    def _clicked(self, name: str) -> None:
        plan = self.selected()
        if name == "new":
            run_op(self, partial(commands.choices, self.ctx.store, self.ctx.actor),
                   lambda choices: self._open_dialog(choices, None), lambda exc: show_error(self, exc))
        elif name == "edit" and plan is not None and plan["state"] == "draft":
            run_op(self, partial(self._edit_data, plan["id"]), lambda found: self._open_dialog(*found),
                   lambda exc: show_error(self, exc))
        elif name == "spawn":
            run_op(self, partial(commands.spawn, self.ctx.store, self.ctx.actor, commands.today()), self._spawned,
                   lambda exc: show_error(self, exc), bus=self.ctx.bus, changes=tuple(ENTITIES))
        elif plan is not None and name in ACTIONS and name != "edit":
            run_op(self, partial(commands.transition, self.ctx.store, self.ctx.actor, plan["id"], name),
                   lambda _row: None, lambda exc: show_error(self, exc), bus=self.ctx.bus, changes=("plans",))

    def _spawned(self, result: dict[str, Any]) -> None:
        self.spawn_result = result
        self._show_spawned()
        if result["failed"]:
            show_error(self, result["failed"][0][2])  # the status bar too: the first failure

    def _show_spawned(self) -> None:
        """What the last spawn made, and one line per plan that could not spawn, with why."""
        result = self.spawn_result
        if result is None:
            return
        records = sum(1 for row in result["made"] if row["kind"] == "form")
        issued = len(result["made"]) - records
        if result["made"]:
            lines = [self.tr("Created {records} form records and {tasks} tasks.").format(records=records,
                                                                                        tasks=issued)]
        else:
            lines = [self.tr("Nothing new was due.")]
        for number, name, exc in result["failed"]:
            lines.append(self.tr("Plan {number} {name} could not create its work: {reason}").format(
                number=number, name=name, reason=error_text(exc)))
        self.spawn_label.setText("\n".join(lines))
        self.spawn_label.setStyleSheet("color: #B71C1C;" if result["failed"] else "")
        self.spawn_label.show()

    def _edit_data(self, plan_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        return (commands.choices(self.ctx.store, self.ctx.actor),
                commands.fields_of(self.ctx.store, self.ctx.actor, plan_id))

    def _open_dialog(self, choices: dict[str, list[dict[str, Any]]], fields: dict[str, Any] | None) -> None:
        plan_id = fields["id"] if fields else None
        self.dialog = PlanDialog(choices, self.ctx.lang, partial(self._save, plan_id), fields, self)
        self.dialog.open()

    def _save(self, plan_id: str | None, fields: dict[str, Any]) -> None:
        run_op(self, partial(commands.save, self.ctx.store, self.ctx.actor, plan_id, fields), self._saved,
               self._not_saved, bus=self.ctx.bus, changes=("plans",))

    def _saved(self, row: dict[str, Any]) -> None:
        if self.dialog is not None:
            self.dialog.saved(True)
        self.select_plan(row["id"])

    def _not_saved(self, exc: BaseException) -> None:
        if self.dialog is not None:
            self.dialog.saved(False, error_text(exc))
