"""Application factory: one Flask app per node, configured by a plain dict.

The CLI (``itops server``) and tests call :func:`create_app`; nothing is read from the environment or
from module-level globals, so several apps (an HQ and a province in one test) can live in one process.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api

from shared.db.engine import make_engine, make_session_factory
from shared.version import APP_VERSION
from sync_server import errors
from sync_server.blueprints import register_blueprints
from sync_server.fastpath import QuietPullFastPath
from sync_server.state import EXTENSION_KEY, ServerState

ROLES = ("province", "hq")
DEFAULT_MAX_CONTENT_LENGTH = 32 * 1024 * 1024
POOL_SIZE = 12
POOL_OVERFLOW = 8

DEFAULTS: dict[str, Any] = {
    "ITOPS_ROLE": "province",
    "ITOPS_UPSTREAM": None,
    "MAX_CONTENT_LENGTH": DEFAULT_MAX_CONTENT_LENGTH,
    "TESTING": False,
    "MIGRATE": True,
    # flask-smorest
    "API_TITLE": "ITOps API",
    "API_VERSION": APP_VERSION,
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
}


class ItopsApi(Api):
    """flask-smorest's Api with our error shape, both in the OpenAPI document and in responses."""

    ERROR_SCHEMA = errors.ErrorSchema

    def handle_http_exception(self, error):  # type: ignore[no-untyped-def]
        return errors.handle_http_exception(error)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the ITOps server app.

    :param config: ``DATABASE_URL`` (required; a SQLAlchemy URL or a bare SQLite file path),
        ``ITOPS_ROLE`` (``"province"`` default, or ``"hq"``), ``ITOPS_UPSTREAM`` (the parent server's base
        URL for the relay, or None), ``MAX_CONTENT_LENGTH`` (bytes, default 32 MiB), ``TESTING``,
        ``MIGRATE`` (default True: upgrade the database schema to head before serving). Any other Flask or
        flask-smorest key passes through to ``app.config``.
    :raises ValueError: on a missing database URL, an unknown role or a non-HTTP upstream.
    """
    settings = {**DEFAULTS, **(config or {})}
    if not settings.get("DATABASE_URL"):
        raise ValueError("DATABASE_URL is required")
    if settings["ITOPS_ROLE"] not in ROLES:
        raise ValueError(f"ITOPS_ROLE must be one of {', '.join(ROLES)}, not {settings['ITOPS_ROLE']!r}")
    upstream = settings["ITOPS_UPSTREAM"] or None
    if upstream is not None and not str(upstream).startswith(("http://", "https://")):
        raise ValueError(f"ITOPS_UPSTREAM must be an http(s) URL, not {upstream!r}")

    app = Flask("sync_server")
    app.config.update(settings)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese messages readable on the wire

    # Pooled connections for every waitress thread (8) and the relay: with fewer, each burst of
    # requests opens and closes connections (SQLite: a file open and four PRAGMAs each time).
    engine = make_engine(settings["DATABASE_URL"], pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    if settings["MIGRATE"]:
        from shared.db.migrate import upgrade

        upgrade(engine)

    _ensure_node(engine, settings)
    api = ItopsApi(app)
    errors.register_error_handlers(app)  # after Api init: replaces smorest's HTTPException handler
    app.extensions[EXTENSION_KEY] = ServerState(
        engine=engine,
        sessions=make_session_factory(engine),
        role=settings["ITOPS_ROLE"],
        upstream=upstream,
        api=api,
        config=app.config,
    )
    register_blueprints(api)
    app.wsgi_app = QuietPullFastPath(app, app.wsgi_app)  # type: ignore[method-assign]
    return app


def _ensure_node(engine: Any, settings: dict[str, Any]) -> None:
    """A server database carries its node identity (role, org, epoch); make it on first start."""
    from shared.store import Store

    store = Store.attach(engine)
    role = settings["ITOPS_ROLE"]
    if not settings.get("MIGRATE", True):
        return
    if store.has_node():
        node = store.node()
        if node["role"] != role:
            raise ValueError(f"this database belongs to a {node['role']} node, not {role}")
        return
    org = "/HQ/" if role == "hq" else settings.get("ITOPS_ORG")
    if not org:
        raise ValueError("this database has no node identity yet: give the province's org path (--org /HQ/GD/)")
    store.init_node(role, org)
