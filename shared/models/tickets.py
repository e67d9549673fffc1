"""One ticket table family shared by every process (incident, request, problem, change …)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced

# KPI (0012): the few tickets whose data names the change that caused them, without reading every incident
# (a partial index; a query uses it by repeating the predicate of its dialect word for word)
CAUSED_BY_CHANGE_WHERE = {"sqlite": "instr(data, '\"caused_by_change\"') > 0",
                          "postgresql": "strpos(data::text, '\"caused_by_change\"') > 0"}


class Ticket(Synced, Base):
    """A ticket of any process. Process-specific fields live in ``data`` and merge per key."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_owner_opened", "owner_path", "opened_at"),
                      Index("ix_tickets_opened_id", "opened_at", "id"),  # newest-first lists and keyset pages
                      Index("ix_tickets_list_walk", "opened_at", "id", "owner_path", "deleted", "process", "state"),
                      Index("ix_tickets_process_opened", "process", "opened_at"),  # KPI: a process's tickets
                      Index("ix_tickets_process_resolved", "process", "resolved_at"),  # of a period (0012)
                      Index("ix_tickets_process_closed", "process", "closed_at"),
                      Index("ix_tickets_parent_id", "parent_id"),  # KPI: incidents a change caused (0012)
                      Index("ix_tickets_caused_by_change", "process",
                            sqlite_where=text(CAUSED_BY_CHANGE_WHERE["sqlite"]),
                            postgresql_where=text(CAUSED_BY_CHANGE_WHERE["postgresql"])))
    __sync_policies__: ClassVar[dict[str, str]] = {
        "state": "state_machine",
        "assignee_id": "queue",
        "team_id": "queue",
        "priority": "queue",
    }

    process: Mapped[str] = mapped_column(String(32), index=True)
    number: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(32), index=True)
    impact: Mapped[int] = mapped_column(default=3)
    urgency: Mapped[int] = mapped_column(default=3)
    priority: Mapped[str] = mapped_column(String(4), default="P4")
    category: Mapped[str] = mapped_column(String(64), default="")
    origin: Mapped[str] = mapped_column(String(32), default="")
    caller_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    team_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    assignee_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    data: Mapped[dict] = mapped_column(default=dict)


REVIEW_ENTRIES = "kind = 'history' AND body = 'review'"


class TicketEntry(Synced, Base):
    """Append-only: comments, work logs and the history timeline of a ticket."""

    __tablename__ = "ticket_entries"
    __table_args__ = (Index("ix_ticket_entries_links", "ticket_id",  # the few link entries, read both ways (0014)
                            sqlite_where=text("kind = 'link'"), postgresql_where=text("kind = 'link'")),
                      Index("ix_ticket_entries_reviews", "ticket_id",  # changes' review entries, for KPIs (0015)
                            sqlite_where=text(REVIEW_ENTRIES), postgresql_where=text(REVIEW_ENTRIES)))
    __append_only__: ClassVar[bool] = True

    ticket_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # comment | worklog | history
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    data: Mapped[dict] = mapped_column(default=dict)
