"""Issue 10's "done when", over real HTTP on loopback: a technician signs a new county store in with a
directory account; an Alertmanager alert for a switch of that county opens an incident there; the
technicians get an email; the county sees the incident after sync; the recovery closes it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from shared.integrations.settings import set_setting
from shared.integrations.worker import run_once
from shared.models.integrations import EventApiKey, MonitoringEvent, Notification
from shared.models.tickets import Ticket
from shared.store import Store
from shared.sync.client import SyncClient
from shared.sync.transport import HttpTransport

from .conftest import Province
from .peers import smtp_server
from .slapd import SKIP_REASON, SLAPD, config

pytestmark = pytest.mark.skipif(SLAPD is None, reason=SKIP_REASON)


def alertmanager_payload(status: str) -> dict:
    """What Alertmanager's webhook sends (version 4)."""
    alert = {"status": status, "labels": {"alertname": "SwitchDown", "instance": "10.21.0.1:9116",
                                          "severity": "critical", "job": "snmp"},
             "annotations": {"summary": "核心交换机不可达"}, "startsAt": "2026-11-27T08:00:00.123456789Z",
             "endsAt": "2026-11-27T08:20:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
             "generatorURL": "http://prometheus:9090/graph", "fingerprint": "5f1d2c3b4a596877"}
    return {"version": "4", "groupKey": '{}:{alertname="SwitchDown"}', "truncatedAlerts": 0, "status": status,
            "receiver": "itops", "groupLabels": {"alertname": "SwitchDown"}, "commonLabels": alert["labels"],
            "commonAnnotations": alert["annotations"], "externalURL": "http://alertmanager:9093",
            "alerts": [alert]}


def test_alert_to_county_incident_email_sync_and_recovery(province: Province, directory: str,
                                                           tmp_path: Path) -> None:
    with province.store.write() as cs:
        set_setting(cs.session, "ldap", config(directory))
    county = Store.open_dir(tmp_path / "county", create=True)
    try:
        # a directory account signs a brand-new store in: the store takes 龙华 from the person's OU
        client = SyncClient(county, HttpTransport(province.url, retries=1))
        answer = client.login(province.url, "zhangwei", "zhangwei-pass-2026")
        assert answer["scope"]["org_path"] == "/HQ/GD/SZ/LH/"
        client.sync()

        headers = {"Authorization": f"Bearer {province.key}"}
        response = requests.post(f"{province.url}/api/v1/events", json=alertmanager_payload("firing"),
                                 headers=headers, timeout=10)
        assert response.json()["results"][0]["outcome"] == "opened"

        with smtp_server() as (port, box):
            with province.store.write() as cs:
                set_setting(cs.session, "smtp", {"host": "127.0.0.1", "port": port})
            run_once(province.store)
        recipients = sorted(m["To"] for m in box.messages)
        assert "lh_ops@lh.example.cn" in recipients  # the switch's responsible technician
        assert "zhangwei@gd.example.cn" in recipients  # the directory person, service desk of 龙华
        assert all("核心交换机不可达" in m["Subject"] for m in box.messages)

        client.sync()
        with county.read() as session:
            incident = session.scalar(select(Ticket).where(Ticket.origin == "monitoring"))
            assert incident is not None
            assert (incident.owner_path, incident.priority, incident.state) == ("/HQ/GD/SZ/LH/", "P1", "new")
            assert session.scalar(select(MonitoringEvent.outcome)) == "opened"
            mine = session.scalar(select(Notification).where(Notification.ref_id == incident.id,
                                                             Notification.user_id == answer["scope"]["user_id"]))
            assert mine is not None and mine.kind == "monitoring"
            incident_id = incident.id

        with province.store.write() as cs:  # this monitoring system's recoveries close their incidents
            key = cs.session.scalar(select(EventApiKey).where(EventApiKey.name == "prom-gd"))
            assert key is not None
            key.settings = {**(key.settings or {}), "on_recovery": "close"}
        response = requests.post(f"{province.url}/api/v1/events", json=alertmanager_payload("resolved"),
                                 headers=headers, timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["outcome"] == "closed"
        client.sync()
        with county.read() as session:
            incident = session.get(Ticket, incident_id)
            assert incident is not None and incident.state == "closed" and incident.closed_at is not None
            assert incident.data["alert_recovered_at"].startswith("2026-11-27T08:20:00")
    finally:
        county.close()


def test_itops_login_with_a_directory_account_then_offline_sign_in(province: Province, directory: str,
                                                                   tmp_path: Path) -> None:
    from cli.main import main
    from shared.audit.signin import sign_in_local
    from shared.services.errors import Forbidden

    with province.store.write() as cs:
        set_setting(cs.session, "ldap", config(directory))
    secret = tmp_path / "pw"
    secret.write_text("zhangwei-pass-2026\n", encoding="utf-8")
    store_dir = tmp_path / "desk"
    assert main(["login", "--store", str(store_dir), "--server", province.url, "--user", "zhangwei",
                 "--password-file", str(secret)]) == 0
    province.server.close()  # offline from here on
    store = Store.open_dir(store_dir)
    try:
        actor = sign_in_local(store, "zhangwei", "zhangwei-pass-2026")
        assert (actor.org_path, sorted(actor.roles)) == ("/HQ/GD/SZ/LH/", ["desktop_ops", "service_desk"])
        with pytest.raises(Forbidden):
            sign_in_local(store, "zhangwei", "wrong-password")
    finally:
        store.close()
