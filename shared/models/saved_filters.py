"""Saved filters of the desktop lists: a person's named list queries, which follow them to every device.

A ``SavedFilter`` is a synced row owned at the user's org unit, carrying the user's id: it syncs like any
row of that unit, so the person finds their filters on another desktop of the unit (or after a reinstall).
Only its owner reads or changes it (``shared.services.saved_filters`` filters by user id). It is not kept
out of the unit's nodes and their ancestors: a list query is no secret, and a narrower sync scope for one
entity would be a new rule in ``shared.sync.scope`` for little gain.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced


class SavedFilter(Synced, Base):
    __tablename__ = "saved_filters"
    __natural_keys__: ClassVar[tuple[str, ...]] = ("user_id", "list_key", "name")

    user_id: Mapped[str] = mapped_column(String(36), index=True)
    list_key: Mapped[str] = mapped_column(String(32))  # which list: tickets | cis
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[dict] = mapped_column(default=dict)  # the list's filter and sort, as plain values
