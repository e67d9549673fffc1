"""The capacity page: proposals (CIs over a threshold or filling up within 30 days), the trend chart of
one CI with its thresholds and projected full date, and a dialog to record a reading."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.formatting import LOCAL_ZONE, local_time
from desktop.ops import error_text, run_op
from desktop.service import commands
from desktop.service.chart import TrendChart
from desktop.service.labels import choice_label
from desktop.service.lazy import LazyPage
from desktop.service.queries import load_capacity, load_options, load_trends
from desktop.widgets import named
from shared.services.capacity import METRICS
from shared.services.catalog import kind_fields

LEVEL_COLORS = {"alarm": QColor("#f8c0c0"), "warn": QColor("#ffe0a3"), "trend": QColor("#e0ecff")}
ENTITIES = frozenset({"measurements", "catalog_entries", "config_items"})


def metric_label(metric: str, lang: str) -> str:
    return choice_label(kind_fields("capacity_threshold")["metric"], metric, lang)


def _ms_text(ms: float | None) -> str:
    return local_time(datetime.fromtimestamp(ms / 1000, UTC))[:10] if ms else "—"


def _table(columns: int, name: str) -> QTableWidget:
    table = named(QTableWidget(0, columns), name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class CapacityPage(LazyPage):
    ENTITIES = ENTITIES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.overview: dict[str, Any] | None = None
        self.trends: dict[str, Any] | None = None
        self.record_dialog: RecordReadingDialog | None = None
        self.proposals = _table(7, "proposal_table")
        self.proposals.currentCellChanged.connect(lambda row, *_: self._on_proposal(row))
        self.ci = named(QComboBox(), "capacity_ci")
        self.ci.currentIndexChanged.connect(self.load_trends)
        self.ci_caption = QLabel()
        self.record_button = named(QPushButton(), "record_reading")
        self.record_button.clicked.connect(self.open_record)
        self.chart = TrendChart()
        self.summary = _table(7, "trend_summary")
        self.summary.setMaximumHeight(150)
        self.proposals_box, self.trend_box = QGroupBox(), QGroupBox()
        QVBoxLayout(self.proposals_box).addWidget(self.proposals)
        bar = QHBoxLayout()
        bar.addWidget(self.ci_caption)
        bar.addWidget(self.ci, 1)
        bar.addStretch(1)
        bar.addWidget(self.record_button)
        trend = QVBoxLayout(self.trend_box)
        trend.addLayout(bar)
        trend.addWidget(self.chart, 1)
        trend.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.proposals_box)
        splitter.addWidget(self.trend_box)
        splitter.setSizes([200, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.retranslateUi()

    # --- loading ---------------------------------------------------------------------------------------
    def reload(self) -> None:
        run_op(self, partial(load_capacity, self.ctx.store, self.ctx.actor), self._on_overview)

    def _on_overview(self, overview: dict[str, Any]) -> None:
        self.overview = overview
        current = self.ci.currentData()
        self.ci.blockSignals(True)
        self.ci.clear()
        for ci in overview["cis"]:
            tag = f" [{ci['asset_tag']}]" if ci["asset_tag"] else ""
            self.ci.addItem(f"{ci['name']}{tag}", ci["id"])
        proposed = overview["proposals"][0]["ci_id"] if overview["proposals"] else None
        self.ci.setCurrentIndex(max(0, self.ci.findData(current or proposed)))
        self.ci.blockSignals(False)
        self._fill_proposals()
        self.load_trends()

    def load_trends(self) -> None:
        ci_id = self.ci.currentData()
        if ci_id is None:
            self.trends = None
            self.chart.set_data({}, {})
            self.summary.setRowCount(0)
            return
        run_op(self, partial(load_trends, self.ctx.store, self.ctx.actor, ci_id), partial(self._on_trends, ci_id))

    def _on_trends(self, ci_id: str, trends: dict[str, Any]) -> None:
        if ci_id != self.ci.currentData():
            return
        self.trends = trends
        self._fill_trends()

    def select_ci(self, ci_id: str) -> None:
        index = self.ci.findData(ci_id)
        if index >= 0:
            self.ci.setCurrentIndex(index)

    # --- filling -------------------------------------------------------------------------------------------
    def _level_text(self, level: str) -> str:
        return {"alarm": self.tr("Alarm"), "warn": self.tr("Warning"),
                "trend": self.tr("Filling up within 30 days")}.get(level, level)

    def _fill_proposals(self) -> None:
        proposals = (self.overview or {}).get("proposals", [])
        lang = self.ctx.lang
        self.proposals.setRowCount(len(proposals))
        for r, p in enumerate(proposals):
            full = local_time(datetime.fromisoformat(p["full_on"]))[:10] if p.get("full_on") else "—"
            limits = f"{p.get('warn') if p.get('warn') is not None else '—'} / {p.get('alarm') or '—'} %"
            cells = [p["ci_name"], metric_label(p["metric"], lang), f"{p['value']:g} %", self._level_text(p["level"]),
                     limits, full, self.tr("Expand or tune the resource (raise a change)")]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(LEVEL_COLORS.get(p["level"], QColor("white"))))
                self.proposals.setItem(r, col, item)
        self.proposals.resizeColumnsToContents()
        self.proposals_box.setTitle(self.tr("Capacity proposals ({n})").format(n=len(proposals)))

    def _on_proposal(self, row: int) -> None:
        proposals = (self.overview or {}).get("proposals", [])
        if 0 <= row < len(proposals):
            self.select_ci(proposals[row]["ci_id"])

    def _fill_trends(self) -> None:
        lang = self.ctx.lang
        metrics = (self.trends or {}).get("metrics", {})
        self.chart.set_data(metrics, {m: metric_label(m, lang) for m in METRICS})
        self.summary.setRowCount(len(metrics))
        for r, (metric, m) in enumerate(metrics.items()):
            limits = m.get("limits") or {}
            cells = [metric_label(metric, lang), f"{m['latest']:g} %" if m["latest"] is not None else "—",
                     self.tr("{slope:+.2f} points/day").format(slope=m["slope"]),
                     str(limits.get("warn", "—")), str(limits.get("alarm", "—")), str(len(m["points"])),
                     _ms_text(m.get("full_on")) if m.get("full_on") else self.tr("not rising")]
            for col, text in enumerate(cells):
                self.summary.setItem(r, col, QTableWidgetItem(text))
        self.summary.resizeColumnsToContents()

    # --- recording ----------------------------------------------------------------------------------------
    def open_record(self) -> RecordReadingDialog:
        dialog = RecordReadingDialog(self.ctx, self.ci.currentData(), self)
        dialog.finished.connect(dialog.deleteLater)
        self.record_dialog = dialog
        dialog.open()
        return dialog

    def retranslateUi(self) -> None:
        self.trend_box.setTitle(self.tr("Utilisation trend (last 90 days)"))
        self.ci_caption.setText(self.tr("Configuration item:"))
        self.record_button.setText(self.tr("Record a reading…"))
        self.proposals.setHorizontalHeaderLabels([
            self.tr("CI"), self.tr("Metric"), self.tr("Latest"), self.tr("Level"), self.tr("Warning / alarm"),
            self.tr("Projected full"), self.tr("Proposal")])
        self.summary.setHorizontalHeaderLabels([
            self.tr("Metric"), self.tr("Latest"), self.tr("Trend"), self.tr("Warning (%)"), self.tr("Alarm (%)"),
            self.tr("Readings"), self.tr("Projected full")])
        self._fill_proposals()
        if self.trends is not None:
            self._fill_trends()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


class RecordReadingDialog(QDialog):
    """One utilisation reading (0–100 %) of a CI; stays open with the service's message if refused."""

    def __init__(self, ctx: AppContext, ci_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.recorded: dict[str, Any] | None = None
        self.ci = named(QComboBox(), "reading_ci")
        self.ci.setEditable(True)
        self.ci.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.ci.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._wanted = ci_id
        self.metric_box = named(QComboBox(), "reading_metric")
        for metric in METRICS:
            self.metric_box.addItem(metric, metric)
        self.value = named(QDoubleSpinBox(), "reading_value")
        self.value.setRange(0, 100)
        self.value.setDecimals(1)
        self.value.setSuffix(" %")
        self.at = named(QDateTimeEdit(QDateTime.currentDateTime()), "reading_at")
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.error = named(QLabel(wordWrap=True), "reading_error")
        self.error.setStyleSheet("color: #b00020;")
        self.captions = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for caption, widget in zip(self.captions, (self.ci, self.metric_box, self.value, self.at), strict=True):
            form.addRow(caption, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslateUi()
        run_op(self, partial(load_options, ctx.store, ctx.actor), self._on_options)

    def _on_options(self, options: dict[str, Any]) -> None:
        self.ci.clear()
        for ci_id, ci in options["cis"].items():
            if self.ctx.actor.can_see(ci["owner_path"]):  # readings are recorded for one's own subtree
                tag = f" [{ci['asset_tag']}]" if ci["asset_tag"] else ""
                self.ci.addItem(f"{ci['name']}{tag}", ci_id)
        self.ci.setCurrentIndex(max(0, self.ci.findData(self._wanted)))

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Record a utilisation reading"))
        for caption, text in zip(self.captions, (self.tr("Configuration item"), self.tr("Metric"),
                                                 self.tr("Utilisation"), self.tr("Measured at")), strict=True):
            caption.setText(text)
        for i in range(self.metric_box.count()):
            self.metric_box.setItemText(i, metric_label(self.metric_box.itemData(i), self.ctx.lang))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def submit(self) -> None:
        ci_id = self.ci.currentData()
        if ci_id is None or self.ci.currentText() != self.ci.itemText(self.ci.currentIndex()):
            self.error.setText(self.tr("Choose a configuration item from the list."))
            return
        metric, value = self.metric_box.currentData(), self.value.value()
        local = self.at.dateTime().toString("yyyy-MM-ddTHH:mm:ss")
        at = datetime.fromisoformat(local).replace(tzinfo=LOCAL_ZONE).astimezone(UTC)
        store, actor = self.ctx.store, self.ctx.actor
        self.error.clear()
        self.buttons.setEnabled(False)
        run_op(self, lambda: commands.record_reading(store, actor, ci_id, metric, value, at), self._on_recorded,
               self._on_failed, bus=self.ctx.bus, changes=commands.READING_CHANGES)

    def _on_recorded(self, reading: dict[str, Any]) -> None:
        self.recorded = reading
        self.buttons.setEnabled(True)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_text(exc))
