"""A small bar chart drawn with QPainter (scores 0–100 by unit or by month), so the desktop needs no
QtCharts (PySide6-Addons, ~157 MB) for two charts."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


def score_colour(score: float | None) -> QColor:
    if score is None:
        return QColor("#B0BEC5")
    if score >= 90:
        return QColor("#43A047")
    if score >= 60:
        return QColor("#FB8C00")
    return QColor("#E53935")


class BarChart(QWidget):
    """Vertical bars of values on a 0..``maximum`` scale, labelled under each bar."""

    def __init__(self, parent: QWidget | None = None, maximum: float = 100.0, dark: bool = False) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[tuple[str, float | None]] = []
        self.maximum = maximum
        self.dark = dark
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, bars: list[tuple[str, float | None]]) -> None:
        self.title = title
        self.bars = bars
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fg = QColor("#ECEFF1") if self.dark else QColor("#263238")
        size = max(9, self.height() // 18)
        font = QFont(self.font())
        font.setPixelSize(size)
        p.setFont(font)
        p.setPen(fg)
        w, h = self.width(), self.height()
        p.drawText(QRectF(0, 0, w, size * 1.8), Qt.AlignmentFlag.AlignCenter, self.title)
        if not self.bars:
            p.end()
            return
        top, bottom = size * 2.2, h - size * 2.4
        slot = w / len(self.bars)
        for i, (label, value) in enumerate(self.bars):
            x = i * slot + slot * 0.2
            bar_h = 0.0 if value is None else (bottom - top) * min(value, self.maximum) / self.maximum
            p.fillRect(QRectF(x, bottom - bar_h, slot * 0.6, bar_h), score_colour(value))
            p.drawText(QRectF(i * slot, bottom - bar_h - size * 1.4, slot, size * 1.3),
                       Qt.AlignmentFlag.AlignCenter, "—" if value is None else f"{value:.1f}")
            p.drawText(QRectF(i * slot, bottom + 2, slot, size * 2.2),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, label)
        p.setPen(QColor("#90A4AE"))
        p.drawLine(0, int(bottom), w, int(bottom))
        p.end()
