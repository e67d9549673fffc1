"""Engine factory, declarative base, typed columns and migrations."""

from shared.db.base import Base, Synced
from shared.db.engine import make_engine, make_session_factory, read_session, write_session

__all__ = ["Base", "Synced", "make_engine", "make_session_factory", "read_session", "write_session"]
