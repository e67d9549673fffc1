"""``/screen``: the big screen (集中展现平台) of a province or HQ server, for a wall display.

``GET /screen`` is a self-contained page (no data in it) that fetches ``GET /screen/data`` every 30 s
and lays it out for 1920×1080 and 3840×2160 alike (sizes in viewport units). The data needs a sync
token of a user of this server's tree (``/screen?token=…`` on the display); it covers that user's
subtree: KPI scores by unit, open incidents by priority with SLA state, major incidents, monitoring
alarms, task completion, security events and the sync health of every node.
"""

from __future__ import annotations

from pathlib import Path

from flask import Response
from flask_smorest import Blueprint, abort

import shared
from shared.services.actor import actor_for
from shared.services.errors import Forbidden, ServiceError
from shared.services.kpi import screen_data
from shared.sync import server as srv
from shared.sync.protocol import SyncError
from sync_server.schemas import HTML_PAGE, OpenObjectSchema, ok
from sync_server.wire import bearer, endpoint, reply, sync_error

PAGE = Path(shared.__file__).resolve().parent / "resources" / "reports" / "screen.html"

blp = Blueprint("screen", __name__, url_prefix="/screen", description="Big screen (集中展现)")


@blp.route("", methods=["GET"])
@blp.doc(summary="The big-screen page (HTML); it loads /screen/data with ?token=", responses=HTML_PAGE)
def page() -> Response:
    return Response(PAGE.read_text(encoding="utf-8"), mimetype="text/html")


@blp.route("/data", methods=["GET"])
@blp.doc(summary="Figures of the big screen for the caller's subtree (JSON)", responses=ok(OpenObjectSchema))
def data() -> Response:
    try:
        with endpoint().store.read() as session:
            node = srv.authenticate(session, bearer())
            if not node.user_id:
                raise Forbidden("this node has no user")
            actor = actor_for(session, node.user_id)
            return reply(200, screen_data(session, actor))
    except SyncError as exc:
        return sync_error(exc)
    except Forbidden as exc:
        abort(403, message=str(exc))
    except ServiceError as exc:
        abort(400, message=str(exc))
    raise AssertionError("unreachable")
