"""``/api/v1/auth``: sign a store in as a sync node (a desktop, or a province relaying to HQ)."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from sync_server.schemas import LoginSchema
from sync_server.wire import endpoint, json_body, reply

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in of sync nodes")


@blp.route("/login", methods=["POST"])
@blp.doc(summary="Register this store as a node and get a sync token",
         requestBody={"content": {"application/json": {"schema": LoginSchema}}})
def login() -> Response:
    body = json_body(LoginSchema())
    return reply(*endpoint().dispatch("POST", "/api/v1/auth/login", body, None, None))
