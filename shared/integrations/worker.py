"""The integration worker of a server: one pass = periodic checks (SLA, assignments, escalations), the
email/SMS queue and the audit export to syslog. ``itops notify run --db URL`` loops over it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.db.types import utcnow
from shared.store import Store

log = logging.getLogger(__name__)


def run_once(store: Store, now: datetime | None = None) -> dict[str, Any]:
    from shared.integrations.checks import run_checks
    from shared.services import notifications

    now = now or utcnow()
    with store.write() as cs:
        checks = run_checks(cs, now)
    with store.write() as cs:
        sent = notifications.deliver_due(cs.session, now)
    result: dict[str, Any] = {"checks": checks, "deliveries": sent}
    exported = _export_audit(store)
    if exported is not None:
        result["syslog"] = exported
    return result


def _export_audit(store: Store) -> dict[str, Any] | None:
    try:
        from shared.integrations import syslog
    except ImportError:  # pragma: no cover - the module ships with this package
        return None
    return syslog.export_pending(store)


def run_forever(store: Store, interval: float, say: Callable[[str], None],
                stop: threading.Event | None = None) -> None:
    """Pass after pass until ``stop`` is set; an error in one pass is logged and the next pass tries again."""
    stop = stop or threading.Event()
    while not stop.is_set():
        started = time.monotonic()
        try:
            result = run_once(store)
            say(_summary(result))
        except Exception as exc:  # a broken pass must not stop the worker
            log.exception("integration worker pass failed")
            say(f"pass failed: {type(exc).__name__}: {exc}")
        stop.wait(max(0.0, interval - (time.monotonic() - started)))


class BackgroundWorker:
    """The worker as a daemon thread inside ``itops server``, so a province needs one process, not two."""

    def __init__(self, store: Store, interval: float, say: Callable[[str], None]) -> None:
        self._stop = threading.Event()
        self.thread = threading.Thread(target=run_forever, args=(store, interval, say, self._stop),
                                       name="itops-worker", daemon=True)

    def start(self) -> BackgroundWorker:
        self.thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self.thread.join(timeout)


def _summary(result: dict[str, Any]) -> str:
    checks, sent = result["checks"], result["deliveries"]
    parts = [f"notifications made: {sum(checks.values())}",
             f"sent {sent['sent']}, retry {sent['retry']}, failed {sent['failed']}"]
    if "syslog" in result:
        parts.append(f"syslog {result['syslog'].get('sent', 0)}")
    return "; ".join(parts)
