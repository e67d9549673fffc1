"""Desktop search pieces: the lazily paged ticket model (one keyset query per page, counted) and the
TicketSearch widget (Chinese substrings, process filter, count, activation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from desktop import ops
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.ops import Bus
from desktop.search import TicketPageModel, TicketSearch
from shared.search import ensure_search_index
from shared.search.paging import TicketFilter
from shared.services import tickets
from shared.services.actor import Actor
from shared.store import Store

COUNT = 250


@pytest.fixture
def ctx(county: tuple[Store, Actor], qapp: QApplication) -> Iterator[AppContext]:
    store, actor = county
    with store.write(actor.user_id) as cs:
        for n in range(COUNT):
            title = "办公室打印机卡纸" if n == 7 else f"营销系统登录缓慢 {n}"
            tickets.create_ticket(cs, actor, "incident", title)
        tickets.create_ticket(cs, actor, "knowledge", "打印机卡纸处理方法", {"data.steps": "清理搓纸轮"})
    ensure_search_index(store.engine)
    language = Language()
    language.apply("zh")
    yield AppContext(store, Bus(), language, SignedIn(actor, {"username": actor.username}))
    ops.wait_idle()
    language.uninstall()
    language.deleteLater()


class Statements:
    """Every SQL statement the store's engine runs (the SELECTs that read tickets, with their parameters)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list[tuple[str, Any]] = []
        event.listen(store.engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                _many: bool) -> None:
        self.seen.append((statement, parameters))

    def ticket_selects(self) -> list[tuple[str, Any]]:
        return [(s, p) for s, p in self.seen
                if s.lstrip().upper().startswith("SELECT") and "FROM tickets" in s and "count(" not in s]

    def close(self) -> None:
        event.remove(self.store.engine, "before_cursor_execute", self._record)


def test_the_lazy_model_loads_one_page_per_query(ctx: AppContext, qtbot: Any) -> None:
    statements = Statements(ctx.store)
    model = TicketPageModel(ctx, page_size=100)
    with qtbot.waitSignal(model.pageLoaded, timeout=5000):
        model.set_filter(TicketFilter())
    assert model.rowCount() == 100
    first = statements.ticket_selects()
    assert len(first) == 1 and tuple(first[0][1][-2:]) == (101, 0)  # LIMIT page + 1: one page, no OFFSET
    qtbot.waitUntil(lambda: model.total is not None, timeout=5000)
    assert model.total == COUNT + 1
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.pageLoaded, timeout=5000):
        model.fetchMore(QModelIndex())
    with qtbot.waitSignal(model.pageLoaded, timeout=5000):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == COUNT + 1 and not model.canFetchMore(QModelIndex())
    selects = statements.ticket_selects()
    assert len(selects) == 3  # three pages, three queries
    assert all(tuple(p[-2:]) == (101, 0) for _, p in selects)  # keyset: every page starts at OFFSET 0
    ids = [model.ticket_id(r) for r in range(model.rowCount())]
    assert len(set(ids)) == COUNT + 1  # no row twice, none skipped
    opened = [model.rows[r]["opened_at"] for r in range(model.rowCount())]
    assert opened == sorted(opened, reverse=True)
    statements.close()


def test_filter_changes_start_from_the_first_page(ctx: AppContext, qtbot: Any) -> None:
    model = TicketPageModel(ctx, page_size=50)
    with qtbot.waitSignal(model.pageLoaded, timeout=5000):
        model.set_filter(TicketFilter(process="knowledge"))
    assert [model.rows[r]["title"] for r in range(model.rowCount())] == ["打印机卡纸处理方法"]
    with qtbot.waitSignal(model.pageLoaded, timeout=5000):
        model.set_filter(TicketFilter(query="营销"))
    assert model.rowCount() == 50 and model.canFetchMore(QModelIndex())
    assert model.data(model.index(0, 2)) == "新建(服务台受理)"


def test_search_widget_finds_chinese_substrings_and_opens_a_ticket(ctx: AppContext, qtbot: Any) -> None:
    widget = TicketSearch(ctx)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.ready and widget.model.rowCount() > 0, timeout=5000)
    widget.box.setText("打印机")
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2, timeout=5000)  # after the debounce
    titles = sorted(widget.model.rows[r]["title"] for r in range(2))
    assert titles == ["办公室打印机卡纸", "打印机卡纸处理方法"]
    qtbot.waitUntil(lambda: widget.count.text() == "2 条结果", timeout=5000)  # Chinese by default
    widget.process.setCurrentIndex(widget.process.findData("knowledge"))
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1, timeout=5000)
    with qtbot.waitSignal(widget.ticketActivated, timeout=2000) as signal:
        widget.table.doubleClicked.emit(widget.model.index(0, 0))
    assert signal.args == [widget.model.ticket_id(0)]
    widget.box.setText("纸")  # one character: the LIKE fallback
    widget.process.setCurrentIndex(0)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2, timeout=5000)
    assert widget.table.model().headerData(0, Qt.Orientation.Horizontal) is not None
