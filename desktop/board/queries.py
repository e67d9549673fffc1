"""Reads and writes of the board; they run in workers and return plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from shared.models.org import Team
from shared.services.actor import Actor
from shared.services.supervision import COLUMNS, board, supervise
from shared.store import Store
from shared.sync.scope import ancestors


@dataclass(frozen=True)
class Card:
    id: str
    number: str
    title: str
    process: str
    state: str
    priority: str
    team: str
    worst: str  # ok | warning | breached
    clocks: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class BoardData:
    columns: dict[str, list[Card]]
    teams: list[tuple[str, str, int]]  # id, name, line

    def counts(self) -> dict[str, int]:
        return {c: len(cards) for c, cards in self.columns.items()}


def load_board(store: Store, actor: Actor, team_id: str | None = None, now: datetime | None = None) -> BoardData:
    with store.read() as session:
        result = board(session, actor, now=now, team_id=team_id)
        teams = session.scalars(select(Team).where(Team.deleted.is_(False), or_(
            Team.owner_path.startswith(actor.org_path), Team.owner_path.in_(ancestors(actor.org_path))))
            .order_by(Team.line, Team.name))
        columns = {
            column: [Card(c.ticket["id"], c.ticket["number"], c.ticket["title"], c.ticket["process"],
                          c.ticket["state"], c.ticket["priority"], c.team_name, c.worst,
                          [k.as_dict() for k in c.clocks])
                     for c in result.columns[column]]
            for column in COLUMNS}
        return BoardData(columns, [(t.id, t.name, t.line) for t in teams])


def run_supervision(store: Store, actor: Actor, now: datetime | None = None) -> list[dict[str, Any]]:
    """Write the SLA warnings and escalations that are due (once each); returns what was written."""
    with store.write(actor.user_id) as cs:
        return supervise(cs, actor, now=now)
