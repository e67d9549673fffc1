"""``itops audit``: read and verify the hash-chained audit log; lift a sign-in lockout."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from sqlalchemy import select

from cli.errors import CliError
from cli.output import clip, print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_target_args, opened
from shared import audit
from shared.models.audit import AuditEvent, LoginAttempt
from shared.security import attempt_key


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="the audit log (verify, list) and sign-in lockouts",
                                   description="The append-only, hash-chained audit log of security and "
                                               "administrative events.")
    sub = add_subcommands(parser, "audit_command")

    verify = sub.add_parser("verify", help="check every node's hash chain",
                            description="Check every node's chain: numbering, content hashes and links. "
                                        "Exit 0 when intact, 1 when a chain is broken (the first broken "
                                        "link of each node is printed).")
    add_target_args(verify)
    verify.add_argument("--node", metavar="NODE_ID", help="only this node's chain")
    verify.add_argument("--json", action="store_true", help="print JSON")
    verify.set_defaults(func=run_verify)

    lst = sub.add_parser("list", help="list audit entries, newest first")
    add_target_args(lst)
    lst.add_argument("--event", help="only this event (login, login_failed, token_issued, …)")
    lst.add_argument("--actor", metavar="USERNAME", help="only this actor")
    lst.add_argument("--limit", type=int, default=50, help="at most this many entries (default 50)")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=run_list)

    unlock = sub.add_parser("unlock", help="lift a sign-in lockout",
                            description="Forget a username's failed sign-ins, so it may sign in at once.")
    add_target_args(unlock)
    unlock.add_argument("--username", required=True)
    unlock.set_defaults(func=run_unlock)


def run_verify(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        report = audit.verify(session, args.node)
    if args.json:
        print_json({"ok": report.ok, "entries": report.entries, "nodes": report.nodes,
                    "breaks": [b.__dict__ for b in report.breaks]})
    else:
        print(report.summary())
        for brk in report.breaks:
            print(f"  BROKEN {brk.message}")
    return 0 if report.ok else 1


def run_list(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.node_seq.desc())
    if args.event:
        stmt = stmt.where(AuditEvent.event == args.event)
    if args.actor:
        stmt = stmt.where(AuditEvent.actor == args.actor)
    with opened(args) as store, store.read() as session:
        rows: list[dict[str, Any]] = [
            {"at": r.at, "event": r.event, "actor": r.actor, "target": r.target, "detail": r.detail,
             "org": r.owner_path, "node_id": r.node_id, "node_seq": r.node_seq}
            for r in session.scalars(stmt.limit(args.limit))]
    if args.json:
        print_json(rows)
    else:
        print_table(("AT", "EVENT", "ACTOR", "TARGET", "ORG", "NODE#"),
                    [(r["at"][:19].replace("T", " "), r["event"], r["actor"], clip(r["target"], 40), r["org"],
                      f"{r['node_id'][:8]}#{r['node_seq']}") for r in rows])
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    with opened(args) as store, store.write() as cs:
        attempt = cs.session.get(LoginAttempt, attempt_key(args.username))
        if attempt is None:
            print(f"{args.username} is not locked")
            return 0
        cs.session.delete(attempt)
        audit.record(cs, f"cli:{getpass.getuser()}", "unlocked", args.username, {"failures": attempt.failures})
    print(f"unlocked {args.username}")
    return 0
