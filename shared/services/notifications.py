"""Notifications: in-app rows for each person (synced to their desktop), and on the server a queue of
emails and SMS with per-person preferences, quiet hours for everything but P1, retries and a log.

* ``notify`` makes the in-app notification (id = uuid5(kind, reference, person, key): the same warning
  is made once however often a check runs) and, on a server, queues one delivery per channel;
* ``deliver_due`` sends what is due through the configured SMTP server and SMS gateway, recording every
  attempt; a failure is retried with a doubling delay, then marked failed;
* the periodic checks that make notifications (SLA clocks, assignments, escalations, task and
  security-event deadlines) are in ``shared.integrations.checks``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.integrations import channels
from shared.integrations.settings import get_setting
from shared.models.integrations import Notification, NotificationDelivery, NotificationPref
from shared.models.org import User
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

NOTIFY_NAMESPACE = uuid.UUID("a3e94c1d-7b25-4f08-8c6e-0f1d2b3a4c5e")
RESOURCE = Path(__file__).resolve().parent.parent / "resources" / "integrations" / "notifications.yaml"


@cache
def config() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(RESOURCE.read_text(encoding="utf-8"))
    return doc


def kinds() -> dict[str, dict[str, Any]]:
    return dict(config()["kinds"])


def notification_id(kind: str, ref_id: str | None, user_id: str, key: str = "") -> str:
    return str(uuid.uuid5(NOTIFY_NAMESPACE, f"{kind}|{ref_id or ''}|{user_id}|{key}"))


# -- making notifications -------------------------------------------------------------------------
def notify(cs: ChangeSet, user: User, kind: str, title: str, body: str = "", *, ref_entity: str = "",
           ref_id: str | None = None, priority: str = "", key: str = "", now: datetime | None = None,
           ) -> dict[str, Any] | None:
    """One notification for one person; None when it was made before (same kind, ref, person, key)."""
    if kind not in kinds():
        raise Invalid(f"unknown notification kind {kind!r}")
    nid = notification_id(kind, ref_id, user.id, key)
    if cs.session.get(Notification, nid) is not None:
        return None
    row = cs.create(Notification, user.org_path, {
        "user_id": user.id, "kind": kind, "title": title[:255], "body": body, "priority": priority,
        "ref_entity": ref_entity, "ref_id": ref_id}, row_id=nid)
    if cs.state.role != "client":  # email and SMS leave from servers only
        enqueue(cs.session, row, user, now or utcnow())
    return row_to_dict(row)


def channels_for(session: Session, user: User, kind: str) -> tuple[list[str], NotificationPref | None]:
    pref = session.get(NotificationPref, pref_id(user.id))
    chosen = (pref.channels or {}).get(kind) if pref is not None else None
    if chosen is None:
        chosen = kinds()[kind].get("channels", [])
    return [c for c in chosen if c in config()["channels"]], pref


def enqueue(session: Session, note: Notification, user: User, now: datetime) -> list[NotificationDelivery]:
    wanted, pref = channels_for(session, user, note.kind)
    address = {"email": user.email, "sms": user.phone}
    due = now
    if note.priority not in config()["urgent_priorities"] and pref is not None:
        due = quiet_end(pref, now) or now
    out = []
    for channel in wanted:
        if not address.get(channel):
            continue  # nothing to send to: the in-app notification is all this person gets
        row = NotificationDelivery(
            id=str(uuid.uuid5(NOTIFY_NAMESPACE, f"{note.id}|{channel}")), notification_id=note.id,
            channel=channel, address=address[channel], status="pending" if due <= now else "deferred",
            attempts=0, next_attempt_at=due, last_error="", attempts_log=[], created_at=now)
        session.merge(row)
        out.append(row)
    return out


def quiet_end(pref: NotificationPref, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if ``now`` falls inside them (they may span midnight)."""
    if not pref.quiet_start or not pref.quiet_end:
        return None
    try:
        zone = ZoneInfo(pref.timezone or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Shanghai")
    start, end = _hhmm(pref.quiet_start), _hhmm(pref.quiet_end)
    local = now.astimezone(zone)
    t = local.time().replace(second=0, microsecond=0)
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_at = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if end_at <= local:
        end_at += timedelta(days=1)
    return end_at.astimezone(now.tzinfo)


def _hhmm(text: str) -> time:
    try:
        hour, minute = (int(x) for x in text.split(":"))
        return time(hour, minute)
    except ValueError:
        raise Invalid(f"quiet hours are HH:MM, not {text!r}") from None


# -- preferences -------------------------------------------------------------------------------------
def pref_id(user_id: str) -> str:
    return str(uuid.uuid5(NOTIFY_NAMESPACE, f"pref|{user_id}"))


def set_prefs(cs: ChangeSet, actor: Actor, username: str, channels_by_kind: dict[str, list[str]] | None = None,
              quiet: tuple[str, str] | None = None, timezone: str | None = None) -> dict[str, Any]:
    user = cs.session.scalar(select(User).where(User.username == username, User.deleted.is_(False)))
    if user is None or not actor.can_see(user.org_path):
        raise NotFound(f"no user {username}")
    if actor.user_id != user.id and "admin" not in actor.roles:
        raise Forbidden("only the person or an administrator changes notification preferences")
    values: dict[str, Any] = {}
    if channels_by_kind is not None:
        for kind, chosen in channels_by_kind.items():
            if kind not in kinds():
                raise Invalid(f"unknown notification kind {kind!r}; kinds: {', '.join(kinds())}")
            bad = [c for c in chosen if c not in config()["channels"]]
            if bad:
                raise Invalid(f"unknown channel {', '.join(bad)}; channels: {', '.join(config()['channels'])}")
        values["channels"] = channels_by_kind
    if quiet is not None:
        if any(quiet):
            _hhmm(quiet[0]), _hhmm(quiet[1])
        values["quiet_start"], values["quiet_end"] = quiet
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(f"unknown time zone {timezone!r}") from None
        values["timezone"] = timezone
    row = cs.session.get(NotificationPref, pref_id(user.id))
    if row is None:
        row = cs.create(NotificationPref, user.org_path, {"user_id": user.id, **values}, row_id=pref_id(user.id))
    else:
        if "channels" in values:
            values["channels"] = {**(row.channels or {}), **values["channels"]}
        cs.update(row, values)
    return row_to_dict(row)


def get_prefs(session: Session, user_id: str) -> dict[str, Any]:
    row = session.get(NotificationPref, pref_id(user_id))
    stored: dict[str, Any] = row_to_dict(row) if row is not None else {
        "channels": {}, "quiet_start": "", "quiet_end": "", "timezone": "Asia/Shanghai"}
    chosen: dict[str, Any] = stored.get("channels") or {}
    stored["effective"] = {k: chosen.get(k, v.get("channels", [])) for k, v in kinds().items()}
    return stored


# -- in-app ------------------------------------------------------------------------------------------
def list_notifications(session: Session, user_id: str, unread_only: bool = False, limit: int = 100,
                       ) -> list[dict[str, Any]]:
    stmt = select(Notification).where(Notification.user_id == user_id, Notification.deleted.is_(False))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id).limit(limit)
    return [row_to_dict(r) for r in session.scalars(stmt)]


def mark_read(cs: ChangeSet, actor: Actor, ids: list[str] | None = None) -> int:
    """Mark the actor's notifications read (these ids, or all unread); returns how many changed."""
    stmt = select(Notification).where(Notification.user_id == actor.user_id, Notification.read_at.is_(None),
                                      Notification.deleted.is_(False))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    now = utcnow()
    count = 0
    for row in list(cs.session.scalars(stmt)):
        cs.update(row, {"read_at": now})
        count += 1
    return count


# -- the delivery queue (servers) --------------------------------------------------------------------
def deliver_due(session: Session, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send every due delivery once; returns counts by outcome. Commit per call (the caller's
    transaction): a crash mid-way re-sends at most the messages of this call."""
    now = now or utcnow()
    smtp, sms = get_setting(session, "smtp"), get_setting(session, "sms")
    due = list(session.scalars(select(NotificationDelivery).where(
        NotificationDelivery.status.in_(("pending", "deferred")), NotificationDelivery.next_attempt_at <= now)
        .order_by(NotificationDelivery.next_attempt_at, NotificationDelivery.id).limit(limit)))
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for delivery in due:
        note = session.get(Notification, delivery.notification_id)
        if note is None:
            delivery.status, delivery.last_error = "failed", "the notification no longer exists"
            counts["failed"] += 1
            continue
        try:
            if delivery.channel == "email":
                channels.send_email(smtp, delivery.address, note.title, _email_body(note), note.id)
            else:
                channels.send_sms(sms, delivery.address, f"【ITOps】{note.title}", note.title, note.id)
        except channels.DeliveryError as exc:
            counts[_failed(delivery, str(exc), now)] += 1
        else:
            delivery.status, delivery.sent_at, delivery.last_error = "sent", now, ""
            delivery.attempts = int(delivery.attempts or 0) + 1
            delivery.attempts_log = [*(delivery.attempts_log or []), {"at": now.isoformat(), "ok": True}]
            counts["sent"] += 1
    return counts


def _failed(delivery: NotificationDelivery, error: str, now: datetime) -> str:
    cfg = config()
    delivery.attempts = int(delivery.attempts or 0) + 1
    delivery.last_error = error[:500]
    delivery.attempts_log = [*(delivery.attempts_log or []), {"at": now.isoformat(), "ok": False,
                                                              "error": error[:500]}]
    if delivery.attempts >= int(cfg["max_attempts"]):
        delivery.status = "failed"
        return "failed"
    delay = min(int(cfg["retry_seconds"]) * 2 ** (delivery.attempts - 1), int(cfg["max_delay_seconds"]))
    delivery.status, delivery.next_attempt_at = "pending", now + timedelta(seconds=delay)
    return "retry"


def _email_body(note: Notification) -> str:
    label = kinds().get(note.kind, {}).get("zh", note.kind)
    footer = "—— ITOps 一体化IT运维服务体系（系统自动发送，请勿回复）"
    return "\n".join([f"{label}：{note.title}", "", note.body or "", "", footer])


def delivery_log(session: Session, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    stmt = select(NotificationDelivery, Notification).join(
        Notification, Notification.id == NotificationDelivery.notification_id, isouter=True)
    if status:
        stmt = stmt.where(NotificationDelivery.status == status)
    stmt = stmt.order_by(NotificationDelivery.created_at.desc(), NotificationDelivery.id).limit(limit)
    return [{"id": d.id, "channel": d.channel, "address": d.address, "status": d.status, "attempts": d.attempts,
             "next_attempt_at": d.next_attempt_at.isoformat(), "sent_at": d.sent_at.isoformat() if d.sent_at
             else None, "last_error": d.last_error, "kind": n.kind if n else "", "title": n.title if n else "",
             "log": list(d.attempts_log or [])} for d, n in session.execute(stmt)]
