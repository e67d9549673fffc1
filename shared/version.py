"""Version numbers that travel on the wire."""

from shared import __version__

APP_VERSION = __version__
# Bumped when the sync wire format changes incompatibly.
PROTOCOL_VERSION = 1
# The Alembic head this code expects; a client one schema version behind still syncs
# (the server drops fields it does not know and fills defaults for missing ones).
SCHEMA_VERSION = 1
MIN_CLIENT_PROTOCOL = 1
