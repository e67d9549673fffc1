"""``CIListModel``: the CI list over the local store, a page at a time (``desktop.paging``), filtered in SQL
by class (with its subclasses), location and text, sorted by class, name and id (keyset pages). Never the
whole CMDB in memory; the count is capped ("10,000+")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject
from sqlalchemy import Select
from sqlalchemy.orm import Session

from desktop.cmdb.queries import PAGE_SIZE, CIQuery
from desktop.context import AppContext
from desktop.paging import Order, PagedListModel, PageSource, sql_page
from shared.cmdb.states import state_label
from shared.models.cmdb import ConfigItem
from shared.services.cmdb import _listed
from shared.sync.codec import row_to_dict

COLUMNS = ("asset_tag", "name", "ci_class", "status", "ip", "location")
WATCHED = frozenset({"config_items", "ci_relations", "ci_lifecycle_records"})
ORDER = Order((ConfigItem.ci_class, ConfigItem.name, ConfigItem.id), ("ci_class", "name", "id"))


class CISource(PageSource[CIQuery]):
    def statement(self, session: Session) -> Select[Any]:
        q = self.query
        return _listed(session, self.actor, q.ci_class, q.location or None, q.text or None)  # type: ignore[no-any-return]

    def order(self) -> Order:
        return ORDER

    def page(self, session: Session, after: Any, offset: int, limit: int,
             backwards: bool = False) -> tuple[list[dict[str, Any]], bool]:
        return sql_page(session, self.statement(session), ORDER, after, offset, limit, backwards, row_to_dict)


class CIListModel(PagedListModel[CIQuery]):
    COLUMNS = COLUMNS
    WATCHED = WATCHED
    PAGE_SIZE = PAGE_SIZE

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, CIQuery(), parent)
        self.class_labels: dict[str, str] = {}

    def make_source(self, query: CIQuery) -> CISource:
        return CISource(self.ctx.store, self.ctx.actor, query)

    def set_filter(self, ci_class: str | None, location: str, text: str) -> None:
        self.set_query(replace(self.query, ci_class=ci_class or None, location=location.strip(), text=text.strip()))

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "ci_class":
            return self.class_labels.get(row["ci_class"], row["ci_class"])
        if key == "status":
            return state_label(row["status"], self.ctx.lang)
        return str(row.get(key) or "")

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Asset tag"), self.tr("Name"), self.tr("Class"), self.tr("Status"), self.tr("IP"),
                self.tr("Location"))

    def ci_id(self, row: int) -> str | None:
        return self.row_id(row)
