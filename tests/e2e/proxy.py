"""A TCP fault proxy for end-to-end tests and benchmarks (this machine has no netem).

``FaultProxy(target_port)`` listens on 127.0.0.1 (a free port unless one is given) and forwards every
connection to the target. Faults can be switched on and off at any time from the test's thread:

* ``delay_ms``      one-way latency added to every chunk, each direction. Chunks are pipelined (each is
                    due at the time it was read plus the delay), so a long body is not delayed N times.
* ``throttle(bps)`` a link of ``bps`` bytes per second per direction, shared by all connections
                    (64 kbit/s = 8000 B/s). ``direction`` limits it to "up" (client → server) or "down".
* ``drop``          new connections are accepted and closed at once (the client sees a reset); open
                    ones are left alone (``cut_now()`` for those).
* ``cut_now()``     close every open connection, wherever its bodies are.
* ``cut_after(n)``  one-shot: once ``n`` more bytes have been forwarded (either direction, or the one
                    given), forward exactly up to the n-th byte and then close every open connection —
                    a cut in the middle of a body.
* ``cut_every(s)``  close every open connection every ``s`` seconds until ``cut_every(None)`` (the first
                    cut after ``first`` seconds if given).

Counters: ``bytes_up`` / ``bytes_down`` (bytes delivered to the server / to the client),
``connections`` (accepted and forwarded), ``dropped`` (refused by ``drop``), ``cuts`` (cut events) and
``cut_connections`` (connections closed by cuts). ``snapshot()`` returns them as a dict.

Pure standard library, threads only: a thread accepts, and each connection has a reader and a writer
thread per direction.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

READ_SIZE = 16384
PIECE = 512  # bytes sent at a time while throttled or while a cut is armed: cuts land mid-body

UP, DOWN = "up", "down"
_RST = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends a reset


class _Pacer:
    """A shared link of ``rate`` bytes/s: each piece is sent when the link has finished the previous ones."""

    def __init__(self) -> None:
        self.rate: float | None = None
        self._next = 0.0
        self._lock = threading.Lock()

    def set(self, rate: float | None) -> None:
        with self._lock:
            self.rate = rate if rate and rate > 0 else None
            self._next = 0.0

    def wait(self, n: int, closed: threading.Event) -> None:
        with self._lock:
            rate = self.rate
            if rate is None:
                return
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + n / rate
            until = self._next
        while not closed.is_set():
            left = until - time.monotonic()
            if left <= 0:
                return
            closed.wait(min(left, 0.05))


@dataclass
class _Cut:
    budget: int
    direction: str | None  # None: both directions count


class _Conn:
    def __init__(self, proxy: FaultProxy, client: socket.socket, server: socket.socket, number: int) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.number = number
        self.closed = threading.Event()
        self._done = 0
        self._lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        for direction, src, dst in ((UP, client, server), (DOWN, server, client)):
            q: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
            self.threads.append(threading.Thread(target=self._read, args=(src, q), daemon=True,
                                                 name=f"proxy{proxy.port}-c{number}-{direction}-read"))
            self.threads.append(threading.Thread(target=self._write, args=(direction, dst, q), daemon=True,
                                                 name=f"proxy{proxy.port}-c{number}-{direction}-write"))

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def _read(self, src: socket.socket, q: queue.Queue[tuple[float, bytes] | None]) -> None:
        try:
            while not self.closed.is_set():
                data = src.recv(READ_SIZE)
                if not data:
                    break
                q.put((time.monotonic() + self.proxy.delay_ms / 1000.0, data))
        except OSError:
            pass
        q.put(None)

    def _write(self, direction: str, dst: socket.socket, q: queue.Queue[tuple[float, bytes] | None]) -> None:
        proxy = self.proxy
        try:
            while not self.closed.is_set():
                try:
                    item = q.get(timeout=0.1)
                except queue.Empty:
                    continue
                if item is None:  # the source half-closed: pass it on
                    with contextlib.suppress(OSError):
                        dst.shutdown(socket.SHUT_WR)
                    break
                due, data = item
                while not self.closed.is_set() and time.monotonic() < due:
                    self.closed.wait(min(due - time.monotonic(), 0.05))
                pacer = proxy._pacers[direction]
                step = PIECE if (pacer.rate or proxy._cut is not None) else len(data)
                for i in range(0, len(data), step):
                    piece = data[i:i + step]
                    pacer.wait(len(piece), self.closed)
                    if self.closed.is_set():
                        return
                    piece, cut = proxy._take_budget(direction, piece)
                    if piece:
                        dst.sendall(piece)
                        proxy._count(direction, len(piece))
                    if cut:
                        proxy.cut_now()
                        return
        except OSError:
            self.close()
        finally:
            self._half_done()

    def _half_done(self) -> None:
        with self._lock:
            self._done += 1
            finished = self._done >= 2
        if finished:
            self.close()

    def close(self, reset: bool = False) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for s in (self.client, self.server):
            if reset:
                with contextlib.suppress(OSError):
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RST)
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()
        self.proxy._forget(self)


class FaultProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1", port: int = 0,
                 host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.delay_ms = 0.0
        self.drop = False
        self.bytes_up = 0
        self.bytes_down = 0
        self.connections = 0
        self.dropped = 0
        self.cuts = 0
        self.cut_connections = 0
        self._pacers = {UP: _Pacer(), DOWN: _Pacer()}
        self._cut: _Cut | None = None
        self._lock = threading.Lock()
        self._conns: set[_Conn] = set()
        self._listener = socket.create_server((host, port), backlog=64)
        self._listener.settimeout(0.2)
        self.host, self.port = self._listener.getsockname()[:2]
        self._stop = threading.Event()
        self._cutter_stop: threading.Event | None = None
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name=f"proxy{self.port}-accept")

    # -- lifecycle --------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.cut_every(None)
        self._stop.set()
        self._thread.join(5)
        with contextlib.suppress(OSError):
            self._listener.close()
        self.cut_now(count=False)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- faults -----------------------------------------------------------------------------------------
    def throttle(self, bytes_per_second: float | None, direction: str | None = None) -> None:
        """``None`` (or 0) lifts the limit. ``direction``: "up", "down" or both (None)."""
        for d in (UP, DOWN):
            if direction in (None, d):
                self._pacers[d].set(bytes_per_second)

    def cut_now(self, count: bool = True) -> int:
        with self._lock:
            conns = list(self._conns)
            self._cut = None
            if count:
                self.cuts += 1
                self.cut_connections += len(conns)
        for c in conns:
            c.close(reset=True)
        return len(conns)

    def cut_after(self, nbytes: int, direction: str | None = None) -> None:
        with self._lock:
            self._cut = _Cut(max(0, int(nbytes)), direction)

    def cut_every(self, seconds: float | None, first: float | None = None) -> None:
        """Cut every open connection every ``seconds`` (the first time after ``first`` seconds, default
        ``seconds``); ``None`` stops it."""
        if self._cutter_stop is not None:
            self._cutter_stop.set()
            self._cutter_stop = None
        if seconds:
            stop = self._cutter_stop = threading.Event()

            def loop() -> None:
                wait = seconds if first is None else first
                while not stop.wait(wait):
                    self.cut_now()
                    wait = seconds

            threading.Thread(target=loop, daemon=True, name=f"proxy{self.port}-cutter").start()

    def reset_faults(self) -> None:
        """Back to a clean link (counters are kept)."""
        self.delay_ms = 0.0
        self.drop = False
        self.throttle(None)
        self.cut_every(None)
        with self._lock:
            self._cut = None

    def reset_counters(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = 0
            self.connections = self.dropped = self.cuts = self.cut_connections = 0

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"bytes_up": self.bytes_up, "bytes_down": self.bytes_down, "connections": self.connections,
                    "open": len(self._conns), "dropped": self.dropped, "cuts": self.cuts,
                    "cut_connections": self.cut_connections}

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._conns)

    # -- internals --------------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        number = 0
        while not self._stop.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            if self.drop:
                with self._lock:
                    self.dropped += 1
                with contextlib.suppress(OSError):
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RST)
                    client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            number += 1
            conn = _Conn(self, client, server, number)
            with self._lock:
                self._conns.add(conn)
                self.connections += 1
            conn.start()

    def _forget(self, conn: _Conn) -> None:
        with self._lock:
            self._conns.discard(conn)

    def _count(self, direction: str, n: int) -> None:
        with self._lock:
            if direction == UP:
                self.bytes_up += n
            else:
                self.bytes_down += n

    def _take_budget(self, direction: str, piece: bytes) -> tuple[bytes, bool]:
        """How much of ``piece`` may go before an armed cut fires, and whether it fires now."""
        with self._lock:
            cut = self._cut
            if cut is None or cut.direction not in (None, direction):
                return piece, False
            if len(piece) < cut.budget:
                cut.budget -= len(piece)
                return piece, False
            head = piece[:cut.budget]
            self._cut = None
            return head, True


@contextlib.contextmanager
def fault_proxy(target_port: int, **kwargs: Any) -> Iterator[FaultProxy]:
    proxy = FaultProxy(target_port, **kwargs).start()
    try:
        yield proxy
    finally:
        proxy.stop()
