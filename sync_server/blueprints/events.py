"""``POST /api/v1/events``: alerts from monitoring systems become incidents.

The sender authenticates with its own API key (``itops events key add``), as ``Authorization: Bearer
KEY`` (Alertmanager's ``http_config.authorization``) or ``X-API-Key: KEY``. The format is detected
(Alertmanager webhook, Zabbix webhook media type, our own JSON) or named in the path
(``/api/v1/events/alertmanager`` …). A body over ``ITOPS_EVENTS_MAX_BYTES`` (default 1 MiB) is refused
with 413, a body that is not one of the formats with 422 — in both cases nothing is written.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint

from shared.integrations.payloads import FORMATS, PayloadError, parse
from shared.services import events
from shared.services.errors import ServiceError
from sync_server.blueprints.directory import directory_sign_in
from sync_server.errors import error_response
from sync_server.wire import endpoint, reply

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Monitoring alerts → incidents")

DEFAULT_MAX_BYTES = 1024 * 1024

# Directory (LDAP / AD) sign-in runs in front of the ordinary login route: see blueprints/directory.py.
blp.before_app_request(directory_sign_in)


@blp.route("", methods=["POST"])
@blp.doc(summary="Receive alerts (Alertmanager, Zabbix or ITOps JSON; detected); API key as Bearer or X-API-Key")
def receive() -> Response:
    return _receive(None)


@blp.route("/<fmt>", methods=["POST"])
@blp.doc(summary="Receive alerts of one named format: alertmanager, zabbix or generic")
def receive_format(fmt: str) -> Response:
    if fmt not in FORMATS:
        return error_response(404, f"unknown alert format {fmt!r}; formats: {', '.join(FORMATS)}")
    return _receive(fmt)


def _api_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    return request.headers.get("X-API-Key", "").strip() or None


def _body() -> tuple[Any, Response | None]:
    limit = int(current_app.config.get("ITOPS_EVENTS_MAX_BYTES") or DEFAULT_MAX_BYTES)
    if request.content_length is not None and request.content_length > limit:
        return None, error_response(413, f"an alert request is limited to {limit} bytes")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        return None, error_response(413, f"an alert request is limited to {limit} bytes")
    try:
        return json.loads(raw.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError):
        return None, error_response(400, "the body is not valid JSON")


def _receive(fmt: str | None) -> Response:
    secret = _api_key()
    if secret is None:
        return error_response(401, "an API key is required (Authorization: Bearer KEY or X-API-Key: KEY)",
                              headers={"WWW-Authenticate": 'Bearer realm="itops-events"'})
    body, problem = _body()
    if problem is not None:
        return problem
    try:
        alerts = parse(body, fmt)
    except PayloadError as exc:
        return error_response(422, f"not an accepted alert payload: {exc}")
    try:
        with endpoint().store.write() as cs:
            key = events.authenticate_key(cs.session, secret)
            if key is None:
                return error_response(401, "the API key is not valid or was revoked",
                                      headers={"WWW-Authenticate": 'Bearer realm="itops-events"'})
            results = events.ingest(cs, key, alerts)
    except ServiceError as exc:
        return error_response(422, str(exc))
    return reply(200, {"received": len(results), "results": results})
