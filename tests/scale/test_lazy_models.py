"""The desktop's lazy list models over 5,000 tickets: scrolling reads one page per SQL statement (keyset,
never OFFSET), a jump reads one page wherever it lands, and the count comes from the maintained counts
(kept by triggers through creates, transitions and deletes) or is capped — never a scan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event, func, select

from desktop import ops
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.ops import Bus
from desktop.paging import capped_count, enable_jumps
from desktop.tickets.model import TicketListModel
from desktop.widgets import list_table
from shared.demo_large import Sizes, add_large_data
from shared.models.tickets import Ticket
from shared.search.counts import ensure_ticket_counts, maintained_count
from shared.services import tickets
from shared.services.actor import Actor
from shared.store import Store
from tests.scale.conftest import province_store

TICKETS = 5_000
PAGE = 200


@pytest.fixture(scope="module")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lazy") / "province.db"
    store = province_store(path)
    add_large_data(store, None, Sizes(tickets=TICKETS, cis=20, forms=0))
    ensure_ticket_counts(store.engine)  # the one fill (a scan) happens here, as after an upgrade
    store.close()
    return path


@pytest.fixture
def ctx(large_template: Path, tmp_path: Path, qapp: QApplication) -> Iterator[AppContext]:
    path = tmp_path / "province.db"
    path.write_bytes(large_template.read_bytes())
    store = Store(f"sqlite:///{path}")
    with store.read() as session:
        from shared.services.users import find_user

        user = find_user(session, "gd_admin")
    actor = Actor(user.id, "gd_admin", "/HQ/GD/", ("admin",))
    language = Language()
    language.apply("zh")
    yield AppContext(store, Bus(), language, SignedIn(actor, {"username": "gd_admin"}))
    ops.wait_idle()
    language.uninstall()
    language.deleteLater()
    store.close()


class Statements:
    """The SELECTs the store's engine runs on ``tickets`` (SQLAlchemy's before_cursor_execute)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list[tuple[str, tuple[Any, ...]]] = []
        event.listen(store.engine, "before_cursor_execute", self._record)

    def _record(self, _c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        self.seen.append((statement, tuple(parameters or ())))

    def pages(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [(s, p) for s, p in self.seen if s.lstrip().upper().startswith("SELECT") and "FROM tickets" in s
                and "count(" not in s]

    def clear(self) -> None:
        self.seen.clear()

    def close(self) -> None:
        event.remove(self.store.engine, "before_cursor_execute", self._record)


def test_scrolling_5000_tickets_reads_one_page_per_statement(ctx: AppContext, qtbot: Any) -> None:
    with ctx.store.engine.begin() as conn:  # a few tickets with no opened time: they sort last, not lost
        conn.exec_driver_sql("UPDATE tickets SET opened_at = NULL WHERE id IN "
                             "(SELECT id FROM tickets ORDER BY number LIMIT 3)")
    statements = Statements(ctx.store)
    model = TicketListModel(ctx)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    table = list_table(model, "lazy")
    qtbot.addWidget(table)
    table.resize(800, 600)
    table.show()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == PAGE and model.total == TICKETS and model.total_exact
    assert model.total_text() == "5,000" or model.total_text() == "5000"
    assert len(statements.pages()) == 1
    assert not [s for s, _ in statements.seen if "count(" in s and "FROM tickets" in s]  # no counting scan
    while model.canFetchMore() or model.loading:
        table.scrollToBottom()  # the view asks fetchMore when it reaches the end
        qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
        QApplication.processEvents()
    assert model.rowCount() == TICKETS
    pages = statements.pages()
    # 25 statements for 25 pages (never a page twice, never all rows), and one for the rows with no opened
    # time, read once the dated ones run out; every one LIMIT page + 1 at most, OFFSET 0: keyset every time
    assert len(pages) == TICKETS // PAGE + 1
    assert all(p[-1] == 0 and p[-2] <= PAGE + 1 for _, p in pages)
    assert "opened_at IS NULL" in pages[-1][0] and " OR " not in pages[-2][0]
    assert max(inserted) <= PAGE
    ids = [model.ticket_id(r) for r in range(model.rowCount())]
    assert len(set(ids)) == TICKETS
    with ctx.store.read() as session:
        newest = session.scalars(select(Ticket.id).order_by(Ticket.opened_at.desc(), Ticket.id.desc())).all()
    assert ids == list(newest)
    statements.close()


def test_a_jump_reads_one_page_where_it_lands(ctx: AppContext, qtbot: Any) -> None:
    with ctx.store.read() as session:
        expected = session.scalars(select(Ticket.id).order_by(Ticket.opened_at.desc(), Ticket.id.desc())
                                   .offset(4_000).limit(400)).all()
    model = TicketListModel(ctx)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    statements = Statements(ctx.store)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.jump_to(4_321)
    assert model.first == 4_200 and model.rowCount() == PAGE
    reads = statements.pages()
    assert len(reads) == 2  # the key before row 4,200 (from the index), then one keyset page
    assert "INDEXED BY ix_tickets_list_walk" in reads[0][0] and "LIMIT 1 OFFSET 4199" in reads[0][0]
    assert [model.ticket_id(r) for r in range(PAGE)] == list(expected[200:])
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.fetch_previous()  # scrolling up from a jump: the page before it, by keyset backwards
    assert model.first == 4_000 and [model.ticket_id(r) for r in range(2 * PAGE)] == list(expected)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.fetchMore()
    assert model.rowCount() == 3 * PAGE and len(statements.pages()) == 4
    statements.close()


def test_counts_are_maintained_through_writes_and_capped_otherwise(ctx: AppContext) -> None:
    store, actor = ctx.store, ctx.actor
    assert ensure_ticket_counts(store.engine)
    with store.read() as session:
        before = maintained_count(session, "/HQ/GD/")
        incidents = maintained_count(session, "/HQ/GD/", "incident")
        assert before == TICKETS
        assert incidents == session.scalar(select(func.count()).where(Ticket.process == "incident"))
    with store.write(actor.user_id) as cs:
        made = tickets.create_ticket(cs, actor, "incident", "计数触发器", {}, owner_path="/HQ/GD/")
    with store.read() as session:
        assert maintained_count(session, "/HQ/GD/") == TICKETS + 1
        assert maintained_count(session, "/HQ/GD/", "incident", made["state"]) == session.scalar(
            select(func.count()).where(Ticket.process == "incident", Ticket.state == made["state"],
                                       Ticket.deleted.is_(False)))
    with store.write(actor.user_id) as cs:
        row = cs.session.get(Ticket, made["id"])
        assert row is not None
        cs.delete(row)
    with store.read() as session:
        assert maintained_count(session, "/HQ/GD/") == TICKETS
        capped = capped_count(session, select(Ticket.id).where(Ticket.deleted.is_(False)), cap=100)
        assert (capped.value, capped.exact) == (100, False)
        exact = capped_count(session, select(Ticket.id).where(Ticket.title == "没有这样的工单"), cap=100)
        assert (exact.value, exact.exact) == (0, True)


def test_ctrl_end_shows_the_oldest_tickets_and_scrolling_up_reads_back(ctx: AppContext, qtbot: Any) -> None:
    model = TicketListModel(ctx)
    table = list_table(model, "jumps")
    enable_jumps(table, model)
    qtbot.addWidget(table)
    table.resize(800, 400)
    table.show()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    with ctx.store.read() as session:
        oldest = session.scalars(select(Ticket.id).order_by(Ticket.opened_at.asc(), Ticket.id.asc()).limit(1)).one()
    statements = Statements(ctx.store)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert model.first == TICKETS - PAGE and model.ticket_id(model.rowCount() - 1) == oldest
    assert len(statements.pages()) == 3  # the key from the index, one page, and (the end) the undated range
    qtbot.waitUntil(lambda: table.verticalScrollBar().value() == table.verticalScrollBar().maximum())
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        table.verticalScrollBar().setValue(0)  # scrolling up to the top of the window
    assert model.first == TICKETS - 2 * PAGE and model.rowCount() == 2 * PAGE
    qtbot.wait(200)
    assert PAGE - 20 <= table.rowAt(0) <= PAGE  # still where it was: the rows just above the old top
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert model.first == 0 and model.rowCount() == PAGE
    statements.close()
