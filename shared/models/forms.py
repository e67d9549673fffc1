"""SOP form templates and records, machine rooms (racks, facilities, logs) and plans."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced


class FormTemplate(Synced, Base):
    """A version of an SOP template (HQ owns it: rows owned by /HQ/ reach every node).

    The packaged YAML under resources/sop is the built-in default; a published row with a higher
    version supersedes it. A version goes draft → review → published (→ retired); review → draft
    when the reviewer rejects it. Only a draft is edited; published versions never change: a
    change is a new version. ``data`` keeps the review trail (``reviews``: who, verdict, comment).
    """

    __tablename__ = "form_templates"
    __table_args__ = (Index("ix_form_templates_code_version", "code", "template_version"),)

    code: Mapped[str] = mapped_column(String(16))
    template_version: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(16), default="published")  # draft|review|published|retired
    text: Mapped[str] = mapped_column(Text)  # the YAML source
    published_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    data: Mapped[dict] = mapped_column(default=dict)


class FormRecord(Synced, Base):
    """A filled (or planned) SOP work form; keeps the template version it was filled with.

    ``values`` holds item values by item code (merges per item); ``data`` holds remarks
    (``remark:ITEM``), linked incidents (``incident:ITEM``) and the evaluation summary.
    """

    __tablename__ = "form_records"
    __table_args__ = (Index("ix_form_records_room_planned", "room_id", "planned_at"),
                      Index("ix_form_records_planned", "planned_at"))  # KPI: forms planned in a period (0012)
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
    plan_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    shift: Mapped[str] = mapped_column(String(16), default="")
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    abnormal_count: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(default=dict)


class MachineRoom(Synced, Base):
    __tablename__ = "machine_rooms"

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    grade: Mapped[str] = mapped_column(String(1), default="C")
    address: Mapped[str] = mapped_column(String(200), default="")
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    area_m2: Mapped[float | None] = mapped_column(Float, nullable=True)
    power_kw: Mapped[float | None] = mapped_column(Float, nullable=True)
    cooling_kw: Mapped[float | None] = mapped_column(Float, nullable=True)
    # per-room threshold overrides {item code: {normal, warn, alarm}} and measuring points {item code: [..]}
    thresholds: Mapped[dict] = mapped_column(default=dict)
    points: Mapped[dict] = mapped_column(default=dict)


class Rack(Synced, Base):
    __tablename__ = "racks"

    room_id: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120), default="")
    row: Mapped[str] = mapped_column(String(16), default="")
    u_total: Mapped[int] = mapped_column(Integer, default=42)
    u_used: Mapped[int] = mapped_column(Integer, default=0)
    power_kw: Mapped[float | None] = mapped_column(Float, nullable=True)
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class Facility(Synced, Base):
    """A room facility: UPS, battery string, precision AC, PDU, fire suppression, DCIM, access control …"""

    __tablename__ = "facilities"

    room_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(120))
    model: Mapped[str] = mapped_column(String(120), default="")
    vendor: Mapped[str] = mapped_column(String(120), default="")
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    attributes: Mapped[dict] = mapped_column(default=dict)


class RoomLog(Synced, Base):
    """Append-only duty-log, access-register and reading lines of a machine room."""

    __tablename__ = "room_logs"
    __append_only__: ClassVar[bool] = True

    room_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # duty | access | reading
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    data: Mapped[dict] = mapped_column(default=dict)


class Plan(Synced, Base):
    """A plan that schedules work (计划管理): on its due days a ``form`` plan spawns form records, a
    ``task`` plan spawns a task to its ``targets`` (org paths; the plan's own unit when empty)."""

    __tablename__ = "plans"
    __sync_policies__: ClassVar[dict[str, str]] = {"state": "queue"}

    number: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    plan_type: Mapped[str] = mapped_column(String(16), default="monthly")  # yearly | monthly | weekly | adhoc
    category: Mapped[str] = mapped_column(String(32), default="inspection")
    template_code: Mapped[str] = mapped_column(String(16))  # "" for a task plan
    kind: Mapped[str] = mapped_column(String(8), default="form")  # form | task
    targets: Mapped[list] = mapped_column(default=list)
    room_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    rule: Mapped[str] = mapped_column(String(16), default="daily")  # daily|weekly|monthly|quarterly|yearly|once
    day: Mapped[int] = mapped_column(Integer, default=1)  # weekday 1–7, day of month / of period
    shifts: Mapped[list] = mapped_column(default=list)
    start_on: Mapped[str] = mapped_column(String(10))
    end_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    working_days_only: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    assignee_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    team_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    affects_business: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(default=dict)
