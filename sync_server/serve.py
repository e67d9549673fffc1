"""Serving the app with waitress (pure Python, runs on Windows too; gunicorn does not).

waitress's own ``run()`` only stops on KeyboardInterrupt/SystemExit and its ``close()`` is not safe to
call from another thread while the loop polls. :class:`Server` runs the loop in short slices and does
the whole shutdown in the loop's own thread, so ``close()`` works from anywhere.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.2
# waitress stops accepting at 100 open connections by default: the 101st desktop of a province would
# wait in the listen backlog until one of the first hundred hangs up (a keep-alive connection stays
# open until waitress's idle timeout). 500 stays below select()'s limit on Windows (512 sockets).
CONNECTION_LIMIT = 500


class OncePerMinute(logging.Filter):
    """Lets one record through per minute. waitress warns "Task queue depth is N" on every request that
    finds all threads busy: under load that is thousands of lines a second, and the logging itself then
    costs the server a few percent of its CPU."""

    def __init__(self) -> None:
        super().__init__()
        self._last = -60.0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._last < 60.0:
            return False
        self._last = now
        return True


_QUEUE_LOG = logging.getLogger("waitress.queue")
if not any(isinstance(f, OncePerMinute) for f in _QUEUE_LOG.filters):
    _QUEUE_LOG.addFilter(OncePerMinute())


class YieldingDispatcher(ThreadedTaskDispatcher):
    """waitress's task queue, with one change: the loop thread gives up the GIL for a moment after it queues a
    request, so that the worker thread it woke runs now.

    Otherwise the loop thread, which reads every connection, keeps the GIL while it reads and queues more
    requests, and the workers, which must win the GIL back after each database read, starve: 200 desktops
    syncing against 8 threads made 70–90 answers a second on two cores, with 12–20 ms of CPU spent per
    request (measured with waitress 3.0.2 when its queue-depth warnings, whose writes to the log happened to
    yield, were quietened). With the yield: 2,000 a second at about 0.5 ms each."""

    def add_task(self, task: Any) -> None:
        super().add_task(task)
        time.sleep(0)  # releases the GIL: the woken worker takes it


class Server:
    """A waitress server that can be stopped: ``run()`` blocks, ``close()`` stops it from any thread."""

    def __init__(self, app: Flask, host: str, port: int, threads: int = 8, **adjustments: Any) -> None:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit:
            # The app answers 413 in JSON up to twice its limit; beyond that waitress refuses (plain text)
            # before buffering the whole body.
            adjustments.setdefault("max_request_body_size", 2 * int(limit))
        adjustments.setdefault("ident", "ITOps")
        adjustments.setdefault("connection_limit", CONNECTION_LIMIT)
        self._map: dict[int, Any] = {}
        dispatcher = YieldingDispatcher()
        dispatcher.set_thread_count(threads)
        self._server = create_server(app, map=self._map, host=host, port=port, threads=threads,
                                     _dispatcher=dispatcher, **adjustments)
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._closed = False
        self._run_thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def host(self) -> str:
        return str(self._listen()[0])

    @property
    def port(self) -> int:
        """The bound port (the real one when 0 was asked for)."""
        return int(self._listen()[1])

    @property
    def url(self) -> str:
        host = self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def _listen(self) -> tuple[Any, ...]:
        server = self._server
        if hasattr(server, "effective_listen"):  # several sockets (a host name with IPv4 and IPv6)
            return tuple(server.effective_listen[0])
        return (server.effective_host, server.effective_port)

    def run(self) -> None:
        """Serve until :meth:`close` is called (or KeyboardInterrupt); then release everything.

        Returns at once if :meth:`close` came first (e.g. a thread started and stopped straight away).
        """
        with self._lock:
            self._run_thread = threading.current_thread()
        try:
            while self._map and not self._stop.is_set():
                wasyncore.loop(timeout=_POLL_SECONDS, map=self._map, count=1)
        except (KeyboardInterrupt, SystemExit):
            log.info("interrupted; stopping")
        finally:
            self._shutdown()
            self._finished.set()

    def close(self, timeout: float = 10.0) -> None:
        """Stop serving and release the port. Safe from any thread, and more than once."""
        self._stop.set()
        with self._lock:
            running = self._run_thread
        if running is None:
            self._shutdown()
        elif running is not threading.current_thread():
            self._finished.wait(timeout)

    def _shutdown(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def make_server(app: Flask, host: str, port: int, threads: int = 8, **adjustments: Any) -> Server:
    """Bind ``host:port`` (port 0: any free port, read it from ``.port``) and return a :class:`Server`.

    Nothing is served until ``.run()`` is called; ``.close()`` stops it from any thread. Extra keyword
    arguments are waitress adjustments (e.g. ``trusted_proxy``, ``channel_timeout``).
    """
    return Server(app, host, port, threads=threads, **adjustments)


def serve(app: Flask, host: str, port: int, threads: int = 8, **adjustments: Any) -> None:
    """Serve ``app`` on ``host:port`` with waitress until KeyboardInterrupt or SystemExit.

    Blocks. The CLI may turn SIGTERM into SystemExit with a signal handler to stop cleanly.

    :param app: from :func:`sync_server.app.create_app`.
    :param threads: request worker threads.
    :param adjustments: extra waitress adjustments.
    """
    server = make_server(app, host, port, threads=threads, **adjustments)
    log.info("ITOps server (%s) listening on %s", app.config.get("ITOPS_ROLE"), server.url)
    server.run()
