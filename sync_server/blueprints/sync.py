"""``/api/v1/sync``: the sync protocol spoken on every edge (desktop → province → HQ).

Will hold: the handshake (protocol and schema versions), push (a batch of outbox changes, merged field by
field with ``shared.sync.merge`` and acknowledged only after commit) and pull (pages of changes in the
node's scope after a cursor). The wire schemas live in ``shared.sync``; this module only adapts them to
HTTP.
"""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync", description="Push and pull of changes")
