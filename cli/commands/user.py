"""``itops user``: people, roles and passwords on a server database."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from cli.fields import read_password_file
from cli.output import print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_db_arg, opened, operator, require_server
from shared.models.org import ROLES
from shared.services import users
from shared.sync.capture import ChangeSet

PASSWORD_HELP = "file whose first line is the password ('-': standard input)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("user", help="users and passwords",
                                   description="Users of a server database (administration).")
    sub = add_subcommands(parser, "user_command")

    roles = ", ".join(f"{code} ({zh})" for code, (zh, _en) in ROLES.items())
    add = sub.add_parser("add", help="add a user", description=f"Add a user. Roles: {roles}.")
    add_db_arg(add)
    add.add_argument("--username", required=True)
    add.add_argument("--password-file", required=True, metavar="FILE", help=PASSWORD_HELP)
    add.add_argument("--org", required=True, metavar="PATH", help="the user's org unit, e.g. /HQ/GD/SZ/LH/")
    add.add_argument("--role", required=True, action="append", choices=list(ROLES), dest="roles",
                     help="a role (repeatable)")
    add.add_argument("--full-name", default="", help="e.g. 何晓丽")
    add.add_argument("--phone", default="")
    add.add_argument("--email", default="")
    add.set_defaults(func=run_add)

    passwd = sub.add_parser("passwd", help="set a user's password", description="Set a user's password "
                            "(stored as an argon2 hash in this database only; it never syncs).")
    add_db_arg(passwd)
    passwd.add_argument("--username", required=True)
    passwd.add_argument("--password-file", required=True, metavar="FILE", help=PASSWORD_HELP)
    passwd.set_defaults(func=run_passwd)

    roles_cmd = sub.add_parser("roles", help="set a user's roles",
                               description=f"Replace a user's roles (at least one). Roles: {roles}.")
    add_db_arg(roles_cmd)
    roles_cmd.add_argument("--username", required=True)
    roles_cmd.add_argument("--role", required=True, action="append", choices=list(ROLES), dest="roles",
                           help="a role (repeatable; the user gets exactly these)")
    roles_cmd.set_defaults(func=run_roles)

    move = sub.add_parser("move", help="move a user to another org unit",
                          description="Move a user to another org unit of the same province. The user's "
                          "stores keep their old scope and stop syncing: the user signs in on a new store.")
    add_db_arg(move)
    move.add_argument("--username", required=True)
    move.add_argument("--org", required=True, metavar="PATH", help="the new org unit, e.g. /HQ/GD/SZ/FT/")
    move.set_defaults(func=run_move)

    for name, active, text in (("disable", False, "Disable a user: they cannot sign in, and their stores "
                                "stop syncing until they are enabled again."),
                               ("enable", True, "Enable a disabled user again (their stores sync again).")):
        toggle = sub.add_parser(name, help=f"{name} a user", description=text)
        add_db_arg(toggle)
        toggle.add_argument("--username", required=True)
        toggle.set_defaults(func=run_set_active, active=active)

    lst = sub.add_parser("list", help="list users", description="List users, by org unit and username.")
    add_db_arg(lst)
    lst.add_argument("--org", default="/", metavar="PATH", help="only users in this subtree")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=run_list)


def run_add(args: argparse.Namespace) -> int:
    password = read_password_file(args.password_file)
    with opened(args) as store:
        require_server(store, "users")
        with store.write() as cs:
            row = users.add_user(cs, args.username, password, args.org, args.roles, args.full_name,
                                 args.phone, args.email)
    roles = ", ".join(row["roles"])
    print(f"added user {row['username']} ({row['full_name']}) at {row['org_path']}: {roles}")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    password = read_password_file(args.password_file)
    with opened(args) as store, store.write() as cs:
        users.set_password(cs, args.username, password)
    print(f"password changed for {args.username}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args, need_node=False) as store, store.read() as session:
        rows = users.list_users(session, args.org)
    if args.json:
        print_json(rows)
    else:
        print_table(("USERNAME", "NAME", "ORG", "ROLES", "ACTIVE"),
                    [(r["username"], r["full_name"], r["org_path"], ",".join(r["roles"] or ()),
                      "yes" if r["active"] else "no") for r in rows])
    return 0


def _change(args: argparse.Namespace, field: str, change: Callable[[ChangeSet], dict]) -> tuple[Any, dict]:
    """(the user's ``field`` before, their record after ``change``), on a server database, in one write."""
    with opened(args) as store:
        require_server(store, "users")
        with store.write() as cs:
            before = getattr(users.find_user(cs.session, args.username), field)  # the change assigns anew
            return before, change(cs)


def run_roles(args: argparse.Namespace) -> int:
    before, row = _change(args, "roles", lambda cs: users.set_roles(cs, args.username, args.roles, by=operator()))
    before, after = sorted(before or ()), ", ".join(row["roles"])
    if row["roles"] == before:
        print(f"{row['username']} already has the roles {after}")
    else:
        print(f"roles of {row['username']}: {', '.join(before)} -> {after}")
    return 0


def run_move(args: argparse.Namespace) -> int:
    before, row = _change(args, "org_path", lambda cs: users.move_user(cs, args.username, args.org, by=operator()))
    if row["org_path"] == before:
        print(f"{row['username']} is already at {before}")
    else:
        print(f"moved {row['username']} from {before} to {row['org_path']} (their stores of {before} stop syncing)")
    return 0


def run_set_active(args: argparse.Namespace) -> int:
    was, row = _change(args, "active", lambda cs: users.set_active(cs, args.username, args.active, by=operator()))
    state = "enabled" if args.active else "disabled"
    if bool(was) == args.active:
        print(f"{row['username']} is already {state}")
    elif args.active:
        print(f"enabled {row['username']} (they may sign in and their stores sync again)")
    else:
        print(f"disabled {row['username']} (sign-in refused, their stores stop syncing)")
    return 0
