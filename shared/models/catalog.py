"""Reference data of the service processes, one table for every kind (see resources/catalog.yaml):
services and their catalogue items, SLA definitions, business calendars, suppliers and contracts,
business units, capacity thresholds. Kinds and their fields are data; this is only storage.

Entries owned by an ancestor org unit apply below it (an HQ calendar reaches every county, a
province may override it), so the table is readable from ancestors (shared/sync/scope.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced


class CatalogEntry(Synced, Base):
    __tablename__ = "catalog_entries"
    __table_args__ = (Index("ix_catalog_entries_kind_code", "kind", "code"),)

    kind: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    data: Mapped[dict] = mapped_column(default=dict)


class Measurement(Synced, Base):
    """Append-only utilisation readings per CI (capacity management): CPU, memory, disk, bandwidth."""

    __tablename__ = "measurements"
    __append_only__: ClassVar[bool] = True
    __table_args__ = (Index("ix_measurements_ci_metric_at", "ci_id", "metric", "measured_at"),)

    ci_id: Mapped[str] = mapped_column(String(36))
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    measured_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(32), default="manual")
