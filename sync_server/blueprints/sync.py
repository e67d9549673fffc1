"""``/api/v1/sync``: push a batch of outbox mutations, pull pages of changes in scope.

The merge, scope checks and idempotency live in ``shared.sync.server``; this module adapts
them to HTTP (gzip, marshmallow validation, the error shape)."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from sync_server.schemas import PullArgs, PushSchema
from sync_server.wire import bearer, endpoint, json_body, query_args, reply

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync", description="Push and pull of changes")


@blp.route("/push", methods=["POST"])
@blp.doc(summary="Push outbox mutations (gzip body allowed); idempotent per node sequence number",
         requestBody={"content": {"application/json": {"schema": PushSchema}}})
def push() -> Response:
    body = json_body(PushSchema())
    return reply(*endpoint().dispatch("POST", "/api/v1/sync/push", body, None, bearer()))


@blp.route("/pull", methods=["GET"])
@blp.doc(summary="Pull one page of changes after a cursor (epoch:seq)")
def pull() -> Response:
    args = query_args(PullArgs())
    return reply(*endpoint().dispatch("GET", "/api/v1/sync/pull", None, args, bearer()))
