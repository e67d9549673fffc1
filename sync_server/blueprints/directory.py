"""Directory sign-in in front of ``POST /api/v1/auth/login``.

When the server has an ``ldap`` setting, a sign-in first asks the company directory (LDAP / AD): a
person it accepts is created or brought up to date with the roles and org unit of their groups and OU,
and the password's hash is cached here, so the ordinary login handler (lockout, audit, node token) then
accepts it; a directory refusal drops the cached hash. The login route itself is unchanged.
"""

from __future__ import annotations

import json
import logging
import zlib
from typing import Any

from flask import current_app, request

from shared.integrations import ldap
from shared.integrations.settings import get_setting
from sync_server.wire import endpoint

log = logging.getLogger(__name__)
LOGIN_PATH = "/api/v1/auth/login"


def _login_body() -> dict[str, Any] | None:
    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 32 * 1024 * 1024)
    raw = request.get_data(cache=True)  # cached: the login handler reads the same bytes again
    if request.headers.get("Content-Encoding", "").lower() == "gzip":
        try:
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, limit + 1)
        except zlib.error:
            return None
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def directory_sign_in() -> None:
    """``before_app_request`` hook; never answers itself (the login handler does)."""
    if request.method != "POST" or request.path != LOGIN_PATH:
        return
    body = _login_body()
    if body is None or not isinstance(body.get("username"), str) or not isinstance(body.get("password"), str):
        return  # the login handler reports what is wrong with the request
    store = endpoint().store
    with store.read() as session:
        cfg = get_setting(session, "ldap")
    if not cfg.get("url"):
        return
    try:
        with store.write() as cs:
            outcome = ldap.sign_in(cs, cfg, body["username"][:64], body["password"][:1024])
    except Exception:  # a broken directory setup must not break local sign-in
        log.exception("directory sign-in failed for %s", body.get("username"))
        return
    log.info("directory sign-in of %s: %s", body["username"][:64], outcome)
