"""The tasks area: tasks issued by or to the user's unit, each receiver's progress (sub-tasks below it,
overdue in red), and the actions of issuer (issue, urge, approve / return) and receiver (progress, submit)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from desktop.context import AppContext
from desktop.formatting import local_time as local_dt
from desktop.lazy import ShownGate
from desktop.ops import run_op, show_error
from desktop.tasks.dialogs import IssueDialog, ProgressDialog
from desktop.widgets import named
from shared.models.org import OrgUnit
from shared.services import tasks
from shared.services.errors import Invalid
from shared.sync.node import in_subtree

ENTITIES = frozenset({"tasks", "task_assignments", "work_entries"})
OVERDUE = QColor("#FFCDD2")
DONE = QColor("#C8E6C9")


class TasksArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = ShownGate(self, self.reload)  # loads when shown (desktop.lazy)
        self.setObjectName("area_tasks")
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.wanted: str | None = None  # a task to select once the list has loaded (open_task)
        self.dialog: IssueDialog | ProgressDialog | None = None
        self.role = named(QComboBox(), "task_role")
        self.role_label = QLabel()
        self.buttons = {name: named(QPushButton(), f"task_{name}") for name in
                        ("issue", "progress", "submit", "urge", "approve", "return", "refresh")}
        top = QHBoxLayout()
        top.addWidget(self.role_label)
        top.addWidget(self.role)
        top.addStretch(1)
        for button in self.buttons.values():
            top.addWidget(button)
        self.table = named(QTableWidget(0, 5), "task_table")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.detail = named(QLabel(), "task_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = named(QTreeWidget(), "task_receivers")
        self.tree.setColumnCount(5)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.detail)
        rl.addWidget(self.tree, 1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.role.currentIndexChanged.connect(self.reload)
        self.table.itemSelectionChanged.connect(self._on_select)
        self.buttons["refresh"].clicked.connect(self.reload)
        self.buttons["issue"].clicked.connect(self.issue)
        self.buttons["progress"].clicked.connect(lambda: self.report(submit=False))
        self.buttons["submit"].clicked.connect(lambda: self.report(submit=True))
        self.buttons["urge"].clicked.connect(self.urge)
        self.buttons["approve"].clicked.connect(lambda: self.review(True))
        self.buttons["return"].clicked.connect(lambda: self.review(False))
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()
        self.reload()

    # -- texts ---------------------------------------------------------------------------------------
    def retranslateUi(self) -> None:
        self.role_label.setText(self.tr("Show"))
        current = self.role.currentIndex()
        self.role.blockSignals(True)
        self.role.clear()
        for code, text in (("all", self.tr("All tasks")), ("issued", self.tr("Issued by us")),
                           ("received", self.tr("Received"))):
            self.role.addItem(text, code)
        self.role.setCurrentIndex(max(0, current))
        self.role.blockSignals(False)
        for name, text in (("issue", self.tr("Issue task…")), ("progress", self.tr("Report progress…")),
                           ("submit", self.tr("Submit…")), ("urge", self.tr("Urge")),
                           ("approve", self.tr("Approve")), ("return", self.tr("Return…")),
                           ("refresh", self.tr("Refresh"))):
            self.buttons[name].setText(text)
        self.table.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Title"), self.tr("Deadline"),
                                              self.tr("Done"), self.tr("Overdue")])
        self.tree.setHeaderLabels([self.tr("Unit"), self.tr("State"), self.tr("Progress"), self.tr("Urged"),
                                   self.tr("Submitted")])
        self._show_detail()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # -- loading ---------------------------------------------------------------------------------------
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & ENTITIES:
            self.reload()

    def reload(self) -> None:
        if not self.gate.allows():
            return
        store, actor, role = self.ctx.store, self.ctx.actor, self.role.currentData() or "all"

        def fetch() -> list[dict[str, Any]]:
            with store.read() as s:
                return tasks.list_tasks(s, actor, role)

        run_op(self, fetch, self._fill)

    def open_task(self, task_id: str) -> None:
        """Select ``task_id`` (e.g. a plan's occurrence) in the list of all tasks and show its detail; works
        before the area was ever shown: the list loads when the area is next shown, then selects it."""
        self.wanted = task_id
        if self.role.currentData() != "all":
            self.role.setCurrentIndex(self.role.findData("all"))  # reloads
        else:
            self.reload()

    def _fill(self, rows: list[dict[str, Any]]) -> None:
        wanted, self.wanted = self.wanted, None
        selected = wanted or (self.current["id"] if self.current else None)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row["number"], row["title"], local_dt(row["deadline"]), f"{row['done']}/{row['total']}",
                     str(row["overdue"] or "")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row["overdue"]:
                    item.setBackground(QBrush(OVERDUE))
                self.table.setItem(r, c, item)
        ids = [row["id"] for row in rows]
        if selected in ids:
            self.table.blockSignals(True)
            self.table.selectRow(ids.index(selected))
            self.table.blockSignals(False)
            self.load_detail(str(selected))  # the receivers may have changed too
            self.table.scrollTo(self.table.model().index(ids.index(selected), 0))
        elif wanted:
            self.table.clearSelection()
            self.load_detail(wanted)  # not in this list (e.g. issued by a unit below): its detail still shows
        else:
            self.current = None
            self._show_detail()

    def _on_select(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.load_detail(self.rows[rows[0].row()]["id"])

    def load_detail(self, task_id: str) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def fetch() -> dict[str, Any]:
            with store.read() as s:
                return tasks.get_task(s, actor, task_id)

        run_op(self, fetch, self._set_current)

    def _set_current(self, task: dict[str, Any]) -> None:
        self.current = task
        self._show_detail()

    def _show_detail(self) -> None:
        task = self.current
        self.tree.clear()
        if task is None:
            self.detail.setText(self.tr("Select a task to see each receiver's progress."))
            return
        lines = [f"{task['number']} {task['title']}",
                 self.tr("Issued by {issuer}, due {deadline}.").format(issuer=task["owner_path"],
                                                                      deadline=local_dt(task["deadline"])),
                 task["content"],
                 self.tr("Deliverables: {names}. Completion {done}/{total}.").format(
                     names="、".join(task["deliverables"]) or "—", done=task["done"], total=task["total"])]
        self.detail.setText("\n".join(line for line in lines if line))
        self._add_receivers(self.tree.invisibleRootItem(), task["receivers"])
        self.tree.expandAll()
        for col in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(col)

    def _add_receivers(self, parent: QTreeWidgetItem, receivers: list[dict[str, Any]]) -> None:
        zh = self.ctx.lang == "zh"
        for r in receivers:
            state = tasks.STATES[r["state"]][0 if zh else 1]
            progress = "" if r["progress"] is None else f"{r['progress']}%"
            item = QTreeWidgetItem(parent, [f"{r['name']} {r['org']}", state, progress,
                                            str(r["urges"] or ""), local_dt(r["submitted_at"])])
            item.setData(0, Qt.ItemDataRole.UserRole, r["org"])
            colour = OVERDUE if r["overdue"] else (DONE if r["state"] in tasks.DONE else None)
            if colour is not None:
                for col in range(5):
                    item.setBackground(col, QBrush(colour))
            for sub in r["subtasks"]:
                child = QTreeWidgetItem(item, [f"↳ {sub['number']} {sub['title']}", "", f"{sub['completion']}%",
                                               "", ""])
                self._add_receivers(child, sub["receivers"])

    # -- actions ---------------------------------------------------------------------------------------
    def _write(self, fn: Any) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def op() -> Any:
            with store.write(actor.user_id) as cs:
                return fn(cs, actor)

        run_op(self, op, lambda _r: self.reload(), bus=self.ctx.bus, changes=("tasks",))

    def issue(self) -> None:
        store, org = self.ctx.store, self.ctx.actor.org_path

        def units() -> list[dict[str, Any]]:
            with store.read() as s:
                return [{"path": u.path, "name": u.name} for u in s.scalars(
                    select(OrgUnit).where(OrgUnit.path.startswith(org), OrgUnit.path != org,
                                          OrgUnit.deleted.is_(False)).order_by(OrgUnit.path))]

        run_op(self, units, self._open_issue)

    def _open_issue(self, units: list[dict[str, Any]]) -> None:
        self.dialog = dialog = IssueDialog(units, self.ctx.lang, self)
        if self.current and self.ctx.actor.org_path in self.current["targets"]:
            dialog.setWindowTitle(self.tr("Decompose {number}").format(number=self.current["number"]))
        dialog.accepted.connect(lambda: self._issue(dialog.values()))
        dialog.open()

    def _issue(self, values: dict[str, Any]) -> None:
        parent = self.current["id"] if self.current and self.ctx.actor.org_path in self.current["targets"] else None
        self._write(lambda cs, actor: tasks.issue_task(
            cs, actor, values["title"], values["deadline"], values["targets"], values["content"], values["source"],
            values["deliverables"], parent))

    def _receiver(self) -> str | None:
        """The selected receiver row if the user may act for it, else the user's own unit."""
        item = self.tree.currentItem()
        org = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if org and in_subtree(org, self.ctx.actor.org_path):
            return str(org)
        return self.ctx.actor.org_path

    def report(self, submit: bool) -> None:
        if self.current is None:
            return
        task, receiver = self.current, self._receiver()
        mine = next((r for r in task["receivers"] if r["org"] == receiver), None)
        if mine is None:
            show_error(self, Invalid(self.tr("Your unit is not a receiver of this task")))
            return
        self.dialog = dialog = ProgressDialog(task["deliverables"], mine["results"], submit, self)
        dialog.progress.setValue(mine["progress"])
        dialog.accepted.connect(lambda: self._report(task["id"], receiver, submit, dialog.values()))
        dialog.open()

    def _report(self, task_id: str, receiver: str | None, submit: bool, values: dict[str, Any]) -> None:
        if submit:
            self._write(lambda cs, actor: tasks.submit_task(cs, actor, task_id, values["note"], values["results"],
                                                            receiver))
        else:
            self._write(lambda cs, actor: tasks.report_progress(cs, actor, task_id, values["progress"],
                                                                values["note"], None, receiver))

    def urge(self) -> None:
        if self.current is not None:
            task_id = self.current["id"]
            self._write(lambda cs, actor: tasks.urge_task(cs, actor, task_id))

    def review(self, approve: bool) -> None:
        item = self.tree.currentItem()
        if self.current is None or item is None or not item.data(0, Qt.ItemDataRole.UserRole):
            return
        receiver, task_id = str(item.data(0, Qt.ItemDataRole.UserRole)), self.current["id"]
        comment = ""
        if not approve:
            comment, ok = QInputDialog.getText(self, self.tr("Return"), self.tr("What must be corrected?"))
            if not ok:
                return
        self._write(lambda cs, actor: tasks.review_task(cs, actor, task_id, receiver, approve, comment))
