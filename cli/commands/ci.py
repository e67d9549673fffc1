"""``itops ci``: configuration items and their relations (the CMDB)."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.fields import add_field_arg, parse_fields
from cli.output import print_fields, print_json, print_table
from cli.parser import add_subcommands, count
from cli.target import (
    add_owner_arg,
    add_target_args,
    add_user_arg,
    opened,
    owner_for,
    resolve_actor,
    write_as_actor,
)
from shared.models.cmdb import RELATION_TYPES, ConfigItem
from shared.services import cmdb

ACTOR_NOTE = ("The acting user is --user, else the store's top administrator in scope, else the first "
              "user of the store's own org unit. A CI is named by its id or its asset tag.")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ci", help="configuration items (CMDB)",
                                   description="Configuration items and relations. " + ACTOR_NOTE)
    sub = add_subcommands(parser, "ci_command")

    p = sub.add_parser("create", help="create a CI", description="Create a configuration item. " + ACTOR_NOTE)
    _common(p)
    p.add_argument("--class", dest="ci_class", required=True, help="e.g. server, terminal, printer, network")
    p.add_argument("--name", required=True)
    add_owner_arg(p)
    add_field_arg(p, what="column (asset_tag, ip, brand …) or attribute")
    p.set_defaults(func=run_create)

    p = sub.add_parser("update", help="change fields of a CI",
                       description="Change fields of a CI. " + ACTOR_NOTE)
    _common(p)
    p.add_argument("id", metavar="ID", help="CI id or asset tag")
    add_field_arg(p, required=True, what="column or attribute")
    p.set_defaults(func=run_update)

    types = ", ".join(f"{k} ({zh})" for k, (zh, _en) in RELATION_TYPES.items())
    for name, func, verb in (("link", run_link, "relate"), ("unlink", run_unlink, "remove the relation")):
        p = sub.add_parser(name, help=f"{verb} SRC → DST",
                           description=f"{verb.capitalize()} SRC → DST of a type: {types}.")
        _common(p, "print the relation as JSON")
        p.add_argument("source", metavar="SRC", help="CI id or asset tag")
        p.add_argument("target", metavar="DST", help="CI id or asset tag")
        p.add_argument("--type", dest="rel_type", required=True, choices=list(RELATION_TYPES))
        p.set_defaults(func=func)

    p = sub.add_parser("show", help="show a CI and its relations", description="Show a CI and its relations.")
    _common(p)
    p.add_argument("id", metavar="ID", help="CI id or asset tag")
    p.set_defaults(func=run_show)

    p = sub.add_parser("list", help="list CIs", description="List CIs in the acting user's scope by class "
                       "and name: a page of --limit (50) or everything with --all.")
    _common(p, "print a JSON array")
    p.add_argument("--class", dest="ci_class", help="only this class")
    p.add_argument("--all", action="store_true", help="every CI, not one page")
    p.add_argument("--limit", type=count, default=50, help="page size (default 50)")
    p.add_argument("--offset", type=count, default=0, help="skip this many CIs")
    p.set_defaults(func=run_list)


def _common(parser: argparse.ArgumentParser, json_help: str = "print the CI as JSON") -> None:
    add_target_args(parser)
    add_user_arg(parser)
    parser.add_argument("--json", action="store_true", help=json_help)


def run_create(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: cmdb.create_ci(
        cs, actor, args.ci_class, args.name, fields, owner_path=owner_for(st, actor, args.org)))
    return _print_row(args, row, "created")


def run_update(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: cmdb.update_ci(cs, actor, args.id, fields))
    return _print_row(args, row, "updated")


def run_link(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: cmdb.link_ci(cs, actor, args.source, args.target,
                                                                   args.rel_type))
    if args.json:
        print_json(row)
    else:
        print(f"linked {args.source} —{args.rel_type}→ {args.target}")
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.write(actor.user_id) as cs:
            cmdb.unlink_ci(cs, actor, args.source, args.target, args.rel_type)
    if args.json:
        print_json({"source": args.source, "target": args.target, "rel_type": args.rel_type, "deleted": True})
    else:
        print(f"unlinked {args.source} —{args.rel_type}→ {args.target}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = cmdb.get_ci(session, actor, args.id)
            names = _names(session, [r[k] for r in row["relations"] for k in ("source_id", "target_id")])
    if args.json:
        print_json(row)
    else:
        _print_ci(row, names)
    return 0


def _names(session: Session, ids: list[str]) -> dict[str, str]:
    """id → "asset tag name" of the CIs at the other end of the relations (those in this store)."""
    if not ids:
        return {}
    rows = session.scalars(select(ConfigItem).where(ConfigItem.id.in_(set(ids))))
    return {r.id: f"{r.asset_tag or r.id} {r.name}" for r in rows}


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = cmdb.list_cis(session, actor, args.ci_class, limit=None if args.all else args.limit,
                                 offset=args.offset)
    if args.json:
        print_json(rows)
    else:
        print_table(("ASSET TAG", "CLASS", "NAME", "STATUS", "IP", "ORG"),
                    [(r["asset_tag"] or r["id"][:8], r["ci_class"], r["name"], r["status"], r["ip"],
                      r["owner_path"]) for r in rows], empty="(no configuration items)")
    return 0


def _print_row(args: argparse.Namespace, row: dict[str, Any], verb: str) -> int:
    if args.json:
        print_json(row)
    else:
        print(f"{verb} {row['ci_class']} {row['asset_tag'] or row['id']} {row['name']}")
    return 0


def _print_ci(row: dict[str, Any], names: dict[str, str]) -> None:
    print(f"{row['name']}  [{row['ci_class']}]")
    print_fields([
        ("id", row["id"]), ("asset_tag", row["asset_tag"]), ("status", row["status"]),
        ("org", row["owner_path"]), ("brand", row["brand"]), ("model", row["model"]),
        ("serial", row["serial"]), ("ip", row["ip"]), ("location", row["location"]),
        ("owner_id", row["owner_id"]), ("description", row["description"]),
        *((f"attributes.{k}", v) for k, v in sorted((row["attributes"] or {}).items())),
    ])
    print("relations")
    for rel in row["relations"]:
        outgoing = rel["source_id"] == row["id"]
        other = rel["target_id"] if outgoing else rel["source_id"]
        zh = RELATION_TYPES.get(rel["rel_type"], (rel["rel_type"],))[0]
        arrow = f"—{rel['rel_type']} ({zh})→" if outgoing else f"←{rel['rel_type']} ({zh})—"
        print(f"  {arrow} {names.get(other, other)}")
    if not row["relations"]:
        print("  (none)")
