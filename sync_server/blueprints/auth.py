"""``/api/v1/auth``: sign a store in as a sync node (a desktop, or a province relaying to HQ).

Every attempt is audited; five wrong passwords in a row lock the username with a doubling back-off
(429 with ``Retry-After``, even for the right password), on top of the per-address rate limit."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from shared.audit.signin import sign_in_node
from shared.security import LockedOut
from shared.sync.protocol import SyncError
from sync_server.errors import error_response
from sync_server.ratelimit import client_address
from sync_server.schemas import LoginAnswerSchema, LoginSchema, ok
from sync_server.wire import endpoint, json_body, reply, sync_error

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in of sync nodes")


@blp.route("/login", methods=["POST"])
@blp.doc(summary="Register this store as a node and get a sync token",
         responses=ok(LoginAnswerSchema),
         requestBody={"required": True, "content": {"application/json": {"schema": LoginSchema}}})
def login() -> Response:
    body = json_body(LoginSchema())
    try:
        return reply(200, sign_in_node(endpoint().store, body, client_address()))
    except LockedOut as exc:
        return error_response(429, str(exc), headers={"Retry-After": str(exc.retry_after)})
    except SyncError as exc:
        return sync_error(exc)
