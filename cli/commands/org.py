"""``itops org``: the org tree (HQ → province → prefecture → county)."""

from __future__ import annotations

import argparse

from cli.output import print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_target_args, opened, require_server
from shared.services import org


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("org", help="org units", description="Org units of the tree "
                                   "/HQ/ → /HQ/GD/ → /HQ/GD/SZ/ → /HQ/GD/SZ/LH/.")
    sub = add_subcommands(parser, "org_command")

    add = sub.add_parser("add", help="add an org unit under an existing parent",
                         description="Add an org unit. Its parent must exist; the level follows from "
                                     "the depth of the path.")
    add_target_args(add)
    add.add_argument("--path", required=True, help="materialised path, e.g. /HQ/GD/SZ/BA/")
    add.add_argument("--name", required=True, help="Chinese name, e.g. 宝安供电局")
    add.add_argument("--name-en", default="", help="English name")
    add.set_defaults(func=run_add)

    lst = sub.add_parser("list", help="list org units", description="List every org unit, by path.")
    add_target_args(lst)
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=run_list)


def run_add(args: argparse.Namespace) -> int:
    with opened(args) as store:
        require_server(store, "org units")
        with store.write() as cs:
            row = org.add_org(cs, args.path, args.name, args.name_en)
    print(f"added {row['level']} {row['path']} {row['name']}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args, need_node=False) as store, store.read() as session:
        rows = org.list_orgs(session)
    if args.json:
        print_json(rows)
    else:
        print_table(("PATH", "LEVEL", "NAME", "NAME (EN)"),
                    [(r["path"], r["level"], r["name"], r["name_en"]) for r in rows])
    return 0
