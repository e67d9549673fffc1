"""Per-app server state, kept on ``app.extensions["itops"]``.

Views reach the database through :func:`get_state`::

    from shared.db.engine import write_session
    from sync_server.state import get_state

    with write_session(get_state().sessions) as session:
        ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from flask import current_app
from flask_smorest import Api
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

Role = Literal["province", "hq"]
EXTENSION_KEY = "itops"


@dataclass
class ServerState:
    engine: Engine
    sessions: sessionmaker[Session]
    role: Role
    upstream: str | None
    api: Api
    # The app's config (a live Flask Config, not a copy).
    config: Any
    # More engines on the same database (the no-change pull's, on PostgreSQL), disposed with it.
    extra_engines: list[Engine] = field(default_factory=list)

    def dispose(self) -> None:
        """Close pooled connections (tests call this; SQLite files stay open otherwise)."""
        for engine in self.extra_engines:
            engine.dispose()
        self.engine.dispose()


def get_state() -> ServerState:
    """The state of the app handling the current request (or of the pushed app context)."""
    state: ServerState = current_app.extensions[EXTENSION_KEY]
    return state
