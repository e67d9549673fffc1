"""``itops login``, ``itops sync``, ``itops conflicts``, ``itops node``: the sync side of a store."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cli.errors import CliError
from cli.output import print_json, print_table
from cli.parser import add_subcommands
from cli.paths import default_store_dir
from cli.target import add_db_arg, add_target_args, add_user_arg, opened, operator, resolve_actor
from shared import audit
from shared.db.types import utcnow
from shared.models.sync import SyncNode, SyncPeer
from shared.security import hash_password
from shared.services import conflicts as queue
from shared.services.users import find_user
from shared.store import Store
from shared.sync.client import SyncClient, SyncFailed
from shared.sync.transport import HttpTransport


def register(subparsers: argparse._SubParsersAction) -> None:
    login = subparsers.add_parser("login", help="sign a store in to a server",
                                  description="Register this store with a province server (or a province "
                                              "database with HQ) and keep the sync token.")
    add_target_args(login)
    login.description += " A --store folder that does not exist yet becomes a new store of the user's org unit."
    login.add_argument("--server", required=True, metavar="URL", help="e.g. http://127.0.0.1:8750")
    login.add_argument("--user", required=True, metavar="USERNAME")
    login.add_argument("--password-file", type=Path, help="first line is the password (else asked)")
    login.add_argument("--no-sync", action="store_true", help="do not sync right after signing in")
    login.set_defaults(func=run_login)

    sync = subparsers.add_parser("sync", help="push local changes and pull the server's",
                                 description="One sync of a store (headless). Exits 3 if it could not finish; "
                                             "nothing local is lost then.")
    add_target_args(sync)
    sync.add_argument("--json", action="store_true", help="print the report as JSON")
    sync.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sync.set_defaults(func=run_sync)

    conflicts = subparsers.add_parser("conflicts", help="the conflict queue of a server",
                                      description="Review and resolve merge conflicts (province administrators).")
    csub = add_subcommands(conflicts, "conflicts_command")
    lst = csub.add_parser("list", help="list conflicts")
    add_db_arg(lst)
    add_user_arg(lst)
    lst.add_argument("--status", default="open", choices=("open", "auto", "resolved", "all"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_conflicts_list)
    show = csub.add_parser("show", help="one conflict with base, server and client values")
    add_db_arg(show)
    add_user_arg(show)
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_conflicts_show)
    res = csub.add_parser("resolve", help="resolve one or more conflicts")
    add_db_arg(res)
    add_user_arg(res)
    res.add_argument("ids", nargs="+", metavar="ID")
    res.add_argument("--take", required=True, choices=queue.RESOLUTIONS,
                     help="keep_server, take_client, edit (with --value), merge_duplicates, restore")
    res.add_argument("--value", help="the edited value (JSON, or plain text)")
    res.add_argument("--json", action="store_true")
    res.set_defaults(func=run_conflicts_resolve)

    node = subparsers.add_parser("node", help="sync nodes registered with a server")
    nsub = add_subcommands(node, "node_command")
    nl = nsub.add_parser("list", help="list nodes with their sync health")
    add_db_arg(nl)
    nl.add_argument("--json", action="store_true")
    nl.set_defaults(func=run_node_list)
    nr = nsub.add_parser("revoke", help="revoke a node's token (it gets 401 on its next sync)")
    add_db_arg(nr)
    nr.add_argument("node_id")
    nr.set_defaults(func=run_node_revoke)


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        try:
            return args.password_file.read_text(encoding="utf-8").splitlines()[0].strip()
        except (OSError, IndexError):
            raise CliError(f"cannot read a password from {args.password_file}") from None
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask the password on; use --password-file FILE")
    return getpass.getpass(f"password for {args.user}: ")


def _progress(quiet: bool) -> Any:
    def show(phase: str, done: int, total: int) -> None:
        if not quiet:
            sys.stderr.write(f"\r{phase}: {done}" + (f"/{total}" if total else "") + "   ")
            sys.stderr.flush()
    return show


def run_login(args: argparse.Namespace) -> int:
    """Sign in; a new desktop store folder is created and takes its org unit from the server."""
    password = _password(args)
    if not args.db:
        Store.open_dir(args.store or default_store_dir(), create=True).close()
    with opened(args, need_node=bool(args.db)) as store:
        client = SyncClient(store, HttpTransport(args.server, retries=1))
        try:
            answer = client.login(args.server, args.user, password)
        except SyncFailed as exc:
            raise CliError(f"sign-in failed: {exc}") from None
        print(f"signed in to {args.server} as {args.user} — scope {answer['scope']['org_path']}")
        if args.no_sync:
            return 0
        try:
            report = SyncClient(store, HttpTransport(args.server), _progress(False)).sync()
        except SyncFailed as exc:
            raise CliError(f"signed in, but the first sync failed: {exc}") from None
        sys.stderr.write("\n")
        _cache_credential(store, args.user, password)
        print(f"synced: pulled {report.pulled}, pushed {report.pushed}")
    return 0


def _cache_credential(store: Any, username: str, password: str) -> None:
    """The desktop signs in offline against this salted hash (it never syncs)."""
    with store.write() as cs:
        if cs.state.role != "client":
            return
        try:
            user = find_user(cs.session, username)
        except Exception:
            return
        cs.update(user, {"password_hash": hash_password(password)})


def run_sync(args: argparse.Namespace) -> int:
    with opened(args) as store:
        with store.read() as session:
            peer = session.get(SyncPeer, "upstream")
            if peer is None or not peer.token:
                raise CliError("this store has not signed in yet: itops login --server URL --user NAME")
            url = peer.url
        client = SyncClient(store, HttpTransport(url), _progress(args.quiet or args.json))
        try:
            report = client.sync()
        except SyncFailed as exc:
            client.record_error(str(exc))
            if not args.quiet:
                sys.stderr.write("\n")
            sys.stderr.write(f"itops: sync failed: {exc}\n")
            return 3
    if not (args.quiet or args.json):
        sys.stderr.write("\n")
    if report.warning and not args.json:
        sys.stderr.write(f"itops: warning: {report.warning} — check this computer's clock\n")
    if args.json:
        print_json(report.as_dict())
    else:
        print(f"pushed {report.pushed}, pulled {report.pulled}, relayed {report.relayed}, "
              f"conflicts {report.conflicts}, rejected {report.rejected}, outbox {report.backlog}"
              + (", resynced" if report.resynced else "")
              + (f", repaired {', '.join(report.repaired)}" if report.repaired else ""))
    return 0


def run_conflicts_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = queue.list_conflicts(session, actor, None if args.status == "all" else args.status)
    if args.json:
        print_json(rows)
    else:
        print_table(("ID", "KIND", "ENTITY", "FIELD", "SERVER", "CLIENT", "STATUS"),
                    [(r["id"], r["kind"], r["entity"], r["field"], _short(r["server_value"]),
                      _short(r["client_value"]), r["status"]) for r in rows])
    return 0


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 30 else text[:29] + "…"


def run_conflicts_show(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            data = queue.show_conflict(session, actor, args.id)
    print_json(data) if args.json else print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def run_conflicts_resolve(args: argparse.Namespace) -> int:
    value: Any = args.value
    if value is not None:
        with contextlib.suppress(ValueError):  # plain text is a string value
            value = json.loads(value)
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.write(actor.user_id) as cs:
            done = [queue.resolve(cs, actor, cid, args.take, value) for cid in args.ids]
    if args.json:
        print_json(done)
    else:
        print(f"resolved {len(done)} conflict(s) with {args.take}")
    return 0


def run_node_list(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        nodes = list(session.scalars(select(SyncNode).order_by(SyncNode.org_path, SyncNode.name)))
        rows = [{"node_id": n.node_id, "name": n.name, "kind": n.kind, "org_path": n.org_path,
                 "last_seq": n.last_seq, "backlog": n.outbox_backlog,
                 "last_seen_at": n.last_seen_at.isoformat() if n.last_seen_at else None,
                 "revoked": n.revoked_at is not None} for n in nodes]
    if args.json:
        print_json(rows)
    else:
        print_table(("NODE", "NAME", "KIND", "ORG", "LAST SEQ", "BACKLOG", "LAST SEEN", "REVOKED"),
                    [(r["node_id"], r["name"], r["kind"], r["org_path"], r["last_seq"], r["backlog"],
                      r["last_seen_at"] or "-", "yes" if r["revoked"] else "") for r in rows])
    return 0


def run_node_revoke(args: argparse.Namespace) -> int:
    with opened(args) as store, store.write() as cs:
        node = cs.session.get(SyncNode, args.node_id)
        if node is None:
            raise CliError(f"no node {args.node_id}")
        node.revoked_at = utcnow()
        audit.record(cs, operator(), "token_revoked", f"nodes/{args.node_id}", {"by": "itops node revoke"})
    print(f"revoked {args.node_id}")
    return 0
