"""Vertical work between levels (纵向贯通): tasks issued down the tree, reports and security events sent
up, KPI figures entered by hand.

Ownership decides how each row travels (see shared/sync/scope.py):

* a ``Task`` is owned by the issuing unit; its receivers below read it (``tasks`` is ancestor-visible);
* a ``TaskAssignment`` — one receiver's acceptance, progress and submission — is owned by the receiver,
  so it is written offline at a county and flows up by normal sync; its id is derived from
  (task, receiver) so two offline acceptances of the same task converge to one row;
* a ``WorkEntry`` is an append-only line about a task, report or security event (progress note, urge,
  review verdict …), owned by whoever wrote it: an issuer's urge or review reaches the receiver because
  work entries are ancestor-visible, a receiver's progress note flows up;
* ``Report``, ``SecurityEvent`` and ``KpiEntry`` are owned by the unit they describe and flow up.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced

_NS = uuid.UUID("6f1c3c52-5a0e-4a53-9a51-1d6c1b0f7a07")


def assignment_id(task_id: str, org_path: str) -> str:
    return str(uuid.uuid5(_NS, f"task-assignment:{task_id}:{org_path}"))


def kpi_entry_id(indicator: str, period: str, org_path: str) -> str:
    return str(uuid.uuid5(_NS, f"kpi-entry:{indicator}:{period}:{org_path}"))


class Task(Synced, Base):
    """A task (督办) issued by a unit to units below it, with a deadline and required deliverables."""

    __tablename__ = "tasks"
    __sync_policies__: ClassVar[dict[str, str]] = {"state": "queue", "deadline": "queue"}

    number: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(32), default="special")
    deadline: Mapped[datetime]
    deliverables: Mapped[list] = mapped_column(default=list)  # names of the required deliverables
    targets: Mapped[list] = mapped_column(default=list)  # org paths of the receivers
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    issuer_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="issued")  # issued | closed
    issued_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class TaskAssignment(Synced, Base):
    """One receiver's side of a task; owned by the receiving unit (owner_path is the receiver)."""

    __tablename__ = "task_assignments"
    __sync_policies__: ClassVar[dict[str, str]] = {"state": "queue"}

    task_id: Mapped[str] = mapped_column(String(36), index=True)
    state: Mapped[str] = mapped_column(String(16), default="accepted")  # accepted | in_progress | submitted
    progress: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[dict] = mapped_column(default=dict)  # deliverable name → what was delivered
    receiver_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WorkEntry(Synced, Base):
    """Append-only: progress notes, urges (催办), review verdicts, report stages of tasks, reports and events."""

    __tablename__ = "work_entries"
    __append_only__: ClassVar[bool] = True
    __table_args__ = (Index("ix_work_entries_subject", "subject", "subject_id"),)

    subject: Mapped[str] = mapped_column(String(16))  # task | report | security_event
    subject_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))  # progress | urge | approve | return | submit | stage …
    target_path: Mapped[str] = mapped_column(String(255), default="")  # the receiver an entry is about
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    at: Mapped[datetime]
    data: Mapped[dict] = mapped_column(default=dict)


class Report(Synced, Base):
    """An operations, security or service report of one unit for one period, drafted from the data."""

    __tablename__ = "work_reports"
    __sync_policies__: ClassVar[dict[str, str]] = {"state": "queue"}
    __table_args__ = (Index("ix_work_reports_kind_period", "kind", "period"),)

    number: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # operations | security | service
    period: Mapped[str] = mapped_column(String(16))  # 2026-11 | 2026-Q4
    title: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft | reviewed | submitted | …
    sections: Mapped[dict] = mapped_column(default=dict)  # the figures drafted from the data
    analysis: Mapped[str] = mapped_column(Text, default="")
    suggestions: Mapped[str] = mapped_column(Text, default="")
    scope_code: Mapped[str] = mapped_column(String(64), default="")  # service code of a service report
    author_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    drafted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class SecurityEvent(Synced, Base):
    """A network-security event graded I–IV (GB/T 20986-2023), with its reporting clock."""

    __tablename__ = "security_events"
    __sync_policies__: ClassVar[dict[str, str]] = {"state": "queue", "grade": "queue"}

    number: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(32))
    grade: Mapped[int] = mapped_column(Integer)  # 1 = 特别重大 … 4 = 一般
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | reported | final | archived
    discovered_at: Mapped[datetime]
    systems: Mapped[list] = mapped_column(default=list)
    measures: Mapped[str] = mapped_column(Text, default="")
    loss: Mapped[str] = mapped_column(Text, default="")
    first_report_at: Mapped[datetime | None] = mapped_column(nullable=True)
    final_report_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ticket_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class KpiEntry(Synced, Base):
    """A figure for an indicator that comes from outside ITOps (monitoring, phone system, scans)."""

    __tablename__ = "kpi_entries"
    __table_args__ = (Index("ix_kpi_entries_period", "period", "indicator"),)

    indicator: Mapped[str] = mapped_column(String(48))
    period: Mapped[str] = mapped_column(String(16))
    numerator: Mapped[float] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
