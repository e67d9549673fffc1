"""``TicketPageModel``: tickets of the signed-in user's scope, newest first, loaded one page at a time.

A ``desktop.paging.PagedListModel``: each fetch is one keyset query (``shared.search.paging.ticket_page``)
run off the GUI thread, so the model never holds more than the pages scrolled through and never runs a
query for rows nobody looks at. Filtering (process, state, full-text) happens in SQL; a changed filter
starts again from the first page. The count comes with the first page — maintained per unit for a plain
list, capped ("10,000+") for a search — and is announced with ``countChanged``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from desktop.context import AppContext
from desktop.paging import Count, PagedListModel, PageSource, capped_count
from shared.processes.engine import process
from shared.search.counts import ensure_ticket_counts, maintained_count
from shared.search.paging import TicketFilter, filtered, ticket_page

PAGE_SIZE = 100
COLUMNS = ("number", "title", "state", "priority", "opened_at")


class SearchSource(PageSource[TicketFilter]):
    def ready(self) -> None:
        ensure_ticket_counts(self.store.engine)

    def page(self, session: Session, after: Any, offset: int, limit: int,
             backwards: bool = False) -> tuple[list[dict[str, Any]], bool]:
        if backwards:  # the page that ends just before position ``offset``
            start = max(offset - limit, 0)
            page = ticket_page(session, self.actor, self.query, None, offset - start, start)
            return page.rows, True
        page = ticket_page(session, self.actor, self.query, after, limit, offset)
        return page.rows, page.next_key is not None

    def key(self, row: dict[str, Any]) -> tuple[Any, ...] | None:
        return (row["opened_at"], row["id"]) if row.get("opened_at") else None

    def count(self, session: Session) -> Count:
        flt = self.query
        if not flt.query.strip():
            n = maintained_count(session, self.actor.org_path, flt.process, flt.state)
            if n is not None:
                return Count(n)
        stmt = filtered(session, self.actor, flt)
        return Count(0) if stmt is None else capped_count(session, stmt)


class TicketPageModel(PagedListModel[TicketFilter]):
    pageLoaded = Signal(int)  # rows now loaded
    COLUMNS = COLUMNS
    PAGE_SIZE = PAGE_SIZE
    COUNT_APART = True

    def __init__(self, ctx: AppContext, page_size: int = PAGE_SIZE, parent: QObject | None = None) -> None:
        self._total: int | None = None
        super().__init__(ctx, TicketFilter(), parent, page_size)
        self._total = None
        self.loaded.connect(lambda: self.pageLoaded.emit(len(self.rows)))

    @property  # type: ignore[override]
    def total(self) -> int | None:
        """None until the count of the current filter has arrived (it runs apart from the first page)."""
        return self._total

    @total.setter
    def total(self, value: int | None) -> None:
        self._total = value

    def reload(self, keep_loaded: bool = False) -> None:
        self._total = None
        super().reload(keep_loaded)

    @property
    def filter(self) -> TicketFilter:
        return self.query

    def make_source(self, query: TicketFilter) -> SearchSource:
        return SearchSource(self.ctx.store, self.ctx.actor, query)

    def set_filter(self, flt: TicketFilter) -> None:
        """Start again from the first page of ``flt`` (and count it)."""
        self.query = flt
        self.reload()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Number"), self.tr("Title"), self.tr("State"), self.tr("Priority"), self.tr("Opened"))

    def display(self, row: dict[str, Any], key: str) -> Any:
        if key == "state":
            try:
                return process(row["process"]).state_label(row["state"], self.ctx.lang)
            except ValueError:
                return row["state"]
        if key == "opened_at":
            return (row["opened_at"] or "")[:16].replace("T", " ")
        return row[key]

    def ticket_id(self, row: int) -> str:
        return str(self.rows[row]["id"])


__all__ = ["COLUMNS", "PAGE_SIZE", "TicketPageModel"]
