"""调度台 The dispatcher's board: open incidents and requests in five columns (一线 / 待派工 / 二线 / 三线 /
挂起), one card per ticket (number, priority, title, team) coloured by its worst SLA clock, a team filter,
counts per column, and 过程监督 on demand (“supervise now” writes the due warnings and escalations).

Double-clicking a card asks the main window to open the ticket in the tickets area (``open_ticket``).
The board reloads when the bus says tickets changed, and every minute (clocks keep running).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.board.queries import BoardData, Card, load_board, run_supervision
from desktop.context import AppContext
from desktop.lazy import ShownGate
from desktop.ops import error_text, run_op
from desktop.tickets.clocks import notice_text
from desktop.tickets.fields import one_line
from desktop.tickets.labels import state_label
from desktop.widgets import named
from shared.services.supervision import COLUMNS

ID_ROLE = Qt.ItemDataRole.UserRole
WORST_ROLE = Qt.ItemDataRole.UserRole + 1
BACKGROUNDS = {"ok": "#e8f5e9", "warning": "#fff3e0", "breached": "#ffebee"}
FOREGROUNDS = {"ok": "#1b5e20", "warning": "#e65100", "breached": "#b71c1c"}
REFRESH_MS = 60_000


class BoardArea(QWidget):
    open_ticket = Signal(str)
    loaded = Signal()
    supervised = Signal(object)  # the notices written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_board")
        self.ctx = ctx
        self.data: BoardData | None = None
        self.notices: list[dict[str, Any]] = []
        self.supervised_once = False
        self._generation = 0
        self.gate = ShownGate(self, self.reload)
        self.gate.stale = True  # loaded when first shown: at start-up the tickets list is what people see
        self._build()
        self.retranslateUi()
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        self.timer.start()
        ctx.bus.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.team_filter = named(QComboBox(), "team_filter")
        self.team_filter.addItem("", None)
        self.team_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.team_filter.currentIndexChanged.connect(self.reload)
        self.supervise_button = named(QPushButton(), "supervise_now")
        self.supervise_button.clicked.connect(self.supervise_now)
        self.refresh_button = named(QPushButton(), "refresh_board")
        self.refresh_button.clicked.connect(self.reload)
        self.team_caption = QLabel()
        bar = QHBoxLayout()
        for widget in (self.team_caption, self.team_filter):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.supervise_button)
        self.headers: dict[str, QLabel] = {}
        self.lists: dict[str, QListWidget] = {}
        columns = QHBoxLayout()
        for key in COLUMNS:
            header = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), f"header_{key}")
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            cards = named(QListWidget(), f"column_{key}")
            cards.setWordWrap(True)
            cards.setSpacing(3)
            cards.itemDoubleClicked.connect(self._on_double_click)
            column = QVBoxLayout()
            column.addWidget(header)
            column.addWidget(cards, 1)
            columns.addLayout(column, 1)
            self.headers[key], self.lists[key] = header, cards
        self.log_caption = QLabel()
        self.log = named(QListWidget(), "supervision_log")
        self.log.setMaximumHeight(110)
        self.log.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(columns, 1)
        layout.addWidget(self.log_caption)
        layout.addWidget(self.log)

    def column_titles(self) -> dict[str, str]:
        return {"line1": self.tr("Tier 1"), "dispatch": self.tr("Awaiting dispatch"), "line2": self.tr("Tier 2"),
                "line3": self.tr("Tier 3"), "pending": self.tr("Pending")}

    def retranslateUi(self) -> None:
        self.team_caption.setText(self.tr("Team"))
        self.team_filter.setItemText(0, self.tr("All teams"))
        self.supervise_button.setText(self.tr("Supervise now"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.log_caption.setText(self.tr("Supervision: warnings and escalations written"))
        self._show()
        self._show_log()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # --- loading --------------------------------------------------------------------------------
    def reload(self) -> None:
        """The board of a province holds every open ticket with its clocks: built only while it is shown
        (a hidden board is marked stale and rebuilt when it is shown again)."""
        if not self.gate.allows():
            return
        self._generation += 1
        team = self.team_filter.currentData()
        run_op(self, partial(load_board, self.ctx.store, self.ctx.actor, team), partial(self._on_loaded,
                                                                                     self._generation))

    def _on_loaded(self, generation: int, data: BoardData) -> None:
        if generation != self._generation:
            return
        self.data = data
        self._fill_teams(data.teams)
        self._show()
        self.loaded.emit()

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & {"tickets", "ticket_entries", "teams"}:
            self.reload()

    def _fill_teams(self, teams: list[tuple[str, str, int]]) -> None:
        current = self.team_filter.currentData()
        known = [self.team_filter.itemData(i) for i in range(1, self.team_filter.count())]
        if known == [t[0] for t in teams]:
            return
        self.team_filter.blockSignals(True)
        while self.team_filter.count() > 1:
            self.team_filter.removeItem(1)
        for team_id, name, line in teams:
            self.team_filter.addItem(self.tr("{name} (tier {line})").format(name=name, line=line), team_id)
        self.team_filter.setCurrentIndex(max(0, self.team_filter.findData(current)))
        self.team_filter.blockSignals(False)

    # --- showing --------------------------------------------------------------------------------
    def _show(self) -> None:
        titles = self.column_titles()
        counts = self.data.counts() if self.data else {}
        for key in COLUMNS:
            self.headers[key].setText(self.tr("{title} ({count})").format(title=titles[key], count=counts.get(key, 0)))
            cards = self.lists[key]
            cards.clear()
            for card in self.data.columns[key] if self.data else []:
                cards.addItem(self._item(card))

    def _item(self, card: Card) -> QListWidgetItem:
        lang = self.ctx.lang
        team = card.team or self.tr("no team")
        item = QListWidgetItem(f"{card.number}  {card.priority}\n{card.title}\n{team} · "
                               f"{state_label(card.process, card.state, lang)}")
        item.setData(ID_ROLE, card.id)
        item.setData(WORST_ROLE, card.worst)
        item.setBackground(QBrush(QColor(BACKGROUNDS[card.worst])))
        item.setForeground(QBrush(QColor(FOREGROUNDS[card.worst])))
        item.setToolTip("\n".join(self._clock_line(c) for c in card.clocks if c["status"] != "not_started"))
        return item

    def _clock_line(self, clock: dict[str, Any]) -> str:
        percent = clock.get("percent")
        return self.tr("{clock}: {percent}").format(clock=clock["label"].get(self.ctx.lang, clock["name"]),
                                                    percent=f"{percent:.0f}%" if percent is not None else "—")

    def cards(self, column: str) -> list[tuple[str, str]]:
        """(ticket number, worst SLA state) of a column's cards, top to bottom (for tests and checks)."""
        cards = self.lists[column]
        return [(cards.item(i).text().split()[0], str(cards.item(i).data(WORST_ROLE))) for i in range(cards.count())]

    def _clock_labels(self, number: str) -> dict[str, str]:
        cards = [c for cards in (self.data.columns.values() if self.data else ()) for c in cards if c.number == number]
        return {k["name"]: k["label"].get(self.ctx.lang, k["name"]) for k in (cards[0].clocks if cards else [])}

    def _on_double_click(self, item: QListWidgetItem) -> None:
        self.open_ticket.emit(str(item.data(ID_ROLE)))

    # --- supervision ----------------------------------------------------------------------------
    def supervise_now(self) -> None:
        self.supervise_button.setEnabled(False)
        run_op(self, partial(run_supervision, self.ctx.store, self.ctx.actor), self._on_supervised,
               self._on_supervise_failed, bus=self.ctx.bus, changes={"ticket_entries"})

    def _on_supervised(self, notices: list[dict[str, Any]]) -> None:
        self.supervise_button.setEnabled(True)
        self.notices = notices
        self.supervised_once = True
        self._show_log()
        self.supervised.emit(notices)

    def _on_supervise_failed(self, exc: BaseException) -> None:
        self.supervise_button.setEnabled(True)
        self.log.clear()
        self.log.addItem(one_line(error_text(exc)))

    def _show_log(self) -> None:
        self.log.clear()
        for notice in self.notices:
            escalation = notice.get("level") == "escalation"
            number = str(notice.get("ticket", ""))
            clock = self._clock_labels(number).get(str(notice.get("clock")), str(notice.get("clock")))
            text = (self.tr("Escalation: {text}") if escalation else self.tr("Warning: {text}")).format(
                text=f"{number} {notice_text(notice, clock)}")
            item = QListWidgetItem(text)
            item.setForeground(QBrush(QColor(FOREGROUNDS["breached" if escalation else "warning"])))
            self.log.addItem(item)
        if not self.notices:
            self.log.addItem(self.tr("No warning or escalation was due.") if self.supervised_once
                             else self.tr("Nothing written yet: run “Supervise now”."))
