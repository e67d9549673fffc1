"""POST /api/v1/events over real HTTP: the Zabbix media type payload, our own JSON, refusals, storms,
the mapping table and the per-CI event log / availability."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import select

from shared.integrations.mapping import MappingError, default_document, parse_mapping
from shared.integrations.settings import set_setting
from shared.models.integrations import MonitoringEvent, Notification, NotificationDelivery
from shared.models.tickets import Ticket
from shared.services import events
from shared.services.actor import SYSTEM, Actor

from .conftest import Province

# The parameters of the Zabbix webhook media type in docs/integrations.md, as Zabbix expands them.
ZABBIX_PROBLEM = {
    "event_id": "52318", "event_value": "1", "event_severity": "High", "event_nseverity": "4",
    "event_name": "Interface Gi0/1: Link down", "event_date": "2026.11.27", "event_time": "09:15:02",
    "event_tags": "scope:availability,component:network", "event_recovery_id": "{EVENT.RECOVERY.ID}",
    "host_name": "lh-acc-sw01", "host_host": "lh-acc-sw01", "host_ip": "10.21.0.11", "trigger_id": "23001",
    "alert_message": "Problem started at 09:15:02 on 2026.11.27", "alert_subject": "Problem: Link down",
}
ZABBIX_RECOVERY = {**ZABBIX_PROBLEM, "event_value": "0", "event_recovery_id": "52340",
                   "event_recovery_date": "2026.11.27", "event_recovery_time": "09:41:10"}


def post(province: Province, body: Any, key: str | None = None, path: str = "/api/v1/events",
         **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {key or province.key}", **kwargs.pop("headers", {})}
    data = body if isinstance(body, bytes) or hasattr(body, "__next__") else \
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    return requests.post(f"{province.url}{path}", data=data, timeout=10,
                         headers={"Content-Type": "application/json", **headers}, **kwargs)


def incidents(province: Province) -> list[dict[str, Any]]:
    with province.store.read() as session:
        return [{"id": t.id, "state": t.state, "priority": t.priority, "owner": t.owner_path, "ci": t.ci_id,
                 "parent": t.parent_id, "title": t.title, "data": dict(t.data)}
                for t in session.scalars(select(Ticket).where(Ticket.origin == "monitoring")
                                         .order_by(Ticket.number))]


def own(fingerprint: str, host: str, status: str = "firing", severity: str = "major", **extra: Any) -> dict:
    return {"fingerprint": fingerprint, "status": status, "severity": severity, "title": f"{host} 不可达",
            "host": host, **extra}


def test_zabbix_problem_and_recovery(province: Province) -> None:
    response = post(province, ZABBIX_PROBLEM, headers={"Authorization": "", "X-API-Key": province.key})
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    # host name matched case-insensitively; Zabbix "High" → major; criticality 一般 → low → impact 2, urgency 3
    assert (result["outcome"], result["ci"], result["severity"], result["priority"]) == \
        ("opened", "LH-ACC-SW01", "major", "P4")
    [incident] = incidents(province)
    assert incident["ci"] == province.cis["LH-ACC-SW01"]["id"] and incident["owner"] == "/HQ/GD/SZ/LH/"
    assert incident["data"]["alert_fingerprint"] == "zbx:23001:52318"

    response = post(province, ZABBIX_RECOVERY)
    assert response.json()["results"][0]["outcome"] == "resolved"
    [incident] = incidents(province)
    assert incident["state"] == "resolved"
    # the recovery time is Zabbix's own (China time 09:41:10 → 01:41:10 UTC)
    assert incident["data"]["alert_recovered_at"].startswith("2026-11-27T01:41:10")
    # a repeated recovery is recorded as a duplicate and changes nothing
    assert post(province, ZABBIX_RECOVERY).json()["results"][0]["outcome"] == "duplicate"


@pytest.mark.parametrize(("body", "status", "words"), [
    (b"{not json", 400, "not valid JSON"),
    (b"[1, 2]", 422, "JSON object"),
    ({"event_id": "1", "event_value": "7"}, 422, "event_value"),
    ({"version": "4", "alerts": [{"status": "firing", "labels": {}}]}, 422, "alertname"),
    ({"events": [{"status": "firing", "title": ""}]}, 422, "title"),
    ({"events": []}, 422, "no alert"),
])
def test_malformed_payloads_are_refused_and_create_nothing(province: Province, body: Any, status: int,
                                                           words: str) -> None:
    response = post(province, body)
    assert response.status_code == status
    assert words in response.json()["error"]["message"]
    assert province.count(Ticket) == 0 and province.count(MonitoringEvent) == 0


def test_oversized_and_unauthenticated_requests_are_refused(province: Province) -> None:
    huge = {"events": [own(f"fp{i}", "LH-SRV01", description="x" * 2000) for i in range(40)]}
    response = post(province, huge)
    assert response.status_code == 413 and "65536 bytes" in response.json()["error"]["message"]

    def chunks() -> Any:  # no Content-Length: the limit holds while reading
        yield b'{"events": ['
        for i in range(40):
            yield json.dumps(own(f"c{i}", "LH-SRV01", description="y" * 2000)).encode() + b","
        yield b"{}]}"
    assert post(province, chunks()).status_code == 413

    response = requests.post(f"{province.url}/api/v1/events", json=own("a", "LH-SRV01"), timeout=5)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert post(province, own("a", "LH-SRV01"), key="itk_wrong").status_code == 401
    with province.store.write() as cs:
        events.revoke_key(cs.session, "prom-gd")
    assert post(province, own("a", "LH-SRV01")).status_code == 401
    assert post(province, own("a", "LH-SRV01"), path="/api/v1/events/nagios").status_code == 404
    assert province.count(Ticket) == 0 and province.count(MonitoringEvent) == 0


def test_repeat_updates_refire_reopens_and_outcomes_are_logged(province: Province) -> None:
    first = post(province, own("link-1", "LH-SRV01", severity="critical")).json()["results"][0]
    again = post(province, own("link-1", "LH-SRV01", severity="critical")).json()["results"][0]
    assert (first["outcome"], again["outcome"], again["ticket"]) == ("opened", "updated", first["ticket"])
    # unknown criticality: critical × unknown → impact 2, urgency 1 → P2
    assert first["priority"] == "P2"
    assert post(province, own("link-1", "LH-SRV01", status="resolved")).json()["results"][0]["outcome"] == \
        "resolved"
    refire = post(province, own("link-1", "LH-SRV01", severity="critical")).json()["results"][0]
    assert (refire["outcome"], refire["ticket"]) == ("reopened", first["ticket"])
    [incident] = incidents(province)
    assert incident["state"] == "line1" and incident["data"]["alert_firings"] == 3
    with province.store.read() as session:
        log = events.list_events(session, SYSTEM, ci_id=province.cis["LH-SRV01"]["id"])
    assert [e["outcome"] for e in reversed(log)] == ["opened", "updated", "resolved", "reopened"]


def test_unknown_host_opens_at_the_key_scope_and_info_is_only_logged(province: Province) -> None:
    results = post(province, {"events": [own("x1", "no-such-host", severity="warning"),
                                         own("x2", "LH-SRV01", severity="info"),
                                         own("x3", "", ip="10.22.0.1", severity="disaster",
                                             title="福田核心交换机宕机")]}).json()["results"]
    assert [r["outcome"] for r in results] == ["opened", "logged", "opened"]
    assert results[0]["ci"] is None and results[0]["priority"] == "P4"
    assert (results[2]["ci"], results[2]["priority"]) == ("FT-CORE-SW01", "P1")
    owners = {i["title"]: i["owner"] for i in incidents(province)}
    assert owners == {"[监控] no-such-host 不可达 — no-such-host": "/HQ/GD/",
                      "[监控] 福田核心交换机宕机 — FT-CORE-SW01": "/HQ/GD/SZ/FT/"}


def test_explicit_ci_id_wins_and_recovery_mode_per_key(province: Province) -> None:
    with province.store.write() as cs:
        key = events.create_key(cs.session, "zbx-record", "/HQ/GD/SZ/LH/", on_recovery="record")["key"]
    ci = province.cis["LH-CORE-SW01"]
    result = post(province, own("y", "LH-SRV01", ci_id=ci["id"]), key=key).json()["results"][0]
    assert result["ci"] == "LH-CORE-SW01"
    post(province, own("y", "LH-SRV01", status="resolved", ci_id=ci["id"]), key=key)
    [incident] = incidents(province)
    assert incident["state"] == "new" and incident["data"]["alert_recovered_at"]
    # a key scoped to 龙华 never reaches 福田's CIs
    outside = post(province, own("z", "FT-CORE-SW01"), key=key).json()["results"][0]
    assert outside["ci"] is None


def test_alert_storm_groups_children_under_one_parent(province: Province) -> None:
    hosts = ["LH-CORE-SW01", "LH-ACC-SW01", "LH-SRV01", "FT-CORE-SW01", "h5", "h6"]
    results = []
    for i, host in enumerate(hosts):  # one request each, as a storm arrives
        results += post(province, own(f"s{i}", host)).json()["results"]
    assert [r["outcome"] for r in results] == ["opened"] * 6
    rows = incidents(province)
    parents = [r for r in rows if r["data"].get("alert_storm")]
    assert len(parents) == 1
    parent = parents[0]
    children = [r for r in rows if r["parent"] == parent["id"]]
    assert len(children) == 6 and parent["owner"] == "/HQ/GD/"  # 龙华, 福田 and unknown hosts: the province
    with province.store.read() as session:
        refs = set(session.scalars(select(Notification.ref_id)))
    # the first four incidents were announced before the storm; the parent then, and no child after it
    child_ids = {c["id"] for c in children}
    assert parent["id"] in refs and len(refs & child_ids) <= 4
    assert not refs & {c["id"] for c in children[4:]}


def test_monitoring_incident_queues_email_and_sms(province: Province) -> None:
    post(province, own("n1", "LH-CORE-SW01", severity="critical"))
    with province.store.read() as session:
        rows = session.execute(select(NotificationDelivery.channel, NotificationDelivery.address,
                                      NotificationDelivery.status)).all()
    assert sorted(rows) == sorted([("email", "lh_ops@lh.example.cn", "pending"), ("sms", "13800000002", "pending"),
                                   ("email", "lh_desk@lh.example.cn", "pending"),
                                   ("sms", "13800000001", "pending")])


def test_availability_from_the_event_log(province: Province) -> None:
    ci = province.cis["LH-CORE-SW01"]
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    iso = lambda d: d.isoformat()  # noqa: E731
    post(province, own("av", "LH-CORE-SW01", severity="critical", starts_at=iso(t0 + timedelta(hours=1))))
    post(province, own("av", "LH-CORE-SW01", status="resolved", ends_at=iso(t0 + timedelta(hours=3))))
    post(province, own("av2", "LH-CORE-SW01", severity="warning", starts_at=iso(t0 + timedelta(hours=5))))
    with province.store.read() as session:
        figures = events.availability(session, ci["id"], t0, t0 + timedelta(days=1))
    assert figures["down_seconds"] == 2 * 3600 and figures["outages"] == 1  # a warning is no outage
    assert figures["availability"] == pytest.approx(100 * 22 / 24, abs=1e-3)


def test_the_mapping_table_is_data_and_checked(province: Province) -> None:
    doc = json.loads(json.dumps(default_document()))
    doc["matrix"]["major"]["unknown"] = [1, 1]
    with province.store.write() as cs:
        set_setting(cs.session, "events_mapping", doc)
    assert post(province, own("m", "LH-SRV01")).json()["results"][0]["priority"] == "P1"
    broken = json.loads(json.dumps(default_document()))
    broken["matrix"]["minor"]["low"] = [4, 1]
    with pytest.raises(MappingError, match="minor/low"):
        parse_mapping(broken)
    broken = json.loads(json.dumps(default_document()))
    broken["severities"]["boom"] = "apocalyptic"
    with pytest.raises(MappingError, match="apocalyptic"):
        parse_mapping(broken)


def test_availability_feeds_the_kpi_entries(province: Province) -> None:
    from shared.models.work import KpiEntry

    t0 = datetime(2026, 11, 1, tzinfo=UTC) - timedelta(hours=8)  # the month starts at midnight China time
    post(province, own("k1", "LH-CORE-SW01", severity="critical", starts_at=(t0 + timedelta(days=2)).isoformat()))
    post(province, own("k1", "LH-CORE-SW01", status="resolved", ends_at=(t0 + timedelta(days=2, hours=3)).isoformat()))
    post(province, own("k2", "FT-CORE-SW01", severity="warning", starts_at=(t0 + timedelta(days=3)).isoformat()))
    admin = Actor(None, "gd", "/HQ/GD/", ("admin",))
    with province.store.write() as cs:
        rows = events.feed_availability(cs, admin, "2026-11")
    minutes = 30 * 24 * 60
    assert {(r["owner_path"], r["indicator"]): (r["numerator"], r["denominator"]) for r in rows} == {
        ("/HQ/GD/SZ/LH/", "link_availability"): (minutes - 180, minutes),
        ("/HQ/GD/SZ/FT/", "link_availability"): (minutes, minutes)}
    with province.store.write() as cs:  # again: the same rows are corrected, not duplicated
        events.feed_availability(cs, admin, "2026-11")
    assert province.count(KpiEntry) == 2
