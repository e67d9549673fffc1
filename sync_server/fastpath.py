"""The no-change sync, answered beneath Flask.

Most requests a province server sees are desktops syncing with nothing to pull: one
``GET /api/v1/sync/pull`` with the desktop's three query parameters, answered from one indexed read
(``SyncEndpoint.quiet_pull``). Through Flask that answer cost more in the framework than in the read:
request context, URL routing, the OpenAPI wrapper and three hooks (issue 9's load benchmark: 890 µs of
server CPU per sync beside 350 µs for a bare Flask "hello").

This WSGI middleware answers exactly that case and nothing else, with the same body and headers the
Flask view gives (``X-Request-Id`` included). It takes the same rate-limit token the Flask hook takes, and
hands every other request — a limited client, another query, a pull with changes, any failure — to Flask
unchanged, which answers it as before (a request that reaches Flask after the middleware spent its
rate-limit token is not charged twice). Tests compare the two paths' answers byte for byte.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.datastructures import MultiDict

from sync_server import ratelimit
from sync_server.blueprints.sync import pull_args
from sync_server.errors import REQUEST_ID_HEADER, sane_request_id
from sync_server.wire import endpoint

log = logging.getLogger(__name__)

PULL_PATH = "/api/v1/sync/pull"
_REQUEST_ID_KEY = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class QuietPullFastPath:
    """``app.wsgi_app = QuietPullFastPath(app, app.wsgi_app)``."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PULL_PATH and environ.get("REQUEST_METHOD") == "GET":
            try:
                body = self._quiet_answer(environ)
            except Exception:  # never a 500 from here: Flask answers instead (and logs what it finds)
                log.exception("the no-change fast path failed; Flask answers this pull")
                body = None
            if body is not None:
                start_response("200 OK", [("Content-Type", "application/json"),
                                          ("Content-Length", str(len(body))),
                                          (REQUEST_ID_HEADER, sane_request_id(environ.get(_REQUEST_ID_KEY, "")))])
                return [body]
        return self.wsgi_app(environ, start_response)

    def _quiet_answer(self, environ: dict[str, Any]) -> bytes | None:
        """The body of a no-change answer, or None (Flask answers: anything else, or changes to pull)."""
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if not auth.startswith("Bearer ") or environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return None
        args = pull_args(MultiDict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)))
        if args is None:  # not the desktop's query: the schema checks it
            return None
        token = auth[7:].strip()
        if not token:
            return None
        if self.app.config.get("ITOPS_RATE_LIMITS", True):
            wait = ratelimit.limits_of(self.app).api.take(ratelimit.token_key(token))
            environ[ratelimit.TAKEN] = wait  # the Flask hook uses this instead of taking another token
            if wait:
                return None  # Flask answers 429 with Retry-After
        ep = self.app.extensions.get("itops_endpoint")
        if ep is None:
            with self.app.app_context():
                ep = endpoint()
        page = ep.quiet_pull(token, args)
        if page is None:
            return None
        return json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

