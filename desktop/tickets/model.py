"""``TicketListModel``: the ticket list over the local store, a page at a time (``desktop.paging``).

Sorting (header clicks) and filtering re-query in SQL; pages follow the sort key and the id (keyset).
The count comes from the maintained per-unit counts when no text filter is set, else capped.
A reload caused by a write keeps as many rows loaded as before, so the view keeps its place.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Qt
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.paging import Count, Order, PagedListModel, PageSource, capped_count
from desktop.tickets.labels import process_name, state_label
from desktop.tickets.queries import LIST_COLUMNS, PAGE_SIZE, SORT_KEYS, TicketQuery, _scoped
from shared.models.tickets import Ticket
from shared.search.counts import ensure_ticket_counts, maintained_count

COLUMNS = ("number", "title", "process", "state", "priority", "opened_at")
ID_ROLE = Qt.ItemDataRole.UserRole
WALK_INDEX = "ix_tickets_list_walk"  # (opened_at, id, owner_path, deleted, process, state): migration 0013


class TicketSource(PageSource[TicketQuery]):
    def statement(self, session: Session) -> Select[Any]:
        stmt: Any = select(*LIST_COLUMNS)
        return _scoped(stmt, self.actor, self.query)  # type: ignore[no-any-return]

    def order(self) -> Order:
        column = SORT_KEYS.get(self.query.sort, Ticket.opened_at)
        name = self.query.sort if self.query.sort in SORT_KEYS else "opened_at"
        return Order((column, Ticket.id), (name, "id"), self.query.descending,
                     nullable=bool(getattr(column, "nullable", False)),
                     walk_index=WALK_INDEX if name == "opened_at" else None)

    def ready(self) -> None:
        ensure_ticket_counts(self.store.engine)

    def count(self, session: Session) -> Count:
        if not self.query.text.strip():
            n = maintained_count(session, self.actor.org_path, self.query.process, self.query.state)
            if n is not None:
                return Count(n)
        return capped_count(session, self.statement(session))

    def prepare(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            row["opened_at"] = local_time(row.get("opened_at"))
        return rows


class TicketListModel(PagedListModel[TicketQuery]):
    COLUMNS = COLUMNS
    WATCHED = frozenset({"tickets"})

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, TicketQuery(), parent)

    def page_size(self) -> int:
        return PAGE_SIZE  # read at call time (tests shrink it)

    def make_source(self, query: TicketQuery) -> TicketSource:
        return TicketSource(self.ctx.store, self.ctx.actor, query)

    def set_filter(self, process_code: str | None, text: str, state: str | None = None) -> None:
        self.set_query(replace(self.query, process=process_code or None, text=text.strip(), state=state or None))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.set_query(replace(self.query, sort=COLUMNS[column], descending=order == Qt.SortOrder.DescendingOrder))

    def display(self, row: dict[str, Any], key: str) -> str:
        lang = self.ctx.lang
        if key == "process":
            return process_name(row["process"], lang)
        if key == "state":
            return state_label(row["process"], row["state"], lang)
        return str(row.get(key) or "")

    def role_data(self, row: dict[str, Any], key: str, role: int) -> Any:
        return row["title"] if role == Qt.ItemDataRole.ToolTipRole and key == "title" else None

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Number"), self.tr("Title"), self.tr("Process"), self.tr("State"),
                self.tr("Priority"), self.tr("Opened"))

    def ticket_id(self, row: int) -> str | None:
        return self.row_id(row)
