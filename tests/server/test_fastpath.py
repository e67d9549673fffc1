"""The no-change sync answered beneath Flask (sync_server/fastpath.py): the same answer as the Flask view,
byte for byte but the HLC; Flask never runs for it; rate limits spend one token per request whichever path
answers; everything else (changes to pull, a refused token, a disabled user) is Flask's, as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client

from bench import load
from shared.services import tickets, users
from shared.store import Store
from shared.version import PROTOCOL_VERSION
from sync_server.app import create_app
from sync_server.fastpath import QuietPullFastPath

LH = "/HQ/GD/SZ/LH/"


@pytest.fixture
def province(tmp_path: Path) -> Iterator[tuple[str, Any, list[dict[str, Any]]]]:
    url = f"sqlite:///{tmp_path}/province.db"
    techs = load.make_province_db(url, 2)
    yield url, techs, load.issue_tokens(url, techs, 1)  # node 0: 龙华's technician (tech0)


def _app(url: str, **config: Any) -> Flask:
    return create_app({"DATABASE_URL": url, "TESTING": True, **config})


def _in_step(app: Flask, token: str) -> str:
    """Pull from scratch as a desktop does; the query of its next (no-change) sync."""
    client = app.test_client()
    query = f"limit=500&protocol={PROTOCOL_VERSION}"
    while True:
        page = client.get(f"/api/v1/sync/pull?{query}", headers={"Authorization": f"Bearer {token}"}).get_json()
        query = f"cursor={page['cursor']}&limit=500&protocol={PROTOCOL_VERSION}"
        if not page["more"]:
            return query


def _flask_calls(app: Flask) -> list[str]:
    """Requests that reached Flask's own request handling (its before_request hooks)."""
    seen: list[str] = []

    def note() -> None:
        seen.append("flask")

    app.before_request(note)
    return seen


def test_the_fast_path_answers_as_the_flask_view_does_without_flask(province: Any) -> None:
    url, _techs, nodes = province
    app = _app(url)
    flask_calls = _flask_calls(app)
    assert isinstance(app.wsgi_app, QuietPullFastPath)
    token = nodes[0]["token"]
    query = _in_step(app, token)
    headers = {"Authorization": f"Bearer {token}", "X-Request-Id": "desk-42", "Accept-Encoding": "gzip"}
    before = len(flask_calls)
    fast = Client(app).get(f"/api/v1/sync/pull?{query}", headers=headers)
    assert len(flask_calls) == before  # answered beneath Flask
    full = Client(app.wsgi_app.wsgi_app).get(f"/api/v1/sync/pull?{query}", headers=headers)  # the Flask view
    assert len(flask_calls) == before + 1
    assert fast.status_code == full.status_code == 200
    assert fast.headers["Content-Type"] == full.headers["Content-Type"] == "application/json"
    assert fast.headers["X-Request-Id"] == full.headers["X-Request-Id"] == "desk-42"
    assert int(fast.headers["Content-Length"]) == len(fast.data)
    fast_page, full_page = json.loads(fast.data), json.loads(full.data)
    assert fast_page.pop("hlc") <= full_page.pop("hlc")
    assert fast_page == full_page and fast_page["changes"] == [] and fast_page["more"] is False
    insane = Client(app).get(f"/api/v1/sync/pull?{query}", headers={**headers, "X-Request-Id": "a b;c<>"})
    assert len(insane.headers["X-Request-Id"]) == 32 and insane.headers["X-Request-Id"] != "a b;c<>"
    app.extensions["itops"].dispose()


def test_changes_refusals_and_other_queries_are_answered_by_flask(province: Any) -> None:
    url, techs, nodes = province
    app = _app(url)
    flask_calls = _flask_calls(app)
    token = nodes[0]["token"]
    query = _in_step(app, token)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    store = Store(url, migrate=False)
    with store.write(techs[LH].user_id) as cs:
        tickets.create_ticket(cs, techs[LH], "incident", "龙华 打印机卡纸", {"description": "三楼"})
    before = len(flask_calls)
    page = client.get(f"/api/v1/sync/pull?{query}", headers=auth).get_json()
    assert [c["d"]["title"] for c in page["changes"] if c["e"] == "tickets"] == ["龙华 打印机卡纸"]
    assert len(flask_calls) == before + 1
    # another query (the schema's path), a bad token, an old protocol: Flask answers, as before
    assert client.get(f"/api/v1/sync/pull?{query}&entity=tickets", headers=auth).status_code == 200
    assert client.get(f"/api/v1/sync/pull?{query}", headers={"Authorization": "Bearer nope"}).status_code == 401
    old = client.get(f"/api/v1/sync/pull?{query.replace(f'protocol={PROTOCOL_VERSION}', 'protocol=0')}",
                     headers=auth)
    assert old.status_code == 426 and old.get_json()["error"]["reason"] == "upgrade"
    assert len(flask_calls) == before + 4
    # a disabled user's store stops syncing at once, on the no-change path too
    query = f"cursor={page['cursor']}&limit=500&protocol={PROTOCOL_VERSION}"
    assert client.get(f"/api/v1/sync/pull?{query}", headers=auth).status_code == 200
    with store.write() as cs:
        users.set_active(cs, "tech0", False)
    refused = client.get(f"/api/v1/sync/pull?{query}", headers=auth)
    assert refused.status_code == 401 and refused.get_json()["error"]["reason"] == "user_disabled"
    store.close()
    app.extensions["itops"].dispose()


def test_each_request_spends_one_rate_limit_token_whichever_path_answers(province: Any) -> None:
    url, techs, nodes = province
    app = _app(url, ITOPS_RATE_API=(3, 3600))
    token = nodes[0]["token"]
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    first = client.get(f"/api/v1/sync/pull?limit=500&protocol={PROTOCOL_VERSION}", headers=auth).get_json()
    query = f"cursor={first['cursor']}&limit=500&protocol={PROTOCOL_VERSION}"
    store = Store(url, migrate=False)
    with store.write(techs[LH].user_id) as cs:
        tickets.create_ticket(cs, techs[LH], "incident", "龙华 网络中断", {"description": "二楼"})
    store.close()
    with_changes = client.get(f"/api/v1/sync/pull?{query}", headers=auth)  # fast path steps aside, Flask answers
    assert with_changes.status_code == 200 and with_changes.get_json()["changes"]
    quiet_query = f"cursor={with_changes.get_json()['cursor']}&limit=500&protocol={PROTOCOL_VERSION}"
    assert client.get(f"/api/v1/sync/pull?{quiet_query}", headers=auth).status_code == 200  # the third token
    limited = client.get(f"/api/v1/sync/pull?{quiet_query}", headers=auth)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.get_json()["error"]["code"] == 429
    app.extensions["itops"].dispose()


def test_waitress_queue_warnings_come_once_a_minute() -> None:
    """All threads busy: waitress warns on every request; the server lets one warning a minute through."""
    import logging

    from waitress.utilities import queue_logger

    from sync_server.serve import OncePerMinute

    assert any(isinstance(f, OncePerMinute) for f in queue_logger.filters)
    once = OncePerMinute()
    records = [logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, "Task queue depth is %d", (n,), None)
               for n in range(50)]
    assert [r.getMessage() for r in records if once.filter(r)] == ["Task queue depth is 0"]


def test_the_server_queues_requests_through_the_yielding_dispatcher(tmp_path: Path) -> None:
    """waitress is given our task queue (its loop thread yields the GIL after queueing a request) and still
    serves and stops as before."""
    import threading

    import requests

    from sync_server.serve import YieldingDispatcher, make_server

    app = _app(f"sqlite:///{tmp_path}/p.db", ITOPS_ORG="/HQ/GD/")
    server = make_server(app, "127.0.0.1", 0, threads=3)
    dispatcher = server._server.task_dispatcher
    assert isinstance(dispatcher, YieldingDispatcher) and len(dispatcher.threads) == 3
    runner = threading.Thread(target=server.run)
    runner.start()
    try:
        assert requests.get(f"{server.url}/api/v1/health", timeout=10).status_code == 200
    finally:
        server.close()
        runner.join(10)
    assert not runner.is_alive() and not dispatcher.threads
    app.extensions["itops"].dispose()
