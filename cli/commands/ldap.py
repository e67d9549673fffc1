"""``itops ldap``: sign-in through the company directory (LDAP / Active Directory) on a server."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from cli.errors import CliError
from cli.fields import read_password_file
from cli.output import local_time, print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_db_arg, opened, require_server
from shared.integrations import ldap
from shared.integrations.settings import get_setting, set_setting
from shared.models.integrations import DirectoryAccount


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ldap", help="directory sign-in (LDAP / AD)",
                                   description="Sign-in through the company directory: people sign in to the "
                                               "server with their directory password; groups give roles and "
                                               "OUs give org units (example: shared/resources/integrations/"
                                               "ldap-example.yaml).")
    sub = add_subcommands(parser, "ldap_command")
    p = sub.add_parser("config", help="show, store or remove the directory settings",
                       description="Print the settings (password hidden), store a checked YAML file, or --off.")
    add_db_arg(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--file", type=Path)
    group.add_argument("--off", action="store_true", help="local passwords only")
    p.set_defaults(func=run_config)

    p = sub.add_parser("test", help="try a sign-in without saving anything",
                       description="Bind as a person and show the roles and org unit the mapping gives.")
    add_db_arg(p)
    p.add_argument("--user", required=True)
    p.add_argument("--password-file", required=True, metavar="FILE", help="first line is the password ('-': stdin)")
    p.set_defaults(func=run_test)

    p = sub.add_parser("accounts", help="people who sign in through the directory",
                       description="Directory accounts known to this server, with their last sign-in or refusal.")
    add_db_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_accounts)


def run_config(args: argparse.Namespace) -> int:
    with opened(args) as store:
        require_server(store, "directory settings")
        with store.write() as cs:
            if args.off:
                set_setting(cs.session, "ldap", {})
                print("directory sign-in is off: local passwords only")
                return 0
            if args.file:
                try:
                    cfg = yaml.safe_load(args.file.read_text(encoding="utf-8"))
                    if not isinstance(cfg, dict):
                        raise CliError(f"{args.file}: not a YAML mapping")
                    ldap.check_config(cfg)
                except yaml.YAMLError as exc:
                    raise CliError(f"{args.file}: {exc}") from None
                set_setting(cs.session, "ldap", cfg)
                print(f"directory sign-in via {cfg['url']}")
                return 0
            cfg = get_setting(cs.session, "ldap")
    print(yaml.safe_dump({k: ("********" if k == "bind_password" else v) for k, v in cfg.items()},
                         allow_unicode=True, sort_keys=False) if cfg else "directory sign-in is off", end="")
    return 0


def run_test(args: argparse.Namespace) -> int:
    password = read_password_file(args.password_file)
    with opened(args) as store, store.read() as session:
        cfg = get_setting(session, "ldap")
    if not cfg:
        raise CliError("directory sign-in is not configured (itops ldap config --file …)")
    try:
        person = ldap.lookup(cfg, args.user, password)
    except ldap.DirectoryUnavailable as exc:
        raise CliError(str(exc)) from None
    print_json({"dn": person.dn, "full_name": person.full_name, "email": person.email, "phone": person.phone,
                "groups": list(person.groups), "roles": list(person.roles), "org_path": person.org_path})
    return 0


def run_accounts(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        rows = list(session.scalars(select(DirectoryAccount).order_by(DirectoryAccount.username)))
        data: list[dict[str, Any]] = [{"username": r.username, "dn": r.dn, "groups": list(r.groups or ()),
                 "last_sign_in": r.last_sign_in.isoformat() if r.last_sign_in else None,
                 "refused_at": r.refused_at.isoformat() if r.refused_at else None, "refusal": r.refusal}
                for r in rows]
    if args.json:
        print_json(data)
    else:
        print_table(("USERNAME", "LAST SIGN-IN", "REFUSED", "WHY", "DN"),
                    [(d["username"], local_time(d["last_sign_in"]), local_time(d["refused_at"]), d["refusal"],
                      d["dn"]) for d in data], empty="(no directory accounts yet)")
    return 0
