"""``RecordListModel``: form records in scope, filtered and paged in SQL (``desktop.paging``: more rows
load on scroll), newest planned first. The order (planned time, NULLs last, then number) has no cursor a
row-value comparison can follow, so pages go by OFFSET; the count is capped ("10,000+")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from sqlalchemy.orm import Session

from desktop.context import AppContext
from desktop.formatting import local_time
from desktop.paging import Count, PagedListModel, PageSource, capped_count
from shared.services import forms

COLUMNS = ("number", "template", "state", "planned_at", "shift", "abnormal_count")
PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class RecordQuery:
    template_code: str | None = None
    state: str | None = None


class RecordSource(PageSource[RecordQuery]):
    def page(self, session: Session, after: Any, offset: int, limit: int,
             backwards: bool = False) -> tuple[list[dict[str, Any]], bool]:
        q = self.query
        rows = forms.list_records(session, self.actor, q.template_code, None, q.state, None, limit + 1, offset)
        return rows[:limit], len(rows) > limit

    def key(self, row: dict[str, Any]) -> None:
        return None  # OFFSET pages

    def count(self, session: Session) -> Count:
        q = self.query
        return capped_count(session, forms._records_query(self.actor, q.template_code, None, q.state, None))

    def extra(self, session: Session) -> dict[str, str]:
        return {t["code"]: t["name_zh"] for t in forms.list_templates(session)}


class RecordListModel(PagedListModel[RecordQuery]):
    COLUMNS = COLUMNS
    WATCHED = frozenset({"form_records"})
    PAGE_SIZE = PAGE_SIZE

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, RecordQuery(), parent)

    @property
    def names(self) -> dict[str, str]:
        return self.extra or {}

    def make_source(self, query: RecordQuery) -> RecordSource:
        return RecordSource(self.ctx.store, self.ctx.actor, query)

    def set_query(self, query: RecordQuery) -> None:
        """Always from the first page (the area calls it to refresh, too)."""
        self.query = query
        self.reload()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Number"), self.tr("Form"), self.tr("State"), self.tr("Planned"), self.tr("Shift"),
                self.tr("Abnormal"))

    def state_label(self, state: str) -> str:
        return {"planned": self.tr("Planned"), "in_progress": self.tr("In progress"),
                "completed": self.tr("Completed"), "reviewed": self.tr("Reviewed")}.get(state, state)

    def display(self, row: dict[str, Any], key: str) -> Any:
        if key == "template":
            return f"{row['template_code']} {self.names.get(row['template_code'], '')}"
        if key == "state":
            return self.state_label(row["state"])
        if key == "planned_at":
            return local_time(row["planned_at"])
        return row[key]

    def role_data(self, row: dict[str, Any], key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row["abnormal_count"]:
            return QColor("#B00000")
        return None
