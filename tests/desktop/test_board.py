"""The dispatcher's board (调度台) over a real store: cards in the columns of their line, coloured by their
worst SLA clock (a breach made by history written with old event times), counts, the team filter,
double-click opening the ticket in the tickets area, and “supervise now” writing the escalation."""

# ruff: noqa: F811  (the fixtures imported from itsm_store are used as parameters)
from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtGui import QColor

from desktop.app import build_main_window
from desktop.board.area import BACKGROUNDS, WORST_ROLE, BoardArea
from desktop.main_window import MainWindow
from desktop.tickets.area import TicketsArea
from shared.db.types import utcnow
from shared.services import supervision, tickets
from shared.store import Store
from tests.desktop.itsm_store import (  # noqa: F401
    World,
    collect_qt_garbage,
    context,
    itsm,
    itsm_store,
    itsm_template,
    zh,
)


def seed(store: Store, itsm: World) -> dict[str, str]:
    """Open incidents on every line; “late” is a P1 opened three hours ago (its resolution target of
    4 h on 7×24 is 75 % used: a warning), “breached” a P1 opened a day ago and escalated to the vendor."""
    desk = itsm.people["desk"].actor
    now = utcnow()
    made: dict[str, str] = {}
    with store.write(desk.user_id) as cs:
        def new(key: str, at_minutes_ago: int, impact: int = 3, urgency: int = 3) -> str:
            fields = {"impact": impact, "urgency": urgency}
            made[key] = tickets.create_ticket(cs, desk, "incident", f"工单{key}", fields,
                                              at=now - timedelta(minutes=at_minutes_ago))["id"]
            return made[key]

        def step(key: str, action: str, minutes_ago: int, fields: dict[str, Any] | None = None) -> None:
            tickets.transition(cs, desk, made[key], action, fields, at=now - timedelta(minutes=minutes_ago))

        new("fresh", 2)
        new("line2", 30)
        step("line2", "accept", 25)
        step("line2", "dispatch", 20, {"team_id": itsm.teams["line2"]})
        new("waiting", 40)
        step("waiting", "accept", 35)
        step("waiting", "request_dispatch", 30)
        new("held", 50)
        step("held", "accept", 45)
        step("held", "pend", 40, {"data.pending_reason": "user"})
        new("late", 185, 1, 1)
        step("late", "accept", 184)
        new("breached", 24 * 60, 1, 1)
        step("breached", "accept", 24 * 60 - 5)
        step("breached", "dispatch", 24 * 60 - 10, {"team_id": itsm.teams["line2"]})
        step("breached", "escalate", 24 * 60 - 30, {"team_id": itsm.teams["vendor"]})
    return made


def board_area(qtbot: Any, ctx: Any) -> BoardArea:
    board = BoardArea(ctx)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: board.data is not None)
    return board


def test_cards_by_line_coloured_by_sla(qtbot: Any, itsm: World, itsm_store: Store, zh: Any) -> None:
    seed(itsm_store, itsm)
    board = board_area(qtbot, context(itsm_store, zh, itsm, "desk"))
    numbers = _numbers(itsm_store)
    assert board.cards("line1") == [(numbers["工单late"], "warning"), (numbers["工单fresh"], "ok")]
    assert board.cards("dispatch") == [(numbers["工单waiting"], "ok")]
    assert board.cards("line2") == [(numbers["工单line2"], "ok")]
    assert board.cards("line3") == [(numbers["工单breached"], "breached")]
    assert board.cards("pending") == [(numbers["工单held"], "ok")]
    headers = [board.headers[k].text() for k in ("line1", "dispatch", "line2", "line3", "pending")]
    assert headers == ["一线（2）", "待派工（1）", "二线（1）", "三线（1）", "挂起（1）"]
    card = board.lists["line3"].item(0)
    assert card.background().color() == QColor(BACKGROUNDS["breached"])
    assert card.data(WORST_ROLE) == "breached"
    assert "工单breached\n华为厂商工程师组 · 三线处理中" in card.text() and "P1" in card.text()
    assert board.lists["line1"].item(0).background().color() == QColor(BACKGROUNDS["warning"])

    zh.apply("en")
    assert board.headers["dispatch"].text() == "Awaiting dispatch (1)"
    assert "Tier 3 in progress" in board.lists["line3"].item(0).text()
    zh.apply("zh")

    board.team_filter.setCurrentIndex(board.team_filter.findData(itsm.teams["line2"]))
    qtbot.waitUntil(lambda: sum(board.data.counts().values()) == 1 if board.data else False)
    assert board.cards("line2") == [(numbers["工单line2"], "ok")] and board.cards("line1") == []


def test_supervise_now_writes_the_escalation(qtbot: Any, itsm: World, itsm_store: Store, zh: Any) -> None:
    made = seed(itsm_store, itsm)
    board = board_area(qtbot, context(itsm_store, zh, itsm, "lead"))
    with qtbot.waitSignal(board.supervised):
        board.supervise_button.click()
    levels = {(n["ticket"], n["level"]) for n in board.notices}
    numbers = _numbers(itsm_store)
    assert (numbers["工单breached"], "escalation") in levels
    assert (numbers["工单late"], "warning") in levels
    log = [board.log.item(i).text() for i in range(board.log.count())]
    assert any(t.startswith("升级：") and numbers["工单breached"] in t and "建议升级至3线" in t for t in log)
    with itsm_store.read() as session:
        written = supervision.escalations(session, itsm.people["lead"].actor, made["breached"])
    assert [e["data"]["level"] for e in written] == ["escalation"]
    with qtbot.waitSignal(board.supervised):
        board.supervise_button.click()  # written once: a second pass finds nothing new
    assert board.notices == [] and board.log.item(0).text() == "没有到期的预警或升级。"


def test_double_click_opens_the_ticket(qtbot: Any, itsm: World, itsm_store: Store, zh: Any) -> None:
    made = seed(itsm_store, itsm)
    window: MainWindow = build_main_window(context(itsm_store, zh, itsm, "desk"))
    qtbot.addWidget(window)
    window.show()
    window.show_area("board")
    board = window.area("board")
    assert isinstance(board, BoardArea)
    qtbot.waitUntil(lambda: board.data is not None and board.lists["line3"].count() == 1)
    board.lists["line3"].itemDoubleClicked.emit(board.lists["line3"].item(0))
    tickets_area = window.area("tickets")
    assert isinstance(tickets_area, TicketsArea) and window.stack.currentWidget() is tickets_area
    detail = tickets_area.detail
    qtbot.waitUntil(lambda: detail.ticket is not None and detail.ticket["id"] == made["breached"])
    assert detail.clocks.levels["resolution"] == "breached"
    assert "已超时" in detail.clocks.texts["resolution"].text()


def _numbers(store: Store) -> dict[str, str]:
    from sqlalchemy import select

    from shared.models.tickets import Ticket

    with store.read() as session:
        return {t.title: t.number for t in session.scalars(select(Ticket).where(Ticket.process == "incident"))}
