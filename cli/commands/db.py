"""``itops db``: schema migrations and node identity of a server database."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import DBAPIError

from cli.errors import CliError
from cli.parser import add_subcommands
from cli.target import add_db_arg, display_url, open_db, opened, sqlite_file
from shared.db.engine import make_engine
from shared.db.migrate import current_revision, head_revision
from shared.services.org import PATH_RE
from shared.store import Store
from shared.sync.node import org_codes

ROLE_DEPTH = {"hq": 1, "province": 2}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="database schema and node identity",
                                   description="Schema migrations (Alembic) of a server database.")
    sub = add_subcommands(parser, "db_command")

    up = sub.add_parser("upgrade", help="create or upgrade a database to the current schema",
                        description="Create the database (SQLite file) if needed and upgrade its schema to "
                                    "head. With --role, give a new database its node identity.")
    add_db_arg(up)
    up.add_argument("--role", choices=sorted(ROLE_DEPTH), help="make this database a province or HQ node")
    up.add_argument("--org", metavar="PATH", help="the node's org unit: /HQ/ for hq, /HQ/XX/ for a province")
    up.set_defaults(func=run_upgrade)

    cp = sub.add_parser("compact", help="compact a server's change log up to a horizon",
                        description="Drop superseded change-log entries up to the horizon: by "
                                    "default the oldest pull position of the nodes seen in --inactive-days. "
                                    "A node behind the horizon reloads its data on its next sync (its unsent "
                                    "changes are kept).")
    add_db_arg(cp)
    cp.add_argument("--inactive-days", type=int, default=90, metavar="N",
                    help="nodes silent longer than this do not hold the horizon back (default 90)")
    cp.add_argument("--horizon", type=int, metavar="SEQ", help="compact up to this change-log seq instead")
    cp.set_defaults(func=run_compact)

    cur = sub.add_parser("current", help="show the schema revision and node identity",
                         description="Show the database's schema revision (and the head this itops "
                                     "expects) and its node identity. Changes nothing.")
    add_db_arg(cur)
    cur.set_defaults(func=run_current)


def node_org(role: str, org: str | None) -> str:
    path = org or ("/HQ/" if role == "hq" else "")
    if not path:
        raise CliError("--role province needs --org /HQ/XX/ (the province's org unit)")
    if not PATH_RE.match(path) or len(org_codes(path)) != ROLE_DEPTH[role]:
        example = "/HQ/" if role == "hq" else "/HQ/GD/"
        raise CliError(f"--org for role {role} must look like {example}, not {path!r}")
    return path


def run_upgrade(args: argparse.Namespace) -> int:
    if args.org and not args.role:
        raise CliError("--org needs --role (province or hq)")
    org = node_org(args.role, args.org) if args.role else None
    store = open_db(args.db, create=True)
    try:
        print(f"{display_url(store.url)}: schema at {head_revision()} (head)")
        if args.role and org:
            _ensure_node(store, args.role, org)
    finally:
        store.close()
    return 0


def _ensure_node(store: Store, role: str, org: str) -> None:
    try:
        node = store.node()
    except RuntimeError:
        store.init_node(role, org)
        node = store.node()
        print(f"node identity: {role} {org} ({node['node_id']})")
        return
    if (node["role"], node["org_path"]) != (role, org):
        raise CliError(f"this database is already the {node['role']} node of {node['org_path']}; "
                       f"it cannot become {role} {org}")
    print(f"node identity: {role} {org} ({node['node_id']}, unchanged)")


def run_current(args: argparse.Namespace) -> int:
    path = sqlite_file(args.db)
    if path is not None and not path.exists():
        raise CliError(f"no database at {path}")
    engine = make_engine(args.db)
    try:
        revision = current_revision(engine)
    except DBAPIError as exc:
        raise CliError(f"cannot open database {display_url(args.db)}: {exc.orig}") from None
    finally:
        engine.dispose()
    head = head_revision()
    if revision is None:
        print(f"none (empty database; head is {head}: run itops db upgrade)")
        return 0
    print(f"{revision} (head)" if revision == head else f"{revision} (head is {head}: run itops db upgrade)")
    _print_node(args.db)
    return 0


def _print_node(url: str) -> None:
    store = Store(url, migrate=False)
    try:
        node = store.node()
        print(f"node: {node['role']} {node['org_path']} ({node['node_id']})")
    except RuntimeError:
        print("node: none (itops db upgrade --role … gives it one)")
    finally:
        store.close()


def run_compact(args: argparse.Namespace) -> int:
    from shared.sync.compact import compact, default_horizon

    with opened(args) as store, store.write() as cs:
        horizon = args.horizon if args.horizon is not None else default_horizon(cs.session, args.inactive_days)
        result = compact(cs.session, horizon)
    print(f"compacted up to seq {result['horizon']}: {result['superseded']} superseded entries dropped")
    return 0
