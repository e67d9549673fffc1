"""``/api/v1/auth``: node and user authentication.

Will hold: login (user + password → token), token refresh and logout, node enrolment (a desktop or a
province registers with its parent and receives its node credentials), and ``whoami``. Everything else
under /api/v1 requires the token issued here.
"""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Authentication of users and nodes")
