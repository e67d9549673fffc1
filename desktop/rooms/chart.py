"""Environment readings over time: temperature and humidity lines with the normal bands."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

SERIES = (("temperature", QColor("#C62828"), (18.0, 27.0), (10.0, 40.0), "°C"),
          ("humidity", QColor("#1565C0"), (40.0, 60.0), (10.0, 90.0), "%RH"))


class ReadingsChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readings_chart")
        self.setMinimumHeight(220)
        self.points: list[dict[str, Any]] = []

    def set_points(self, points: list[dict[str, Any]]) -> None:
        self.points = points
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        area = QRectF(self.rect()).adjusted(48, 16, -48, -28)
        painter.setPen(QPen(QColor("#999999")))
        painter.drawRect(area)
        if len(self.points) < 1:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("No readings yet"))
            painter.end()
            return
        count = len(self.points)
        step = area.width() / max(1, count - 1)
        for index, (key, colour, normal, (low, high), unit) in enumerate(SERIES):
            def y(value: float, low: float = low, high: float = high) -> float:
                return area.bottom() - (min(max(value, low), high) - low) / (high - low) * area.height()
            band = QColor(colour)
            band.setAlpha(28)
            painter.fillRect(QRectF(area.left(), y(normal[1]), area.width(), y(normal[0]) - y(normal[1])), band)
            painter.setPen(QPen(colour, 2))
            previous: QPointF | None = None
            for n, point in enumerate(self.points):
                value = point.get(key)
                if value is None:
                    previous = None
                    continue
                here = QPointF(area.left() + n * step if count > 1 else area.center().x(), y(float(value)))
                if previous is not None:
                    painter.drawLine(previous, here)
                painter.drawEllipse(here, 2.5, 2.5)
                previous = here
            painter.drawText(QPointF(4 if index == 0 else area.right() + 4, area.top() + 10),
                             f"{high:g}{unit}" if index == 0 else f"{high:g}")
            painter.drawText(QPointF(4 if index == 0 else area.right() + 4, area.bottom()),
                             f"{low:g}" if index == 0 else f"{low:g}{unit}")
        painter.setPen(QPen(QColor("#555555")))
        painter.drawText(QPointF(area.left(), self.height() - 8), str(self.points[0].get("at", ""))[:10])
        painter.drawText(QPointF(area.right() - 70, self.height() - 8), str(self.points[-1].get("at", ""))[:10])
        painter.end()
