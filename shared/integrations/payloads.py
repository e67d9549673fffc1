"""Incoming alert payloads → one normalised shape, whatever the sender.

Three formats:

* Prometheus **Alertmanager** webhook (``version`` "4", ``alerts`` with ``fingerprint``, ``labels``,
  ``annotations``, ``startsAt``, ``endsAt``);
* **Zabbix** webhook media type: the parameters of our media type (docs/integrations.md), named after
  the Zabbix macros — ``event_id`` ({EVENT.ID}), ``event_value`` ({EVENT.VALUE}: 1 problem, 0 recovery),
  ``event_severity``, ``host_name``, ``host_ip``, ``trigger_id``, ``event_name`` … Keys are matched
  ignoring case, dots and underscores, so ``EVENT.ID`` and ``event_id`` are the same;
* our own JSON: ``{"events": [{"fingerprint", "status", "severity", "title", "host", "ip", "ci_id", …}]}``
  or a single such object.

Anything else is a :class:`PayloadError` (the endpoint answers 422 and creates nothing).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_ALERTS = 1000
FORMATS = ("alertmanager", "zabbix", "generic")


class PayloadError(ValueError):
    """A payload that is not one of the accepted formats, with the reason."""


@dataclass
class Alert:
    fingerprint: str
    status: str  # firing | resolved
    severity: str
    title: str
    description: str = ""
    host: str = ""
    ip: str = ""
    ci_id: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    labels: dict[str, str] = field(default_factory=dict)


def detect_format(body: dict[str, Any]) -> str:
    if isinstance(body.get("alerts"), list) and "version" in body:
        return "alertmanager"
    keys = {_key(k) for k in body}
    if "eventid" in keys or "eventvalue" in keys:
        return "zabbix"
    return "generic"


def parse(body: Any, fmt: str | None = None) -> list[Alert]:
    if not isinstance(body, dict):
        raise PayloadError("the body must be a JSON object")
    fmt = fmt or detect_format(body)
    if fmt == "alertmanager":
        alerts = parse_alertmanager(body)
    elif fmt == "zabbix":
        alerts = [parse_zabbix(body)]
    elif fmt == "generic":
        alerts = parse_generic(body)
    else:
        raise PayloadError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    if not alerts:
        raise PayloadError("the payload holds no alert")
    if len(alerts) > MAX_ALERTS:
        raise PayloadError(f"{len(alerts)} alerts in one request; at most {MAX_ALERTS}")
    return alerts


# -- Alertmanager ---------------------------------------------------------------------------------
def parse_alertmanager(body: dict[str, Any]) -> list[Alert]:
    raw = body.get("alerts")
    if not isinstance(raw, list):
        raise PayloadError("alertmanager: 'alerts' must be a list")
    common = _str_dict(body.get("commonLabels"))
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise PayloadError(f"alertmanager: alert {i} is not an object")
        labels = {**common, **_str_dict(item.get("labels"))}
        notes = _str_dict(item.get("annotations"))
        status = str(item.get("status") or body.get("status") or "")
        if status not in ("firing", "resolved"):
            raise PayloadError(f"alertmanager: alert {i} has status {status!r} (firing or resolved)")
        if not labels.get("alertname"):
            raise PayloadError(f"alertmanager: alert {i} has no alertname label")
        instance = labels.get("instance", "")
        host = labels.get("host") or labels.get("hostname") or labels.get("nodename") or _host_of(instance)
        fingerprint = str(item.get("fingerprint") or _hash(sorted(labels.items())))
        out.append(Alert(
            fingerprint=f"am:{fingerprint}", status=status, severity=labels.get("severity", ""),
            title=notes.get("summary") or labels["alertname"],
            description=notes.get("description", ""), host=host,
            ip=labels.get("ip") or (_host_of(instance) if _looks_like_ip(_host_of(instance)) else ""),
            ci_id=labels.get("itops_ci", ""),
            starts_at=_time(item.get("startsAt")), ends_at=_time(item.get("endsAt")), labels=labels))
    return out


# -- Zabbix ---------------------------------------------------------------------------------------
def parse_zabbix(body: dict[str, Any]) -> Alert:
    params = {_key(k): v for k, v in body.items()}

    def get(*names: str) -> str:
        for name in names:
            value = params.get(_key(name))
            if value not in (None, "") and not (isinstance(value, str) and value.startswith("{")
                                                and value.endswith("}")):
                return str(value)  # an unexpanded macro such as "{EVENT.RECOVERY.ID}" counts as empty
        return ""

    event_id = get("event_id")
    value = get("event_value", "trigger_value")
    if not event_id:
        raise PayloadError("zabbix: event_id ({EVENT.ID}) is missing")
    if value not in ("0", "1"):
        raise PayloadError("zabbix: event_value ({EVENT.VALUE}) must be 1 (problem) or 0 (recovery)")
    # A recovery carries the problem's id in {EVENT.ID} and its own in {EVENT.RECOVERY.ID}: the problem's
    # id is the fingerprint either way.
    tags = _zabbix_tags(params.get(_key("event_tags")))
    return Alert(
        fingerprint=f"zbx:{get('trigger_id') or 'event'}:{event_id}",
        status="firing" if value == "1" else "resolved",
        severity=get("event_severity", "trigger_severity"),
        title=get("event_name", "trigger_name", "alert_subject") or f"Zabbix event {event_id}",
        description=get("alert_message", "trigger_description", "event_opdata"),
        host=get("host_name", "host_host"), ip=get("host_ip"), ci_id=get("itops_ci") or tags.get("itops_ci", ""),
        starts_at=_zabbix_time(get("event_date"), get("event_time")),
        ends_at=_zabbix_time(get("event_recovery_date"), get("event_recovery_time")) if value == "0" else None,
        labels={**tags, **{k: get(k) for k in ("event_id", "trigger_id", "host_host") if get(k)}})


def _zabbix_tags(raw: Any) -> dict[str, str]:
    """{EVENT.TAGS} is "name:value,name2:value2"; {EVENT.TAGSJSON} a list of {tag, value}."""
    if isinstance(raw, list):
        return {str(t.get("tag")): str(t.get("value", "")) for t in raw if isinstance(t, dict)}
    if isinstance(raw, str) and raw.strip().startswith("["):
        try:
            return _zabbix_tags(json.loads(raw))
        except ValueError:
            return {}
    out: dict[str, str] = {}
    for part in str(raw or "").split(","):
        name, _, value = part.partition(":")
        if name.strip():
            out[name.strip()] = value.strip()
    return out


def _zabbix_time(date: str, time: str) -> datetime | None:
    """Zabbix sends "2026.11.27" and "09:15:02" in the Zabbix server's zone (taken as China time)."""
    if not date:
        return None
    try:
        local = datetime.strptime(f"{date} {time or '00:00:00'}", "%Y.%m.%d %H:%M:%S")
    except ValueError:
        return None
    from zoneinfo import ZoneInfo

    return local.replace(tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


# -- our own ---------------------------------------------------------------------------------------
def parse_generic(body: dict[str, Any]) -> list[Alert]:
    items = body.get("events") if "events" in body else [body]
    if not isinstance(items, list):
        raise PayloadError("'events' must be a list")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise PayloadError(f"event {i} is not an object")
        status = str(item.get("status", "firing"))
        if status not in ("firing", "resolved"):
            raise PayloadError(f"event {i}: status must be firing or resolved, not {status!r}")
        title = str(item.get("title") or "").strip()
        if not title:
            raise PayloadError(f"event {i}: a title is required")
        host, ip, ci_id = (str(item.get(k) or "") for k in ("host", "ip", "ci_id"))
        labels = _str_dict(item.get("labels"))
        fingerprint = str(item.get("fingerprint") or _hash([title, host, ip, ci_id]))
        if len(fingerprint) > 100:
            raise PayloadError(f"event {i}: the fingerprint is longer than 100 characters")
        out.append(Alert(fingerprint=f"own:{fingerprint}", status=status, severity=str(item.get("severity", "")),
                         title=title, description=str(item.get("description") or ""), host=host, ip=ip,
                         ci_id=ci_id, starts_at=_time(item.get("starts_at")), ends_at=_time(item.get("ends_at")),
                         labels=labels))
    return out


# -- helpers -------------------------------------------------------------------------------------
def _key(name: Any) -> str:
    return str(name).lower().replace(".", "").replace("_", "")


def _str_dict(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _hash(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def _host_of(instance: str) -> str:
    """"10.21.0.1:9100" → "10.21.0.1"; "[::1]:9100" → "::1"; "sw01" → "sw01"."""
    if instance.startswith("["):
        return instance[1:instance.find("]")] if "]" in instance else instance
    return instance.rsplit(":", 1)[0] if instance.count(":") == 1 else instance


def _looks_like_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _time(value: Any) -> datetime | None:
    """RFC 3339 from Alertmanager; its "0001-01-01T00:00:00Z" means "not set"."""
    if not value or not isinstance(value, str) or value.startswith("0001-"):
        return None
    text = value.replace("Z", "+00:00")
    if "." in text:  # Go writes nanoseconds; Python takes at most microseconds
        head, _, rest = text.partition(".")
        digits = "".join(ch for ch in rest if ch.isdigit())
        zone = rest[len(digits):]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
