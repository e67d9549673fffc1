"""Email through a real SMTP server (aiosmtpd), SMS through a local HTTP receiver, retries while either
is down, preferences, quiet hours, SLA warnings made once, and the in-app list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.integrations.channels import build_sms_request
from shared.integrations.settings import set_setting
from shared.integrations.worker import run_once
from shared.models.integrations import Notification, NotificationDelivery
from shared.models.org import User
from shared.services import notifications, tickets
from shared.services.actor import SYSTEM, Actor

from .conftest import ProvinceStore
from .peers import free_port, json_body, sms_gateway, smtp_server

SMS_TEMPLATE: dict[str, Any] = {"url": "{base}/sms/send?sign=ITOps", "method": "POST", "format": "json",
                "headers": {"X-Token": "gw-secret"},
                "body": {"mobile": "{phone}", "content": "{text}", "msgid": "{id}"},
                "success_contains": '"code": 0'}


def _configure(ps: ProvinceStore, smtp_port: int, sms_base: str) -> None:
    with ps.store.write() as cs:
        set_setting(cs.session, "smtp", {"host": "127.0.0.1", "port": smtp_port,
                                         "sender": "ITOps 运维平台 <itops@gd.example.cn>"})
        set_setting(cs.session, "sms", {**SMS_TEMPLATE, "url": SMS_TEMPLATE["url"].format(base=sms_base)})


def _notify(ps: ProvinceStore, username: str, kind: str = "monitoring", priority: str = "P2",
            now: datetime | None = None, key: str = "") -> dict[str, Any] | None:
    with ps.store.write() as cs:
        user = cs.session.get(User, ps.users[username])
        assert user is not None
        return notifications.notify(cs, user, kind, f"{priority} INC-GD-000007 龙华核心交换机不可达",
                                    "SNMP 探测连续 3 次失败", ref_entity="tickets", ref_id="t-1",
                                    priority=priority, now=now, key=key)


def _deliveries(ps: ProvinceStore) -> list[NotificationDelivery]:
    with ps.store.read() as session:
        rows = list(session.scalars(select(NotificationDelivery).order_by(NotificationDelivery.channel)))
        session.expunge_all()
        return rows


def test_email_and_sms_reach_real_peers(province_store: ProvinceStore) -> None:
    ps = province_store
    with smtp_server() as (port, box), sms_gateway() as (base, gateway):
        _configure(ps, port, base)
        note = _notify(ps, "lh_ops")
        assert note is not None
        result = run_once(ps.store)
        assert result["deliveries"] == {"sent": 2, "retry": 0, "failed": 0}
        [mail] = box.messages
        assert box.envelopes == [("itops@gd.example.cn", ["lh_ops@lh.example.cn"])]
        assert mail["Subject"] == "P2 INC-GD-000007 龙华核心交换机不可达"
        assert "SNMP 探测连续 3 次失败" in mail.get_content() and "监控告警" in mail.get_content()
        [sms] = gateway.requests
        assert sms["path"] == "/sms/send?sign=ITOps" and sms["headers"]["X-Token"] == "gw-secret"
        assert json_body(sms) == {"mobile": "13800000002", "content": "【ITOps】P2 INC-GD-000007 龙华核心交换机不可达",
                                  "msgid": note["id"]}
    assert {d.status for d in _deliveries(ps)} == {"sent"}
    assert all(d.attempts_log == [{"at": d.sent_at.isoformat(), "ok": True}] for d in _deliveries(ps)
               if d.sent_at)


def test_retries_while_peers_are_down_then_delivers(province_store: ProvinceStore) -> None:
    ps = province_store
    smtp_port = free_port()  # nothing listens there yet
    t0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    with sms_gateway() as (base, gateway):
        gateway.status = 503
        _configure(ps, smtp_port, base)
        _notify(ps, "lh_ops", now=t0)
        with ps.store.write() as cs:
            assert notifications.deliver_due(cs.session, t0) == {"sent": 0, "retry": 2, "failed": 0}
        email, sms = _deliveries(ps)
        assert "Connection refused" in email.last_error or "ConnectionRefused" in email.last_error
        assert "HTTP 503" in sms.last_error
        assert email.next_attempt_at == t0 + timedelta(seconds=60) and email.status == "pending"
        with ps.store.write() as cs:  # not due yet: nothing is tried
            assert notifications.deliver_due(cs.session, t0 + timedelta(seconds=30))["retry"] == 0
        gateway.status = 200
        with smtp_server(smtp_port) as (_port, box), ps.store.write() as cs:
            assert notifications.deliver_due(cs.session, t0 + timedelta(seconds=61))["sent"] == 2
        assert len(box.messages) == 1 and len(gateway.requests) == 2
    email, sms = _deliveries(ps)
    assert (email.status, email.attempts, [x["ok"] for x in email.attempts_log]) == ("sent", 2, [False, True])


def test_gives_up_after_max_attempts_with_doubling_delays(province_store: ProvinceStore) -> None:
    ps = province_store
    _configure(ps, free_port(), f"http://127.0.0.1:{free_port()}")
    now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    _notify(ps, "lh_ops", now=now)
    delays = []
    for _ in range(notifications.config()["max_attempts"]):
        with ps.store.write() as cs:
            notifications.deliver_due(cs.session, now)
        email = _deliveries(ps)[0]
        delays.append((email.next_attempt_at - now).total_seconds())
        now = email.next_attempt_at
    assert delays[:4] == [60, 120, 240, 480] and max(delays) == 3600
    assert {d.status for d in _deliveries(ps)} == {"failed"}


def test_preferences_and_quiet_hours(province_store: ProvinceStore) -> None:
    ps = province_store
    lh_ops = Actor(ps.users["lh_ops"], "lh_ops", "/HQ/GD/SZ/LH/", ("desktop_ops",))
    with ps.store.write() as cs:
        notifications.set_prefs(cs, lh_ops, "lh_ops", {"monitoring": ["email"]}, quiet=("22:00", "07:00"))
        with pytest.raises(Exception, match="only the person"):
            notifications.set_prefs(cs, Actor(ps.users["lh_desk"], "lh_desk", "/HQ/GD/SZ/LH/", ("service_desk",)),
                                    "lh_ops", {"monitoring": []})
    night = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    _notify(ps, "lh_ops", priority="P3", now=night)
    [email] = _deliveries(ps)  # SMS switched off for monitoring
    assert (email.channel, email.status) == ("email", "deferred")
    assert email.next_attempt_at == datetime(2026, 11, 27, 23, 0, tzinfo=UTC)  # 07:00 in Shanghai
    _notify(ps, "lh_ops", priority="P1", now=night, key="p1")  # P1 ignores quiet hours
    assert {(d.status, d.next_attempt_at) for d in _deliveries(ps)} == {
        ("deferred", datetime(2026, 11, 27, 23, 0, tzinfo=UTC)), ("pending", night)}
    _notify(ps, "ft_desk", now=night)  # no phone: email only; no quiet hours set: now
    assert len(_deliveries(ps)) == 3


def test_sla_warning_and_breach_are_sent_once(province_store: ProvinceStore) -> None:
    ps = province_store
    with ps.store.write() as cs:
        ticket = tickets.create_ticket(cs, SYSTEM, "incident", "龙华核心交换机宕机", {"impact": 1, "urgency": 1},
                                       owner_path="/HQ/GD/SZ/LH/")
    opened = datetime.fromisoformat(ticket["opened_at"])
    assert ticket["priority"] == "P1"  # response target 15 minutes, 7×24
    for minutes in (5, 12, 13):
        run_once(ps.store, opened + timedelta(minutes=minutes))
    with ps.store.read() as session:
        made = session.execute(select(Notification.kind, func.count()).group_by(Notification.kind)).all()
    assert dict(made) == {"sla_warning": 1}  # lh_desk, the service desk of 龙华 (no assignee yet)
    run_once(ps.store, opened + timedelta(minutes=16))
    run_once(ps.store, opened + timedelta(minutes=20))
    with ps.store.read() as session:
        rows = session.execute(select(Notification.kind, Notification.user_id, Notification.title)).all()
    assert sorted((k, u) for k, u, _ in rows) == [("sla_breach", ps.users["lh_desk"]),
                                                  ("sla_warning", ps.users["lh_desk"])]
    assert any("已超时" in title for _k, _u, title in rows)


def test_assignment_notification_and_in_app_list(province_store: ProvinceStore) -> None:
    ps = province_store
    with ps.store.write() as cs:
        ticket = tickets.create_ticket(cs, SYSTEM, "incident", "打印机卡纸", {"assignee_id": ps.users["lh_ops"]},
                                       owner_path="/HQ/GD/SZ/LH/")
    run_once(ps.store)
    run_once(ps.store)
    with ps.store.read() as session:
        items = notifications.list_notifications(session, ps.users["lh_ops"])
    assert [(n["kind"], n["ref_id"]) for n in items] == [("assignment", ticket["id"])]
    lh_ops = Actor(ps.users["lh_ops"], "lh_ops", "/HQ/GD/SZ/LH/", ("desktop_ops",))
    with ps.store.write() as cs:
        assert notifications.mark_read(cs, lh_ops) == 1
        assert notifications.mark_read(cs, lh_ops) == 0
    with ps.store.read() as session:
        assert notifications.list_notifications(session, ps.users["lh_ops"], unread_only=True) == []


def test_sms_template_encodes_for_each_format() -> None:
    req = build_sms_request({"url": "http://gw/send?to={phone}&msg={text}", "format": "raw", "body": "{text}"},
                            "138 0000", "告警 & 恢复")
    assert req["url"] == "http://gw/send?to=138%200000&msg=%E5%91%8A%E8%AD%A6%20%26%20%E6%81%A2%E5%A4%8D"
    assert req["data"] == "告警 & 恢复".encode()
    req = build_sms_request({"url": "http://gw/send", "format": "form",
                             "body": {"m": "{phone}", "c": "{text}"}}, "13800000001", 'a"b')
    assert req["data"] == b"m=13800000001&c=a%22b"
    req = build_sms_request({"url": "http://gw/send", "body": {"c": "{text}"}}, "1", 'say "hi"')
    assert req["data"] == b'{"c": "say \\"hi\\""}'


def test_task_and_security_event_deadlines(province_store: ProvinceStore) -> None:
    from shared.services import security_events, tasks

    ps = province_store
    gd = Actor(None, "gd_admin", "/HQ/GD/", ("admin",))
    with ps.store.write() as cs:
        admin = cs.create(User, "/HQ/GD/SZ/LH/", {"username": "lh_admin", "full_name": "林国栋",
                                                  "org_path": "/HQ/GD/SZ/LH/", "roles": ["admin"],
                                                  "email": "lh_admin@lh.example.cn", "active": True})
        admin_id = admin.id
        now = datetime.now(UTC)
        task = tasks.issue_task(cs, gd, "报送机房巡检月报", now + timedelta(hours=30),
                                ["/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"])
        lh = Actor(admin_id, "lh_admin", "/HQ/GD/SZ/LH/", ("admin",))
        event = security_events.record_event(cs, lh, "终端感染勒索病毒", "malware", 3,
                                             now - timedelta(minutes=200))  # 首报 within 240 minutes
    made = run_once(ps.store, now)["checks"]
    # the task is 30 h away; the 首报 is at 83 %: 龙华's administrator and system administrator hear of it
    assert (made["task_deadline"], made["security_deadline"]) == (0, 2)
    made = run_once(ps.store, now + timedelta(hours=7))["checks"]  # 23 h left; the 首报 is now late
    assert (made["task_deadline"], made["security_deadline"]) == (1, 2)  # 福田 has no administrator
    assert run_once(ps.store, now + timedelta(hours=8))["checks"]["task_deadline"] == 0  # once only
    assert run_once(ps.store, now + timedelta(hours=31))["checks"]["task_deadline"] == 1  # overdue
    with ps.store.read() as session:
        rows = session.execute(select(Notification.kind, Notification.user_id, Notification.title,
                                      Notification.ref_id).order_by(Notification.created_at)).all()
    assert {(k, u) for k, u, _t, _r in rows} == {("task_deadline", admin_id), ("security_deadline", admin_id),
                                                 ("security_deadline", ps.users["lh_sys"])}
    titles = [t for _k, _u, t, _r in rows]
    assert any("首报须在" in t for t in titles) and any("首报已超时" in t for t in titles)
    assert any("已超期" in t for t in titles) and {r for *_x, r in rows} == {task["id"], event["id"]}


def test_escalation_reaches_the_new_team(province_store: ProvinceStore) -> None:
    from shared.models.org import Team, TeamMember

    ps, lh = province_store, "/HQ/GD/SZ/LH/"
    with ps.store.write() as cs:
        line2 = cs.create(Team, lh, {"name": "桌面运维组", "line": 2}).id
        line3 = cs.create(Team, lh, {"name": "系统运维组", "line": 3}).id
        cs.create(TeamMember, lh, {"team_id": line2, "user_id": ps.users["lh_ops"]})
        cs.create(TeamMember, lh, {"team_id": line3, "user_id": ps.users["lh_sys"]})
        ticket = tickets.create_ticket(cs, SYSTEM, "incident", "服务器宕机", {"impact": 2, "urgency": 2},
                                       owner_path=lh)
        tickets.transition(cs, SYSTEM, ticket["id"], "dispatch", {"team_id": line2})
        tickets.transition(cs, SYSTEM, ticket["id"], "escalate", {"team_id": line3})
    assert run_once(ps.store)["checks"]["escalation"] == 1
    assert run_once(ps.store)["checks"]["escalation"] == 0
    with ps.store.read() as session:
        [(user_id, title)] = session.execute(select(Notification.user_id, Notification.title).where(
            Notification.kind == "escalation")).all()
    assert user_id == ps.users["lh_sys"] and "已升级" in title
