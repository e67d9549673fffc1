"""One flask-smorest blueprint per area, all under ``/api/v1``.

To add an area: write ``blueprints/<area>.py`` exposing ``blp = Blueprint(...)`` with its routes, import
it here and append it to :data:`BLUEPRINTS`. An existing area (``auth``, ``sync``, ``admin``) gets routes
by decorating its ``blp`` in its own module; nothing else needs to change.
"""

from __future__ import annotations

from flask_smorest import Api, Blueprint

from sync_server.blueprints import admin, auth, events, health, screen, sync

BLUEPRINTS: tuple[Blueprint, ...] = (health.blp, auth.blp, sync.blp, admin.blp, events.blp, screen.blp)


def register_blueprints(api: Api) -> None:
    """Register every area's blueprint on ``api`` (routes and OpenAPI documentation)."""
    for blp in BLUEPRINTS:
        api.register_blueprint(blp)
