"""Bugs found by the end-to-end work, each as a minimal test of the intended behaviour.

They are marked ``xfail(strict=True)``: they are reported as XFAIL while the bug is there, and turn
into a failure (XPASS strict) once it is fixed, so the marker is removed with the fix.
"""

from __future__ import annotations

import threading
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

import pytest

from shared.services import org, users
from shared.store import Store
from shared.sync import server as srv
from shared.sync import snapshot as snapshots
from shared.sync.client import SyncClient, SyncFailed
from shared.sync.endpoint import SyncEndpoint
from shared.version import PROTOCOL_VERSION
from sync_server.app import create_app
from sync_server.relay import Relay

PASSWORD = "bug-password-1"


def _pg_province(url: str) -> tuple[Store, SyncEndpoint, str]:
    store = Store(url)
    store.init_node("province", "/HQ/GD/")
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部")
        org.add_org(cs, "/HQ/GD/", "广东")
        users.add_user(cs, "gd_watch", PASSWORD, "/HQ/GD/", ["admin"])
    ep = SyncEndpoint(store)
    status, body = ep.dispatch("POST", "/api/v1/auth/login", {
        "username": "gd_watch", "password": PASSWORD, "node_id": str(uuid.uuid4()), "kind": "client",
        "protocol": PROTOCOL_VERSION}, None, None)
    assert status == 200, body
    return store, ep, str(body["token"])


def _isolation_seen(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    """Record the transaction isolation in force when ``module.name`` is called."""
    seen: list[str] = []
    real = getattr(module, name)

    def spy(session: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(session.connection().exec_driver_sql("SHOW transaction_isolation").scalar())
        return real(session, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_pull_on_postgresql_runs_in_one_snapshot(pg_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Was a bug (fixed in 0022476): the isolation was asked for after ChangeSet had opened the
    connection, so SQLAlchemy warned and PostgreSQL pulls ran at READ COMMITTED."""
    store, ep, token = _pg_province(pg_db_url)
    try:
        seen = _isolation_seen(monkeypatch, srv, "handle_pull")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            status, page = ep.dispatch("GET", "/api/v1/sync/pull", None, {"protocol": PROTOCOL_VERSION}, token)
        assert status == 200, page
        assert not [w for w in caught if "already established" in str(w.message)]
        assert seen == ["repeatable read"]
    finally:
        store.close()


def test_snapshot_meta_on_postgresql_runs_in_one_snapshot(pg_db_url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store, ep, token = _pg_province(pg_db_url)
    try:
        seen = _isolation_seen(monkeypatch, snapshots, "count_in_scope")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            status, meta = ep.dispatch("GET", "/api/v1/sync/snapshot", None, {}, token)
        assert status == 200, meta
        assert not [w for w in caught if "already established" in str(w.message)]
        assert seen == ["repeatable read"]
    finally:
        store.close()


def test_relay_survives_an_unexpected_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/p.db", "ITOPS_ROLE": "province",
                      "ITOPS_ORG": "/HQ/GD/"})
    calls = []

    def flaky_sync(self: SyncClient) -> Any:
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("e.g. psycopg OperationalError: deadlock detected")
        raise SyncFailed("offline")  # then: the ordinary failure

    monkeypatch.setattr(SyncClient, "sync", flaky_sync)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # keep pytest's output clean
    relay = Relay(app, "http://127.0.0.1:9", interval=0.05).start()
    try:
        time.sleep(1.0)
        assert relay.thread.is_alive()
        assert len(calls) >= 3
    finally:
        relay.stop()
        app.extensions["itops"].dispose()


def test_two_edits_of_a_row_in_one_batch_log_the_final_version_once(tmp_path: Path) -> None:
    from sqlalchemy import select

    from shared.models import ChangeLogEntry, Ticket
    from shared.services import tickets
    from shared.sync.endpoint import LocalTransport
    from tests.sync.tree import actor

    province = Store.open_dir(tmp_path / "gd", create=True)
    province.init_node("province", "/HQ/GD/")
    with province.write() as cs:
        for path in ("/HQ/", "/HQ/GD/", "/HQ/GD/SZ/", "/HQ/GD/SZ/LH/"):
            org.add_org(cs, path, path)
        users.add_user(cs, "lh_tech", PASSWORD, "/HQ/GD/SZ/LH/", ["service_desk"])
    county = Store.open_dir(tmp_path / "lh", create=True)
    county.init_node("client", "/HQ/GD/SZ/LH/")
    client = SyncClient(county, LocalTransport(SyncEndpoint(province)))
    client.login("local://gd", "lh_tech", PASSWORD)
    client.sync()
    who = actor(county, "lh_tech")
    with county.write(who.user_id) as cs:
        tid = tickets.create_ticket(cs, who, "incident", "打印机卡纸")["id"]
    client.sync()
    for values in ({"title": "打印机卡纸 三楼"}, {"description": "已重启"}):  # two edits, two transactions
        with county.write(who.user_id) as cs:
            row = cs.session.get(Ticket, tid)
            assert row is not None
            cs.update(row, values)
    assert client.sync().pushed == 2  # one batch
    with province.read() as s:
        logged = [(e.version, e.data["title"], e.data["description"]) for e in s.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.row_id == tid).order_by(ChangeLogEntry.seq))]
    county.close()
    province.close()
    # one entry per row per server transaction: the batch's final version, logged once, with both edits
    assert logged == [(1, "打印机卡纸", ""), (3, "打印机卡纸 三楼", "已重启")]
