"""Linked tickets in the detail (double-click opens one) and the “solved with article” picker."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import error_text, run_op
from desktop.tickets import commands
from desktop.tickets.fields import one_line
from desktop.tickets.labels import process_name, state_label
from desktop.tickets.queries import search_articles
from desktop.widgets import named

ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 250


class LinksPanel(QListWidget):
    open_ticket = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("links")
        self.rows: list[dict[str, Any]] = []
        self.lang = "zh"
        self.itemDoubleClicked.connect(self._on_double_click)

    def set_links(self, rows: list[dict[str, Any]], lang: str) -> None:
        self.rows, self.lang = rows, lang
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.clear()
        relations = {"parent": self.tr("Parent: "), "child": self.tr("Child: ")}
        for row in self.rows:
            item = QListWidgetItem(f"{relations.get(row.get('relation', ''), '')}{row['number']}  {row['title']}  "
                                   f"[{process_name(row['process'], self.lang)} · "
                                   f"{state_label(row['process'], row['state'], self.lang)}]")
            item.setData(ID_ROLE, row["id"])
            self.addItem(item)
        if not self.rows:
            empty = QListWidgetItem(self.tr("No linked tickets"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _on_double_click(self, item: QListWidgetItem) -> None:
        ticket_id = item.data(ID_ROLE)
        if ticket_id:
            self.open_ticket.emit(str(ticket_id))


class ArticleDialog(QDialog):
    """Search published knowledge articles (this unit's and its ancestors'); OK records the chosen one
    on the incident as the article it was solved with, and links them."""

    def __init__(self, ctx: AppContext, ticket_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ticket_id = ticket_id
        self._query = 0
        self.search = named(QLineEdit(clearButtonEnabled=True), "article_search")
        self.results = named(QListWidget(), "articles")
        self.preview = named(QLabel(wordWrap=True), "article_preview")
        self.error = named(QLabel(wordWrap=True), "error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self.timer.start)
        self.results.currentItemChanged.connect(self._on_current)
        self.results.itemDoubleClicked.connect(lambda _item: self.submit())
        layout = QVBoxLayout(self)
        for widget in (self.search, self.results, self.preview, self.error, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(520)
        self.retranslateUi()
        self.run_search()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Solved with article"))
        self.search.setPlaceholderText(self.tr("Search published articles by title, number or category…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def run_search(self) -> None:
        self.timer.stop()
        self._query += 1
        run_op(self, partial(search_articles, self.ctx.store, self.ctx.actor, self.search.text()),
               partial(self._on_results, self._query))

    def _on_results(self, query: int, rows: list[dict[str, Any]]) -> None:
        if query != self._query:
            return
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(f"{row['number']}  {row['title']}")
            item.setData(ID_ROLE, row["id"])
            item.setToolTip(row.get("symptom") or "")
            self.results.addItem(item)

    def _on_current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.preview.setText(item.toolTip() if item is not None else "")

    def submit(self) -> None:
        item = self.results.currentItem()
        if item is None:
            self.error.setText(self.tr("Choose an article"))
            self.error.show()
            return
        store, actor, ticket_id, article = self.ctx.store, self.ctx.actor, self.ticket_id, str(item.data(ID_ROLE))
        self.buttons.setEnabled(False)
        run_op(self, partial(commands.solved_with_article, store, actor, ticket_id, article),
               lambda _row: self.accept(), self._on_failed, bus=self.ctx.bus, changes={"tickets", "ticket_entries"})

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(one_line(error_text(exc)))
        self.error.show()
