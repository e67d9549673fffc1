"""The app served by waitress over real HTTP on loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import requests

from sync_server.serve import Server, make_server

from .conftest import AppFactory
from .test_app import add_test_routes


@pytest.fixture
def served(make_app: AppFactory) -> Iterator[Server]:
    app = make_app(ITOPS_ROLE="hq", MAX_CONTENT_LENGTH=1024)
    add_test_routes(app)
    server = make_server(app, "127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=server.run, name="itops-test-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(10)
        assert not thread.is_alive()


def test_health_over_http(served: Server) -> None:
    assert served.port > 0
    assert served.url == f"http://127.0.0.1:{served.port}"
    response = requests.get(f"{served.url}/api/v1/health", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["role"] == "hq"
    assert response.headers["X-Request-Id"]


def test_errors_over_http_are_json(served: Server) -> None:
    with requests.Session() as http:  # keep-alive connection, still open when the server closes
        response = http.get(f"{served.url}/nope", headers={"Accept-Language": "en"}, timeout=5)
        assert response.status_code == 404
        assert response.json()["error"]["message"] == "Not found"

        response = http.get(f"{served.url}/api/v1/testing/boom", timeout=5)
        assert response.status_code == 500
        assert "Traceback" not in response.text


def test_chunked_body_over_limit_is_json_413(served: Server) -> None:
    """No Content-Length: the limit is enforced while the body is read."""

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        yield b"x" * 1500
        yield b'"}'

    response = requests.post(
        f"{served.url}/api/v1/testing/things",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == 413


def test_close_releases_the_port(make_app: AppFactory) -> None:
    server = make_server(make_app(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    port = server.port
    assert requests.get(f"{server.url}/api/v1/health", timeout=5).ok
    server.close()
    thread.join(10)
    assert not thread.is_alive()
    server.close()  # a second close is harmless
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_close_before_run(make_app: AppFactory) -> None:
    server = make_server(make_app(), "127.0.0.1", 0)
    server.close()
    server.run()  # returns at once
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=1):
        pass
