"""A real Prometheus Alertmanager (Debian prometheus-alertmanager) sends its webhook to the province
server: firing → incident, repeats → the same incident, resolved → recovery recorded and resolved."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from shared.models.integrations import MonitoringEvent, Notification
from shared.models.tickets import Ticket

from .conftest import Province

BINARY = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
pytestmark = pytest.mark.skipif(BINARY is None, reason="prometheus-alertmanager is not installed "
                                                       "(Debian package prometheus-alertmanager)")

CONFIG = """
route:
  receiver: itops
  group_by: ['alertname', 'instance']
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: itops
    webhook_configs:
      - url: {url}/api/v1/events
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: {key}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def alertmanager(province: Province, tmp_path: Path) -> Iterator[str]:
    assert BINARY is not None
    config = tmp_path / "alertmanager.yml"
    config.write_text(CONFIG.format(url=province.url, key=province.key), encoding="utf-8")
    port = _free_port()
    log = (tmp_path / "alertmanager.log").open("w")
    proc = subprocess.Popen([BINARY, f"--config.file={config}", f"--storage.path={tmp_path / 'am-data'}",
                             f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _ready(url), 15, "alertmanager did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def _ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/-/ready", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def _wait(check: Callable[[], Any], seconds: float, message: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(message)


STARTED = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _post_alert(am: str, ends_at: str | None = None) -> None:
    alert: dict[str, Any] = {
        "labels": {"alertname": "SwitchDown", "instance": "10.21.0.1:9116", "severity": "critical",
                   "job": "snmp"},
        "annotations": {"summary": "核心交换机不可达", "description": "SNMP 探测连续 3 次失败"},
        "startsAt": STARTED}
    if ends_at:
        alert["endsAt"] = ends_at
    response = requests.post(f"{am}/api/v2/alerts", json=[alert], timeout=5)
    assert response.status_code == 200, response.text


def _events(province: Province) -> list[MonitoringEvent]:
    with province.store.read() as session:
        rows = list(session.scalars(select(MonitoringEvent).order_by(MonitoringEvent.received_at)))
        session.expunge_all()
        return rows


def _incidents(province: Province) -> list[Ticket]:
    with province.store.read() as session:
        rows = list(session.scalars(select(Ticket).where(Ticket.origin == "monitoring")))
        session.expunge_all()
        return rows


def test_alertmanager_firing_repeat_resolved(province: Province, alertmanager: str) -> None:
    _post_alert(alertmanager)
    _wait(lambda: _incidents(province), 15, "no incident from the Alertmanager webhook")
    # Alertmanager repeats the firing notification every repeat_interval: the same incident is updated.
    _wait(lambda: len([e for e in _events(province) if e.status == "firing"]) >= 2, 20,
          "Alertmanager did not repeat the notification")
    incidents = _incidents(province)
    assert len(incidents) == 1
    incident = incidents[0]
    core = province.cis["LH-CORE-SW01"]
    # matched by the instance's IP; critical × 核心 → impact 1, urgency 1 → P1; owned by the CI's county
    assert (incident.ci_id, incident.owner_path, incident.priority) == (core["id"], "/HQ/GD/SZ/LH/", "P1")
    assert incident.data["alert_firings"] >= 2
    firing = [e for e in _events(province) if e.status == "firing"]
    assert [e.outcome for e in firing][:2] == ["opened", "updated"]
    assert {e.ticket_id for e in firing} == {incident.id}
    assert firing[0].fingerprint.startswith("am:") and firing[0].labels["alertname"] == "SwitchDown"

    _post_alert(alertmanager, ends_at=datetime.now(UTC).isoformat().replace("+00:00", "Z"))
    _wait(lambda: any(e.status == "resolved" for e in _events(province)), 15, "no resolved notification")
    resolved = [e for e in _events(province) if e.status == "resolved"]
    assert resolved[0].outcome == "resolved"
    incident = _incidents(province)[0]
    assert incident.state == "resolved"
    assert incident.data["alert_recovered_at"] and incident.data["resolution_code"] == "other"
    # the technicians of the county heard about it: the CI's responsible person and the service desk
    with province.store.read() as session:
        told = set(session.scalars(select(Notification.user_id).where(Notification.ref_id == incident.id)))
    assert told == {province.users["lh_ops"], province.users["lh_desk"]}
