"""Sign-in lockout with back-off, token expiry and revocation, county isolation, rate limits —
against the real Flask app on a SQLite file (and the desktop's local sign-in on a store)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from shared.audit.signin import sign_in_local
from shared.db.types import utcnow
from shared.models.audit import AuditEvent, LoginAttempt
from shared.models.sync import SyncNode
from shared.security import LockedOut, lock_seconds
from shared.services import org, users
from shared.services.actor import Actor
from shared.services.errors import Forbidden
from shared.store import Store
from shared.sync.codec import digest
from shared.version import PROTOCOL_VERSION, SCHEMA_VERSION
from sync_server.app import create_app

PW = "password-123"
LH_NODE = "0b3c8a52-7d41-4f6e-9a2b-1c5d7e9f0a11"
FT_NODE = "0b3c8a52-7d41-4f6e-9a2b-1c5d7e9f0a22"
ADMIN_NODE = "0b3c8a52-7d41-4f6e-9a2b-1c5d7e9f0a33"


def _app(tmp_path: Path, **config: Any) -> tuple[Flask, Store]:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/gd.db", "TESTING": True, "ITOPS_ORG": "/HQ/GD/",
                      **config})
    store = Store.attach(app.extensions["itops"].engine)
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华"), ("/HQ/GD/SZ/FT/", "福田")):
            org.add_org(cs, path, name)
        users.add_user(cs, "lh_tech", PW, "/HQ/GD/SZ/LH/", ["service_desk"])
        users.add_user(cs, "ft_tech", PW, "/HQ/GD/SZ/FT/", ["service_desk"])
        users.add_user(cs, "gd_admin", PW, "/HQ/GD/", ["admin"])
    return app, store


@pytest.fixture
def server(tmp_path: Path) -> Any:
    app, store = _app(tmp_path)
    yield app.test_client(), store
    app.extensions["itops"].dispose()


def _login(client: FlaskClient, username: str, password: str, node_id: str = LH_NODE) -> Any:
    return client.post("/api/v1/auth/login", json={"username": username, "password": password,
                                                   "node_id": node_id, "protocol": PROTOCOL_VERSION})


def _pull(client: FlaskClient, token: str) -> Any:
    return client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})


def _events(store: Store, event: str) -> list[AuditEvent]:
    with store.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.event == event).order_by(AuditEvent.node_seq)))


def test_sixth_attempt_is_refused_even_with_the_right_password_until_the_back_off_passes(server: Any) -> None:
    client, store = server
    for _ in range(5):
        assert _login(client, "lh_tech", "wrong-password").status_code == 401
    locked = _login(client, "lh_tech", PW)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) == lock_seconds(5) == 60
    assert "try again" in locked.get_json()["error"]["message"]
    assert len(_events(store, "login_failed")) == 5 and len(_events(store, "login_locked")) == 1
    assert not _events(store, "login")
    # another username is not affected
    assert _login(client, "ft_tech", PW, FT_NODE).status_code == 200
    # the back-off passes (moved into the past in the database, as time would)
    with store.write() as cs:
        cs.session.execute(update(LoginAttempt).values(locked_until=utcnow() - timedelta(seconds=1)))
    assert _login(client, "lh_tech", PW).status_code == 200
    with store.read() as s:
        assert s.get(LoginAttempt, "lh_tech") is None  # a success resets the count
    issued = _events(store, "token_issued")
    assert [e.target for e in issued] == [FT_NODE, LH_NODE]


def test_back_off_doubles_with_each_further_failure(server: Any) -> None:
    client, store = server
    for _ in range(5):
        _login(client, "lh_tech", "wrong-password")
    with store.write() as cs:
        cs.session.execute(update(LoginAttempt).values(locked_until=utcnow() - timedelta(seconds=1)))
    assert _login(client, "lh_tech", "still-wrong").status_code == 401
    assert int(_login(client, "lh_tech", PW).headers["Retry-After"]) == 120
    assert [lock_seconds(n) for n in (4, 5, 6, 7, 20)] == [0, 60, 120, 240, 3600]


def test_expired_and_revoked_tokens_get_401(server: Any) -> None:
    client, store = server
    token = _login(client, "lh_tech", PW).get_json()["token"]
    assert _pull(client, token).status_code == 200
    with store.write() as cs:
        cs.session.execute(update(SyncNode).where(SyncNode.node_id == LH_NODE)
                           .values(expires_at=utcnow() - timedelta(minutes=1)))
    expired = _pull(client, token)
    assert expired.status_code == 401 and expired.get_json()["error"]["reason"] == "expired"
    token = _login(client, "lh_tech", PW).get_json()["token"]  # signing in again issues a fresh token
    assert _pull(client, token).status_code == 200
    admin = _login(client, "gd_admin", PW, ADMIN_NODE).get_json()["token"]
    revoked = client.post(f"/api/v1/admin/nodes/{LH_NODE}/revoke", headers={"Authorization": f"Bearer {admin}"})
    assert revoked.status_code == 200 and revoked.get_json()["revoked"] is True
    (event,) = _events(store, "token_revoked")
    assert (event.target, event.actor) == (LH_NODE, "gd_admin")
    answer = _pull(client, token)
    assert answer.status_code == 401 and answer.get_json()["error"]["reason"] == "revoked"
    # a county's token is no admin token
    assert client.get("/api/v1/admin/nodes", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    ft = _login(client, "ft_tech", PW, FT_NODE).get_json()["token"]
    assert client.get("/api/v1/admin/nodes", headers={"Authorization": f"Bearer {ft}"}).status_code == 403


def test_a_county_token_reads_nothing_of_a_sibling_county_and_cannot_write_there(server: Any) -> None:
    client, store = server
    token = _login(client, "lh_tech", PW).get_json()["token"]
    page = _pull(client, token).get_json()
    owners = {c["d"]["owner_path"] for c in page["changes"]}
    names = {c["d"].get("username") for c in page["changes"] if c["e"] == "users"}
    assert "/HQ/GD/SZ/FT/" not in owners and "ft_tech" not in names
    assert "lh_tech" in names  # the county does see its own people
    assert not [c for c in page["changes"] if c["e"] == "audit_events"]  # the province's audit stays there
    m = {"seq": 1, "tx": "t1", "op": "create", "entity": "tickets", "id": "6f0e2c1a-9b8d-4c7e-a6f5-3d2b1a0c9e8f",
         "owner": "/HQ/GD/SZ/FT/", "base": 0, "changes": {"title": [None, "x"]},
         "hlc": f"0000001000000-0000-{LH_NODE}", "user": None, "schema": SCHEMA_VERSION}
    m["hash"] = digest(m)
    pushed = client.post("/api/v1/sync/push", headers={"Authorization": f"Bearer {token}"},
                         json={"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION, "mutations": [m]})
    assert pushed.status_code == 403 and pushed.get_json()["error"]["reason"] == "scope"
    with store.read() as s:
        assert s.get(SyncNode, LH_NODE).last_seq == 0  # type: ignore[union-attr]  # nothing advanced


def test_login_and_api_rate_limits_answer_429_with_retry_after(tmp_path: Path) -> None:
    app, _store = _app(tmp_path, ITOPS_RATE_LOGIN=(3, 60), ITOPS_RATE_API=(5, 60))
    client = app.test_client()
    codes = [_login(client, "nobody", "wrong-password").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    token = _login(app.test_client(), "lh_tech", PW)  # same address: still limited
    assert token.status_code == 429 and int(token.headers["Retry-After"]) >= 1
    app.extensions.pop("itops_limits")  # a fresh budget
    token = _login(client, "lh_tech", PW).get_json()["token"]
    codes = [_pull(client, token).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert client.get("/api/v1/health").status_code == 200  # monitoring is never limited
    # behind one reverse proxy the client's address comes from X-Forwarded-For
    app.config["ITOPS_PROXY_HOPS"] = 1
    app.extensions.pop("itops_limits")

    def via_proxy(address: str, username: str) -> int:  # other usernames: the lockout stays out of it
        return client.post("/api/v1/auth/login", headers={"X-Forwarded-For": f"203.0.113.9, {address}"},
                           json={"username": username, "password": "wrong-password", "node_id": LH_NODE,
                                 "protocol": PROTOCOL_VERSION}).status_code
    assert [via_proxy("10.0.0.1", f"ghost{i}") for i in range(4)] == [401, 401, 401, 429]
    assert via_proxy("10.0.0.2", "ghost9") == 401  # another desk behind the same proxy has its own budget
    app.extensions["itops"].dispose()


def test_unknown_fields_and_oversized_bodies_are_refused(server: Any) -> None:
    client, _store = server
    body = {"username": "lh_tech", "password": PW, "node_id": LH_NODE, "protocol": PROTOCOL_VERSION,
            "is_admin": True}
    answer = client.post("/api/v1/auth/login", json=body)
    assert answer.status_code == 422 and "is_admin" in str(answer.get_json()["error"]["errors"])
    big = client.post("/api/v1/auth/login", data=b"{" + b" " * (33 * 1024 * 1024) + b"}",
                      content_type="application/json")
    assert big.status_code == 413 and big.is_json


def test_desktop_local_sign_in_locks_out_and_is_audited(county: tuple[Store, Actor]) -> None:
    store, _tech = county
    for _ in range(5):
        with pytest.raises(Forbidden):
            sign_in_local(store, "lh_desk", "wrong-password")
    with pytest.raises(LockedOut) as locked:
        sign_in_local(store, "lh_desk", "password-123")
    assert 55 <= locked.value.retry_after <= 60
    with store.write() as cs:
        cs.session.execute(update(LoginAttempt).values(locked_until=utcnow() - timedelta(seconds=1)))
    assert sign_in_local(store, "lh_desk", "password-123").username == "lh_desk"
    assert [e.event for e in _events(store, "login_failed")] == ["login_failed"] * 5
    assert len(_events(store, "login")) == 1


def test_an_unknown_username_costs_as_much_time_as_a_wrong_password(tmp_path: Path) -> None:
    """Sign-in answers alike for every failure, in words and in time: otherwise timing probes which
    usernames exist (argon2 takes tens of milliseconds; a missing row would answer in well under one)."""
    app, store = _app(tmp_path, ITOPS_RATE_LIMITS=False)
    with store.write() as cs:
        users.add_user(cs, "gone_tech", PW, "/HQ/GD/SZ/LH/", ["service_desk"])
        cs.update(users.find_user(cs.session, "gone_tech"), {"active": False})

    def slowest_of_fastest(username: str) -> float:
        times = []
        for _ in range(3):
            with store.read() as session:
                started = time.perf_counter()
                with pytest.raises(Forbidden, match="wrong username or password"):
                    users.authenticate(session, username, "wrong-password")
                times.append(time.perf_counter() - started)
        return min(times)

    wrong_password = slowest_of_fastest("lh_tech")
    assert slowest_of_fastest("nobody_here") > 0.5 * wrong_password
    assert slowest_of_fastest("gone_tech") > 0.5 * wrong_password
    app.extensions["itops"].dispose()


def test_a_refusal_is_in_chinese_when_the_client_asks_for_chinese(server: Any) -> None:
    client, _store = server
    body = {"username": "lh_tech", "password": "wrong-password", "node_id": LH_NODE, "protocol": PROTOCOL_VERSION}
    chinese = client.post("/api/v1/auth/login", json=body, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert chinese.status_code == 401 and chinese.get_json()["error"]["message"] == "用户名或密码错误"
    plain = client.post("/api/v1/auth/login", json=body)  # scripts that ask for nothing keep the English text
    assert plain.status_code == 401 and plain.get_json()["error"]["message"] == "wrong username or password"
