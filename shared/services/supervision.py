"""过程监督 supervision: the dispatcher's board of open work by line and team with SLA clocks, and the
escalation pass (75 % → warn the duty lead; 100 % → functional escalation flag for the next line and a
hierarchical notice to the duty lead).

Escalation notices are append-only ticket entries whose ids are derived from (ticket, clock, level):
two nodes that both notice the same breach write the same row, and the sync keeps one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.org import Team
from shared.models.tickets import Ticket, TicketEntry
from shared.processes.engine import process
from shared.processes.sla import Clock, ticket_clocks
from shared.services.actor import Actor
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

ESCALATION_NAMESPACE = uuid.UUID("2e8b5a4c-7d1f-4c3e-b9a2-6f5d4e3c2b1a")
BOARD_PROCESSES = ("incident", "request")
COLUMNS = ("line1", "dispatch", "line2", "line3", "pending")


@dataclass
class BoardCard:
    ticket: dict[str, Any]
    clocks: list[Clock]
    team_name: str = ""

    @property
    def worst(self) -> str:
        """breached > warning > ok — the card's colour on the board."""
        if any(c.breached and c.status in ("running", "paused") for c in self.clocks):
            return "breached"
        if any(c.warning for c in self.clocks):
            return "warning"
        return "ok"


@dataclass
class Board:
    columns: dict[str, list[BoardCard]] = field(default_factory=lambda: {c: [] for c in COLUMNS})

    def counts(self) -> dict[str, int]:
        return {c: len(cards) for c, cards in self.columns.items()}


def _column(proc_code: str, state: str) -> str | None:
    proc = process(proc_code)
    s = proc.states.get(state)
    if s is None or s.phase == "done":
        return None
    if s.phase == "paused":
        return "pending"
    if state == "dispatched":
        return "dispatch"
    return {1: "line1", 2: "line2", 3: "line3"}.get(s.line or 1)


def board(session: Session, actor: Actor, now: datetime | None = None, team_id: str | None = None) -> Board:
    """Open incidents and requests in the actor's scope, by column, most urgent first."""
    now = now or utcnow()
    stmt = select(Ticket).where(Ticket.owner_path.startswith(actor.org_path), Ticket.deleted.is_(False),
                                Ticket.process.in_(BOARD_PROCESSES), Ticket.closed_at.is_(None))
    if team_id:
        stmt = stmt.where(Ticket.team_id == team_id)
    teams = {t.id: t.name for t in session.scalars(select(Team))}
    result = Board()
    for row in session.scalars(stmt):
        column = _column(row.process, row.state)
        if column is None:
            continue
        card = BoardCard(row_to_dict(row), ticket_clocks(session, row.id, now), teams.get(row.team_id or "", ""))
        result.columns[column].append(card)
    rank = {"breached": 0, "warning": 1, "ok": 2}
    for cards in result.columns.values():
        cards.sort(key=lambda c: (rank[c.worst], c.ticket["priority"], c.ticket["number"]))
    return result


def escalation_id(ticket_id: str, clock: str, level: str) -> str:
    return str(uuid.uuid5(ESCALATION_NAMESPACE, f"{ticket_id}|{clock}|{level}"))


def supervise(cs: ChangeSet, actor: Actor, now: datetime | None = None) -> list[dict[str, Any]]:
    """Write the warnings and escalations that are due and not yet written; returns them."""
    actor.require_role("writing escalations")
    now = now or utcnow()
    written = []
    rows = cs.session.scalars(select(Ticket).where(
        Ticket.owner_path.startswith(actor.org_path), Ticket.deleted.is_(False),
        Ticket.process.in_(BOARD_PROCESSES), Ticket.closed_at.is_(None)))
    for row in list(rows):
        for clock in ticket_clocks(cs.session, row.id, now):
            if clock.status not in ("running", "paused") or clock.percent is None:
                continue
            level = "escalation" if clock.breached else "warning" if clock.warning else ""
            if not level:
                continue
            eid = escalation_id(row.id, clock.name, level)
            if cs.session.get(TicketEntry, eid) is not None:
                continue
            notice = _notice(row, clock, level)
            cs.append(TicketEntry, row.owner_path, {
                "ticket_id": row.id, "kind": "escalation", "body": notice["text"], "author_id": actor.user_id,
                "data": {**notice, "at": now.isoformat()}}, row_id=eid)
            written.append({"ticket": row.number, **notice})
    return written


def _notice(row: Ticket, clock: Clock, level: str) -> dict[str, Any]:
    proc = process(row.process)
    working = (row.data or {}).get("state_before_pending") if row.state == "pending" else row.state
    state = proc.states.get(str(working))
    line = state.line if state and state.line else 1
    label = clock.label["zh"]
    if level == "warning":
        text = f"{row.number} {label}时限已用 {clock.percent:.0f}%，请值班长关注"
        return {"level": level, "clock": clock.name, "percent": clock.percent, "notify": "duty_lead", "text": text}
    next_line = min(line + 1, 3)
    text = (f"{row.number} {label}超时（{clock.percent:.0f}%）：建议升级至{next_line}线处理，已通知值班长")
    return {"level": level, "clock": clock.name, "percent": clock.percent, "notify": "duty_lead",
            "next_line": next_line, "text": text}


def escalations(session: Session, actor: Actor, ticket_id: str | None = None) -> list[dict[str, Any]]:
    stmt = select(TicketEntry).where(TicketEntry.kind == "escalation",
                                     TicketEntry.owner_path.startswith(actor.org_path))
    if ticket_id:
        stmt = stmt.where(TicketEntry.ticket_id == ticket_id)
    return [row_to_dict(e) for e in session.scalars(stmt.order_by(TicketEntry.hlc))]
