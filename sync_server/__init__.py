"""ITOps sync server: the Flask application a province or HQ node runs.

Entry points for callers (the CLI, tests, the demo tree):

- :func:`sync_server.app.create_app` builds a configured Flask app (one per node);
- :func:`sync_server.serve.serve` runs it under waitress until interrupted;
- :func:`sync_server.serve.make_server` returns a stoppable server, for tests and the demo.
"""

from sync_server.app import create_app
from sync_server.serve import make_server, serve

__all__ = ["create_app", "make_server", "serve"]
