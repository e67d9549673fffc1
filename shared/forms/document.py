"""A form as it is printed or shown: template plus everything a record holds, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.forms.engine import Finding, findings, item_levels, points_for
from shared.forms.schema import Item, Template


@dataclass
class FormDocument:
    template: Template
    number: str = ""
    record_id: str = ""
    state: str = ""
    org_name: str = ""
    room_name: str = ""
    ci_name: str = ""
    shift: str = ""
    planned_at: str = ""
    completed_at: str = ""
    reviewed_at: str = ""
    executor: str = ""
    reviewer: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    remarks: dict[str, str] = field(default_factory=dict)
    incidents: dict[str, str] = field(default_factory=dict)  # item code → incident number
    photos: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)  # item code → [(name, bytes)]
    signatures: dict[str, bytes] = field(default_factory=dict)  # SIG item code → PNG bytes
    overrides: dict[str, Any] = field(default_factory=dict)
    room_points: dict[str, list[str]] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return not self.record_id

    def points(self, item: Item) -> tuple[str, ...]:
        """The record's points: the room's or the template's, plus any the record has values for."""
        base = list(points_for(item, self.room_points))
        value = self.values.get(item.code)
        if isinstance(value, dict):
            base += [p for p in value if p not in base]
        return tuple(base)

    def findings(self) -> list[Finding]:
        return findings(self.template, self.values, self.overrides)

    def levels(self) -> dict[str, str]:
        return item_levels(self.template, self.values, self.overrides)
