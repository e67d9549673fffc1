"""``itops server``: a province or HQ sync server (Flask under waitress, imported only when run)."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from sqlalchemy.exc import DBAPIError

from cli.errors import CliError
from cli.target import add_db_arg, display_url, sqlite_file
from shared.store import Store

DEFAULT_PORT = 8750


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("server", help="run a province or HQ sync server",
                                   description="Serve the sync API for a province (merge authority of its "
                                               "counties) or HQ. Stops on Ctrl+C or SIGTERM.")
    add_db_arg(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--role", choices=["province", "hq"],
                        help="default: the database's node identity, else province")
    parser.add_argument("--org", metavar="PATH", help="the node's org unit, e.g. /HQ/GD/")
    parser.add_argument("--upstream", metavar="URL", help="the parent server to relay to (a province's HQ)")
    parser.add_argument("--relay-interval", type=float, default=60.0, metavar="SECONDS",
                        help="how often the relay syncs with --upstream (default 60)")
    parser.add_argument("--proxy-hops", type=int, default=0, metavar="N",
                        help="reverse proxies in front (e.g. 1 for nginx): client addresses for the rate "
                             "limits come from X-Forwarded-For (default 0: none)")
    parser.add_argument("--worker-interval", type=float, default=30.0, metavar="SECONDS",
                        help="how often the built-in worker checks SLA clocks, sends queued email/SMS and exports "
                             "the audit log to syslog (default 30; 0 = no worker, run `itops notify run` instead)")
    parser.set_defaults(func=run)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def node_identity(url: str) -> dict[str, str] | None:
    """The database's node identity, or None (no file yet, no schema yet, no identity yet)."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return None
    store = Store(url, migrate=False)
    try:
        return store.node()
    except Exception:  # no node_state table or row: a database the server will set up
        return None
    finally:
        store.close()


def server_config(args: argparse.Namespace) -> dict[str, Any]:
    node = node_identity(args.db)
    role = args.role or (node["role"] if node else "province")
    if node and node["role"] != role:
        raise CliError(f"this database is the {node['role']} node of {node['org_path']}, not a {role} server")
    org = args.org or (node["org_path"] if node else ("/HQ/" if role == "hq" else None))
    return {"DATABASE_URL": args.db, "ITOPS_ROLE": role, "ITOPS_UPSTREAM": args.upstream, "ITOPS_ORG": org,
            "ITOPS_PROXY_HOPS": max(0, getattr(args, "proxy_hops", 0) or 0)}


def run(args: argparse.Namespace) -> int:
    config = server_config(args)
    from sync_server.app import create_app
    from sync_server.serve import make_server

    try:
        app = create_app(config)
    except DBAPIError as exc:
        raise CliError(f"cannot open database {display_url(args.db)}: {exc.orig}") from None
    server = make_server(app, args.host, args.port)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    print(f"ITOps server ({config['ITOPS_ROLE']}) listening on {server.url}", flush=True)
    relay = None
    if args.upstream:
        from sync_server.relay import Relay

        relay = Relay(app, args.upstream, args.relay_interval).start()
        print(f"relaying to {args.upstream} every {args.relay_interval:g} s", flush=True)
    worker = None
    if args.worker_interval > 0:
        from shared.integrations.worker import BackgroundWorker

        worker = BackgroundWorker(Store.attach(app.extensions["itops"].engine), args.worker_interval,
                                  lambda line: print(f"worker: {line}", flush=True)).start()
        print(f"worker: checks and deliveries every {args.worker_interval:g} s", flush=True)
    try:
        server.run()
    finally:
        for part in (relay, worker):
            if part is not None:
                part.stop()
    return 0


def _exit_on_signal(signum: int, _frame: object) -> None:
    sys.exit(0)  # SystemExit: the server's loop shuts down cleanly
