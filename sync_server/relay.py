"""The province → HQ relay: the same SyncClient a desktop uses, run on a timer in the server."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from shared.store import Store
from shared.sync.client import SyncClient, SyncFailed
from shared.sync.transport import HttpTransport

log = logging.getLogger("sync_server.relay")


class Relay:
    def __init__(self, app: Flask, upstream: str, interval: float = 60.0) -> None:
        self.store = Store.attach(app.extensions["itops"].engine)
        self.upstream = upstream
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="itops-relay", daemon=True)

    def start(self) -> Relay:
        self.thread.start()
        return self

    def trigger(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self.thread.join(timeout=30)

    def run_once(self) -> None:
        client = SyncClient(self.store, HttpTransport(self.upstream))
        try:
            report = client.sync()
            log.info("relay to %s: pushed %s, relayed %s, pulled %s", self.upstream, report.pushed,
                     report.relayed, report.pulled)
        except SyncFailed as exc:
            log.warning("relay to %s failed: %s", self.upstream, exc)
            client.record_error(str(exc))
        except Exception as exc:  # a bug or a database error must not end the relay thread for good
            log.exception("relay to %s failed unexpectedly", self.upstream)
            try:
                client.record_error(f"{type(exc).__name__}: {exc}")
            except Exception:
                log.exception("could not record the relay error")

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._wake.wait(self.interval)
            self._wake.clear()
