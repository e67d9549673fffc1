"""JSON errors for every failure, and a request id on every response.

Every error the server returns has one shape::

    {"error": {"code": 404, "status": "Not Found", "message": "未找到", "request_id": "…",
               "errors": {…}}}   # "errors" only for validation failures: field → messages

An unhandled exception becomes a 500 with ``message`` "internal error" (translated); its traceback goes to
the server log under the request id and never to the client.

flask-smorest registers its own ``HTTPException`` handler (a different shape and, for 405, no ``Allow``
header); :func:`register_error_handlers` runs after ``Api.init_app`` and replaces it.
"""

from __future__ import annotations

import logging
import re
import uuid
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Flask, Response, current_app, g, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from shared.messages import localize
from sync_server.i18n import t

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

# HTTP status → translation key for the default message.
_MESSAGE_KEYS: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}


class ErrorBodySchema(ma.Schema):
    """The error body. Sync refusals add machine-readable fields (``reason`` and, by reason,
    ``expected``, ``epoch``, ``seq``); more may come, so other fields are allowed."""

    class Meta:
        unknown = ma.INCLUDE

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = ma.fields.String(metadata={"description": "HTTP status name"})
    message = ma.fields.String(metadata={"description": "Message for people (Accept-Language)"})
    request_id = ma.fields.String(metadata={"description": "Also in the X-Request-Id header"})
    errors = ma.fields.Dict(metadata={"description": "Validation errors: location → field → messages"})
    reason = ma.fields.String(metadata={"description": "Sync refusals: a machine-readable code (gap, resync, "
                                                       "scope, expired, revoked, bad_login, upgrade …)"})
    expected = ma.fields.Integer(metadata={"description": "reason gap: the sequence number the server expects"})
    epoch = ma.fields.String(metadata={"description": "reason resync: the server's current epoch"})
    seq = ma.fields.Integer(metadata={"description": "reason changed_payload: the sequence number concerned"})


class ErrorSchema(ma.Schema):
    """The error envelope; used for the OpenAPI document only (responses are built by hand)."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


def request_id() -> str:
    """The current request's id: the client's ``X-Request-Id`` if sane, else a new uuid4 hex."""
    rid: str | None = g.get("request_id")
    if rid is None:
        rid = g.request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER, ""))
    return rid


def sane_request_id(given: str) -> str:
    """The client's request id if it is a plain token of up to 64 characters, else a new uuid4 hex."""
    return given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _asks_for_chinese() -> bool:
    """Only an explicit Accept-Language: scripts and older clients that send none keep the English text."""
    return has_request_context() and request.accept_languages.best_match(("zh", "en")) == "zh"


def error_response(
    code: int,
    message: str | None = None,
    *,
    status: str | None = None,
    errors: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build an error response in the one shape. Endpoints may return this directly. A service's own
    (English) message is given in Chinese when the request asks for Chinese by name."""
    if message and _asks_for_chinese():
        message = localize(message, "zh")
    body: dict[str, Any] = {
        "code": code,
        "status": status or _status_name(code),
        "message": message or t(_MESSAGE_KEYS.get(code, "http_error")),
        "request_id": request_id(),
    }
    if errors:
        body["errors"] = errors
    response = jsonify(error=body)
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_http_exception(error: HTTPException) -> Response:
    """Any werkzeug ``HTTPException``, including flask-smorest's ``abort(…, message=, errors=)``."""
    code = error.code or 500
    data: dict[str, Any] = getattr(error, "data", None) or {}
    # webargs puts validation messages under "messages"; smorest's abort uses "errors".
    errors = data.get("errors", data.get("messages"))
    message = data.get("message")
    if message is None and isinstance(error, RequestEntityTooLarge):
        message = t("payload_too_large", limit=current_app.config.get("MAX_CONTENT_LENGTH"))
    # Keep the exception's own headers (405 → Allow, 401 → WWW-Authenticate), not its HTML content type.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(code, message, status=error.name, errors=errors, headers=headers)


def handle_unexpected(error: Exception) -> Response:
    """Anything else: log the traceback here, tell the client nothing but the request id."""
    log.error(
        "unhandled error in %s %s [request_id=%s]",
        request.method,
        request.path,
        request_id(),
        exc_info=error,
    )
    return error_response(500, t("internal_error"))


def _status_name(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def _reject_oversized_body() -> Response | None:
    """Refuse a declared-too-large body before any view runs, even one that never reads the body.

    werkzeug only raises 413 when the body is read; chunked bodies with no Content-Length are still cut
    off there.
    """
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    length = request.content_length
    if limit is not None and length is not None and length > limit:
        return handle_http_exception(RequestEntityTooLarge())
    return None


def _add_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the JSON error handlers, the request guards (body size, rate limits) and the request-id
    hooks. Call after ``Api.init_app(app)``."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
    from sync_server import ratelimit  # it builds its 429 with error_response

    app.before_request(_reject_oversized_body)
    ratelimit.install(app)
    app.after_request(_add_request_id)
