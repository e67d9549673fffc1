"""``/api/v1/admin``: administration of this server.

Will hold: users and roles, nodes (enrolment approval, revocation), the conflict queue (list, inspect,
resolve), and sync status of the nodes below this one.
"""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Users, nodes and conflicts")
