"""The fault proxy itself: forwarding, counters, latency, throttle, drop and cuts (fast, no servers)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.e2e.proxy import FaultProxy


@pytest.fixture
def echo_port() -> Iterator[int]:
    """A TCP echo server: every byte received is sent back."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(data)
            except OSError:
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield listener.getsockname()[1]
    stop.set()
    t.join(2)
    listener.close()


@pytest.fixture
def proxy(echo_port: int) -> Iterator[FaultProxy]:
    with FaultProxy(echo_port) as p:
        yield p


def _exchange(port: int, payload: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        got = bytearray()
        sender = threading.Thread(target=s.sendall, args=(payload,), daemon=True)
        sender.start()
        while len(got) < len(payload):
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        sender.join(timeout)
        return bytes(got)


def _wait(cond, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_forwards_and_counts(proxy: FaultProxy) -> None:
    payload = bytes(range(256)) * 400
    assert _exchange(proxy.port, payload) == payload
    _wait(lambda: proxy.bytes_down == len(payload))
    snap = proxy.snapshot()
    assert snap["bytes_up"] == len(payload) and snap["bytes_down"] == len(payload)
    assert snap["connections"] == 1 and snap["cuts"] == 0


def test_delay_is_latency_not_per_chunk_sum(proxy: FaultProxy) -> None:
    proxy.delay_ms = 150
    start = time.monotonic()
    assert _exchange(proxy.port, b"x" * 200_000) == b"x" * 200_000
    elapsed = time.monotonic() - start
    assert 0.3 <= elapsed < 1.5  # two one-way delays, pipelined over many chunks


def test_throttle_limits_rate(proxy: FaultProxy) -> None:
    proxy.throttle(20_000, direction="up")
    start = time.monotonic()
    assert _exchange(proxy.port, b"y" * 20_000) == b"y" * 20_000
    elapsed = time.monotonic() - start
    assert 0.85 <= elapsed < 2.0
    proxy.throttle(None)
    start = time.monotonic()
    _exchange(proxy.port, b"z" * 20_000)
    assert time.monotonic() - start < 0.5


def test_drop_refuses_new_connections(proxy: FaultProxy) -> None:
    proxy.drop = True
    try:  # the reset may already arrive while connecting
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as s:
            s.sendall(b"hello")
            data = s.recv(10)
    except OSError:
        data = b""
    assert data == b""
    _wait(lambda: proxy.dropped == 1)
    proxy.drop = False
    assert _exchange(proxy.port, b"back") == b"back"


def test_cut_after_closes_mid_body(proxy: FaultProxy) -> None:
    proxy.cut_after(10_000, direction="up")
    got = bytearray()
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as s:
        try:
            s.sendall(b"a" * 50_000)
            while chunk := s.recv(65536):
                got += chunk
        except OSError:
            pass
    _wait(lambda: proxy.cuts == 1)
    assert proxy.bytes_up == 10_000  # exactly up to the cut
    assert len(got) <= 10_000
    _wait(lambda: proxy.open_connections == 0)
    assert _exchange(proxy.port, b"again") == b"again"  # one-shot: the next connection is fine


def test_cut_now_and_cut_every(proxy: FaultProxy) -> None:
    socks = [socket.create_connection(("127.0.0.1", proxy.port), timeout=5) for _ in range(3)]
    _wait(lambda: proxy.open_connections == 3)
    assert proxy.cut_now() == 3
    for s in socks:
        with contextlib.suppress(OSError):
            assert s.recv(10) == b""
        s.close()
    proxy.cut_every(0.2)
    s = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    _wait(lambda: proxy.cuts >= 3)
    proxy.cut_every(None)
    s.close()
    assert proxy.snapshot()["cut_connections"] >= 4
