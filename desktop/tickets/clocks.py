"""过程监督 in the detail: one row per SLA clock (progress bar, elapsed / target, status, deadline),
coloured at 75 % (warning) and 100 % (breached), and the ticket's escalation notices."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QListWidget, QProgressBar, QVBoxLayout, QWidget

from desktop.formatting import local_time
from desktop.widgets import named
from shared.processes.sla import event_time

COLOURS = {"ok": "#2e7d32", "warning": "#ef6c00", "breached": "#c62828", "idle": "#9e9e9e"}


def clock_level(clock: dict[str, Any]) -> str:
    """ok | warning | breached | idle (not started: nothing to colour)."""
    if clock.get("status") == "not_started":
        return "idle"
    if clock.get("breached"):
        return "breached"
    if clock.get("warning"):
        return "warning"
    return "ok"


def bar_style(level: str) -> str:
    return f"QProgressBar::chunk {{ background-color: {COLOURS[level]}; }}"


class ClockPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clocks")
        self.clocks: list[dict[str, Any]] = []
        self.escalation_entries: list[dict[str, Any]] = []
        self.lang = "zh"
        self.bars: dict[str, QProgressBar] = {}
        self.texts: dict[str, QLabel] = {}
        self.levels: dict[str, str] = {}
        self.grid = QGridLayout()
        self.none = named(QLabel(), "no_clocks")
        self.none.setStyleSheet("color: gray;")
        self.escalations_caption = QLabel()
        self.escalations = named(QListWidget(), "escalations")
        self.escalations.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.none)
        layout.addLayout(self.grid)
        layout.addWidget(self.escalations_caption)
        layout.addWidget(self.escalations, 1)
        self.retranslateUi()

    def set_clocks(self, clocks: list[dict[str, Any]], escalations: list[dict[str, Any]], lang: str) -> None:
        self.clocks, self.escalation_entries, self.lang = clocks, escalations, lang
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.none.setText(self.tr("This process has no SLA clocks."))
        self.escalations_caption.setText(self.tr("Escalation notices"))
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.bars, self.texts, self.levels = {}, {}, {}
        self.none.setVisible(not self.clocks)
        for row, clock in enumerate(self.clocks):
            self._add_row(row, clock)
        self.escalations.clear()
        labels = {c["name"]: c["label"].get(self.lang, c["name"]) for c in self.clocks}
        for entry in self.escalation_entries:
            notice = dict(entry.get("data") or {})
            text = notice_text(notice, labels.get(str(notice.get("clock")), str(notice.get("clock"))))
            self.escalations.addItem(f"{local_time(event_time(entry))}  {text or entry.get('body', '')}")
        if not self.escalation_entries:
            self.escalations.addItem(self.tr("None"))

    def _add_row(self, row: int, clock: dict[str, Any]) -> None:
        name, level = clock["name"], clock_level(clock)
        percent = clock.get("percent")
        bar = named(QProgressBar(), f"clock_{name}")
        bar.setRange(0, 100)
        bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.setValue(min(100, int(percent or 0)))
        bar.setFormat(f"{percent:.0f}%" if percent is not None else "—")
        bar.setStyleSheet(bar_style(level))
        bar.setProperty("level", level)
        text = named(QLabel(self.describe(clock)), f"clock_{name}_text")
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        caption = QLabel(clock["label"].get(self.lang, name))
        self.grid.addWidget(caption, row, 0)
        self.grid.addWidget(bar, row, 1)
        self.grid.addWidget(text, row, 2)
        self.grid.setColumnStretch(1, 1)
        self.bars[name], self.texts[name], self.levels[name] = bar, text, level

    def describe(self, clock: dict[str, Any]) -> str:
        target = clock.get("target_minutes")
        used = self.tr("{elapsed} of {target}").format(
            elapsed=minutes_text(clock.get("elapsed_minutes") or 0.0),
            target=minutes_text(target) if target is not None else self.tr("no target"))
        status = self.status_text(clock["status"])
        if clock.get("breached") and clock["status"] in ("running", "paused"):
            status = self.tr("overdue")
        deadline = clock.get("deadline")
        if deadline and clock["status"] == "running":
            return self.tr("{used} · {status} · due {deadline}").format(used=used, status=status,
                                                                       deadline=local_time(deadline))
        return f"{used} · {status}"

    def status_text(self, status: str) -> str:
        return {"running": self.tr("running"), "paused": self.tr("paused"), "met": self.tr("met"),
                "breached": self.tr("breached"), "not_started": self.tr("not started")}.get(status, status)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


def minutes_text(minutes: float | None) -> str:
    """95.5 → ``1:35`` (hours:minutes of working time)."""
    total = round(minutes or 0)
    return f"{total // 60}:{total % 60:02d}"


def notice_text(notice: dict[str, Any], clock: str) -> str:
    """A supervision notice in the interface language (the stored text is Chinese)."""
    percent = f"{float(notice.get('percent') or 0):.0f}"
    if notice.get("level") == "escalation":
        return QCoreApplication.translate(
            "Supervision", "{clock} overdue ({percent} %): escalate to tier {line}; the duty lead is notified").format(
            clock=clock, percent=percent, line=notice.get("next_line", ""))
    if notice.get("level") == "warning":
        return QCoreApplication.translate(
            "Supervision", "{clock}: {percent} % of the time used; the duty lead should keep an eye on it").format(
            clock=clock, percent=percent)
    return ""
