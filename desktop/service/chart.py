"""``TrendChart``: a small QPainter chart of a CI's utilisation (0–100 %) per metric over time, with the
warning/alarm thresholds drawn and, for a rising metric, the fitted trend extended to the day it is
projected to be full."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.formatting import LOCAL_ZONE

COLORS = {"cpu": QColor("#1f77b4"), "memory": QColor("#2ca02c"), "disk": QColor("#d62728"),
          "bandwidth": QColor("#9467bd")}
DAY_MS = 86_400_000.0
LABEL_GAP = 14
MAX_PROJECTION_DAYS = 120  # a full date further out than this is listed, not drawn
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 200, 28, 30


def _day(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(LOCAL_ZONE).strftime("%m-%d")


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trend_chart")
        self.metrics: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, str] = {}
        self.setMinimumSize(QSize(420, 240))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, metrics: dict[str, dict[str, Any]], labels: dict[str, str]) -> None:
        """``metrics``: metric → {points: [(epoch ms, %)], slope, full_on (ms|None), limits {warn, alarm}}."""
        self.metrics = metrics
        self.labels = labels
        self.update()

    def x_range(self) -> tuple[float, float]:
        xs = [x for m in self.metrics.values() for x, _ in m["points"]]
        lo, hi = min(xs), max(xs)
        for m in self.metrics.values():
            full = m.get("full_on")
            if full and hi < full <= hi + MAX_PROJECTION_DAYS * DAY_MS:
                hi = full
        return lo, max(hi, lo + DAY_MS)

    def projections(self) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
        """The drawn trend extensions: metric → ((ms, %) at the last reading, (full ms, 100))."""
        result = {}
        for metric, m in self.metrics.items():
            full, slope = m.get("full_on"), m.get("slope") or 0
            if not full or slope <= 0 or not m["points"]:
                continue
            last_x = m["points"][-1][0]
            if full <= last_x or full > last_x + MAX_PROJECTION_DAYS * DAY_MS:
                continue
            at_last = 100 - slope * (full - last_x) / DAY_MS
            result[metric] = ((last_x, at_last), (full, 100.0))
        return result

    def threshold_lines(self) -> list[tuple[float, str, str]]:
        """(percent, metric, warn|alarm) of every threshold drawn."""
        lines = []
        for metric, m in self.metrics.items():
            for level in ("warn", "alarm"):
                value = (m.get("limits") or {}).get(level)
                if value is not None:
                    lines.append((float(value), metric, level))
        return lines

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        plot = QRectF(MARGIN_LEFT, MARGIN_TOP, max(10, self.width() - MARGIN_LEFT - MARGIN_RIGHT),
                      max(10, self.height() - MARGIN_TOP - MARGIN_BOTTOM))
        if not self.metrics:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No readings for this CI."))
            return
        lo, hi = self.x_range()

        def point(x: float, y: float) -> QPointF:
            return QPointF(plot.left() + (x - lo) / (hi - lo) * plot.width(),
                           plot.bottom() - max(0.0, min(100.0, y)) / 100 * plot.height())

        self._axes(painter, plot, lo, hi)
        self._thresholds(painter, plot)
        for metric, m in self.metrics.items():
            color = COLORS.get(metric, QColor("black"))
            painter.setPen(QPen(color, 2))
            pts = [point(x, y) for x, y in m["points"]]
            for a, b in itertools.pairwise(pts):
                painter.drawLine(a, b)
        for metric, ((x0, y0), (x1, y1)) in self.projections().items():
            color = COLORS.get(metric, QColor("black"))
            painter.setPen(QPen(color, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(point(x0, y0), point(x1, y1))
            end = point(x1, y1)
            painter.drawLine(QPointF(end.x(), plot.top()), QPointF(end.x(), plot.bottom()))
            painter.drawText(QPointF(end.x() - 60, plot.top() - 6),
                             self.tr("{metric} full ~{day}").format(metric=self.labels.get(metric, metric),
                                                                    day=_day(x1)))
        self._legend(painter, plot)

    def _axes(self, painter: QPainter, plot: QRectF, lo: float, hi: float) -> None:
        grid = QPen(QColor("#dddddd"), 1)
        text = self.palette().text().color()
        metrics = QFontMetrics(painter.font())
        for pct in range(0, 101, 20):
            y = plot.bottom() - pct / 100 * plot.height()
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            label = f"{pct}%"
            painter.drawText(QPointF(plot.left() - metrics.horizontalAdvance(label) - 4, y + 4), label)
        ticks = 6
        for i in range(ticks + 1):
            x = lo + (hi - lo) * i / ticks
            px = plot.left() + plot.width() * i / ticks
            painter.setPen(grid)
            painter.drawLine(QPointF(px, plot.top()), QPointF(px, plot.bottom()))
            painter.setPen(text)
            label = _day(x)
            painter.drawText(QPointF(px - metrics.horizontalAdvance(label) / 2, plot.bottom() + 16), label)
        painter.setPen(QPen(text, 1))
        painter.drawRect(plot)

    def _thresholds(self, painter: QPainter, plot: QRectF) -> None:
        grouped: dict[tuple[float, str], list[str]] = {}
        for value, metric, level in self.threshold_lines():
            grouped.setdefault((value, level), []).append(metric)
        label_y = float("inf")  # labels go top-down from the highest line, never overlapping
        for (value, level), metrics in sorted(grouped.items(), reverse=True):
            y = plot.bottom() - value / 100 * plot.height()
            color = QColor("#d62728") if level == "alarm" else QColor("#ff9800")
            painter.setPen(QPen(color, 1.2, Qt.PenStyle.DashLine if level == "warn" else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            names = "/".join(self.labels.get(m, m) for m in metrics)
            text = (self.tr("{metrics} alarm {value}%") if level == "alarm"
                    else self.tr("{metrics} warning {value}%")).format(metrics=names, value=f"{value:g}")
            label_y = y + 4 if label_y == float("inf") else max(y + 4, label_y + LABEL_GAP)
            painter.drawText(QPointF(plot.right() + 4, label_y), text)

    def _legend(self, painter: QPainter, plot: QRectF) -> None:
        x = plot.left()
        metrics = QFontMetrics(painter.font())
        for metric in self.metrics:
            color = COLORS.get(metric, QColor("black"))
            painter.setPen(QPen(color, 3))
            painter.drawLine(QPointF(x, 12), QPointF(x + 18, 12))
            painter.setPen(self.palette().text().color())
            label = self.labels.get(metric, metric)
            painter.drawText(QPointF(x + 22, 16), label)
            x += 40 + metrics.horizontalAdvance(label)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)
