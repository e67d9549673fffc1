"""A small in-process rate limiter (token buckets), no extra infrastructure.

Two budgets, set in the app config as ``(requests, per_seconds)``:

* ``ITOPS_RATE_LOGIN`` (default 20 per minute) — sign-ins per client address; the per-username lockout
  with back-off (``shared.security``) comes on top of it;
* ``ITOPS_RATE_API`` (default 600 per minute) — every other ``/api/v1`` call per sync token (per address
  when there is none). A no-change sync is 2 calls, so a desktop syncing every few seconds stays far
  below it; a runaway client gets 429 with ``Retry-After`` and the transport backs off.

``ITOPS_RATE_LIMITS = False`` turns both off (benchmarks). One process serves one node, so a bucket
per process is the whole truth (waitress runs threads, not processes).

Behind a reverse proxy every request comes from the proxy's address: set ``ITOPS_PROXY_HOPS`` to the
number of proxies in front (1 for one nginx) and the client address is taken from ``X-Forwarded-For``
(the entry that many hops from the right; entries further left are the client's own claim).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, request

from sync_server.errors import error_response

LOGIN_PATH = "/api/v1/auth/login"
UNLIMITED = ("/api/v1/health",)
DEFAULT_LOGIN = (20, 60.0)
DEFAULT_API = (600, 60.0)
MAX_KEYS = 20000
TAKEN = "itops.rate_taken"  # WSGI environ: the wait ``take`` gave for this request (sync_server.fastpath)


class TokenBucket:
    """``capacity`` requests at once, refilled at ``capacity / per_seconds`` a second, per key."""

    def __init__(self, capacity: int, per_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(capacity)
        self.rate = capacity / per_seconds
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token: 0.0 if allowed, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > MAX_KEYS:
                    self._prune(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        """Forget keys whose bucket has refilled: they are back to the default anyway."""
        for key, (tokens, at) in list(self._buckets.items()):
            if tokens + (now - at) * self.rate >= self.capacity:
                del self._buckets[key]


class Limits:
    def __init__(self, login: tuple[int, float], api: tuple[int, float]) -> None:
        self.login = TokenBucket(*login)
        self.api = TokenBucket(*api)


def limits_of(app: Flask) -> Limits:
    limits: Limits | None = app.extensions.get("itops_limits")
    if limits is None:
        cfg = app.config
        limits = app.extensions["itops_limits"] = Limits(
            tuple(cfg.get("ITOPS_RATE_LOGIN") or DEFAULT_LOGIN),  # type: ignore[arg-type]
            tuple(cfg.get("ITOPS_RATE_API") or DEFAULT_API))  # type: ignore[arg-type]
    return limits


def token_key(token: str) -> str:
    """The API budget's key for a sync token (its digest: tokens are not kept in memory)."""
    return "t:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def _client_key() -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer ") and header[7:].strip():
        return token_key(header[7:].strip())
    return "a:" + client_address()


def client_address() -> str:
    hops = int(current_app.config.get("ITOPS_PROXY_HOPS") or 0)
    if hops > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr or "?"


def check_rate() -> Response | None:
    """``before_request``: 429 with ``Retry-After`` once a budget is spent."""
    if not current_app.config.get("ITOPS_RATE_LIMITS", True):
        return None
    path = request.path
    if not path.startswith("/api/v1/") or path in UNLIMITED:
        return None
    limits = limits_of(current_app._get_current_object())  # type: ignore[attr-defined]
    if path == LOGIN_PATH:
        wait = limits.login.take("a:" + client_address())
    else:  # the no-change fast path may have spent this request's token already
        taken = request.environ.get(TAKEN)
        wait = limits.api.take(_client_key()) if taken is None else float(taken)
    if not wait:
        return None
    seconds = max(1, math.ceil(wait))
    return error_response(429, f"too many requests; try again in {seconds} s",
                          headers={"Retry-After": str(seconds)})


def install(app: Flask) -> None:
    app.before_request(check_rate)
