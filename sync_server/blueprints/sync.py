"""``/api/v1/sync``: push a batch of outbox mutations, pull pages of changes in scope.

The merge, scope checks and idempotency live in ``shared.sync.server``; this module adapts
them to HTTP (gzip, marshmallow validation, the error shape)."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, request, send_file
from flask_smorest import Blueprint, abort
from werkzeug.datastructures import MultiDict

from shared.sync.protocol import SyncError
from sync_server.schemas import (
    GZIP_FILE,
    PullArgs,
    PullPageSchema,
    PushAnswerSchema,
    PushSchema,
    SnapshotAnswerSchema,
    SnapshotArgs,
    ok,
)
from sync_server.wire import bearer, endpoint, json_body, query_args, reply, sync_error

_PULL_ARGS = PullArgs()  # one instance: building a schema costs more than loading the query with it
_CURSOR = re.compile(r"[0-9a-f-]{0,36}:[0-9]{1,19}")
_DIGITS = re.compile(r"[0-9]{1,9}")
_DESKTOP_QUERY = frozenset(("cursor", "limit", "protocol"))


def pull_args(args: MultiDict[str, str]) -> dict[str, Any] | None:
    """The query every desktop sends on a sync (cursor, limit, protocol), checked by hand: what
    ``PullArgs`` would load from it, at a tenth of the cost. None for anything else (the schema
    then loads it, or says what is wrong)."""
    if args.keys() != _DESKTOP_QUERY or any(len(v) != 1 for v in args.listvalues()):
        return None
    cursor, limit, protocol = args["cursor"], args["limit"], args["protocol"]
    if not (_CURSOR.fullmatch(cursor) and _DIGITS.fullmatch(limit) and _DIGITS.fullmatch(protocol)
            and 1 <= int(limit) <= 5000):
        return None
    return {"cursor": cursor, "limit": int(limit), "ack": 0, "entity": None, "protocol": int(protocol),
            "digest": None}

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync", description="Push and pull of changes")


@blp.route("/push", methods=["POST"])
@blp.doc(summary="Push outbox mutations (gzip body allowed); idempotent per node sequence number",
         responses=ok(PushAnswerSchema),
         requestBody={"required": True, "content": {"application/json": {"schema": PushSchema}}})
def push() -> Response:
    body = json_body(PushSchema())
    return reply(*endpoint().dispatch("POST", "/api/v1/sync/push", body, None, bearer()))


@blp.route("/pull", methods=["GET"])
@blp.doc(summary="Pull one page of changes after a cursor (epoch:seq)",
         responses=ok(PullPageSchema),
         # declared, not loaded by smorest: the route checks the desktops' query itself (pull_args)
         parameters=[{"in": "query", "schema": PullArgs}])
def pull() -> Response:
    args = pull_args(request.args) or query_args(_PULL_ARGS)
    return reply(*endpoint().dispatch("GET", "/api/v1/sync/pull", None, args, bearer()))


@blp.route("/snapshot", methods=["GET"])
@blp.doc(summary="The size of the caller's scope and, when large, a snapshot of it to download",
         responses=ok(SnapshotAnswerSchema))
@blp.arguments(SnapshotArgs, location="query", as_kwargs=True)
def snapshot_meta(force: bool) -> Response:
    params = {"force": "1"} if force else {}
    return reply(*endpoint().dispatch("GET", "/api/v1/sync/snapshot", None, params, bearer()))


@blp.route("/snapshot/<sid>", methods=["GET"])
@blp.doc(summary="Download a snapshot (gzip JSON lines); resumable with HTTP Range",
         responses=GZIP_FILE)
def snapshot_file(sid: str) -> Response:
    try:
        path = endpoint().snapshot_file(bearer(), sid)
    except SyncError as exc:
        return sync_error(exc)
    if path is None:
        abort(404, message="no such snapshot (it may have been superseded): ask for a new one")
        raise AssertionError("unreachable")
    return send_file(path, mimetype="application/gzip", conditional=True, max_age=0)
