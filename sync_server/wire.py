"""Request bodies in (gzip allowed, bounded), JSON out (gzip when the client accepts it)."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import marshmallow as ma
from flask import Response, current_app, request
from flask_smorest import abort

from shared.db.engine import make_engine
from shared.store import Store
from shared.sync.endpoint import SyncEndpoint
from shared.sync.protocol import SyncError
from sync_server.errors import error_response
from sync_server.state import get_state

GZIP_MIN_BYTES = 1024
POOL_SIZE = 8  # one per waitress thread


def endpoint() -> SyncEndpoint:
    state = get_state()
    ep = current_app.extensions.get("itops_endpoint")
    if ep is None:
        directory = current_app.config.get("ITOPS_SNAPSHOT_DIR")
        fast = None
        if state.engine.dialect.name == "postgresql":
            # without a ping per checkout: one round trip less on every no-change sync
            fast = make_engine(state.engine.url.render_as_string(hide_password=False), pool_pre_ping=False,
                               pool_size=POOL_SIZE, isolation_level="AUTOCOMMIT")
            state.extra_engines.append(fast)
        ep = current_app.extensions["itops_endpoint"] = SyncEndpoint(
            Store.attach(state.engine), Path(directory) if directory else None, fast)
    return ep


def json_body(schema: ma.Schema) -> dict[str, Any]:
    """Decode (gunzip) and validate the body; 400/413/422 with a clear message otherwise."""
    raw = request.get_data(cache=False)
    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 32 * 1024 * 1024)
    if request.headers.get("Content-Encoding", "").lower() == "gzip":
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            raw = d.decompress(raw, limit + 1)
            if len(raw) > limit or d.unconsumed_tail:
                abort(413, message="the decompressed body is too large")
        except zlib.error:
            abort(400, message="the body is not valid gzip")
    try:
        data = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        abort(400, message="the body is not valid JSON")
    if not isinstance(data, dict):
        abort(400, message="the body must be a JSON object")
    try:
        return schema.load(data)  # type: ignore[no-any-return,arg-type]
    except ma.ValidationError as exc:
        abort(422, message="invalid request", errors={"json": exc.messages})
    raise AssertionError("unreachable")


def query_args(schema: ma.Schema) -> dict[str, Any]:
    try:
        return schema.load(request.args.to_dict())  # type: ignore[no-any-return]
    except ma.ValidationError as exc:
        abort(422, message="invalid query", errors={"query": exc.messages})
    raise AssertionError("unreachable")


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.startswith("Bearer ") else None


def reply(status: int, body: dict[str, Any]) -> Response:
    if status >= 400:  # the common error shape, plus the protocol's machine-readable fields
        err = body.get("error", {})
        base = json.loads(error_response(status, err.get("message")).get_data())
        body = {"error": {**err, **base["error"]}}
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = Response(data, status=status, mimetype="application/json")
    if len(data) >= GZIP_MIN_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(gzip.compress(data, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
    return response


def sync_error(exc: SyncError) -> Response:
    return reply(exc.status, exc.body())
