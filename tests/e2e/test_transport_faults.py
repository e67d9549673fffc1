"""HttpTransport against a real server behind the fault proxy: a cut in the middle of an answer's
body is a retryable transport failure, never a crash (it was: urllib3's ProtocolError escaped)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.sync.transport import HttpTransport, TransportError
from sync_server.app import create_app
from sync_server.serve import Server, make_server
from tests.e2e.proxy import FaultProxy


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/p.db", "ITOPS_ROLE": "province",
                      "ITOPS_ORG": "/HQ/GD/"})
    server = make_server(app, "127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server
    server.close()
    thread.join(10)
    app.extensions["itops"].dispose()


def test_answer_cut_mid_body_is_retried(served: Server) -> None:
    with FaultProxy(served.port) as proxy:
        transport = HttpTransport(proxy.url, sleep=lambda s: None)
        proxy.cut_after(1500, direction="down")  # the OpenAPI document is far longer than that
        resp = transport.call("GET", "/api/openapi.json")
        assert resp.status == 200 and "paths" in resp.body
        assert proxy.cuts == 1 and proxy.connections == 2


def test_answer_cut_every_time_is_a_transport_error(served: Server) -> None:
    with FaultProxy(served.port) as proxy:
        transport = HttpTransport(proxy.url, retries=2, sleep=lambda s: None)
        cuts = 0

        def arm(*_a: object) -> None:
            nonlocal cuts
            cuts += 1
            proxy.cut_after(1500, direction="down")

        transport.sleep = arm
        proxy.cut_after(1500, direction="down")
        with pytest.raises(TransportError):
            transport.call("GET", "/api/openapi.json")
        assert proxy.cuts == 3
