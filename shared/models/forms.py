"""SOP form records and machine rooms."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced


class FormRecord(Synced, Base):
    """A filled (or planned) SOP work form; keeps the template version it was filled with."""

    __tablename__ = "form_records"
    __sync_policies__: ClassVar[dict[str, str]] = {"state": "queue"}

    number: Mapped[str] = mapped_column(String(64), index=True)
    template_code: Mapped[str] = mapped_column(String(16), index=True)
    template_version: Mapped[str] = mapped_column(String(16), default="1")
    state: Mapped[str] = mapped_column(String(24), default="planned")
    room_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    executor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reviewer_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    planned_at: Mapped[datetime | None] = mapped_column(nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    conclusion: Mapped[str] = mapped_column(String(24), default="")
    values: Mapped[dict] = mapped_column(default=dict)


class MachineRoom(Synced, Base):
    __tablename__ = "machine_rooms"

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    grade: Mapped[str] = mapped_column(String(1), default="C")
    address: Mapped[str] = mapped_column(String(200), default="")
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")


class RoomLog(Synced, Base):
    """Append-only duty-log, access-register and reading lines of a machine room."""

    __tablename__ = "room_logs"
    __append_only__: ClassVar[bool] = True

    room_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # duty | access | reading
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    data: Mapped[dict] = mapped_column(default=dict)
