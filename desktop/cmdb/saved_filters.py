"""``CIFiltersBar``: saved filters of the CI list (class, location, text) — the ticket list's bar
(``desktop.tickets.saved_filters``) reading and setting the CMDB area's filter widgets."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from desktop.cmdb.queries import CIQuery
from desktop.tickets.saved_filters import SavedFiltersBar

QUERY_KEYS = tuple(f.name for f in fields(CIQuery))


class CIFiltersBar(SavedFiltersBar):
    LIST_KEY = "cis"

    def current_query(self) -> dict[str, Any]:
        return asdict(self.area.model.query)

    def apply(self, query: dict[str, Any]) -> None:
        wanted = CIQuery(**{k: v for k, v in query.items() if k in QUERY_KEYS})
        area = self.area
        widgets = (area.class_filter, area.location, area.search)
        for widget in widgets:
            widget.blockSignals(True)
        area.class_filter.setCurrentIndex(max(area.class_filter.findData(wanted.ci_class), 0) if wanted.ci_class
                                          else 0)
        area.location.setText(wanted.location)
        area.search.setText(wanted.text)
        for widget in widgets:
            widget.blockSignals(False)
        area.apply_filter()
