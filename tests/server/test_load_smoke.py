"""The no-change sync under load (bench/load.py, issue 9): its fast path answers exactly what the full
pull answers, steps aside whenever there is anything else to say, and a small run of the benchmark's
load generator against a real ``itops server`` gets only correct answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bench import load
from shared.db.engine import write_session
from shared.db.types import utcnow
from shared.models.sync import SyncNode
from shared.services import tickets
from shared.services.actor import Actor
from shared.store import Store
from shared.sync import server as srv
from shared.sync.endpoint import SyncEndpoint
from shared.version import PROTOCOL_VERSION

LH, NS = "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/NS/"


def _full_pull(store: Store, token: str, cursor: str | None) -> dict[str, Any]:
    """What the pull answers without the fast path (``handle_pull`` itself)."""
    with write_session(store.sessions) as session:
        node = srv.authenticate(session, token)
        return srv.handle_pull(session, node, cursor)


def _quiet(endpoint: SyncEndpoint, token: str, cursor: str | None) -> srv.QuietPull | None:
    with srv.FastReader(endpoint.store.engine).open() as first:
        return srv.quiet_pull(first, srv.db_name(endpoint.store.engine), token, cursor)


@pytest.fixture
def province(tmp_path: Path) -> Iterator[tuple[Store, dict[str, Actor], list[dict[str, Any]]]]:
    url = f"sqlite:///{tmp_path}/province.db"
    techs = load.make_province_db(url, 2)
    nodes = load.issue_tokens(url, techs, 2)  # node 0 in 龙华, node 1 in 南山
    store = Store(url)
    yield store, techs, nodes
    store.close()


def test_the_fast_path_answers_what_the_full_pull_answers(province: Any) -> None:
    store, techs, nodes = province
    endpoint = SyncEndpoint(store)
    token = nodes[0]["token"]
    first = endpoint.pull(token, {"limit": 500, "protocol": PROTOCOL_VERSION})
    assert first["changes"] and not first["more"]
    cursor = first["cursor"]

    # nothing new: the fast path answers, with the full pull's page (the digest is the scope's)
    quiet = _quiet(endpoint, token, cursor)
    assert quiet is not None
    assert quiet.page == _full_pull(store, token, cursor)
    assert quiet.page == {"cursor": cursor, "more": False, "changes": [], "digest": first["digest"]}

    # a commit in another county moves the cursor on, still with nothing to send and the same digest
    with store.write(techs[NS].user_id) as cs:
        tickets.create_ticket(cs, techs[NS], "incident", "南山 网络中断", {"description": "二楼交换机"})
    quiet = _quiet(endpoint, token, cursor)
    assert quiet is not None and quiet.page["cursor"] != cursor
    assert quiet.page == _full_pull(store, token, cursor)

    # a commit in the node's own county: the fast path steps aside, the full pull sends it
    with store.write(techs[LH].user_id) as cs:
        tickets.create_ticket(cs, techs[LH], "incident", "龙华 打印机卡纸", {"description": "三楼"})
    assert _quiet(endpoint, token, cursor) is None
    page = endpoint.pull(token, {"limit": 500, "protocol": PROTOCOL_VERSION, "cursor": cursor})
    assert any(c["d"].get("title") == "龙华 打印机卡纸" for c in page["changes"])
    assert page["digest"] != first["digest"]
    # and the next no-change pull carries the new digest (the cached one was not reused)
    assert endpoint.pull(token, {"limit": 500, "protocol": PROTOCOL_VERSION, "cursor": page["cursor"]})["digest"] \
        == page["digest"] == _full_pull(store, token, page["cursor"])["digest"]


def test_the_fast_path_steps_aside_for_refusals_and_records_the_node_once_a_minute(province: Any) -> None:
    store, _techs, nodes = province
    endpoint = SyncEndpoint(store)
    token = nodes[0]["token"]
    cursor = endpoint.pull(token, {"limit": 500, "protocol": PROTOCOL_VERSION})["cursor"]
    epoch, _, seq = cursor.partition(":")
    assert _quiet(endpoint, "not-a-token", cursor) is None
    assert _quiet(endpoint, token, f"{'0' * 8}-0000-0000-0000-{'0' * 12}:{seq}") is None  # another epoch
    assert _quiet(endpoint, token, f"{epoch}:{int(seq) + 5}") is None  # ahead of the server
    assert _quiet(endpoint, token, None) is None

    def node() -> SyncNode:
        with store.read() as session:
            row = session.scalar(select(SyncNode).where(SyncNode.token_hash == srv.token_digest(token)))
            assert row is not None
            return row

    seen = node().last_seen_at
    assert seen is not None
    endpoint.pull(token, {"limit": 500, "protocol": PROTOCOL_VERSION, "cursor": cursor})
    assert node().last_seen_at == seen  # seen a moment ago: no write
    with write_session(store.sessions) as session:
        session.execute(update(SyncNode).where(SyncNode.node_id == node().node_id)
                        .values(last_seen_at=utcnow() - srv.SEEN_EVERY, last_pull_seq=0))
    endpoint.pull(token, {"limit": 500, "protocol": PROTOCOL_VERSION, "cursor": cursor})
    later = node()
    assert later.last_seen_at is not None and later.last_seen_at > seen and later.last_pull_seq == int(seq)

    # revoked or expired: the full pull refuses (401), as before
    with write_session(store.sessions) as session:
        session.execute(update(SyncNode).where(SyncNode.node_id == node().node_id).values(revoked_at=utcnow()))
    assert _quiet(endpoint, token, cursor) is None
    status, body = endpoint.dispatch("GET", "/api/v1/sync/pull", None, {"cursor": cursor}, token)
    assert status == 401 and body["error"]["reason"] == "revoked"


@pytest.mark.timeout(60)
def test_ten_clients_syncing_against_itops_server_get_only_right_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/province.db"
    techs = load.make_province_db(url, 3)
    nodes = load.issue_tokens(url, techs, 9)
    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    with load.itops_server(url, port) as proc:
        desktop, seen, store = load.real_desktop(tmp_path / "desktop", base)
        result = load.generate({"host": "127.0.0.1", "port": port, "mode": "sync", "clients": [desktop, *nodes],
                                "query": seen["query"], "headers": load.desktop_headers(), "warmup": 0.3,
                                "duration": 1.5, "timeout": 10, "server_pid": proc.pid}, tmp_path)
        store.close()
    assert seen["calls"] == ["GET /api/v1/sync/pull"]  # a desktop's no-change sync is one request
    assert result["error_count"] == 0, result["errors"]
    assert result["requests"] > 10 and result["clients"] == 10
    assert result["server_cpu"] > 0 and result["generator_cpu"] > 0


def test_a_connection_postgresql_closed_sends_the_no_change_pull_the_full_way(pg_db_url: str, make_app: Any) -> None:
    """The no-change pull's PostgreSQL engine does not ping its connections: after a database restart
    (here: every other backend terminated) the failed read is retried on the main engine, not a 500."""
    import psycopg

    from tests.pg import conninfo

    techs = load.make_province_db(pg_db_url, 1)
    token = load.issue_tokens(pg_db_url, techs, 1)[0]["token"]
    app = make_app(DATABASE_URL=pg_db_url)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get(f"/api/v1/sync/pull?limit=500&protocol={PROTOCOL_VERSION}", headers=headers).get_json()
    query = f"/api/v1/sync/pull?cursor={first['cursor']}&limit=500&protocol={PROTOCOL_VERSION}"
    quiet = client.get(query, headers=headers)
    assert quiet.status_code == 200 and app.extensions["itops"].extra_engines  # the fast path's engine
    with psycopg.connect(conninfo(pg_db_url), autocommit=True) as conn:
        killed = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
    assert killed is not None and killed[0] >= 1
    again = client.get(query, headers=headers)
    assert again.status_code == 200, again.get_json()
    assert {k: v for k, v in again.get_json().items() if k != "hlc"} == \
        {k: v for k, v in quiet.get_json().items() if k != "hlc"}
    assert client.get(query, headers=headers).status_code == 200  # and the fast path is back
