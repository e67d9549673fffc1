"""Integrations: monitoring events, notifications, the rules-and-standards library, and the
server-side tables behind them.

Synced (they travel like any other row):

* ``monitoring_events`` — append-only log of every alert received, with its outcome, owned by the
  matched CI's org unit (or the sending system's) so the county's desktop shows it per CI;
* ``notifications`` — one in-app notification for one person, owned by that person's org unit; the id
  is deterministic (kind, reference, person, threshold), so a warning is made once however often the
  check runs;
* ``notification_prefs`` — a person's channels per kind and quiet hours (id = uuid5(user));
* ``documents`` — one version of a rule, standard or work instruction, published by HQ (``/HQ/``);
* ``document_reads`` — "I have read this version", one per person and version (id = uuid5(doc, user)).

Local to a server (never synced): ``event_api_keys`` (hashed keys of the sending systems),
``alert_states`` (open alert per fingerprint → its incident), ``notification_deliveries`` (the email
and SMS queue with every attempt logged) and ``integration_settings`` (SMTP, SMS gateway, LDAP, syslog).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, Synced
from shared.db.types import utcnow


class MonitoringEvent(Synced, Base):
    __tablename__ = "monitoring_events"
    __append_only__: ClassVar[bool] = True
    __table_args__ = (Index("ix_monitoring_events_ci", "ci_id", "received_at"),)

    source: Mapped[str] = mapped_column(String(64))  # the API key's name (the sending system)
    fingerprint: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16))  # firing | resolved
    severity: Mapped[str] = mapped_column(String(16), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    ticket_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    outcome: Mapped[str] = mapped_column(String(24))  # opened | updated | recovered | resolved | …
    starts_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(nullable=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    labels: Mapped[dict] = mapped_column(default=dict)


class Notification(Synced, Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user", "user_id", "created_at"),)

    user_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(4), default="")
    ref_entity: Mapped[str] = mapped_column(String(48), default="")
    ref_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)


class NotificationPref(Synced, Base):
    __tablename__ = "notification_prefs"

    user_id: Mapped[str] = mapped_column(String(36), index=True)
    channels: Mapped[dict] = mapped_column(default=dict)  # kind → ["email", "sms"]; missing kind: defaults
    quiet_start: Mapped[str] = mapped_column(String(5), default="")  # "22:00" local time; "" = none
    quiet_end: Mapped[str] = mapped_column(String(5), default="")
    timezone: Mapped[str] = mapped_column(String(48), default="Asia/Shanghai")


class Document(Synced, Base):
    __tablename__ = "documents"
    __natural_keys__: ClassVar[tuple[str, ...]] = ("code", "edition")

    code: Mapped[str] = mapped_column(String(48), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # rule | standard | instruction
    title: Mapped[str] = mapped_column(String(255))
    edition: Mapped[str] = mapped_column(String(32))  # the document's own version ("2024版", "V3.1")
    effective_date: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD
    issuing_unit: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(16), default="current")  # current | superseded | withdrawn
    summary: Mapped[str] = mapped_column(Text, default="")
    published_by: Mapped[str | None] = mapped_column(String(36), nullable=True)


class DocumentRead(Synced, Base):
    __tablename__ = "document_reads"
    __append_only__: ClassVar[bool] = True

    document_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


# -- server-local tables -------------------------------------------------------------------------
class EventApiKey(Base):
    __tablename__ = "event_api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    org_path: Mapped[str] = mapped_column(String(255))  # events may only touch this subtree
    settings: Mapped[dict] = mapped_column(default=dict)  # on_recovery: record | resolve | close
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AlertState(Base):
    """The incident an alert fingerprint is attached to (id = uuid5(key, fingerprint))."""

    __tablename__ = "alert_states"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(36), index=True)
    fingerprint: Mapped[str] = mapped_column(String(128))
    ticket_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    ci_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    firings: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)


class NotificationDelivery(Base):
    """One message on one channel: the retry queue and, with ``attempts_log``, the delivery log."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (Index("ix_notification_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    notification_id: Mapped[str] = mapped_column(String(36), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | sms
    address: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed | deferred
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    attempts_log: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IntegrationSetting(Base):
    """Server configuration of one integration (smtp, sms, ldap, syslog, notify), set with the CLI."""

    __tablename__ = "integration_settings"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[dict] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DirectoryAccount(Base):
    """A person who signs in through the company directory (LDAP / AD): their password is the directory's,
    and the server's cached hash is dropped when the directory refuses them."""

    __tablename__ = "directory_accounts"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    dn: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[str] = mapped_column(String(36))
    groups: Mapped[list] = mapped_column(default=list)
    last_sign_in: Mapped[datetime | None] = mapped_column(nullable=True)
    refused_at: Mapped[datetime | None] = mapped_column(nullable=True)
    refusal: Mapped[str] = mapped_column(String(200), default="")


class SyslogExport(Base):
    """Audit entries already sent to syslog (entries arrive late from offline stores: a set, not a cursor)."""

    __tablename__ = "syslog_exports"

    audit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    exported_at: Mapped[datetime] = mapped_column(default=utcnow)
