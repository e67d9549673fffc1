"""The big screen (集中展现): full screen, dark, large figures, refreshing itself every minute."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.ops import run_op
from desktop.reports import data
from desktop.reports.chart import BarChart, score_colour
from desktop.widgets import named

REFRESH_MS = 60_000
STYLE = "background:#0D1B2A; color:#ECEFF1;"


class BigScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("big_screen")
        self.ctx = ctx
        self.data: dict[str, Any] | None = None
        self.setStyleSheet(STYLE)
        self.title = named(QLabel(), "screen_title")
        self.total = named(QLabel(), "screen_total")
        self.categories = named(QLabel(), "screen_categories")
        self.incidents = named(QLabel(), "screen_incidents")
        self.tasks = named(QLabel(), "screen_tasks")
        self.events = named(QLabel(), "screen_events")
        self.sync = named(QLabel(), "screen_sync")
        self.units = named(BarChart(dark=True), "screen_units")
        for label in (self.title, self.total, self.categories, self.incidents, self.tasks, self.events, self.sync):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(self.total, 0, 0)
        grid.addWidget(self.categories, 0, 1)
        grid.addWidget(self.incidents, 1, 0)
        grid.addWidget(self.units, 1, 1)
        grid.addWidget(self.tasks, 2, 0)
        grid.addWidget(self.events, 2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid, 1)
        layout.addWidget(self.sync)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        self.timer.start()
        self.reload()

    def reload(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor
        run_op(self, lambda: data.screen(store, actor), self._loaded)

    def _loaded(self, result: dict[str, Any]) -> None:
        self.data = result
        self._show()

    def resizeEvent(self, event: Any) -> None:
        self._fonts()
        super().resizeEvent(event)

    def _fonts(self) -> None:
        unit = max(10, self.height() // 45)
        self.title.setStyleSheet(f"font-size:{unit * 2}px; font-weight:bold;")
        self.total.setStyleSheet(f"font-size:{unit * 5}px; font-weight:bold;")
        for label in (self.categories, self.incidents, self.tasks, self.events):
            label.setStyleSheet(f"font-size:{unit * 1.4:.0f}px;")
        self.sync.setStyleSheet(f"font-size:{unit}px; color:#90A4AE;")

    def _show(self) -> None:
        d = self.data
        if d is None:
            return
        self.title.setText(self.tr("{org} — IT operations {period}").format(org=d["org_name"], period=d["period"]))
        score = d["score"]
        colour = score_colour(score).name()
        self.total.setText(f"<span style='color:{colour}'>{'—' if score is None else f'{score:.1f}'}</span>")
        self.categories.setText("<br>".join(
            f"{c['name']}  <b style='color:{score_colour(c['score']).name()}'>"
            f"{'—' if c['score'] is None else format(c['score'], '.1f')}</b>" for c in d["categories"]))
        rows = [self.tr("Open incidents (SLA breached)")]
        rows += [f"{p}: <b>{v['open']}</b> ({v['breached']})" for p, v in d["incidents"].items()]
        rows += [f"<span style='color:#EF5350'>{m['number']} {m['title']}</span>" for m in d["major_incidents"][:5]]
        self.incidents.setText("<br>".join(rows))
        t = d["tasks"]
        self.tasks.setText(self.tr("Tasks: {open} open, {done}/{total} receivers done, {overdue} overdue").format(**t))
        events = [f"{e['number']} {e['grade']} {e['title']}" for e in d["security_events"][:5]]
        self.events.setText("<br>".join([self.tr("Security events"), *events]) if events else
                            self.tr("No open security events"))
        self.units.set_data(self.tr("Score by unit"), [(u["name"], u["score"]) for u in d["units"]])
        self.sync.setText(self.tr("Updated {at} · outbox {outbox} · open conflicts {conflicts}").format(
            at=local_time(d["at"]), outbox=d["sync"]["outbox"], conflicts=d["sync"]["conflicts"]))
        self._fonts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
