"""The KPI dashboard: the indicator tree (运行 / 服务 / 安全 → L1 → L2 → L3) with values, targets and scores,
the scores of the child units and the trend of the last months; double-click an indicator for the records
behind its figure."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.lazy import ShownGate
from desktop.ops import run_op
from desktop.reports import data
from desktop.reports.chart import BarChart, score_colour
from desktop.widgets import named
from shared.kpi.period import current_month

ENTITIES = frozenset({"tickets", "ticket_entries", "form_records", "kpi_entries", "security_events", "measurements"})


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


class RecordsDialog(QDialog):
    """The records behind one indicator's figure (ticket numbers, form numbers, org units …)."""

    def __init__(self, indicator: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpi_records_dialog")
        self.setWindowTitle(indicator["name"])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("{name}: {value} ({numerator} / {denominator}) — {formula}").format(
            name=indicator["name"], value=_fmt(indicator["value"]), numerator=_fmt(indicator["numerator"]),
            denominator=_fmt(indicator["denominator"]), formula=indicator["formula"])))
        self.records = named(QListWidget(), "kpi_records")
        self.records.addItems(indicator["records"] or [self.tr("(no records)")])
        layout.addWidget(self.records)
        self.resize(480, 360)


class Dashboard(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = ShownGate(self, self.reload)  # loads when shown (desktop.lazy)
        self.setObjectName("kpi_dashboard")
        self.ctx = ctx
        self.data: dict[str, Any] | None = None
        self.records_dialog: RecordsDialog | None = None
        self.period = named(QComboBox(), "kpi_period")
        for code in reversed(data.recent_periods(current_month(), 12)):
            self.period.addItem(code, code)
        self.period_label = QLabel()
        self.refresh = named(QPushButton(), "kpi_refresh")
        self.total = named(QLabel(), "kpi_total")
        top = QHBoxLayout()
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addWidget(self.refresh)
        top.addStretch(1)
        top.addWidget(self.total)
        self.tree = named(QTreeWidget(), "kpi_tree")
        self.tree.setColumnCount(5)
        self.units_chart = named(BarChart(), "kpi_units_chart")
        self.trend_chart = named(BarChart(), "kpi_trend_chart")
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.addWidget(self.units_chart)
        charts.addWidget(self.trend_chart)
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(charts)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.period.currentIndexChanged.connect(self.reload)
        self.refresh.clicked.connect(self.reload)
        self.tree.itemDoubleClicked.connect(self._drill_down)
        ctx.bus.changed.connect(lambda entities: self.reload() if entities & ENTITIES else None)
        self.retranslateUi()
        self.reload()

    def retranslateUi(self) -> None:
        self.period_label.setText(self.tr("Period"))
        self.refresh.setText(self.tr("Refresh"))
        self.tree.setHeaderLabels([self.tr("Indicator"), self.tr("Value"), self.tr("Target"), self.tr("Score"),
                                   self.tr("Source")])
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def reload(self) -> None:
        if not self.gate.allows():
            return
        store, actor, period = self.ctx.store, self.ctx.actor, self.period.currentData()
        run_op(self, lambda: data.dashboard(store, actor, actor.org_path, period), self._loaded)

    def _loaded(self, result: dict[str, Any]) -> None:
        self.data = result
        self._show()

    def _name(self, node: dict[str, Any]) -> str:
        return str(node["name"] if self.ctx.lang == "zh" else node["name_en"])

    def _show(self) -> None:
        self.tree.clear()
        if self.data is None:
            self.total.setText("")
            return
        tree = self.data["tree"]
        self.total.setText(self.tr("{org}: overall score {score}").format(org=tree["org_name"],
                                                                          score=_fmt(tree["score"])))
        for category in tree["categories"]:
            self._add_group(self.tree.invisibleRootItem(), category)
        self.tree.expandToDepth(1)
        for col in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(col)
        self.units_chart.set_data(self.tr("Overall score by unit"),
                                  [(u["name"], u["score"]) for u in tree.get("units", [])])
        self.trend_chart.set_data(self.tr("Overall score by month"),
                                  [(t["period"], t["score"]) for t in self.data["trend"]])

    def _add_group(self, parent: QTreeWidgetItem, node: dict[str, Any]) -> None:
        item = QTreeWidgetItem(parent, [self._name(node), "", "", _fmt(node["score"]), ""])
        item.setForeground(3, QBrush(score_colour(node["score"])))
        for child in node.get("children", ()):
            self._add_group(item, child)
        for ind in node.get("indicators", ()):
            unit = "%" if ind["unit"] == "%" else " " + ind["unit"]
            value = "—" if ind["value"] is None else _fmt(ind["value"]) + unit
            target = ("≥" if ind["direction"] == "higher" else "≤") + _fmt(ind["target"]) + unit
            source = self.tr("manual entry") if ind["manual"] else ind["source"]
            leaf = QTreeWidgetItem(item, [self._name(ind), value, target, _fmt(ind["score"]), source])
            leaf.setData(0, Qt.ItemDataRole.UserRole, ind["code"])
            leaf.setForeground(3, QBrush(score_colour(ind["score"])))

    def indicator(self, code: str) -> dict[str, Any] | None:
        if self.data is None:
            return None
        from shared.kpi.engine import flat_indicators

        return flat_indicators(self.data["tree"]).get(code)

    def _drill_down(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        code = item.data(0, Qt.ItemDataRole.UserRole)
        ind = self.indicator(str(code)) if code else None
        if ind is None:
            return
        self.records_dialog = RecordsDialog(ind, self)
        self.records_dialog.open()
