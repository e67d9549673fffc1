"""The reports area: the KPI dashboard, the unit's periodic reports (draft from data, edit, review,
submit upward, approve / return from above, PDF), and the big screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.lazy import ShownGate
from desktop.ops import run_op
from desktop.reports.dashboard import Dashboard
from desktop.reports.screen import BigScreen
from desktop.widgets import named
from shared.pdf.reports import render_report
from shared.reports.drafting import KINDS
from shared.services import reports

ENTITIES = frozenset({"work_reports", "work_entries"})


class AnalysisDialog(QDialog):
    def __init__(self, report: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_analysis_dialog")
        self.setWindowTitle(report["title"])
        self.analysis = named(QPlainTextEdit(report["analysis"]), "report_analysis")
        self.suggestions = named(QPlainTextEdit(report["suggestions"]), "report_suggestions")
        form = QFormLayout(self)
        form.addRow(self.tr("Analysis"), self.analysis)
        form.addRow(self.tr("Suggestions"), self.suggestions)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ReportsArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = ShownGate(self, self.reload)  # loads when shown (desktop.lazy)
        self.setObjectName("area_reports")
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.big_screen: BigScreen | None = None
        self.dialog: AnalysisDialog | None = None
        self.dashboard = Dashboard(ctx)
        self.tabs = named(QTabWidget(), "reports_tabs")
        self.tabs.addTab(self.dashboard, "")
        self.tabs.addTab(self._reports_tab(), "")
        self.screen_button = named(QPushButton(), "open_big_screen")
        self.screen_button.clicked.connect(self.open_screen)
        self.tabs.setCornerWidget(self.screen_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        ctx.bus.changed.connect(lambda entities: self.reload() if entities & ENTITIES else None)
        self.retranslateUi()
        self.reload()

    def _reports_tab(self) -> QWidget:
        tab = QWidget()
        self.kind = named(QComboBox(), "report_kind")
        self.buttons = {name: named(QPushButton(), f"report_{name}") for name in
                        ("draft", "edit", "review", "submit", "approve", "return", "pdf")}
        top = QHBoxLayout()
        top.addWidget(self.kind)
        for button in self.buttons.values():
            top.addWidget(button)
        top.addStretch(1)
        self.table = named(QTableWidget(0, 6), "report_table")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.buttons["draft"].clicked.connect(self.draft)
        self.buttons["edit"].clicked.connect(self.edit)
        self.buttons["review"].clicked.connect(lambda: self._act(reports.review_report))
        self.buttons["submit"].clicked.connect(lambda: self._act(reports.submit_report))
        self.buttons["approve"].clicked.connect(lambda: self.judge(True))
        self.buttons["return"].clicked.connect(lambda: self.judge(False))
        self.buttons["pdf"].clicked.connect(self._choose_pdf)
        return tab

    def retranslateUi(self) -> None:
        self.tabs.setTabText(0, self.tr("KPI dashboard"))
        self.tabs.setTabText(1, self.tr("Reports"))
        self.screen_button.setText(self.tr("Big screen"))
        current = self.kind.currentIndex()
        self.kind.clear()
        for code, (zh, en) in KINDS.items():
            self.kind.addItem(zh if self.ctx.lang == "zh" else en, code)
        self.kind.setCurrentIndex(max(0, current))
        for name, text in (("draft", self.tr("Draft from data")), ("edit", self.tr("Edit analysis…")),
                           ("review", self.tr("Review")), ("submit", self.tr("Submit upward")),
                           ("approve", self.tr("Approve")), ("return", self.tr("Return…")),
                           ("pdf", self.tr("PDF…"))):
            self.buttons[name].setText(text)
        self.table.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Type"), self.tr("Period"),
                                              self.tr("Unit"), self.tr("Status"), self.tr("Submitted")])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def reload(self) -> None:
        if not self.gate.allows():
            return
        store, actor = self.ctx.store, self.ctx.actor

        def fetch() -> list[dict[str, Any]]:
            with store.read() as s:
                return reports.list_reports(s, actor)

        run_op(self, fetch, self._fill)

    def _fill(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            kind = row["kind_zh"] if self.ctx.lang == "zh" else KINDS[row["kind"]][1]
            for c, text in enumerate((row["number"], kind, row["period"], row["org_name"], row["status_zh"],
                                      local_time(row["submitted_at"]))):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _write(self, fn: Any) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def op() -> Any:
            with store.write(actor.user_id) as cs:
                return fn(cs, actor)

        run_op(self, op, lambda _r: self.reload(), bus=self.ctx.bus, changes=("work_reports",))

    def draft(self) -> None:
        kind, period = self.kind.currentData(), self.dashboard.period.currentData()
        self._write(lambda cs, actor: reports.draft_report(cs, actor, kind, period))

    def edit(self) -> None:
        report = self.selected()
        if report is None:
            return
        self.dialog = dialog = AnalysisDialog(report, self)
        dialog.accepted.connect(lambda: self._write(lambda cs, actor: reports.edit_report(
            cs, actor, report["id"], dialog.analysis.toPlainText(), dialog.suggestions.toPlainText())))
        dialog.open()

    def _act(self, fn: Any) -> None:
        report = self.selected()
        if report is not None:
            self._write(lambda cs, actor: fn(cs, actor, report["id"]))

    def judge(self, approve: bool) -> None:
        report = self.selected()
        if report is None:
            return
        comment = ""
        if not approve:
            comment, ok = QInputDialog.getText(self, self.tr("Return"), self.tr("What must be corrected?"))
            if not ok:
                return
        self._write(lambda cs, actor: reports.judge_report(cs, actor, report["id"], approve, comment))

    def _choose_pdf(self) -> None:
        report = self.selected()
        if report is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save report as PDF"), f"{report['number']}.pdf",
                                              "PDF (*.pdf)")
        if path:
            self.export_pdf(report["id"], Path(path))

    def export_pdf(self, report_id: str, path: Path) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def op() -> str:
            with store.read() as s:
                report = reports.get_report(s, actor, report_id)
            render_report(report, path)
            return str(path)

        run_op(self, op, self._saved)

    def _saved(self, path: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)

    def open_screen(self) -> None:
        if self.big_screen is None:
            self.big_screen = BigScreen(self.ctx)
        self.big_screen.showFullScreen()
        self.big_screen.raise_()
