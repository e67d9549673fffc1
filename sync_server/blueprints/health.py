"""``GET /api/v1/health``: liveness, identity and versions of this node.

Unauthenticated on purpose: clients call it before logging in to check protocol compatibility, and
monitoring calls it to see whether the database answers.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import text

from shared.version import APP_VERSION, PROTOCOL_VERSION, SCHEMA_VERSION
from sync_server.state import get_state

log = logging.getLogger(__name__)

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Liveness and versions")


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"description": '"ok", or "degraded" with 503'})
    role = ma.fields.String(required=True, metadata={"description": '"province" or "hq"'})
    version = ma.fields.String(required=True, metadata={"description": "Application version"})
    protocol = ma.fields.Integer(required=True, metadata={"description": "Sync protocol version"})
    schema_version = ma.fields.Integer(
        required=True, data_key="schema", metadata={"description": "Database schema version"}
    )
    db = ma.fields.String(required=True, metadata={"description": '"ok" or "error"'})
    time = ma.fields.DateTime(required=True, metadata={"description": "Server time, UTC"})


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database does not answer")
    def get(self) -> tuple[dict[str, Any], int]:
        state = get_state()
        db_ok = _database_answers()
        body = {
            "status": "ok" if db_ok else "degraded",
            "role": state.role,
            "version": APP_VERSION,
            "protocol": PROTOCOL_VERSION,
            "schema_version": SCHEMA_VERSION,
            "db": "ok" if db_ok else "error",
            "time": datetime.now(UTC),
        }
        return body, 200 if db_ok else 503


def _database_answers() -> bool:
    try:
        with get_state().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        log.exception("health check: database does not answer")
        return False
    return True
