"""Monitoring alerts → incidents (at the province server), the per-CI event log and availability.

One ``ingest`` call handles one request of one sending system in one transaction:

* each alert is matched to a CI (explicit id or asset tag, else host name, else IP) inside the key's
  subtree, and its fingerprint to an ``AlertState`` (id = uuid5(key, fingerprint));
* a new firing opens an incident owned by the CI's org unit, its impact × urgency taken from the
  severity × criticality table (shared/resources/integrations/events.yaml);
* a repeat firing updates the same incident (count, last seen); a firing after recovery reopens it;
* a resolved alert records the recovery and, per ``on_recovery``, resolves or closes the incident;
* ``storm.threshold`` new incidents from one system inside ``storm.window_seconds`` make one parent
  incident ("告警风暴"); the incidents of the window and the ones after it become its children and only
  the parent is notified;
* every alert is appended to ``monitoring_events`` with its outcome.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.integrations.mapping import RECOVERY_MODES, EventMapping, load_mapping
from shared.integrations.payloads import Alert
from shared.integrations.settings import get_setting
from shared.models.cmdb import ConfigItem
from shared.models.integrations import AlertState, EventApiKey, MonitoringEvent
from shared.models.org import OrgUnit, User
from shared.models.tickets import Ticket
from shared.processes.engine import process
from shared.security import new_token, token_digest
from shared.services import tickets
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound, ServiceError
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

STATE_NAMESPACE = uuid.UUID("5e0b7a52-3c1d-4f8e-9b6a-2d4c8e1f7a93")
KEY_PREFIX = "itk_"
OPEN_STATES = ("new", "line1", "dispatched", "line2", "line3", "pending")
OUTAGE_SEVERITIES = ("critical", "major")


# -- API keys of the sending systems -------------------------------------------------------------
def create_key(session: Session, name: str, org_path: str, on_recovery: str | None = None) -> dict[str, Any]:
    """A new key for one sending system; the key itself is returned once and stored only as a digest."""
    name = name.strip()
    if not name or len(name) > 64:
        raise Invalid("a sending system needs a name of 1–64 characters")
    if session.scalar(select(OrgUnit).where(OrgUnit.path == org_path, OrgUnit.deleted.is_(False))) is None:
        raise Invalid(f"org {org_path} does not exist")
    if session.scalar(select(EventApiKey).where(EventApiKey.name == name)) is not None:
        raise Invalid(f"a key named {name} already exists (revoke it first, or pick another name)")
    if on_recovery is not None and on_recovery not in RECOVERY_MODES:
        raise Invalid(f"on_recovery must be one of {', '.join(RECOVERY_MODES)}")
    secret = KEY_PREFIX + new_token()
    row = EventApiKey(id=str(uuid.uuid4()), name=name, key_hash=token_digest(secret), org_path=org_path,
                      settings={"on_recovery": on_recovery} if on_recovery else {}, created_at=utcnow())
    session.add(row)
    return {**key_info(row), "key": secret}


def key_info(row: EventApiKey) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "org_path": row.org_path, "settings": dict(row.settings or {}),
            "created_at": row.created_at.isoformat() if row.created_at else None,
            "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
            "revoked": row.revoked_at is not None}


def list_keys(session: Session) -> list[dict[str, Any]]:
    return [key_info(r) for r in session.scalars(select(EventApiKey).order_by(EventApiKey.name))]


def revoke_key(session: Session, name: str) -> dict[str, Any]:
    row = session.scalar(select(EventApiKey).where(EventApiKey.name == name))
    if row is None:
        raise NotFound(f"no key named {name}")
    row.revoked_at = row.revoked_at or utcnow()
    return key_info(row)


def authenticate_key(session: Session, secret: str | None) -> EventApiKey | None:
    if not secret:
        return None
    row = session.scalar(select(EventApiKey).where(EventApiKey.key_hash == token_digest(secret)))
    if row is None or row.revoked_at is not None:
        return None
    return row


def monitor_actor(key: EventApiKey) -> Actor:
    return Actor(None, f"monitoring:{key.name}", key.org_path, ("service_desk",))


# -- ingest ------------------------------------------------------------------------------------------
def ingest(cs: ChangeSet, key: EventApiKey, alerts: list[Alert], now: datetime | None = None) -> list[dict]:
    now = now or utcnow()
    mapping = load_mapping(get_setting(cs.session, "events_mapping") or None)
    key.last_used_at = now
    ingestor = _Ingest(cs, key, mapping, now)
    return [ingestor.one(alert) for alert in alerts]


class _Ingest:
    def __init__(self, cs: ChangeSet, key: EventApiKey, mapping: EventMapping, now: datetime) -> None:
        self.cs, self.key, self.mapping, self.now = cs, key, mapping, now
        self.actor = monitor_actor(key)
        self.recovery = (key.settings or {}).get("on_recovery") or mapping.on_recovery

    def one(self, alert: Alert) -> dict[str, Any]:
        ci = match_ci(self.cs.session, self.key.org_path, alert)
        state_id = str(uuid.uuid5(STATE_NAMESPACE, f"{self.key.id}|{alert.fingerprint}"))
        state = self.cs.session.get(AlertState, state_id)
        severity = self.mapping.severity(alert.severity)
        ticket = self.cs.session.get(Ticket, state.ticket_id) if state and state.ticket_id else None
        if alert.status == "firing":
            outcome, ticket = self._firing(alert, ci, state_id, state, ticket, severity)
        else:
            outcome = self._resolved(alert, state, ticket)
        owner = ticket.owner_path if ticket else (ci.owner_path if ci else self.key.org_path)
        self.cs.append(MonitoringEvent, owner, {
            "source": self.key.name, "fingerprint": alert.fingerprint[:128], "status": alert.status,
            "severity": severity, "title": alert.title[:255], "host": alert.host[:200], "ip": alert.ip[:64],
            "ci_id": ci.id if ci else None, "ticket_id": ticket.id if ticket else None, "outcome": outcome,
            "starts_at": alert.starts_at, "ends_at": alert.ends_at, "received_at": self.now,
            "labels": dict(list(alert.labels.items())[:50])})
        return {"fingerprint": alert.fingerprint, "status": alert.status, "outcome": outcome,
                "severity": severity, "ci": ci.name if ci else None,
                "ticket": ticket.number if ticket else None, "priority": ticket.priority if ticket else None}

    # -- firing ----------------------------------------------------------------------------------
    def _firing(self, alert: Alert, ci: ConfigItem | None, state_id: str, state: AlertState | None,
                ticket: Ticket | None, severity: str) -> tuple[str, Ticket | None]:
        if state is None:
            state = AlertState(id=state_id, key_id=self.key.id, fingerprint=alert.fingerprint[:128],
                               status="firing", firings=0, first_seen=self.now, last_seen=self.now)
            self.cs.session.add(state)
        state.firings = int(state.firings or 0) + 1
        state.last_seen = self.now
        state.ci_id = ci.id if ci else state.ci_id
        if ticket is not None and ticket.state != "closed" and not ticket.deleted:
            was_resolved = state.status == "resolved"
            state.status, state.resolved_at = "firing", None
            fields = {"data.alert_firings": state.firings, "data.alert_last_seen": self.now.isoformat()}
            if ticket.state not in ("resolved", "surveyed"):
                tickets.update_ticket(self.cs, self.actor, ticket.id, fields)
                return ("refired" if was_resolved else "updated"), ticket
            try:  # the checks run before anything is written: a refusal leaves the transaction clean
                tickets.transition(self.cs, self.actor, ticket.id, "reopen", {
                    **fields, "data.reopen_reason": f"监控系统 {self.key.name} 报告告警再次触发"})
                return "reopened", ticket
            except ServiceError:  # e.g. past the reopen period: a new incident instead
                state.firings = 1
        state.status, state.resolved_at = "firing", None
        state.first_seen = self.now
        if severity in self.mapping.log_only:
            state.ticket_id = None
            return "logged", None
        new = self._open_incident(alert, ci, severity)
        state.ticket_id = new.id
        return "opened", new

    def _open_incident(self, alert: Alert, ci: ConfigItem | None, severity: str) -> Ticket:
        criticality = self.mapping.criticality((ci.attributes or {}).get("criticality") if ci else None)
        impact, urgency = self.mapping.impact_urgency(severity, criticality)
        owner = ci.owner_path if ci else self.key.org_path
        where = f"{alert.host or alert.ip or '?'}"
        description = "\n".join(x for x in (
            alert.description, f"监控系统 {self.key.name} · 级别 {alert.severity or severity} · 对象 {where}",
            "" if ci else "未在配置库中找到对应的配置项。") if x)
        fields: dict[str, Any] = {
            "description": description, "impact": impact, "urgency": urgency, "category": "监控告警",
            "origin": "monitoring", "ci_id": ci.id if ci else None,
            "data.alert_source": self.key.name, "data.alert_fingerprint": alert.fingerprint,
            "data.alert_severity": severity, "data.alert_criticality": criticality, "data.alert_firings": 1,
            "data.alert_host": alert.host, "data.alert_ip": alert.ip,
            "data.alert_started_at": (alert.starts_at or self.now).isoformat()}
        parent = self._storm_parent(owner)
        if parent is not None:
            fields["parent_id"] = parent.id
        title = f"[监控] {alert.title}" + (f" — {ci.name}" if ci else (f" — {alert.host}" if alert.host else ""))
        created = tickets.create_ticket(self.cs, self.actor, "incident", title[:255], fields, owner_path=owner)
        row = self.cs.session.get(Ticket, created["id"])
        assert row is not None
        if parent is None:
            _notify_incident(self.cs, row, ci, self.mapping)
        return row

    def _storm_parent(self, child_owner: str) -> Ticket | None:
        """The storm parent for a new incident, making it (and adopting the window's incidents) at the
        threshold."""
        session = self.cs.session
        storm_id = str(uuid.uuid5(STATE_NAMESPACE, f"{self.key.id}|storm"))
        storm = session.get(AlertState, storm_id)
        since = self.now - timedelta(seconds=self.mapping.storm_window)
        if storm is not None and storm.status == "firing" and storm.last_seen >= since and storm.ticket_id:
            parent = session.get(Ticket, storm.ticket_id)
            if parent is not None and parent.state in OPEN_STATES:
                storm.last_seen, storm.firings = self.now, int(storm.firings) + 1
                return parent
        session.flush()
        recent = list(session.scalars(select(AlertState).where(
            AlertState.key_id == self.key.id, AlertState.id != storm_id, AlertState.ticket_id.is_not(None),
            AlertState.first_seen >= since, AlertState.status == "firing")))
        if len(recent) + 1 < self.mapping.storm_threshold:
            return None
        children = [t for t in (session.get(Ticket, s.ticket_id) for s in recent)
                    if t is not None and t.parent_id is None and t.state in OPEN_STATES]
        owner = _common_ancestor([child_owner, *(t.owner_path for t in children)])
        if not owner.startswith(self.key.org_path):
            owner = self.key.org_path
        created = tickets.create_ticket(self.cs, self.actor, "incident", f"[监控] 告警风暴：{self.key.name}", {
            "description": f"{self.mapping.storm_window} 秒内收到 {len(recent) + 1} 条新告警，已归并到本事件。",
            "impact": 1, "urgency": 2, "category": "监控告警", "origin": "monitoring",
            "data.alert_source": self.key.name, "data.alert_storm": True}, owner_path=owner)
        parent = session.get(Ticket, created["id"])
        assert parent is not None
        for child in children:
            tickets.update_ticket(self.cs, self.actor, child.id, {"parent_id": parent.id})
        if storm is None:
            storm = AlertState(id=storm_id, key_id=self.key.id, fingerprint="storm", status="firing", firings=0,
                               first_seen=self.now, last_seen=self.now)
            session.add(storm)
        storm.ticket_id, storm.status, storm.first_seen, storm.last_seen = parent.id, "firing", self.now, self.now
        storm.firings = len(recent) + 1
        _notify_incident(self.cs, parent, None, self.mapping)
        return parent

    # -- resolved --------------------------------------------------------------------------------
    def _resolved(self, alert: Alert, state: AlertState | None, ticket: Ticket | None) -> str:
        if state is None:
            return "unknown"
        if state.status == "resolved":
            return "duplicate"
        state.status, state.resolved_at, state.last_seen = "resolved", self.now, self.now
        if ticket is None or ticket.deleted:
            return "recovered"
        recovered_at = (alert.ends_at or self.now).isoformat()
        note = {"data.alert_recovered_at": recovered_at}
        if ticket.state not in OPEN_STATES or self.recovery == "record":
            tickets.update_ticket(self.cs, self.actor, ticket.id, note)
            return "recovered"
        try:
            resolved = self._resolve(ticket, note, recovered_at)
        except ServiceError as exc:  # refused by the process (a guard, a rule): the recovery is still noted
            tickets.update_ticket(self.cs, self.actor, ticket.id, {**note, "data.alert_recovery_note": str(exc)})
            return "recovered"
        if not resolved:
            return "recovered"
        if self.recovery == "close":
            action = next((a for a in ("close", "auto_close") if a in _actions(ticket)), None)
            if action is not None:
                tickets.transition(self.cs, self.actor, ticket.id, action)
                return "closed"
        return "resolved"

    def _resolve(self, ticket: Ticket, note: dict[str, Any], recovered_at: str) -> bool:
        """Bring the incident to "resolved" (accepting or resuming it first); False when its state
        does not allow it (e.g. waiting for dispatch): then only the recovery is noted."""
        if ticket.state == "new":
            tickets.transition(self.cs, self.actor, ticket.id, "accept")
        elif ticket.state == "pending":
            tickets.transition(self.cs, self.actor, ticket.id, "resume")
        if ticket.state not in ("line1", "line2", "line3"):
            tickets.update_ticket(self.cs, self.actor, ticket.id, note)
            return False
        tickets.transition(self.cs, self.actor, ticket.id, "resolve", {
            **note, "data.resolution_code": self.mapping.resolution_code,
            "data.solution": f"监控系统 {self.key.name} 报告告警已恢复（{recovered_at}）。"})
        return True


def _actions(ticket: Ticket) -> set[str]:
    """What the incident's process allows from its state now (closing may need a follow-up first)."""
    return {t.action for t in process(ticket.process).actions_from(ticket.state)}


def _common_ancestor(paths: list[str]) -> str:
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for segs in zip(*parts, strict=False):
        if len(set(segs)) != 1:
            break
        common.append(segs[0])
    return "/" + "/".join(common) + "/" if common else "/"


def _notify_incident(cs: ChangeSet, ticket: Ticket, ci: ConfigItem | None, mapping: EventMapping) -> None:
    from shared.services import notifications

    people: dict[str, User] = {}
    if ci is not None and ci.owner_id:
        owner = cs.session.get(User, ci.owner_id)
        if owner is not None:
            people[owner.id] = owner
    for user in cs.session.scalars(select(User).where(User.org_path == ticket.owner_path, User.deleted.is_(False),
                                                      User.active.is_(True)).order_by(User.username)):
        if set(user.roles or ()) & set(mapping.notify_roles):
            people[user.id] = user
    for user in people.values():
        notifications.notify(cs, user, "monitoring", f"{ticket.priority} {ticket.number} {ticket.title}",
                             ticket.description, ref_entity="tickets", ref_id=ticket.id,
                             priority=ticket.priority)


def match_ci(session: Session, org_path: str, alert: Alert) -> ConfigItem | None:
    """Explicit id / asset tag first, then host name (case-insensitive), then IP; inside ``org_path``."""
    base = select(ConfigItem).where(ConfigItem.deleted.is_(False), ConfigItem.owner_path.startswith(org_path))
    order = (ConfigItem.owner_path, ConfigItem.name, ConfigItem.id)
    if alert.ci_id:
        row = session.scalar(base.where(or_(ConfigItem.id == alert.ci_id, ConfigItem.asset_tag == alert.ci_id))
                             .order_by(*order).limit(1))
        if row is not None:
            return row
    if alert.host:
        row = session.scalar(base.where(func.lower(ConfigItem.name) == alert.host.lower()).order_by(*order)
                             .limit(1))
        if row is not None:
            return row
    for ip in {alert.ip, alert.host} - {""}:
        row = session.scalar(base.where(ConfigItem.ip == ip).order_by(*order).limit(1))
        if row is not None:
            return row
    return None


# -- reading -----------------------------------------------------------------------------------
def list_events(session: Session, actor: Actor, ci_id: str | None = None, ticket_id: str | None = None,
                limit: int = 100) -> list[dict[str, Any]]:
    stmt = select(MonitoringEvent).where(MonitoringEvent.owner_path.startswith(actor.org_path))
    if ci_id:
        stmt = stmt.where(MonitoringEvent.ci_id == ci_id)
    if ticket_id:
        stmt = stmt.where(MonitoringEvent.ticket_id == ticket_id)
    stmt = stmt.order_by(MonitoringEvent.received_at.desc(), MonitoringEvent.id).limit(limit)
    return [row_to_dict(r) for r in session.scalars(stmt)]


def availability(session: Session, ci_id: str, start: datetime, end: datetime) -> dict[str, Any]:
    """Share of [start, end) the CI had no critical or major alert firing, from its event log.

    An outage runs from the alert's start (or arrival) to its recovery's end (or arrival); overlapping
    outages count once; one still firing lasts to ``end``.
    """
    if end <= start:
        raise Invalid("the period must end after it starts")
    rows = session.scalars(select(MonitoringEvent).where(MonitoringEvent.ci_id == ci_id)
                           .order_by(MonitoringEvent.received_at, MonitoringEvent.id))
    open_since: dict[str, datetime] = {}
    spans: list[tuple[datetime, datetime]] = []
    for ev in rows:
        if ev.status == "firing" and ev.severity in OUTAGE_SEVERITIES:
            open_since.setdefault(ev.fingerprint, ev.starts_at or ev.received_at)
        elif ev.status == "resolved" and ev.fingerprint in open_since:
            spans.append((open_since.pop(ev.fingerprint), ev.ends_at or ev.received_at))
    spans.extend((since, end) for since in open_since.values())
    clipped = sorted((max(a, start), min(b, end)) for a, b in spans if b > start and a < end)
    down, outages, cursor = 0.0, 0, start
    for a, b in clipped:
        if b <= cursor:
            continue
        down += (b - max(a, cursor)).total_seconds()
        outages += a >= cursor
        cursor = b
    period = (end - start).total_seconds()
    return {"ci_id": ci_id, "period_seconds": period, "down_seconds": down, "outages": outages,
            "availability": round(100.0 * (period - down) / period, 4)}


def feed_availability(cs: ChangeSet, actor: Actor, period_code: str) -> list[dict[str, Any]]:
    """Write the monitoring-based availability indicators of a month or quarter, per org unit, as KPI
    entries (numerator: available minutes, denominator: period minutes, summed over monitored CIs)."""
    from shared.integrations.mapping import default_document
    from shared.kpi.period import parse_period
    from shared.services.kpi import set_manual_entry

    actor.require_role("recording availability indicators")
    try:
        period = parse_period(period_code)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    table: dict[str, list[str]] = default_document().get("availability_indicators") or {}
    monitored = set(cs.session.scalars(select(MonitoringEvent.ci_id).where(
        MonitoringEvent.ci_id.is_not(None), MonitoringEvent.received_at < period.end).distinct()))
    sums: dict[tuple[str, str], list[float]] = {}
    for indicator, classes in table.items():
        for ci in cs.session.scalars(select(ConfigItem).where(
                ConfigItem.id.in_(monitored), ConfigItem.ci_class.in_(classes), ConfigItem.deleted.is_(False),
                ConfigItem.owner_path.startswith(actor.org_path))):
            figures = availability(cs.session, ci.id, period.start, period.end)
            total = sums.setdefault((ci.owner_path, indicator), [0.0, 0.0])
            total[0] += (figures["period_seconds"] - figures["down_seconds"]) / 60
            total[1] += figures["period_seconds"] / 60
    written = []
    for (owner, indicator), (up, whole) in sorted(sums.items()):
        written.append(set_manual_entry(cs, actor, owner, period.code, indicator, round(up, 1), round(whole, 1),
                                        note="from the monitoring event log"))
    return written
