"""The sync API over real HTTP on loopback: login, gzip push/pull, hostile bodies, admin queue."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from shared.services import org, tickets, users
from shared.store import Store
from shared.sync.client import AuthRequired, SyncClient
from shared.sync.transport import HttpTransport
from sync_server.app import create_app
from sync_server.serve import make_server
from tests.sync.tree import actor

PW = "password-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    root = tmp_path_factory.mktemp("srv")
    app = create_app({"DATABASE_URL": f"sqlite:///{root}/gd.db", "ITOPS_ROLE": "province", "ITOPS_ORG": "/HQ/GD/"})
    store = Store.attach(app.extensions["itops"].engine)
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华"), ("/HQ/GD/SZ/FT/", "福田")):
            org.add_org(cs, path, name)
        users.add_user(cs, "lh_tech", PW, "/HQ/GD/SZ/LH/", ["service_desk"])
        users.add_user(cs, "ft_tech", PW, "/HQ/GD/SZ/FT/", ["service_desk"])
        users.add_user(cs, "gd_admin", PW, "/HQ/GD/", ["admin"])
    srv = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield srv.url, store
    srv.close()


def _county(tmp_path: Path, url: str, username: str, path: str) -> tuple[Store, SyncClient]:
    store = Store.open_dir(tmp_path / username, create=True)
    store.init_node("client", path)
    client = SyncClient(store, HttpTransport(url, retries=0))
    client.login(url, username, PW)
    return store, client


def test_login_push_pull_over_http_with_gzip(server: tuple[str, Store], tmp_path: Path) -> None:
    url, province = server
    store, client = _county(tmp_path, url, "lh_tech", "/HQ/GD/SZ/LH/")
    first = client.sync()
    assert first.pulled > 0  # org units and the users in scope
    me = actor(store, "lh_tech")
    with store.write(me.user_id) as cs:
        t = tickets.create_ticket(cs, me, "incident", "打印机卡纸", {"impact": 2, "urgency": 2})
    report = client.sync()
    assert report.pushed == 2 and report.backlog == 0
    with province.read() as s:
        assert tickets.get_ticket(s, actor(province, "gd_admin"), t["id"])["title"] == "打印机卡纸"
    idle = client.sync()
    assert idle.pushed == 0 and idle.pulled == 0
    assert idle.bytes_sent + idle.bytes_received < 1024, idle  # a no-change sync is one small round trip


def test_wrong_password_and_revoked_token_are_clear_401s(server: tuple[str, Store], tmp_path: Path) -> None:
    url, province = server
    store = Store.open_dir(tmp_path / "x", create=True)
    store.init_node("client", "/HQ/GD/SZ/FT/")
    with pytest.raises(AuthRequired, match="wrong username or password"):
        SyncClient(store, HttpTransport(url, retries=0)).login(url, "ft_tech", "not-the-password")
    store2, client = _county(tmp_path, url, "ft_tech", "/HQ/GD/SZ/FT/")
    node_id = store2.node()["node_id"]
    from shared.db.types import utcnow
    from shared.models.sync import SyncNode

    with province.write() as cs:
        node = cs.session.get(SyncNode, node_id)
        assert node is not None
        node.revoked_at = utcnow()
    with pytest.raises(AuthRequired, match="revoked"):
        client.sync()


def _post(url: str, path: str, data: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(url + path, data=data, headers={"Content-Type": "application/json", **(headers or {})},
                         timeout=10)


@pytest.mark.parametrize(("data", "headers", "status"), [
    (b"{not json", {}, 400),
    (b"[1, 2]", {}, 400),
    (b"\x1f\x8b garbage", {"Content-Encoding": "gzip"}, 400),
    (json.dumps({"protocol": 1, "schema": 1, "mutations": [{"seq": "x"}]}).encode(), {}, 422),
    (json.dumps({"protocol": 1, "schema": 1, "surprise": True}).encode(), {}, 422),
    (gzip.compress(json.dumps({"protocol": 1, "schema": 1}).encode(), mtime=0), {"Content-Encoding": "gzip"}, 401),
])
def test_hostile_push_bodies_get_one_clear_json_error(server: tuple[str, Store], data: bytes,
                                                      headers: dict[str, str], status: int) -> None:
    url, _ = server
    resp = _post(url, "/api/v1/sync/push", data, headers)
    assert resp.status_code == status
    body = resp.json()
    assert body["error"]["code"] == status and body["error"]["message"]
    assert "Traceback" not in resp.text


def test_gzip_bomb_is_refused(server: tuple[str, Store]) -> None:
    url, _ = server
    bomb = gzip.compress(b'{"a":"' + b"0" * (40 * 1024 * 1024) + b'"}')
    resp = _post(url, "/api/v1/sync/push", bomb, {"Content-Encoding": "gzip"})
    assert resp.status_code == 413


def test_old_protocol_gets_please_upgrade(server: tuple[str, Store]) -> None:
    url, _ = server
    resp = _post(url, "/api/v1/auth/login", json.dumps({
        "username": "lh_tech", "password": PW, "node_id": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
        "protocol": 99}).encode())
    assert resp.status_code == 426
    assert "upgrade" in resp.json()["error"]["message"]


def _admin_get(url: str, token: str, path: str) -> requests.Response:
    return requests.get(url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_admin_queue_needs_an_admin_and_resolves(server: tuple[str, Store], tmp_path: Path) -> None:
    url, _ = server
    a, ca = _county(tmp_path, url, "lh_tech", "/HQ/GD/SZ/LH/")
    ca.sync()
    me = actor(a, "lh_tech")
    with a.write(me.user_id) as cs:
        t = tickets.create_ticket(cs, me, "incident", "交换机端口故障")
    ca.sync()
    # a second store of the same county edits the same queue field differently
    b, cb = _county(tmp_path / "b", url, "lh_tech", "/HQ/GD/SZ/LH/")
    cb.sync()
    with a.write(me.user_id) as cs:
        tickets.update_ticket(cs, me, t["id"], {"assignee_id": "11111111-1111-1111-1111-111111111111"})
    with b.write(me.user_id) as cs:
        tickets.update_ticket(cs, me, t["id"], {"assignee_id": "22222222-2222-2222-2222-222222222222"})
    ca.sync()
    assert cb.sync().conflicts == 1
    county_token = _token(a)
    assert _admin_get(url, county_token, "/api/v1/admin/conflicts").status_code == 403
    admin_store, _ = _county(tmp_path / "adm", url, "gd_admin", "/HQ/GD/")
    token = _token(admin_store)
    listed = _admin_get(url, token, "/api/v1/admin/conflicts").json()["conflicts"]
    mine = [c for c in listed if c["row_id"] == t["id"]]
    assert len(mine) == 1 and {mine[0]["server_value"], mine[0]["client_value"]} == {
        "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"}
    resp = requests.post(f"{url}/api/v1/admin/conflicts/{mine[0]['id']}/resolve",
                         json={"resolution": "edit", "value": "33333333-3333-3333-3333-333333333333"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert resp.status_code == 200, resp.text
    ca.sync()
    cb.sync()
    for store in (a, b):
        with store.read() as s:
            assert tickets.get_ticket(s, me, t["id"])["assignee_id"] == "33333333-3333-3333-3333-333333333333"


def _token(store: Store) -> str:
    from shared.models.sync import SyncPeer

    with store.read() as s:
        peer = s.get(SyncPeer, "upstream")
        assert peer is not None
        return peer.token


def test_openapi_documents_the_sync_routes(server: tuple[str, Store]) -> None:
    url, _ = server
    doc: dict[str, Any] = requests.get(url + "/api/openapi.json", timeout=10).json()
    for path in ("/api/v1/auth/login", "/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/admin/conflicts"):
        assert path in doc["paths"]


def test_large_first_sync_comes_as_a_resumable_snapshot(server: tuple[str, Store], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import shared.sync.snapshot as snapshots
    from tests.sync.tree import export

    url, province = server
    admin = actor(province, "gd_admin")
    with province.write(admin.user_id) as cs:
        for i in range(150):
            tickets.create_ticket(cs, admin, "incident", f"终端故障 {i} 号", {"description": "显示器无信号" * 5},
                                  owner_path="/HQ/GD/SZ/LH/")
    paged, _client = _county(tmp_path / "paged", url, "lh_tech", "/HQ/GD/SZ/LH/")
    _client.sync()
    monkeypatch.setattr(snapshots, "SNAPSHOT_MIN_ROWS", 1)
    store, client = _county(tmp_path / "snap", url, "lh_tech", "/HQ/GD/SZ/LH/")
    # a previous attempt died half-way through the download: keep the first half of the file
    meta = client._call("GET", "/api/v1/sync/snapshot", token=_token(store)).body["snapshot"]
    full = tmp_path / "full.gz"
    from shared.sync.transport import download

    download(HttpTransport(url), f"/api/v1/sync/snapshot/{meta['id']}", full, _token(store))
    part = store.work_dir() / f"snapshot-{meta['id']}.part"
    part.write_bytes(full.read_bytes()[: meta["size"] // 2])
    report = client.sync()
    assert report.pulled >= meta["rows"]
    assert meta["size"] > 10_000
    assert report.bytes_received < meta["size"] * 0.75  # only the missing half came over the wire
    assert not part.exists()
    assert export(store) == export(paged)


def test_itops_login_makes_a_new_store_of_the_users_org(server: tuple[str, Store], tmp_path: Path) -> None:
    import subprocess
    import sys

    url, _ = server
    (tmp_path / "pw").write_text(PW + "\n")
    new_store = tmp_path / "fresh-install"
    done = subprocess.run([sys.executable, "-m", "cli.main", "login", "--store", str(new_store), "--server", url,
                           "--user", "ft_tech", "--password-file", str(tmp_path / "pw")],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "/HQ/GD/SZ/FT/" in done.stdout
    store = Store.open_dir(new_store)
    assert store.node()["org_path"] == "/HQ/GD/SZ/FT/" and store.node()["role"] == "client"
    from shared.services.users import authenticate

    with store.read() as s:  # the desktop can now sign in offline with the cached credential
        assert authenticate(s, "ft_tech", PW).org_path == "/HQ/GD/SZ/FT/"
    store.close()


def test_keep_server_puts_the_server_value_back_even_when_the_client_won_provisionally(
        server: tuple[str, Store], tmp_path: Path) -> None:
    from shared.services import conflicts as queue

    url, province = server
    a, ca = _county(tmp_path / "ka", url, "lh_tech", "/HQ/GD/SZ/LH/")
    ca.sync()
    me = actor(a, "lh_tech")
    with a.write(me.user_id) as cs:
        t = tickets.create_ticket(cs, me, "incident", "保留服务器值")
    ca.sync()
    b, cb = _county(tmp_path / "kb", url, "lh_tech", "/HQ/GD/SZ/LH/")
    cb.sync()
    from shared.sync.merge import value_rank

    # the second pusher's value ranks higher, so it wins provisionally over the server's
    values = sorted(["aaaaaaaa-0000-0000-0000-000000000001", "bbbbbbbb-0000-0000-0000-000000000002"],
                    key=value_rank)
    with a.write(me.user_id) as cs:
        tickets.update_ticket(cs, me, t["id"], {"assignee_id": values[0]})
    with b.write(me.user_id) as cs:
        tickets.update_ticket(cs, me, t["id"], {"assignee_id": values[1]})
    ca.sync()
    cb.sync()
    admin = actor(province, "gd_admin")
    with province.read() as s:
        conflict = next(c for c in queue.list_conflicts(s, admin) if c["row_id"] == t["id"])
    with province.read() as s:
        assert tickets.get_ticket(s, admin, t["id"])["assignee_id"] == values[1] == conflict["client_value"]
    with province.write(admin.user_id) as cs:
        queue.resolve(cs, admin, conflict["id"], "keep_server")
    ca.sync()
    cb.sync()
    for store in (province, a, b):
        with store.read() as s:
            assert tickets.get_ticket(s, admin if store is province else me, t["id"])["assignee_id"] == \
                conflict["server_value"]
